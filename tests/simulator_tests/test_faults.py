"""Faults: each kind a client can observe, injected on demand or at random."""

from __future__ import annotations

import pytest
import requests


@pytest.mark.simulator(tickets=30)
def test_each_fault_kind_is_observable_by_a_client(sim, http):
    url = f"{sim.base_url}/groups"

    def fail(kind):
        sim.fail_next(kind, path_prefix="/api/v2/groups")
        return http.get(url, timeout=2)

    assert fail("500").status_code == 500
    bad_gateway = fail("502")
    assert bad_gateway.status_code == 502 and bad_gateway.text.startswith("<html>")
    unavailable = fail("503")
    assert unavailable.status_code == 503 and unavailable.headers["Retry-After"] == "1"
    page = fail("invalid_json")
    assert page.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        page.json()
    with pytest.raises(requests.ConnectionError):
        fail("drop")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        fail("truncated")
    sim.configure(stall_seconds=1.5)
    with pytest.raises(requests.ReadTimeout):
        sim.fail_next("timeout", path_prefix="/api/v2/groups")
        http.get(url, timeout=0.5)
    assert http.get(url).status_code == 200
    stats = sim.stats()
    assert stats["faults"] == 7
    assert stats["credits"] == 1, "faulted requests cost nothing"


@pytest.mark.simulator(tickets=30, fault_rate=0.5, fault_kinds=("500",))
def test_random_faults_follow_the_rate_and_spare_control_endpoints(sim, http):
    codes = [http.get(f"{sim.base_url}/roles").status_code for _ in range(40)]
    control = [requests.get(f"{sim.base_url[:-7]}/_sim/stats", timeout=5) for _ in range(10)]

    assert 8 < codes.count(500) < 32 and codes.count(200) + codes.count(500) == 40
    assert all(c.status_code == 200 for c in control)
    assert control[-1].json()["requests"] == 40, "control requests are not counted"
