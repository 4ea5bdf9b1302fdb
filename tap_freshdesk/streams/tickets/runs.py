"""The same-second check: reading a run of tickets that share one `updated_at` second whole.

Timestamps have one-second precision, and a bulk update can stamp thousands of tickets alike,
so a whole page can share one second. The window cannot slide past such a page: its pages must
be counted, in one window (a run). A lap over a run loses a ticket only when another leaves the
run (updated, deleted, spammed) from a page already read, before the lap ends: then a ticket of
the next page slides onto it.

Once the run's second is over by Freshdesk's clock (its `Date` header) before a lap begins, no
ticket can join the run, and reading the lap's pages but the last again checks it: a ticket
that left is missing from them, so equal ids mean nothing was lost. A one-page run is one
answer and needs no check. The tickets past the run on its last page are held until the check
agrees. Otherwise laps go on, a second apart while the second is not over, until a check
agrees or two whole laps in a row list the same ids.

A run in a second still ahead of the clock (clock skew) would be waited on for as long as the
skew, so it waits for the clock at most MAX_SETTLE_WAITS times, then settles by whole laps
alone; after MAX_RUN_LAPS laps the walk ends at the run's second, which is always safe: the
bookmark covers only what was emitted, and the next sync starts from that second.
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

from tap_freshdesk.streams.tickets.window import (
    TICKET_PAGE_CAP,
    Window,
    served_after,
    updated_at_of,
)

if t.TYPE_CHECKING:
    from datetime import datetime

    import requests

Record = dict[str, t.Any]

#: How long to let a second still being stamped pass before reading its run again.
RUN_SETTLE_SECONDS = 1.0
#: Waits for one run's second to pass by Freshdesk's clock: it passes within two, unless the
#: records' clock runs ahead of the `Date` header's (clock skew), when waiting cannot help.
MAX_SETTLE_WAITS = 3
#: Laps over one second's run before the walk ends there (the next sync goes on from it): a
#: run only loses tickets once its second is over, so laps differ only a few times.
MAX_RUN_LAPS = 30


class Plan(t.NamedTuple):
    """What a page decided, carried out when the paginator advances."""

    to: Window | None
    #: The walk moves past the page's second (a slide, or a run settled): the pass's ceiling
    #: applies, and any run is over.
    leaves_second: bool = False
    sleep: bool = False


class _Reference(t.NamedTuple):
    """A whole lap over a run, read while no ticket could join it, waiting for its check."""

    lap: int
    pages: int
    #: The run's ids on every page but the last: what the check reads again.
    prefix: frozenset[t.Any]
    #: The last page's tickets past the run, emitted once the lap is confirmed.
    held: list[Record]
    #: Where the walk goes after the run; None when the list ended there.
    goes_on: Window | None


class RunCheck:
    """Decides, page by page of a run, where the walk goes and what else it emits.

    One per walk: the settle waits count across the walk's runs, so a clock running ahead is
    waited on once, not at every run.
    """

    def __init__(
        self,
        *,
        on_cap: t.Callable[[datetime], None],
        on_unsettled: t.Callable[[datetime, str], None],
    ) -> None:
        self._on_cap = on_cap
        self._on_unsettled = on_unsettled
        self._settle_waits = 0
        self._lap_ids: set[t.Any] = set()
        self._previous_lap_ids: set[t.Any] | None = None
        self._lap_clean = False
        self._reference: _Reference | None = None

    def leave(self) -> None:
        """Forget the laps compared so far: the walk left their second, or read it again."""
        self._previous_lap_ids = self._reference = None

    def plan(
        self, window: Window, records: list[Record], response: requests.Response, last: datetime
    ) -> tuple[Plan, list[Record]]:
        """Decide from one page of a run; return the plan and the page's tickets to emit.

        Those are the run's own, and once a lap is confirmed the tickets past the run that its
        last page held. `last` is the page's last second in sort order.
        """
        since = window.since
        # A record without a readable `updated_at` cannot be placed: it is kept (and named as
        # odd when emitted) rather than lost.
        ours: list[Record] = []
        rest: list[Record] = []
        for record in records:
            (ours if updated_at_of(record) in {since, None} else rest).append(record)
        plan, held = self._plan(window, records, response, last=last, ours=ours, rest=rest)
        return plan, ours + held

    def _plan(
        self,
        window: Window,
        records: list[Record],
        response: requests.Response,
        *,
        last: datetime,
        ours: list[Record],
        rest: list[Record],
    ) -> tuple[Plan, list[Record]]:
        since, page, lap, _ = window
        if page == 1:
            self._lap_clean, self._lap_ids = served_after(response, since), set()
        prefix = frozenset(self._lap_ids)
        self._lap_ids.update(r.get("id") for r in ours if isinstance(r, dict))
        reference = self._reference
        if reference is not None and self._checks(reference, lap, page):
            return Plan(reference.goes_on, leaves_second=True), reference.held
        if last == since and "next" in response.links:
            if page < TICKET_PAGE_CAP:
                return Plan(Window(since, page + 1, lap)), []
            self._on_cap(since)
        if self._must_wait(since, response):
            self.leave()
            return Plan(Window(since, 1, lap + 1), sleep=True), []
        return self._lap_ended(window, records, response, last=last, rest=rest, prefix=prefix)

    def _checks(self, reference: _Reference, lap: int, page: int) -> bool:
        """Whether this page completes a check that agrees with the reference lap."""
        return (
            lap > reference.lap
            and page == reference.pages - 1
            and (self._lap_ids == reference.prefix)
        )

    def _must_wait(self, since: datetime, response: requests.Response) -> bool:
        """Whether tickets may still be stamped with the run's second: let it pass, read again."""
        if served_after(response, since):
            self._settle_waits = 0
            return False
        if self._settle_waits < MAX_SETTLE_WAITS:
            self._settle_waits += 1
            return True
        if self._settle_waits == MAX_SETTLE_WAITS:
            self._settle_waits += 1
            self._on_unsettled(since, "its second is still ahead of Freshdesk's clock")
        return False

    def _lap_ended(
        self,
        window: Window,
        records: list[Record],
        response: requests.Response,
        *,
        last: datetime,
        rest: list[Record],
        prefix: frozenset[t.Any],
    ) -> tuple[Plan, list[Record]]:
        """On a lap's last page, settle the run, keep the lap as the reference, or lap again."""
        since, page, lap, _ = window
        goes_on, held = _past_run(window, records, last, rest, response)
        trusted = self._lap_clean or self._settle_waits > MAX_SETTLE_WAITS
        if trusted and self._lap_ids == self._previous_lap_ids:
            return Plan(goes_on, leaves_second=True), held  # two whole laps agree
        if self._lap_clean and page == 1:
            return Plan(goes_on, leaves_second=True), held  # one answer: nothing could slide
        if lap >= MAX_RUN_LAPS:
            self._on_unsettled(since, f"its tickets kept changing over {lap} reads of it")
            return Plan(None), []
        self._previous_lap_ids = set(self._lap_ids)
        self._reference = _Reference(lap, page, prefix, held, goes_on) if self._lap_clean else None
        return Plan(Window(since, 1, lap + 1)), []


def _past_run(
    window: Window,
    records: list[Record],
    last: datetime,
    rest: list[Record],
    response: requests.Response,
) -> tuple[Window | None, list[Record]]:
    """Where the walk goes once the run is settled, and the last page's tickets to emit.

    The page's tickets past the run follow the run in the list only if the page starts inside
    it (or is the list's first page): then they are emitted and the walk slides on from the
    last of them. Otherwise the walk starts again at the second after the run.
    """
    since = window.since
    starts_in_run = window.page == 1 or (
        bool(records) and updated_at_of(records[0]) in {since, None}
    )
    if rest and last > since and starts_in_run:
        return Window(last, 1), rest
    if rest or "next" in response.links:
        return Window(since + timedelta(seconds=1), 1), []
    return None, []
