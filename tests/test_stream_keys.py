"""Every stream has a primary key a warehouse can upsert on, stable from run to run.

Freshdesk sends no id for two streams: `settings` (one object per account) and
`ticket_activities` (export rows). Without a key, target-duckdb at its default
(`primary_key_required`) loaded nothing at all, and every other loader appended a copy per run.
The tap computes their keys: the account's host, and a documented hash of each export row.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from tap_freshdesk.records.computed_keys import with_activity_keys
from tests.harness import catalog_selecting, run_tap


def test_every_stream_declares_a_primary_key_its_schema_holds():
    for entry in catalog_selecting([])["streams"]:
        keys = entry.get("key_properties")
        assert keys, f"{entry['tap_stream_id']} has no primary key"
        assert set(keys) <= set(entry["schema"]["properties"]), entry["tap_stream_id"]


def schema_keys(run, stream):
    (keys,) = {
        tuple(m["key_properties"])
        for m in run.messages
        if m["type"] == "SCHEMA" and m["stream"] == stream
    }
    return keys


@pytest.mark.simulator(tickets=20)
def test_settings_are_keyed_by_the_accounts_host_the_same_on_every_run(simulator, config):
    runs = [run_tap(config, streams=["settings"]) for _ in range(2)]

    for run in runs:
        assert run.returncode == 0, run.stderr
        assert schema_keys(run, "settings") == ("account_host",)
        (record,) = run.records("settings")
        assert record["account_host"] == "127.0.0.1"  # the simulator's host in `base_url`
        assert record["primary_language"] == simulator.truth("settings")[0]["primary_language"]


def documented_key(row: dict, day: str, repeats_before: int) -> str:
    """The README's formula: SHA-256 of the exported row with its day, JSON with sorted keys."""
    text = json.dumps({**row, "export_date": day}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{text}\n{repeats_before}".encode()).hexdigest()


@pytest.mark.simulator(tickets=90)
def test_activity_keys_are_the_documented_hash_distinct_and_the_same_when_read_again(
    simulator, config
):
    first = run_tap(config, streams=["ticket_activities"])
    again = run_tap(config, streams=["ticket_activities"])  # a day read again: same keys

    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert schema_keys(first, "ticket_activities") == ("activity_key",)
    keys = [r["activity_key"] for r in first.records("ticket_activities")]
    truth = simulator.truth("ticket_activities")
    assert truth and len(set(keys)) == len(keys) == len(truth)
    assert [r["activity_key"] for r in again.records("ticket_activities")] == keys
    expected = set()
    for row in truth:
        day = next(
            r["export_date"]
            for r in first.records("ticket_activities")
            if r["ticket_id"] == row["ticket_id"]
            and r["performer_id"] == row["performer_id"]
            and r["activity"] == row["activity"]
        )
        expected.add(documented_key(row, day, 0))
    assert set(keys) == expected


def test_identical_activity_rows_keep_distinct_keys_whatever_their_order():
    same = {"ticket_id": 7, "performer_id": 3, "performed_at": "01-01-2022 09:33:38 +0000"}
    other = {**same, "ticket_id": 8}
    forward = with_activity_keys([dict(same), dict(other), dict(same)])
    backward = with_activity_keys([dict(same), dict(same), dict(other)])

    keys = [row["activity_key"] for row in forward]
    assert len(set(keys)) == 3
    assert {row["activity_key"] for row in backward} == set(keys)
