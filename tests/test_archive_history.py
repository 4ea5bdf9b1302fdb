"""Archived tickets on accounts shaped like real ones: nothing lost, one request per gap.

A real account's archive is its old history: Freshdesk archives closed tickets idle for 120 days
(support article 212901), so the archived ids lie below every id a list still returns, and
tickets left 30 days in Trash or Spam are removed for good (Freshworks support article 228016),
so about a third of the ids, or half on a spam-heavy account, are gaps. `start_date` is set as
the README's Meltano example sets it.
"""

from __future__ import annotations

import math
import re
import signal
from collections import Counter

import pytest

from tests.guarantees.test_kill_resume import killed_at_request
from tests.harness import TapRun, run_tap
from tests.test_archived_tickets import (
    ARCHIVED_LOOKUP,
    LIVE_LOOKUP,
    archived_rows,
    ids,
    lookups,
    pending_ids,
    probe_state,
)

#: 300 ids: 30% deleted for good, the oldest 60% of the history archived.
REAL = {
    "tickets": 300,
    "purged_tickets": 90,
    "archive_oldest_share": 0.6,
    "long_thread": 20,
    "burst_size": 20,
}
STREAMS = ["tickets", "conversations"]
BEFORE_ALL_HISTORY = "2000-01-01T00:00:00Z"
#: The README's example `start_date`, in the middle of the simulator's seeded history.
README_START = "2024-01-01T00:00:00Z"


def archived_since(simulator, start: str) -> set[int]:
    """The archived ticket ids a complete run emits: updated at or after `start`."""
    return {t["id"] for t in simulator.truth("archived_tickets") if t["updated_at"] >= start}


def archived_conversations_of(simulator, tickets: set[int]) -> set[int]:
    """The conversation ids of those archived tickets."""
    found = simulator.truth("archived_conversations")
    return {c["id"] for c in found if c["ticket_id"] in tickets}


def emitted_conversations(*runs: TapRun) -> set[int]:
    return {i for run in runs for i in run.ids("conversations")}


@pytest.mark.parametrize("start", [BEFORE_ALL_HISTORY, README_START])
@pytest.mark.simulator(**REAL)
def test_a_first_run_with_start_date_finds_archived_tickets_below_every_listed_id(
    simulator, config, start
):
    run = run_tap({**config, "start_date": start}, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    listed = ids(simulator.truth("tickets"))
    wanted = archived_since(simulator, start)
    assert wanted, "the account has archived tickets updated since start_date"
    if start == BEFORE_ALL_HISTORY:
        assert max(ids(simulator.truth("archived_tickets"))) < min(listed), "a real archive"
    assert ids(archived_rows(run).values()) == wanted
    assert archived_conversations_of(simulator, wanted) <= emitted_conversations(run)


def killed_at_list_page(simulator, config, state, page: int) -> TapRun:
    """Run the tap and SIGKILL it as it asks for the `page`th page of the ticket list."""
    return killed_at_request(simulator, config, state, "/api/v2/tickets", page, whole_path=True)


@pytest.mark.parametrize("page", [3, 5])
@pytest.mark.simulator(**REAL)
def test_a_run_killed_during_the_list_passes_then_resumed_loses_no_archived_ticket(
    simulator, config, page
):
    """The resumed run lists only what came after its bookmark: its lowest id is high."""
    settings = {**config, "start_date": BEFORE_ALL_HISTORY, "page_size": 20}
    killed = killed_at_list_page(simulator, settings, None, page)
    assert killed.returncode == -signal.SIGKILL, "the tap finished before the kill"
    assert not lookups(simulator, ARCHIVED_LOOKUP), "killed before the probe"

    resumed = run_tap(settings, streams=STREAMS, state=killed.state)
    assert resumed.returncode == 0, resumed.stderr

    wanted = archived_since(simulator, BEFORE_ALL_HISTORY)
    assert ids(archived_rows(killed, resumed).values()) == wanted
    conversations = emitted_conversations(killed, resumed)
    assert archived_conversations_of(simulator, wanted) <= conversations


@pytest.mark.simulator(**REAL)
def test_an_upgrade_from_a_state_without_the_probe_loses_no_archived_ticket(simulator, config):
    """The previous release kept no `id_probe`; tickets changed since list only high ids."""
    settings = {**config, "start_date": BEFORE_ALL_HISTORY}
    before = run_tap({**settings, "probe_missing_tickets": False}, streams=STREAMS)
    assert before.returncode == 0, before.stderr
    assert probe_state(before.state) is None
    for ticket_id in sorted(ids(simulator.truth("tickets")))[-5:]:
        simulator.update_ticket(ticket_id)

    upgraded = run_tap(settings, streams=STREAMS, state=before.state)

    assert upgraded.returncode == 0, upgraded.stderr
    wanted = archived_since(simulator, BEFORE_ALL_HISTORY)
    assert ids(archived_rows(upgraded).values()) == wanted
    assert archived_conversations_of(simulator, wanted) <= emitted_conversations(upgraded)


@pytest.mark.simulator(**REAL)
def test_one_refused_archived_ticket_is_skipped_counted_and_kept_and_the_probe_goes_on(
    simulator, config
):
    """403 `access_denied` is this key and this ticket (API reference, "Error codes")."""
    archived = sorted(ids(simulator.truth("archived_tickets")))
    refused = archived[len(archived) // 3]
    simulator.configure(refused_archived_tickets={refused})
    settings = {**config, "start_date": BEFORE_ALL_HISTORY}
    run = run_tap(settings, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    assert ids(archived_rows(run).values()) == set(archived) - {refused}
    assert f"Freshdesk refused the tickets record id {refused}" in run.stderr
    assert "tickets: 1 refused (403 access_denied), kept for a later run" in run.stderr
    assert "Archived tickets are not extracted" not in run.stderr
    assert pending_ids(run.state) == {refused}

    simulator.configure(refused_archived_tickets=set())  # the agent's scope widened
    later = run_tap(settings, streams=STREAMS, state=run.state)
    assert later.returncode == 0, later.stderr
    assert ids(archived_rows(later).values()) == {refused}
    assert archived_conversations_of(simulator, set(archived)) <= emitted_conversations(run, later)
    assert pending_ids(later.state) == set()


@pytest.mark.parametrize(
    "purged",
    [  # 30% and 50% of the ids: a realistic and a spam-heavy account
        pytest.param(90, marks=pytest.mark.simulator(**REAL)),
        pytest.param(150, marks=pytest.mark.simulator(**{**REAL, "purged_tickets": 150})),
    ],
)
def test_an_id_deleted_for_good_costs_one_request(simulator, config, purged):
    """At most 1.05 requests per gap id: no id asked both archived and live."""
    run = run_tap({**config, "start_date": BEFORE_ALL_HISTORY}, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    listed = ids(simulator.truth("tickets"))
    below = set(range(1, max(listed)))  # ids above every listed one cannot be known yet
    gone = below - listed - ids(simulator.truth("archived_tickets"))
    assert len(gone) >= purged * 0.9
    asked = lookups(simulator, ARCHIVED_LOOKUP) + lookups(simulator, LIVE_LOOKUP)
    requests = sum(n for ticket_id, n in asked.items() if ticket_id in gone)
    assert requests <= 1.05 * len(gone), f"{requests} requests for {len(gone)} gap ids"
    assert set(asked) >= gone, "every gap id looked up"


@pytest.mark.simulator(**REAL)
def test_the_probes_state_comes_at_the_cadence_of_every_stream_and_stays_small(simulator, config):
    """At most records/1000 + 20 STATE messages, at most 2% of the output's bytes."""
    run = run_tap({**config, "start_date": BEFORE_ALL_HISTORY}, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    states = [line for line in lines if line.startswith('{"type":"STATE"')]
    records = sum(1 for m in run.messages if m["type"] == "RECORD")
    assert archived_rows(run), "the probe ran"
    assert len(states) <= records / 1000 + 20, f"{len(states)} STATE for {records} records"
    assert sum(map(len, states)) <= 0.02 * len(run.stdout)


@pytest.mark.simulator(**REAL)
def test_the_probe_stops_at_its_bound_per_run_and_the_next_run_goes_on(simulator, config):
    """`probe_ids_per_run`: a first backfill spread over runs, every stream in each."""
    settings = {**config, "start_date": BEFORE_ALL_HISTORY, "probe_ids_per_run": 80}
    runs, state = [], None
    for _ in range(5):
        run = run_tap(settings, streams=[*STREAMS, "agents"], state=state)
        assert run.returncode == 0, run.stderr
        assert run.records("agents"), "the streams after tickets run in every run"
        runs.append(run)
        state = run.state
        if not pending_ids(state):
            break
    first = runs[0].stderr
    assert re.search(r"Probe of ticket ids: 80 of 80 probed, .*; \d+ ids left to probe", first)
    assert "The probe stopped at `probe_ids_per_run` (80 ids)" in first
    assert len(runs) > 1
    wanted = archived_since(simulator, BEFORE_ALL_HISTORY)
    assert ids(archived_rows(*runs).values()) == wanted
    assert max(lookups(simulator, ARCHIVED_LOOKUP).values()) == 1, "no id looked up twice"


@pytest.mark.simulator(**REAL)
def test_an_archived_ticket_answered_without_id_is_emitted_under_the_id_asked_for(
    simulator, config
):
    """Issue 23, item 2: it used to end every run with `KeyError: 'id'`."""
    archived = sorted(ids(simulator.truth("archived_tickets")))
    odd = archived[3]
    simulator.configure(odd_tickets={odd: "no_id"})
    run = run_tap(config, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert odd in ids(archived_rows(run).values())
    assert archived_conversations_of(simulator, {odd}) <= emitted_conversations(run)
    assert f"GET /tickets/archived/{odd}) has no `id`: the id asked for is used" in run.stderr


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ({"settled": "abc", "pending": []}, "`settled` that is not a ticket id ('abc')"),
        ({"settled": 10**12, "pending": [[1, 10**12]]}, "`settled` that is not a ticket id"),
        ({"settled": 50, "pending": [[1, 10**9]]}, "`pending` range [1, 1000000000]"),
        ({"settled": 50, "pending": "1-50"}, "`pending` that is not a list"),
    ],
)
@pytest.mark.simulator(tickets=30)
def test_a_damaged_probe_state_gives_one_line_naming_the_key(simulator, config, damage, named):
    """Issue 23, item 8: a traceback every run, or a probe that never ends."""
    state = {
        "bookmarks": {
            "tickets": {"partitions": [{"context": {"archived": True}, "id_probe": damage}]}
        }
    }
    run = run_tap(config, streams=STREAMS, state=state, timeout=60)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "id_probe" in line]
    assert len(errors) == 1, run.stderr[-2000:]
    assert named in errors[0]
    asked = [r.path for r in simulator.request_log if r.path.startswith("/api/v2/tickets")]
    assert not asked, "refused before any ticket is read"


@pytest.mark.simulator(**REAL)
def test_the_probe_cuts_no_batch_file_of_its_own(simulator, config, tmp_path):
    """BATCH files end at each STATE: one STATE per id made one file flush per id.

    Files are cut at `batch_size` and, for conversations, at each file of tickets (see
    tap_freshdesk.sync.batching); the probe's STATE adds no cut.
    """
    batch_config = {
        "encoding": {"format": "jsonl", "compression": "none"},
        "storage": {"root": tmp_path.as_uri()},
        "batch_size": 100,
    }
    settings = {**config, "batch_config": batch_config}
    run = run_tap(settings, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    files = Counter(m["stream"] for m in run.messages if m["type"] == "BATCH")
    tickets = len(simulator.truth("tickets")) + len(simulator.truth("archived_tickets"))
    conversations = len(simulator.truth("conversations")) + len(
        simulator.truth("archived_conversations")
    )
    ticket_files = math.ceil(tickets / 100) + 1
    assert files["tickets"] <= ticket_files
    assert files["conversations"] <= math.ceil(conversations / 100) + ticket_files


@pytest.mark.simulator(tickets=700, burst_size=320, archive_after_days=None)
def test_a_page_cap_met_by_a_killed_run_still_sends_the_next_probe_to_the_live_tickets(
    simulator, config
):
    """The note that gaps may be live is in the STATE at once, not only in the probe's."""
    settings = {**config, "page_size": 1, "max_concurrency": 1}
    capped = simulator.config.tickets // 2 + 1  # the burst second's tickets start here
    killed = killed_at_list_page(simulator, settings, None, 1400)  # the cap is met at 1,313
    assert killed.returncode == -signal.SIGKILL, "the tap finished before the kill"
    assert probe_state(killed.state) == {"live_check": True}

    resumed = run_tap(settings, streams=["tickets"], state=killed.state)

    assert resumed.returncode == 0, resumed.stderr
    emitted = set(killed.ids("tickets")) | set(resumed.ids("tickets"))
    assert emitted == ids(simulator.truth("tickets")), "complete by construction"
    assert capped in emitted
    assert lookups(simulator, LIVE_LOOKUP), "the gaps were asked live"


FAULTS = ("500", "502", "503", "drop", "truncated", "invalid_json")


@pytest.mark.simulator(
    **{**REAL, "tickets": 60, "purged_tickets": 18}, fault_rate=0.3, fault_kinds=FAULTS
)
def test_thirty_percent_transient_faults_in_archive_mode_lose_nothing(simulator, config):
    """Issue 22: under 30% faults a 600-ticket archive-mode sync did not finish in 450 s (a
    STATE per probed id); now the probe rides the faults out like every request."""
    run = run_tap({**config, "start_date": BEFORE_ALL_HISTORY}, streams=STREAMS, timeout=600)

    assert run.returncode == 0, run.stderr[-2000:]
    assert simulator.stats()["faults"] >= 10
    wanted = archived_since(simulator, BEFORE_ALL_HISTORY)
    assert wanted, "the account has archived tickets"
    emitted = set(run.ids("tickets"))
    assert wanted <= emitted, f"lost {sorted(wanted - emitted)[:5]}"
    assert ids(simulator.truth("tickets")) <= emitted
    conversations = archived_conversations_of(simulator, wanted)
    assert conversations <= emitted_conversations(run)


@pytest.mark.simulator(**{**REAL, "tickets": 150, "purged_tickets": 45}, latency_ms=(50.0, 200.0))
def test_the_readmes_settings_on_a_real_shaped_account_lose_nothing_but_the_refused_ticket(
    simulator, config
):
    """Every shape at once, with the README's Meltano example's settings (`start_date` set,
    everything else at its default): ids with gaps, the oldest history archived, long threads,
    50-200 ms latency, and one archived ticket among many refused with `access_denied`."""
    archived = sorted(archived_since(simulator, README_START))
    refused = archived[len(archived) // 2]
    simulator.configure(refused_archived_tickets={refused})
    settings = {"api_key": config["api_key"], "base_url": config["base_url"]}

    run = run_tap({**settings, "start_date": README_START}, streams=STREAMS)

    assert run.returncode == 0, run.stderr[-2000:]
    wanted = archived_since(simulator, README_START) - {refused}
    emitted = set(run.ids("tickets"))
    live = {t["id"] for t in simulator.truth("tickets") if t["updated_at"] >= README_START}
    assert wanted, "archived tickets updated since start_date"
    assert live | wanted <= emitted
    assert archived_conversations_of(simulator, wanted) <= emitted_conversations(run)
    live_threads = {c["id"] for c in simulator.truth("conversations") if c["ticket_id"] in live}
    assert live_threads <= emitted_conversations(run)
    assert refused not in emitted
    assert refused in pending_ids(run.state), "the refused ticket is kept for a later run"
