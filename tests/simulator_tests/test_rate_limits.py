"""Rate limits: 429 with `Retry-After`, and the ticket list's own sub-limit.

The windows are counted on a fake clock (the simulator's `rate_clock`): however slowly the
requests go out, they land in the window the test means, and a window ends when the test says.
"""

from __future__ import annotations

import pytest


class Seconds:
    """Fake monotonic seconds for the simulator's rate windows; they pass only by `advance`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


GROUPS_CLOCK = Seconds()
TICKETS_CLOCK = Seconds()


@pytest.mark.simulator(tickets=50, rate_limit=5, rate_window_seconds=60, rate_clock=GROUPS_CLOCK)
def test_429_with_retry_after_then_recovery_after_the_window(sim, http):
    answers = [http.get(f"{sim.base_url}/groups") for _ in range(5)]
    GROUPS_CLOCK.advance(20.5)
    answers.append(http.get(f"{sim.base_url}/groups"))

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert [a.headers["X-Ratelimit-Remaining"] for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert all(a.headers["X-Ratelimit-Total"] == "5" for a in answers)
    retry_after = int(answers[-1].headers["Retry-After"])
    assert retry_after == 40, "the window's 39.5 s left, in whole seconds"
    GROUPS_CLOCK.advance(retry_after - 1)
    assert http.get(f"{sim.base_url}/groups").status_code == 429, "the window is not over yet"
    GROUPS_CLOCK.advance(0.5)
    assert http.get(f"{sim.base_url}/groups").status_code == 200
    stats = sim.stats()
    assert stats["rate_limited"] == 2 and stats["status"]["429"] == 2
    assert stats["credits"] == 6, "a refused request costs nothing"


@pytest.mark.simulator(
    tickets=200,
    rate_limit=100,
    tickets_list_limit=2,
    rate_window_seconds=60,
    rate_clock=TICKETS_CLOCK,
)
def test_the_ticket_list_sub_limit_bites_first(sim, http):
    statuses = [http.get(f"{sim.base_url}/tickets").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert http.get(f"{sim.base_url}/contacts").status_code == 200
