"""The account's field definitions, custom ones included: ticket, contact and company fields.

API reference, "Ticket Fields", "Contact Fields" and "Company Fields".

Small lists without an update filter: each run reads them whole and emits the records whose
`updated_at` passed the bookmark. They are also read at the start of each run to type custom
fields (tap_freshdesk.records.custom_fields) and, for ticket fields, to find the dropdowns sections
hang off (tap_freshdesk.streams.sections): one read per run serves all of these and their own
sync (`looked_up`).
"""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class TicketFieldsStream(FreshdeskStream):
    """Definitions of the account's ticket fields, custom `cf_*` fields included."""

    name = "ticket_fields"
    path = "/ticket_fields"
    replication_key = "updated_at"
    looked_up = True


class ContactFieldsStream(FreshdeskStream):
    """Definitions of the account's contact fields."""

    name = "contact_fields"
    path = "/contact_fields"
    replication_key = "updated_at"
    looked_up = True


class CompanyFieldsStream(FreshdeskStream):
    """Definitions of the account's company fields."""

    name = "company_fields"
    path = "/company_fields"
    replication_key = "updated_at"
    looked_up = True
