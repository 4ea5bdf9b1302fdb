"""Custom objects: each object a stream of its own, typed from its schema, read incrementally."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.harness import TAP, run_tap

ACCOUNT = {"tickets": 10, "custom_object_schemas": 2, "custom_object_records": 130}


def discover(config: dict[str, Any]) -> dict[str, Any]:
    """The catalog `tap-freshdesk --discover` prints for this account."""
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
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def run_selecting(config, catalog, streams, state=None):
    """Run the tap with `catalog`, only `streams` selected."""
    catalog = json.loads(json.dumps(catalog))
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if not metadata["breadcrumb"]:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.json"
        path.write_text(json.dumps(catalog))
        return run_tap(config, state=state, args=("--catalog", str(path)))


def object_streams(catalog) -> dict[str, dict[str, Any]]:
    return {
        e["tap_stream_id"]: e
        for e in catalog["streams"]
        if e["tap_stream_id"].startswith("custom_object_")
    }


@pytest.mark.simulator(**ACCOUNT)
def test_each_custom_object_is_a_stream_with_data_typed_from_its_fields(simulator, config):
    streams = object_streams(discover(config))

    assert set(streams) == {"custom_object_bookings", "custom_object_orders"}
    entry = streams["custom_object_bookings"]
    assert entry["key_properties"] == ["display_id"]
    assert entry["replication_key"] == "updated_at"
    data = entry["schema"]["properties"]["data"]["properties"]
    assert data["reference"]["type"] == ["string", "null"]  # PRIMARY
    assert data["nights"]["type"] == ["integer", "null"]  # NUMBER
    assert data["amount_paid"]["type"] == ["number", "null"]  # DECIMAL
    assert data["is_member"]["type"] == ["boolean", "null"]  # CHECKBOX
    assert data["check_in"] == {"type": ["string", "null"], "format": "date"}  # DATE


@pytest.mark.simulator(**ACCOUNT)
def test_full_then_incremental_sync_emits_every_record_then_only_the_changed(simulator, config):
    catalog = discover(config)
    names = sorted(object_streams(catalog))
    truth = {s["name"]: s for s in simulator.account.custom_objects.schemas}
    first = run_selecting(config, catalog, names)
    assert first.returncode == 0, first.stderr

    records = simulator.custom_object_truth()
    for name in names:
        schema_id = truth[name.removeprefix("custom_object_").title()]["id"]
        emitted = first.records(name)
        assert sorted(r["display_id"] for r in emitted) == sorted(
            r["display_id"] for r in records[schema_id]
        )
        assert all(r["schema_id"] == schema_id and r["updated_at"] for r in emitted)
    pages = [r for r in simulator.request_log if r.path.endswith("/records")]
    assert len(pages) == 4, "two pages of 100 per object, through next_token"
    assert all("page" not in r.query and r.query["page_size"] == "100" for r in pages)

    bookings = truth["Bookings"]["id"]
    edited = simulator.edit_custom_object_record(bookings, 7)
    second = run_selecting(config, catalog, names, state=first.state)
    assert second.returncode == 0, second.stderr

    for name in names:
        bookmark = first.state["bookmarks"][name]["replication_key_value"]
        again = [r for r in second.records(name) if r["display_id"] != edited]
        assert all(r["updated_at"] == bookmark for r in again), "only the bookmark's second"
    assert edited in [r["display_id"] for r in second.records("custom_object_bookings")]
    last = [r for r in simulator.request_log if r.path.endswith("/records")][-1]
    assert last.query["updated_time[gte]"].endswith(".000Z"), "filtered on the server"


@pytest.mark.simulator(**ACCOUNT)
def test_a_custom_object_created_between_runs_appears_at_the_next_discovery(simulator, config):
    assert "custom_object_assets" not in object_streams(discover(config))
    simulator.add_custom_object("Assets", records=3)

    catalog = discover(config)
    assert "custom_object_assets" in object_streams(catalog)
    run = run_selecting(config, catalog, ["custom_object_assets"])
    assert sorted(r["display_id"] for r in run.records("custom_object_assets")) == [
        "ASS-1",
        "ASS-2",
        "ASS-3",
    ]


@pytest.mark.simulator(**ACCOUNT)
def test_an_account_without_custom_objects_is_warned_about_once_at_discovery(simulator, config):
    simulator.configure(disabled_features={"custom_objects"})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config))
        done = subprocess.run(
            [TAP, "--config", str(path), "--discover"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Custom objects are not extracted") == 1
    catalog = json.loads(done.stdout)
    assert not object_streams(catalog)
    assert "tickets" in {e["tap_stream_id"] for e in catalog["streams"]}


@pytest.mark.simulator(**ACCOUNT)
def test_a_sync_selecting_no_custom_object_never_asks_for_them(simulator, config):
    run = run_tap(config, streams=["agents"])

    assert run.returncode == 0, run.stderr
    assert not [r for r in simulator.request_log if r.path.startswith("/api/v2/custom_objects")]
