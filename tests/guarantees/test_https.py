"""Over HTTPS, as every real account is reached: the environment's CA bundle is honoured.

The SDK sends through `Session.send`, which reads no CA bundle from the environment; a proxy
that inspects TLS (common in companies) needs `REQUESTS_CA_BUNDLE`. The simulator serves TLS
with a throwaway certificate authority (trustme).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig
from tests.simulator.tls import TlsFiles, throwaway_tls


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return throwaway_tls(tmp_path)


@pytest.fixture
def https_simulator(tls_files: TlsFiles) -> Iterator[Simulator]:
    config = SimulatorConfig(
        tickets=40, tls_certfile=str(tls_files.cert), tls_keyfile=str(tls_files.key)
    )
    with Simulator(config) as sim:
        yield sim


def test_a_sync_over_https_trusts_the_ca_bundle_the_environment_names(https_simulator, tls_files):
    sim = https_simulator
    assert sim.base_url.startswith("https://")
    config = {"api_key": sim.api_key, "base_url": sim.base_url}

    run = run_tap(
        config, streams=["tickets", "conversations"], env={"REQUESTS_CA_BUNDLE": str(tls_files.ca)}
    )

    assert run.returncode == 0, run.stderr
    assert set(run.ids("tickets")) == {t["id"] for t in sim.truth("tickets")}
    assert set(run.ids("conversations")) == {c["id"] for c in sim.truth("conversations")}


def test_an_untrusted_certificate_ends_at_once_in_one_line(https_simulator):
    sim = https_simulator
    config = {"api_key": sim.api_key, "base_url": sim.base_url, "max_retry_seconds": 300}

    run = run_tap(config, streams=["tickets"], env={"REQUESTS_CA_BUNDLE": ""}, timeout=120)

    assert run.returncode == 1
    assert "Cannot trust the TLS certificate of 127.0.0.1" in run.stderr
    assert "REQUESTS_CA_BUNDLE" in run.stderr
    assert "Traceback" not in run.stderr
    assert "retrying in" not in run.stderr
