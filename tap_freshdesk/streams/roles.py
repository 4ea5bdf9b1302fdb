"""Roles (API reference, "Roles"): a small list without an update filter, read whole."""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class RolesStream(FreshdeskStream):
    """Roles that grant agents their privileges."""

    name = "roles"
    path = "/roles"
    replication_key = "updated_at"
