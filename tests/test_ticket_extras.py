"""Ticket watchers and summaries: one request per emitted ticket, so only when turned on."""

from __future__ import annotations

import pytest

from tests.harness import run_tap
from tests.simulator import ticket_extras


@pytest.mark.simulator(tickets=40, archive_after_days=120)
def test_watchers_and_summaries_of_every_ticket_when_selected(simulator, config):
    settings = {**config, "include_ticket_watchers": True, "include_ticket_summaries": True}
    run = run_tap(settings, streams=["tickets", "ticket_watchers", "ticket_summaries"])

    assert run.returncode == 0, run.stderr
    live = [t["id"] for t in simulator.truth("tickets") if not (t.get("deleted") or t["spam"])]
    for stream in ("ticket_watchers", "ticket_summaries"):
        expected = {
            ticket_id: {"ticket_id": ticket_id, **found}
            for ticket_id in live
            if (found := ticket_extras.answer(simulator.account, stream, ticket_id)) is not None
        }
        assert {r["ticket_id"]: r for r in run.records(stream)} == expected, stream
        assert len(run.records(stream)) == len(expected), f"{stream}: one record per ticket"
    assert 0 < len(run.records("ticket_summaries")) < len(run.records("ticket_watchers"))
    archived = {t["id"] for t in simulator.truth("archived_tickets")}
    asked = {r.path.split("/")[-2] for r in simulator.request_log if r.path.endswith("/watchers")}
    assert not {str(i) for i in archived} & asked, "no request for an archived ticket"


@pytest.mark.simulator(tickets=40)
def test_they_cost_nothing_unless_turned_on(simulator, config):
    run = run_tap(config)  # every stream selected, as Meltano's default `*.*` does

    assert run.returncode == 0, run.stderr
    assert not run.records("ticket_watchers") and not run.records("ticket_summaries")
    assert not [r for r in simulator.request_log if r.path.endswith(("/watchers", "/summary"))]


@pytest.mark.simulator(tickets=40, disabled_features={"ticket_summaries"})
def test_a_plan_without_summaries_is_warned_about_once(simulator, config):
    run = run_tap({**config, "include_ticket_summaries": True}, streams=["ticket_summaries"])

    assert run.returncode == 0, run.stderr
    assert run.stderr.count("Skipping stream ticket_summaries") == 1
    summaries = [r for r in simulator.request_log if r.path.endswith("/summary")]
    assert len(summaries) <= 4 + 1, "stops after the first 403 (a few were read ahead)"
