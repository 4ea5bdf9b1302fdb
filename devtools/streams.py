"""Each stream's primary key and replication key, read from the tap's own catalog.

A stream added to the tap is known here without a change: the demo counts it, and the
end-to-end tests check it, by these keys.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from devtools.meltano_settings import TAP

Identity = tuple[str | None, ...]
#: Flags that put a record in a list pass of its own (`filter=deleted`, `state=blocked` …).
PASS_FLAGS = ("deleted", "spam", "blocked")
#: What tells apart the records of a stream without a primary key (read besides the keys).
KEYLESS_IDENTITY = {"ticket_activities": ("ticket_id", "performed_at", "performer_id")}


def as_text(value: Any) -> str | None:
    """Return a value as the destination readers give it: text, timestamps in API form.

    Timestamps become `YYYY-MM-DDTHH:MM:SSZ`. The activities export writes its timestamps day
    first (`31-10-2026 11:27:23 +0000`), which the tap turns into ISO 8601.
    """
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 25 and value[2] == value[5] == "-":
        moment = datetime.strptime(value, "%d-%m-%Y %H:%M:%S %z")
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


@dataclass(frozen=True)
class StreamSpec:
    """A stream's primary key and replication key, from the tap's catalog."""

    keys: tuple[str, ...]
    replication_key: str | None

    identifying: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """The columns the readers fetch for this stream."""
        stamp = [self.replication_key] if self.replication_key else []
        return [*self.keys, *stamp, *self.identifying]

    def content(self, row: dict[str, Any]) -> Identity:
        """Return what tells this record apart when the stream has no primary key."""
        return tuple(as_text(row.get(column)) for column in self.identifying)

    def identity(self, row: dict[str, Any]) -> Identity:
        """Return the record's primary key, as text."""
        return tuple(as_text(row.get(key)) for key in self.keys)

    def partition(self, record: dict[str, Any]) -> tuple[Any, ...]:
        """Return the list pass a record comes from, each pass with its own bookmark.

        Its deleted, spam or blocked flag, and the key parts other than `id` (an automation
        rule's type).
        """
        flags = tuple(record.get(flag) for flag in PASS_FLAGS)
        return flags + tuple(as_text(record.get(key)) for key in self.keys if key != "id")

    def version(self, row: dict[str, Any]) -> tuple[Identity, str | None]:
        """Return the primary key with the replication key's value: changes when the record does."""
        stamp = as_text(row.get(self.replication_key)) if self.replication_key else None
        return self.identity(row), stamp


def stream_specs() -> dict[str, StreamSpec]:
    """Every stream of `tap-freshdesk --discover`, with its keys."""
    done = subprocess.run(
        [TAP, "--discover"], capture_output=True, text=True, check=True, timeout=120
    )
    specs = {}
    for entry in json.loads(done.stdout)["streams"]:
        top = next(m["metadata"] for m in entry["metadata"] if not m["breadcrumb"])
        keys = tuple(entry.get("key_properties") or top.get("table-key-properties") or ())
        replication_key = (
            entry.get("replication_key") or (top.get("valid-replication-keys") or [None])[0]
        )
        stream = entry["tap_stream_id"]
        specs[stream] = StreamSpec(keys, replication_key, KEYLESS_IDENTITY.get(stream, ()))
    return specs
