"""A sync killed at any moment and resumed from the last STATE it wrote loses nothing.

At-least-once: records may repeat after a resume, none may be missing. And a STATE only ever
covers records written above it, so a target that commits a STATE commits no gap.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.guarantees.support import complete_messages, emitted_ids, state_overreach
from tests.harness import TAP, TapRun, catalog_selecting, run_tap

STREAMS = ["tickets", "conversations", "contacts", "companies", "agents"]
SIZES = {"tickets": 100, "contacts": 50, "companies": 20, "burst_size": 15, "long_thread": 40}


def start_tap(config, state, folder: Path, stderr: int = subprocess.DEVNULL) -> subprocess.Popen:
    """The tap CLI, its stdout a pipe as a target would read it (its log too if `stderr`)."""
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "catalog.json").write_text(json.dumps(catalog_selecting(STREAMS)))
    command = [TAP, "--config", str(folder / "config.json")]
    command += ["--catalog", str(folder / "catalog.json")]
    if state is not None:
        (folder / "state.json").write_text(json.dumps(state))
        command += ["--state", str(folder / "state.json")]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, bufsize=1)


def killed_after_lines(config, state, lines: int) -> TapRun:
    """Run the tap and SIGKILL it once it has written `lines` lines (mid-page, mid-stream)."""
    with tempfile.TemporaryDirectory() as folder:
        process = start_tap(config, state, Path(folder))
        assert process.stdout is not None
        read = []
        for line in process.stdout:
            read.append(line)
            if len(read) == lines:
                os.kill(process.pid, signal.SIGKILL)
                break
        read.append(process.stdout.read())
        process.wait(timeout=60)
    stdout = "".join(read)
    return TapRun(process.returncode, complete_messages(stdout), "", stdout)


def killed_at_request(
    simulator, config, state, path_part: str, count: int, *, whole_path: bool = False
) -> TapRun:
    """Run the tap and SIGKILL it as the simulator receives the `count`th matching request.

    A request matches when its path holds `path_part`, or with `whole_path` is exactly it.
    """
    seen = []
    holder: list[subprocess.Popen] = []

    def kill_on_request(method, path, query):
        if (path == path_part if whole_path else path_part in path) and holder:
            seen.append(path)
            if len(seen) == count:
                os.kill(holder[0].pid, signal.SIGKILL)

    simulator.on_request(kill_on_request)
    with tempfile.TemporaryDirectory() as folder:
        process = start_tap(config, state, Path(folder))
        holder.append(process)
        stdout, _ = process.communicate(timeout=120)
        holder.clear()
    return TapRun(process.returncode, complete_messages(stdout), "", stdout)


def resume_until_done(simulator, config, kill_runs) -> None:
    """Chain killed runs, each resumed from the previous one's last STATE, then finish."""
    truth = {stream: simulator.truth(stream) for stream in STREAMS}
    runs, state = [], None
    for kill in kill_runs:
        run = kill(state)
        assert run.returncode == -signal.SIGKILL, "the tap finished before the kill point"
        assert not state_overreach(run.messages, state, truth)
        runs.append(run)
        state = run.state or state
    final = run_tap(config, state=state, streams=STREAMS)
    assert final.returncode == 0, final.stderr
    assert not state_overreach(final.messages, state, truth)
    runs.append(final)
    for stream in STREAMS:
        missing = {r["id"] for r in truth[stream]} - emitted_ids(stream, *runs)
        assert not missing, f"{stream} lost after resuming: {sorted(missing)[:10]}"


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.simulator(**SIZES)
def test_killed_at_random_lines_and_resumed_nothing_is_lost(simulator, config, seed):
    """Three kills in a row at seeded random output lines, anywhere in any stream."""
    settings = {**config, "page_size": 7}
    total = sum(len(simulator.truth(stream)) for stream in STREAMS)
    points = random.Random(seed).sample(range(5, total * 2 // 3), 3)
    resume_until_done(
        simulator,
        settings,
        [lambda state, n=n: killed_after_lines(settings, state, n) for n in points],
    )


@pytest.mark.simulator(**SIZES)
def test_killed_while_reading_conversations_and_resumed_nothing_is_lost(simulator, config):
    """Kills while a ticket's conversations are being fetched: mid-child-stream, mid-page."""
    settings = {**config, "page_size": 7}
    counts = random.Random(7).sample(range(2, 60), 2)
    resume_until_done(
        simulator,
        settings,
        [
            lambda state, k=k: killed_at_request(simulator, settings, state, "/conversations", k)
            for k in counts
        ],
    )
