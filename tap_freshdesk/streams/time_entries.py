"""Time entries (API reference, "Time Entries"): time agents logged on tickets."""

from __future__ import annotations

from tap_freshdesk.streams.base import FreshdeskStream


class TimeEntriesStream(FreshdeskStream):
    """Time logged on tickets; `time_spent` is text, `hh:mm`.

    Read whole every run, the bookmark on `updated_at` applied here: the list filters only on
    when the work happened (`executed_after`, `executed_before`), not on edits, and has no
    changed-since filter (NangoHQ integration-templates, `freshdesk/syncs/time-entries.ts`,
    citing the API reference's "List All Time Entries", makes its sync a full refresh for
    that reason). Reading `tickets/{id}/time_entries` for changed tickets only (singer-io
    tap-freshdesk) would be cheaper, but is complete only if editing or logging time moves
    the ticket's `updated_at`, which no source we know of says: a user's credits do not buy
    a silent loss. One run costs this list's pages, plus the tail-first walk's second looks.
    """

    name = "time_entries"
    path = "/time_entries"
    replication_key = "updated_at"
    plan_feature = "timesheets (time tracking)"
