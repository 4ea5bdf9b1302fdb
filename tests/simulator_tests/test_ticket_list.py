"""The ticket list: its default window, `updated_since`, order, views and includes."""

from __future__ import annotations

import pytest

from tests.simulator_tests.support import (
    ASC,
    EVER,
    FIXED_NOW,
    error_fields,
    walk,
)


@pytest.mark.simulator(tickets=200, clock=lambda: FIXED_NOW)
def test_without_updated_since_only_the_last_30_days_are_listed(sim, http):
    sim.mutate(new_tickets=3)

    listed, _ = walk(http, f"{sim.base_url}/tickets", {"per_page": 100})
    everything, _ = walk(http, f"{sim.base_url}/tickets", {"updated_since": EVER, "per_page": 100})

    assert sorted(t["id"] for t in listed) == [201, 202, 203]
    assert len(everything) > 150


@pytest.mark.simulator(tickets=400, burst_size=60, deleted_tickets=0, spam_tickets=0)
def test_updated_since_is_inclusive_and_ties_break_by_id(sim, http):
    records, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})
    keys = [(t["updated_at"], t["id"]) for t in records]
    assert keys == sorted(keys)
    assert max(keys.count(k) for k in keys) == 1
    stamps = [t["updated_at"] for t in records]
    assert max(stamps.count(s) for s in stamps) == 60, "the bulk-update second"
    assert sum(1 for s in set(stamps) if 2 <= stamps.count(s) <= 5) > 20

    pivot = records[len(records) // 2]["updated_at"]
    since, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "updated_since": pivot})
    assert [t["id"] for t in since] == [t["id"] for t in records if t["updated_at"] >= pivot]

    descending = http.get(
        f"{sim.base_url}/tickets", params={"updated_since": EVER, "order_by": "updated_at"}
    ).json()
    expected = sorted(records, key=lambda t: (t["updated_at"], -t["id"]), reverse=True)[:30]
    assert [t["id"] for t in descending] == [t["id"] for t in expected]


@pytest.mark.simulator(tickets=300)
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00"])
def test_malformed_updated_since_is_a_400(sim, http, value):
    response = http.get(f"{sim.base_url}/tickets", params={"updated_since": value})

    assert response.status_code == 400
    assert error_fields(response)[0][0] == "updated_since"


@pytest.mark.simulator(tickets=500)
def test_deleted_and_spam_tickets_only_through_their_filter(sim, http):
    truth = sim.truth("tickets")
    deleted = {t["id"] for t in truth if t.get("deleted")}
    spam = {t["id"] for t in truth if t["spam"]}
    assert len(deleted) == 10 and len(spam) == 5

    listed, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})
    in_trash, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "deleted"})
    junk, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "spam"})

    assert {t["id"] for t in listed} == {t["id"] for t in truth} - deleted - spam
    assert {t["id"] for t in in_trash} == deleted and all(t["deleted"] for t in in_trash)
    assert {t["id"] for t in junk} == spam and all(t["spam"] for t in junk)


@pytest.mark.simulator(tickets=50)
def test_includes_embed_objects_and_cost_credits(sim, http):
    plain = http.get(f"{sim.base_url}/tickets", params={"updated_since": EVER})
    rich = http.get(
        f"{sim.base_url}/tickets",
        params={"updated_since": EVER, "include": "description,requester,stats"},
    )

    assert "description" not in plain.json()[0] and "stats" not in plain.json()[0]
    assert {"description", "description_text", "requester", "stats"} <= set(rich.json()[0])
    assert plain.headers["X-Ratelimit-Used-CurrentRequest"] == "1"
    assert rich.headers["X-Ratelimit-Used-CurrentRequest"] == "7"
