"""Every ticket walk ends, whatever Freshdesk's clocks say; and what the 300-page cap costs is
said exactly, in the log as in the README.

Freshdesk's `Date` header bounds a walk: it ends at the second the clock showed when it began.
Records stamped ahead of that clock (skew between Freshdesk's servers) used to make a walk wait
for the clock to catch up, a request a second, for as long as the skew.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from tests.guarantees.support import latest_versions, run_concurrently, truth_versions
from tests.harness import TapRun, run_tap
from tests.simulator import Simulator, SimulatorConfig

#: Ticket list requests one sync of the skewed account may make: 100 tickets at 10 a page, a
#: few rereads and waits (27 at most, seeds 1 and 2). Waiting for the clock would make one a
#: second for the skew's 600 s.
WALK_REQUESTS = 60


def skewed_syncs(seed: int) -> tuple[list[TapRun], list[int], dict[Any, str]]:
    """Five syncs of a skewed, changing account: (runs, ticket list requests each, truth)."""
    config = SimulatorConfig(seed=seed, tickets=100, burst_size=0, skew_seconds=600)
    with Simulator(config) as sim:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        runs: list[TapRun] = []
        requests: list[int] = []
        state = None
        for changes in (25, 10, 5, 0, 0):
            sim.mutate(tickets=changes, new_tickets=changes // 5)
            logged = len(sim.request_log)
            run = run_tap(settings, state=state, streams=["tickets"], timeout=120)
            runs.append(run)
            requests.append(sum(1 for r in sim.request_log[logged:] if r.path.endswith("/tickets")))
            if run.returncode != 0:
                break
            state = run.state
        return runs, requests, truth_versions(sim.truth("tickets"))


def test_a_walk_ends_when_records_run_ahead_of_freshdesks_clock():
    """Records ten minutes ahead of `Date`, a busy helpdesk: each sync ends within a bounded
    number of requests, and the syncs together emit every ticket's latest version.

    The two seeds' accounts are synced side by side: the syncs mostly wait for Freshdesk's
    clock (a second at a time), so together they take the time of one.
    """
    seeds = (1, 2)
    results = run_concurrently(*[lambda s=s: skewed_syncs(s) for s in seeds])
    for seed, (runs, requests, truth) in zip(seeds, results, strict=True):
        for run, made in zip(runs, requests, strict=True):
            assert run.returncode == 0, f"seed {seed}: {run.stderr[-1500:]}"
            assert made <= WALK_REQUESTS, f"seed {seed}: {made} requests: it waited for the clock"
        assert latest_versions("tickets", *runs) == truth, f"seed {seed}"


@pytest.mark.parametrize("probe", [False, True])
@pytest.mark.simulator(tickets=700, burst_size=340)
def test_the_300_page_cap_is_said_exactly(simulator, config, probe):
    """Over 300 live tickets in one second at one per page: the list reaches 300 of them; the
    missing-id probe reads the rest one by one, or, off, nothing does."""
    settings = {**config, "page_size": 1, "probe_missing_tickets": probe}
    run = run_tap(settings, streams=["tickets"], timeout=120)

    assert run.returncode == 0
    live = [t for t in simulator.truth("tickets") if not (t.get("deleted") or t.get("spam"))]
    second, together = Counter(t["updated_at"] for t in live).most_common(1)[0]
    missing = {t["id"] for t in simulator.truth("tickets")} - set(run.ids("tickets"))
    warning = re.search(
        r"More than 300 pages of tickets share the updated_at second .*", run.stderr
    )
    assert warning, "the cap was not said"
    assert "the list cannot reach the tickets of that second after the first 300" in warning[0]
    if probe:
        assert not missing, f"the probe left {len(missing)} behind"
        assert "reads them one by one" in warning[0]
    else:
        assert len(missing) == together - 300
        assert {t["updated_at"] for t in live if t["id"] in missing} == {second}
        assert "NOT extracted, by this sync or a later one, until they change again" in warning[0]
