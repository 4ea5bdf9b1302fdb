"""Rate limits, faults and refusals: waited out, retried, or ended with one clear line."""

from __future__ import annotations

import re
import time

import pytest

from tests.harness import run_tap


@pytest.mark.simulator(tickets=40, contacts=20, rate_limit=8, rate_window_seconds=1)
def test_429_waits_exactly_what_retry_after_says(simulator, config):
    """One request at a time (parent lists only), so the n-th arrival is the n-th logged.

    The wait is measured from the refused request's arrival to the next one's: the tap cannot
    read the 429 before it arrived, so this span holds the whole wait however slow the machine
    (a slow machine only lengthens it), and no slack is needed.
    """
    arrivals: list[float] = []
    simulator.on_request(lambda method, path, query: arrivals.append(time.monotonic()))
    run = run_tap({**config, "page_size": 10}, streams=["tickets", "contacts"])

    assert run.returncode == 0, run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}
    log = simulator.request_log
    assert len(arrivals) == len(log)
    refused = [i for i, r in enumerate(log) if r.status == 429]
    assert refused, "the rate limit never bit"
    for i in refused:
        if i + 1 < len(log):
            waited = arrivals[i + 1] - arrivals[i]
            assert waited >= log[i].retry_after, f"retried after {waited:.2f}s"
    # Not longer either: the wait the tap chose is the one Freshdesk asked for (a slow machine
    # may take longer to send the next request, so the wall time is no measure of it).
    said = [float(s) for s in re.findall(r"Retry-After says (\d+) s; every request", run.stderr)]
    assert said == [log[i].retry_after for i in refused]


@pytest.mark.parametrize("kind", ["500", "502", "503", "drop", "truncated", "invalid_json"])
@pytest.mark.simulator(tickets=150)
def test_transient_failures_are_retried(simulator, config, kind):
    simulator.fail_next(kind, count=2, path_prefix="/api/v2/tickets")

    run = run_tap({**config, "page_size": 50}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}
    assert simulator.stats()["faults"] == 2
    assert "retrying in" in run.stderr


@pytest.mark.simulator(tickets=20, stall_seconds=4)
def test_a_read_timeout_is_retried(simulator, config):
    simulator.fail_next("timeout", count=1, path_prefix="/api/v2/tickets")

    run = run_tap({**config, "request_timeout": 1}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}


@pytest.mark.simulator(tickets=20)
def test_a_persistent_outage_ends_with_a_clear_error(simulator, config):
    simulator.fail_next("503", count=100, path_prefix="/api/v2/tickets")

    run = run_tap({**config, "max_retry_seconds": 5}, streams=["tickets"], timeout=120)

    assert run.returncode != 0
    assert "Giving up after" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.simulator(tickets=20)
def test_a_wrong_key_gives_one_clear_error_and_never_prints_the_key(simulator, config):
    secret = "wrong-key-1234567890abcdef"

    run = run_tap({**config, "api_key": secret})

    assert run.returncode != 0
    assert "401" in run.stderr and "check the `api_key` and `domain` settings" in run.stderr
    assert "Traceback" not in run.output
    assert secret not in run.output


@pytest.mark.simulator(tickets=60)
def test_a_ticket_deleted_mid_sync_does_not_stop_its_conversations_stream(simulator, config):
    live = [t for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))]
    victim = live[len(live) // 2]["id"]
    conversations_path = f"/api/v2/tickets/{victim}/conversations"

    def delete_before_its_conversations_are_read(method, path, query):
        if path == conversations_path:
            simulator.delete_ticket(victim)

    simulator.on_request(delete_before_its_conversations_are_read)
    run = run_tap(config, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    read = {r["ticket_id"] for r in run.records("conversations")}
    expected = {c["ticket_id"] for c in simulator.truth("conversations")}
    assert victim not in read
    assert read == expected
    assert any(r.path == conversations_path and r.status == 404 for r in simulator.request_log)
