"""Custom objects: schemas and their records, with their own envelope and token pagination.

Every shape here is from Freshdesk's API reference, "Custom Objects" (the sample answers of
"Retrieve Existing Custom Objects", "Retrieve All Records" and "Filter Records Of A Custom
Object"):

- `GET /custom_objects/schemas` answers `{"schemas": [...]}`, each schema with `id`, `name`,
  `prefix`, `version`, `created_time`/`updated_time` (epoch milliseconds) and `fields`
  (`name`, `label`, `type`: PRIMARY, TEXT, DROPDOWN, MULTI-SELECT, NUMBER, DATE, LOOKUP
  RELATIONSHIP, PARAGRAPH, DECIMAL; CHECKBOX appears in its error table).
- `GET /custom_objects/schemas/{id}/records` answers `{"records": [...], "_links": {...}}`:
  records `{display_id ("BKG-1"), created_time, updated_time, version, data, metadata}`;
  `page_size` 20 by default, at most 100; pages only in sequence, through `_links.next.href`,
  a path relative to `/api/v2/custom_objects` carrying `next_token`; sorted by created time.
- Filters `{field}[gte]=…` (and `[gt]`, `[lt]`, `[lte]`, `=`); `created_time`/`updated_time`
  take `YYYY-MM-DDTHH:mm:ss.SSSZ`. Only the system time filters are modelled here.

Not documented, chosen here: the last page has no `_links.next`; a token is opaque.
"""

from __future__ import annotations

import base64
import re
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tests.simulator.clock import EPOCH, HISTORY_SECONDS
from tests.simulator.routes import CUSTOM_OBJECT_RECORDS, CUSTOM_OBJECT_SCHEMAS
from tests.simulator.seeded import rng_for, sentence

SCHEMA_ID_BASE = 43_000_000_030
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
TIME_FILTER = re.compile(r"^(created_time|updated_time)\[(gte|gt|lte|lt)\]$")
#: (name, label, type) of each field a seeded schema defines; the first is its PRIMARY field.
FIELDS = (
    ("reference", "Reference", "PRIMARY"),
    ("customer_name", "Customer Name", "TEXT"),
    ("notes", "Notes", "PARAGRAPH"),
    ("status", "Status", "DROPDOWN"),
    ("nights", "Nights", "NUMBER"),
    ("amount_paid", "Amount Paid", "DECIMAL"),
    ("check_in", "Check In", "DATE"),
    ("is_member", "Is Member", "CHECKBOX"),
)
STATUSES = ("Booked", "Cancelled", "Completed")
NAMES = ("Bookings", "Orders", "Assets", "Warranties", "Subscriptions")


class InvalidQuery(ValueError):
    """A refused query parameter: (name, message)."""


def _ms(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1000)


def _parse_ms(text: str) -> int | None:
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return _ms(moment)


class CustomObjects:
    """The account's custom object schemas and records; records derived from (seed, n)."""

    def __init__(self, seed: int, schemas: int, records: int) -> None:
        self.seed = seed
        self.records_per_schema = records
        self.lock = threading.Lock()
        self.schemas: list[dict[str, Any]] = [self._schema(k) for k in range(1, schemas + 1)]
        #: (schema id, record number) → updated_time of records edited at run time.
        self.edits: dict[tuple[int, int], int] = {}
        self.counts = {s["id"]: records for s in self.schemas}

    def _schema(self, number: int, name: str | None = None) -> dict[str, Any]:
        created = _ms(EPOCH) + number * 86_400_000
        name = name or NAMES[(number - 1) % len(NAMES)]
        return {
            "name": name,
            "prefix": name[:3].upper(),
            "title": None,
            "description": None,
            "version": 1,
            "deleted": False,
            "id": SCHEMA_ID_BASE + number,
            "created_time": created,
            "updated_time": created,
            "fields": [
                {
                    "id": f"{number:08x}-0000-4000-8000-{position:012x}",
                    "name": field,
                    "label": label,
                    "type": kind,
                    "position": position,
                    "required": kind == "PRIMARY",
                    "editable": True,
                    "visible": True,
                    "deleted": False,
                    "placeholder": None,
                    "hint": None,
                    "filterable": kind in ("PRIMARY", "TEXT", "NUMBER", "DATE", "DROPDOWN"),
                    "searchable": kind in ("PRIMARY", "TEXT"),
                    "parent_id": None,
                    "choices": (
                        [
                            {"id": i + 1, "value": v, "position": i + 1}
                            for i, v in enumerate(STATUSES)
                        ]
                        if kind == "DROPDOWN"
                        else []
                    ),
                }
                for position, (field, label, kind) in enumerate(FIELDS, start=1)
            ],
        }

    def add_schema(self, name: str, records: int, now_ms: int) -> dict[str, Any]:
        """Create a custom object now, as an admin would, with `records` records created now."""
        with self.lock:
            schema = self._schema(len(self.schemas) + 1, name)
            schema["created_time"] = schema["updated_time"] = now_ms
            self.schemas.append(schema)
            self.counts[schema["id"]] = records
            for number in range(1, records + 1):
                self.edits[schema["id"], number] = now_ms
        return schema

    def edit(self, schema_id: int, number: int, now_ms: int) -> str:
        """Edit record `number` of a schema now; return its display_id."""
        with self.lock:
            if not 1 <= number <= self.counts.get(schema_id, 0):
                raise KeyError(f"no record {number} of custom object {schema_id}")
            self.edits[schema_id, number] = now_ms
        return str(self.record(schema_id, number)["display_id"])

    def record(self, schema_id: int, number: int) -> dict[str, Any]:
        """Record `number` of a schema, as the records list serves it."""
        schema = next(s for s in self.schemas if s["id"] == schema_id)
        rng = rng_for(self.seed, f"custom_object/{schema_id}", number)
        span = HISTORY_SECONDS * 1000 // max(self.records_per_schema, 1)
        created = schema["created_time"] + number * span + rng.randint(0, 999)
        updated = created + rng.randint(0, 20 * 86_400_000)
        with self.lock:
            edited = self.edits.get((schema_id, number))
        version = 1 + (updated != created)
        if edited is not None:
            created = min(created, edited)
            updated, version = edited, version + 1
        check_in = datetime.fromtimestamp(created / 1000, UTC).date().isoformat()
        return {
            "display_id": f"{schema['prefix']}-{number}",
            "created_time": created,
            "updated_time": updated,
            "version": version,
            "data": {
                "reference": f"{schema['prefix']}{number:05d}",
                "customer_name": sentence(rng, 2),
                "notes": rng.choice((None, sentence(rng, 8))),
                "status": rng.choice(STATUSES),
                "nights": rng.choice((None, rng.randint(1, 14))),
                "amount_paid": rng.choice((None, round(rng.uniform(10, 900), 2))),
                "check_in": rng.choice((None, check_in)),
                "is_member": rng.random() < 0.4,
            },
            "metadata": {"primary_field_name": "reference"},
        }

    def all_records(self, schema_id: int) -> list[dict[str, Any]]:
        """Every record of a schema, in created-time order (the list's default sort)."""
        records = [self.record(schema_id, n) for n in range(1, self.counts[schema_id] + 1)]
        return sorted(records, key=lambda r: (r["created_time"], r["display_id"]))

    def answer(self, route: str, query: dict[str, str]) -> dict[str, Any] | None:
        """Return the body of GET `route` when it is a custom objects URL, else None.

        Raises KeyError for an unknown schema, InvalidQuery for a refused parameter.
        """
        if route.rstrip("/") == CUSTOM_OBJECT_SCHEMAS:
            for name in query:
                raise InvalidQuery(name)
            return {"schemas": [dict(s) for s in self.schemas]}
        found = CUSTOM_OBJECT_RECORDS.match(route)
        if found is None:
            return None
        schema_id = int(found.group(1))
        if schema_id not in self.counts:
            raise KeyError(schema_id)
        size, offset, bounds = self._records_query(query)
        records = [
            r
            for r in self.all_records(schema_id)
            if all(_compare(r[field], op, value) for field, op, value in bounds)
        ]
        page = records[offset : offset + size]
        base = {k: v for k, v in query.items() if k not in ("next_token", "prev_token")}
        # Links are relative to /api/v2/custom_objects, as in the reference's samples.
        links: dict[str, Any] = {"count": {"href": f"/schemas/{schema_id}/records/count"}}
        if offset + size < len(records):
            token = base64.urlsafe_b64encode(f"o{offset + size}".encode()).decode()
            following = urlencode({**base, "prev_token": "", "next_token": token})
            links["next"] = {"href": f"/schemas/{schema_id}/records?{following}"}
        return {"records": page, "_links": links}

    @staticmethod
    def _records_query(query: dict[str, str]) -> tuple[int, int, list[tuple[str, str, int]]]:
        """(page size, offset, time bounds) of a records query."""
        size = DEFAULT_PAGE_SIZE
        offset = 0
        bounds: list[tuple[str, str, int]] = []
        for name, value in query.items():
            if name == "page_size":
                if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
                    raise InvalidQuery(name)
                size = int(value)
            elif name == "next_token":
                try:
                    offset = int(base64.urlsafe_b64decode(value.encode()).decode()[1:])
                except ValueError:
                    raise InvalidQuery(name) from None
            elif name == "prev_token":
                continue
            elif (found := TIME_FILTER.match(name)) is not None:
                moment = _parse_ms(value)
                if moment is None:
                    raise InvalidQuery(name)
                bounds.append((found.group(1), found.group(2), moment))
            else:
                raise InvalidQuery(name)
        return size, offset, bounds


def _compare(value: int, op: str, bound: int) -> bool:
    return {
        "gte": value >= bound,
        "gt": value > bound,
        "lte": value <= bound,
        "lt": value < bound,
    }[op]
