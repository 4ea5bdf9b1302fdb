"""The people and organisations tickets come from."""

from __future__ import annotations

from tap_freshdesk.client import FreshdeskStream, RemovedView


class ContactsStream(FreshdeskStream):
    """Contacts, filtered by the bookmark server-side (note the leading underscore)."""

    name = "contacts"
    rate_lane = "contacts"
    path = "/contacts"
    replication_key = "updated_at"
    since_param = "_updated_since"
    custom_fields_from = "contact_fields"
    removed_views = (
        RemovedView("deleted", {"state": "deleted"}),
        RemovedView("blocked", {"state": "blocked"}),
    )


class CompaniesStream(FreshdeskStream):
    """Companies; the list has no update filter, so the bookmark is applied here."""

    name = "companies"
    path = "/companies"
    replication_key = "updated_at"
    custom_fields_from = "company_fields"
