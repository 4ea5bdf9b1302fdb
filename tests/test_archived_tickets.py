"""Archived tickets: every id no list returned is probed once, and nothing archived is lost.

The simulator archives closed tickets not updated for `archive_after_days` (Freshdesk: 120 days)
and deletes `purged_tickets` ids for good, so the ids the lists return have gaps of both kinds.
"""

from __future__ import annotations

import re
import signal
from collections import Counter

import pytest

from tests.guarantees.test_kill_resume import killed_at_request
from tests.harness import run_tap

ACCOUNT = {"tickets": 150, "archive_after_days": 120, "purged_tickets": 6, "long_thread": 20}
STREAMS = ["tickets", "conversations"]
ARCHIVED_LOOKUP = re.compile(r"^/api/v2/tickets/archived/(\d+)$")
LIVE_LOOKUP = re.compile(r"^/api/v2/tickets/(\d+)$")


def lookups(simulator, pattern: re.Pattern[str]) -> Counter[int]:
    """How often each ticket id was looked up at one endpoint, from the simulator's log."""
    found = (pattern.match(r.path) for r in simulator.request_log)
    return Counter(int(m.group(1)) for m in found if m)


def archived_rows(*runs) -> dict[int, dict]:
    """The `tickets` rows flagged archived, by id, as a target upserting by id keeps them."""
    return {r["id"]: r for run in runs for r in run.records("tickets") if r.get("archived")}


def probe_state(state: dict) -> dict | None:
    """The probe's `id_probe` in a STATE value; None when it has none."""
    partitions = state.get("bookmarks", {}).get("tickets", {}).get("partitions", [])
    return next((p["id_probe"] for p in partitions if "id_probe" in p), None)


def pending_ids(state: dict) -> set[int]:
    """The ids a STATE leaves to probe: every id from 1 when it holds no probe yet."""
    probe = probe_state(state)
    if probe is None or "settled" not in probe:
        return set(range(1, 10**6))
    return {i for low, high in probe["pending"] for i in range(low, high + 1)}


def ids(records) -> set[int]:
    return {r["id"] for r in records}


@pytest.mark.simulator(**ACCOUNT)
def test_full_then_incremental_sync_emit_every_archived_ticket_probing_each_id_once(
    simulator, config
):
    archived = simulator.truth("archived_tickets")
    assert archived, "the account has archived tickets to find"
    first = run_tap(config, streams=STREAMS)
    assert first.returncode == 0, first.stderr

    assert ids(archived_rows(first).values()) == ids(archived)
    assert all(r["description"] for r in archived_rows(first).values())
    assert ids(simulator.truth("tickets")) <= set(first.ids("tickets"))
    assert ids(simulator.truth("archived_conversations")) <= set(first.ids("conversations"))
    listed = ids(simulator.truth("tickets"))
    gaps = set(range(1, ACCOUNT["tickets"] + 1)) - listed
    assert set(lookups(simulator, ARCHIVED_LOOKUP)) == gaps, "exactly the ids no list returned"
    gone = gaps - ids(archived)
    assert len(gone) == ACCOUNT["purged_tickets"]
    assert not lookups(simulator, LIVE_LOOKUP), "no list met the page cap: no id asked live"
    assert re.search(
        rf"Probe of ticket ids: {len(gaps)} of {len(gaps)} probed, {len(archived)} archived, "
        rf"0 live past the lists, {len(gone)} gone .*; 0 ids left to probe in all",
        first.stderr,
    )

    new = [simulator.create_ticket() for _ in range(6)]
    simulator.add_conversation(new[1])
    for ticket_id in new[1:3]:
        simulator.archive_ticket(ticket_id)
    simulator.purge_ticket(new[3])
    second = run_tap(config, streams=STREAMS, state=first.state)
    assert second.returncode == 0, second.stderr

    assert ids(archived_rows(second).values()) == set(new[1:3]), "only the new gaps"
    assert ids(archived_rows(first, second).values()) == ids(simulator.truth("archived_tickets"))
    assert ids(simulator.truth("archived_conversations")) <= set(
        first.ids("conversations") + second.ids("conversations")
    )
    assert max(lookups(simulator, ARCHIVED_LOOKUP).values()) == 1, "no id probed twice"
    assert set(second.ids("tickets")) >= {new[0], *new[4:]}


@pytest.mark.simulator(**ACCOUNT)
def test_a_probe_killed_midway_resumes_from_its_last_state(simulator, config):
    """Killed as it asks for the 12th archived id: nothing lost, and only ids its last STATE
    still held pending (STATE comes at every stream's cadence, not per id) are asked again."""
    settings = {**config, "max_concurrency": 1}
    killed = killed_at_request(simulator, settings, None, "/tickets/archived/", 12)
    assert killed.returncode == -signal.SIGKILL, "the tap finished before the kill"
    asked_before_kill = lookups(simulator, ARCHIVED_LOOKUP)
    in_flight = max(asked_before_kill)

    resumed = run_tap(settings, streams=STREAMS, state=killed.state)
    assert resumed.returncode == 0, resumed.stderr

    emitted = archived_rows(killed, resumed)
    assert ids(emitted.values()) == ids(simulator.truth("archived_tickets")), "none skipped"
    conversations = set(killed.ids("conversations") + resumed.ids("conversations"))
    assert ids(simulator.truth("archived_conversations")) <= conversations
    twice = {i for i, n in lookups(simulator, ARCHIVED_LOOKUP).items() if n > 1}
    assert in_flight in twice
    assert twice <= pending_ids(killed.state), f"probed twice, not pending: {sorted(twice)}"


@pytest.mark.simulator(**ACCOUNT)
def test_a_plan_without_archiving_is_warned_about_once_and_its_ids_wait_for_a_plan_with_it(
    simulator, config
):
    """`require_feature` is the plan: one request (those already in flight with a pool), one
    warning, and nothing given up."""
    simulator.configure(disabled_features={"archived_tickets"})
    run = run_tap(config, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    assert run.stderr.count("Archived tickets are not extracted") == 1
    assert "403" in run.stderr
    assert sum(lookups(simulator, ARCHIVED_LOOKUP).values()) <= 2 * 4  # 2 x max_concurrency
    assert not lookups(simulator, LIVE_LOOKUP), "no list met the page cap: no id asked live"
    assert ids(simulator.truth("tickets")) == set(run.ids("tickets"))
    assert not archived_rows(run)

    simulator.configure(disabled_features=set())  # the plan now has archiving
    upgraded = run_tap(config, streams=STREAMS, state=run.state)
    assert upgraded.returncode == 0, upgraded.stderr
    assert ids(archived_rows(upgraded).values()) == ids(simulator.truth("archived_tickets"))


@pytest.mark.simulator(tickets=700, burst_size=320, archive_after_days=None)
def test_the_probe_finds_live_tickets_the_page_cap_left_out(simulator, config):
    """320 tickets share one second; at one ticket per page the list stops after 300."""
    run = run_tap({**config, "page_size": 1}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert "the list cannot reach the tickets of that second after the first 300" in run.stderr
    assert "The missing-id probe (`probe_missing_tickets`) reads them one by one" in run.stderr
    found = [r for r in run.records("tickets") if r.get("archived") is False]
    assert found, "the probe found the tickets past the cap"
    emitted = Counter(run.ids("tickets"))
    assert set(emitted) == ids(simulator.truth("tickets")), "complete by construction"
    assert max(emitted.values()) == 1


@pytest.mark.simulator(**ACCOUNT)
def test_turning_the_probe_off_costs_no_lookup(simulator, config):
    run = run_tap({**config, "probe_missing_tickets": False}, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    assert not lookups(simulator, ARCHIVED_LOOKUP) and not lookups(simulator, LIVE_LOOKUP)
    assert not archived_rows(run)
