"""Print the README's streams table from the stream classes themselves.

Each row is read from a stream's declarations (see tap_freshdesk.streams.base.FreshdeskStream) and
the first line of its docstring (a key the tap computes, where Freshdesk sends none, is said so
by the stream's `key_origin`), with the file that declares it, so the table cannot drift from
the code: `python scripts/streams_table.py` prints it; a test checks the README holds it.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from tap_freshdesk.streams import STREAM_TYPES
from tap_freshdesk.streams.base import FreshdeskStream
from tap_freshdesk.streams.custom_objects import CustomObjectStream

ROOT = Path(__file__).resolve().parent.parent


def streams_table() -> str:
    """Render one row per stream class, custom objects last, as a Markdown table."""
    rows = [
        "| Stream | Defined in | Parent | Key | Replication key | Incremental reading "
        "| What it holds |",
        "|:--|:--|:--|:--|:--|:--|:--|",
    ]
    for stream_type in [*STREAM_TYPES, CustomObjectStream]:
        rows.append(_row(stream_type))
    return "\n".join(rows)


def _row(stream: type[FreshdeskStream]) -> str:
    name = "custom_object_<name>" if stream is CustomObjectStream else stream.name
    source = Path(inspect.getfile(stream)).resolve().relative_to(ROOT).as_posix()
    parent = stream.parent_stream_type.name if stream.parent_stream_type else ""
    keys = ", ".join(f"`{key}`" for key in stream.primary_keys) or "none"
    if origin := getattr(stream, "key_origin", None):
        keys += f" (computed by the tap: {origin})"
    replication = f"`{_replication_key(stream)}`" if _replication_key(stream) else ""
    summary = (inspect.getdoc(stream) or "").split("\n\n")[0].replace("\n", " ")
    return (
        f"| `{name}` | [{source}]({source}) | {f'`{parent}`' if parent else ''} | {keys} "
        f"| {replication} | {_reading(stream)} | {summary} |"
    )


def _replication_key(stream: type[FreshdeskStream]) -> str | None:
    """Return the declared replication key (the SDK's default is a property, no declaration)."""
    value = inspect.getattr_static(stream, "replication_key")
    return value if isinstance(value, str) else None


def _reading(stream: type[FreshdeskStream]) -> str:
    """Say how a run reads the stream, from its declarations."""
    if bookmark := stream.own_bookmark:
        how = f"its own bookmark, `{bookmark}`"
    elif stream.filtered_by_parent:
        how = "read for the parents a run emits only"
    elif not _replication_key(stream):
        how = "read whole each run"
    elif stream.since_param:
        how = f"`{stream.since_param}` on the server"
    elif stream.parent_stream_type:
        how = "every parent listed, filtered by the tap with one bookmark"
    else:
        how = "filtered by the tap"
    if stream.flagged_passes:
        flags = " / ".join(f"`{p.flag}`" for p in stream.flagged_passes)
        how += f"; {flags} records in passes of their own (`include_deleted`)"
    if setting := getattr(stream, "enabled_by", None):
        how += f"; off until `{setting}` is on"
    if stream.plan_feature:
        how += f"; skipped with a warning without {stream.plan_feature}"
    return how


if __name__ == "__main__":
    print(streams_table())
