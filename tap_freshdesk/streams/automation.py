"""Automations (API reference, "Automations" and "Scenario Automations")."""

from __future__ import annotations

import typing as t

from tap_freshdesk.streams.base import FreshdeskStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


#: Freshdesk's automation types, by the id its `automations/{id}/rules` path takes.
AUTOMATION_TYPES = {1: "ticket_creation", 3: "time_triggers", 4: "ticket_updates"}


#: The keys of a webhook action (`"field_name": "trigger_webhook"`) that hold credentials the
#: webhook sends to its URL (Freshdesk API reference, Automations: webhook action).
WEBHOOK_CREDENTIALS = ("username", "password", "api_key", "custom_headers")


#: What a redacted credential reads as.
REDACTED = "REDACTED"


class ScenarioAutomationsStream(FreshdeskStream):
    """Scenarios: sets of ticket actions an agent applies in one click.

    Full table: real scenarios carry only `id, name, description, actions, private`, no
    timestamps to bookmark (a sandbox account's records in Airbyte source-freshdesk's
    `integration_tests/expected_records.jsonl`). The list is small and read whole each run.
    """

    name = "scenario_automations"
    path = "/scenario_automations"
    plan_feature = "scenario automations"


class AutomationRulesStream(FreshdeskStream):
    """Rules of the three automation types, one stream with the type as `automation_type_id`.

    Each type is a partition, so the type id lands in every record and each type keeps its
    own bookmark. Rule ids are only known to be unique within a type.
    """

    name = "automation_rules"
    path = "/automations/{automation_type_id}/rules"
    primary_keys: t.ClassVar[tuple[str, ...]] = ("automation_type_id", "id")
    replication_key = "updated_at"
    plan_feature = "automation rules (admin access)"

    @property
    def partitions(self) -> list[dict[str, t.Any]]:
        """One pass per automation type."""
        return [{"automation_type_id": type_id} for type_id in AUTOMATION_TYPES]

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Redact the credentials of webhook actions unless `redact_webhook_credentials` is off.

        A webhook action carries the `username`/`password` or `api_key` it authenticates
        with, and `custom_headers` (an `Authorization` header, a token…): each value present
        becomes `REDACTED`, header names kept, so the warehouse shows which webhooks
        authenticate and how without holding the secrets. Null values stay null.
        """
        if self.settings.redact_webhook_credentials:
            for action in row.get("actions") or []:
                if isinstance(action, dict) and action.get("field_name") == "trigger_webhook":
                    _redact(action)
        return super().post_process(row, context)


def _redact(action: dict[str, t.Any]) -> None:
    for key in WEBHOOK_CREDENTIALS:
        value = action.get(key)
        if isinstance(value, dict):
            action[key] = dict.fromkeys(value, REDACTED)
        elif value not in (None, ""):
            action[key] = REDACTED
