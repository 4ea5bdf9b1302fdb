"""A run from the previous run's STATE emits what changed since, and nothing else."""

from __future__ import annotations

import pytest

from tests.harness import run_tap

INCREMENTAL = ["tickets", "contacts", "companies", "conversations"]


@pytest.mark.simulator(tickets=300, contacts=100, companies=30)
def test_second_run_emits_only_changed_records_and_the_boundary(simulator, config):
    first = run_tap(config, streams=INCREMENTAL)
    assert first.returncode == 0, first.stderr

    touched = simulator.mutate(tickets=4, contacts=3, companies=2, conversations=2, new_tickets=2)
    second = run_tap(config, state=first.state, streams=INCREMENTAL)

    assert second.returncode == 0, second.stderr
    for stream in ("tickets", "contacts", "companies"):
        truth = {r["id"]: r["updated_at"] for r in simulator.truth(stream)}
        emitted = set(second.ids(stream))
        marks = bookmarks(first, stream)
        changed = {i for i in truth if truth[i] > max(marks)}
        boundary = {i for i in truth if truth[i] in marks}
        assert changed, f"no {stream} changed: the check proves nothing"
        assert changed <= emitted, stream
        assert emitted <= changed | boundary, f"{stream} re-emitted unchanged records"
    assert set(touched["tickets"]) <= set(second.ids("tickets"))
    changed_tickets = set(second.ids("tickets"))
    assert {r["ticket_id"] for r in second.records("conversations")} <= changed_tickets
    new_conversations = {c["id"] for c in simulator.truth("conversations")} - set(
        first.ids("conversations")
    )
    assert new_conversations <= set(second.ids("conversations"))


def bookmarks(run, stream):
    """Every bookmark `stream` holds in the run's final STATE, one per partition."""
    entry = run.state["bookmarks"][stream]
    values = [p.get("replication_key_value") for p in entry.get("partitions", [])]
    values.append(entry.get("replication_key_value"))
    return {normalise(v) for v in values if v}


def normalise(timestamp: str) -> str:
    """Bookmarks may carry `+00:00`; records carry Freshdesk's `Z` form."""
    return timestamp.replace("+00:00", "Z")


@pytest.mark.simulator(tickets=100)
def test_start_date_limits_the_first_run(simulator, config):
    truth = sorted(simulator.truth("tickets"), key=lambda t: t["updated_at"])
    start = truth[len(truth) // 2]["updated_at"]

    run = run_tap({**config, "start_date": start}, streams=["tickets"])

    expected = {t["id"] for t in truth if t["updated_at"] >= start}
    assert set(run.ids("tickets")) == expected
