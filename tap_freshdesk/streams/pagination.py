"""Freshdesk's page-number pagination, and the sliding window the ticket list needs on top of it."""

from __future__ import annotations

import time
import typing as t
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from singer_sdk.pagination import BaseAPIPaginator

from tap_freshdesk.http.body import json_body
from tap_freshdesk.records.timestamps import format_api_time, readable_time, served_at

if t.TYPE_CHECKING:
    import requests

#: Freshdesk answers 400 for any ticket-list page past this one.
TICKET_PAGE_CAP = 300
#: How long to let a second still being stamped pass before reading its run again.
RUN_SETTLE_SECONDS = 1.0
#: Waits for one run's second to pass by Freshdesk's clock: it passes within two, unless the
#: records' clock runs ahead of the `Date` header's (clock skew), when waiting cannot help.
MAX_SETTLE_WAITS = 3
#: Passes over one second's run before the walk ends there (the next sync goes on from it):
#: a run only loses tickets once its second is over, so passes differ only a few times.
MAX_RUN_LAPS = 30


class Span(t.NamedTuple):
    """A page of a tail-first walk; `probing` while the walk still looks for the last page."""

    page: int
    probing: bool


def page_number(token: Span | int) -> int:
    """Return the `page` query parameter of a page token, whichever paginator made it."""
    return token.page if isinstance(token, Span) else token


class TailFirstPaginator(BaseAPIPaginator[Span]):
    """Reads a page-numbered list from its last page back to page 1.

    Freshdesk pages are offsets into the list as it is at each request. Removing a record (a
    contact deleted or blocked, a company deleted) moves every later record back by one, so a
    walk from page 1 never sees the record that moves from the next page onto a page it has
    read; unchanged, that record is not seen by later runs either. Walking from the end, a
    removal can only move records from pages already read onto the page read next: a repeat,
    never a loss. New records are appended at the end, past the walk's start, and are the next
    run's (their `updated_at` is later than the pass's ceiling).

    The last page is found from page 1's `Link` header: pages 2, 4, 8… until one has no next
    link, then halving between the last page with a next link and the first empty one. A list
    of one page costs nothing extra; a list of P pages about 2·log2(P) requests.
    Records inserted into the middle of the list (a contact restored, deleted or blocked
    joins a view in its place by id) move records the other way, from the page read next
    onto one already read: ContactsStream walks such a view again when that can have happened.
    """

    def __init__(self) -> None:
        super().__init__(start_value=Span(1, probing=True))
        self._with_next = 0  # the highest page seen with a next link
        self._past_end: int | None = None  # the lowest page seen empty

    @property
    def spans_pages(self) -> bool:
        """Whether the list had more than one page: a walk of one answer cannot miss a record."""
        return self._with_next > 0

    def emits(self, response: requests.Response) -> bool:
        """Whether this page's records are read: every page of the walk, no probe but the last."""
        if not self.current_value.probing:
            return True
        body = _list_body(response)
        return body is None or (bool(body) and "next" not in response.links)

    def has_more(self, response: requests.Response) -> bool:
        """Leave the end to `get_next`: an empty probe does not end the walk."""
        return True

    def continue_if_empty(self, response: requests.Response) -> bool:
        """Go on past an empty probe, or a page emptied while walking."""
        return True

    def get_next(self, response: requests.Response) -> Span | None:
        """Probe for the last page, then step back one page at a time to page 1."""
        page, probing = self.current_value
        body = _list_body(response)
        if body is None:
            return None  # one object, or an answer the stream let through (a 404): no list
        if not probing or self.emits(response):
            return Span(page - 1, probing=False) if page > 1 else None
        if body:
            self._with_next = page
        else:
            self._past_end = page
        if self._past_end is None:
            return Span(page * 2, probing=True)
        if self._past_end - self._with_next <= 1:
            # Page n announced more and page n + 1 is empty: the list shrank in between.
            return Span(self._with_next, probing=False) if self._with_next else None
        return Span((self._with_next + self._past_end) // 2, probing=True)


class Window(t.NamedTuple):
    """A ticket-list position: page `page` of everything updated since `since`.

    `lap` counts laps over one second's run of tickets; it is never sent, it only tells one
    lap's first page from the previous lap's.
    """

    since: datetime
    page: int
    lap: int = 0
    #: Not a page of the walk: the newest ticket (`order_type=desc`, one per page), asked for
    #: only when the walk meets records stamped ahead of Freshdesk's clock.
    newest: bool = False


class _Reference(t.NamedTuple):
    """A whole lap over a run, read while no ticket could join it, waiting for its check."""

    lap: int
    pages: int
    #: The run's ids on every page but the last: what the check reads again.
    prefix: frozenset[t.Any]
    #: The last page's tickets past the run, emitted once the pass is confirmed.
    held: list[dict[str, t.Any]]
    #: Where the walk goes after the run; None when the list ended there.
    goes_on: Window | None


class _Plan(t.NamedTuple):
    """What a page decided, carried out when the paginator advances."""

    to: Window | None
    #: The walk moves past the page's second (a slide, or a run settled): the pass's bound
    #: applies, and any run is over.
    leaves_second: bool = False
    sleep: bool = False


class UpdatedAtWindowPaginator(BaseAPIPaginator[Window]):
    """Walks a list sorted by `updated_at` ascending by moving `updated_since`, not the page.

    Two facts of the ticket list make page counting unsafe. Pages past 300 are refused. And a
    ticket updated during the sync jumps to the end of the ordering, shifting every later page
    back by one, so a tap counting pages skips the record that slid onto a page it already read
    and never sees it again. Restarting at page 1 with `updated_since` = the last `updated_at`
    read makes each request begin exactly where the data is now; the records of that second
    that come back are dropped by :func:`drop_boundary_repeats`.

    Only when a whole page shares one second (timestamps have one-second precision, and a bulk
    update can stamp thousands of tickets alike) must pages be counted. Then the tap emits only
    that second's records, page by page (a pass), and checks that the pass lost nothing. A
    pass loses a ticket only when another leaves the run (updated, deleted, spammed) from a
    page already read, before the pass ends: then a ticket of the next page slides onto it.
    Once the run's second is over by Freshdesk's clock (its `Date` header) before a pass
    begins, no ticket can join the run, and reading the pass's pages but the last again
    checks it: a ticket that left is missing from them, so equal ids mean nothing was lost.
    A one-page run is one answer and needs no check. The last page's tickets past the run are
    emitted once the check agrees, and the walk slides on from the last of them. Otherwise
    passes go on, a second apart while the second is not over, until a pass is confirmed, or
    until two whole passes in a row list the same ids.

    The walk ends at the second Freshdesk's clock showed when it began (its first page's
    `Date`): what changed since is the next run's, so a busy helpdesk cannot keep a sync going.

    Freshdesk's clock is not the only bound. Records can be stamped ahead of the `Date` header
    (clock skew between Freshdesk's servers), and the clock alone would then end each walk at
    its first page. A record later than both the pass's clock and the clock of the page that
    listed it can only be such a record, so then, once per pass, the walk asks for the newest
    ticket (one ticket in descending order) and ends at the later of the two. An account
    without skew never pays that request. A run in a second still ahead of the clock would
    also be waited on for as long as the skew, a request a second. So a run waits for the clock
    at most MAX_SETTLE_WAITS times, then settles by whole passes alone; and after MAX_RUN_LAPS
    passes the walk ends at the run's second, which is always safe: the bookmark covers only
    what was emitted, and the next sync starts from that second.
    """

    def __init__(
        self,
        since: datetime,
        *,
        on_cap: t.Callable[[datetime], None],
        on_unsettled: t.Callable[[datetime, str], None],
        sleep: t.Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(start_value=Window(since, 1))
        self._on_cap = on_cap
        self._on_unsettled = on_unsettled
        self._sleep = sleep
        self._settle_waits = 0
        self._in_run = False
        self._plan: _Plan | None = None
        self._lap_ids: set[t.Any] = set()
        self._previous_lap_ids: set[t.Any] | None = None
        self._pass_clean = False
        self._reference: _Reference | None = None
        self._pass_began: datetime | None = None
        self._asked_newest = False
        self._began = False
        #: Where the walk goes once the newest ticket has moved the bound, if that allows it.
        self._after_newest: Window | None = None

    def _go_on(self, to: Window, response: requests.Response) -> Window | None:
        """Move to `to` unless its second is past this pass's bound (see the class).

        Tickets stamped later changed during the sync; chasing them could go on for as long as
        agents keep working: the next run reads them. A second past the pass's clock but not
        past this page's was stamped during the sync. One past both is ahead of the clock:
        the newest ticket, asked for once, decides.
        """
        bound = self._pass_began
        if bound is not None and to.since <= bound:
            return to
        if self._asked_newest:
            return None if bound is not None else to  # no clock and no readable newest
        served = served_at(response)
        if bound is not None and served is not None and to.since <= served:
            return None
        self._asked_newest, self._after_newest = True, to
        return Window(self.current_value.since, 1, self.current_value.lap, newest=True)

    def _after_newest_answer(
        self, records: list[dict[str, t.Any]], response: requests.Response
    ) -> Window | None:
        """Move the bound to the newest ticket's second, then go where the walk was going."""
        # The newest may be odd (no readable timestamp, not an object): the bound stays.
        newest_at = updated_at_of(records[0]) if records else None
        if newest_at is not None:
            bounds = [m for m in (self._pass_began, newest_at) if m is not None]
            self._pass_began = max(bounds)
        going = self._after_newest
        return self._go_on(going, response) if going else None

    def in_scope(
        self, records: list[dict[str, t.Any]], response: requests.Response
    ) -> list[dict[str, t.Any]]:
        """Return the records to emit from a page: inside a run, only the run's own second.

        Once a run's pass is confirmed, also the tickets past the run that its last page held.
        """
        since = self.current_value.since
        if self.current_value.newest:
            return []
        last = _last_in_order(records, since)
        if not self._in_run:
            if last > since:
                self._plan = _Plan(Window(last, 1), leaves_second=True)
                return records
            self._in_run = True  # the page is all one second: the first page of a run
        # A record without a readable `updated_at` cannot be placed: it is kept (and named
        # as odd when emitted) rather than lost.
        ours: list[dict[str, t.Any]] = []
        rest: list[dict[str, t.Any]] = []
        for record in records:
            (ours if updated_at_of(record) in {since, None} else rest).append(record)
        self._plan, held = self._plan_run(records, last, ours, rest, response)
        return ours + held

    def _plan_run(  # noqa: PLR0911 - one per move
        self,
        records: list[dict[str, t.Any]],
        last: datetime,
        ours: list[dict[str, t.Any]],
        rest: list[dict[str, t.Any]],
        response: requests.Response,
    ) -> tuple[_Plan, list[dict[str, t.Any]]]:
        """Decide, from one page of a run, where the walk goes and what else it emits.

        `last` is the page's last second in sort order, worked out once by `in_scope`.
        """
        since, page, lap, _ = self.current_value
        if page == 1:
            self._pass_clean, self._lap_ids = served_after(response, since), set()
        prefix = frozenset(self._lap_ids)
        self._lap_ids.update(r.get("id") for r in ours if isinstance(r, dict))
        reference = self._reference
        if (
            reference is not None
            and lap > reference.lap
            and page == reference.pages - 1
            and self._lap_ids == reference.prefix
        ):
            return _Plan(reference.goes_on, leaves_second=True), reference.held
        if last == since and "next" in response.links:
            if page < TICKET_PAGE_CAP:
                return _Plan(Window(since, page + 1, lap)), []
            self._on_cap(since)
        # The pass ends on this page.
        if not served_after(response, since):
            if self._settle_waits < MAX_SETTLE_WAITS:
                # Tickets may still be stamped with this second: let it pass, then read it again.
                self._settle_waits += 1
                self._previous_lap_ids = self._reference = None
                return _Plan(Window(since, 1, lap + 1), sleep=True), []
            if self._settle_waits == MAX_SETTLE_WAITS:
                self._settle_waits += 1
                self._on_unsettled(since, "its second is still ahead of Freshdesk's clock")
        else:
            self._settle_waits = 0
        goes_on, held = self._past_run(records, last, rest, response)
        trusted = self._pass_clean or self._settle_waits > MAX_SETTLE_WAITS
        if trusted and self._lap_ids == self._previous_lap_ids:
            return _Plan(goes_on, leaves_second=True), held  # two whole passes agree
        if self._pass_clean and page == 1:
            return _Plan(goes_on, leaves_second=True), held  # one answer: nothing could slide
        if lap >= MAX_RUN_LAPS:
            self._on_unsettled(since, f"its tickets kept changing over {lap} passes")
            return _Plan(None), []
        self._previous_lap_ids = set(self._lap_ids)
        self._reference = _Reference(lap, page, prefix, held, goes_on) if self._pass_clean else None
        return _Plan(Window(since, 1, lap + 1)), []

    def _past_run(
        self,
        records: list[dict[str, t.Any]],
        last: datetime,
        rest: list[dict[str, t.Any]],
        response: requests.Response,
    ) -> tuple[Window | None, list[dict[str, t.Any]]]:
        """Where the walk goes once the run is settled, and the last page's tickets to emit.

        The page's tickets past the run follow the run in the list only if the page starts
        inside it (or is the list's first page): then they are emitted and the walk slides on
        from the last of them. Otherwise the walk starts again at the second after the run.
        """
        since = self.current_value.since
        starts_in_run = self.current_value.page == 1 or (
            bool(records) and updated_at_of(records[0]) in {since, None}
        )
        if rest and last > since and starts_in_run:
            return Window(last, 1), rest
        if rest or "next" in response.links:
            return Window(since + timedelta(seconds=1), 1), []
        return None, []

    def has_more(self, response: requests.Response) -> bool:
        """More pages announced, or a run still to be confirmed by another pass."""
        return "next" in response.links or self._in_run or self.current_value.newest

    def continue_if_empty(self, response: requests.Response) -> bool:
        """Inside a run a page may hold nothing of the run's second, and the walk goes on."""
        return self._in_run or self.current_value.newest

    def get_next(self, response: requests.Response) -> Window | None:
        """Do what the page decided in `in_scope` (which reads every answer first)."""
        if self.current_value.newest:
            body = json_body(response)
            records = [r for r in body if isinstance(r, dict)] if isinstance(body, list) else []
            return self._after_newest_answer(records, response)
        if not self._began:
            self._began, self._pass_began = True, served_at(response)
        plan, self._plan = self._plan, None
        if plan is None:
            return None
        if plan.sleep:
            self._sleep(RUN_SETTLE_SECONDS)
        if not plan.leaves_second:
            return plan.to
        self._in_run, self._previous_lap_ids, self._reference = False, None, None
        return self._go_on(plan.to, response) if plan.to else None


def _list_body(response: requests.Response) -> list[t.Any] | None:
    """Return the page's records; None for a body that is no list (one object, a 404)."""
    if not response.ok or not response.content:
        return None
    body = json_body(response)
    return body if isinstance(body, list) else None


def updated_at_of(record: t.Any) -> datetime | None:
    """Return a listed record's `updated_at`; None for an odd record or timestamp."""
    return readable_time(record.get("updated_at")) if isinstance(record, dict) else None


def _last_in_order(records: list[dict[str, t.Any]], since: datetime) -> datetime:
    """Return the page's latest `updated_at` in sort order, from `since`.

    A record missing the timestamp, or stamped earlier than the records before it (out of
    order), must not move the window: the window slides to the last in-order timestamp.
    """
    last = since
    for record in records:
        moment = updated_at_of(record)
        if moment is not None and moment >= last:
            last = moment
    return last


def served_after(response: requests.Response, since: datetime) -> bool:
    """Whether Freshdesk's clock had left `since`'s second: no ticket can join that run now."""
    served = served_at(response)
    return served is None or served > since + timedelta(seconds=1)


def window_params(window: Window) -> dict[str, t.Any]:
    """Render a window as the ticket list's query parameters."""
    params = {"updated_since": format_api_time(window.since), "page": window.page}
    if window.newest:
        params.update(order_type="desc", per_page=1)
    return params


def drop_boundary_repeats(
    records: Iterable[dict[str, t.Any]],
    settled: t.Callable[[dict[str, t.Any]], bool] = lambda record: True,
) -> Iterator[dict[str, t.Any]]:
    """Drop the records a window slide lists a second time, once a copy of them is final.

    Each slide asks again for the last second already read, so the records of that second come
    back; they are recognised by id among the records sharing the current latest `updated_at`.
    A record seen again with a newer `updated_at` changed during the sync and is kept.

    `settled(record)` says whether this copy was listed after its second was over. Timestamps
    have one-second precision: a ticket listed while its second went on may change again in
    that second (a reply added after its thread was read) without a new `updated_at`. Until a
    settled copy is emitted, a repeat is emitted again, its children read again: the walk may go
    on past that second, and then no later run lists the ticket again.
    """
    boundary: str | None = None
    final: dict[t.Any, bool] = {}  # id → whether a copy emitted at the boundary was settled
    for record in records:
        updated_at = record.get("updated_at")
        if updated_at != boundary:
            boundary, final = updated_at, {}
        elif final.get(record["id"]):
            continue
        final[record["id"]] = settled(record)
        yield record
