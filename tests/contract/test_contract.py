"""The tap against real-shaped payloads: every stream, at the real paths, as a target sees it.

The simulator and the tap were written from the same assumptions; these fixtures are not.
Each RECORD is checked by the SDK's own target-side validator (`JSONSchemaValidator`, what
SDK-built targets run by default before they load), so a record a target would reject fails
here first.
"""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.sinks.core import JSONSchemaValidator

from tap_freshdesk.streams import STREAM_TYPES
from tests.contract.payloads import EXCLUDED_STREAMS, fixtures, records, responses
from tests.contract.server import FixtureServer
from tests.harness import TapRun, catalog_selecting, run_tap
from tests.schema_checks import keys_outside_schema, undeclared_paths

STREAMS = sorted(set(fixtures()) - EXCLUDED_STREAMS)


def run_over_fixtures(**settings: Any) -> tuple[TapRun, FixtureServer]:
    with FixtureServer(responses()) as server:
        # The id probe would ask for every ticket id below the fixtures' (1 to 17, 19, 20),
        # paths no fixture holds; test_archive_contract.py gives it real shapes instead.
        config = {
            "api_key": "contract-key",
            "base_url": server.base_url,
            "probe_missing_tickets": False,
            "include_ticket_watchers": True,
            "include_ticket_summaries": True,
            **settings,
        }
        return run_tap(config, streams=STREAMS), server


@pytest.fixture(scope="module")
def contract_run() -> tuple[TapRun, FixtureServer]:
    return run_over_fixtures(page_size=100)


def schemas_of(run: TapRun) -> dict[str, dict[str, Any]]:
    return {m["stream"]: m["schema"] for m in run.messages if m["type"] == "SCHEMA"}


def test_every_stream_has_a_fixture_except_the_named_exclusion() -> None:
    assert {s.name for s in STREAM_TYPES} - set(fixtures()) == EXCLUDED_STREAMS


def test_sync_of_every_stream_exits_0_asking_only_for_real_paths(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, server = contract_run
    assert run.returncode == 0, run.stderr[-3000:]
    assert server.missing == []
    assert set(responses()) <= set(server.requested)


def test_every_fixture_record_reaches_the_output(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, _ = contract_run
    for stream in STREAMS:
        assert len(run.records(stream)) == len(records(stream)), stream


def test_every_record_passes_the_target_side_validator(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, _ = contract_run
    validators = {name: JSONSchemaValidator(schema) for name, schema in schemas_of(run).items()}
    for message in run.messages:
        if message["type"] == "RECORD":
            validators[message["stream"]].validate(message["record"])


def test_no_record_carries_a_key_its_schema_lacks(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, _ = contract_run
    assert keys_outside_schema(run) == {}
    assert "does not declare" not in run.stderr


def test_every_nested_field_real_records_carry_is_declared(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, _ = contract_run
    schemas = schemas_of(run)
    undeclared = {
        (message["stream"], path)
        for message in run.messages
        if message["type"] == "RECORD"
        for path in undeclared_paths(message["record"], schemas[message["stream"]])
    }
    assert undeclared == set()


def test_a_stream_is_incremental_only_on_a_key_its_real_records_carry() -> None:
    replication_keys = {
        entry["tap_stream_id"]: entry.get("replication_key")
        for entry in catalog_selecting(STREAMS)["streams"]
    }
    lacking = {
        stream: key
        for stream in STREAMS
        if (key := replication_keys[stream]) and not all(key in r for r in records(stream))
    }
    assert lacking == {}
    assert replication_keys["scenario_automations"] is None


def test_a_single_to_emails_address_arrives_as_a_one_element_array(
    contract_run: tuple[TapRun, FixtureServer],
) -> None:
    run, _ = contract_run
    by_id = {r["id"]: r for r in run.records("conversations")}
    assert by_id[67105779551]["to_emails"] == ["matt.rogers@freshdesk.com"]
    assert by_id[67105779604]["to_emails"] is None


@pytest.mark.parametrize("depth", [1, 10])
def test_flattened_records_match_their_flattened_schema(depth: int) -> None:
    run, _ = run_over_fixtures(page_size=100, flattening_enabled=True, flattening_max_depth=depth)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keys_outside_schema(run) == {}
