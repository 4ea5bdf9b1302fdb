"""`meltano run tap-freshdesk target-bigquery` with the README's production settings, twice.

Every stream, the tap's default shape (no flattening), and target-bigquery exactly as
`meltano.yml` configures it for production: `streaming_insert` into one JSON `data` column per
table (`denormalized: false`), appending. Between the runs the account changes and an admin adds
a ticket custom field. Then the `<stream>_latest` views that `scripts/bigquery_latest_views.py`
prints (made after the first run, as a user would) must hold one row per record of the
simulator, the new field's values included.

Only the loader's environment differs from production: `BIGQUERY_EMULATOR_HOST` sends its client
to a local bqemulator, and `GOOGLE_APPLICATION_CREDENTIALS` names a preset-token file standing in
for Google's. With these settings the emulator needs no workaround: nothing is merged (it has no
MERGE), nothing is gzipped (batch_job's uploads, which it cannot read), and no column is named
`from` (automation rules' `events[].from`, which its DDL rejects): all of that lives in the JSON
column. The loader exits 0 even when its inserts fail, so these tests count the rows that
arrived, never trust the exit code alone.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from devtools.meltano_settings import TAP
from devtools.streams import as_text
from tests.e2e import checks
from tests.e2e.conftest import require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import (
    BIGQUERY_DATASET,
    BIGQUERY_PROJECT,
    ROOT,
    Landed,
    MeltanoProject,
    query_bigquery,
    read_bigquery,
    run_ok,
)
from tests.simulator import Simulator

pytestmark = pytest.mark.e2e

#: The custom field an admin adds between the runs, and the records it is read back from.
NEW_FIELD = "cf_rehearsal"
NEW_FIELD_COLUMN = f"custom_fields.{NEW_FIELD}"


@pytest.fixture(scope="module")
def runs(
    small_account: Simulator,
    bigquery: tuple[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Landing, Landed]:
    """The two runs, and the `_latest` views read after the second."""
    require_plugins("target-bigquery")
    endpoint, credentials = bigquery
    project = MeltanoProject.create(
        tmp_path_factory.mktemp("bigquery-run"),
        TAP_FRESHDESK_BASE_URL=small_account.base_url,
        TAP_FRESHDESK__SELECT='["*.*"]',
        BIGQUERY_EMULATOR_HOST=endpoint,
        GOOGLE_APPLICATION_CREDENTIALS=str(credentials),
    )
    made_views = []

    def run() -> None:
        # target-bigquery waits 5 s after creating each table: about 3 minutes the first time.
        run_ok(project, "tap-freshdesk", "target-bigquery", timeout=600)
        if not made_views:
            loaded = read_bigquery(endpoint, {})
            query_bigquery(endpoint, latest_views(sorted(loaded)))
            made_views.append(True)

    landing = land_twice(
        small_account,
        run=run,
        read=lambda wanted: read_bigquery(endpoint, wanted),
        prepare=lambda: small_account.add_custom_field("ticket", NEW_FIELD, "custom_text"),
    )
    wanted = landing.wanted
    wanted["tickets"] = [*wanted["tickets"], NEW_FIELD_COLUMN]
    return landing, read_bigquery(endpoint, wanted, suffix="_latest")


def latest_views(streams: list[str]) -> str:
    """The README's dedupe views, for every stream the job loads."""
    done = subprocess.run(
        [
            str(Path(TAP).parent / "python"),
            str(ROOT / "scripts" / "bigquery_latest_views.py"),
            BIGQUERY_PROJECT,
            BIGQUERY_DATASET,
            f"--tap={TAP}",
            "--streams",
            *streams,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_first_run_loads_every_stream_and_record_once(runs: tuple[Landing, Landed]) -> None:
    landing, _ = runs
    checks.every_record_landed_once(landing)
    with_records = {stream for stream, records in landing.before.items() if records}
    assert with_records <= set(landing.first), with_records - set(landing.first)


def test_second_run_appends_the_changes_only(runs: tuple[Landing, Landed]) -> None:
    landing, _ = runs
    checks.changes_landed(landing)
    checks.only_changes_appended(landing)


def test_latest_views_hold_one_row_per_record(runs: tuple[Landing, Landed]) -> None:
    landing, latest = runs
    for stream, records in sorted(landing.after.items()):
        if not records:
            continue
        rows = landing.identities(latest, stream)
        if landing.specs[stream].keys:
            expected = landing.expected(landing.after, stream)
            assert rows == expected, f"{stream}: {sum(rows.values())} rows, {len(records)} records"
    # No primary key (ticket activities, settings): one row per distinct record, none lost.
    checks.no_keyless_record_lost(landing, latest)
    assert len(latest["settings"]["rows"]) == len(landing.after["settings"]) == 1


def test_new_custom_field_reaches_the_warehouse(runs: tuple[Landing, Landed]) -> None:
    landing, latest = runs
    truth = {
        as_text(r["id"]): as_text(r["custom_fields"].get(NEW_FIELD))
        for r in landing.after["tickets"]
    }
    landed = {row["id"]: row[NEW_FIELD_COLUMN] for row in latest["tickets"]["rows"]}
    filled = {ticket: value for ticket, value in truth.items() if value is not None}
    assert filled, "no ticket was edited after the field was added: the check proves nothing"
    assert landed == truth


def test_production_settings_are_the_readmes() -> None:
    """The README's `meltano config set target-bigquery` lines are meltano.yml's defaults, and
    the test environment changes none of them (it only names the emulator's project)."""
    readme = (ROOT / "README.md").read_text()
    told = dict(re.findall(r"^meltano config set target-bigquery (\w+) (\S+)", readme, re.M))
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    loader = next(p for p in project["plugins"]["loaders"] if p["name"] == "target-bigquery")
    defaults = {s["name"]: str(s.get("value")).lower() for s in loader["settings"]}
    production = {k: v for k, v in told.items() if k not in {"project", "dataset"}}
    assert production, "the README sets no loader setting"
    assert {k: defaults.get(k) for k in production} == production
    test = next(e for e in project["environments"] if e["name"] == "test")
    overrides = next(
        p.get("config", {})
        for p in test["config"]["plugins"]["loaders"]
        if p["name"] == "target-bigquery"
    )
    assert set(overrides) <= {"project", "dataset"}, overrides
