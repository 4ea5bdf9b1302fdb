"""Every stream the tap offers, in the order a sync runs them."""

from tap_freshdesk.streams.activity import (
    SatisfactionRatingsStream,
    SurveysStream,
    TimeEntriesStream,
)
from tap_freshdesk.streams.admin import (
    AgentsStream,
    CompanyFieldsStream,
    ContactFieldsStream,
    GroupsStream,
    RolesStream,
    SkillsStream,
    TicketFieldsStream,
)
from tap_freshdesk.streams.automation import (
    AutomationRulesStream,
    CannedResponseFoldersStream,
    CannedResponsesStream,
    ScenarioAutomationsStream,
)
from tap_freshdesk.streams.customers import CompaniesStream, ContactsStream
from tap_freshdesk.streams.discussions import (
    DiscussionCategoriesStream,
    DiscussionCommentsStream,
    DiscussionForumsStream,
    DiscussionTopicsStream,
)
from tap_freshdesk.streams.forms import TicketFormsStream
from tap_freshdesk.streams.helpdesk import (
    BusinessHoursStream,
    EmailConfigsStream,
    EmailMailboxesStream,
    HelpdeskSettingsStream,
    ProductsStream,
    SlaPoliciesStream,
)
from tap_freshdesk.streams.sections import TicketFieldSectionsStream
from tap_freshdesk.streams.solutions import (
    SolutionArticlesStream,
    SolutionCategoriesStream,
    SolutionFoldersStream,
)
from tap_freshdesk.streams.ticket_extras import TicketSummariesStream, TicketWatchersStream
from tap_freshdesk.streams.tickets import (
    ConversationsStream,
    TicketActivitiesStream,
    TicketsStream,
)

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
