"""A first sync emits every record the simulator holds, across every page, exactly once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.harness import run_tap

TOP_LEVEL_STREAMS = [
    "tickets",
    "conversations",
    "contacts",
    "companies",
    "agents",
    "groups",
    "roles",
    "time_entries",
    "satisfaction_ratings",
    "ticket_fields",
    "contact_fields",
    "company_fields",
]


@pytest.mark.simulator(tickets=400, contacts=150, companies=40)
def test_every_stream_emits_every_record_once_across_pages(simulator, config):
    run = run_tap({**config, "page_size": 7})

    assert run.returncode == 0, run.stderr
    for stream in TOP_LEVEL_STREAMS:
        emitted = Counter(run.ids(stream))
        expected = {record["id"] for record in simulator.truth(stream)}
        assert set(emitted) == expected, stream
        assert max(emitted.values(), default=1) == 1, f"{stream} repeated records"
        assert expected, f"simulator holds no {stream}: the check proves nothing"


@pytest.mark.simulator(tickets=200)
def test_deleted_and_spam_tickets_arrive_flagged(simulator, config):
    run = run_tap(config, streams=["tickets"])

    by_id = {record["id"]: record for record in run.records("tickets")}
    truth = simulator.truth("tickets")
    deleted = {t["id"] for t in truth if t.get("deleted")}
    spam = {t["id"] for t in truth if t.get("spam")}
    assert deleted and spam
    assert {i for i, r in by_id.items() if r["deleted"]} == deleted
    assert {i for i, r in by_id.items() if r["spam"]} == spam
    assert all(r["deleted"] is False for i, r in by_id.items() if i not in deleted)


@pytest.mark.simulator(tickets=200)
def test_removed_records_can_be_left_out(simulator, config):
    run = run_tap({**config, "include_deleted": False}, streams=["tickets", "contacts"])

    live_tickets = {
        t["id"] for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))
    }
    live_contacts = {
        c["id"] for c in simulator.truth("contacts") if not (c.get("deleted") or c.get("blocked"))
    }
    assert set(run.ids("tickets")) == live_tickets
    assert set(run.ids("contacts")) == live_contacts


@pytest.mark.simulator(tickets=150)
def test_conversations_past_one_page_are_all_read(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    per_ticket = Counter(record["ticket_id"] for record in run.records("conversations"))
    truth = Counter(record["ticket_id"] for record in simulator.truth("conversations"))
    assert per_ticket == truth
    assert max(truth.values()) > 100, "no ticket has more than one page of conversations"


@pytest.mark.simulator(tickets=120, disabled_features={"satisfaction_ratings", "time_entries"})
def test_streams_missing_from_the_plan_are_skipped_with_a_warning(simulator, config):
    run = run_tap(config)

    assert run.returncode == 0, run.stderr
    assert run.records("satisfaction_ratings") == []
    assert run.records("time_entries") == []
    assert "Skipping stream satisfaction_ratings" in run.stderr
    assert "Skipping stream time_entries" in run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}
