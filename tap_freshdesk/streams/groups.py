"""Groups (API reference, "Groups"): a small list without an update filter, read whole."""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class GroupsStream(FreshdeskStream):
    """Agent groups tickets are assigned to."""

    name = "groups"
    path = "/groups"
    replication_key = "updated_at"
