"""SIGTERM and SIGINT stop a sync at once: no request after the signal, even mid-wait, a
consistent STATE out, and exit 143 / 130 so nobody mistakes the stopped sync for a finished one.
Resumed from that STATE, the next sync loses nothing."""

from __future__ import annotations

import random
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.guarantees.support import complete_messages, emitted_ids, state_overreach
from tests.guarantees.test_kill_resume import STREAMS, start_tap
from tests.harness import TapRun, run_tap
from tests.simulator import Simulator, SimulatorConfig

SIZES = {"tickets": 80, "contacts": 40, "companies": 10, "burst_size": 10, "long_thread": 30}


def signalled(sim: Simulator, config, state, signum: int, when) -> tuple[TapRun, float, int]:
    """Run the tap; send `signum` once `when(request)` says so: (run, seconds to exit, requests
    the simulator received after the signal)."""
    sent: list[float] = []
    holder: list[subprocess.Popen] = []
    lock = threading.Lock()

    def on_request(method, path, query):
        with lock:
            if not sent and holder and when(path, query):
                holder[0].send_signal(signum)
                sent.append(time.monotonic())

    sim.on_request(on_request)
    with tempfile.TemporaryDirectory() as folder:
        process = start_tap(config, state, Path(folder))
        holder.append(process)
        stdout, _ = process.communicate(timeout=120)
    ended = time.monotonic()
    assert sent, "the signal was never sent"
    after = sum(1 for r in sim.request_log if r.time > sent[0] + 0.05)
    run = TapRun(process.returncode, complete_messages(stdout), "", stdout)
    return run, ended - sent[0], after


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_rate_limit_wait_stops_at_once(signum, code):
    """A 429 with a long `Retry-After` holds every request; the signal must not wait it out."""
    config = SimulatorConfig(**SIZES, rate_limit=25, rate_window_seconds=30)
    with Simulator(config) as sim, tempfile.TemporaryDirectory() as folder:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        process = start_tap(settings, None, Path(folder))
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
        reader.start()  # a target reading along, so the tap never blocks on a full pipe
        while not any(r.status == 429 for r in list(sim.request_log)):
            assert process.poll() is None, "the sync ended before the rate limit bit"
            time.sleep(0.05)
        time.sleep(0.5)  # well inside the wait for Retry-After
        sent = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=60)
        seconds = time.monotonic() - sent
        reader.join(timeout=10)
        stdout = "".join(lines)
        after = sum(1 for r in sim.request_log if r.time > sent)

    run = TapRun(process.returncode, complete_messages(stdout), "", stdout)
    assert run.returncode == code
    assert seconds < 5, f"{seconds:.1f} s from the signal to the exit"
    assert after == 0, f"{after} requests after the signal"
    assert run.state, "no STATE written"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_sync_stopped_by_sigterm_anywhere_resumes_with_nothing_lost(seed):
    rng = random.Random(seed)
    stop_at = rng.randint(5, 60)
    config = SimulatorConfig(seed=seed, **SIZES, latency_ms=(1, 5))
    with Simulator(config) as sim:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        count = [0]

        def nth_request(path, query):
            count[0] += 1
            return count[0] == stop_at

        stopped, seconds, after = signalled(sim, settings, None, signal.SIGTERM, nth_request)
        truth = {s: sim.truth(s) for s in ("tickets", "conversations", "contacts", "companies")}
        resumed = run_tap(settings, state=stopped.state, streams=STREAMS)

    assert stopped.returncode == 143, f"seed {seed}: exit {stopped.returncode}"
    assert seconds < 5
    assert after <= settings.get("max_concurrency", 4), f"{after} requests after the signal"
    assert not state_overreach(stopped.messages, None, truth), f"seed {seed}"
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    for stream, records in truth.items():
        lost = {r["id"] for r in records} - emitted_ids(stream, stopped, resumed)
        assert not lost, f"seed {seed}: {stream} lost {sorted(lost)[:5]}"
