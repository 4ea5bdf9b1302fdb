"""SIGTERM and SIGINT stop a sync at once: no request after the signal, even mid-wait, a
consistent STATE out, and exit 143 / 130 so nobody mistakes the stopped sync for a finished one.
Resumed from that STATE, the next sync loses nothing.

No assertion reads a wall clock: the moments that matter are events (the tap's own log lines,
the requests the simulator receives), and "at once" is a bound far below the wait the tap must
not sit out, so a slow or busy machine cannot fail these tests and a tap that waits cannot pass.
"""

from __future__ import annotations

import random
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.guarantees.support import complete_messages, emitted_ids, state_overreach
from tests.guarantees.test_kill_resume import STREAMS, start_tap
from tests.harness import TapRun, run_tap
from tests.simulator import Simulator, SimulatorConfig

SIZES = {"tickets": 80, "contacts": 40, "companies": 10, "burst_size": 10, "long_thread": 30}
#: The rate window, and so the `Retry-After`, a signal must cut short: an hour.
RATE_WINDOW_SECONDS = 3600
#: How long a test lets a signalled tap take to exit before calling it hung: a guard far below
#: RATE_WINDOW_SECONDS, not a measure of speed.
EXIT_GUARD_SECONDS = 300
#: What the tap logs once its signal handler has stopped every request (tap.py `terminate`).
STOPPED = "Stopped by SIG"


class Watched:
    """A tap process whose log is read as it comes, and the requests the simulator received.

    `requests_at_signal` is how many requests had reached the simulator when the signal was
    sent, `requests_at_stop` when the tap was read saying it had stopped (its handler ran).
    """

    def __init__(
        self, sim: Simulator, settings: dict, folder: Path, watch_for: str = STOPPED
    ) -> None:
        self.arrived = 0
        #: Set once the tap logs a line containing `watch_for`.
        self.logged = threading.Event()
        self._watch_for = watch_for
        self.requests_at_signal: int | None = None
        self.requests_at_stop: int | None = None
        self._lock = threading.Lock()
        sim.on_request(self._count)
        self.process = start_tap(settings, None, folder, stderr=subprocess.PIPE)
        self._stdout: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()  # a target reading along, so the tap never blocks on a full pipe

    def signal(self, signum: int) -> None:
        with self._lock:
            self.requests_at_signal = self.arrived
        self.process.send_signal(signum)

    def finish(self) -> TapRun:
        """Wait for the exit (within EXIT_GUARD_SECONDS) and read what the tap wrote."""
        try:
            self.process.wait(timeout=EXIT_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"no exit {EXIT_GUARD_SECONDS} s after the signal: it waited on")
        for reader in self._readers:
            reader.join(timeout=EXIT_GUARD_SECONDS)
        stdout = "".join(self._stdout)
        return TapRun(self.process.returncode, complete_messages(stdout), "", stdout)

    def requests_after_signal(self) -> int:
        assert self.requests_at_signal is not None, "the signal was never sent"
        return self.arrived - self.requests_at_signal

    def requests_after_stop(self) -> int:
        assert self.requests_at_stop is not None, f"the tap never logged {STOPPED!r}"
        return self.arrived - self.requests_at_stop

    def _count(self, method: str, path: str, query: dict[str, str]) -> None:
        with self._lock:
            self.arrived += 1

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        self._stdout.extend(self.process.stdout)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if STOPPED in line and self.requests_at_stop is None:
                with self._lock:
                    self.requests_at_stop = self.arrived
            if self._watch_for in line:
                self.logged.set()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_a_rate_limit_wait_stops_at_once(signum, code):
    """A 429 with an hour's `Retry-After` holds every request; the signal must not wait it out."""
    config = SimulatorConfig(**SIZES, rate_limit=25, rate_window_seconds=RATE_WINDOW_SECONDS)
    with Simulator(config) as sim, tempfile.TemporaryDirectory() as folder:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        # Logged by the Retrier once the limiter is paused: the tap is in the wait then.
        tap = Watched(sim, settings, Path(folder), watch_for="; every request waits for it")
        while not tap.logged.wait(timeout=0.5):
            assert tap.process.poll() is None, "the sync ended before the rate limit bit"
        refused = [r for r in list(sim.request_log) if r.status == 429]
        tap.signal(signum)
        run = tap.finish()

    assert refused and refused[0].retry_after >= RATE_WINDOW_SECONDS - 60
    assert run.returncode == code
    assert tap.requests_after_signal() == 0, "requests after the signal"
    assert run.state, "no STATE written"


def signalled(
    sim: Simulator, settings: dict, signum: int, when: Callable[[int], bool]
) -> tuple[TapRun, int]:
    """Run the tap; send `signum` once `when(n)` says so of the simulator's n-th request:
    (run, requests the simulator received after the tap said it had stopped)."""
    holder: list[Watched] = []
    lock = threading.Lock()
    count = [0]

    def on_request(method, path, query):
        with lock:
            count[0] += 1
            if holder and when(count[0]):
                holder[0].signal(signum)

    sim.on_request(on_request)
    with tempfile.TemporaryDirectory() as folder:
        holder.append(Watched(sim, settings, Path(folder)))
        run = holder[0].finish()
    assert holder[0].requests_at_signal is not None, "the signal was never sent"
    return run, holder[0].requests_after_stop()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_sync_stopped_by_sigterm_anywhere_resumes_with_nothing_lost(seed):
    rng = random.Random(seed)
    stop_at = rng.randint(5, 60)
    config = SimulatorConfig(seed=seed, **SIZES, latency_ms=(1, 5))
    with Simulator(config) as sim:
        settings = {"api_key": sim.api_key, "base_url": sim.base_url, "page_size": 10}
        stopped, after = signalled(sim, settings, signal.SIGTERM, lambda n: n == stop_at)
        truth = {s: sim.truth(s) for s in ("tickets", "conversations", "contacts", "companies")}
        resumed = run_tap(settings, state=stopped.state, streams=STREAMS)

    assert stopped.returncode == 143, f"seed {seed}: exit {stopped.returncode}"
    # Only requests already admitted when the handler ran may still arrive: one per thread.
    assert after <= settings.get("max_concurrency", 4), f"{after} requests after the signal"
    assert not state_overreach(stopped.messages, None, truth), f"seed {seed}"
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    for stream, records in truth.items():
        lost = {r["id"] for r in records} - emitted_ids(stream, stopped, resumed)
        assert not lost, f"seed {seed}: {stream} lost {sorted(lost)[:5]}"
