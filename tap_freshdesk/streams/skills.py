"""Skills (API reference, "Skills"): a small list without an update filter, read whole."""

from __future__ import annotations

import typing as t
from http import HTTPStatus

from singer_sdk.exceptions import FatalAPIError

from tap_freshdesk.http.errors import StreamUnavailableError
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    import requests
    from singer_sdk.helpers.types import Context


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
