"""Records the tap cannot process as they are: kept out of the way of the sync, never silent.

One odd record used to end a sync with a traceback (a bare `KeyError: 'id'`), and since every
resume reads the same record again, end every later sync too. Instead, a record is emitted
where it can be (a record without a readable `updated_at` is still a record; it only cannot
move the bookmark), or set aside when no target could use it (no `id` to upsert by, not an
object at all). Each is named in a warning, by stream and id or position, with the reason,
and counted in one summary line at the end. `stop_on_odd_records` makes them fatal instead.
"""

from __future__ import annotations

import logging
import threading
import typing as t
from collections import Counter
from datetime import UTC, datetime

from tap_freshdesk.http.errors import FreshdeskError
from tap_freshdesk.records.timestamps import format_api_time, readable_time

#: An epoch number at least this large counts milliseconds: as seconds it would be past 5138.
EPOCH_MILLISECONDS_FROM = 10**11
#: Warnings per stream and reason; the rest are only counted, so a bad account cannot flood
#: the log.
WARNINGS_PER_REASON = 5


class OddRecordError(FreshdeskError):
    """An odd record while `stop_on_odd_records` is on."""


class Oddities:
    """Counts odd records and repaired bodies per stream and reason, for every thread."""

    def __init__(self, logger: logging.Logger, *, stop: bool) -> None:
        self._logger = logger
        self._stop = stop
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._summarised = False

    def usable(
        self, stream: str, record: t.Any, *, where: str, needs_id: bool, key: str | None
    ) -> bool:
        """Whether a record can be emitted; set it aside, or repair it, when it is odd.

        Without `id` a target cannot upsert a record, and an object where a list's records
        should be (an error body, a changed endpoint) is no record of this stream: both are
        set aside. A record without a readable replication `key` is emitted, and keeps its
        value as sent; it just cannot move the bookmark. A number where the timestamp should
        be is an epoch (seconds, or milliseconds), and becomes Freshdesk's timestamp form.
        """
        if not isinstance(record, dict):
            self.set_aside(stream, where, f"a {type(record).__name__}, not an object")
            return False
        if needs_id and record.get("id") is None:
            self.set_aside(stream, where, "no `id`")
            return False
        if not key:
            return True
        if "id" in record:
            where = f"id {record['id']}"
        value = record.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = value / 1000 if abs(value) >= EPOCH_MILLISECONDS_FROM else value
            record[key] = format_api_time(datetime.fromtimestamp(seconds, UTC))
            self.emitted(stream, where, f"an epoch number as `{key}` (converted)")
        elif value is None:
            self.emitted(stream, where, f"no `{key}`: it cannot move the bookmark", once=True)
        elif readable_time(value) is None:
            self.emitted(stream, where, f"an unreadable `{key}`: it cannot move the bookmark")
        return True

    def set_aside(self, stream: str, where: str, reason: str) -> None:
        """Note a record left out of the output: `where` names it, `reason` says why."""
        self._note(
            stream, f"set aside: {reason}", f"Set aside a {stream} record ({where}): {reason}."
        )

    def emitted(self, stream: str, where: str, reason: str, *, once: bool = False) -> None:
        """Note a record emitted although it is odd; `once`: warn for the first one only.

        A stream whose records never carry the replication key (scenario automations have
        no timestamps) says so once, not per record.
        """
        suffix = " Further ones are only counted." if once else ""
        message = f"A {stream} record ({where}) has {reason}; emitted.{suffix}"
        self._note(stream, reason, message, limit=1 if once else WARNINGS_PER_REASON)

    def withheld(self, stream: str, where: str, answer: str) -> None:
        """Note a record Freshdesk refused this key (`answer`), left for a later run.

        Not an odd record: never fatal, whatever `stop_on_odd_records` says.
        """
        message = f"Freshdesk refused the {stream} record {where} ({answer}); kept for a later run."
        reason = "refused (403 access_denied), kept for a later run"
        self._note(stream, reason, message, fatal=False)

    def repaired(self, stream: str, where: str, characters: int) -> None:
        """Note a body made readable by replacing `characters` characters with U+FFFD."""
        reason = "characters replaced by U+FFFD (lone UTF-16 surrogates or invalid UTF-8)"
        with self._lock:
            self._counts[stream, reason] += characters
        self._logger.warning(
            "%s: %d character(s) of the body of %s could not be text (a lone UTF-16 "
            "surrogate escape or invalid UTF-8); replaced by U+FFFD, the rest read as sent.",
            stream,
            characters,
            where,
        )

    def _note(
        self,
        stream: str,
        reason: str,
        message: str,
        limit: int = WARNINGS_PER_REASON,
        *,
        fatal: bool = True,
    ) -> None:
        if self._stop and fatal:
            msg = f"{message} Stopping: `stop_on_odd_records` is on."
            raise OddRecordError(msg)
        with self._lock:
            self._counts[stream, reason] += 1
            seen = self._counts[stream, reason]
        if seen < limit:
            self._logger.warning("%s", message)
        elif seen == limit:
            further = "" if message.endswith("only counted.") else " Further ones are only counted."
            self._logger.warning("%s%s", message, further)

    def summarise(self) -> None:
        """Log what was odd in this sync, once, when the sync is over."""
        with self._lock:
            if self._summarised or not self._counts:
                return
            self._summarised = True
            items = sorted(self._counts.items())
        self._logger.warning(
            "Odd input this sync: %s.",
            "; ".join(f"{stream}: {count} {reason}" for (stream, reason), count in items),
        )
