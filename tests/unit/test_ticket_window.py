"""The ticket window paginator, page by page, against an in-memory ticket list.

Each test arranges tickets by the second they were last updated, walks the list the way the
tickets stream does (the window's query, the page's in-scope tickets, then the next window)
and checks what a sync would emit and which requests it would send. Milliseconds each.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from tap_freshdesk.records.timestamps import format_api_time
from tap_freshdesk.streams.tickets.paginator import UpdatedAtWindowPaginator
from tap_freshdesk.streams.tickets.runs import MAX_SETTLE_WAITS, RUN_SETTLE_SECONDS
from tap_freshdesk.streams.tickets.window import TICKET_PAGE_CAP, Window, drop_boundary_repeats
from tests.unit.pages import EPOCH, page

pytestmark = pytest.mark.unit


@dataclass
class TicketList:
    """GET /tickets?order_by=updated_at: ticket id → its `updated_at`, in seconds after EPOCH.

    `clock` is Freshdesk's clock in the same seconds (the `Date` of each answer);
    `after_request` runs after each answer, to change tickets while the walk goes on.
    """

    updated: dict[int, int]
    per_page: int
    clock: int = 10_000
    after_request: Callable[[TicketList], None] = lambda tickets: None
    requests: list[Window] = field(default_factory=list)

    def answer(self, window: Window) -> Any:
        self.requests.append(window)
        since = int((window.since - EPOCH).total_seconds())
        listed = sorted((s, i) for i, s in self.updated.items() if s >= since)
        if window.newest:
            shown = [max(listed, key=lambda key: (key[0], -key[1]))] if listed else []
            more = len(listed) > 1
        else:
            skip = (window.page - 1) * self.per_page
            shown = listed[skip : skip + self.per_page]
            more = len(listed) > skip + self.per_page
        records = [{"id": i, "updated_at": _stamp(s)} for s, i in shown]
        response = page(records, more=more, served=EPOCH + timedelta(seconds=self.clock))
        self.after_request(self)
        return response


@dataclass
class Walk:
    emitted: list[dict[str, Any]]
    caps: list[datetime]
    unsettled: list[datetime]
    sleeps: list[float]

    def ids(self) -> Counter[int]:
        return Counter(record["id"] for record in self.emitted)


def walk(
    tickets: TicketList, since: int = 0, while_asleep: Callable[[float], None] | None = None
) -> Walk:
    """Every window the paginator asks for, answered, as the tickets stream reads them.

    The paginator's waits are recorded, not slept; `while_asleep(seconds)` is what happens at
    Freshdesk meanwhile (its clock moving on, tickets stamped), so no test waits a real second.
    """
    caps: list[datetime] = []
    unsettled: list[datetime] = []
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if while_asleep is not None:
            while_asleep(seconds)

    paginator = UpdatedAtWindowPaginator(
        EPOCH + timedelta(seconds=since),
        on_cap=caps.append,
        on_unsettled=lambda second, why: unsettled.append(second),
        sleep=sleep,
    )
    read: list[dict[str, Any]] = []
    while not paginator.finished:
        response = tickets.answer(paginator.current_value)
        read += paginator.in_scope(json.loads(response.content), response)
        paginator.advance(response)
        assert len(tickets.requests) < 5_000, "the walk does not end"
    return Walk(list(drop_boundary_repeats(read)), caps, unsettled, sleeps)


def _stamp(second: int) -> str:
    return format_api_time(EPOCH + timedelta(seconds=second))


def _seconds(window: Window) -> int:
    return int((window.since - EPOCH).total_seconds())


def test_each_request_starts_where_the_last_page_ended_and_page_stays_one():
    tickets = TicketList({i: 10 * i for i in range(1, 21)}, per_page=3)

    emitted = walk(tickets)

    assert emitted.ids() == Counter(range(1, 21))
    listed = [w for w in tickets.requests if not w.newest]
    assert {w.page for w in listed} == {1}
    assert [_seconds(w) for w in listed][:4] == [0, 30, 50, 70], "each at the last second read"


def test_a_walk_within_freshdesks_clock_never_asks_for_the_newest_ticket():
    tickets = TicketList({i: 10 * i for i in range(1, 21)}, per_page=3, clock=1_000)

    emitted = walk(tickets)

    assert emitted.ids() == Counter(range(1, 21))
    assert not any(w.newest for w in tickets.requests)


def test_records_ahead_of_the_clock_cost_one_newest_request_which_emits_nothing():
    """Stamped up to 40 s ahead of `Date` (skew): the clock alone would end the walk early."""
    tickets = TicketList({i: 10 * i for i in range(1, 8)}, per_page=2, clock=30)

    emitted = walk(tickets)

    assert sum(w.newest for w in tickets.requests) == 1
    # Once each: the newest ticket (7) moved the bound to 70 s and was not emitted by its answer.
    assert emitted.ids() == Counter(range(1, 8))


def test_no_ticket_since_the_bookmark_ends_the_walk_after_one_request():
    tickets = TicketList({1: 5}, per_page=100)

    emitted = walk(tickets, since=6)

    assert emitted.emitted == [] and len(tickets.requests) == 1


def test_a_page_sharing_one_second_is_paged_within_that_second():
    run = {i: 50 for i in range(1, 11)}
    tickets = TicketList({**run, 11: 10, 12: 60, 13: 70}, per_page=3)

    emitted = walk(tickets)

    assert emitted.ids() == Counter(range(1, 14))
    in_run = [w for w in tickets.requests if _seconds(w) == 50]
    assert max(w.page for w in in_run) == 4, "ten tickets of one second at three a page"
    # Tickets 12 and 13 shared the run's last page: emitted from it, not asked for again.
    assert [_seconds(w) for w in tickets.requests if _seconds(w) > 50] == [70]


def test_a_run_of_one_page_is_one_answer_and_needs_no_check():
    """The bookmark's own second, listed again by an incremental run: one request in all."""
    tickets = TicketList({1: 5, 2: 5, 3: 5}, per_page=100)

    emitted = walk(tickets, since=5)

    assert emitted.ids() == Counter({1: 1, 2: 1, 3: 1})
    assert len(tickets.requests) == 1


def test_a_run_of_one_page_in_a_second_not_over_is_read_again():
    """Freshdesk may stamp more tickets with a second its clock still shows."""

    def stamp_ticket_4_once(tickets: TicketList) -> None:
        if len(tickets.requests) == 1:
            tickets.updated[4] = 5
            tickets.clock = 10

    tickets = TicketList({1: 5, 2: 5}, per_page=100, clock=5, after_request=stamp_ticket_4_once)

    emitted = walk(tickets, since=5)

    assert emitted.ids() == Counter({1: 1, 2: 1, 4: 1})
    assert emitted.sleeps == [RUN_SETTLE_SECONDS]


def test_a_run_is_read_once_then_checked_by_reading_its_pages_but_the_last_again():
    tickets = TicketList({i: 50 for i in range(1, 8)}, per_page=3)

    emitted = walk(tickets)

    assert emitted.ids() == Counter(range(1, 8))
    passes = Counter(w.lap for w in tickets.requests if _seconds(w) == 50 and not w.newest)
    assert passes == {0: 3, 1: 2}


@pytest.mark.parametrize(
    ("leaver", "after_requests"),
    [
        pytest.param(1, 2, id="while a pass reads it: ticket 4 slides onto page 1, unseen"),
        pytest.param(2, 4, id="between the pass and its check: pages shift back by one"),
    ],
)
def test_a_ticket_leaving_the_run_makes_the_check_differ_and_another_pass(leaver, after_requests):
    """Updated to second 60: the check differs; a whole pass and its check follow."""

    def update_once(tickets: TicketList) -> None:
        if len(tickets.requests) == after_requests and tickets.updated[leaver] == 50:
            tickets.updated[leaver] = 60

    tickets = TicketList({i: 50 for i in range(1, 8)}, per_page=3, after_request=update_once)

    emitted = walk(tickets)

    passes = Counter(w.lap for w in tickets.requests if _seconds(w) == 50 and not w.newest)
    assert passes == {0: 3, 1: 3, 2: 2}
    assert emitted.ids() == Counter({**dict.fromkeys(range(1, 8), 1), leaver: 2})
    assert [r["updated_at"] for r in emitted.emitted if r["id"] == leaver][-1] == _stamp(60)


def test_a_run_whose_last_page_empties_while_it_is_read_is_read_again():
    """Ticket 4 alone was on page 2, and is deleted once page 1 is read: page 2 comes back empty."""

    def delete_ticket_4_once(tickets: TicketList) -> None:
        if len(tickets.requests) == 2:
            tickets.updated.pop(4, None)

    tickets = TicketList(
        {i: 50 for i in range(1, 5)}, per_page=3, after_request=delete_ticket_4_once
    )

    emitted = walk(tickets)

    assert emitted.ids() == Counter({1: 1, 2: 1, 3: 1})
    run = [(w.lap, w.page) for w in tickets.requests if _seconds(w) == 50]
    assert run == [(0, 1), (0, 2), (1, 1)], "the empty page ended the pass; one answer settles it"


def test_no_page_past_300_is_asked_for_and_the_cap_is_reported():
    run = TICKET_PAGE_CAP + 2
    tickets = TicketList({i: 50 for i in range(1, run + 1)}, per_page=1)

    emitted = walk(tickets)

    assert max(w.page for w in tickets.requests) == TICKET_PAGE_CAP
    assert set(emitted.caps) == {EPOCH + timedelta(seconds=50)}
    assert set(emitted.ids()) == set(range(1, TICKET_PAGE_CAP + 1))


def test_a_run_in_a_second_not_over_by_freshdesks_clock_is_read_again_later():
    """Freshdesk may still stamp tickets with a second its clock shows: wait, then reread."""
    tickets = TicketList({1: 40, 2: 50, 3: 50}, per_page=1, clock=50)

    emitted = walk(tickets)

    assert emitted.sleeps == [RUN_SETTLE_SECONDS] * MAX_SETTLE_WAITS
    assert emitted.unsettled == [EPOCH + timedelta(seconds=50)], "then settled by passes"
    assert emitted.ids() == Counter({1: 1, 2: 1, 3: 1})


def test_settle_waits_end_once_freshdesks_clock_passes_and_the_late_ticket_is_kept():
    """Ticket 4 is stamped with second 50 while the tap waits for that second to pass.

    `Date` has whole seconds: second 50 is over for certain once it shows 52, two waits on.
    """
    tickets = TicketList({1: 40, 2: 50, 3: 50}, per_page=1, clock=50)

    def freshdesk_meanwhile(seconds: float) -> None:
        tickets.updated[4] = 50
        tickets.clock += int(seconds)

    emitted = walk(tickets, while_asleep=freshdesk_meanwhile)

    assert emitted.sleeps == [RUN_SETTLE_SECONDS] * 2
    assert emitted.unsettled == [], "the second passed: the run settled by Freshdesk's clock"
    assert emitted.ids() == Counter({1: 1, 2: 1, 3: 1, 4: 1})


def test_a_clock_that_never_reaches_the_run_waits_a_bounded_number_of_times():
    """Records stamped ahead of Freshdesk's clock (skew): waiting cannot help, passes settle it."""
    tickets = TicketList({1: 40, 2: 90, 3: 90}, per_page=1, clock=50)

    def freshdesk_meanwhile(seconds: float) -> None:
        tickets.clock += int(seconds)

    emitted = walk(tickets, while_asleep=freshdesk_meanwhile)

    assert emitted.sleeps == [RUN_SETTLE_SECONDS] * MAX_SETTLE_WAITS
    assert emitted.unsettled == [EPOCH + timedelta(seconds=90)]
    assert emitted.ids() == Counter({1: 1, 2: 1, 3: 1})


def test_tickets_changed_after_the_walk_began_are_left_to_the_next_sync():
    def a_busy_helpdesk(tickets: TicketList) -> None:
        tickets.clock += 1
        tickets.updated[100 + len(tickets.requests)] = tickets.clock

    tickets = TicketList(
        {i: i for i in range(1, 31)}, per_page=5, clock=30, after_request=a_busy_helpdesk
    )

    emitted = walk(tickets)

    assert set(range(1, 31)) <= set(emitted.ids())
    assert max(_seconds(w) for w in tickets.requests) <= 31
    assert len(tickets.requests) < 20
    assert not any(w.newest for w in tickets.requests), "changes stamped by the clock: no skew"


def test_boundary_repeats_are_dropped_by_id_within_the_boundary_second():
    records = [
        {"id": 1, "updated_at": "2026-01-01T00:00:01Z"},
        {"id": 2, "updated_at": "2026-01-01T00:00:02Z"},
        {"id": 3, "updated_at": "2026-01-01T00:00:02Z"},
        {"id": 2, "updated_at": "2026-01-01T00:00:02Z"},
        {"id": 3, "updated_at": "2026-01-01T00:00:02Z"},
        {"id": 4, "updated_at": "2026-01-01T00:00:03Z"},
    ]

    assert [r["id"] for r in drop_boundary_repeats(records)] == [1, 2, 3, 4]


def test_a_ticket_seen_again_with_a_newer_second_is_kept():
    records = [
        {"id": 1, "updated_at": "2026-01-01T00:00:01Z"},
        {"id": 2, "updated_at": "2026-01-01T00:00:01Z"},
        {"id": 1, "updated_at": "2026-01-01T00:00:09Z"},
    ]

    assert [(r["id"], r["updated_at"][-3:]) for r in drop_boundary_repeats(records)] == [
        (1, "01Z"),
        (2, "01Z"),
        (1, "09Z"),
    ]


def test_the_same_id_in_an_earlier_second_is_not_a_boundary_repeat():
    """Only the current boundary second is remembered: an id seen seconds ago is a new change."""
    records = [
        {"id": 1, "updated_at": "2026-01-01T00:00:01Z"},
        {"id": 2, "updated_at": "2026-01-01T00:00:02Z"},
        {"id": 1, "updated_at": "2026-01-01T00:00:01Z"},
    ]

    assert [r["id"] for r in drop_boundary_repeats(records)] == [1, 2, 1]


def test_a_repeat_is_emitted_again_until_a_copy_listed_after_its_second_is_emitted():
    """A copy listed while its second went on may miss a change made later that second."""
    second = "2026-01-01T00:00:02Z"
    listings = [  # (id, listed after its second was over)
        (1, False),
        (2, True),
        (1, False),  # still going on: emitted again
        (2, True),  # a settled copy was emitted: dropped
        (1, True),  # the second is over: emitted a last time
        (1, True),
        (1, False),
    ]
    records = [{"id": i, "updated_at": second, "settled": s} for i, s in listings]

    kept = drop_boundary_repeats(records, lambda record: record["settled"])

    assert [(r["id"], r["settled"]) for r in kept] == [(1, False), (2, True), (1, False), (1, True)]
