"""Every stream the tap offers, in the order a sync runs them.

One module per section of Freshdesk's API reference (tickets, conversations, contacts, …);
`scripts/streams_table.py` lists each stream with the module that declares it.
"""

from tap_freshdesk.streams.agents import AgentsStream
from tap_freshdesk.streams.automation import AutomationRulesStream, ScenarioAutomationsStream
from tap_freshdesk.streams.canned_responses import (
    CannedResponseFoldersStream,
    CannedResponsesStream,
)
from tap_freshdesk.streams.companies import CompaniesStream
from tap_freshdesk.streams.contacts import ContactsStream
from tap_freshdesk.streams.conversations import ConversationsStream
from tap_freshdesk.streams.discussions import (
    DiscussionCategoriesStream,
    DiscussionCommentsStream,
    DiscussionForumsStream,
    DiscussionTopicsStream,
)
from tap_freshdesk.streams.fields import (
    CompanyFieldsStream,
    ContactFieldsStream,
    TicketFieldsStream,
)
from tap_freshdesk.streams.forms import TicketFormsStream
from tap_freshdesk.streams.groups import GroupsStream
from tap_freshdesk.streams.helpdesk import (
    BusinessHoursStream,
    EmailConfigsStream,
    EmailMailboxesStream,
    HelpdeskSettingsStream,
    ProductsStream,
    SlaPoliciesStream,
)
from tap_freshdesk.streams.roles import RolesStream
from tap_freshdesk.streams.sections import TicketFieldSectionsStream
from tap_freshdesk.streams.skills import SkillsStream
from tap_freshdesk.streams.solutions import (
    SolutionArticlesStream,
    SolutionCategoriesStream,
    SolutionFoldersStream,
)
from tap_freshdesk.streams.surveys import SatisfactionRatingsStream, SurveysStream
from tap_freshdesk.streams.tickets.activities import TicketActivitiesStream
from tap_freshdesk.streams.tickets.extras import TicketSummariesStream, TicketWatchersStream
from tap_freshdesk.streams.tickets.tickets import TicketsStream
from tap_freshdesk.streams.time_entries import TimeEntriesStream

STREAM_TYPES = [
    TicketsStream,
    ConversationsStream,
    TicketActivitiesStream,
    TicketWatchersStream,
    TicketSummariesStream,
    ContactsStream,
    CompaniesStream,
    AgentsStream,
    GroupsStream,
    RolesStream,
    SkillsStream,
    TimeEntriesStream,
    SatisfactionRatingsStream,
    SurveysStream,
    TicketFieldsStream,
    TicketFieldSectionsStream,
    TicketFormsStream,
    ContactFieldsStream,
    CompanyFieldsStream,
    ProductsStream,
    BusinessHoursStream,
    SlaPoliciesStream,
    EmailConfigsStream,
    EmailMailboxesStream,
    HelpdeskSettingsStream,
    ScenarioAutomationsStream,
    AutomationRulesStream,
    CannedResponseFoldersStream,
    CannedResponsesStream,
    SolutionCategoriesStream,
    SolutionFoldersStream,
    SolutionArticlesStream,
    DiscussionCategoriesStream,
    DiscussionForumsStream,
    DiscussionTopicsStream,
    DiscussionCommentsStream,
]
