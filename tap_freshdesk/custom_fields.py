"""Custom fields typed from the account's own field definitions.

Freshdesk returns a record's custom fields as one `custom_fields` object whose values have
whatever type the field's definition says (`custom_number` → integer, `custom_checkbox` →
boolean, …). Left untyped, a warehouse gets one opaque JSON column; typed from
`ticket_fields`, `contact_fields` and `company_fields`, it gets real columns. The definitions
are read at discovery and at the start of each sync, so a field added to the account appears
without editing anything.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

Schema = dict[str, t.Any]

_STRING: Schema = {"type": ["string", "null"]}

#: JSON schema of a value per definition `type`; any type not listed (Freshdesk adds new ones:
#: `custom_url`, `custom_phone_number`, `custom_lookup`…) is a string.
VALUE_SCHEMAS: dict[str, Schema] = {
    "custom_text": _STRING,
    "custom_paragraph": _STRING,
    "custom_dropdown": _STRING,
    "nested_field": _STRING,
    "custom_number": {"type": ["integer", "null"]},
    "custom_decimal": {"type": ["number", "null"]},
    "custom_checkbox": {"type": ["boolean", "null"]},
    "custom_date": {"type": ["string", "null"], "format": "date"},
    "custom_date_time": {"type": ["string", "null"], "format": "date-time"},
}

#: Where a definition keeps the names of a nested (dependent) field's lower levels.
_NESTED_LEVEL_KEYS = ("nested_ticket_fields", "nested_fields", "dependent_fields")


def custom_properties(definitions: t.Iterable[dict[str, t.Any]]) -> dict[str, Schema]:
    """Return one typed property per custom field, each level of a nested field its own string.

    Default fields (`default: true`, such as `subject`) are the record's standard columns and
    are skipped; without the flag, the `cf_` prefix marks a custom field.
    """
    properties: dict[str, Schema] = {}
    for definition in definitions:
        name = definition.get("name")
        if not isinstance(name, str) or _is_default(definition, name):
            continue
        properties[name] = dict(VALUE_SCHEMAS.get(str(definition.get("type")), _STRING))
        for key in _NESTED_LEVEL_KEYS:
            for level in definition.get(key) or []:
                if isinstance(level, dict) and isinstance(level.get("name"), str):
                    properties[level["name"]] = dict(_STRING)
    return properties


def _is_default(definition: dict[str, t.Any], name: str) -> bool:
    flag = definition.get("default")
    return bool(flag) if isinstance(flag, bool) else not name.startswith("cf_")


def typed_object(properties: dict[str, Schema], untyped: Schema) -> Schema:
    """Return the `custom_fields` schema: typed properties, any other key let through."""
    return {**untyped, "properties": properties, "additionalProperties": True}


@dataclass(frozen=True)
class Flattening:
    """Which custom field becomes which top-level column when `flatten_custom_fields` is on.

    A column is named after its field, with `cf_` in front when the name lacks it (contact and
    company fields may have plain names such as `department`). A name still clashing with a
    standard field or an earlier column gets `_2`, `_3`… in the order of the definitions, so
    the same definitions always give the same columns.
    """

    columns: dict[str, str]

    @classmethod
    def plan(cls, field_names: t.Iterable[str], standard: t.Collection[str]) -> Flattening:
        """Assign each custom field a column not used by a standard field or another column."""
        taken = set(standard)
        columns: dict[str, str] = {}
        for name in field_names:
            base = name if name.startswith("cf_") else f"cf_{name}"
            column, suffix = base, 1
            while column in taken:
                suffix += 1
                column = f"{base}_{suffix}"
            taken.add(column)
            columns[name] = column
        return cls(columns)

    def lift(self, record: dict[str, t.Any], known_columns: t.Container[str]) -> None:
        """Move custom values to their columns; fields without a known column stay nested.

        A field defined after the catalog was made has no column in it yet, so it is kept in
        `custom_fields` rather than dropped.
        """
        values = record.get("custom_fields")
        if not isinstance(values, dict):
            return
        for name, column in self.columns.items():
            if name in values and column in known_columns:
                record[column] = values.pop(name)


def coerce(values: dict[str, t.Any], properties: dict[str, Schema]) -> None:
    """Turn numbers and booleans Freshdesk sent as text into the type their field declares.

    Which custom types come back as strings is not documented consistently; a value that does
    not parse is left as it is for the target to judge.
    """
    for name, value in values.items():
        if not isinstance(value, str) or name not in properties:
            continue
        kind = properties[name]["type"][0]
        try:
            if kind == "integer":
                values[name] = int(value)
            elif kind == "number":
                values[name] = float(value)
            elif kind == "boolean" and value.lower() in {"true", "false"}:
                values[name] = value.lower() == "true"
        except ValueError:
            continue
