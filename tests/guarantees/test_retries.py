"""A bad hour of the API is ridden out: transient faults are retried for a time budget, not a
count, and a 429 without `Retry-After` waits for the rate window instead of giving up."""

from __future__ import annotations

import logging
import re
import threading

import requests

from tap_freshdesk.http.errors import check_answer
from tap_freshdesk.http.ratelimit import RateLimiter
from tap_freshdesk.http.retries import RATE_WINDOW_SECONDS, Retrier, backoff_waits, half_jitter
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


class FakeTime:
    """Seconds that pass only when the tap waits: a rate window costs no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def condition(self) -> threading.Condition:
        """The rate limiter's condition, its timed waits passed on the fake clock."""
        fake = self

        class Passing(threading.Condition):
            def wait(self, timeout: float | None = None) -> bool:
                assert timeout is not None, "an untimed wait would hang a single thread"
                fake.waits.append(timeout)
                fake.now += timeout
                return False

        return Passing()


def test_a_429_without_retry_after_waits_for_the_rate_window(caplog):
    """The window is a minute on per-minute plans; Freshdesk's headers never say when it ends.

    The tap's own Retrier and RateLimiter send real requests to the simulator; both count
    the same fake seconds, so the minute is waited without a minute passing.
    """
    fake = FakeTime()
    config = SimulatorConfig(
        tickets=5,
        rate_limit=1,
        rate_window_seconds=60,
        send_retry_after=False,
        rate_clock=fake.monotonic,
    )
    logger = logging.getLogger("tap-freshdesk.agents")
    limiter = RateLimiter(clock=fake.monotonic, _cond=fake.condition())
    retrier = Retrier(
        limiter=limiter,
        logger=logger,
        host="127.0.0.1",
        retry_seconds=300,
        deadline_seconds=30,
        waits=backoff_waits,
        jitter=half_jitter,
        clock=fake.monotonic,
    )
    with Simulator(config) as sim, requests.Session() as session:
        session.auth = (sim.api_key, "X")
        url = f"{sim.base_url}/agents"

        def get() -> requests.Response:
            response = session.get(url, timeout=30)
            limiter.observe(response.headers)
            check_answer(response, host="127.0.0.1", is_child=False, plan_feature=None)
            return response

        with caplog.at_level(logging.WARNING, logger="tap-freshdesk.agents"):
            answers = [retrier.send(get, requests.Request("GET", url).prepare()) for _ in range(3)]
        log = list(sim.request_log)

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [r.status for r in log] == [200, 429, 200, 429, 200], "one request per window"
    assert len(fake.waits) == 2
    assert all(RATE_WINDOW_SECONDS <= w <= RATE_WINDOW_SECONDS + 1 for w in fake.waits)
    assert caplog.text.count("without Retry-After: every request waits 60 s") == 2
    assert "Giving up" not in caplog.text
