"""How the helpdesk is set up: products, hours, SLAs, mailboxes and account-wide settings.

Small lists with no update filter: each run reads them whole and emits the records whose
`updated_at` passed the bookmark. Each needs admin access, and some a plan feature; a key
without it skips the stream with a warning.
"""

from __future__ import annotations

import typing as t

from tap_freshdesk.client import FreshdeskStream


class ProductsStream(FreshdeskStream):
    """Products (brands) an account with several portals supports."""

    name = "products"
    path = "/products"
    replication_key = "updated_at"
    plan_feature = "multiple products"


class BusinessHoursStream(FreshdeskStream):
    """Working hours and holidays that SLA timers count in."""

    name = "business_hours"
    path = "/business_hours"
    replication_key = "updated_at"
    plan_feature = "business hours"


class SlaPoliciesStream(FreshdeskStream):
    """Response and resolution targets per priority."""

    name = "sla_policies"
    path = "/sla_policies"
    replication_key = "updated_at"
    plan_feature = "SLA policies (admin access)"


class EmailConfigsStream(FreshdeskStream):
    """Support email addresses and the group and product each routes to."""

    name = "email_configs"
    path = "/email_configs"
    replication_key = "updated_at"
    plan_feature = "email settings (admin access)"


class EmailMailboxesStream(FreshdeskStream):
    """Mailboxes with their incoming and outgoing server settings (no passwords)."""

    name = "email_mailboxes"
    path = "/email/mailboxes"
    replication_key = "updated_at"
    plan_feature = "email mailboxes (admin access)"


class HelpdeskSettingsStream(FreshdeskStream):
    """The helpdesk's languages: one object, not a list, and no id to key it by.

    Read once per run for its own pass and the translations' languages (`looked_up`).
    """

    name = "settings"
    path = "/settings/helpdesk"
    looked_up = True
    primary_keys: t.ClassVar[tuple[str, ...]] = ()
    plan_feature = "helpdesk settings (admin access)"
