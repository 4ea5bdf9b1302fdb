"""The account's own set-up: who works in it and how its fields are defined.

These lists are small and have no update filter: each run reads them whole and emits the
records whose `updated_at` passed the bookmark.
"""

from __future__ import annotations

import typing as t
from http import HTTPStatus

from singer_sdk.exceptions import FatalAPIError

from tap_freshdesk.client import FreshdeskStream
from tap_freshdesk.errors import StreamUnavailableError

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    import requests
    from singer_sdk.helpers.types import Context


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
    """Skills for skill-based ticket routing, at `admin/skills`, else at `skills`.

    Accounts on the older routing serve the same list at `skills` and answer 404 at
    `admin/skills` (Freshdesk's API routes have served it at both paths over time).
    """

    name = "skills"
    path = "/admin/skills"
    older_path = "/skills"
    replication_key = "updated_at"
    plan_feature = "skill-based routing"

    def read_pages(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        """Read `admin/skills`; where it answers 404, read the older `skills` instead."""
        try:
            yield from super().read_pages(context)
        except OlderRoutingError:
            self.logger.info("%s: admin/skills answered 404; reading skills instead.", self.name)
            self.path = self.older_path
            yield from super().read_pages(context)

    def validate_response(self, response: requests.Response) -> None:
        """Send the stream to the older path when `admin/skills` answers 404."""
        try:
            super().validate_response(response)
        except StreamUnavailableError:
            if response.status_code == HTTPStatus.NOT_FOUND and self.path != self.older_path:
                raise OlderRoutingError from None
            raise


class OlderRoutingError(FatalAPIError):
    """`admin/skills` answered 404: the account serves skills at the older path."""


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
