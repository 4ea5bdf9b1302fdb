"""Record factories: record n of a stream is a pure function of (seed, n) and its timestamps.

Nothing is generated ahead. Each factory returns the record in the shape Freshdesk's list
endpoint serves it, with every documented field, realistic values of the documented types, and
the API's quirks: integer enums, ids past 32 bits for contacts/companies/agents, `cf_*` custom
fields typed by the account's field definitions, `time_spent` as "hh:mm".
"""

from __future__ import annotations

import random
from typing import Any

from tests.simulator import ids
from tests.simulator.clock import stamp_at
from tests.simulator.fields import (
    COMPANY_CUSTOM,
    COMPANY_MORE,
    CONTACT_CUSTOM,
    CONTACT_MORE,
    TICKET_CUSTOM,
    WORDS,
    custom_values,
)
from tests.simulator.seeded import (
    LAST,
    attachment,
    email_of,
    person,
    rng_for,
    sentence,
    sometimes,
)

TIME_ZONES = ("Eastern Time (US & Canada)", "London", "Chennai", "Tokyo", "Berlin", "Sydney")
LANGUAGES = ("en", "fr", "de", "es", "ja", "pt-BR")
TICKET_TYPES = ("Question", "Incident", "Problem", "Feature Request", "Refund", None)
SOURCES = (1, 1, 1, 2, 2, 3, 7, 9, 10)
STATUSES = (2, 2, 3, 4, 4, 5, 5, 5, 6)
RATINGS = (103, 102, 101, 100, -101, -102, -103)
SURVEY_QUESTIONS = (43_000_000_901, 43_000_000_902)


class Factory:
    """Builds records of one account; ids it refers to exist in that account."""

    def __init__(
        self,
        seed: int,
        sizes: dict[str, int],
        boolean_auto_assign: bool = False,
        lone_recipient_share: float = 0.15,
    ) -> None:
        self.seed = seed
        self.sizes = sizes
        self.boolean_auto_assign = boolean_auto_assign
        self.lone_recipient_share = lone_recipient_share

    def _ref(self, rng: random.Random, stream: str, base: int) -> int | None:
        size = self.sizes[stream]
        return base + rng.randint(1, size) if size else None

    def agent_ref(self, rng: random.Random) -> int | None:
        """Return the id of a seeded agent, or None on an account without agents."""
        return self._ref(rng, "agents", ids.AGENT_ID_BASE)

    def group_ref(self, rng: random.Random) -> int | None:
        """Return the id of a seeded group, or None on an account without groups."""
        return self._ref(rng, "groups", ids.GROUP_ID_BASE)

    def contact_ref(self, rng: random.Random) -> int | None:
        """Return the id of a seeded contact, or None on an account without contacts."""
        return self._ref(rng, "contacts", ids.CONTACT_ID_BASE)

    def company_ref(self, rng: random.Random) -> int | None:
        """Return the id of a seeded company, or None on an account without companies."""
        return self._ref(rng, "companies", ids.COMPANY_ID_BASE)

    # Tickets

    def ticket(self, ticket_id: int, created: int, updated: int) -> dict[str, Any]:
        """Return the full ticket: list shape plus description and the `include=` objects."""
        rng = rng_for(self.seed, "tickets", ticket_id)
        subject = sentence(rng, 5)
        requester = self.contact_ref(rng)
        company = sometimes(rng, self.company_ref(rng), 0.3)
        status = rng.choice(STATUSES)
        due = created + rng.randint(3600, 5 * 86400)
        cc = [f"cc{rng.randint(1, 99)}@example.org" for _ in range(rng.choice((0, 0, 1, 2)))]
        responded = sometimes(rng, stamp_at(min(updated, created + rng.randint(60, 86400))), 0.3)
        body = sentence(rng, 12)
        # Some real rows carry null, not empty, address lists (Airbyte's sandbox tickets 18, 19).
        emailless = rng_for(self.seed, "tickets/emailless", ticket_id).random() < 0.1
        return {
            "id": ticket_id,
            "subject": subject,
            "description": f"<div>{body}</div>",
            "description_text": body,
            "structured_description": sometimes(rng, {"body_contents": []}, 0.7),
            "type": rng.choice(TICKET_TYPES),
            "status": status,
            "priority": rng.randint(1, 4),
            "source": rng.choice(SOURCES),
            "requester_id": requester,
            "responder_id": sometimes(rng, self.agent_ref(rng), 0.25),
            "company_id": company,
            "group_id": sometimes(rng, self.group_ref(rng), 0.3),
            "product_id": sometimes(rng, 43_000_900_000 + rng.randint(1, 3), 0.7),
            "email_config_id": sometimes(rng, 43_000_800_001, 0.4),
            "support_email": None if emailless else "support@acme.freshdesk.com",
            "to_emails": None if emailless else sometimes(rng, ["support@acme.freshdesk.com"], 0.5),
            "cc_emails": None if emailless else cc,
            "fwd_emails": None if emailless else [],
            "reply_cc_emails": None if emailless else cc,
            "ticket_cc_emails": None if emailless else cc,
            "ticket_bcc_emails": None if emailless else [],
            "tags": rng.sample(WORDS, rng.choice((0, 0, 1, 2, 3))),
            "custom_fields": custom_values(TICKET_CUSTOM, rng, created),
            "due_by": stamp_at(due),
            "fr_due_by": stamp_at(created + rng.randint(600, 86400)),
            "nr_due_by": sometimes(rng, stamp_at(due + 3600), 0.5),
            "is_escalated": rng.random() < 0.1,
            "fr_escalated": rng.random() < 0.1,
            "nr_escalated": rng.random() < 0.05,
            "association_type": sometimes(rng, rng.randint(1, 4), 0.9),
            "associated_tickets_count": sometimes(rng, rng.randint(1, 3), 0.9),
            "spam": False,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
            # Embedded only with `include=`:
            "stats": {
                "agent_responded_at": responded,
                "requester_responded_at": sometimes(rng, stamp_at(created), 0.5),
                "first_responded_at": responded,
                "status_updated_at": stamp_at(updated),
                "reopened_at": sometimes(rng, stamp_at(updated), 0.9),
                "resolved_at": stamp_at(updated) if status in (4, 5) else None,
                "closed_at": stamp_at(updated) if status == 5 else None,
                "pending_since": stamp_at(updated) if status == 3 else None,
            },
            "requester": self.requester(requester),
            "company": None
            if company is None
            else {"id": company, "name": self.company_name(company)},
        }

    def requester(self, contact_id: int | None) -> dict[str, Any] | None:
        """Return the `requester` object `include=requester` embeds; None without one."""
        if contact_id is None:
            return None
        rng = rng_for(self.seed, "contacts", contact_id - ids.CONTACT_ID_BASE)
        first, last = person(rng)
        return {
            "id": contact_id,
            "name": f"{first} {last}",
            "email": email_of(first, last, contact_id - ids.CONTACT_ID_BASE),
            "mobile": None,
            "phone": None,
        }

    def company_name(self, company_id: int) -> str:
        """Return the name of company `company_id`, as `include=company` embeds it."""
        number = company_id - ids.COMPANY_ID_BASE
        return f"{rng_for(self.seed, 'companies', number).choice(LAST)} & Co {number}"

    # Conversations

    def conversation_count(self, ticket_id: int, long_thread_id: int, long_thread: int) -> int:
        """0 to 6 per ticket, about 2.5 on average; one ticket has a thread over a page long."""
        if ticket_id == long_thread_id:
            return long_thread
        return rng_for(self.seed, "threads", ticket_id).choice((0, 0, 1, 2, 2, 3, 3, 4, 4, 6))

    def conversation(
        self, ticket_id: int, position: int, created: int, ident: int | None = None
    ) -> dict[str, Any]:
        """Return a reply (source 0) or note (source 2) on a ticket."""
        rng = rng_for(self.seed, f"conversations/{ticket_id}", position)
        note = rng.random() < 0.3
        incoming = not note and rng.random() < 0.5
        author = self.contact_ref(rng) if incoming else self.agent_ref(rng)
        body = sentence(rng, 10)
        edited = rng.random() < 0.05
        recipient = f"customer{ticket_id}@example.com"
        # Some replies carry their one recipient as a plain string (singer-io tap-freshdesk #25).
        lone = (
            rng_for(self.seed, f"conversations/{ticket_id}/to", position).random()
            < self.lone_recipient_share
        )
        return {
            "id": ident
            if ident is not None
            else ids.CONVERSATION_ID_BASE + ticket_id * 1000 + position,
            "ticket_id": ticket_id,
            "body": f"<div>{body}</div>",
            "body_text": body,
            "incoming": incoming,
            "private": note and rng.random() < 0.8,
            "user_id": author,
            "support_email": None if note else "support@acme.freshdesk.com",
            "source": 2 if note else 0,
            "category": 2 if note else 3,
            "from_email": None if note else f"agent{rng.randint(1, 9)}@acme.example.com",
            "to_emails": [] if note else (recipient if lone else [recipient]),
            "cc_emails": [],
            "bcc_emails": sometimes(rng, [], 0.5),
            "attachments": [attachment(rng, ticket_id * 1000 + position, created)]
            if rng.random() < 0.05
            else [],
            "auto_response": False,
            "automation_id": None,
            "automation_type_id": None,
            "thread_id": None,
            "thread_message_id": None,
            "email_failure_count": None,
            "outgoing_failures": None,
            "source_additional_info": None,
            "last_edited_at": stamp_at(created + 120) if edited else None,
            "last_edited_user_id": self.agent_ref(rng) if edited else None,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(created + 120 if edited else created),
        }

    # People and companies

    def contact(self, number: int, created: int, updated: int) -> dict[str, Any]:
        """Return contact `number` as seeded, with its seeded custom fields (flags: the store)."""
        rng = rng_for(self.seed, "contacts", number)
        first, last = person(rng)
        ident = ids.CONTACT_ID_BASE + number
        company = sometimes(rng, self.company_ref(rng), 0.4)
        return {
            "id": ident,
            "name": f"{first} {last}",
            "email": email_of(first, last, number),
            "other_emails": sometimes(rng, [email_of(first, last, number, "mail.example.net")], 0.8)
            or [],
            "phone": sometimes(rng, f"+1-555-{rng.randint(1000, 9999)}", 0.5),
            "mobile": sometimes(rng, f"+44-7700-{rng.randint(100000, 999999)}", 0.6),
            "twitter_id": sometimes(rng, f"@{first.lower()}{number}", 0.9),
            "twitter_profile_status": False,
            "twitter_followers_count": None,
            "social_handler": [],
            "facebook_id": None,
            "unique_external_id": sometimes(rng, f"ext-{number}", 0.7),
            "contact_type": "contact",
            "address": sometimes(rng, f"{rng.randint(1, 200)} Main St", 0.7),
            "description": sometimes(rng, sentence(rng), 0.8),
            "job_title": sometimes(rng, rng.choice(("CTO", "Buyer", "Engineer", "Analyst")), 0.4),
            "language": rng.choice(LANGUAGES),
            "time_zone": rng.choice(TIME_ZONES),
            "company_id": company,
            "view_all_tickets": company is not None and rng.random() < 0.3,
            "other_companies": [],
            "tags": rng.sample(WORDS, rng.choice((0, 0, 1, 2))),
            "avatar": {
                "id": ident,
                "name": "avatar.png",
                "content_type": "image/png",
                "size": 4096,
                "avatar_url": f"https://s3.amazonaws.com/cdn.freshdesk.com/avatars/{ident}.png",
                "thumb_url": None,
                "attachment_url": None,
                "created_at": stamp_at(created),
                "updated_at": stamp_at(created),
            }
            if rng.random() < 0.1
            else None,
            "csat_rating": sometimes(rng, rng.choice(RATINGS), 0.7),
            "preferred_source": sometimes(rng, rng.choice(("email", "phone", "chat")), 0.5),
            "custom_fields": {
                **custom_values(CONTACT_CUSTOM, rng, created),
                **custom_values(CONTACT_MORE, rng_for(self.seed, "contacts/more", number), created),
            },
            "active": rng.random() < 0.9,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
        }

    def company(self, number: int, created: int, updated: int) -> dict[str, Any]:
        """Return company `number` as seeded, with its seeded custom fields."""
        rng = rng_for(self.seed, "companies", number)
        name = f"{rng.choice(LAST)} & Co {number}"
        return {
            "id": ids.COMPANY_ID_BASE + number,
            "name": name,
            "description": sometimes(rng, sentence(rng, 6), 0.4),
            "note": sometimes(rng, sentence(rng, 3), 0.7),
            "domains": [f"co{number}.example.com"] if rng.random() < 0.8 else [],
            "health_score": sometimes(rng, rng.choice(("Happy", "Doing okay", "At risk")), 0.3),
            "account_tier": sometimes(rng, rng.choice(("Basic", "Premium", "Enterprise")), 0.3),
            "renewal_date": sometimes(rng, stamp_at(created + 365 * 86400)[:10], 0.5),
            "industry": sometimes(rng, rng.choice(("Retail", "Software", "Health")), 0.4),
            "custom_fields": {
                **custom_values(COMPANY_CUSTOM, rng, created),
                **custom_values(
                    COMPANY_MORE, rng_for(self.seed, "companies/more", number), created
                ),
            },
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
        }

    def agent(self, number: int, created: int, updated: int) -> dict[str, Any]:
        """Return agent `number` with its contact details; agent 1 is a field agent."""
        rng = rng_for(self.seed, "agents", number)
        first, last = person(rng)
        return {
            "id": ids.AGENT_ID_BASE + number,
            "type": "support_agent" if number > 1 else "field_agent",
            "available": rng.random() < 0.6,
            "available_since": sometimes(rng, stamp_at(updated), 0.4),
            "occasional": rng.random() < 0.1,
            "signature": sometimes(rng, f"<div>{first}</div>", 0.4),
            "ticket_scope": rng.randint(1, 3),
            "last_active_at": sometimes(rng, stamp_at(updated), 0.2),
            "contact": {
                "name": f"{first} {last}",
                "email": email_of(first, last, number, "acme.example.com"),
                "active": True,
                "job_title": sometimes(rng, "Support Engineer", 0.5),
                "language": "en",
                "mobile": None,
                "phone": sometimes(rng, f"+1-555-{rng.randint(1000, 9999)}", 0.5),
                "time_zone": rng.choice(TIME_ZONES),
                "last_login_at": sometimes(rng, stamp_at(updated), 0.2),
                "created_at": stamp_at(created),
                "updated_at": stamp_at(updated),
            },
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
        }

    def group(self, number: int, created: int, updated: int) -> dict[str, Any]:
        """Return group `number`, `auto_ticket_assign` as 0/1 or boolean per account."""
        rng = rng_for(self.seed, "groups", number)
        assign = rng.choice((0, 1))
        return {
            "id": ids.GROUP_ID_BASE + number,
            "name": f"{rng.choice(('Billing', 'Tier', 'Escalations', 'Sales'))} {number}",
            "description": sometimes(rng, sentence(rng), 0.3),
            "group_type": "support_agent_group",
            "escalate_to": sometimes(rng, self.agent_ref(rng), 0.6),
            "unassigned_for": sometimes(rng, rng.choice(("30m", "1h", "2h")), 0.6),
            "business_hour_id": sometimes(rng, 43_000_850_001, 0.5),
            "auto_ticket_assign": bool(assign) if self.boolean_auto_assign else assign,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
        }

    def role(self, number: int, created: int, updated: int) -> dict[str, Any]:
        """Return role `number`: Freshdesk's four default roles, then custom ones."""
        names = ("Account Administrator", "Administrator", "Supervisor", "Agent")
        name = names[number - 1] if number <= len(names) else f"Custom role {number}"
        return {
            "id": ids.ROLE_ID_BASE + number,
            "name": name,
            "description": f"{name} role",
            "default": number <= len(names),
            "agent_type": 1,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(updated),
        }

    def time_entry(self, number: int, ticket_id: int, executed: int) -> dict[str, Any]:
        """Return time entry `number`, logged on `ticket_id` at `executed`."""
        rng = rng_for(self.seed, "time_entries", number)
        minutes = rng.randint(1, 600)
        return {
            "id": ids.TIME_ENTRY_ID_BASE + number,
            "ticket_id": ticket_id,
            "agent_id": self.agent_ref(rng),
            "company_id": sometimes(rng, self.company_ref(rng), 0.5),
            "billable": rng.random() < 0.7,
            "note": sometimes(rng, sentence(rng), 0.4) or "",
            "time_spent": f"{minutes // 60:02d}:{minutes % 60:02d}",
            "time_spent_in_seconds": minutes * 60,
            "timer_running": False,
            "executed_at": stamp_at(executed),
            "start_time": stamp_at(executed),
            "created_at": stamp_at(executed),
            "updated_at": stamp_at(executed + rng.choice((0, 0, 60))),
        }

    def satisfaction_rating(self, number: int, ticket_id: int, created: int) -> dict[str, Any]:
        """Return rating `number` of `ticket_id`, keyed by the survey's question ids."""
        rng = rng_for(self.seed, "satisfaction_ratings", number)
        ratings: dict[str, int] = {"default_question": rng.choice(RATINGS)}
        for question in SURVEY_QUESTIONS:
            if rng.random() < 0.5:
                ratings[f"question_{question}"] = rng.choice(RATINGS)
        return {
            "id": ids.RATING_ID_BASE + number,
            "survey_id": ids.SURVEY_ID,
            "ticket_id": ticket_id,
            "user_id": self.contact_ref(rng),
            "agent_id": sometimes(rng, self.agent_ref(rng), 0.1),
            "group_id": sometimes(rng, self.group_ref(rng), 0.4),
            "feedback": sometimes(rng, sentence(rng, 6), 0.5),
            "ratings": ratings,
            "created_at": stamp_at(created),
            "updated_at": stamp_at(created),
        }
