"""Roles (API reference, "Roles"): a small list without an update filter, read whole."""

from __future__ import annotations

import typing as t

from tap_freshdesk.client import FreshdeskStream

if t.TYPE_CHECKING:
    pass


class RolesStream(FreshdeskStream):
    """Roles that grant agents their privileges."""

    name = "roles"
    path = "/roles"
    replication_key = "updated_at"
