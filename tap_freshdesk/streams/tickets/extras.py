"""Per-ticket objects beside conversations: watchers and the summary note. Off by default.

Each costs one request per ticket the tickets stream emits (as many as conversations), so
each is turned on by a setting that says so (`include_ticket_watchers`,
`include_ticket_summaries`). The streams are selected by default like every stream, so that
Meltano's default selection (`*.*`) is the tap's, and stay quiet (no request, no SCHEMA) until
turned on. Shapes from Freshdesk's API reference: "List all watchers" (`tickets/[id]/watchers`
→ `{"watcher_ids": [...]}`) and "View Summary" (`tickets/[id]/summary` → one note object;
plans from Blossom up). A ticket without a summary answers 404; an archived ticket has neither
endpoint, so it costs no request here.
"""

from __future__ import annotations

import threading
import typing as t
from http import HTTPStatus

from tap_freshdesk.http.body import InvalidBodyError, json_body
from tap_freshdesk.http.errors import StreamUnavailableError
from tap_freshdesk.streams.base import FreshdeskStream
from tap_freshdesk.streams.tickets.tickets import TicketsStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests
    from singer_sdk.helpers.types import Context


class TicketObjectStream(FreshdeskStream):
    """One object per ticket, keyed by the ticket: a 404 means the ticket has none."""

    parent_stream_type = TicketsStream
    primary_keys: t.ClassVar[tuple[str, ...]] = ("ticket_id",)
    filtered_by_parent = True
    not_found_is_empty = True
    #: The setting that turns this stream on.
    enabled_by: t.ClassVar[str]

    _unavailable = False
    _lock = threading.Lock()

    @property
    def selected(self) -> bool:
        """Selected in the catalog and turned on by its setting."""
        return bool(getattr(self.settings, self.enabled_by)) and self.mask.get((), True)

    @selected.setter
    def selected(self, value: bool | None) -> None:
        self.set_selection(value)

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging parameters: one object."""
        return {}

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Nothing for an archived ticket, nor once the plan proved to lack the feature."""
        if not (self._unavailable or (context or {}).get("archived")):
            yield from super().read_pages(context)

    def validate_response(self, response: requests.Response) -> None:
        """Take a `require_feature` 403 as the plan's (a 404 means "none for this ticket").

        Freshdesk answers a plan gate with `{"code": "require_feature"}` (seen for archiving
        and the activities export); any other 403 is about one ticket (a soft-deleted one) and
        skips that ticket only. Children are read several at a time: the first plan 403 warns
        and stops the stream, the ones already in flight end quietly.
        """
        if response.status_code == HTTPStatus.FORBIDDEN and _code(response) == "require_feature":
            self.count_answer(response)
            with self._lock:
                first, self._unavailable = not self._unavailable, True
            if first:
                msg = f"the account's plan does not include {self.plan_feature} (403)."
                raise StreamUnavailableError(msg)
            return
        super().validate_response(response)

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Return the object, or nothing on a plan 403 already reported."""
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            return []
        return super().parse_response(response)


def _code(response: requests.Response) -> str | None:
    try:
        body = json_body(response)
    except InvalidBodyError:
        return None
    return body.get("code") if isinstance(body, dict) else None


class TicketWatchersStream(TicketObjectStream):
    """The agents watching each ticket: `{ticket_id, watcher_ids}`."""

    name = "ticket_watchers"
    path = "/tickets/{ticket_id}/watchers"
    plan_feature = "ticket watchers"
    enabled_by = "include_ticket_watchers"


class TicketSummariesStream(TicketObjectStream):
    """The summary note agents keep on a ticket, where it has one."""

    name = "ticket_summaries"
    path = "/tickets/{ticket_id}/summary"
    plan_feature = "ticket summaries"
    enabled_by = "include_ticket_summaries"
