"""The ticket list: past the 300-page cap and through page drift, no ticket lost, none twice."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.harness import run_tap


def latest_versions(*runs):
    """Per ticket id, the last `updated_at` any of the runs emitted for it."""
    latest = {}
    for run in runs:
        for record in run.records("tickets"):
            latest[record["id"]] = max(latest.get(record["id"], ""), record["updated_at"])
    return latest


@pytest.mark.simulator(tickets=1500, burst_size=40)
def test_ticket_list_slides_window_past_300_pages(simulator, config):
    run = run_tap({**config, "page_size": 3}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    emitted = Counter(run.ids("tickets"))
    assert set(emitted) == {t["id"] for t in simulator.truth("tickets")}
    assert max(emitted.values()) == 1
    ticket_pages = [r for r in simulator.request_log if r.path == "/api/v2/tickets"]
    assert len(ticket_pages) > 300, "the list never went past 300 pages' worth"
    assert all(int(r.query.get("page", 1)) <= 300 for r in ticket_pages)


@pytest.mark.simulator(tickets=300, burst_size=50)
def test_tickets_sharing_one_second_are_paged_within_it(simulator, config):
    run = run_tap({**config, "page_size": 4}, streams=["tickets"])

    emitted = Counter(run.ids("tickets"))
    assert set(emitted) == {t["id"] for t in simulator.truth("tickets")}
    assert max(emitted.values()) == 1
    pages_inside_a_second = [r for r in simulator.request_log if int(r.query.get("page", 1)) > 1]
    assert pages_inside_a_second, "the burst of equal timestamps was never paged into"


@pytest.mark.simulator(tickets=1200, contacts=20, mutate_every=5)
def test_tickets_updated_during_the_sync_are_never_skipped(simulator, config):
    """Page drift: each update moves a ticket to the end and shifts later pages back by one."""
    during = run_tap({**config, "page_size": 10}, streams=["tickets"])
    simulator.configure(mutate_every=None)
    after = run_tap({**config, "page_size": 10}, state=during.state, streams=["tickets"])

    assert during.returncode == after.returncode == 0, during.stderr + after.stderr
    truth = {t["id"]: t["updated_at"] for t in simulator.truth("tickets")}
    assert simulator.stats()["mutations"] >= 20, "too few updates during the sync to prove anything"
    assert latest_versions(during, after) == truth


@pytest.mark.simulator(tickets=300, burst_size=120)
def test_tickets_after_a_run_on_its_last_page_are_read(simulator, config):
    """A run's last page also holds later tickets, and no `next` link: the walk must go on."""
    run = run_tap({**config, "page_size": 100}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert Counter(run.ids("tickets")) == Counter(t["id"] for t in simulator.truth("tickets"))


@pytest.mark.simulator(tickets=400, mutate_every=2, mutate_batch={"tickets": 3, "new_tickets": 2})
def test_a_sync_ends_even_when_tickets_change_faster_than_it_reads(simulator, config):
    """Each page read brings new changes; the walk stops at Freshdesk's time when it began."""
    during = run_tap({**config, "page_size": 10}, streams=["tickets"], timeout=120)
    simulator.configure(mutate_every=None)
    after = run_tap({**config, "page_size": 10}, state=during.state, streams=["tickets"])

    assert during.returncode == after.returncode == 0, during.stderr + after.stderr
    truth = {t["id"]: t["updated_at"] for t in simulator.truth("tickets")}
    assert latest_versions(during, after) == truth
