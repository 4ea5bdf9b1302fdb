"""Conversations (API reference, "Conversations": "List All Conversations of a Ticket")."""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.base import FreshdeskStream
from tap_freshdesk.streams.tickets.tickets import TicketsStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class ConversationsStream(FreshdeskStream):
    """Replies and notes of every ticket the tickets stream emits in this run.

    A reply or note moves its ticket's `updated_at`, so fetching conversations only for
    changed tickets makes this stream incremental at no extra cost: unchanged tickets cost
    no request. One call per ticket (more past 100 conversations) is most of a sync's budget.
    """

    name = "conversations"
    parent_stream_type = TicketsStream
    path = "/tickets/{ticket_id}/conversations"
    replication_key = "updated_at"
    filtered_by_parent = True

    def get_url(self, context: Context | None) -> str:
        """Read an archived ticket's conversations at `/tickets/archived/{id}/conversations`."""
        url = super().get_url(context)
        if context and context.get("archived"):
            return url.replace("/tickets/", "/tickets/archived/", 1)
        return url

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Make a lone `to_emails` address the one-element array it stands for.

        Freshdesk documents `to_emails` as an array of strings, yet some conversations carry
        one address as a plain string (singer-io tap-freshdesk #25, #30; zammad #5843), which
        targets validating against the schema reject.
        """
        if isinstance(row.get("to_emails"), str):
            row["to_emails"] = [row["to_emails"]]
        return super().post_process(row, context)
