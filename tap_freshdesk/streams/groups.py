"""Groups (API reference, "Groups"): a small list without an update filter, read whole."""

from __future__ import annotations

import typing as t

from tap_freshdesk.client import FreshdeskStream

if t.TYPE_CHECKING:
    pass


class GroupsStream(FreshdeskStream):
    """Agent groups tickets are assigned to."""

    name = "groups"
    path = "/groups"
    replication_key = "updated_at"
