"""How the helpdesk is set up: products, hours, SLAs, mailboxes and account-wide settings.

Small lists with no update filter: each run reads them whole and emits the records whose
`updated_at` passed the bookmark. Each needs admin access, and some a plan feature; a key
without it skips the stream with a warning.
"""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


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
    """The helpdesk's languages: one object per account, keyed by the account's host.

    `settings/helpdesk` answers one object with no id (`primary_language`,
    `supported_languages`, `portal_languages`, `help_widget_languages`), so a warehouse had
    nothing to upsert it on: loaders that require a key (target-duckdb's default) loaded
    nothing, the others appended a row per run. The tap adds `account_host`, the host it read
    the object from: one row per account, replaced by each run, even with several accounts in
    one table. Not the primary language: changing it would leave the old row behind. Read
    once per run for its own pass and the translations' languages (`looked_up`).
    """

    name = "settings"
    path = "/settings/helpdesk"
    looked_up = True
    primary_keys: t.ClassVar[tuple[str, ...]] = ("account_host",)
    key_origin = "the host of the account's API, `acme.freshdesk.com`"
    plan_feature = "helpdesk settings (admin access)"

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        """No paging parameters: one object (a paged request must answer a list)."""
        return {}

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Add the account's host, the key (see the class)."""
        row["account_host"] = urlsplit(self.url_base).hostname
        return super().post_process(row, context)
