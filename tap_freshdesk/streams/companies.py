"""Companies (API reference, "Companies")."""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class CompaniesStream(FreshdeskStream):
    """Companies; the list has no update filter, so the bookmark is applied here."""

    name = "companies"
    path = "/companies"
    replication_key = "updated_at"
    custom_fields_from = "company_fields"
