"""Surveys and their answers (API reference, "Surveys" and "Satisfaction Ratings")."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from tap_freshdesk.records.timestamps import format_api_time
from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


#: How far back `created_since` reaches behind the bookmark. A customer can change a rating
#: after giving it, which moves `updated_at` but not `created_at`; peers look back 14 days.
RATING_EDIT_LOOKBACK = timedelta(days=14)


class SurveysStream(FreshdeskStream):
    """The satisfaction surveys ratings answer, with their questions."""

    name = "surveys"
    path = "/surveys"
    replication_key = "updated_at"
    plan_feature = "customer satisfaction surveys"


class SatisfactionRatingsStream(FreshdeskStream):
    """Survey answers; `ratings` is an object keyed by question (`default_question`, …).

    The list filters only on creation (`created_since`), so the request reaches back
    `RATING_EDIT_LOOKBACK` and the bookmark on `updated_at` is applied here.
    """

    name = "satisfaction_ratings"
    path = "/surveys/satisfaction_ratings"
    replication_key = "updated_at"
    plan_feature = "customer satisfaction surveys"

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """Ask for ratings created since the bookmark less the edit lookback."""
        since = self.since(context) - RATING_EDIT_LOOKBACK
        return {
            **super().get_url_params(context, next_page_token),
            "created_since": format_api_time(since),
        }
