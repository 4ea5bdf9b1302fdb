"""The simulator's knobs: account size, and the behaviours a test can turn on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utc_now() -> datetime:
    """Real time, truncated to Freshdesk's one-second precision."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class SimulatorConfig:
    """Everything that shapes the simulated account; any field can change at run time."""

    seed: int = 1
    tickets: int = 300
    contacts: int = 120
    companies: int = 30
    agents: int = 12
    groups: int = 5
    roles: int = 4
    time_entries: int | None = None  # default: tickets // 3
    satisfaction_ratings: int | None = None  # default: tickets // 4
    #: Tickets sharing one `updated_at` second, as after a bulk update.
    burst_size: int = 120
    #: A ticket with more than one page of conversations (id 3) when there are enough tickets.
    long_thread: int = 130
    api_key: str = "sim-api-key"
    #: Stream names whose endpoints answer 403, as when the plan lacks the feature.
    disabled_features: set[str] = field(default_factory=set)
    #: Credits per window for the whole account; None: unlimited.
    rate_limit: int | None = None
    rate_window_seconds: float = 60.0
    #: Sub-limits for the ticket and contact lists, per window, as on real plans.
    tickets_list_limit: int | None = None
    contacts_list_limit: int | None = None
    latency_ms: tuple[float, float] = (0.0, 0.0)
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = (
        "500",
        "502",
        "503",
        "drop",
        "timeout",
        "truncated",
        "invalid_json",
    )
    stall_seconds: float = 5.0
    #: Apply `mutate_batch` every this many API requests: a busy helpdesk during the sync.
    mutate_every: int | None = None
    mutate_batch: dict[str, int] = field(
        default_factory=lambda: {"tickets": 2, "contacts": 1, "conversations": 1, "new_tickets": 1}
    )
    clock: Callable[[], datetime] = utc_now
