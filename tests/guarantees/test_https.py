"""Over HTTPS, as every real account is reached: the environment's CA bundle is honoured.

The SDK sends through `Session.send`, which reads no environment; a proxy that inspects TLS
(common in companies) needs `REQUESTS_CA_BUNDLE`. The simulator serves TLS with a throwaway
certificate authority (trustme).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.harness import run_tap
from tests.simulator import Simulator, SimulatorConfig


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    ca, cert, key = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    authority.cert_pem.write_to_path(str(ca))
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return ca, cert, key


@pytest.fixture
def https_simulator(tls_files: tuple[Path, Path, Path]) -> Iterator[Simulator]:
    _, cert, key = tls_files
    config = SimulatorConfig(tickets=40, tls_certfile=str(cert), tls_keyfile=str(key))
    with Simulator(config) as sim:
        yield sim


def test_a_sync_over_https_trusts_the_ca_bundle_the_environment_names(https_simulator, tls_files):
    sim = https_simulator
    assert sim.base_url.startswith("https://")
    config = {"api_key": sim.api_key, "base_url": sim.base_url}

    run = run_tap(
        config, streams=["tickets", "conversations"], env={"REQUESTS_CA_BUNDLE": str(tls_files[0])}
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
