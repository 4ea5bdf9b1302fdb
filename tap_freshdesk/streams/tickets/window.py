"""The ticket list's position (a window) and what it reads from each listed ticket.

Leaves of the window's walk, shared by the paginator (paginator.py), the same-second check
(runs.py) and the boundary memory: where the walk is, where a ticket sits in the list's order,
and whether Freshdesk's clock had left a second when it answered.
"""

from __future__ import annotations

import typing as t
from datetime import datetime, timedelta

from tap_freshdesk.records.timestamps import format_api_time, readable_time, served_at

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests

#: Freshdesk answers 400 for any ticket-list page past this one.
TICKET_PAGE_CAP = 300


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


def window_params(window: Window) -> dict[str, t.Any]:
    """Render a window as the ticket list's query parameters."""
    params = {"updated_since": format_api_time(window.since), "page": window.page}
    if window.newest:
        params.update(order_type="desc", per_page=1)
    return params


def updated_at_of(record: t.Any) -> datetime | None:
    """Return a listed record's `updated_at`; None for an odd record or timestamp."""
    return readable_time(record.get("updated_at")) if isinstance(record, dict) else None


def last_in_order(records: list[dict[str, t.Any]], since: datetime) -> datetime:
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
