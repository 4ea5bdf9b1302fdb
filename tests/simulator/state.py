"""What the simulated account holds: its sizes, seeded generators, and the overlays of changes.

Seeded records are derived on demand (see data.py and timeline.py); only records changed while
the simulator runs are stored, in the small overlay dicts built here. The account's queries are
split by what they list (tickets.py, people.py), its run-time changes by what they change
(changes.py); store.py puts them together as `Account`.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from tests.simulator.catalog import HELPDESK_SIZES, KNOWLEDGE_SIZES, Catalog
from tests.simulator.clock import seconds_of
from tests.simulator.config import CORE_SIZES, SimulatorConfig
from tests.simulator.custom_objects import CustomObjects
from tests.simulator.data import Factory
from tests.simulator.fields import CustomFields
from tests.simulator.ids import ADDED_CONVERSATION_ID_BASE
from tests.simulator.pager import Pager
from tests.simulator.timeline import Scatter, TicketTimeline

DELETED, SPAM, PURGED = 0, 1, 2  # ticket Scatter subsets
BLOCKED = 1  # contact Scatter subsets (DELETED is 0 there too)


@dataclass(frozen=True)
class TicketChange:
    """A ticket as changed at run time (or created then): its stored state."""

    created: int
    updated: int
    deleted: bool = False
    spam: bool = False
    status: int | None = None


class AccountState:
    """The account's sizes, generators, lock and overlays, shared by its queries and changes."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.sizes = {
            name: config.count(name)
            for name in (
                *CORE_SIZES,
                *HELPDESK_SIZES,
                *KNOWLEDGE_SIZES,
            )
        }
        n = self.sizes["tickets"]
        self.factory = Factory(
            config.seed, self.sizes, config.boolean_auto_assign, config.lone_recipient_share
        )
        self.timeline = TicketTimeline(config.seed, n, config.burst_size)
        self.ticket_kinds = Scatter(
            config.seed,
            n,
            (
                self.sizes["deleted_tickets"],
                self.sizes["spam_tickets"],
                self.sizes["purged_tickets"],
            ),
        )
        self.contact_kinds = Scatter(
            config.seed + 1,
            self.sizes["contacts"],
            (self.sizes["deleted_contacts"], self.sizes["blocked_contacts"]),
        )
        self.long_thread_id = next(
            (i for i in range(min(3, n), n + 1) if self.ticket_kinds.kind(i) is None), 0
        )
        self.lock = threading.RLock()
        self.rng = random.Random(config.seed * 7_919 + 1)
        self.ticket_changes: dict[int, TicketChange] = {}
        #: Tickets archived or deleted for good at run time (`archive_ticket`, `purge_ticket`).
        self.archived_ids: set[int] = set()
        self.purged_ids: set[int] = set()
        self.next_ticket_id = n + 1
        self.added_conversations: dict[int, list[tuple[int, int]]] = {}
        self.next_conversation_id = ADDED_CONVERSATION_ID_BASE + 1
        #: Conversations deleted at run time (`delete_conversation`), by id.
        self.deleted_conversations: set[int] = set()
        self.contact_changes: dict[int, int] = {}
        #: Contacts deleted or blocked while the simulator runs: number -> DELETED or BLOCKED.
        self.contact_kind_changes: dict[int, int | None] = {}
        self.company_changes: dict[int, int] = {}
        #: Companies deleted while the simulator runs: Freshdesk deletes a company for good.
        self.deleted_companies: set[int] = set()
        #: Bumped by every change: cached cursors of older versions are never resumed.
        self.version = 0
        self.mutations = 0
        self.pager = Pager()
        self.custom = CustomFields(config.seed)
        self.catalog = Catalog(config.seed, self.sizes, self.factory)
        self.custom_objects = CustomObjects(
            config.seed, config.custom_object_schemas, config.custom_object_records
        )

    def now_ms(self) -> int:
        """Return the clock's now in epoch milliseconds, as custom objects stamp records."""
        return int(self.config.clock().timestamp() * 1000)

    def now(self) -> int:
        """Return the clock's now in seconds after EPOCH (skew included): after all history."""
        return seconds_of(self.config.clock()) + self.config.skew_seconds
