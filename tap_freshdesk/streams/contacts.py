"""Contacts (API reference, "Contacts"), incremental on the server, deleted and blocked too."""

from __future__ import annotations

from tap_freshdesk.client import FlaggedPass, FreshdeskStream


class ContactsStream(FreshdeskStream):
    """Contacts, filtered by the bookmark server-side (note the leading underscore)."""

    name = "contacts"
    rate_lane = "contacts"
    path = "/contacts"
    replication_key = "updated_at"
    since_param = "_updated_since"
    custom_fields_from = "contact_fields"
    flagged_passes = (
        FlaggedPass("deleted", {"state": "deleted"}),
        FlaggedPass("blocked", {"state": "blocked"}),
    )
