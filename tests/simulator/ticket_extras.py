"""Per-ticket objects beside conversations: a ticket's watchers and its summary note.

Shapes from Freshdesk's API reference: "List all watchers" (`GET /tickets/[id]/watchers` →
`{"watcher_ids": [...]}`) and "View Summary" (`GET /tickets/[id]/summary` → `{body, body_text,
id, user_id, ticket_id, created_at, updated_at, attachments, last_edited_at,
last_edited_user_id, cloud_files}`; plans from Blossom up).

Chosen here (not documented): a ticket without a summary answers 404 with an empty body, like
any missing object; about one ticket in five has one. Missing, deleted, spam and archived
tickets answer 404 on both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.simulator.clock import stamp_at
from tests.simulator.ids import AGENT_ID_BASE
from tests.simulator.routes import TICKET_EXTRAS
from tests.simulator.seeded import rng_for, sentence

if TYPE_CHECKING:
    from tests.simulator.store import Account

SUMMARY_ID_BASE = 82_007_000_000


def match(route: str) -> tuple[str, int] | None:
    """(stream, ticket id) of a watchers or summary URL; None for any other."""
    for stream, pattern in TICKET_EXTRAS.items():
        found = pattern.match(route)
        if found:
            return stream, int(found.group(1))
    return None


def answer(account: Account, stream: str, ticket_id: int) -> dict[str, Any] | None:
    """Return the object, or None for a 404."""
    if not account.is_live(ticket_id):
        return None
    if stream == "ticket_watchers":
        return watchers(account, ticket_id)
    return summary(account, ticket_id)


def watchers(account: Account, ticket_id: int) -> dict[str, Any]:
    """Return the watchers of a ticket: up to three seeded agents, often none."""
    rng = rng_for(account.config.seed, "ticket_watchers", ticket_id)
    agents = account.sizes["agents"]
    chosen = {AGENT_ID_BASE + rng.randint(1, agents) for _ in range(rng.choice((0, 0, 1, 2, 3)))}
    return {"watcher_ids": sorted(chosen) if agents else []}


def summary(account: Account, ticket_id: int) -> dict[str, Any] | None:
    """Return the summary of a ticket; None for the four in five without one."""
    rng = rng_for(account.config.seed, "ticket_summaries", ticket_id)
    state = account.ticket_state(ticket_id)
    if state is None or rng.random() >= 0.2:
        return None
    text = sentence(rng, 10)
    return {
        "body": f'<div dir="ltr">{text}</div>',
        "body_text": text,
        "id": SUMMARY_ID_BASE + ticket_id,
        "user_id": AGENT_ID_BASE + rng.randint(1, max(1, account.sizes["agents"])),
        "ticket_id": ticket_id,
        "created_at": stamp_at(state.updated),
        "updated_at": stamp_at(state.updated),
        "attachments": [],
        "last_edited_at": None,
        "last_edited_user_id": None,
        "cloud_files": [],
    }


def truth(account: Account, stream: str) -> list[dict[str, Any]]:
    """Return every live ticket's watchers or summary, as served.

    A summary names its ticket, the watchers object does not: see `answer` for a given ticket's.
    """
    found = (answer(account, stream, ticket_id) for ticket_id in account.all_ticket_ids())
    return [record for record in found if record is not None]
