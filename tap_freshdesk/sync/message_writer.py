"""Singer messages out on stdout in blocks, not one write and flush per record."""

from __future__ import annotations

import atexit
import contextlib
import sys
import time
import typing as t
import weakref

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import RecordMessage

if t.TYPE_CHECKING:
    from singer_sdk.singerlib import Message

#: Written out once this much is waiting, whatever else holds.
FLUSH_BYTES = 64 * 1024
#: Nor do records wait longer than this for the next message to carry them out.
FLUSH_SECONDS = 1.0


class BlockWriter(MsgSpecWriter):
    """Records are written in blocks; every other message (SCHEMA, STATE, BATCH…) at once.

    The SDK's writer flushes stdout after each message: one `write` system call per record,
    and with the prefetch threads waiting for the GIL each of those calls hands it over, a
    thread switch per record. A target reads lines, and only a STATE commits anything: a STATE
    flushes every record above it, so a target never commits a record it has not received,
    and a sync killed in between loses only what the resume reads again. A sync ending on an
    error still writes out every record it read before (at exit).
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        self._flushed_at = time.monotonic()
        _LIVE.add(self)

    def write_message(self, message: Message) -> None:
        """Add the message to the block; write the block out when it is due."""
        self._pending += self.format_message(message)
        if (
            not isinstance(message, RecordMessage)
            or len(self._pending) >= FLUSH_BYTES
            or time.monotonic() - self._flushed_at >= FLUSH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Write out every message waiting."""
        pending, self._pending = self._pending, bytearray()
        self._flushed_at = time.monotonic()
        sys.stdout.buffer.write(pending)
        sys.stdout.flush()

    def flush_at_exit(self) -> None:
        """Write out what waits; a closed stdout (the target is gone) takes nothing more."""
        if self._pending:
            with contextlib.suppress(OSError, ValueError):
                self.flush()


_LIVE: weakref.WeakSet[BlockWriter] = weakref.WeakSet()


@atexit.register
def _flush_every_writer() -> None:
    for writer in list(_LIVE):
        writer.flush_at_exit()
