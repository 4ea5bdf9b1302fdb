"""Checks of a tap run's output against its own SCHEMA messages, shared by several tests."""

from __future__ import annotations

from collections import defaultdict

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
