"""Freshdesk's page-number pagination, and the sliding window the ticket list needs on top of it."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from singer_sdk.pagination import BaseAPIPaginator, PageNumberPaginator

from tap_freshdesk.body import json_body
from tap_freshdesk.timestamps import format_api_time, parse_api_time

if t.TYPE_CHECKING:
    import requests

#: Freshdesk answers 400 for any ticket-list page past this one.
TICKET_PAGE_CAP = 300


class LinkPagePaginator(PageNumberPaginator):
    """Counts pages from 1 and stops when Freshdesk sends no `Link: <…>; rel="next"`.

    Freshdesk sends that header only when another page exists, so trusting it saves the empty
    request a stop-on-short-page tap makes whenever a list's size is a multiple of `per_page`.
    """

    def __init__(self) -> None:
        super().__init__(start_value=1)

    def has_more(self, response: requests.Response) -> bool:
        """Tell whether Freshdesk announced a next page."""
        return "next" in response.links


class Window(t.NamedTuple):
    """A ticket-list request position: everything updated since `since`, page `page` of it."""

    since: datetime
    page: int


class UpdatedAtWindowPaginator(BaseAPIPaginator[Window]):
    """Walks a list sorted by `updated_at` ascending by moving `updated_since`, not the page.

    Two facts of the ticket list make page counting unsafe. Pages past 300 are refused. And a
    ticket updated during the sync jumps to the end of the ordering, shifting every later page
    back by one, so a tap counting pages skips the record that slid onto a page it already read
    and never sees it again. Restarting at page 1 with `updated_since` = the last `updated_at` read
    makes the next request begin exactly where the data is now. Page numbers are used only
    while a whole page shares one second (timestamps have one-second precision), where
    `updated_since` cannot move; the records the overlap returns again are dropped by
    :func:`drop_boundary_repeats`.
    """

    def __init__(self, since: datetime, *, on_cap: t.Callable[[datetime], None]) -> None:
        super().__init__(start_value=Window(since, 1))
        self._on_cap = on_cap

    def has_more(self, response: requests.Response) -> bool:
        """Tell whether Freshdesk announced a next page."""
        return "next" in response.links

    def get_next(self, response: requests.Response) -> Window | None:
        """Slide the window to the last record's second, or turn the page inside that second."""
        records = json_body(response)
        if not records:
            return None
        last = parse_api_time(records[-1]["updated_at"])
        since, page = self.current_value
        if last > since:
            return Window(last, 1)
        if page < TICKET_PAGE_CAP:
            return Window(since, page + 1)
        # More than 300 full pages share one second: Freshdesk lists no further into it.
        self._on_cap(since)
        return Window(since + timedelta(seconds=1), 1)


def window_params(window: Window) -> dict[str, t.Any]:
    """Render a window as the ticket list's query parameters."""
    return {"updated_since": format_api_time(window.since), "page": window.page}


def drop_boundary_repeats(records: Iterable[dict[str, t.Any]]) -> Iterator[dict[str, t.Any]]:
    """Drop the records a window slide lists a second time.

    Each slide asks again for the last second already read, so the records of that second come
    back; they are recognised by id among the records sharing the current latest `updated_at`.
    A record seen again with a newer `updated_at` changed during the sync and is kept.
    """
    boundary: str | None = None
    seen: set[t.Any] = set()
    for record in records:
        updated_at = record.get("updated_at")
        if updated_at != boundary:
            boundary, seen = updated_at, set()
        elif record["id"] in seen:
            continue
        seen.add(record["id"])
        yield record
