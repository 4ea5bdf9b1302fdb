"""Records changed while a sync runs are emitted by that run or the next one, never skipped.

Extends test_ticket_window.py (ticket page drift, the 300-page cap) and test_incremental.py (a
second run after changes between runs) to contacts, companies and conversations, to changes that
land on the bookmark's own second, and to tickets created and deleted during a long window slide.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.guarantees.support import (
    BusyHelpdesk,
    bookmarks,
    emitted_ids,
    latest_versions,
    partition_key,
    truth_versions,
)
from tests.harness import run_tap

INCREMENTAL = ["tickets", "conversations", "contacts", "companies"]
CHANGING = ("tickets", "contacts", "companies")


def assert_every_version_arrived(simulator, *runs):
    """Each record's current version, and every conversation, was emitted by one of the runs."""
    for stream in CHANGING:
        truth = truth_versions(simulator.truth(stream))
        assert latest_versions(stream, *runs) == truth, f"{stream}: a change was skipped"
    conversations = {c["id"] for c in simulator.truth("conversations")}
    missing = conversations - emitted_ids("conversations", *runs)
    assert not missing, f"conversations never emitted: {sorted(missing)[:10]}"


@pytest.mark.parametrize("stream", ["contacts", "companies"])
@pytest.mark.simulator(tickets=30, contacts=60, companies=40)
def test_a_record_changed_behind_the_page_being_read_is_read_by_the_next_run(
    simulator, config, stream
):
    """These lists are ordered by id: a change moves no record, so one already read stays read.

    The run must not advance its bookmark past a change it did not see. These lists are read
    from the last page back: here a record on the last page changes once page 3 is asked for
    (the last page was read by then) and, a second later, a record on page 1 changes before
    page 1 is read. A bookmark taken from the newest record read would hide the first change.
    """
    path = f"/api/v2/{stream}"
    live = [r["id"] for r in simulator.truth(stream) if not (r.get("deleted") or r.get("blocked"))]
    behind, ahead = live[-1], live[0]
    change = simulator.update_contact if stream == "contacts" else simulator.update_company
    pending = {3: behind, 2: ahead}

    def change_while_paging(method, path_, query):
        page = int(query.get("page", 1))
        if path_ != path or "state" in query or (page == 2 and behind in pending.values()):
            return  # page 2 is also asked for while the walk looks for the last page
        if ident := pending.pop(page, None):
            change(ident)
            if ident == behind:
                time.sleep(1.1)  # the two changes land in different seconds

    simulator.on_request(change_while_paging)
    during = run_tap({**config, "page_size": 10}, streams=[stream])
    after = run_tap({**config, "page_size": 10}, state=during.state, streams=[stream])

    assert during.returncode == after.returncode == 0, during.stderr + after.stderr
    truth = truth_versions(simulator.truth(stream))
    assert not pending, "the list was too short to change records while paging"
    if stream == "companies":
        assert latest_versions(stream, during)[behind] < truth[behind], "seen at once"
    else:
        # A contact changed during the walk was read: the list is read again (a contact
        # joining it could have hidden another), which reads the change behind as well.
        assert "reading it again" in during.stderr
        assert latest_versions(stream, during)[behind] == truth[behind]
    assert latest_versions(stream, during)[ahead] == truth[ahead]
    assert latest_versions(stream, during, after) == truth


@pytest.mark.simulator(
    tickets=100,
    contacts=60,
    companies=20,
    latency_ms=(1, 3),
    mutate_batch={
        "tickets": 1,
        "contacts": 2,
        "conversations": 1,
        "new_tickets": 1,
        "companies": 1,
    },
)
def test_a_busy_helpdesk_loses_no_change_in_a_full_or_an_incremental_run(simulator, config):
    """Tickets, contacts, companies and conversations change every few requests, page drift
    included: in a first run, then in an incremental run whose filtered lists change under it.
    """
    settings = {**config, "page_size": 5}
    busy = BusyHelpdesk(simulator)
    busy.change_every(8, for_requests=200)
    first = run_tap(settings, streams=INCREMENTAL, timeout=120)
    busy.change_every(4, for_requests=150)
    second = run_tap(settings, state=first.state, streams=INCREMENTAL, timeout=120)
    # A change made while the last run reads is that run's next run's: the last one is quiet.
    busy.quiet()
    changes = simulator.stats()["mutations"]
    quiet = run_tap(settings, state=second.state, streams=INCREMENTAL, timeout=120)

    assert first.returncode == second.returncode == quiet.returncode == 0, first.stderr
    assert simulator.stats()["mutations"] == changes, "the helpdesk changed in the quiet run"
    assert changes >= 200, "too few changes to prove anything"
    assert_every_version_arrived(simulator, first, second, quiet)
    first_mark = max(bookmarks(first.state, "contacts").values())
    changed = {i for i, v in truth_versions(simulator.truth("contacts")).items() if v > first_mark}
    assert changed & set(second.ids("contacts")), "the incremental run read no changed contact"


#: A fixed "now" for changes, later than all seeded history and earlier than the real clock,
#: so every change lands on one second, the one the bookmark ends on.
FROZEN = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
FROZEN_TEXT = "2026-01-01T12:00:00Z"


@pytest.mark.simulator(tickets=120, contacts=50, companies=20, clock=lambda: FROZEN)
def test_changes_stamped_with_the_bookmarks_own_second_are_read_next_run(simulator, config):
    """Timestamps have one-second precision: a change in the bookmark's second, after the run
    read that second, must still come out of the next run (inclusive bookmark, dedup by id)."""
    early = {}

    def change_during_the_run(method, path, query):
        if not early:  # the run's first request: every stream then reads these changes
            early.update(
                simulator.mutate(tickets=3, contacts=2, companies=2, conversations=2, new_tickets=1)
            )

    simulator.on_request(change_during_the_run)
    first = run_tap(config, streams=INCREMENTAL)
    assert first.returncode == 0, first.stderr
    for stream in CHANGING:
        assert FROZEN_TEXT in bookmarks(first.state, stream).values(), f"{stream} bookmark moved"

    later = simulator.mutate(tickets=3, contacts=2, companies=2, conversations=2, new_tickets=1)
    second = run_tap(config, state=first.state, streams=INCREMENTAL)

    assert second.returncode == 0, second.stderr
    for stream in CHANGING:
        assert set(later[stream]) <= set(second.ids(stream)), stream
        marks = bookmarks(first.state, stream)
        older = [
            r["id"]
            for r in second.records(stream)
            if r["updated_at"] < marks[partition_key(stream, r)]
        ]
        assert not older, f"{stream} re-emitted records older than their bookmark: {older}"
    assert set(later["conversations"]) <= set(second.ids("conversations"))
    assert_every_version_arrived(simulator, first, second)


@pytest.mark.simulator(
    tickets=120,
    burst_size=20,
    mutate_batch={"tickets": 1, "new_tickets": 1, "delete_tickets": 1},
)
def test_the_window_slides_past_300_pages_while_tickets_change_and_arrive(simulator, config):
    """Page size 1: the ticket list needs over 300 pages while tickets are updated, created
    and deleted; each ends up emitted in its latest state, deleted ones flagged."""
    BusyHelpdesk(simulator).change_every(10, for_requests=200)
    during = run_tap({**config, "page_size": 1}, streams=["tickets"])
    after = run_tap({**config, "page_size": 1}, state=during.state, streams=["tickets"])

    assert during.returncode == after.returncode == 0, during.stderr + after.stderr
    pages = [r for r in simulator.request_log if r.path == "/api/v2/tickets"]
    assert len(pages) > 300, "the list never needed more than 300 pages"
    assert all(int(r.query.get("page", 1)) <= 300 for r in pages)
    truth = simulator.truth("tickets")
    assert latest_versions("tickets", during, after) == truth_versions(truth)
    created = [t["id"] for t in truth if t["id"] > 120]
    assert len(created) >= 15, "too few tickets created during the sync"
    flagged = {r["id"] for run in (during, after) for r in run.records("tickets") if r["deleted"]}
    assert {t["id"] for t in truth if t.get("deleted")} <= flagged


#: A clock the test moves: Freshdesk's `Date` and its `updated_at` stamps both follow it.
NOW = [FROZEN]


@pytest.mark.simulator(tickets=20, clock=lambda: NOW[0])
def test_a_reply_in_the_second_its_ticket_was_read_is_emitted_though_the_walk_goes_past_it(
    simulator, config, monkeypatch
):
    """Timestamps have one-second precision: a reply added to a ticket in the very second the
    run read that ticket and its thread leaves its `updated_at` where it was. The walk then
    lists the ticket again (the window slides to that second) after the second is over, and
    goes on past it: that listing is the run's last chance to read the reply, and the next run
    starts after that second. Dropped as a mere repeat of the first listing, the reply was lost.
    """
    NOW[0] = FROZEN
    ticket, same_second, later = 5, 7, 9
    # The two newest tickets, at FROZEN: the first page (19 tickets) ends with `ticket`.
    simulator.update_ticket(ticket)
    simulator.update_ticket(same_second)
    read_thread = simulator.account.conversations
    reply: list[int] = []

    def reply_once_its_thread_is_read(ticket_id, **kwargs):
        thread = read_thread(ticket_id, **kwargs)
        if ticket_id == ticket and not reply:
            # Still the ticket's second: the reply leaves its `updated_at` at FROZEN.
            reply.append(simulator.add_conversation(ticket))
            NOW[0] = FROZEN.replace(second=2)  # then that second is over,
            simulator.update_ticket(later)  # and another ticket changes
        return thread

    monkeypatch.setattr(simulator.account, "conversations", reply_once_its_thread_is_read)
    settings = {**config, "page_size": 19}
    first = run_tap(settings, streams=["tickets", "conversations"])
    second = run_tap(settings, state=first.state, streams=["tickets", "conversations"])

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert reply, "the ticket's thread was never read"
    truth = {r["id"]: r["updated_at"] for r in simulator.truth("tickets")}
    assert truth[ticket] == FROZEN_TEXT, "the reply moved its ticket's `updated_at`"
    assert latest_versions("tickets", first)[later] == truth[later], "the walk stopped early"
    emitted = set(first.ids("conversations")) | set(second.ids("conversations"))
    assert reply[0] in emitted, "a reply in its ticket's read second was never emitted"
