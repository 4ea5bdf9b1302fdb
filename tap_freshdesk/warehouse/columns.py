"""A stream's JSON schema, as the tap emits it, turned into typed BigQuery columns.

One column per property; an object's properties one level down become `parent__child`
columns (`custom_fields__cf_region`, `stats__resolved_at`), anything deeper, any array and any
property of mixed types stays JSON. Custom fields are typed because the tap types them: its
SCHEMA message lists each `cf_*` of the account's field definitions with its JSON type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: JSON schema type (and string format) → BigQuery type.
SCALARS = {"integer": "INT64", "number": "FLOAT64", "boolean": "BOOL", "string": "STRING"}
FORMATS = {"date-time": "TIMESTAMP", "date": "DATE"}
#: Columns every typed table has besides the record's: the raw record, and the load order.
RAW_COLUMN = "data"
LOAD_ORDER = (
    ("_sdc_batched_at", "TIMESTAMP"),
    ("_sdc_received_at", "TIMESTAMP"),
    ("_sdc_sequence", "INT64"),
)
#: Ticket flags a record without them does not have (false, not unknown).
FLAGS = frozenset({"deleted", "spam", "archived"})


@dataclass(frozen=True)
class Column:
    """One typed column: its name, where its value sits in the record, its BigQuery type."""

    name: str
    path: tuple[str, ...]
    type: str


def bigquery_type(schema: dict[str, Any]) -> str | None:
    """Return the BigQuery type of one property: a scalar type, "JSON", or None for an object."""
    kinds: set[str] = set()
    formats: set[str | None] = set()
    for option in [schema, *schema.get("anyOf", [])]:
        declared = option.get("type")
        named = [declared] if isinstance(declared, str) else list(declared or [])
        kinds.update(kind for kind in named if kind != "null")
        if "string" in named:
            formats.add(option.get("format"))
    if kinds == {"integer", "number"}:
        return "FLOAT64"
    if len(kinds) != 1:
        return "JSON"
    kind = kinds.pop()
    if kind == "object":
        return None
    if kind == "string" and len(formats) == 1:
        return FORMATS.get(formats.pop() or "", "STRING")
    return SCALARS.get(kind, "JSON")


def columns(schema: dict[str, Any]) -> list[Column]:
    """Return the typed columns of a stream in the schema's order, names unique (any case)."""
    found: list[Column] = []
    for name, prop in (schema.get("properties") or {}).items():
        kind = bigquery_type(prop)
        children = prop.get("properties") or {}
        if kind is None and children:
            for child, child_prop in children.items():
                child_kind = bigquery_type(child_prop) or "JSON"
                found.append(Column(f"{name}__{child}", (name, child), child_kind))
        else:
            found.append(Column(name, (name,), kind or "JSON"))
    return _unique(found)


def _unique(found: list[Column]) -> list[Column]:
    """Return the columns under names BigQuery accepts, each its own and no reserved one."""
    taken = {RAW_COLUMN, *(name for name, _ in LOAD_ORDER)}
    unique = []
    for column in found:
        if any('"' in part or "'" in part or "\\" in part for part in column.path):
            continue  # no JSONPath can name it safely; the raw `data` still holds it
        base = re.sub(r"[^A-Za-z0-9_]", "_", column.name)
        base = f"_{base}" if base[:1].isdigit() else base
        name, suffix = base, 2
        while name.lower() in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(name.lower())
        unique.append(Column(name, column.path, column.type))
    return unique
