"""Field definitions (`ticket_fields`, `contact_fields`, `company_fields`) and `cf_*` values.

Freshdesk records carry one `custom_fields` object whose keys are the account's custom field
names and whose values follow each field's type: strings for text, paragraph, dropdown and the
levels of a nested field, integers for numbers, floats for decimals, booleans for checkboxes,
`YYYY-MM-DD` for dates, timestamps for date-times; null when unset. A nested field (`nested_field`)
is a dependent dropdown: its definition lists the child levels in `nested_ticket_fields`, and each
level is a key of its own in `custom_fields`. A field added by an admin appears in the definitions
at once and as a key (null) on every record; records edited afterwards carry values.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from tests.simulator.clock import stamp_at

FIELD_ID_BASE = 43_000_700_000
ADDED_FIELD_ID_BASE = 43_000_790_000
REGIONS = ("North", "South", "East", "West")
#: Choices of every nested field: level 1 → level 2 → level 3.
PRODUCT_TREE: dict[str, dict[str, list[str]]] = {
    "Hardware": {"Printer": ["P100", "P200"], "Scanner": ["S1"]},
    "Software": {},
}
CUSTOM_TYPES = (
    "custom_text",
    "custom_paragraph",
    "custom_number",
    "custom_decimal",
    "custom_checkbox",
    "custom_date",
    "custom_date_time",
    "custom_dropdown",
    "nested_field",
)
#: Words of generated text (data.py's sentences use them too).
WORDS = (
    "printer",
    "login",
    "invoice",
    "refund",
    "outage",
    "password",
    "export",
    "billing",
    "upgrade",
    "shipping",
    "delay",
    "error",
    "sync",
    "mobile",
    "report",
    "access",
)

#: The account's custom fields: (name, type). Values in records follow these types.
TICKET_CUSTOM = (
    ("cf_region", "custom_dropdown"),
    ("cf_priority_score", "custom_number"),
    ("cf_discount", "custom_decimal"),
    ("cf_vip", "custom_checkbox"),
    ("cf_renewal", "custom_date"),
    ("cf_callback_at", "custom_date_time"),
    ("cf_notes", "custom_paragraph"),
    ("cf_order_ref", "custom_text"),
    ("cf_product", "nested_field"),
)
CONTACT_CUSTOM = (
    ("cf_plan", "custom_dropdown"),
    ("cf_signup", "custom_date"),
    ("cf_seats", "custom_number"),
    ("cf_beta", "custom_checkbox"),
)
COMPANY_CUSTOM = (
    ("cf_tier", "custom_dropdown"),
    ("cf_arr", "custom_decimal"),
    ("cf_contract_end", "custom_date"),
    ("cf_notes", "custom_text"),
)
#: More contact and company fields, so every type shows in each definition list. Their values
#: come from a generator of their own: the seeded records above keep their values.
CONTACT_MORE = (
    ("cf_nickname", "custom_text"),
    ("cf_bio", "custom_paragraph"),
    ("cf_credit", "custom_decimal"),
    ("cf_last_call", "custom_date_time"),
    ("cf_device", "nested_field"),
)
COMPANY_MORE = (
    ("cf_employees", "custom_number"),
    ("cf_partner", "custom_checkbox"),
    ("cf_about", "custom_paragraph"),
    ("cf_last_review", "custom_date_time"),
    ("cf_segment", "nested_field"),
)
#: Default fields per definition list, with Freshdesk's `default_*` types.
DEFAULT_FIELDS = {
    "ticket_fields": (
        ("requester", "default_requester"),
        ("subject", "default_subject"),
        ("ticket_type", "default_ticket_type"),
        ("source", "default_source"),
        ("status", "default_status"),
        ("priority", "default_priority"),
        ("group", "default_group"),
        ("agent", "default_agent"),
        ("description", "default_description"),
    ),
    "contact_fields": (
        ("name", "default_name"),
        ("job_title", "default_job_title"),
        ("email", "default_email"),
        ("phone", "default_phone"),
        ("company_name", "default_company_name"),
        ("time_zone", "default_time_zone"),
    ),
    "company_fields": (
        ("name", "default_name"),
        ("description", "default_description"),
        ("domains", "default_domains"),
        ("health_score", "default_health_score"),
    ),
}
SEEDED_CUSTOM = {
    "ticket_fields": TICKET_CUSTOM,
    "contact_fields": CONTACT_CUSTOM + CONTACT_MORE,
    "company_fields": COMPANY_CUSTOM + COMPANY_MORE,
}
#: Definition list of each entity `add_custom_field` accepts.
ENTITIES = {"ticket": "ticket_fields", "contact": "contact_fields", "company": "company_fields"}
DEFAULT_CHOICES = {
    "default_status": {
        "2": ["Open", "Being Processed"],
        "3": ["Pending", "Awaiting your Reply"],
        "4": ["Resolved", "This ticket has been Resolved"],
        "5": ["Closed", "This ticket has been Closed"],
        "6": ["Waiting on Customer", "Awaiting your Reply"],
    },
    "default_priority": {"Low": 1, "Medium": 2, "High": 3, "Urgent": 4},
    "default_source": {"Email": 1, "Portal": 2, "Phone": 3, "Chat": 7, "Feedback Widget": 9},
}


def levels_of(name: str) -> tuple[str, str]:
    """Return the names of a nested field's level 2 and level 3 fields."""
    return f"{name}_level_2", f"{name}_level_3"


def typed_value(kind: str, rng: random.Random, around: int) -> Any:  # noqa: PLR0911
    """Return a value of a field of type `kind`, in the JSON type Freshdesk gives it."""
    if kind == "custom_dropdown":
        return rng.choice(REGIONS)
    if kind == "nested_field":
        return rng.choice(tuple(PRODUCT_TREE))
    if kind == "custom_number":
        return rng.randint(0, 500)
    if kind == "custom_decimal":
        return round(rng.uniform(0, 1000), 2)
    if kind == "custom_checkbox":
        return rng.random() < 0.5
    if kind == "custom_date":
        return stamp_at(around + rng.randint(0, 90 * 86400))[:10]
    if kind == "custom_date_time":
        return stamp_at(around + rng.randint(0, 90 * 86400))
    return " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()


def nested_values(name: str, top: str | None, rng: random.Random) -> dict[str, str | None]:
    """Return the level keys of nested field `name` under level-1 value `top`: a tree path."""
    second_name, third_name = levels_of(name)
    second = third = None
    branches = PRODUCT_TREE.get(top or "", {})
    if branches and rng.random() < 0.8:
        second = rng.choice(sorted(branches))
        if rng.random() < 0.8:
            third = rng.choice(branches[second])
    return {second_name: second, third_name: third}


def custom_values(
    fields: tuple[tuple[str, str], ...], rng: random.Random, around: int
) -> dict[str, Any]:
    """`cf_*` values of the types their definitions declare; any can be null."""
    values: dict[str, Any] = {}
    for name, kind in fields:
        values[name] = None if rng.random() < 0.12 else typed_value(kind, rng, around)
        if kind == "nested_field":
            levels_rng = random.Random(f"{name}/{around}")
            values.update(nested_values(name, values[name], levels_rng))
    return values


@dataclass(frozen=True)
class AddedField:
    """A custom field an admin added while the simulator runs."""

    ident: int
    name: str
    kind: str
    label: str
    choices: Any
    added: int


class CustomFields:
    """The definitions of the three field lists, and the custom fields added at run time."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.added: dict[str, list[AddedField]] = {stream: [] for stream in ENTITIES.values()}
        self.lock = threading.Lock()

    def add(self, entity: str, name: str, kind: str, now: int, label: str | None = None) -> int:
        """Add a field to `entity` ("ticket", "contact" or "company"); return its id."""
        if entity not in ENTITIES:
            raise ValueError(f"entity must be one of {sorted(ENTITIES)}, not {entity!r}")
        if kind not in CUSTOM_TYPES:
            raise ValueError(f"type must be one of {CUSTOM_TYPES}, not {kind!r}")
        name = name if name.startswith("cf_") else f"cf_{name}"
        stream = ENTITIES[entity]
        with self.lock:
            taken = {n for n, _ in SEEDED_CUSTOM[stream]} | {f.name for f in self.added[stream]}
            if name in taken:
                raise ValueError(f"{entity} already has a field {name!r}")
            ident = ADDED_FIELD_ID_BASE + sum(len(fields) for fields in self.added.values()) + 1
            choices = {
                "custom_dropdown": list(REGIONS),
                "nested_field": PRODUCT_TREE,
            }.get(kind, [])
            title = label or name.removeprefix("cf_").replace("_", " ").title()
            self.added[stream].append(AddedField(ident, name, kind, title, choices, now))
        return ident

    def apply(self, stream: str, record: dict[str, Any], updated: int) -> dict[str, Any]:
        """Give `record` the keys of fields added at run time: null unless edited since."""
        with self.lock:
            added = list(self.added[stream])
        for field in added:
            keys = [field.name, *(levels_of(field.name) if field.kind == "nested_field" else ())]
            if updated < field.added:
                record["custom_fields"].update(dict.fromkeys(keys))
                continue
            rng = random.Random(f"{self.seed}/{stream}/{field.name}/{record['id']}")
            value = typed_value(field.kind, rng, field.added)
            record["custom_fields"][field.name] = value
            if field.kind == "nested_field":
                record["custom_fields"].update(nested_values(field.name, value, rng))
        return record

    def definitions(self, stream: str) -> list[dict[str, Any]]:
        """Return the account's fields: the defaults, the seeded custom ones, then those added."""
        entries = [
            (FIELD_ID_BASE + len(stream) * 1000 + position, name, kind, position * 86400)
            for position, (name, kind) in enumerate(
                DEFAULT_FIELDS[stream] + SEEDED_CUSTOM[stream], start=1
            )
        ]
        with self.lock:
            entries += [(f.ident, f.name, f.kind, f.added) for f in self.added[stream]]
        return [
            definition(stream, ident, name, kind, position=position, moment=moment)
            for position, (ident, name, kind, moment) in enumerate(entries, start=1)
        ]


def definition(
    stream: str, ident: int, name: str, kind: str, *, position: int, moment: int
) -> dict[str, Any]:
    """One field definition as the `*_fields` endpoints list it.

    Ticket fields have the keys of the real ticket fields in Airbyte source-freshdesk's
    `expected_records.jsonl`; contact and company fields those of the API reference's lists
    (`editable_in_signup`, `displayed_for_customers`). `choices` only where the field has
    some; a nested field lists its lower levels in `nested_ticket_fields`.
    """
    custom = name.startswith("cf_")
    choices: Any = DEFAULT_CHOICES.get(kind)
    if kind == "custom_dropdown":
        choices = list(REGIONS)
    elif kind == "nested_field":
        choices = PRODUCT_TREE
    label = name.removeprefix("cf_").replace("_", " ").title()
    record: dict[str, Any] = {"id": ident, "name": name, "label": label, "position": position}
    if stream == "ticket_fields":
        record |= {
            "description": f"{label} of the record" if custom else f"Ticket {name}",
            "required_for_closure": False,
            "customers_can_filter": False,
            "displayed_to_customers": True,
        }
        if name == "requester":
            record |= {"portal_cc": False, "portal_cc_to": "company"}
    else:
        record |= {"displayed_for_customers": True, "editable_in_signup": name in {"name", "email"}}
    if stream == "contact_fields" and not custom:
        # Accounts on the 2022 Contacts and Companies experience (API reference example).
        record |= {
            "agents_can_edit": True,
            "displayed_for_agents": True,
            "quick_add_for_agent": False,
            "unique": False,
        }
    record |= {
        "type": kind,
        "default": not custom,
        "required_for_agents": name in {"requester", "subject", "name", "email"},
        "required_for_customers": name in {"requester", "subject", "email"},
        "customers_can_edit": custom,
        "label_for_customers": label,
        "created_at": stamp_at(moment),
        "updated_at": stamp_at(moment),
    }
    if choices:
        record["choices"] = choices
    if kind == "nested_field":
        record["nested_ticket_fields"] = [
            {
                "id": ident * 10 + level,
                "name": level_name,
                "label": f"{label} level {level}",
                "label_in_portal": f"{label} level {level}",
                "description": None,
                "level": level,
                "ticket_field_id": ident,
                "created_at": stamp_at(moment),
                "updated_at": stamp_at(moment),
            }
            for level, level_name in enumerate(levels_of(name), start=2)
        ]
    return record
