"""Custom fields typed from the account's own field definitions, nested or flattened."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tap_freshdesk.records.custom_fields import Flattening
from tests.harness import TAP, run_tap

JSON_TYPES = {
    "custom_text": ("string", None),
    "custom_paragraph": ("string", None),
    "custom_dropdown": ("string", None),
    "nested_field": ("string", None),
    "custom_number": ("integer", None),
    "custom_decimal": ("number", None),
    "custom_checkbox": ("boolean", None),
    "custom_date": ("string", "date"),
    "custom_date_time": ("string", "date-time"),
}
ENTITIES = {"tickets": "ticket_fields", "contacts": "contact_fields", "companies": "company_fields"}


def discover(config: dict) -> dict:
    """The catalog `tap-freshdesk --discover` prints for this config."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        done = subprocess.run(
            [TAP, "--config", str(path), "--discover"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    return {s["tap_stream_id"]: s for s in json.loads(done.stdout)["streams"]}


def expected_types(simulator, fields_stream: str) -> dict[str, tuple[str, str | None]]:
    """What each custom field of the simulated account should become, levels included."""
    expected = {}
    for definition in simulator.truth(fields_stream):
        if definition["default"]:
            continue
        expected[definition["name"]] = JSON_TYPES[definition["type"]]
        for level in definition.get("nested_ticket_fields") or []:
            expected[level["name"]] = ("string", None)
    return expected


def described(prop: dict) -> tuple[str, str | None]:
    return next(t for t in prop["type"] if t != "null"), prop.get("format")


@pytest.mark.simulator(tickets=40)
def test_discovery_types_every_custom_field_from_the_definitions(simulator, config):
    catalog = discover(config)

    for stream, fields_stream in ENTITIES.items():
        custom = catalog[stream]["schema"]["properties"]["custom_fields"]
        actual = {name: described(prop) for name, prop in custom["properties"].items()}
        assert actual == expected_types(simulator, fields_stream), stream
        assert custom["additionalProperties"] is True
    kinds = {d["type"] for d in simulator.truth("ticket_fields") if not d["default"]}
    assert kinds >= set(JSON_TYPES), "the simulator no longer defines every type"


@pytest.mark.simulator(tickets=60)
def test_records_conform_to_the_typed_schema(simulator, config):
    run = run_tap(config, streams=list(ENTITIES))

    assert run.returncode == 0, run.stderr
    schemas = {m["stream"]: m["schema"] for m in run.messages if m["type"] == "SCHEMA"}
    for stream in ENTITIES:
        validator = Draft7Validator(schemas[stream], format_checker=Draft7Validator.FORMAT_CHECKER)
        records = run.records(stream)
        assert records
        for record in records:
            errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(record)]
            assert not errors, (stream, record["id"], errors)
        typed = [r["custom_fields"] for r in records if r["custom_fields"]]
        assert any(isinstance(v, bool) for cf in typed for v in cf.values())


@pytest.mark.simulator(tickets=30)
def test_flattening_lifts_custom_fields_to_typed_columns(simulator, config):
    flat = {**config, "flatten_custom_fields": True}
    catalog = discover(flat)
    run = run_tap(flat, streams=["tickets", "contacts"])

    assert run.returncode == 0, run.stderr
    expected = expected_types(simulator, "ticket_fields")
    properties = catalog["tickets"]["schema"]["properties"]
    assert {name: described(properties[name]) for name in expected} == expected
    truth = {t["id"]: t for t in simulator.truth("tickets")}
    for record in run.records("tickets"):
        for name in expected:
            assert record.get(name) == truth[record["id"]]["custom_fields"].get(name)
        assert not set(expected) & set(record.get("custom_fields") or {})


def test_flattened_names_never_clash_with_standard_fields():

    plan = Flattening.plan(["email", "cf_email", "cf_region"], standard={"email", "cf_email"})

    assert plan.columns == {
        "email": "cf_email_2",
        "cf_email": "cf_email_3",
        "cf_region": "cf_region",
    }


@pytest.mark.simulator(tickets=30)
def test_a_field_added_between_runs_appears_without_breaking_the_first_schema(simulator, config):
    first = run_tap(config, streams=["tickets"])
    assert first.returncode == 0, first.stderr
    old_schema = next(m["schema"] for m in first.messages if m["type"] == "SCHEMA")

    simulator.add_custom_field("ticket", "cf_escalations", "custom_number")
    ticket = simulator.truth("tickets")[0]["id"]
    simulator.update_ticket(ticket)
    second = run_tap(config, state=first.state, streams=["tickets"])

    assert second.returncode == 0, second.stderr
    new_schema = next(m["schema"] for m in second.messages if m["type"] == "SCHEMA")
    old_custom = old_schema["properties"]["custom_fields"]["properties"]
    new_custom = new_schema["properties"]["custom_fields"]["properties"]
    assert new_custom["cf_escalations"]["type"][0] == "integer"
    assert {k: new_custom[k] for k in old_custom} == old_custom
    updated = next(r for r in second.records("tickets") if r["id"] == ticket)
    assert isinstance(updated["custom_fields"]["cf_escalations"], int)


@pytest.mark.simulator(tickets=10, disabled_features={"ticket_fields"})
def test_unreadable_definitions_leave_custom_fields_untyped_with_a_warning(simulator, config):
    catalog = discover(config)

    custom = catalog["tickets"]["schema"]["properties"]["custom_fields"]
    assert custom["properties"] == {}
    assert custom["additionalProperties"] is True
    run = run_tap(config, streams=["tickets"])
    assert run.returncode == 0, run.stderr
    assert "Custom fields stay untyped: could not read ticket_fields" in run.stderr
    assert run.records("tickets")[0]["custom_fields"]
