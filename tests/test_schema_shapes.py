"""Every stream's schema in shapes every Singer SDK target can read.

SDK-built SQL targets pick each column's type from a property's `type`. Some releases still
installed from Meltano Hub and PyPI (MeltanoLabs target-sqlite 0.7.0, target-sqlite 0.2.0 on
PyPI) fail on the SCHEMA message when a property has an `anyOf` beside a `description` instead
of a `type` (issue 25, item 2). A type list (`["array", "object", "null"]`) says the same and
every target reads it, so the schemas use only type lists.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_custom_objects import discover

#: Keywords that combine or point to other schemas: a property must say its type itself.
COMBINERS = ("anyOf", "oneOf", "allOf", "not", "$ref")
JSON_TYPES = {"string", "integer", "number", "boolean", "array", "object", "null"}


def unreadable(schema: Any, path: str) -> list[str]:
    """The paths, at any depth, whose schema combines others or names no JSON type."""
    if not isinstance(schema, dict):
        return [f"{path}: not an object"]
    found = [f"{path}: {word}" for word in COMBINERS if word in schema]
    types = schema.get("type")
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or not names or not set(names) <= JSON_TYPES:
        found.append(f"{path}: type {types!r}")
    for name, child in (schema.get("properties") or {}).items():
        found += unreadable(child, f"{path}.{name}")
    if "items" in schema:
        found += unreadable(schema["items"], f"{path}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        found += unreadable(schema["additionalProperties"], f"{path}.*")
    return found


@pytest.mark.simulator(tickets=10, custom_object_schemas=2, custom_object_records=5)
def test_every_discovered_property_states_its_type_without_anyof(simulator, config):
    catalog = discover(config)

    assert len(catalog["streams"]) > 36
    problems = [
        problem
        for entry in catalog["streams"]
        for problem in unreadable(entry["schema"], entry["tap_stream_id"])
    ]
    assert problems == []


def test_the_offline_catalog_states_every_type_without_anyof():
    catalog = discover({})

    problems = [
        problem
        for entry in catalog["streams"]
        for problem in unreadable(entry["schema"], entry["tap_stream_id"])
    ]
    assert problems == []
