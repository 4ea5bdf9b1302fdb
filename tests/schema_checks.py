"""Checks of a tap run's output against its own SCHEMA messages, shared by several tests."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.harness import TapRun


def keys_outside_schema(run: TapRun) -> dict[str, set[str]]:
    """Per stream, the top-level RECORD keys its SCHEMA does not declare: the values a target
    that builds one column per declared property (flattened or not) drops."""
    declared = {
        m["stream"]: set(m["schema"]["properties"]) for m in run.messages if m["type"] == "SCHEMA"
    }
    outside: dict[str, set[str]] = defaultdict(set)
    for message in run.messages:
        if message["type"] == "RECORD":
            outside[message["stream"]] |= set(message["record"]) - declared[message["stream"]]
    return {stream: keys for stream, keys in outside.items() if keys}


def undeclared_paths(value: Any, schema: dict[str, Any], path: str = "") -> set[str]:
    """The paths of `value`'s object keys, at any depth, that `schema` does not declare.

    Objects the schema leaves open (no `properties`: maps keyed by data, such as custom fields
    or ratings by question) are not looked into; their values follow `additionalProperties`
    where it is a schema.
    """
    found: set[str] = set()
    if isinstance(value, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties and key in properties:
                found |= undeclared_paths(item, properties[key], f"{path}.{key}")
            elif properties:
                found.add(f"{path}.{key}")
            elif isinstance(extra, dict):
                found |= undeclared_paths(item, extra, f"{path}.*")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            found |= undeclared_paths(item, schema["items"], f"{path}[]")
    return found
