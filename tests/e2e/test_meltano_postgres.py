"""`meltano run tap-freshdesk target-postgres` with ACTIVATE_VERSION on, twice, into a real server.

target-postgres upserts by primary key and honours ACTIVATE_VERSION: it marks deleted
(`_sdc_deleted_at`) every row of an older version. The tap sends it only for streams it reads
whole each run; were it sent for a stream read in part (conversations, read only for the
tickets changed since the last run; ticket activities, read only for the days since the export's
own bookmark), the second run would mark the rest deleted. So after the second run the live rows
(not marked deleted) must be every record of the simulator, once. Every stream is selected.
"""

from __future__ import annotations

import pytest

from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import (
    POSTGRES_SCHEMA,
    MeltanoProject,
    postgres_url,
    read_postgres,
    run_ok,
)
from tests.simulator import Simulator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def runs(
    small_account: Simulator, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Landing, dict[str, int]]:
    """The two runs, and how many rows of each table were marked deleted after the second."""
    require_plugins("target-postgres")
    project = MeltanoProject.create(
        tmp_path_factory.mktemp("postgres-run"),
        TAP_FRESHDESK_BASE_URL=small_account.base_url,
        TAP_FRESHDESK__SELECT='["*.*"]',
        TAP_FRESHDESK_EMIT_ACTIVATE_VERSION_MESSAGES="true",
        TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA=POSTGRES_SCHEMA,
        TARGET_POSTGRES_SQLALCHEMY_URL=postgres_url(postgres, "freshdesk"),
    )
    uri = postgres.replace("/postgres?", "/freshdesk?")
    landing = land_twice(
        small_account,
        run=lambda: run_ok(project, "tap-freshdesk", "target-postgres"),
        read=lambda wanted: read_postgres(uri, wanted),
        prepare=lambda: remove_a_discussion_category(small_account),
    )
    return landing, {table: int(rows["deleted"]) for table, rows in landing.second.items()}


def remove_a_discussion_category(sim: Simulator) -> None:
    """An admin deletes a forum category between the runs (a stream read whole each run, so
    the tap sends ACTIVATE_VERSION for it). The simulator has no route for it: the category
    leaves its table, under the table's lock, and with it the simulator's truth."""
    table = sim.account.catalog.table_of("discussion_categories")
    assert table is not None
    with table.lock:
        table.tables["discussion_categories"].pop()


def test_first_run_loads_every_record_once(runs: tuple[Landing, dict[str, int]]) -> None:
    checks.every_record_landed_once(runs[0])


def test_second_run_loads_the_changes(runs: tuple[Landing, dict[str, int]]) -> None:
    checks.changes_landed(runs[0])


def test_second_run_keeps_every_record_live_once(runs: tuple[Landing, dict[str, int]]) -> None:
    """One live row per record (conversations of unchanged tickets included; the deleted
    category's row no longer live). Ticket activities, keyed by the tap's `activity_key`: every
    activity still live, those of the days the second run did not read again included."""
    landing, _ = runs
    checks.one_row_per_record(landing)
    changed = {str(ticket) for ticket in landing.touched["tickets"]}
    unchanged = {str(r["ticket_id"]) for r in landing.after["conversations"]} - changed
    assert unchanged, "every ticket changed: the check proves nothing"
    assert landing.first["ticket_activities"]["rows"], "no activity loaded: proves nothing"
    checks.no_keyless_record_lost(landing, landing.second)


def test_activate_version_marked_the_deleted_category_deleted(
    runs: tuple[Landing, dict[str, int]],
) -> None:
    """ACTIVATE_VERSION marks the row of the category deleted in Freshdesk, and only it;
    `settings`, upserted by its key (`account_host`), keeps one live row and none deleted."""
    landing, deleted = runs
    assert (
        len(landing.after["discussion_categories"])
        == len(landing.before["discussion_categories"]) - 1
    )
    assert deleted["discussion_categories"] == 1
    assert deleted["settings"] == 0
    assert len(landing.second["settings"]["rows"]) == 1
