"""The typed columns `bigquery-tables` builds from a stream's schema, and the tally's counts.

The schema is the tap's own: the tickets schema of `tap_freshdesk/schemas/`, its
`custom_fields` typed by the tap's `custom_properties` from field definitions of each type.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tap_freshdesk import schemas
from tap_freshdesk.records.custom_fields import custom_properties, typed_object
from tap_freshdesk.warehouse.columns import columns
from tap_freshdesk.warehouse.refresh import choice_labels
from tap_freshdesk.warehouse.tally import pass_through

pytestmark = pytest.mark.unit

DEFINITIONS = [
    {"name": "cf_region", "type": "custom_dropdown"},
    {"name": "cf_seats", "type": "custom_number"},
    {"name": "cf_discount", "type": "custom_decimal"},
    {"name": "cf_vip", "type": "custom_checkbox"},
    {"name": "cf_renewal", "type": "custom_date"},
    {"name": "cf_callback_at", "type": "custom_date_time"},
    {"name": "cf_product", "type": "nested_field", "nested_ticket_fields": [{"name": "cf_model"}]},
]


def tickets_schema() -> dict:
    schema = json.loads((Path(schemas.__file__).parent / "tickets.json").read_text())
    untyped = schema["properties"]["custom_fields"]
    schema["properties"]["custom_fields"] = typed_object(custom_properties(DEFINITIONS), untyped)
    return schema


def test_custom_fields_become_typed_columns_one_level_down():
    typed = {c.name: c.type for c in columns(tickets_schema())}
    assert {name: kind for name, kind in typed.items() if name.startswith("custom_fields__")} == {
        "custom_fields__cf_region": "STRING",
        "custom_fields__cf_seats": "INT64",
        "custom_fields__cf_discount": "FLOAT64",
        "custom_fields__cf_vip": "BOOL",
        "custom_fields__cf_renewal": "DATE",
        "custom_fields__cf_callback_at": "TIMESTAMP",
        "custom_fields__cf_product": "STRING",
        "custom_fields__cf_model": "STRING",
    }


def test_standard_fields_keep_their_json_types_arrays_stay_json():
    typed = {c.name: c.type for c in columns(tickets_schema())}
    assert typed["id"] == typed["status"] == "INT64"
    assert typed["updated_at"] == typed["stats__resolved_at"] == "TIMESTAMP"
    assert typed["deleted"] == typed["spam"] == "BOOL"
    assert typed["tags"] == "JSON"
    assert "custom_fields" not in typed and "stats" not in typed


def test_a_property_named_like_a_column_every_table_has_gets_another_name():
    schema = {"properties": {"data": {"type": ["object", "null"]}, "Data": {"type": "string"}}}
    assert [(c.name, c.path) for c in columns(schema)] == [
        ("data_2", ("data",)),
        ("Data_3", ("Data",)),
    ]


def test_choices_read_in_both_shapes_freshdesk_gives():
    assert choice_labels({"2": ["Open", "Being Processed"], "5": ["Closed", "Closed"]}) == {
        2: "Open",
        5: "Closed",
    }
    assert choice_labels(json.dumps({"Low": 1, "Urgent": 4})) == {1: "Low", 4: "Urgent"}


def test_tally_passes_every_line_through_and_counts_records_per_stream():
    lines = [
        {
            "type": "SCHEMA",
            "stream": "tickets",
            "schema": {"properties": {}},
            "key_properties": ["id"],
        },
        {"type": "RECORD", "stream": "tickets", "record": {"id": 1, "stream": "x"}},
        {"type": "RECORD", "stream": "tickets", "record": {"id": 2}},
        {"type": "STATE", "value": {}},
        {"type": "RECORD", "stream": "contacts", "record": {"id": 3}},
    ]
    source = io.StringIO("".join(json.dumps(line) + "\n" for line in lines))
    sink = io.StringIO()
    tally = pass_through(source, sink)
    assert sink.getvalue() == source.getvalue()
    assert tally["records"] == {"tickets": 2, "contacts": 1}
    assert tally["schemas"]["tickets"]["key_properties"] == ["id"]
