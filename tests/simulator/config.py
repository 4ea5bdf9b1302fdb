"""The simulator's knobs: account size, and the behaviours a test can turn on at run time."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tests.simulator.clock import utc_now

#: The account's core sizes (`SimulatorConfig.count` names), fixed once it is built.
CORE_SIZES = (
    "tickets",
    "contacts",
    "companies",
    "agents",
    "groups",
    "roles",
    "time_entries",
    "satisfaction_ratings",
    "deleted_tickets",
    "spam_tickets",
    "deleted_contacts",
    "blocked_contacts",
    "purged_tickets",
)

#: Ways a list row can be odd (see api.oddify): a lone UTF-16 surrogate escape in the subject,
#: no `id`, no `updated_at`, an epoch number as `updated_at`, an unreadable `updated_at`, an
#: `updated_at` older than its place in the order, and a list where the record should be; the
#: same `updated_at` written another valid way (`2025-11-23 12:39:37`, `…T18:09:37+05:30`).
ODD_RECORDS = (
    "lone_surrogate",
    "no_id",
    "no_updated_at",
    "epoch_updated_at",
    "unreadable_updated_at",
    "spaced_updated_at",
    "offset_updated_at",
    "out_of_order",
    "list_record",
)

ALL_FAULTS = ("500", "502", "503", "drop", "timeout", "truncated", "invalid_json", "trickle")
#: Faults only queued (`fail_next`), never drawn at random: a 200 with one JSON object where
#: a list belongs (an answer meant for another URL, from a cache or gateway in front of the API).
QUEUED_ONLY_FAULTS = ("object_body",)


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
    #: Ticket ids deleted for good (emptied from the trash): 404 everywhere, gaps in the ids.
    purged_tickets: int = 0
    #: Tickets sharing one `updated_at` second in the middle of history, as after a bulk update.
    burst_size: int = 120
    #: Conversations on one live ticket near the start, more than one page at per_page=100.
    long_thread: int = 130
    #: Custom object schemas (custom_objects.py; 0: the account has none) and records of each.
    custom_object_schemas: int = 0
    custom_object_records: int = 130
    # Configuration streams (helpdesk.py): small tables, listed whole.
    products: int = 3
    business_hours: int = 2
    sla_policies: int = 3
    skills: int = 4
    email_configs: int = 3
    email_mailboxes: int = 3
    surveys: int = 2
    scenario_automations: int = 5
    canned_response_folders: int = 3
    canned_responses: int = 14  # round robin over the folders
    automation_rules: int = 9  # round robin over types 1, 3 and 4
    ticket_forms: int = 3
    # Knowledge base and forums (knowledge.py). The first folder, forum and topic get the
    # `long_*` counts (more than a page at per_page=100); the rest are spread over the others.
    solution_categories: int = 3
    solution_folders: int = 6  # top-level folders, round robin over the categories
    solution_subfolders: int = 3  # below top-level folders 2, 3, …
    solution_articles: int = 200
    long_folder_articles: int = 130
    discussion_categories: int = 2
    discussion_forums: int = 4
    discussion_topics: int = 150
    long_forum_topics: int = 110
    discussion_comments: int = 300
    long_topic_comments: int = 120

    api_key: str = "sim-api-key"
    #: PEM certificate chain and private key: serve HTTPS instead of plain HTTP (the default).
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    #: The host name absolute URLs (`base_url`, `Link`) carry instead of the bound address, e.g.
    #: "acme.freshdesk.com" when the client resolves it to loopback; the port stays the bound one.
    public_host: str | None = None
    #: Groups' `auto_ticket_assign` as a boolean, as some accounts send it (singer-io
    #: tap-freshdesk PR #42), instead of 0/1 (Airbyte's sandbox account). One form per account.
    boolean_auto_assign: bool = False
    #: Share of replies carrying their one recipient as a plain string, not a one-element array
    #: (singer-io tap-freshdesk #25). Benchmarks set 0 so peers that crash on it can be timed.
    lone_recipient_share: float = 0.15
    #: Stream names whose endpoints answer 403 `access_denied`: the plan lacks the feature or
    #: the agent the privilege (skills, surveys, time entries…). Children of a named stream too.
    disabled_features: set[str] = field(default_factory=set)
    #: Tickets whose conversations answer 403 `access_denied`, as some soft-deleted tickets do
    #: on real accounts (singer-io tap-freshdesk PR #18).
    forbidden_conversations: set[int] = field(default_factory=set)
    #: Skills served at `skills` (the older routing), `admin/skills` answering 404.
    older_skills_routing: bool = False
    #: The activities export's answer: "list" (`{"export": [{"created_at", "url"}]}`, the
    #: controller's) or "object" (`{"export": {"url"}}`, also seen). See exports.py.
    activity_export_shape: str = "list"
    #: Live tickets with activities in each day's export file.
    activity_tickets_per_day: int = 10
    #: Downloads of each export file that answer 404 before it is there (a link handed out
    #: before its file is written).
    export_file_pending_downloads: int = 0
    #: Stream names whose endpoints answer 404, as when the feature is not enabled on the account
    #: (forums off: `{"discussion_categories"}` turns off the whole discussions tree).
    missing_features: set[str] = field(default_factory=set)

    #: Archiving: closed tickets not updated for this many days leave every list and
    #: `/tickets/{id}` and are served by `/tickets/archived/{id}` only (Freshdesk archives
    #: after 120 days). None: no ticket is archived by age. `archived_tickets` in
    #: `disabled_features` is a plan without archiving (403 `require_feature`).
    archive_after_days: float | None = None
    #: Share of the seeded tickets, oldest first, that are archived (0 to 1; None: none this
    #: way), as on an account years old: Freshdesk archives closed tickets inactive for 120
    #: days, so its archive is the old history, below every id the lists still return, while
    #: `archive_after_days` scatters archived ids over the whole history (support article
    #: 212901). Deleted and spam tickets there are gone for good (removed after 30 days in
    #: Trash or Spam, support article 228016); tickets changed at run time are live.
    archive_oldest_share: float | None = None
    #: Archived tickets whose `/tickets/archived/{id}` (and conversations) answer 403
    #: `access_denied`: this key's agent may not see them (scoped to other groups).
    refused_archived_tickets: set[int] = field(default_factory=set)

    #: Credits per window for the whole account; None: unlimited.
    rate_limit: int | None = None
    rate_window_seconds: float = 60.0
    #: The seconds the rate windows are counted in; a test's fake clock spares real waits.
    rate_clock: Callable[[], float] = time.monotonic
    #: Whether a 429 carries `Retry-After`; real answers sometimes lack it (freshdesk-api.md).
    send_retry_after: bool = True
    #: Requests per window on the ticket and contact lists, the sub-limits of real plans.
    tickets_list_limit: int | None = None
    contacts_list_limit: int | None = None

    #: Whether records of the removed views carry their flag (`deleted`, `spam`, `blocked`), as
    #: Freshdesk's do. Off, they come without it (`spam: false`): a test device proving the tap
    #: flags what each view lists by itself, as the README promises.
    flag_removed_records: bool = True
    #: Tickets the list serves oddly, by id: one of ODD_RECORDS each.
    odd_tickets: dict[int, str] = field(default_factory=dict)

    latency_ms: tuple[float, float] = (0.0, 0.0)
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = ALL_FAULTS
    #: How long a "timeout" fault holds the request before closing without an answer, and
    #: over how long a "trickle" fault spreads its (complete) answer.
    stall_seconds: float = 5.0

    #: Apply `mutate_batch` every this many API requests: a busy helpdesk during the sync.
    mutate_every: int | None = None
    mutate_batch: dict[str, int] = field(default_factory=_default_batch)

    #: "Now" for run-time changes and the 30-day default window; inject a fixed one in tests.
    clock: Callable[[], datetime] = utc_now
    #: Seconds the records' clock runs ahead of the `Date` header's (real time): the clock
    #: skew between Freshdesk's database and web servers that both simulators showed.
    skew_seconds: int = 0
    #: How `Date` is written: "gmt" as Freshdesk sends it (`Sun, 06 Dec 2026 14:12:00 GMT`);
    #: "zoneless" with RFC 5322's `-0000` ("no zone information", section 3.3), which
    #: Python parses without a zone; "doubled" twice, as a proxy that adds its own leaves it
    #: (a client joins repeated fields with a comma, RFC 9110 section 5.3).
    date_header: str = "gmt"

    def count(self, name: str) -> int:
        """Return a size, with the documented default for the derived ones."""
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
