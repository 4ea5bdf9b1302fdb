"""Ticket forms: the forms customers pick from on the portal, each with its own fields.

`GET /ticket-forms` (API reference, "Ticket Forms"; admin privileges, plans with multiple
forms) answers a bare array of `{id, name, title, default, description, created_at,
updated_at, last_updated_by, portals}`. The reference shows no paging parameter for it, so
none is sent but the `page` of a `Link` Freshdesk might send.
"""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.base import FreshdeskStream
from tap_freshdesk.streams.pagination import page_number

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class TicketFormsStream(FreshdeskStream):
    """Ticket forms; `form_id` on tickets refers to them."""

    name = "ticket_forms"
    path = "/ticket-forms"
    replication_key = "updated_at"
    plan_feature = "ticket forms (admin access)"

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Only the page a `Link` names: `per_page` is not documented for this endpoint."""
        return {} if next_page_token is None else {"page": page_number(next_page_token)}
