"""Agents (API reference, "Agents"): a small list without an update filter, read whole."""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class AgentsStream(FreshdeskStream):
    """Agents with their contact details, groups and roles."""

    name = "agents"
    path = "/agents"
    replication_key = "updated_at"
