"""Serving: the control surface, the CLI, start-up at a million tickets, TLS."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from tests.simulator import Simulator, SimulatorConfig
from tests.simulator_tests.support import (
    ASC,
    EVER,
    ROOT,
)


@pytest.mark.simulator(tickets=100)
def test_http_control_surface(sim, http):
    root = sim.base_url.removesuffix("/api/v2")
    http.get(f"{sim.base_url}/tickets")
    touched = requests.post(f"{root}/_sim/mutate", json={"new_tickets": 2}, timeout=5).json()
    requests.post(f"{root}/_sim/config", json={"disabled_features": ["roles"]}, timeout=5)
    truth = requests.get(f"{root}/_sim/truth/tickets", timeout=5).json()
    stats = requests.get(f"{root}/_sim/stats", timeout=5).json()

    assert touched["tickets"] == [101, 102]
    assert [t["id"] for t in truth][-2:] == [101, 102]
    assert stats["by_endpoint"] == {"GET /tickets": 1}
    assert http.get(f"{sim.base_url}/roles").status_code == 403
    assert sim.request_log[0].path == "/api/v2/tickets" and sim.request_log[0].status == 200


def test_a_million_tickets_start_fast_and_serve_page_one_quickly():
    began = time.perf_counter()
    with Simulator(SimulatorConfig(tickets=1_000_000)) as sim:
        started = time.perf_counter() - began
        http = requests.Session()
        http.auth = (sim.api_key, "X")
        began = time.perf_counter()
        first = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100})
        late = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100, "page": 300})
        served = time.perf_counter() - began
        newest = http.get(f"{sim.base_url}/tickets", params={"updated_since": EVER})

    assert started < 2.0
    assert served < 1.0
    assert len(first.json()) == 100 and len(late.json()) == 100
    assert newest.json()[0]["id"] > 999_000


def test_cli_prints_its_url_serves_and_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--tickets", "40"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("Freshdesk simulator listening on http://127.0.0.1:")
        url = line.split()[-1]
        response = requests.get(f"{url}/tickets", auth=("sim-api-key", "X"), timeout=5)
        assert response.status_code == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_refuses_a_non_loopback_host():
    done = subprocess.run(
        [sys.executable, "-m", "tests.simulator", "--host", "0.0.0.0", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0 and "loopback" in done.stderr


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A throwaway self-signed certificate for acme.freshdesk.com and 127.0.0.1 (openssl CLI)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=acme.freshdesk.com",
            "-addext", "subjectAltName=DNS:acme.freshdesk.com,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return cert, key


def test_tls_serves_https_and_links_name_the_public_host(certificate):
    cert, key = certificate
    config = SimulatorConfig(
        tickets=40, tls_certfile=str(cert), tls_keyfile=str(key), public_host="acme.freshdesk.com"
    )
    with Simulator(config) as sim:
        port = sim.base_url.rsplit(":", 1)[1].split("/")[0]
        local = f"https://127.0.0.1:{port}/api/v2"
        answer = requests.get(
            f"{local}/groups", params={"per_page": 2}, auth=(sim.api_key, "X"), verify=str(cert)
        )
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{local}/groups", auth=(sim.api_key, "X"), timeout=5)
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/api/v2/groups", timeout=5)
        still = requests.get(f"{local}/roles", auth=(sim.api_key, "X"), verify=str(cert))

    assert sim.base_url == f"https://acme.freshdesk.com:{port}/api/v2"
    assert answer.status_code == 200 and len(answer.json()) == 2
    assert answer.links["next"]["url"] == (
        f"https://acme.freshdesk.com:{port}/api/v2/groups?per_page=2&page=2"
    )
    assert still.status_code == 200, "a failed handshake does not stop the server"


def test_plain_http_is_the_default(sim):
    assert sim.base_url.startswith("http://127.0.0.1:")
