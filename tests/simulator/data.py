"""Deterministic records: record n of a stream is a pure function of (seed, stream, n).

Nothing is generated ahead: an account of a million tickets costs one array of timestamps.
Fields the tap's schemas declare are filled from their declared types, so the simulator
serves every documented field; the fields whose meaning matters are then set by hand.
"""

from __future__ import annotations

import json
import random
from array import array
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parents[2] / "tap_freshdesk" / "schemas"
#: Seeded history runs from here over two years, long before any run-time change.
EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
HISTORY_SECONDS = 2 * 365 * 86400
#: Contact and company ids exceed 32 bits, as they do on large accounts.
CONTACT_ID_BASE = 10**10
COMPANY_ID_BASE = 5 * 10**9
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()  # noqa: SIM905

TICKET_FIELDS = [
    ("cf_region", "custom_dropdown"),
    ("cf_priority_score", "custom_number"),
    ("cf_discount", "custom_decimal"),
    ("cf_vip", "custom_checkbox"),
    ("cf_renewal", "custom_date"),
    ("cf_notes", "custom_paragraph"),
    ("cf_product_line", "nested_field"),
]
CONTACT_FIELDS = [("cf_plan", "custom_dropdown"), ("cf_signup", "custom_date")]
COMPANY_FIELDS = [("cf_tier", "custom_dropdown"), ("cf_seats", "custom_number")]
DEFAULT_FIELDS = {
    "ticket_fields": ["requester", "subject", "ticket_type", "source", "status", "priority"],
    "contact_fields": ["name", "job_title", "email", "phone"],
    "company_fields": ["name", "description", "domains"],
}


def stamp(moment: datetime) -> str:
    """Freshdesk's timestamp form."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(seconds: int) -> datetime:
    """The seeded history's moment `seconds` after EPOCH."""
    return EPOCH + timedelta(seconds=seconds)


def ticket_timeline(seed: int, count: int, burst_size: int) -> array[int]:
    """Seconds after EPOCH of each seeded ticket's `updated_at`, non-decreasing with its id.

    About a third of tickets share their second with the previous one (runs of 2 to 5), and one
    run of `burst_size` tickets shares a single second, as after a bulk update.
    """
    rng = random.Random(seed)
    gap = max(2, HISTORY_SECONDS // max(count, 1))
    burst_start = count // 2
    timeline = array("q")
    now = 0
    for index in range(count):
        in_burst = burst_start < index < burst_start + burst_size
        if not in_burst and (index == 0 or rng.random() > 0.33):
            now += rng.randint(1, 2 * gap)
        timeline.append(now)
    return timeline


@cache
def schema_properties(stream: str) -> dict[str, Any]:
    """The tap's declared properties for `stream`, the fields the simulator must serve."""
    return json.loads((SCHEMAS / f"{stream}.json").read_text())["properties"]  # type: ignore[no-any-return]


def fill(stream: str, rng: random.Random) -> dict[str, Any]:
    """Every declared field of `stream` with a value of its declared type (sometimes null)."""
    return {name: _value(spec, rng, depth=0) for name, spec in schema_properties(stream).items()}


def _value(spec: dict[str, Any], rng: random.Random, depth: int) -> Any:  # noqa: PLR0911 - one return per JSON type
    if "anyOf" in spec:
        return None
    types = spec.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    if "null" in types and rng.random() < 0.15:
        return None
    kind = next((t for t in types if t != "null"), None)
    if kind == "integer":
        return rng.randint(1, 10**6)
    if kind == "number":
        return round(rng.uniform(-1, 1), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        if spec.get("format") == "date-time":
            return stamp(at(rng.randint(0, HISTORY_SECONDS)))
        if spec.get("format") == "date":
            return at(rng.randint(0, HISTORY_SECONDS)).date().isoformat()
        return " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    if kind == "array":
        items = spec.get("items", {})
        if depth > 1 or not items.get("type"):
            return []
        return [
            _value({**items, "type": _non_null(items)}, rng, depth + 1)
            for _ in range(rng.randint(0, 2))
        ]
    if kind == "object":
        props = spec.get("properties", {})
        return {k: _value(v, rng, depth + 1) for k, v in props.items()} if depth < 2 else {}
    return None


def _non_null(spec: dict[str, Any]) -> list[str]:
    types = spec.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    return [t for t in types if t not in {"null", "object"}] or types


def custom_values(fields: list[tuple[str, str]], rng: random.Random) -> dict[str, Any]:
    """`cf_*` values of the types their definitions declare; null is always possible."""
    values: dict[str, Any] = {}
    for name, kind in fields:
        if rng.random() < 0.1:
            values[name] = None
        elif kind in {"custom_dropdown", "nested_field"}:
            values[name] = rng.choice(["North", "South", "East", "West"])
        elif kind == "custom_number":
            values[name] = rng.randint(0, 500)
        elif kind == "custom_decimal":
            values[name] = round(rng.uniform(0, 100), 2)
        elif kind == "custom_checkbox":
            values[name] = rng.random() < 0.5
        elif kind == "custom_date":
            values[name] = at(rng.randint(0, HISTORY_SECONDS)).date().isoformat()
        else:
            values[name] = " ".join(rng.choices(WORDS, k=3))
    return values


def field_definitions(stream: str, custom: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The account's field definitions: the default fields, then the custom `cf_*` ones."""
    rng = random.Random(stream)
    names = [(name, f"default_{name}") for name in DEFAULT_FIELDS[stream]] + custom
    records = []
    for position, (name, kind) in enumerate(names, start=1):
        record = fill(stream, rng)
        moment = stamp(at(position * 86400))
        choices: Any = None
        if kind == "custom_dropdown":
            choices = ["North", "South", "East", "West"]
        elif kind in {"default_status", "nested_field"}:
            choices = (
                {"North": {"Paris": ["1"]}}
                if kind == "nested_field"
                else {"2": ["Open", "Being Processed"]}
            )
        record.update(
            id=position * 1000 + len(stream),
            name=name,
            label=name.removeprefix("cf_").title(),
            type=kind,
            position=position,
            default=not name.startswith("cf_"),
            choices=choices,
            created_at=moment,
            updated_at=moment,
        )
        records.append(record)
    return records
