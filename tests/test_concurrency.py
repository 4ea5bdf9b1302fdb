"""Children read concurrently: same output, same STATE, no extra requests, few 429s."""

from __future__ import annotations

import pytest

from tests.harness import run_tap

STREAMS = ["tickets", "conversations", "solution_articles"]


def records_in_order(run):
    """What a target writes: each stream's records, in the order they came."""
    return [(m["stream"], m["record"]) for m in run.messages if m["type"] == "RECORD"]


def states_cover_only_written_tickets(run):
    """Every STATE's tickets bookmark is at most the last ticket written before it."""
    last_written = ""
    for message in run.messages:
        if message["type"] == "RECORD" and message["stream"] == "tickets":
            last_written = max(last_written, message["record"]["updated_at"])
        elif message["type"] == "STATE":
            marks = bookmarks(message["value"]).get("tickets", [])
            if any(mark > last_written for mark in marks):
                return False
    return True


def bookmarks(state):
    """Each stream's bookmark values, without the run-specific signposts."""
    marks = {}
    for stream, entry in state.get("bookmarks", {}).items():
        values = [entry.get("replication_key_value")]
        values += [p.get("replication_key_value") for p in entry.get("partitions", [])]
        if any(values):
            marks[stream] = sorted(v for v in values if v)
    return marks


@pytest.mark.simulator(tickets=150, latency_ms=(1.0, 4.0))
def test_concurrent_children_change_nothing_but_the_waiting(simulator, config):
    one = run_tap({**config, "max_concurrency": 1}, streams=STREAMS)
    served_one = len(simulator.request_log)
    eight = run_tap({**config, "max_concurrency": 8}, streams=STREAMS)

    assert one.returncode == eight.returncode == 0, one.stderr + eight.stderr
    assert records_in_order(eight) == records_in_order(one)
    assert bookmarks(eight.state) == bookmarks(one.state)
    assert states_cover_only_written_tickets(eight)
    assert len(simulator.request_log) - served_one == served_one, "prefetching cost requests"
    conversation_calls = [
        r for r in simulator.request_log[served_one:] if "/conversations" in r.path
    ]
    live = [t for t in eight.records("tickets") if not (t["deleted"] or t["spam"])]
    assert len(conversation_calls) >= len(live)


@pytest.mark.simulator(tickets=120, rate_limit=25, rate_window_seconds=1.0)
def test_concurrency_under_a_rate_limit_costs_at_most_one_429_per_window(simulator, config):
    """Eight threads share one budget: a window's end costs one 429, whose pause holds all.

    Counted on the simulator's own windows (each opened by the first request after the last
    one ended), not guessed from the request log's wall-clock span. Every request costs one
    credit here (no ticket `include`). The limiter counts the credits in flight to go single
    file; a ticket page with includes counting 1 + 2 per include is shown on a fake clock
    (tests/unit/test_rate_limiter.py), as is a late list 429 with the account spent pausing
    every request (tests/unit/test_rate_lanes.py).
    """
    settings = {**config, "max_concurrency": 8, "ticket_include": []}
    run = run_tap(settings, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("conversations")) == sorted(
        c["id"] for c in simulator.truth("conversations")
    )
    refusals = simulator.limiter.refusals_per_window
    assert sum(refusals) >= 1, "the rate limit never bit: the test proves nothing"
    assert max(refusals) <= 1, f"429s per window: {refusals}"


@pytest.mark.simulator(tickets=60)
def test_each_stream_is_announced_once(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations", "solution_articles"])

    announced = [m["stream"] for m in run.messages if m["type"] == "SCHEMA"]
    assert sorted(announced) == ["conversations", "solution_articles", "tickets"]
