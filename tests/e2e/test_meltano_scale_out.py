"""Two accounts at once, as an orchestrator runs them: one `meltano run` per account, in
parallel, with Meltano's state in a shared PostgreSQL database.

Each account is its own job (its own `base_url` and destination, its own state ID through
`--state-id-suffix`), on its own worker (its own system directory: nothing shared on disk);
what they share is the PostgreSQL database that holds Meltano's system tables, state included
(`database_uri`; Meltano 4.4.1's `state_backend.uri` then stays `systemdb`: it has no
`postgresql://` state backend of its own). After a change to each account, each second run
resumes from its own bookmarks: it loads its account's changes, and nothing else.
"""

from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import (
    MELTANO,
    ROOT,
    SMALL_ACCOUNT,
    MeltanoProject,
    postgres_url,
    read_jsonl,
    run_ok,
)
from tests.simulator import Simulator, SimulatorConfig

pytestmark = pytest.mark.e2e

#: Two accounts that share nothing but the orchestrator: different seeds, different sizes.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "acme": SMALL_ACCOUNT,
    "globex": {**SMALL_ACCOUNT, "seed": 11, "tickets": 40, "contacts": 15},
}


@pytest.fixture(scope="module")
def accounts(
    postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Landing, MeltanoProject]]:
    """Each account's two runs, the first runs side by side and then the second runs."""
    require_plugins("target-jsonl")
    environment = {"MELTANO_DATABASE_URI": postgres_url(postgres, "meltano")}
    together = threading.Barrier(len(ACCOUNTS))
    sims = {name: Simulator(SimulatorConfig(**size)) for name, size in ACCOUNTS.items()}
    projects = {}
    for name, sim in sims.items():
        sim.start()
        folder = tmp_path_factory.mktemp(f"scale-out-{name}")
        projects[name] = MeltanoProject.create(
            folder,
            TAP_FRESHDESK_BASE_URL=sim.base_url,
            TARGET_JSONL_DESTINATION_PATH=str(folder / "output"),
            MELTANO_RUN_STATE_ID_SUFFIX=name,
            **environment,
        )
    # The system database's tables are made once, before the workers start (a deployment step).
    migrate = subprocess.run(
        [str(MELTANO), "state", "list"],
        cwd=ROOT,
        env=projects["acme"].env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr[-4000:]

    def job(name: str) -> Landing:
        project = projects[name]

        def run() -> None:
            together.wait(timeout=600)
            run_ok(project, "tap-freshdesk", "target-jsonl")

        output = Path(project.env["TARGET_JSONL_DESTINATION_PATH"])
        return land_twice(sims[name], run=run, read=lambda wanted: read_jsonl(output, wanted))

    try:
        with ThreadPoolExecutor(len(ACCOUNTS)) as pool:
            landings = dict(zip(ACCOUNTS, pool.map(job, ACCOUNTS), strict=True))
    finally:
        for sim in sims.values():
            sim.stop()
    return {name: (landings[name], projects[name]) for name in ACCOUNTS}


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_each_first_run_loads_its_own_account(
    accounts: dict[str, tuple[Landing, MeltanoProject]], account: str
) -> None:
    checks.every_record_landed_once(accounts[account][0])


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_each_second_run_resumes_from_its_own_state(
    accounts: dict[str, tuple[Landing, MeltanoProject]], account: str
) -> None:
    landing, _ = accounts[account]
    checks.changes_landed(landing)
    checks.only_changes_appended(landing)


def test_state_is_in_postgresql_one_id_per_account(
    accounts: dict[str, tuple[Landing, MeltanoProject]],
) -> None:
    project = accounts["acme"][1]
    listed = subprocess.run(
        [str(MELTANO), "state", "list"],
        cwd=ROOT,
        env=project.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    ids = {f"test:tap-freshdesk-to-target-jsonl:{name}" for name in ACCOUNTS}
    assert ids <= set(listed), listed
    states = {
        name: project.state(f"test:tap-freshdesk-to-target-jsonl:{name}")["singer_state"]
        for name in ACCOUNTS
    }
    for name, state in states.items():
        assert state["bookmarks"]["tickets"]["partitions"], name
    assert states["acme"] != states["globex"]
    assert not list(project.sys_dir.glob("*.db")), "a local SQLite system database was used"
