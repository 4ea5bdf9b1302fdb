"""With `batch_config`, BATCH files per stream, not per parent, and no STATE ahead of its files.

A 1,200-ticket account: a child stream (conversations, one request per ticket) writes its records
across parents into a handful of files, cut at `batch_size`; every record lands in exactly one
file; each STATE comes after the files of every record its bookmarks cover; the last STATE is a
plain run's.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.harness import TapRun, run_tap
from tests.simulator import Simulator, SimulatorConfig

TICKETS = 1200
BATCH_SIZE = 400
#: Streams checked record by record: the parent, its per-ticket child, a list paged by number.
CHECKED = ("tickets", "conversations", "contacts")


@pytest.fixture(scope="module")
def account(tmp_path_factory):
    with Simulator(SimulatorConfig(tickets=TICKETS)) as sim:
        config = {"api_key": sim.api_key, "base_url": sim.base_url}
        root = tmp_path_factory.mktemp("batches")
        batch_config = {
            "encoding": {"format": "jsonl", "compression": "gzip"},
            "storage": {"root": root.as_uri()},
            "batch_size": BATCH_SIZE,
        }
        batched = run_tap({**config, "batch_config": batch_config})
        plain = run_tap(config)
        truth = {stream: sim.truth(stream) for stream in CHECKED}
    assert batched.returncode == 0, batched.stderr[-3000:]
    assert plain.returncode == 0, plain.stderr[-3000:]
    return batched, plain, truth


def files_of(run: TapRun, stream: str) -> list[str]:
    return [
        url
        for m in run.messages
        if m["type"] == "BATCH" and m["stream"] == stream
        for url in m["manifest"]
    ]


def read_file(url: str) -> list[dict[str, Any]]:
    with gzip.open(Path(urlsplit(url).path), "rt") as lines:
        return [json.loads(line) for line in lines]


def test_a_child_stream_writes_a_handful_of_files_not_one_per_parent(account):
    batched, _, truth = account
    conversations = files_of(batched, "conversations")

    assert len(truth["conversations"]) > 2 * BATCH_SIZE  # spread over thousands of tickets
    for url in conversations:
        assert len(read_file(url)) <= BATCH_SIZE
    tickets = files_of(batched, "tickets")
    assert len(tickets) <= math.ceil(len(truth["tickets"]) / BATCH_SIZE) + 1
    # cut at batch_size, and where the parent's own file brings a STATE
    assert len(conversations) <= math.ceil(len(truth["conversations"]) / BATCH_SIZE) + len(tickets)
    # any stream: cut at batch_size and at a STATE (ticket_activities writes one per day)
    states = sum(m["type"] == "STATE" for m in batched.messages)
    for stream in {m["stream"] for m in batched.messages if m["type"] == "BATCH"}:
        files = files_of(batched, stream)
        records = sum(len(read_file(url)) for url in files)
        assert len(files) <= math.ceil(records / BATCH_SIZE) + states, stream


def test_every_record_lands_in_exactly_one_file(account):
    batched, _, truth = account
    for stream in CHECKED:
        ids = [r["id"] for url in files_of(batched, stream) for r in read_file(url)]
        assert sorted(ids) == sorted(r["id"] for r in truth[stream]), stream
    assert not [m for m in batched.messages if m["type"] == "RECORD"]


def covered(bookmarks: dict[str, Any], stream: str, record: dict[str, Any]) -> bool:
    """Whether a bookmark of `stream` says `record` was extracted (older than its value)."""
    entry = bookmarks.get(stream, {})
    marks = [entry] + [
        p
        for p in entry.get("partitions", [])
        if all(record.get(k) == v for k, v in p.get("context", {}).items())
    ]
    values = [m["replication_key_value"] for m in marks if m.get("replication_key_value")]
    return any(record["updated_at"] < value for value in values)


def test_no_state_covers_a_record_whose_file_comes_after_it(account):
    batched, _, truth = account
    announced: dict[str, set[Any]] = {stream: set() for stream in CHECKED}
    states = 0
    for m in batched.messages:
        if m["type"] == "BATCH" and m["stream"] in announced:
            announced[m["stream"]] |= {r["id"] for url in m["manifest"] for r in read_file(url)}
        elif m["type"] == "STATE":
            states += 1
            for stream in CHECKED:
                ahead = [
                    r["id"]
                    for r in truth[stream]
                    if covered(m["value"]["bookmarks"], stream, r)
                    and r["id"] not in announced[stream]
                ]
                assert not ahead, f"STATE {states} covers {stream} {ahead[:5]} not yet in a file"
    assert states >= 2


def test_the_last_state_is_a_plain_runs(account):
    batched, plain, _ = account
    assert batched.state["bookmarks"] == plain.state["bookmarks"]


def test_no_day_of_activities_is_bookmarked_before_its_files(account):
    """`ticket_activities` writes a STATE per export day: that day's rows come in files before."""
    batched, _, _ = account
    later: list[str] = [
        row["export_date"]
        for url in files_of(batched, "ticket_activities")
        for row in read_file(url)
    ]
    assert later, "the account has activities"
    days = 0
    for m in batched.messages:
        if m["type"] == "BATCH" and m["stream"] == "ticket_activities":
            for url in m["manifest"]:
                for row in read_file(url):
                    later.remove(row["export_date"])
        elif m["type"] == "STATE":
            finished = m["value"]["bookmarks"].get("ticket_activities", {}).get("last_exported_day")
            if finished:
                days += 1
                assert not [day for day in later if day <= finished], finished
    assert days > 1
