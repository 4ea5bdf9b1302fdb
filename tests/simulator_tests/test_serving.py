"""Serving: the control surface, the CLI, start-up at a million tickets, TLS."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

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


def test_a_million_tickets_start_lazily_and_a_page_builds_only_its_own_records():
    """A bound on the work, not on the seconds: a busy machine must not fail it.

    Start-up allocates the two timeline arrays (16 MB) and no record; any page, page 300
    included, builds only the records it serves.
    """
    tracemalloc.start()
    try:
        sim = Simulator(SimulatorConfig(tickets=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    built = []
    factory = sim.account.factory
    make_ticket = factory.ticket
    factory.ticket = lambda *args, **kwargs: built.append(args[0]) or make_ticket(*args, **kwargs)
    with sim:
        http = requests.Session()
        http.auth = (sim.api_key, "X")
        first = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100})
        late = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100, "page": 300})
        newest = http.get(f"{sim.base_url}/tickets", params={"updated_since": EVER})

    assert peak < 48 * 2**20, f"{peak / 2**20:.0f} MB allocated to start"
    assert len(first.json()) == 100 and len(late.json()) == 100
    assert newest.json()[0]["id"] > 999_000
    assert len(built) == 100 + 100 + 30, "a page built records it does not serve"


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


def blocked_writing_stdout(pid: int) -> bool:
    """Whether the process is blocked writing to a pipe (its stdout, the only one it has)."""
    try:  # write(2) on fd 1: x86-64 numbers write 1, arm64 64
        return Path(f"/proc/{pid}/syscall").read_text().startswith(("1 0x1 ", "64 0x1 "))
    except PermissionError:
        return "pipe_write" in Path(f"/proc/{pid}/wchan").read_text()


def test_cli_handles_sigterm_from_the_moment_it_prints_its_url():
    """A caller stopping the simulator right after reading its URL gets a clean exit 0.

    The URL line is held in a full pipe, so the signal arrives while the line is being
    written: the handler must already be installed then, whatever the machine's speed.
    """
    syscall = Path("/proc/self/syscall")
    if not syscall.exists():
        pytest.skip("needs Linux's /proc to see the simulator blocked on its output")
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    with contextlib.suppress(BlockingIOError):
        while True:
            os.write(write_end, b"." * 4096)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--tickets", "40"],
        cwd=ROOT,
        stdout=write_end,
    )
    os.close(write_end)
    try:
        while not blocked_writing_stdout(process.pid):
            assert process.poll() is None, "the simulator ended before printing its URL"
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        output = b""
        while chunk := os.read(read_end, 65536):
            output += chunk
        code = process.wait(timeout=30)
    finally:
        os.close(read_end)
        if process.poll() is None:
            process.kill()

    assert b"Freshdesk simulator listening on http://127.0.0.1:" in output
    assert code == 0, f"exit {code}: SIGTERM arrived before its handler was installed"


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
