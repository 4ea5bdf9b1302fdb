"""Tickets carry their text and timings: the list is read with `include=description,stats`.

Accounts made after late 2018 list `description`/`description_text` only with
`include=description`, and `stats` only comes with `include=stats`; each include costs 2 more
credits per request (Freshdesk's API reference, List All Tickets), which the simulator charges
and reports in `X-Ratelimit-Used-CurrentRequest`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from tap_freshdesk.streams.base import SCHEMAS
from tests.harness import catalog_selecting, run_tap


def ticket_list_requests(simulator):
    return [r for r in simulator.request_log if r.path == "/api/v2/tickets"]


def summary_row(run, stream):
    """(requests, credits) of `stream` in the end summary, credits read from the headers."""
    line = next(line for line in run.stderr.splitlines() if line.startswith(f"{stream} "))
    _, _records, requests, credits, *_ = line.split()
    return int(requests.replace(",", "")), int(credits.replace(",", ""))


@pytest.mark.simulator(tickets=150)
def test_a_default_sync_gives_tickets_their_description_and_stats(simulator, config):
    run = run_tap(config, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert {r.query.get("include") for r in ticket_list_requests(simulator)} == {
        "description,stats"
    }
    stats_properties = set(SCHEMAS.get_schema("tickets")["properties"]["stats"]["properties"])
    for ticket in run.records("tickets"):
        full = simulator.account.ticket(ticket["id"])
        assert ticket["description"] == full["description"]
        assert ticket["description_text"] == full["description_text"]
        assert isinstance(ticket["stats"], dict) and ticket["stats"] == full["stats"]
        assert set(ticket["stats"]) <= stats_properties, "every stats key declared"
        assert "requester" not in ticket and "company" not in ticket


@pytest.mark.simulator(tickets=250)
def test_each_include_costs_two_credits_per_page_of_tickets(simulator, config):
    costs = {}
    for include in ([], ["description"], ["description", "stats"]):
        before = len(ticket_list_requests(simulator))
        run = run_tap({**config, "ticket_include": include}, streams=["tickets"])
        assert run.returncode == 0, run.stderr
        requests, credits = summary_row(run, "tickets")
        assert requests == len(ticket_list_requests(simulator)) - before
        costs[len(include)] = credits / requests

    assert costs == {0: 1.0, 1: 3.0, 2: 5.0}


@pytest.mark.simulator(tickets=20)
def test_no_include_lists_tickets_without_description_or_stats(simulator, config):
    run = run_tap({**config, "ticket_include": []}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert all("include" not in r.query for r in ticket_list_requests(simulator))
    assert not [t for t in run.records("tickets") if "stats" in t or "description" in t]


@pytest.mark.simulator(tickets=5)
def test_an_unknown_include_is_refused_in_one_line(simulator, config):
    run = run_tap({**config, "ticket_include": ["conversations"]}, streams=["tickets"])

    assert run.returncode != 0
    assert "ticket_include" in run.stderr and "Traceback" not in run.stderr
    assert not ticket_list_requests(simulator)


def deselecting(properties):
    """A catalog selecting tickets with `properties` deselected."""
    catalog = catalog_selecting(["tickets"])
    entry = next(e for e in catalog["streams"] if e["tap_stream_id"] == "tickets")
    for metadata in entry["metadata"]:
        if metadata["breadcrumb"][-1:] and metadata["breadcrumb"][-1] in properties:
            metadata["metadata"]["selected"] = False
    return catalog


@pytest.mark.parametrize(
    ("deselected", "asked"),
    [
        (("stats",), {"description"}),
        (("description", "description_text"), {"stats"}),
        (("description", "description_text", "stats"), None),
        (("description",), {"description,stats"}),
    ],
)
@pytest.mark.simulator(tickets=20)
def test_the_catalog_decides_which_includes_are_paid_for(simulator, config, deselected, asked):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.json"
        path.write_text(json.dumps(deselecting(deselected)))
        run = run_tap(config, args=("--catalog", str(path)))

    assert run.returncode == 0, run.stderr
    sent = {r.query.get("include") for r in ticket_list_requests(simulator)}
    assert sent == ({None} if asked is None else asked)
    assert run.records("tickets")
    assert not [t for t in run.records("tickets") if set(deselected) & set(t)]
