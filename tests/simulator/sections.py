"""Ticket field sections: `GET /admin/ticket_fields/{id}/sections` → `{"sections": [...]}`.

Shape from Freshdesk's API reference ("Sections": "List All Sections for a Ticket Field"):
`{id, label, parent_ticket_field_id, choice_ids, ticket_field_ids, is_fsm}`. Chosen here: the
ticket type field has two sections and the first custom dropdown one; any other field answers
`{"sections": []}`; an unknown field id 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.simulator.routes import SECTIONS

if TYPE_CHECKING:
    from tests.simulator.store import Account

SECTION_ID_BASE = 43_000_760_000


def match(route: str) -> int | None:
    """Return the ticket field id of a sections URL; None for any other."""
    found = SECTIONS.match(route)
    return int(found.group(1)) if found else None


def sections(account: Account, field_id: int) -> dict[str, Any] | None:
    """Return the field's sections; None when there is no such field."""
    fields = account.field_definitions("ticket_fields")
    field = next((f for f in fields if f["id"] == field_id), None)
    if field is None:
        return None
    custom = [f["id"] for f in fields if not f["default"]]
    first_dropdown = next((f["id"] for f in fields if f["type"] == "custom_dropdown"), None)
    labels: tuple[str, ...] = ()
    if field["type"] == "default_ticket_type":
        labels = ("Incident details", "Refund details")
    elif field_id == first_dropdown:
        labels = ("Regional contact",)
    return {
        "sections": [
            {
                "id": SECTION_ID_BASE + field_id % 1000 * 10 + position,
                "label": label,
                "parent_ticket_field_id": field_id,
                "choice_ids": [position],
                "ticket_field_ids": custom[position - 1 :: 3][:2],
                "is_fsm": False,
            }
            for position, label in enumerate(labels, start=1)
        ]
    }


def truth(account: Account) -> list[dict[str, Any]]:
    """Every section of every ticket field."""
    return [
        section
        for field in account.field_definitions("ticket_fields")
        for section in (sections(account, field["id"]) or {"sections": []})["sections"]
    ]
