"""The ticket list's pages: what a page-filling run of one second costs, and what it protects.

Such a run (a bulk update stamps hundreds of tickets alike) can only be paged by number, and a
ticket leaving it while it is read shifts the later pages back by one: the walk reads the run,
then its pages but the last again, and goes on only when they list the same ids. A check of
"what changed since the pass began" could not see a ticket that left the list without a newer
`updated_at` (deleted, spammed, archived), so the re-read stays. Every other request of the walk
slides by `updated_since`, and no request asks for the newest ticket unless records run ahead of
Freshdesk's clock.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.harness import run_tap


def burst_second(simulator) -> str:
    """The second the simulator's bulk update stamped on `burst_size` tickets."""
    return Counter(t["updated_at"] for t in simulator.truth("tickets")).most_common(1)[0][0]


def run_pages(simulator, second: str) -> list[dict[str, str]]:
    return [
        r.query
        for r in simulator.request_log
        if r.path == "/api/v2/tickets" and r.query.get("updated_since") == second
    ]


@pytest.mark.simulator(tickets=300, burst_size=120)
def test_a_run_nobody_changed_costs_a_pass_its_check_and_the_rest_one_page_each(simulator, config):
    run = run_tap({**config, "page_size": 10}, streams=["tickets"])

    assert run.returncode == 0, run.stderr
    assert Counter(run.ids("tickets")) == Counter(t["id"] for t in simulator.truth("tickets"))
    pages = run_pages(simulator, burst_second(simulator))
    # 12 pages of 10 hold the run of 120, perhaps one more where it ends; the check reads the
    # pass's pages again but its last, and nothing after the run is asked for twice.
    first_pass = max(int(q["page"]) for q in pages)
    assert first_pass in {12, 13}
    assert len(pages) == 2 * first_pass - 1, len(pages)
    lists = [r.query for r in simulator.request_log if r.path == "/api/v2/tickets"]
    assert not [q for q in lists if q.get("order_type") == "desc"], "no newest-ticket request"
    # The rest: one page per slide; each slide re-reads its boundary second (runs of 1 to 5).
    live = [t for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))]
    others = [q for q in lists if q.get("updated_since") != burst_second(simulator)]
    minimum = -(-(len(live) - 120) // 10)
    assert len(others) <= minimum * 1.3 + 2, (len(others), minimum)


@pytest.mark.simulator(tickets=300, burst_size=120)
def test_a_ticket_leaving_the_run_while_it_is_read_makes_it_read_again(simulator, config):
    second = burst_second(simulator)
    run_ids = [
        t["id"]
        for t in simulator.truth("tickets")
        if t["updated_at"] == second and not (t.get("deleted") or t.get("spam"))
    ]
    changed = []

    def leave_on_page_three(method, path, query):
        if query.get("updated_since") == second and query.get("page") == "3" and not changed:
            # Listed on page 1; leaving shifts every later ticket of the run back by one.
            changed.append(run_ids[0])
            simulator.update_ticket(run_ids[0])

    simulator.on_request(leave_on_page_three)
    run = run_tap({**config, "page_size": 10}, streams=["tickets"])
    after = run_tap({**config, "page_size": 10}, state=run.state, streams=["tickets"])

    assert changed, "the run was never paged into"
    # Read by the walk itself, in order; not found missing afterwards by the archive probe.
    records = run.records("tickets")
    end = next(i for i, r in enumerate(records) if r["updated_at"] > second)
    walked = {r["id"] for r in records[:end]}
    assert set(run_ids) - {changed[0]} <= walked, "a shifted ticket was skipped"
    assert changed[0] in set(run.ids("tickets")) | set(after.ids("tickets"))
