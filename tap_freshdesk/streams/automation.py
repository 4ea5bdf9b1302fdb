"""What agents reuse and what the helpdesk does by itself: canned responses and automations."""

from __future__ import annotations

import typing as t

from tap_freshdesk.client import FreshdeskStream

#: Freshdesk's automation types, by the id its `automations/{id}/rules` path takes.
AUTOMATION_TYPES = {1: "ticket_creation", 3: "time_triggers", 4: "ticket_updates"}


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


class CannedResponseFoldersStream(FreshdeskStream):
    """Folders of canned responses; read whole, since each one's responses are listed apart."""

    name = "canned_response_folders"
    path = "/canned_response_folders"
    plan_feature = "canned responses"
    child_context_fields: t.ClassVar[dict[str, str]] = {"folder_id": "id"}


class CannedResponsesStream(FreshdeskStream):
    """Canned responses of every folder, filtered here by one bookmark for the stream."""

    name = "canned_responses"
    parent_stream_type = CannedResponseFoldersStream
    path = "/canned_response_folders/{folder_id}/responses"
    replication_key = "updated_at"
    state_partitioning_keys: t.ClassVar[list[str]] = []
    plan_feature = "canned responses"
