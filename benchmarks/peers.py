"""The extractors compared: our tap and two published peers, each in its own environment.

Peers are installed from PyPI into virtual environments under `benchmarks/.peers/` (git-ignored)
and pointed at the simulator without editing their packages:

- singer-io `tap-freshdesk==1.0.1` (Python 3.11) hard-codes `https://{domain}.freshdesk.com`; a
  launcher (`launchers/singer_io.py`) wraps its `Client.__init__` to reset `base_url`.
- Airbyte `airbyte-source-freshdesk==3.1.3` runs only on Python 3.10 with `airbyte-cdk==0.88.4`
  and insists on `https://*.freshdesk.com`; the simulator serves TLS for acme.freshdesk.com and
  `launchers/airbyte_site/sitecustomize.py` resolves that name to the simulator inside the
  connector's process and hands requests the self-signed certificate.
"""

from __future__ import annotations

import compileall
import glob
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import tap_freshdesk
from benchmarks.measure import RunResult
from benchmarks.simulation import (
    PUBLIC_HOST,
    TlsFiles,
    port_of,
    self_signed_cert,
    simulator_supports_tls,
    start_simulator,
)
from tests.simulator import Simulator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".peers"
LAUNCHERS = HERE / "launchers"
#: Full history for tools that require a start date.
START_DATE = "2000-01-01T00:00:00Z"


@dataclass
class Invocation:
    """One prepared run: the command line and its environment."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


class Tool:
    """An extractor: how to install it, select streams, point it at a simulator, resume it."""

    key = ""
    label = ""
    #: Serve the simulator over TLS for this tool.
    needs_tls = False
    #: Largest account this tool runs on (full, quick); bigger scenarios cap it (slow tools).
    max_tickets: tuple[int, int] | None = None

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir / self.key
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.tls: TlsFiles | None = None
        self._catalogs: dict[tuple[str, ...], Path] = {}

    def setup(self) -> str | None:
        """Install if needed; return why the tool cannot run, or None."""
        return None

    def connect(self, sim: Simulator, settings: dict[str, Any]) -> Invocation:
        """The command prefix and environment that reach `sim` (config file included)."""
        raise NotImplementedError

    def discover_args(self, base: Invocation) -> list[str]:
        return [*base.argv, "--discover"]

    def run_args(self, base: Invocation, catalog: Path) -> list[str]:
        return [*base.argv, "--catalog", str(catalog)]

    def invocation(
        self, sim: Simulator, streams: tuple[str, ...], state: Any, settings: dict[str, Any]
    ) -> Invocation:
        """The command that extracts `streams` from `sim`, resuming from `state` if given."""
        catalog = self.catalog(sim, streams)
        base = self.connect(sim, settings)
        argv = self.run_args(base, catalog)
        if state is not None:
            argv += ["--state", str(self._write("state.json", state))]
        return Invocation(argv, base.env)

    def next_state(self, result: RunResult) -> Any:
        """The state to resume from after `result`, in this tool's own format."""
        return result.states[-1] if result.states else None

    def catalog(self, sim: Simulator, streams: tuple[str, ...]) -> Path:
        """Discover once per stream selection, against an unthrottled twin of `sim`'s account
        (discovery reads field definitions: it must not spend the measured run's budget)."""
        if streams not in self._catalogs:
            twin = start_simulator({"seed": sim.config.seed, "tickets": 10}, self.tls)
            try:
                base = self.connect(twin, {})
                out = subprocess.run(
                    self.discover_args(base),
                    capture_output=True,
                    check=True,
                    env={**os.environ, **base.env},
                    cwd=self.workdir,
                ).stdout
            finally:
                twin.stop()
            catalog = self.select(json.loads(out), streams)
            # Named after the streams, or their count when naming them all is too long a name.
            name = "-".join(streams) if len(streams) < 5 else f"{len(streams)}-streams"
            self._catalogs[streams] = self._write(f"catalog-{name}.json", catalog)
        return self._catalogs[streams]

    def select(self, catalog: dict[str, Any], streams: tuple[str, ...]) -> dict[str, Any]:
        """Mark `streams` selected and everything else not (Singer catalog metadata)."""
        for entry in catalog["streams"]:
            for item in entry.get("metadata", []):
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in streams
        return catalog

    def _write(self, name: str, payload: Any) -> Path:
        path = self.workdir / name
        path.write_text(json.dumps(payload))
        return path


class OurTap(Tool):
    key = "ours"
    label = "tap-freshdesk (ours)"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.executable = Path(sys.executable).parent / "tap-freshdesk"

    def setup(self) -> str | None:
        """Byte-compile the package, as `pip install` does for every peer's.

        Ours is installed editable, and with PYTHONDONTWRITEBYTECODE set (as on this machine)
        each run would compile it again: 0.03 to 0.05 CPU-s a run that no user pays.
        """
        if not self.executable.exists():
            return f"{self.executable} is missing: run `make install`"
        compileall.compile_dir(Path(tap_freshdesk.__file__).parent, quiet=1)
        return None

    @cache  # noqa: B019 - one Tool per invocation
    def settings(self) -> frozenset[str]:
        """The setting names `--about` declares (detects `max_concurrency`)."""
        about = subprocess.run(
            [str(self.executable), "--about", "--format=json"], capture_output=True, check=True
        ).stdout
        return frozenset(json.loads(about)["settings"]["properties"])

    def connect(self, sim: Simulator, settings: dict[str, Any]) -> Invocation:
        config = self._write(
            "config.json", {"api_key": sim.api_key, "base_url": sim.base_url, **settings}
        )
        return Invocation([str(self.executable), "--config", str(config)])


class VenvPeer(Tool):
    """A peer installed from PyPI into `benchmarks/.peers/<key>` with a given interpreter."""

    requirements: tuple[str, ...] = ()

    @property
    def venv(self) -> Path:
        return CACHE / self.key

    def interpreter(self) -> str | None:
        raise NotImplementedError

    def setup(self) -> str | None:
        marker = self.venv / ".installed"
        wanted = " ".join(self.requirements)
        if marker.exists() and marker.read_text() == wanted:
            return None
        python = self.interpreter()
        if python is None:
            return f"no interpreter found for {self.label}"
        CACHE.mkdir(parents=True, exist_ok=True)
        log = CACHE / f"{self.key}-install.log"
        print(f"installing {self.label} into {self.venv} (log: {log})", file=sys.stderr)
        with log.open("w") as out:
            steps = [
                [python, "-m", "venv", "--clear", str(self.venv)],
                [str(self.venv / "bin" / "python"), "-m", "pip", "install", *self.requirements],
            ]
            for step in steps:
                if subprocess.run(
                    step, check=False, stdout=out, stderr=subprocess.STDOUT
                ).returncode:
                    return f"`{' '.join(step)}` failed; see {log}"
        marker.write_text(wanted)
        return None


class SingerIo(VenvPeer):
    key = "singer-io"
    label = "singer-io tap-freshdesk 1.0.1"
    requirements = ("tap-freshdesk==1.0.1",)

    def interpreter(self) -> str | None:
        if sys.version_info[:2] == (3, 11):
            return sys.executable
        return shutil.which("python3.11")

    def connect(self, sim: Simulator, settings: dict[str, Any]) -> Invocation:
        config = self._write(
            "config.json",
            {"api_key": sim.api_key, "domain": "acme", "start_date": START_DATE,
             "user_agent": "benchmarks", **settings},
        )  # fmt: skip
        launcher = [str(self.venv / "bin" / "python"), str(LAUNCHERS / "singer_io.py")]
        return Invocation([*launcher, "--config", str(config)], {"BENCH_BASE_URL": sim.base_url})


class Airbyte(VenvPeer):
    key = "airbyte"
    label = "Airbyte source-freshdesk 3.1.3"
    requirements = ("airbyte-source-freshdesk==3.1.3", "airbyte-cdk==0.88.4")
    needs_tls = True
    #: Its declarative runtime spends ~15 ms of CPU per record (Jinja templates compiled per
    #: request and per record): past a few thousand records a run takes many minutes.
    max_tickets = (1_000, 200)

    def interpreter(self) -> str | None:
        candidates = sorted(
            glob.glob(str(Path.home() / ".pyenv/versions/3.10*/bin/python3.10"))
            + glob.glob("/opt/pyenv*/versions/3.10*/bin/python3.10")
        )
        return candidates[-1] if candidates else shutil.which("python3.10")

    def setup(self) -> str | None:
        if not simulator_supports_tls():
            return "the simulator has no TLS option yet (SimulatorConfig.tls_certfile)"
        if shutil.which("openssl") is None:
            return "openssl is needed to make the simulator's self-signed certificate"
        self.tls = self_signed_cert(CACHE / "tls")
        return super().setup()

    def connect(self, sim: Simulator, settings: dict[str, Any]) -> Invocation:
        assert self.tls is not None
        config = self._write(
            "config.json",
            {"api_key": sim.api_key, "domain": PUBLIC_HOST, "start_date": START_DATE, **settings},
        )
        env = {
            "PYTHONPATH": str(LAUNCHERS / "airbyte_site"),
            "BENCH_HOST": PUBLIC_HOST,
            "BENCH_PORT": str(port_of(sim)),
            "BENCH_CERT": str(self.tls.certfile),
        }
        exe = str(self.venv / "bin" / "source-freshdesk")
        return Invocation([exe, "{command}", "--config", str(config)], env)

    def discover_args(self, base: Invocation) -> list[str]:
        return [a.replace("{command}", "discover") for a in base.argv]

    def run_args(self, base: Invocation, catalog: Path) -> list[str]:
        return [*(a.replace("{command}", "read") for a in base.argv), "--catalog", str(catalog)]

    def select(self, catalog: dict[str, Any], streams: tuple[str, ...]) -> dict[str, Any]:
        """An Airbyte configured catalog: incremental where the stream supports it."""
        configured = []
        for stream in catalog["catalog"]["streams"]:
            if stream["name"] not in streams:
                continue
            incremental = "incremental" in stream["supported_sync_modes"]
            item = {
                "stream": stream,
                "sync_mode": "incremental" if incremental else "full_refresh",
                "destination_sync_mode": "append",
            }
            if incremental:
                item["cursor_field"] = stream.get("default_cursor_field", [])
            configured.append(item)
        return {"streams": configured}

    def next_state(self, result: RunResult) -> Any:
        """Airbyte resumes from the list of per-stream STATE messages."""
        return result.states or None


TOOLS: tuple[type[Tool], ...] = (OurTap, SingerIo, Airbyte)
