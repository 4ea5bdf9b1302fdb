"""The "Trigger webhook" action of automation rules: a request to a third party, secrets too."""

from __future__ import annotations

from typing import Any

from tests.simulator.tables import Record


def webhook_actions(number: int) -> list[Record]:
    """Return a rule's "Trigger webhook" action, authenticated by user and password or by API key.

    The shape of Freshdesk's API reference (Automations, webhook action): the request, its
    credentials (`username`/`password` or `api_key`) and `custom_headers`, an object.
    """
    auth: dict[str, Any]
    if number % 4 == 1:
        auth = {"username": f"hook-user-{number}", "password": f"hook-pass-{number}"}
    elif number % 4 == 2:
        auth = {"api_key": f"hook-key-{number}"}
    else:
        return []
    return [
        {
            "field_name": "trigger_webhook",
            "request_type": "POST",
            "url": f"https://hooks.example.com/freshdesk/{number}",
            "need_authentication": True,
            **auth,
            "custom_headers": {"X-Webhook-Token": f"hook-token-{number}"},
            "content_type": "JSON",
            "content_layout": "2",
            "content": {"ticket_id": "{{ticket.id}}", "status": "{{ticket.status}}"},
        }
    ]
