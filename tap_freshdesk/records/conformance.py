"""Keeping records and their SCHEMA in agreement: undeclared keys and flattened null objects."""

from __future__ import annotations

import typing as t


def is_structured_object(schema: dict[str, t.Any]) -> bool:
    """Tell whether the SDK's flattening splits this object into one column per sub-field."""
    kind = schema.get("type", ())
    return "object" in kind and "properties" in schema


def drop_null_objects(record: dict[str, t.Any], schema: dict[str, t.Any], depth: int) -> None:
    """Remove null values of declared objects the SDK's flattening will split into columns.

    With `flattening_enabled`, a declared object becomes one column per sub-field
    (`performer__type`…) down to `flattening_max_depth`, but a null object stays one key
    (`performer`) that the flattened SCHEMA lacks: loaders then drop it or fail on it. Without
    the key every sub-column reads null, which is what the null object said.
    """
    if depth <= 0:
        return
    properties = schema.get("properties", {})
    for key in [k for k, v in record.items() if v is None or isinstance(v, dict)]:
        declared = properties.get(key)
        if declared is None or not is_structured_object(declared):
            continue
        value = record[key]
        if value is None:
            del record[key]
        else:
            drop_null_objects(value, declared, depth - 1)


class UndeclaredKeys:
    """The top-level keys a stream's records carried that its SCHEMA does not declare.

    Such a value is kept in the RECORD (the schemas allow additional properties), but a target
    that creates columns from the SCHEMA drops it; each key is reported once per run so a new
    Freshdesk field is noticed and declared.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def new(self, record: dict[str, t.Any], declared: t.Collection[str]) -> list[str]:
        """Return the keys of `record` neither declared nor reported before, now reported."""
        fresh = [key for key in record if key not in declared and key not in self.seen]
        self.seen.update(fresh)
        return sorted(fresh)
