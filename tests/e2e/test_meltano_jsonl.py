"""`meltano run tap-freshdesk target-jsonl`, twice, with the account changed in between."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import MeltanoProject, read_jsonl, run_ok
from tests.simulator import Simulator

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def landing(small_account: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Landing:
    require_plugins("target-jsonl")
    folder = tmp_path_factory.mktemp("jsonl")
    output = folder / "output"
    project = MeltanoProject.create(
        folder,
        TAP_FRESHDESK_BASE_URL=small_account.base_url,
        TARGET_JSONL_DESTINATION_PATH=str(output),
    )
    return land_twice(
        small_account,
        run=lambda: run_ok(project, "tap-freshdesk", "target-jsonl"),
        read=lambda wanted: read_jsonl(Path(output), wanted),
    )


def test_first_run_writes_every_record_of_the_account_once(landing: Landing) -> None:
    checks.every_record_landed_once(landing)


def test_second_run_writes_the_changed_records(landing: Landing) -> None:
    checks.changes_landed(landing)


def test_second_run_appends_only_the_changes(landing: Landing) -> None:
    checks.only_changes_appended(landing)
