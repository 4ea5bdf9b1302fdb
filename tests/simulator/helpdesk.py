"""The helpdesk's configuration streams, and the helpdesk settings.

Products, business hours, SLA policies, skills, email configs and mailboxes, surveys, scenario
automations, canned responses and automation rules.

Shapes follow the API v2 reference: integer ids, `YYYY-MM-DDTHH:MM:SSZ` timestamps, integer
enums, nulls where an optional setting is off. Ids that tickets and groups already refer to
(`product_id`, `email_config_id`, `business_hour_id`, the survey of satisfaction ratings) exist
here.
"""

from __future__ import annotations

import random
from typing import Any

from tests.simulator import ids
from tests.simulator.clock import stamp_at
from tests.simulator.data import RATINGS, SURVEY_QUESTIONS, TIME_ZONES, Factory
from tests.simulator.ids import AGENT_ID_BASE, SURVEY_ID
from tests.simulator.seeded import rng_for, sentence, sometimes
from tests.simulator.tables import Record, Tables, spread
from tests.simulator.webhooks import webhook_actions

#: `automations/{type}/rules`: 1 ticket creation, 3 time triggers, 4 ticket updates.
AUTOMATION_TYPES = {1: "ticket_creation", 3: "time_triggers", 4: "ticket_updates"}
PRIORITIES = {1: "Low", 2: "Medium", 3: "High", 4: "Urgent"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Settings > Helpdesk: one object, not a list.
SETTINGS = {
    "primary_language": "en",
    "supported_languages": ["fr", "de", "es"],
    "portal_languages": ["fr", "de"],
    "help_widget_languages": ["fr"],
}
#: Stream → the method building one of its records.
BUILDERS = {
    "products": "product",
    "business_hours": "business_hour",
    "sla_policies": "sla_policy",
    "skills": "skill",
    "email_configs": "email_config",
    "email_mailboxes": "email_mailbox",
    "surveys": "survey",
    "scenario_automations": "scenario_automation",
    "canned_response_folders": "canned_response_folder",
    "canned_responses": "canned_response",
    "automation_rules": "automation_rule",
    "ticket_forms": "ticket_form",
}


class Helpdesk(Tables):
    """The configuration streams of one account, seeded and small."""

    def __init__(self, seed: int, sizes: dict[str, int], factory: Factory) -> None:
        self.seed = seed
        self.sizes = sizes
        self.factory = factory
        super().__init__(self._everything)

    def _rng(self, stream: str, number: int) -> random.Random:
        return rng_for(self.seed, stream, number)

    def _times(self, stream: str, number: int) -> dict[str, str]:
        updated = spread(number, self.sizes[stream])
        created = updated - self._rng(f"{stream}/created", number).randint(0, 30 * 86_400)
        return {"created_at": stamp_at(max(0, created)), "updated_at": stamp_at(updated)}

    def _agents(self, rng: random.Random, most: int) -> list[int]:
        agents = self.sizes["agents"]
        if not agents:
            return []
        return sorted({AGENT_ID_BASE + rng.randint(1, agents) for _ in range(rng.randint(1, most))})

    def _everything(self) -> dict[str, list[Record]]:
        tables: dict[str, list[Record]] = {}
        for stream, builder in BUILDERS.items():
            build = getattr(self, builder)
            tables[stream] = [build(n) for n in range(1, self.sizes[stream] + 1)]
        return tables

    # Records, one builder per stream (named after the singular)

    def ticket_form(self, number: int) -> Record:
        """Shape of the reference's "List All Ticket Forms" sample; form 1 is the default."""
        title = ("Report an issue", "Return items", "Warranty claim")[(number - 1) % 3]
        return {
            "id": ids.TICKET_FORM_ID_BASE + number,
            "name": title.lower().replace(" ", "_"),
            "title": title if number <= 3 else f"{title} {number}",
            "default": number == 1,
            "description": sentence(self._rng("ticket_forms", number), 8),
            "last_updated_by": self._agents(self._rng("ticket_forms", number), 1)[0]
            if self.sizes["agents"]
            else None,
            "portals": [] if number == 1 else [{"id": 44_000_000_001, "name": "Acme portal"}],
            **self._times("ticket_forms", number),
        }

    def product(self, number: int) -> Record:
        """Return product `number`."""
        rng = self._rng("products", number)
        name = ("Acme Printers", "Acme Cloud", "Acme Mobile")[number - 1] if number <= 3 else None
        return {
            "id": ids.PRODUCT_ID_BASE + number,
            "name": name or f"Product {number}",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            "primary_email": f"product{number}@acme.freshdesk.com",
            "default": False,
            **self._times("products", number),
        }

    def business_hour(self, number: int) -> Record:
        """Return business hours `number`: working days, hours, time zone; 1 is the default."""
        rng = self._rng("business_hours", number)
        days = WEEKDAYS[:5] if number > 1 or rng.random() < 0.5 else WEEKDAYS[:6]
        start, end = rng.choice((("8:00 am", "5:00 pm"), ("9:00 am", "6:00 pm")))
        return {
            "id": ids.BUSINESS_HOUR_ID_BASE + number,
            "name": "Default" if number == 1 else f"{rng.choice(TIME_ZONES)} office",
            "description": sometimes(rng, sentence(rng, 5), 0.4),
            "is_default": number == 1,
            "time_zone": rng.choice(TIME_ZONES),
            # Real records name the week `working_hours` (Airbyte's sandbox account).
            "working_hours": {day: {"start_time": start, "end_time": end} for day in days},
            **self._times("business_hours", number),
        }

    def sla_policy(self, number: int) -> Record:
        """Return SLA policy `number`: targets per priority; policy 1 is the default."""
        rng = self._rng("sla_policies", number)
        default = number == 1
        targets = {
            f"priority_{priority}": {
                "respond_within": (5 - priority) * 3600,
                "resolve_within": (5 - priority) * 4 * 3600,
                "next_respond_within": None,
                "business_hours": rng.random() < 0.7,
                "escalation_enabled": rng.random() < 0.5,
            }
            for priority in (4, 3, 2, 1)
        }
        products = self.sizes["products"]
        return {
            "id": ids.SLA_POLICY_ID_BASE + number,
            "name": "Default SLA Policy" if default else f"SLA policy {number}",
            "description": "default policy" if default else sometimes(rng, sentence(rng), 0.3),
            "active": default or rng.random() < 0.8,
            "is_default": default,
            "position": number,
            "sla_target": targets,
            "applicable_to": {}
            if default
            else {
                "company_ids": [self.factory.company_ref(rng)] if rng.random() < 0.5 else [],
                "group_ids": [self.factory.group_ref(rng)] if rng.random() < 0.5 else [],
                "sources": [rng.choice((1, 2, 3))],
                "ticket_types": [rng.choice(("Question", "Incident", "Problem"))],
                "product_ids": [ids.PRODUCT_ID_BASE + rng.randint(1, products)] if products else [],
            },
            # Unset parts are empty objects; the default policy's is empty (Airbyte's sandbox).
            "escalation": {}
            if default
            else {
                "reminder_response": {},
                "reminder_resolution": {},
                "response": {"escalation_time": 1800, "agent_ids": [-1]},
                "resolution": {
                    f"level_{level}": {
                        "escalation_time": level * 3600,
                        "agent_ids": self._agents(rng, 2),
                    }
                    for level in range(1, rng.randint(1, 4) + 1)
                },
                "reminder_next_response": {},
                "next_response": {},
            },
            **self._times("sla_policies", number),
        }

    def skill(self, number: int) -> Record:
        """Return skill `number`: its rank, match type and ticket conditions."""
        rng = self._rng("skills", number)
        return {
            "id": ids.SKILL_ID_BASE + number,
            "name": rng.choice(("French", "Billing", "Hardware", "VIP")) + f" {number}",
            "rank": number,
            "match_type": rng.choice(("any", "all")),
            "conditions": [
                {
                    "resource_type": "ticket",
                    "field_name": "priority",
                    "operator": "in",
                    "value": sorted(rng.sample((1, 2, 3, 4), 2)),
                }
            ],
            "agents": [{"id": agent} for agent in self._agents(rng, 3)],
            **self._times("skills", number),
        }

    def email_config(self, number: int) -> Record:
        """Return email config `number`: the support address, with a product and group or none."""
        rng = self._rng("email_configs", number)
        products = self.sizes["products"]
        address = "support@acme.freshdesk.com" if number == 1 else f"help{number}@acme.example.com"
        return {
            "id": ids.EMAIL_CONFIG_ID_BASE + number,
            "name": "Acme Support" if number == 1 else f"Acme desk {number}",
            "product_id": sometimes(rng, ids.PRODUCT_ID_BASE + rng.randint(1, products), 0.5)
            if products
            else None,
            "to_email": address,
            "reply_email": address,
            "group_id": sometimes(rng, self.factory.group_ref(rng), 0.4),
            "primary_role": number == 1,
            "active": number == 1 or rng.random() < 0.8,
            **self._times("email_configs", number),
        }

    def email_mailbox(self, number: int) -> Record:
        """Return a Freshdesk-hosted mailbox, the only kind a real record was found for."""
        rng = self._rng("email_mailboxes", number)
        address = f"inbox{number}@acme.example.com"
        return {
            "id": ids.MAILBOX_ID_BASE + number,
            "name": f"Mailbox {number}",
            "support_email": address,
            "group_id": sometimes(rng, self.factory.group_ref(rng), 0.4),
            "product_id": None,
            "default_reply_email": number == 1,
            "active": rng.random() < 0.9,
            "mailbox_type": "freshdesk_mailbox",
            "failure_code": None,
            "freshdesk_mailbox": {"forward_email": f"acme{number}@fwd.freshdesk.com"},
            **self._times("email_mailboxes", number),
        }

    def survey(self, number: int) -> Record:
        """Return survey `number`: its questions, keyed by string ids as ratings use them."""
        rng = self._rng("surveys", number)
        ident = SURVEY_ID if number == 1 else SURVEY_ID + number * 1000
        # Question ids are the keys ratings use, strings; only the first says `default`
        # (Airbyte's sandbox account).
        questions: list[dict[str, Any]] = [
            {
                "id": "default_question",
                "label": "How would you rate your overall satisfaction for the resolution?",
                "accepted_ratings": list(RATINGS),
                "default": True,
            }
        ]
        extra = SURVEY_QUESTIONS if number == 1 else (ident * 10 + 1,)
        questions += [
            {
                "id": f"question_{question}",
                "label": sentence(rng, 6) + "?",
                "accepted_ratings": list(RATINGS),
            }
            for question in extra
        ]
        return {
            "id": ident,
            "title": "Default Survey" if number == 1 else f"Survey {number}",
            "active": number == 1,
            "questions": questions,
            **self._times("surveys", number),
        }

    def scenario_automation(self, number: int) -> Record:
        """No timestamps: real scenarios carry none (Airbyte's sandbox account)."""
        rng = self._rng("scenario_automations", number)
        return {
            "id": ids.SCENARIO_ID_BASE + number,
            "name": rng.choice(("Escalate", "Mark as spam", "Close and tag", "Refund"))
            + f" #{number}",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            # Values are strings; some actions have none.
            "actions": [
                {"name": "priority", "value": str(rng.randint(1, 4))},
                {"name": "status", "value": str(rng.choice((2, 3, 4, 5)))},
                {"name": "send_email_to_requester"},
            ][: rng.randint(1, 3)],
            "private": rng.random() < 0.2,
        }

    def canned_response_folder(self, number: int) -> Record:
        """Return canned response folder `number`; folder 1 is personal."""
        personal = number == 1
        responses = sum(
            1
            for n in range(1, self.sizes["canned_responses"] + 1)
            if self.canned_folder_of(n) == number
        )
        return {
            "id": ids.CANNED_FOLDER_ID_BASE + number,
            "name": "Personal" if personal else f"Folder {number}",
            "personal": personal,
            "responses_count": responses,
            **self._times("canned_response_folders", number),
        }

    def canned_folder_of(self, number: int) -> int:
        """Return the folder (1-based) of canned response `number`: round robin over the folders."""
        return 1 + (number - 1) % max(1, self.sizes["canned_response_folders"])

    def canned_response(self, number: int) -> Record:
        """Return canned response `number` in its folder (see `canned_folder_of`)."""
        rng = self._rng("canned_responses", number)
        text = sentence(rng, 12)
        visibility = rng.choice((0, 0, 1, 2))
        return {
            "id": ids.CANNED_RESPONSE_ID_BASE + number,
            "title": sentence(rng, 3),
            "folder_id": ids.CANNED_FOLDER_ID_BASE + self.canned_folder_of(number),
            "content": text,
            "content_html": f"<div>{text}</div>",
            "visibility": visibility,
            "group_ids": [self.factory.group_ref(rng)] if visibility == 2 else [],
            "attachments": [],
            **self._times("canned_responses", number),
        }

    def automation_rule(self, number: int) -> Record:
        """Rules cycle through the three types; `automation_type_id` is kept for `truth`."""
        rng = self._rng("automation_rules", number)
        kind = tuple(AUTOMATION_TYPES)[(number - 1) % 3]
        on_update = kind == 4
        priority = rng.randint(1, 4)
        return {
            "id": ids.AUTOMATION_RULE_ID_BASE + number,
            "name": f"{AUTOMATION_TYPES[kind].replace('_', ' ').capitalize()} rule {number}",
            "position": 1 + (number - 1) // 3,
            "active": rng.random() < 0.8,
            "performer": {"type": rng.choice((1, 2, 4))} if on_update else None,
            "events": [{"field_name": "status", "from": "--", "to": rng.choice((4, 5))}]
            if on_update
            else None,
            "conditions": [
                {
                    "name": "condition_set_1",
                    "match_type": rng.choice(("any", "all")),
                    "properties": [
                        {
                            "resource_type": "ticket",
                            "field_name": "priority",
                            "operator": "in",
                            "value": [priority],
                        }
                    ],
                }
            ],
            "operator": "condition_set_1" if on_update else None,
            "actions": [
                {"field_name": "group_id", "value": self.factory.group_ref(rng)},
                *webhook_actions(number),
            ],
            "summary": {"conditions": {"condition_set_1": [f"Priority is {PRIORITIES[priority]}"]}},
            "outdated": False,
            "last_updated_by": self.factory.agent_ref(rng),
            "affected_tickets_count": rng.randint(0, 50),
            "automation_type_id": kind,
            **self._times("automation_rules", number),
        }

    # Lists

    def automation_rules(self, kind: int) -> list[Record] | None:
        """`automations/{kind}/rules` as served (without `automation_type_id`); None: 404."""
        if kind not in AUTOMATION_TYPES:
            return None
        rules = self.where("automation_rules", "automation_type_id", kind)
        for rule in rules:
            del rule["automation_type_id"]
        return rules

    def canned_responses(self, folder_id: int) -> list[Record] | None:
        """Return the responses of folder `folder_id`; None when there is no such folder."""
        if not self.exists("canned_response_folders", folder_id):
            return None
        return self.where("canned_responses", "folder_id", folder_id)

    def settings(self) -> dict[str, Any]:
        """Return the helpdesk settings, the one object `settings/helpdesk` serves."""
        return dict(SETTINGS)
