"""Freshdesk's page-number pagination, read from the last page back.

The ticket list is walked by its `updated_at` window instead: streams/tickets/paginator.py.
"""

from __future__ import annotations

import typing as t

from singer_sdk.pagination import BaseAPIPaginator

from tap_freshdesk.http.body import json_body

if t.TYPE_CHECKING:
    import requests


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


def _list_body(response: requests.Response) -> list[t.Any] | None:
    """Return the page's records; None for a body that is no list (one object, a 404)."""
    if not response.ok or not response.content:
        return None
    body = json_body(response)
    return body if isinstance(body, list) else None
