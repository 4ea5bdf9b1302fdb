"""The ticket list's walk: moving `updated_since`, not the page, up to the pass's ceiling."""

from __future__ import annotations

import time
import typing as t

from singer_sdk.pagination import BaseAPIPaginator

from tap_freshdesk.http.body import json_body
from tap_freshdesk.records.timestamps import served_at
from tap_freshdesk.streams.tickets.runs import RUN_SETTLE_SECONDS, Plan, RunCheck
from tap_freshdesk.streams.tickets.window import Window, last_in_order, updated_at_of

if t.TYPE_CHECKING:
    from datetime import datetime

    import requests

Record = dict[str, t.Any]


class UpdatedAtWindowPaginator(BaseAPIPaginator[Window]):
    """Walks a list sorted by `updated_at` ascending by moving `updated_since`, not the page.

    Two facts of the ticket list make page counting unsafe. Pages past 300 are refused. And a
    ticket updated during the sync jumps to the end of the ordering, shifting every later page
    back by one, so a tap counting pages skips the record that slid onto a page it already read
    and never sees it again. Restarting at page 1 with `updated_since` = the last `updated_at`
    read (a slide) makes each request begin exactly where the data is now; the records of that
    second that come back are dropped by `window.drop_boundary_repeats`. Only a page that is
    all one second cannot slide: its run is paged by number and checked (runs.RunCheck).

    The walk ends at its ceiling, the second Freshdesk's clock showed when it began (its first
    page's `Date`): what changed since is the next run's, so a busy helpdesk cannot keep a
    sync going.

    Freshdesk's clock is not the only bound. Records can be stamped ahead of the `Date` header
    (clock skew between Freshdesk's servers), and the clock alone would then end each walk at
    its first page. A record later than both the ceiling and the clock of the page that listed
    it can only be such a record, so then, once per pass, the walk asks for the newest ticket
    (one ticket in descending order) and ends at the later of the two. An account without skew
    never pays that request.
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
        self._run = RunCheck(on_cap=on_cap, on_unsettled=on_unsettled)
        self._sleep = sleep
        self._in_run = False
        self._plan: Plan | None = None
        self._ceiling: datetime | None = None
        self._began = False
        self._asked_newest = False
        #: Where the walk goes once the newest ticket has moved the ceiling, if that allows it.
        self._after_newest: Window | None = None

    def _go_on(self, to: Window, response: requests.Response) -> Window | None:
        """Move to `to` unless its second is past the ceiling (see the class).

        Tickets stamped later changed during the sync; chasing them could go on for as long as
        agents keep working: the next run reads them. A second past the ceiling but not past
        this page's clock was stamped during the sync. One past both is ahead of the clock:
        the newest ticket, asked for once, decides.
        """
        ceiling = self._ceiling
        if ceiling is not None and to.since <= ceiling:
            return to
        if self._asked_newest:
            return None if ceiling is not None else to  # no clock and no readable newest
        served = served_at(response)
        if ceiling is not None and served is not None and to.since <= served:
            return None
        self._asked_newest, self._after_newest = True, to
        return Window(self.current_value.since, 1, self.current_value.lap, newest=True)

    def _after_newest_answer(self, response: requests.Response) -> Window | None:
        """Move the ceiling to the newest ticket's second, then go where the walk was going."""
        body = json_body(response)
        records = [r for r in body if isinstance(r, dict)] if isinstance(body, list) else []
        # The newest may be odd (no readable timestamp, not an object): the ceiling stays.
        newest_at = updated_at_of(records[0]) if records else None
        if newest_at is not None:
            self._ceiling = max(m for m in (self._ceiling, newest_at) if m is not None)
        going = self._after_newest
        return self._go_on(going, response) if going else None

    def in_scope(self, records: list[Record], response: requests.Response) -> list[Record]:
        """Return the records to emit from a page: inside a run, only the run's own second.

        Once a run's lap is confirmed, also the tickets past the run that its last page held.
        """
        since = self.current_value.since
        if self.current_value.newest:
            return []
        last = last_in_order(records, since)
        if not self._in_run:
            if last > since:
                self._plan = Plan(Window(last, 1), leaves_second=True)
                return records
            self._in_run = True  # the page is all one second: the first page of a run
        self._plan, emitted = self._run.plan(self.current_value, records, response, last)
        return emitted

    def has_more(self, response: requests.Response) -> bool:
        """More pages announced, or a run still to be confirmed by another lap."""
        return "next" in response.links or self._in_run or self.current_value.newest

    def continue_if_empty(self, response: requests.Response) -> bool:
        """Inside a run a page may hold nothing of the run's second, and the walk goes on."""
        return self._in_run or self.current_value.newest

    def get_next(self, response: requests.Response) -> Window | None:
        """Do what the page decided in `in_scope` (which reads every answer first)."""
        if self.current_value.newest:
            return self._after_newest_answer(response)
        if not self._began:
            self._began, self._ceiling = True, served_at(response)
        plan, self._plan = self._plan, None
        if plan is None:
            return None
        if plan.sleep:
            self._sleep(RUN_SETTLE_SECONDS)
        if not plan.leaves_second:
            return plan.to
        self._in_run = False
        self._run.leave()
        return self._go_on(plan.to, response) if plan.to else None
