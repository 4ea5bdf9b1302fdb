"""The simulator's knobs: account size, and the behaviours a test can turn on at run time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tests.simulator.clock import utc_now

ALL_FAULTS = ("500", "502", "503", "drop", "timeout", "truncated", "invalid_json")


def _default_batch() -> dict[str, int]:
    return {"tickets": 2, "contacts": 1, "conversations": 1, "new_tickets": 1}


@dataclass
class SimulatorConfig:
    """Everything that shapes the simulated account; `Simulator.configure` changes any field.

    Sizes are read when the simulator is built (changing them later has no effect); every other
    knob is read per request.
    """

    seed: int = 1
    # Account size. None: derived from `tickets` as noted.
    tickets: int = 300
    contacts: int = 120
    companies: int = 30
    agents: int = 12
    groups: int = 5
    roles: int = 4
    time_entries: int | None = None  # tickets // 3
    satisfaction_ratings: int | None = None  # tickets // 4
    deleted_tickets: int | None = None  # 2 % of tickets
    spam_tickets: int | None = None  # 1 % of tickets
    deleted_contacts: int | None = None  # 3 % of contacts
    blocked_contacts: int | None = None  # 2 % of contacts
    #: Tickets sharing one `updated_at` second in the middle of history, as after a bulk update.
    burst_size: int = 120
    #: Conversations on one live ticket near the start, more than one page at per_page=100.
    long_thread: int = 130

    api_key: str = "sim-api-key"
    #: Stream names whose endpoints answer 403, as when the plan lacks the feature.
    disabled_features: set[str] = field(default_factory=set)

    #: Credits per window for the whole account; None: unlimited.
    rate_limit: int | None = None
    rate_window_seconds: float = 60.0
    #: Requests per window on the ticket and contact lists, the sub-limits of real plans.
    tickets_list_limit: int | None = None
    contacts_list_limit: int | None = None

    latency_ms: tuple[float, float] = (0.0, 0.0)
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = ALL_FAULTS
    #: How long a "timeout" fault holds the request before closing without an answer.
    stall_seconds: float = 5.0

    #: Apply `mutate_batch` every this many API requests: a busy helpdesk during the sync.
    mutate_every: int | None = None
    mutate_batch: dict[str, int] = field(default_factory=_default_batch)

    #: "Now" for run-time changes and the 30-day default window; inject a fixed one in tests.
    clock: Callable[[], datetime] = utc_now

    def count(self, name: str) -> int:
        """A size, with the documented default for the derived ones."""
        value: int | None = getattr(self, name)
        if value is not None:
            return max(0, value)
        derived = {
            "time_entries": self.tickets // 3,
            "satisfaction_ratings": self.tickets // 4,
            "deleted_tickets": round(self.tickets * 0.02),
            "spam_tickets": round(self.tickets * 0.01),
            "deleted_contacts": round(self.contacts * 0.03),
            "blocked_contacts": round(self.contacts * 0.02),
        }
        return derived[name]
