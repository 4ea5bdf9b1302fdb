"""What the guarantee tests share: reading what a tap wrote, and comparing it with the truth."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from tests.harness import TapRun

T = TypeVar("T")

#: Streams whose partitions are keyed by these record flags (see client.RemovedView).
PARTITION_FLAGS = {"tickets": ("deleted", "spam"), "contacts": ("deleted", "blocked")}


def complete_messages(stdout: str) -> list[dict[str, Any]]:
    """The Singer messages of every complete line: what a target reads from a killed tap."""
    lines = stdout.split("\n")[:-1]  # the text after the last newline was cut off mid-write
    return [json.loads(line) for line in lines if line.startswith("{")]


def latest_versions(stream: str, *runs: TapRun) -> dict[Any, str]:
    """Per record id, the newest `updated_at` any of the runs emitted."""
    latest: dict[Any, str] = {}
    for run in runs:
        for record in run.records(stream):
            latest[record["id"]] = max(latest.get(record["id"], ""), record["updated_at"])
    return latest


def truth_versions(records: Iterable[dict[str, Any]]) -> dict[Any, str]:
    """Per record id, the `updated_at` the simulator holds now."""
    return {record["id"]: record["updated_at"] for record in records}


def emitted_ids(stream: str, *runs: TapRun) -> set[Any]:
    """Every id of `stream` any of the runs emitted."""
    return {i for run in runs for i in run.ids(stream)}


def partition_key(stream: str, record_or_context: dict[str, Any]) -> tuple[bool, ...]:
    """The partition a record (by its flags) or a STATE partition context belongs to."""
    flags = PARTITION_FLAGS.get(stream, ())
    values = tuple(bool(record_or_context.get(flag)) for flag in flags)
    if stream == "tickets" and values == (True, True):
        return (True, False)  # a deleted spam ticket is listed by the deleted pass only
    return values


def bookmarks(state: dict[str, Any], stream: str) -> dict[tuple[bool, ...], str]:
    """The resumable bookmark of each partition of `stream` in a STATE value."""
    entry = state.get("bookmarks", {}).get(stream, {})
    found = {}
    for partition in entry.get("partitions", []):
        if value := partition.get("replication_key_value"):
            found[partition_key(stream, partition["context"])] = normalise(value)
    if (value := entry.get("replication_key_value")) and stream not in PARTITION_FLAGS:
        found[()] = normalise(value)
    return found


def normalise(timestamp: str) -> str:
    """Bookmarks may carry `+00:00`; records carry Freshdesk's `Z` form."""
    return timestamp.replace("+00:00", "Z")


def run_concurrently(*calls: Callable[[], T]) -> list[T]:
    """Run slow, mostly sleeping tap processes side by side; results in call order."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


class BusyHelpdesk:
    """`mutate_every` for a number of API requests, then quiet: changes that end.

    A helpdesk changing faster than the tap reads never lets a sync reach the end of its
    lists; a real one has quiet seconds. Bounding the changes keeps each run finite.
    """

    def __init__(self, simulator: Any) -> None:
        self.simulator = simulator
        self.requests_left = 0
        # Requests are served by several threads at once (the tap reads children ahead): an
        # unlocked count could step over 0 and leave the changes on for good.
        self._lock = threading.Lock()
        simulator.on_request(self._count)

    def change_every(self, every: int, *, for_requests: int) -> None:
        """Apply the mutate batch every `every` requests during the next `for_requests`."""
        with self._lock:
            self.requests_left = for_requests
            self.simulator.configure(mutate_every=every if for_requests > 0 else None)

    def quiet(self) -> None:
        """No more changes, however many requests are left: the next run must see them all."""
        self.change_every(0, for_requests=0)

    def _count(self, method: str, path: str, query: dict[str, str]) -> None:
        with self._lock:
            if self.requests_left > 0:
                self.requests_left -= 1
                if self.requests_left == 0:
                    self.simulator.configure(mutate_every=None)


def state_overreach(
    messages: list[dict[str, Any]],
    input_state: dict[str, Any] | None,
    truth: dict[str, list[dict[str, Any]]],
) -> list[str]:
    """Where a STATE claims records not yet written before it: resuming there would lose them.

    A bookmark B of a partition promises that every record of it updated before B, and at or
    after the run's own starting bookmark, was written above that STATE. Conversations ride on
    the live tickets' bookmark: a ticket behind it must have had its conversations written.
    """
    start = {stream: bookmarks(input_state or {}, stream) for stream in truth}
    written: dict[str, set[Any]] = {stream: set() for stream in truth}
    problems: list[str] = []
    previous = None
    for message in messages:
        if message["type"] == "RECORD" and message["stream"] in written:
            written[message["stream"]].add(message["record"]["id"])
            continue
        if message["type"] != "STATE" or message["value"] == previous:
            continue
        previous = message["value"]
        for stream, records in truth.items():
            if stream == "conversations":
                continue
            for part, mark in bookmarks(message["value"], stream).items():
                floor = start[stream].get(part, "")
                missing = [
                    r["id"]
                    for r in records
                    if partition_key(stream, r) == part
                    and floor <= r["updated_at"] < mark
                    and r["id"] not in written[stream]
                ]
                if missing:
                    problems.append(f"{stream}{part} bookmark {mark} before ids {missing[:5]}")
        live = (False, False)
        mark = bookmarks(message["value"], "tickets").get(live)
        if "conversations" in truth and mark:
            floor = start["tickets"].get(live, "")
            behind = {
                t["id"]
                for t in truth["tickets"]
                if partition_key("tickets", t) == live and floor <= t["updated_at"] < mark
            }
            missing = [
                c["id"]
                for c in truth["conversations"]
                if c["ticket_id"] in behind and c["id"] not in written["conversations"]
            ]
            if missing:
                problems.append(f"tickets bookmark {mark} before conversations {missing[:5]}")
    return problems
