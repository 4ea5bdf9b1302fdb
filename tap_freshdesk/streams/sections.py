"""Ticket field sections: which fields a dropdown's choices reveal on the ticket form.

`GET /admin/ticket_fields/[id]/sections` (API reference, "Sections": "List All Sections for a
Ticket Field"; admin privileges) answers `{"sections": [{id, label, parent_ticket_field_id,
choice_ids, ticket_field_ids, is_fsm}]}`. Sections hang off a dropdown (the ticket type or a
custom dropdown), so only those fields are asked, one request each, every run: sections carry
no timestamp, so the stream is read whole. A field without sections may answer 404.
"""

from __future__ import annotations

import typing as t

from singer_sdk import RESTStream

from tap_freshdesk.http.errors import FreshdeskError, StreamUnavailableError
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

#: Field types a section can hang off.
SECTION_PARENT_TYPES = ("default_ticket_type", "custom_dropdown")


class TicketFieldSectionsStream(FreshdeskStream):
    """The sections of every dropdown ticket field."""

    name = "ticket_field_sections"
    path = "/admin/ticket_fields/{ticket_field_id}/sections"
    records_key = "sections"
    not_found_is_empty = True
    plan_feature = "ticket field sections (admin access)"

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging parameters: the reference documents none for this endpoint."""
        return {}

    def request_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Ask each dropdown field for its sections; stop at the first plan or role refusal."""
        try:
            fields = self.shared.read_all("ticket_fields")
            parents = [f for f in fields if f.get("type") in SECTION_PARENT_TYPES]
        except (FreshdeskError, StreamUnavailableError) as exc:
            self.logger.warning(
                "Skipping stream %s: cannot read ticket_fields (%s)", self.name, exc
            )
            return
        try:
            for field in parents:
                yield from RESTStream.request_records(self, {"ticket_field_id": field["id"]})
        except StreamUnavailableError as exc:
            self.logger.warning("Skipping stream %s: %s", self.name, exc)
