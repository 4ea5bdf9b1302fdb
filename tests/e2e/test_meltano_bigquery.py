"""`meltano run tap-freshdesk target-bigquery` into a local BigQuery emulator, twice.

The loader runs as in production (z3z1ma's target-bigquery, `streaming_insert`, typed columns);
only its environment differs: `BIGQUERY_EMULATOR_HOST` sends its client to the emulator, and
`GOOGLE_APPLICATION_CREDENTIALS` names a preset-token file standing in for Google's. The target
exits 0 even when its inserts fail, so these tests count the rows that arrived, never trust the
exit code alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import MeltanoProject, read_bigquery, run_ok
from tests.simulator import Simulator

pytestmark = pytest.mark.e2e

#: target-bigquery waits 5 s after creating each table (for BigQuery's eventual consistency):
#: the streams of the acceptance list, and companies, which the account change touches.
STREAMS = ("tickets", "conversations", "contacts", "companies")


@pytest.fixture(scope="module")
def landing(
    small_account: Simulator,
    bigquery: tuple[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Landing:
    require_plugins("target-bigquery")
    endpoint, credentials = bigquery
    project = MeltanoProject.create(
        tmp_path_factory.mktemp("bigquery-run"),
        TAP_FRESHDESK_BASE_URL=small_account.base_url,
        # Nested values trip the emulator where BigQuery copes: a STRUCT field named like an
        # SQL keyword (`events[].from`) fails its DDL, and an object bound for a JSON column
        # arrives as a Python repr it cannot parse. The SDK's flattening (objects to columns,
        # arrays to JSON text) leaves the emulator only scalar columns.
        TAP_FRESHDESK_FLATTENING_ENABLED="true",
        TAP_FRESHDESK_FLATTENING_MAX_DEPTH="3",
        TAP_FRESHDESK__SELECT=json.dumps([f"{stream}.*" for stream in STREAMS]),
        BIGQUERY_EMULATOR_HOST=endpoint,
        GOOGLE_APPLICATION_CREDENTIALS=str(credentials),
    )
    return land_twice(
        small_account,
        run=lambda: run_ok(project, "tap-freshdesk", "target-bigquery"),
        read=lambda wanted: read_bigquery(endpoint, wanted),
        streams=STREAMS,
    )


def test_first_run_inserts_every_ticket_conversation_and_contact(landing: Landing) -> None:
    checks.every_record_landed_once(landing)


def test_second_run_inserts_the_changed_records(landing: Landing) -> None:
    checks.changes_landed(landing)


def test_second_run_appends_only_the_changes(landing: Landing) -> None:
    checks.only_changes_appended(landing)


def test_tables_have_typed_columns(landing: Landing) -> None:
    for table in ("tickets", "conversations", "contacts"):
        columns = landing.second[table]["columns"]
        assert columns["id"] in {"INTEGER", "INT64"}, (table, columns["id"])
        assert columns["updated_at"] == "TIMESTAMP", (table, columns["updated_at"])
    assert landing.second["tickets"]["columns"]["spam"] in {"BOOLEAN", "BOOL"}
