"""Every stream the tap offers, in the order a sync runs them."""

from tap_freshdesk.streams.activity import SatisfactionRatingsStream, TimeEntriesStream
from tap_freshdesk.streams.admin import (
    AgentsStream,
    CompanyFieldsStream,
    ContactFieldsStream,
    GroupsStream,
    RolesStream,
    TicketFieldsStream,
)
from tap_freshdesk.streams.customers import CompaniesStream, ContactsStream
from tap_freshdesk.streams.tickets import ConversationsStream, TicketsStream

STREAM_TYPES = [
    TicketsStream,
    ConversationsStream,
    ContactsStream,
    CompaniesStream,
    AgentsStream,
    GroupsStream,
    RolesStream,
    TimeEntriesStream,
    SatisfactionRatingsStream,
    TicketFieldsStream,
    ContactFieldsStream,
    CompanyFieldsStream,
]
