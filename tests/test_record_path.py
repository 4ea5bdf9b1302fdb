"""The SDK's extension points still apply when records skip its conform and deselection walks.

tap_freshdesk.record_path sends records the walks would not change straight to the stream maps:
these tests hold stream maps, deselected properties and the walks' own conversions to account.
"""

from __future__ import annotations

import json
import tempfile

import pytest

from tap_freshdesk.record_path import RecordShortcut
from tests.harness import catalog_selecting, run_tap


@pytest.mark.simulator(tickets=20)
def test_stream_maps_still_rename_drop_and_add_properties(simulator, config):
    maps = {
        "tickets": {"subject": None, "title": "subject", "priority_x2": "priority * 2"},
        "conversations": {"__alias__": "ticket_replies"},
    }
    run = run_tap({**config, "stream_maps": maps}, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    tickets = run.records("tickets")
    assert tickets
    truth = {t["id"]: t for t in simulator.truth("tickets")}
    for ticket in tickets:
        assert "subject" not in ticket
        assert ticket["title"] == truth[ticket["id"]]["subject"]
        assert ticket["priority_x2"] == truth[ticket["id"]]["priority"] * 2
    assert run.records("ticket_replies") and not run.records("conversations")


@pytest.mark.simulator(tickets=20)
def test_deselected_properties_are_left_out(simulator, config):
    catalog = catalog_selecting(["tickets"])
    for entry in catalog["streams"]:
        if entry["tap_stream_id"] == "tickets":
            for meta in entry["metadata"]:
                if meta["breadcrumb"] in (["properties", "description"], ["properties", "tags"]):
                    meta["metadata"]["selected"] = False
    run = run_tap(config, args=("--catalog", _write(catalog)))

    records = run.records("tickets")
    assert run.returncode == 0, run.stderr
    assert records
    assert not any("description" in r or "tags" in r for r in records)
    assert all("subject" in r for r in records)


def _write(catalog) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(catalog, file)
    return file.name


SCHEMA = {
    "type": "object",
    "additionalProperties": True,
    "properties": {
        "id": {"type": "integer"},
        "spam": {"type": ["boolean", "null"]},
        "score": {"type": ["number", "null"]},
        "stats": {"type": ["object", "null"], "properties": {"late": {"type": "boolean"}}},
        "flag": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
    },
}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": 1, "spam": False, "score": 1.5, "extra": "kept"}, True),
        ({"id": 1, "spam": 0}, False),  # the SDK would make it False
        ({"id": 1, "flag": 1}, False),  # the SDK would make it True
        ({"id": 1, "stats": {"late": 0}}, True),  # nested: left alone at ROOT_ONLY
        ({"id": 1, "score": float("nan")}, False),  # the SDK would make it null
        ({"id": 1, "at": object()}, False),  # not JSON: the SDK decides
    ],
)
def test_only_records_the_walks_would_not_change_take_the_shortcut(record, expected):
    assert RecordShortcut.plan(SCHEMA, {(): True}).applies(record) is expected


def test_a_deselected_property_or_a_closed_schema_disables_the_shortcut():
    deselected = {(): True, ("properties", "spam"): False}
    assert not RecordShortcut.plan(SCHEMA, deselected).applies({"id": 1})
    closed = {**SCHEMA, "additionalProperties": False}
    assert not RecordShortcut.plan(closed, {(): True}).applies({"id": 1, "extra": 2})
    assert RecordShortcut.plan(closed, {(): True}).applies({"id": 1})
