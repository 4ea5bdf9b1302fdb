"""The other lists: their filters, the parameters they refuse, children and one-object answers."""

from __future__ import annotations

import pytest

from tests.simulator_tests.support import (
    EVER,
    error_fields,
    walk,
)


@pytest.mark.simulator(tickets=50)
def test_unknown_query_parameters_are_refused(sim, http):
    response = http.get(f"{sim.base_url}/contacts", params={"updated_since": EVER})

    assert response.status_code == 400
    assert error_fields(response) == [
        ("updated_since", "Unexpected/invalid field in request", "invalid_field")
    ]


@pytest.mark.simulator(contacts=200, tickets=30)
def test_contacts_filters(sim, http):
    truth = sim.truth("contacts")
    listed, _ = walk(http, f"{sim.base_url}/contacts", {"per_page": 100})
    deleted, _ = walk(http, f"{sim.base_url}/contacts", {"state": "deleted"})
    blocked, _ = walk(http, f"{sim.base_url}/contacts", {"state": "blocked"})

    assert {c["id"] for c in deleted} == {c["id"] for c in truth if c.get("deleted")}
    assert {c["id"] for c in blocked} == {c["id"] for c in truth if c.get("blocked")}
    hidden = {c["id"] for c in deleted + blocked}
    assert [c["id"] for c in listed] == sorted({c["id"] for c in truth} - hidden)
    assert all(c["id"] > 2**32 for c in listed)

    pivot = listed[120]["updated_at"]
    since, _ = walk(http, f"{sim.base_url}/contacts", {"_updated_since": pivot, "per_page": 100})
    assert [c["id"] for c in since] == [c["id"] for c in listed if c["updated_at"] >= pivot]


@pytest.mark.simulator(tickets=400)
def test_satisfaction_ratings_created_since_is_inclusive(sim, http):
    everything, _ = walk(http, f"{sim.base_url}/surveys/satisfaction_ratings", {"per_page": 100})
    pivot = sorted(r["created_at"] for r in everything)[50]
    since, _ = walk(http, f"{sim.base_url}/surveys/satisfaction_ratings", {"created_since": pivot})

    assert len(everything) == 100
    assert {r["id"] for r in since} == {r["id"] for r in everything if r["created_at"] >= pivot}
    assert all("default_question" in r["ratings"] for r in everything)


@pytest.mark.simulator(tickets=300)
def test_conversations_page_and_404_once_the_ticket_is_deleted(sim, http):
    long_thread, responses = walk(
        http, f"{sim.base_url}/tickets/3/conversations", {"per_page": 100}
    )
    assert len(long_thread) == 130 and len(responses) == 2

    victim = next(t["id"] for t in sim.truth("tickets") if t["id"] > 10 and not t.get("deleted"))
    assert http.get(f"{sim.base_url}/tickets/{victim}/conversations").status_code == 200
    sim.delete_ticket(victim)
    gone = http.get(f"{sim.base_url}/tickets/{victim}/conversations")
    missing = http.get(f"{sim.base_url}/tickets/999999/conversations")

    assert gone.status_code == 404 and missing.status_code == 404
    assert victim not in {c["ticket_id"] for c in sim.truth("conversations")}


@pytest.mark.simulator(tickets=30)
def test_settings_is_one_object(sim, http):
    settings = http.get(f"{sim.base_url}/settings/helpdesk", params={"per_page": 100})

    assert settings.status_code == 200 and "Link" not in settings.headers
    assert settings.json() == sim.truth("settings")[0]
    assert settings.json()["primary_language"] == "en"
