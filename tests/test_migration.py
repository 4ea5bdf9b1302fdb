"""Moving over from the other Freshdesk taps: their STATE, catalog and setting names.

Meltano Hub's default tap-freshdesk is acarter24's (Singer SDK, tickets as `tickets_abridged`
and `tickets_detail`), the other singer-io's. Their state shapes are read from their code:
singer-io/tap-freshdesk `tap_freshdesk/__init__.py` at c10488e (0.x: `STATE[entity] =
start`, one timestamp per stream at the top level, `tickets_deleted`/`tickets_spam` for the
passes) and `tap_freshdesk/streams/abstracts.py` at 9e5bb4e (1.x: `singer.write_bookmark`,
`{"bookmarks": {stream: {"updated_at": …}}}`, children under `tickets_updated_at`);
acarter24/tap-freshdesk `tap_freshdesk/streams.py` at 7ff05f0 (the SDK's own shape under
its stream names). `other_taps/singer_io_catalog.json` is two streams, trimmed to a few
properties, of what `tap-freshdesk --discover` of singer-io's 1.0.1 (PyPI) prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.payloads import responses
from tests.contract.server import FixtureServer
from tests.harness import run_tap

SINGER_IO_CATALOG = Path(__file__).parent / "contract" / "other_taps" / "singer_io_catalog.json"
FOREIGN_STATES = {
    "singer-io's tap-freshdesk (before 1.0)": {
        "tickets": "2030-05-01T10:00:00Z",
        "tickets_deleted": "2030-05-01T10:00:00Z",
        "groups": "2030-05-01T10:00:00Z",
    },
    "singer-io's tap-freshdesk": {
        "bookmarks": {
            "tickets": {"updated_at": "2030-05-01T10:00:00Z"},
            "groups": {"updated_at": "2030-05-01T10:00:00Z"},
            "conversations": {"tickets_updated_at": "2030-05-01T10:00:00Z"},
        }
    },
    "acarter24's tap-freshdesk": {
        "bookmarks": {
            "tickets_abridged": {
                "replication_key": "updated_at",
                "replication_key_value": "2030-05-01T10:00:00Z",
            },
            "groups": {},
        }
    },
}


@pytest.mark.simulator(tickets=5)
def test_singer_ios_catalog_ends_in_one_line_naming_the_stream_and_the_way_out(simulator, config):
    run = run_tap(config, args=("--catalog", str(SINGER_IO_CATALOG)))

    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1
    assert "stream tickets is INCREMENTAL but names no replication key" in errors[0]
    assert "tap-freshdesk --discover" in errors[0] and "docs/migrating.md" in errors[0]
    assert simulator.request_log == []


@pytest.mark.parametrize("writer", sorted(FOREIGN_STATES))
@pytest.mark.simulator(tickets=5)
def test_another_taps_state_is_named_in_one_line_and_the_sync_starts_over(
    simulator, config, writer
):
    run = run_tap(config, state=FOREIGN_STATES[writer], streams=["groups"])

    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line for line in run.stderr.splitlines() if "The state was written by" in line]
    assert len(lines) == 1
    assert f"written by {writer}, not by this tap" in lines[0]
    assert "docs/migrating.md" in lines[0]
    assert sorted(run.ids("groups")) == sorted(g["id"] for g in simulator.truth("groups"))
    bookmarks = run.state["bookmarks"]
    assert set(bookmarks) == {"groups"}
    assert "updated_at" not in bookmarks["groups"]


@pytest.mark.simulator(tickets=5)
def test_this_taps_own_state_is_not_taken_for_another_taps(simulator, config):
    first = run_tap(config, streams=["groups"])
    again = run_tap(config, state=first.state, streams=["groups"])

    assert again.returncode == 0
    assert "The state was written by" not in again.stderr


def test_singer_ios_user_agent_setting_names_every_request() -> None:
    with FixtureServer(responses()) as server:
        config = {"api_key": "k", "base_url": server.base_url, "user_agent": "acme-etl/2.0"}
        run = run_tap(config, streams=["groups"])

    assert run.returncode == 0, run.stderr[-2000:]
    assert server.user_agents == {"acme-etl/2.0"}
    assert "Ignoring unknown settings" not in run.stderr


@pytest.mark.simulator(tickets=5)
def test_acarter24s_embeds_choose_the_ticket_includes(simulator, config):
    embeds = {"tickets_detail": ["stats", "sla_policy"]}
    run = run_tap({**config, "embeds": embeds}, streams=["tickets"])

    assert run.returncode == 0, run.stderr[-2000:]
    sent = {r.query.get("include") for r in simulator.request_log if r.path == "/api/v2/tickets"}
    assert sent == {"description,stats"}
    warnings = [line for line in run.stderr.splitlines() if "sla_policy" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0]
    assert "Ignoring unknown settings" not in run.stderr
