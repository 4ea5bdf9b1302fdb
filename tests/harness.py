"""Run the real `tap-freshdesk` command against the simulator and read what it printed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TAP = str(Path(sys.executable).parent / "tap-freshdesk")


@dataclass
class TapRun:
    """One finished tap process: exit code, Singer messages from stdout, log from stderr."""

    returncode: int
    messages: list[dict[str, Any]]
    stderr: str
    stdout: str

    def records(self, stream: str) -> list[dict[str, Any]]:
        """The records of one stream, in the order they were written."""
        return [
            m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream
        ]

    def ids(self, stream: str) -> list[Any]:
        """The ids of one stream's records, repeats included."""
        return [record["id"] for record in self.records(stream)]

    @property
    def state(self) -> dict[str, Any]:
        """The last STATE the tap emitted."""
        states = [m["value"] for m in self.messages if m["type"] == "STATE"]
        return states[-1] if states else {}

    @property
    def output(self) -> str:
        """Everything the process printed."""
        return self.stdout + self.stderr


def run_tap(
    config: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    streams: list[str] | None = None,
    args: tuple[str, ...] = (),
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> TapRun:
    """Run the tap CLI to completion; `streams` selects those streams only.

    `env` adds environment variables (`TAP_FRESHDESK_LOGLEVEL`…) to the inherited ones.
    """
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        command = [TAP, "--config", _write(work / "config.json", config), *args]
        if state is not None:
            command += ["--state", _write(work / "state.json", state)]
        if streams is not None:
            command += ["--catalog", _write(work / "catalog.json", catalog_selecting(streams))]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **(env or {})},
        )
    messages = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return TapRun(done.returncode, messages, done.stderr, done.stdout)


def catalog_selecting(streams: list[str]) -> dict[str, Any]:
    """The discovered catalog with only `streams` selected (parents of selected children too)."""
    catalog = json.loads(json.dumps(_discovered_catalog()))
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if not metadata["breadcrumb"]:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


@cache
def _discovered_catalog() -> dict[str, Any]:
    done = subprocess.run(
        [TAP, "--discover"], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _write(path: Path, content: dict[str, Any]) -> str:
    path.write_text(json.dumps(content))
    return str(path)


class Listener:
    """A loopback port that counts the connections made to it and answers none.

    Tests aim the tap at it where it must not connect: a connection counted is the failure.
    """

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api/v2"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()
