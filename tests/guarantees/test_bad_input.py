"""Bad settings, state, catalog and answers: one clear line (or a documented tolerance), never a
traceback or the key. Extends test_settings.py (domain/base_url forms, page_size) and
test_http_behaviour.py (401, transient faults)."""

from __future__ import annotations

import json
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.guarantees.support import run_concurrently
from tests.harness import TAP, TapRun, catalog_selecting, run_tap
from tests.simulator import Simulator, SimulatorConfig

KEY = "bad-input-key-5f0c9e1d"


def assert_one_clear_error(run: TapRun, text: str) -> None:
    """Exit code not 0, `text` on the last error line, no traceback, no key."""
    assert run.returncode != 0, run.stderr
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line or "Error:" in line]
    assert errors and text in errors[-1], run.stderr[-3000:]
    assert "Traceback" not in run.output
    assert KEY not in run.output


def run_with_files(config: dict, **files: str) -> TapRun:
    """Run the tap with `--state`/`--catalog` files holding exactly the given text."""
    with tempfile.TemporaryDirectory() as folder:
        command = [TAP, "--config", str(Path(folder) / "config.json")]
        (Path(folder) / "config.json").write_text(json.dumps(config))
        for option, text in files.items():
            (Path(folder) / option).write_text(text)
            command += [f"--{option}", str(Path(folder) / option)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return TapRun(done.returncode, [], done.stderr, done.stdout)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.simulator(tickets=30)
def test_unknown_settings_are_named_in_one_warning_and_the_sync_runs(simulator, config):
    run = run_tap({**config, "pagesize": 5, "bogus_option": True}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "unknown settings" in line]
    assert len(warnings) == 1 and "bogus_option, pagesize" in warnings[0]
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}


@pytest.mark.parametrize(
    "settings",
    [
        {"base_url": f"http://127.0.0.1:{closed_port()}/api/v2"},
        {"domain": "no-such-helpdesk.invalid"},
    ],
    ids=["closed-port", "unknown-domain"],
)
def test_an_unreachable_api_fails_fast_in_one_line(settings):
    run = run_tap({"api_key": KEY, **settings}, streams=["tickets"], timeout=60)

    assert_one_clear_error(run, "Cannot reach")
    assert "retrying in" not in run.stderr, "retried a host that never answered"


@pytest.mark.simulator(tickets=30, api_key=KEY, disabled_features={"tickets"})
def test_a_key_lacking_permission_on_a_core_endpoint_gets_one_clear_line(simulator, config):
    run = run_tap(config, streams=["tickets"])

    assert_one_clear_error(run, "403 Forbidden")
    assert "privilege" in run.stderr


def persistent_bad_body(kind: str) -> TapRun:
    with Simulator(SimulatorConfig(tickets=10, api_key=KEY)) as sim:
        sim.fail_next(kind, count=10_000, path_prefix="/api/v2/")
        config = {"api_key": KEY, "base_url": sim.base_url, "max_retry_seconds": 5}
        return run_tap(config, streams=["agents"])


def test_a_persistently_unreadable_body_ends_in_one_clear_line():
    for kind, run in zip(
        ("invalid_json", "truncated"),
        run_concurrently(
            *[lambda k=k: persistent_bad_body(k) for k in ("invalid_json", "truncated")]
        ),
        strict=True,
    ):
        assert_one_clear_error(run, "Giving up after")
        assert "GET /api/v2/agents" in run.stderr, kind
        cause = "body is an HTML page" if kind == "invalid_json" else "body was cut short"
        assert cause in run.stderr, kind


@pytest.mark.simulator(tickets=10, contacts=30)
def test_records_with_unexpected_types_or_extra_fields_are_kept(simulator, config, monkeypatch):
    plain = simulator.account.contact

    def odd_contact(number):
        record = plain(number)
        if number % 3 == 0:
            record["field_added_by_freshdesk_later"] = {"nested": [1, "two"]}
            record["name"] = 12345
            record["phone"] = ["not", "a", "string"]
            record["custom_fields"] = "not an object"
        return record

    monkeypatch.setattr(simulator.account, "contact", odd_contact)
    run = run_tap(config, streams=["contacts"])

    assert run.returncode == 0, run.stderr
    assert set(run.ids("contacts")) == {c["id"] for c in simulator.truth("contacts")}
    assert "Traceback" not in run.output


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("state", '{"bookmarks": {"tickets": ', "is not valid JSON"),
        ("state", '["a", "list"]', "must hold a JSON object"),
        ("state", '{"bookmarks": []}', "`bookmarks` is not an object"),
        (
            "state",
            '{"bookmarks": {"agents": {"replication_key_value": "yesterday"}}}',
            "bookmark of agents is not a timestamp",
        ),
        ("catalog", '{"streams": [', "is not valid JSON"),
    ],
)
@pytest.mark.simulator(tickets=10, api_key=KEY)
def test_a_malformed_state_or_catalog_ends_in_one_line(simulator, config, option, text, message):
    run = run_with_files(config, **{option: text})

    assert_one_clear_error(run, message)


def test_a_malformed_config_file_ends_in_one_line():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text('{"api_key": "' + KEY)
        done = subprocess.run(
            [TAP, "--config", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    assert_one_clear_error(TapRun(done.returncode, [], done.stderr, done.stdout), "--config")


@pytest.mark.simulator(tickets=40)
def test_another_taps_state_is_ignored_with_one_warning(simulator, config):
    foreign = {
        "bookmarks": {"orders": {"replication_key": "updated", "replication_key_value": "2020"}},
        "currently_syncing": "orders",
    }
    run = run_tap(config, state=foreign, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert "bookmarks of streams tap-freshdesk does not have, ignored: orders" in run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}


@pytest.mark.simulator(tickets=40)
def test_a_catalog_selecting_a_missing_stream_warns_and_syncs_the_rest(simulator, config):
    catalog = catalog_selecting(["tickets"])
    ghost = json.loads(json.dumps(catalog["streams"][0]))
    ghost["tap_stream_id"] = ghost["stream"] = "orders"
    for metadata in ghost["metadata"]:
        metadata["metadata"]["selected"] = True
    catalog["streams"].append(ghost)

    run = run_with_files(config, catalog=json.dumps(catalog))

    assert run.returncode == 0, run.stderr
    assert "The catalog selects streams tap-freshdesk does not have, skipped: orders" in run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines() if '"RECORD"' in line]
    assert {r["record"]["id"] for r in records} == {t["id"] for t in simulator.truth("tickets")}


@pytest.mark.parametrize("date_header", ["zoneless", "doubled"])
def test_a_date_header_without_a_zone_is_ignored_not_a_crash(date_header):
    """`Date` with `-0000`, or two joined by a proxy, parses without a zone in Python.

    Its comparison with aware timestamps raised TypeError and ended the sync; such a header
    is bad input: its clock is not used (the tap's own is, as without a `Date`).
    """
    config = SimulatorConfig(seed=3, tickets=40, contacts=25, companies=3, burst_size=0)
    with Simulator(config) as sim:
        sim.configure(date_header=date_header)
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        run = run_tap(
            settings,
            streams=["tickets", "contacts"],
            env={"TAP_FRESHDESK_LOGLEVEL": "DEBUG"} if date_header == "zoneless" else None,
        )

        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
        assert set(run.ids("tickets")) == {t["id"] for t in sim.truth("tickets")}
        assert set(run.ids("contacts")) == {c["id"] for c in sim.truth("contacts")}
        if date_header == "zoneless":
            assert "Ignoring the clock of a `Date` header without a time zone" in run.stderr
