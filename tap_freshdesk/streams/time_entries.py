"""Time entries (API reference, "Time Entries"): time agents logged on tickets."""

from __future__ import annotations

from tap_freshdesk.client import FreshdeskStream


class TimeEntriesStream(FreshdeskStream):
    """Time logged on tickets; `time_spent` is text, `hh:mm`.

    The list's `executed_after` filters on when the work happened, not on edits, so the
    bookmark on `updated_at` is applied here instead.
    """

    name = "time_entries"
    path = "/time_entries"
    replication_key = "updated_at"
    plan_feature = "timesheets (time tracking)"
