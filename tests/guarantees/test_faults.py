"""Through 5% failing responses and a biting rate limit, a full sync emits every record; retries
are bounded and logged with their wait; a persistent outage ends in one line, never a hang."""

from __future__ import annotations

import re

import pytest

from tests.guarantees.support import run_concurrently
from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig
from tests.simulator.rate_clocks import WindowPerRefusal

FAULTS = ("500", "502", "503", "drop", "timeout")


@pytest.mark.simulator(
    tickets=150,
    contacts=60,
    companies=20,
    fault_rate=0.05,
    fault_kinds=FAULTS,
    stall_seconds=1.5,
    rate_limit=100,
    rate_window_seconds=1,
)
def test_every_stream_is_complete_through_faults_and_rate_limits(simulator, config):
    """Each rate window serves its credits, then refuses: the limit bites every 100 credits
    on any machine, and costs the tap one real `Retry-After` wait a window (rate_clocks.py)."""
    simulator.configure(rate_clock=WindowPerRefusal(simulator.limiter))
    run = run_tap({**config, "request_timeout": 1}, timeout=240)

    assert run.returncode == 0, run.stderr
    stats = simulator.stats()
    assert stats["faults"] >= 10, "too few faults to prove anything"
    assert stats["rate_limited"] >= 1, "the rate limit never bit"
    checked = 0
    for stream in sorted({m["stream"] for m in run.messages if m["type"] == "SCHEMA"}):
        try:
            truth = simulator.truth(stream)
        except KeyError:
            continue
        if truth and all("id" in r for r in truth):
            missing = {r["id"] for r in truth} - set(run.ids(stream))
            assert not missing, f"{stream} lost {sorted(missing)[:10]}"
        else:
            assert len(run.records(stream)) >= len(truth), stream
        checked += len(truth)
    assert checked >= 1000
    retries = re.findall(
        r"\(try (\d+), (\d+) s of max_retry_seconds 300 spent\); retrying in (\d+\.\d) s",
        run.stderr,
    )
    assert len(retries) == stats["faults"], "a fault was retried silently, or not retried"
    waits = re.findall(r"429 Too Many Requests for GET \S+: Retry-After says (\d+) s", run.stderr)
    assert len(waits) == stats["rate_limited"], "a 429 was waited out silently"


#: Tries of the one request within max_retry_seconds 8: waits of at least 0.5, 1, 2 and 4 s
#: (half jitter) leave no room for a fifth wait, so five tries, whatever the machine's speed.
MAX_OUTAGE_TRIES = 5


def outage(kind: str) -> tuple[str, int, object]:
    """A sync against an API that fails every request as `kind`: (kind, requests, run)."""
    with Simulator(SimulatorConfig(tickets=20, stall_seconds=30)) as sim:
        sim.fail_next(kind, count=10_000, path_prefix="/api/v2/")
        config = {
            "api_key": sim.api_key,
            "base_url": sim.base_url,
            "request_timeout": 1,
            "max_retry_seconds": 8,
        }
        run = run_tap(config, streams=["agents"], timeout=120)
        return kind, len(sim.request_log), run


def test_a_persistent_outage_of_any_kind_ends_in_one_line_within_bounded_time():
    """Tries for `max_retry_seconds` per request (backing off 1, 2, 4… s), then one error line."""
    for kind, requests, run in run_concurrently(*[lambda k=k: outage(k) for k in FAULTS]):
        assert run.returncode != 0, kind
        assert 2 <= requests <= MAX_OUTAGE_TRIES, f"{kind}: {requests} tries is no bound"
        errors = [line for line in run.stderr.splitlines() if "| ERROR" in line]
        assert "Giving up after" in errors[-1], kind
        assert "(max_retry_seconds)" in errors[-1], kind
        assert len(errors) <= 2, f"{kind}: more than the SDK's line and ours: {errors}"
        assert "Traceback" not in run.output, kind
        assert "retrying in" in run.stderr, kind
