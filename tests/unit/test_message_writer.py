"""Singer messages leave in blocks: records wait for a STATE, a full block or a second.

Only a STATE commits anything in a target, so records held back until the STATE that covers
them reach the target before it; what a sync killed in between never wrote, its resume reads
again. The tests watch stdout's write calls.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator

import pytest
from singer_sdk.singerlib import RecordMessage, SchemaMessage, StateMessage

from tap_freshdesk.sync.message_writer import FLUSH_BYTES, FLUSH_SECONDS, BlockWriter

pytestmark = pytest.mark.unit


class Pipe(io.BytesIO):
    """stdout's bytes, with each write call that reached it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.writes.append(bytes(data))
        return super().write(data)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.getvalue().splitlines()]


@contextlib.contextmanager
def stdout_pipe() -> Iterator[Pipe]:
    """sys.stdout, inside the test's body (pytest's capture sets its own between phases)."""
    raw = Pipe()
    wrapper = io.TextIOWrapper(io.BufferedWriter(raw, 1))
    stdout, sys.stdout = sys.stdout, wrapper
    try:
        yield raw
    finally:
        sys.stdout = stdout
        wrapper.detach()


def record(n: int, size: int = 10) -> RecordMessage:
    return RecordMessage(stream="tickets", record={"id": n, "subject": "x" * size})


def test_records_wait_for_the_state_that_covers_them_then_leave_in_order():
    with stdout_pipe() as pipe:
        writer = BlockWriter()
        writer.write_message(SchemaMessage(stream="tickets", schema={}, key_properties=["id"]))
        schema_writes = len(pipe.writes)
        for n in range(50):
            writer.write_message(record(n))

        assert len(pipe.writes) == schema_writes, "no record written on its own"

        writer.write_message(StateMessage(value={"bookmarks": {}}))

        types = [m["type"] for m in pipe.lines()]
        assert types == ["SCHEMA", *["RECORD"] * 50, "STATE"]
        assert [m["record"]["id"] for m in pipe.lines() if m["type"] == "RECORD"] == list(range(50))
        assert len(pipe.writes) == schema_writes + 1, "the records and their STATE in one write"


def test_a_full_block_is_written_without_waiting_for_a_state():
    with stdout_pipe() as pipe:
        writer = BlockWriter()
        for n in range(FLUSH_BYTES // 1000 + 1):
            writer.write_message(record(n, size=1000))

        assert len(pipe.writes) == 1
        assert len(pipe.getvalue()) >= FLUSH_BYTES


def test_records_wait_at_most_a_second():
    with stdout_pipe() as pipe:
        writer = BlockWriter()
        writer.write_message(record(1))
        writer._flushed_at -= FLUSH_SECONDS  # a second goes by before the next record

        writer.write_message(record(2))

        assert [m["record"]["id"] for m in pipe.lines()] == [1, 2]


def test_records_left_when_the_sync_ends_on_an_error_are_written_at_exit():
    with stdout_pipe() as pipe:
        writer = BlockWriter()
        writer.write_message(record(1))

        writer.flush_at_exit()

        assert [m["record"]["id"] for m in pipe.lines()] == [1]


def test_a_number_json_cannot_carry_is_written_as_null():
    # A body repaired by the lenient parser (tap_freshdesk.http.body) may hold NaN or Infinity;
    # the SDK's type conformance is off, so the writer is what keeps the line valid JSON.
    with stdout_pipe() as pipe:
        writer = BlockWriter()
        values = {"id": 1, "nan": float("nan"), "inf": float("inf"), "nested": {"x": -float("inf")}}
        writer.write_message(RecordMessage(stream="tickets", record=values))
        writer.flush()

        written = pipe.lines()[0]["record"]
        assert written == {"id": 1, "nan": None, "inf": None, "nested": {"x": None}}
