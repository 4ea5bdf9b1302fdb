"""One ticket by id, from the archive or the live endpoint: the archive probe's lookups.

Each is a stream only to read through the same transport, retries and rate limit as every list;
none is synced as a stream of its own.
"""

from __future__ import annotations

import functools
import typing as t

from singer_sdk import RESTStream

from tap_freshdesk.sdk.logs import per_parent_notices
from tap_freshdesk.streams.base import SCHEMAS, FreshdeskStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

Record = dict[str, t.Any]


class OneTicket(FreshdeskStream):
    """One ticket by id: a lookup of the probe, never synced as a stream of its own.

    A 404 is an answer here (the id is not there), not an error, and a 403 `access_denied`
    is about this one ticket (ObjectRefusedError).
    """

    path = "/tickets/{ticket_id}"
    replication_key = None
    not_found_is_empty = True
    one_object = True

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger.addFilter(per_parent_notices)  # "Pagination stopped" per 404

    @functools.cached_property
    def schema(self) -> dict[str, t.Any]:
        """The tickets stream's schema: these answers are tickets."""
        return SCHEMAS.get_schema("tickets")

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No query: a single object takes no paging parameters."""
        return {}

    def fetch(self, ticket_id: int) -> Record | None:
        """Return the ticket, or None when this endpoint does not have it; errors raised.

        An answer without `id` gets the id it was asked by (the URL names the ticket), with
        a warning: without one a target could not upsert it, nor its children be read.
        """
        found = list(RESTStream.request_records(self, {"ticket_id": ticket_id}))
        if not found or not isinstance(found[0], dict):
            return None
        record = found[0]
        if record.get("id") is None:
            record["id"] = ticket_id
            where = f"GET {self.path.format(ticket_id=ticket_id)}"
            self.shared.oddities.emitted("tickets", where, "no `id`: the id asked for is used")
        return record


class ArchivedTicket(OneTicket):
    """An archived ticket (`GET /tickets/archived/{id}`); a plan without archiving answers 403."""

    name = "archived_ticket_lookups"
    path = "/tickets/archived/{ticket_id}"
    plan_feature = "ticket archiving"


class LiveTicket(OneTicket):
    """A live ticket (`GET /tickets/{id}`), asked only where a list met the page cap."""

    name = "ticket_lookups"
