"""Run one extractor as a child process and measure what it cost and what it emitted.

CPU time and peak memory come from `os.wait4` on the extractor, taken by a small launcher
process: the kernel's own accounting for exactly that process, so neither the simulator (a
thread of this process) nor this process's own memory blurs the figures. Standard output goes
through a counting sink that keeps no records in memory: at a million tickets the stream is
several gigabytes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

#: A record line of either protocol. Singer: `{"type": "RECORD", "stream": "tickets", ...`;
#: Airbyte: `{"type": "RECORD", "record": {"stream": "tickets", ...`. Spaces vary by writer.
RECORD = re.compile(rb'\{"type": ?"RECORD", ?(?:"record": ?\{ ?)?"stream": ?"([^"]+)"')
STATE = re.compile(rb'\{"type": ?"STATE"')
BATCH = re.compile(rb'\{"type": ?"BATCH"')
#: Airbyte reports a failure as a TRACE message on stdout, not on stderr.
TRACE_ERROR = re.compile(rb'\{"type": ?"TRACE", ?"trace": ?\{"type": ?"ERROR"')


@dataclass
class RunResult:
    """What one child process cost and emitted."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    exit_code: int | None = None
    timed_out: bool = False
    records: Counter[str] = field(default_factory=Counter)
    output_mb: float = 0.0
    #: The STATE messages' payloads, in order, keeping only the last per Airbyte stream.
    states: list[dict[str, Any]] = field(default_factory=list)
    #: How many STATE messages the extractor wrote: each one a target parses and may commit on.
    state_messages: int = 0
    #: Their bytes, of `output_mb`'s.
    state_bytes: int = 0
    #: BATCH messages (files written with `batch_config`).
    batch_messages: int = 0
    stderr_path: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


class CountingSink:
    """Reads a child's stdout to the end, counting records per stream and keeping the last state.

    Airbyte emits one STATE per stream (each a full replacement for that stream), Singer one
    STATE for everything; both are kept as the tool's `next_state` needs them.
    """

    def __init__(self, pipe: BinaryIO) -> None:
        self.pipe = pipe
        self.records: Counter[str] = Counter()
        self.states: dict[str, dict[str, Any]] = {}
        self.state_messages = 0
        self.state_bytes = 0
        self.batch_messages = 0
        self.bytes = 0
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._drain, name="counting-sink", daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        counts: dict[bytes, int] = {}
        for line in self.pipe:
            self.bytes += len(line)
            match = RECORD.match(line)
            if match:
                stream = match.group(1)
                counts[stream] = counts.get(stream, 0) + 1
            elif STATE.match(line):
                self.state_messages += 1
                self.state_bytes += len(line)
                self._keep_state(json.loads(line))
            elif BATCH.match(line):
                self.batch_messages += 1
            elif TRACE_ERROR.match(line):
                self.errors.append(json.loads(line)["trace"]["error"].get("message", ""))
        self.records = Counter({k.decode(): v for k, v in counts.items()})

    def _keep_state(self, message: dict[str, Any]) -> None:
        if "value" in message:  # Singer
            self.states = {"": message["value"]}
            return
        state = dict(message["state"])
        state.pop("sourceStats", None)
        name = state.get("stream", {}).get("stream_descriptor", {}).get("name", "")
        self.states[name] = state

    def join(self) -> None:
        self.thread.join()


#: Runs the extractor from a small process and writes its rusage to a file. Measured directly,
#: a child spawned by this (large) benchmark process reports this process's own peak RSS as
#: its floor: Linux carries the spawning memory's high-water mark into the child's ru_maxrss.
_SPAWN_AND_MEASURE = """
import json, os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss,
               "exit_code": os.waitstatus_to_exitcode(status)}, out)
sys.exit(0)
"""


def run_measured(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stderr_path: Path,
    timeout_s: float,
) -> RunResult:
    """Run `argv` to completion (or kill it after `timeout_s`) and measure it."""
    stderr_path.parent.mkdir(parents=True, exist_ok=True)
    with stderr_path.open("wb") as stderr:
        start = time.perf_counter()
        usage_path = stderr_path.with_suffix(".rusage.json")
        proc = subprocess.Popen(
            [sys.executable, "-c", _SPAWN_AND_MEASURE, str(usage_path), *argv],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=cwd,
            bufsize=1 << 20,
            start_new_session=True,
        )
        assert proc.stdout is not None
        sink = CountingSink(proc.stdout)
        killer = threading.Timer(timeout_s, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        _, status, _ = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timed_out = not killer.is_alive()
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sink.join()
        proc.stdout.close()
    usage = json.loads(usage_path.read_text()) if usage_path.exists() else {}
    return RunResult(
        wall_s=wall,
        cpu_s=usage.get("cpu_s", float("nan")),
        peak_rss_mb=usage.get("maxrss_kib", float("nan")) / 1024,
        exit_code=usage.get("exit_code", proc.returncode),
        timed_out=timed_out,
        records=sink.records,
        output_mb=sink.bytes / 1e6,
        states=list(sink.states.values()),
        state_messages=sink.state_messages,
        state_bytes=sink.state_bytes,
        batch_messages=sink.batch_messages,
        stderr_path=str(stderr_path),
        errors=sink.errors,
    )


def last_error_line(result: RunResult) -> str:
    """The child's error in one line (Airbyte's TRACE, else stderr), for the report's notes."""
    if result.errors:
        return result.errors[-1][-240:]
    try:
        lines = Path(result.stderr_path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        if any(word in line for word in ("Error", "ERROR", "CRITICAL", "Exception")):
            return line.strip()[-240:]
    return lines[-1].strip()[-240:] if lines else ""
