"""Run-time changes: what a busy helpdesk does to the lists while a tap reads them."""

from __future__ import annotations

import pytest

from tests.simulator_tests.support import (
    ASC,
    FIXED_NOW,
    walk,
)


@pytest.mark.simulator(tickets=300, contacts=50)
def test_changes_move_records_to_the_end_of_the_updated_at_order(sim, http):
    touched = sim.mutate(tickets=2, conversations=1, new_tickets=1, contacts=1)
    records, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})

    tail = {t["id"] for t in records[-4:]}
    assert set(touched["tickets"]) == tail
    assert records[-1]["updated_at"] > records[-5]["updated_at"]
    conversation = touched["conversations"][0]
    assert conversation in {c["id"] for c in sim.truth("conversations")}
    contact = touched["contacts"][0]
    changed = next(c for c in sim.truth("contacts") if c["id"] == contact)
    assert changed["updated_at"] == max(c["updated_at"] for c in sim.truth("contacts"))


@pytest.mark.simulator(tickets=300, mutate_every=3)
def test_mutate_every_changes_the_account_during_a_walk(sim, http):
    walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 20})

    assert sim.stats()["mutations"] >= 5


@pytest.mark.simulator(tickets=60)
def test_on_request_runs_before_the_request_is_served(sim, http):
    seen = []
    sim.on_request(lambda method, path, query: seen.append((method, path, query)))
    http.get(f"{sim.base_url}/groups", params={"page": "1"})

    assert seen == [("GET", "/api/v2/groups", {"page": "1"})]


@pytest.mark.simulator(tickets=30, clock=lambda: FIXED_NOW)
def test_mutate_edits_records_of_the_incremental_streams(sim, http):
    touched = sim.mutate(
        solution_articles=3, canned_responses=2, discussion_topics=1, discussion_comments=1
    )
    sim.update_record("automation_rules", sim.truth("automation_rules")[0]["id"])

    now = "2026-06-01T12:00:00Z"
    for stream in ("solution_articles", "canned_responses", "discussion_topics"):
        edited = {r["id"] for r in sim.truth(stream) if r["updated_at"] == now}
        assert edited == set(touched[stream]) and edited, stream
    assert sim.truth("automation_rules")[0]["updated_at"] == now
    with pytest.raises(TypeError, match="cannot mutate"):
        sim.mutate(discussion_forums=1)
    assert http.post(f"{sim.base_url.removesuffix('/api/v2')}/_sim/mutate", json={"skills": 1}).ok


@pytest.mark.simulator(tickets=20, long_thread=25)
def test_a_deleted_conversation_leaves_its_thread_and_later_ones_move_up(sim, http):
    ticket = sim.account.long_thread_id
    url = f"{sim.base_url}/tickets/{ticket}/conversations"
    before, _ = walk(http, url, {"per_page": 10})
    updated_at = next(t["updated_at"] for t in sim.truth("tickets") if t["id"] == ticket)

    sim.delete_conversation(before[3]["id"])
    page_one = http.get(url, params={"per_page": 10}, timeout=10).json()

    assert [c["id"] for c in page_one] == [c["id"] for c in before[:3] + before[4:11]]
    assert before[3]["id"] not in {c["id"] for c in sim.truth("conversations")}
    assert updated_at == next(t["updated_at"] for t in sim.truth("tickets") if t["id"] == ticket)
