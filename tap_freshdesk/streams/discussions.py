"""The community forums: categories hold forums, forums hold topics, topics hold comments.

Every level above comments is read whole on every run, since a new comment is only found by
listing its topic. Comments keep one bookmark for the whole stream and are filtered by it here.
Accounts without the forums feature answer 403 or 404, and the four streams are skipped.
"""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.base import FreshdeskStream

FORUMS = "community forums (discussions)"


class DiscussionCategoriesStream(FreshdeskStream):
    """Forum categories."""

    name = "discussion_categories"
    path = "/discussions/categories"
    plan_feature = FORUMS
    child_context_fields: t.ClassVar[dict[str, str]] = {"category_id": "id"}


class DiscussionForumsStream(FreshdeskStream):
    """Forums of each category."""

    name = "discussion_forums"
    parent_stream_type = DiscussionCategoriesStream
    path = "/discussions/categories/{category_id}/forums"
    plan_feature = FORUMS
    child_context_fields: t.ClassVar[dict[str, str]] = {"forum_id": "id"}


class DiscussionTopicsStream(FreshdeskStream):
    """Topics of each forum."""

    name = "discussion_topics"
    parent_stream_type = DiscussionForumsStream
    path = "/discussions/forums/{forum_id}/topics"
    plan_feature = FORUMS
    child_context_fields: t.ClassVar[dict[str, str]] = {"topic_id": "id"}


class DiscussionCommentsStream(FreshdeskStream):
    """Comments (posts) of each topic."""

    name = "discussion_comments"
    parent_stream_type = DiscussionTopicsStream
    path = "/discussions/topics/{topic_id}/comments"
    replication_key = "updated_at"
    plan_feature = FORUMS
