"""Per-ticket objects beside conversations: watchers and the summary note. Off by default.

Each costs one request per ticket the tickets stream emits (as many as conversations), so
both are opt-in. Shapes from Freshdesk's API reference: "List all watchers"
(`tickets/[id]/watchers` → `{"watcher_ids": [...]}`) and "View Summary"
(`tickets/[id]/summary` → one note object; plans from Blossom up). A ticket without a summary
answers 404; an archived ticket has neither endpoint, so it costs no request here.
"""

from __future__ import annotations

import threading
import typing as t
from http import HTTPStatus

from singer_sdk import RESTStream

from tap_freshdesk.client import FreshdeskStream
from tap_freshdesk.errors import StreamUnavailableError
from tap_freshdesk.streams.tickets import TicketsStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests
    from singer_sdk.helpers.types import Context


class TicketObjectStream(FreshdeskStream):
    """One object per ticket, keyed by the ticket: a 404 means the ticket has none."""

    parent_stream_type = TicketsStream
    primary_keys: t.ClassVar[tuple[str, ...]] = ("ticket_id",)
    parent_filters_changes = True
    selected_by_default = False
    state_partitioning_keys: t.ClassVar[list[str]] = []

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging parameters: one object."""
        return {}

    _warned = False
    _lock = threading.Lock()

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Nothing for an archived ticket, nor once the plan proved to lack the feature.

        Tickets' children are read several at a time: the first 403 warns, the rest are quiet.
        """
        if self._warned or (context or {}).get("archived"):
            return
        try:
            yield from RESTStream.request_records(self, context)
        except StreamUnavailableError as exc:
            with self._lock:
                first, self._warned = not self._warned, True
            if first:
                self.logger.warning("Skipping stream %s: %s", self.name, exc)

    def validate_response(self, response: requests.Response) -> None:
        """Take a 404 as "none for this ticket"."""
        if response.status_code == HTTPStatus.NOT_FOUND:
            credits = self.rate_limiter.observe(response.headers)
            self._freshdesk_tap.progress.request(self.name, credits)
            return
        super().validate_response(response)

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Return the object, or nothing on a 404."""
        if response.status_code == HTTPStatus.NOT_FOUND:
            return []
        return super().parse_response(response)


class TicketWatchersStream(TicketObjectStream):
    """The agents watching each ticket: `{ticket_id, watcher_ids}`."""

    name = "ticket_watchers"
    path = "/tickets/{ticket_id}/watchers"
    plan_feature = "ticket watchers"


class TicketSummariesStream(TicketObjectStream):
    """The summary note agents keep on a ticket, where it has one."""

    name = "ticket_summaries"
    path = "/tickets/{ticket_id}/summary"
    plan_feature = "ticket summaries"
