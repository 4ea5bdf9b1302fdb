"""`meltano run tap-freshdesk target-duckdb`, twice, with the account changed in between."""

from __future__ import annotations

import pytest

from devtools.destinations import read_duckdb
from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import MeltanoProject, run_ok
from tests.simulator import Simulator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def landing(small_account: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Landing:
    require_plugins("target-duckdb")
    folder = tmp_path_factory.mktemp("duckdb")
    database = folder / "freshdesk.duckdb"
    project = MeltanoProject.create(
        folder, TAP_FRESHDESK_BASE_URL=small_account.base_url, TARGET_DUCKDB_PATH=str(database)
    )
    return land_twice(
        small_account,
        run=lambda: run_ok(project, "tap-freshdesk", "target-duckdb"),
        read=lambda wanted: read_duckdb(database, wanted),
    )


def test_first_run_loads_every_record_of_the_account_once(landing: Landing) -> None:
    checks.every_record_landed_once(landing)


def test_second_run_loads_the_changed_records(landing: Landing) -> None:
    checks.changes_landed(landing)


def test_second_run_upserts_by_id_keeping_one_row_per_record(landing: Landing) -> None:
    checks.one_row_per_record(landing)


def test_tables_have_typed_columns(landing: Landing) -> None:
    for table in ("tickets", "conversations", "contacts"):
        columns = landing.second[table]["columns"]
        assert columns["id"] in {"BIGINT", "HUGEINT", "INTEGER"}, (table, columns["id"])
        assert columns["updated_at"].startswith("TIMESTAMP"), (table, columns["updated_at"])
    assert landing.second["tickets"]["columns"]["spam"] == "BOOLEAN"
