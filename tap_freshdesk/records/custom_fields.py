"""Custom fields typed from the account's own field definitions.

Freshdesk returns a record's custom fields as one `custom_fields` object whose values have
whatever type the field's definition says (`custom_number` → integer, `custom_checkbox` →
boolean, …). Left untyped, a warehouse gets one opaque JSON column; typed from
`ticket_fields`, `contact_fields` and `company_fields`, it gets real columns. The definitions
are read at discovery and at the start of each sync, so a field added to the account appears
without editing anything.
"""

from __future__ import annotations

import copy
import typing as t
from dataclasses import dataclass

if t.TYPE_CHECKING:
    from collections.abc import Callable

    from singer_sdk.mapper import PluginMapper

Schema = dict[str, t.Any]

#: Nullable JSON schemas of the value types custom fields (and custom objects' fields) hold.
STRING: Schema = {"type": ["string", "null"]}
INTEGER: Schema = {"type": ["integer", "null"]}
NUMBER: Schema = {"type": ["number", "null"]}
BOOLEAN: Schema = {"type": ["boolean", "null"]}
DATE: Schema = {"type": ["string", "null"], "format": "date"}
DATE_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}

#: JSON schema of a value per definition `type`; any type not listed (Freshdesk adds new ones:
#: `custom_url`, `custom_phone_number`, `custom_lookup`…) is a string.
VALUE_SCHEMAS: dict[str, Schema] = {
    **dict.fromkeys(("custom_text", "custom_paragraph", "custom_dropdown", "nested_field"), STRING),
    "custom_number": INTEGER,
    "custom_decimal": NUMBER,
    "custom_checkbox": BOOLEAN,
    "custom_date": DATE,
    "custom_date_time": DATE_TIME,
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
        properties[name] = dict(VALUE_SCHEMAS.get(str(definition.get("type")), STRING))
        for key in _NESTED_LEVEL_KEYS:
            for level in definition.get(key) or []:
                if isinstance(level, dict) and isinstance(level.get("name"), str):
                    properties[level["name"]] = dict(STRING)
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


class CustomFields:
    """One stream's custom fields: typed in its schema, nested or lifted to columns in records.

    The definitions are the account's at the start of this run; a catalog made earlier may
    lack fields defined since, so the catalog's schema is extended (never changed) with them.
    """

    def __init__(self, properties: dict[str, Schema], flattening: Flattening | None) -> None:
        self.properties = properties
        self.flattening = flattening
        self._extended: tuple[Schema, Schema] | None = None

    @property
    def columns(self) -> t.Collection[str]:
        """The top-level columns custom fields are lifted to; none unless flattening."""
        return self.flattening.columns.values() if self.flattening else ()

    def typed(self, schema: Schema) -> Schema:
        """Type `schema`'s custom fields in place: the nested object, or one column each."""
        properties = schema["properties"]
        if self.flattening:
            for name, column in self.flattening.columns.items():
                properties[column] = self.properties[name]
        else:
            properties["custom_fields"] = typed_object(self.properties, properties["custom_fields"])
        return schema

    def extended(self, schema: Schema, typed: Schema) -> Schema:
        """Return `schema` with the custom properties of `typed` it lacks (cached per input)."""
        if self._extended is None or self._extended[0] is not schema:
            self._extended = (schema, _extend(schema, typed, self.columns))
        return self._extended[1]

    def announce(self, mapper: PluginMapper, stream: str, typed: Schema) -> None:
        """Add custom fields defined since the input catalog was made to the SCHEMA messages.

        The SDK announces a catalogued stream with the catalog's schema; a field an admin
        added since would otherwise reach the target only as an untyped key.
        """
        if stream not in mapper.stream_maps:
            return
        primary = mapper.stream_maps[stream][0]
        extended = _extend(primary.raw_schema, typed, self.columns)
        if extended != primary.raw_schema:
            mapper.register_raw_stream_schema(stream, extended, primary.raw_key_properties)

    def conform(self, record: dict[str, t.Any], known_columns: Callable[[], Schema]) -> None:
        """Type the record's custom values and, when flattening, lift them to their columns."""
        values = record.get("custom_fields")
        if isinstance(values, dict):
            coerce(values, self.properties)
            if self.flattening:
                self.flattening.lift(record, known_columns())


def _extend(schema: Schema, typed: Schema, columns: t.Iterable[str]) -> Schema:
    """Return `schema` with the custom `columns` and custom_fields properties it lacks."""
    extended = copy.deepcopy(schema)
    properties = extended.setdefault("properties", {})
    for name in columns:
        properties.setdefault(name, typed["properties"][name])
    nested = properties.get("custom_fields")
    typed_nested = typed["properties"].get("custom_fields", {}).get("properties", {})
    if isinstance(nested, dict) and typed_nested:
        for name, prop in typed_nested.items():
            nested.setdefault("properties", {}).setdefault(name, prop)
    return extended
