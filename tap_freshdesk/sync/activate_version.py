"""ACTIVATE_VERSION, emitted only where this run read every record of the stream.

The Singer SDK accepts `emit_activate_version_messages` without declaring it, and emits one
ACTIVATE_VERSION at the start of every FULL_TABLE sync, children included (once per parent).
A target that honours it (MeltanoLabs target-postgres) then marks deleted every row of the
table whose version is older. That is right for a list read whole, and loses data for a read
of part of the records: a child of tickets is read only for the tickets changed since the last
run (13,169 live activity rows became 26 in issue 13), a child's sync covers one parent, a
stream whose catalog forces FULL_TABLE on a replication key is still filtered by its bookmark,
and the activities export reads only the days since its own bookmark.
"""

from __future__ import annotations

from singer_sdk import typing as th

SETTING = "emit_activate_version_messages"

SCHEMA = th.Property(
    SETTING,
    th.BooleanType,
    default=False,
    title="Emit ACTIVATE_VERSION messages",
    description="Send ACTIVATE_VERSION for the streams each run reads whole (top-level "
    "streams without a replication key: settings, canned response folders, solution and "
    "discussion categories), so a target that honours it (target-postgres) marks their "
    "rows gone from Freshdesk deleted. Never sent for a stream a run reads in part: "
    "incremental streams, children of another stream, the activities export.",
).to_dict()[SETTING]


def reads_whole(*, is_child: bool, replication_key: str | None, own_bookmark: str | None) -> bool:
    """Tell whether one sync of a stream reads every record it has: no parent, no bookmark."""
    return not is_child and not replication_key and not own_bookmark
