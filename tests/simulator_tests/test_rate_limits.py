"""Rate limits: 429 with `Retry-After`, and the ticket list's own sub-limit."""

from __future__ import annotations

import time

import pytest


@pytest.mark.simulator(tickets=50, rate_limit=5, rate_window_seconds=1)
def test_429_with_retry_after_then_recovery_after_the_window(sim, http):
    answers = [http.get(f"{sim.base_url}/groups") for _ in range(6)]

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert [a.headers["X-Ratelimit-Remaining"] for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert all(a.headers["X-Ratelimit-Total"] == "5" for a in answers)
    retry_after = int(answers[-1].headers["Retry-After"])
    assert retry_after == 1
    time.sleep(retry_after)
    assert http.get(f"{sim.base_url}/groups").status_code == 200
    stats = sim.stats()
    assert stats["rate_limited"] == 1 and stats["status"]["429"] == 1
    assert stats["credits"] == 6, "a refused request costs nothing"


@pytest.mark.simulator(tickets=200, rate_limit=100, tickets_list_limit=2, rate_window_seconds=3)
def test_the_ticket_list_sub_limit_bites_first(sim, http):
    statuses = [http.get(f"{sim.base_url}/tickets").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert http.get(f"{sim.base_url}/contacts").status_code == 200
