"""Shape comparison of two record sets: top-level keys and the JSON types of their values."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}


def json_type(value: Any) -> str:
    """The JSON type name of a parsed JSON value (booleans are not integers here)."""
    if isinstance(value, dict):
        return "object"
    return JSON_TYPES[type(value)]


def value_types(records: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per top-level key, the JSON types of its non-null values (an empty set: always null)."""
    types: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for key, value in record.items():
            types[key] |= set() if value is None else {json_type(value)}
    return dict(types)
