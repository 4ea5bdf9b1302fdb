"""A trickling server cannot hold a request beyond `request_timeout`: the whole request (connect
and every read) has that deadline, is cut when it passes, logged, and retried."""

from __future__ import annotations

import pytest

from tests.guarantees.support import run_concurrently
from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig

#: How long a trickled answer takes to arrive whole: longer than the run is given (RUN_GUARD),
#: so a tap that waited one out could not finish, on however fast a machine.
TRICKLE_SECONDS = 900
RUN_GUARD = 300


@pytest.mark.simulator(tickets=60, stall_seconds=TRICKLE_SECONDS)
def test_a_trickled_answer_is_cut_at_the_deadline_and_retried(simulator, config):
    simulator.fail_next("trickle", count=2, path_prefix="/api/v2/tickets")

    run = run_tap({**config, "request_timeout": 1}, streams=["tickets"], timeout=RUN_GUARD)

    assert run.returncode == 0, run.stderr[-1500:]
    assert set(run.ids("tickets")) == {t["id"] for t in simulator.truth("tickets")}
    assert simulator.stats()["faults"] == 2
    assert run.stderr.count("no complete answer within request_timeout: cut") == 2


def trickled_sync(seed: int):
    config = SimulatorConfig(
        seed=seed,
        tickets=40,
        contacts=20,
        companies=5,
        long_thread=0,
        fault_rate=0.2,
        fault_kinds=("trickle",),
        stall_seconds=6,
    )
    with Simulator(config) as sim:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "request_timeout": 1}
        streams = ["tickets", "conversations", "contacts"]
        run = run_tap({**settings, "page_size": 10}, streams=streams, timeout=300)
        lost = {s: {r["id"] for r in sim.truth(s)} - set(run.ids(s)) for s in streams}
        return run, sim.stats()["faults"], lost


def test_a_fifth_of_answers_trickled_loses_nothing():
    for seed, (run, faults, lost) in zip(
        (1, 2, 3), run_concurrently(*[lambda s=s: trickled_sync(s) for s in (1, 2, 3)]), strict=True
    ):
        assert run.returncode == 0, f"seed {seed}: {run.stderr[-1500:]}"
        assert faults >= 5, f"seed {seed}: only {faults} trickled answers"
        assert not any(lost.values()), f"seed {seed}: lost {lost}"
