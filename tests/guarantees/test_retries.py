"""A bad hour of the API is ridden out: transient faults are retried for a time budget, not a
count, and a 429 without `Retry-After` waits for the rate window instead of giving up."""

from __future__ import annotations

import re

from tests.guarantees.support import run_concurrently
from tests.harness import TapRun, run_tap
from tests.simulator import Simulator, SimulatorConfig

STREAMS = ["tickets", "conversations", "contacts", "companies", "agents", "groups"]
FAULTS = ("500", "502", "503", "drop", "timeout", "truncated", "invalid_json")
SEEDS = (1, 2, 3)


def faulty_sync(seed: int) -> tuple[int, TapRun, dict[str, set[int]], dict[str, set[int]]]:
    """A sync of STREAMS through 30% faults: (faults, run, ids the truth holds, ids emitted)."""
    config = SimulatorConfig(
        seed=seed,
        tickets=25,
        contacts=20,
        companies=10,
        long_thread=0,
        fault_rate=0.3,
        fault_kinds=FAULTS,
        stall_seconds=1.5,
    )
    with Simulator(config) as sim:
        settings = {
            "api_key": sim.api_key,
            "base_url": sim.base_url,
            "request_timeout": 1,
            "page_size": 10,
        }
        run = run_tap(settings, streams=STREAMS, timeout=600)
        truth = {s: {r["id"] for r in sim.truth(s)} for s in STREAMS}
        emitted = {s: set(run.ids(s)) for s in STREAMS}
        return sim.stats()["faults"], run, truth, emitted


def test_thirty_percent_transient_faults_end_in_exit_0_with_nothing_lost():
    results = run_concurrently(*[lambda s=s: faulty_sync(s) for s in SEEDS])
    for seed, (faults, run, truth, emitted) in zip(SEEDS, results, strict=True):
        assert run.returncode == 0, f"seed {seed}: {run.stderr[-1500:]}"
        assert faults >= 12, f"seed {seed}: only {faults} faults"
        for stream in STREAMS:
            lost = truth[stream] - emitted[stream]
            assert not lost, f"seed {seed}: {stream} lost {sorted(lost)[:5]}"
        waits = re.findall(r"\(try (\d+), \d+ s of max_retry_seconds", run.stderr)
        assert len(waits) == faults, "a fault was retried without a logged wait"
        assert max(int(n) for n in waits) >= 2, "no request failed twice in a row"


def test_a_429_without_retry_after_waits_for_the_rate_window():
    """The window is a minute on per-minute plans; Freshdesk's headers never say when it ends."""
    config = SimulatorConfig(
        tickets=30, rate_limit=3, rate_window_seconds=1, send_retry_after=False
    )
    with Simulator(config) as sim:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url}
        streams = ["agents", "groups", "roles", "products", "business_hours"]
        run = run_tap(settings, streams=streams, timeout=400)
        log = list(sim.request_log)

    assert run.returncode == 0, run.stderr[-1500:]
    refused = [i for i, r in enumerate(log) if r.status == 429]
    assert refused, "the rate limit never bit"
    for i in refused:
        if i + 1 < len(log):
            assert log[i + 1].time - log[i].time >= 59.5, "retried before the window passed"
    assert "without Retry-After: every request waits 60 s" in run.stderr
    assert "Giving up" not in run.stderr
