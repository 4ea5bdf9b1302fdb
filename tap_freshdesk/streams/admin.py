"""The account's own set-up: who works in it and how its fields are defined.

These lists are small and have no update filter: each run reads them whole and emits the
records whose `updated_at` passed the bookmark.
"""

from __future__ import annotations

from tap_freshdesk.client import FreshdeskStream


class AgentsStream(FreshdeskStream):
    """Agents with their contact details, groups and roles."""

    name = "agents"
    path = "/agents"
    replication_key = "updated_at"


class GroupsStream(FreshdeskStream):
    """Agent groups tickets are assigned to."""

    name = "groups"
    path = "/groups"
    replication_key = "updated_at"


class RolesStream(FreshdeskStream):
    """Roles that grant agents their privileges."""

    name = "roles"
    path = "/roles"
    replication_key = "updated_at"


class SkillsStream(FreshdeskStream):
    """Skills for skill-based ticket routing (`admin/skills`)."""

    name = "skills"
    path = "/admin/skills"
    replication_key = "updated_at"
    plan_feature = "skill-based routing"


class TicketFieldsStream(FreshdeskStream):
    """Definitions of the account's ticket fields, custom `cf_*` fields included."""

    name = "ticket_fields"
    path = "/ticket_fields"
    replication_key = "updated_at"


class ContactFieldsStream(FreshdeskStream):
    """Definitions of the account's contact fields."""

    name = "contact_fields"
    path = "/contact_fields"
    replication_key = "updated_at"


class CompanyFieldsStream(FreshdeskStream):
    """Definitions of the account's company fields."""

    name = "company_fields"
    path = "/company_fields"
    replication_key = "updated_at"
