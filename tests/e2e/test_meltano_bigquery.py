"""The README's main job into BigQuery, twice, and what an analyst then queries.

`meltano run tap-freshdesk freshdesk-tally target-bigquery bigquery-tables`, every stream, the
tap's default shape and target-bigquery exactly as `meltano.yml` configures it for production:
`streaming_insert` into one JSON `data` column per table (`denormalized: false`), appending.
The `bigquery-tables` step then checks that every record landed and merges the new rows into
one typed table per stream in `freshdesk_tables`. Between the runs the account changes, an
admin adds a ticket custom field, and a ticket is deleted and another marked spam. A third run
goes through a proxy that rejects one ticket's insert as BigQuery does: the run must fail,
naming the stream.

Only the loader's environment differs from production: `BIGQUERY_EMULATOR_HOST` sends the
clients to a local bqemulator, `GOOGLE_APPLICATION_CREDENTIALS` names a preset-token file
standing in for Google's, and the loader skips its waits for BigQuery's consistency, 5 s after
creating each table, which the emulator does not need (`pipeline.without_consistency_waits`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools.streams import as_text
from tests.e2e import checks
from tests.e2e.bigquery_rejects import rejecting_proxy
from tests.e2e.conftest import require, require_plugins
from tests.e2e.expectations import Landing, land_twice
from tests.e2e.pipeline import (
    PLUGINS,
    ROOT,
    Landed,
    MeltanoProject,
    read_bigquery,
    without_consistency_waits,
)
from tests.simulator import Simulator
from tests.simulator.fields import DEFAULT_CHOICES, TICKET_CUSTOM

pytestmark = pytest.mark.e2e

#: The README's run line, block by block.
MAIN_JOB = ("tap-freshdesk", "freshdesk-tally", "target-bigquery", "bigquery-tables")
TABLES = "freshdesk_tables"
#: The custom field an admin adds between the runs.
NEW_FIELD = "cf_rehearsal"
#: A custom field's type in Freshdesk → the column type the analyst gets (as the client names it).
COLUMN_TYPES = {
    "custom_text": "STRING",
    "custom_paragraph": "STRING",
    "custom_dropdown": "STRING",
    "nested_field": "STRING",
    "custom_number": "INTEGER",
    "custom_decimal": "FLOAT",
    "custom_checkbox": "BOOLEAN",
    "custom_date": "DATE",
    "custom_date_time": "TIMESTAMP",
}


class Runs:
    """The two runs, what they landed and the typed tables read after the second."""

    def __init__(self, landing: Landing, tables: Landed, flagged: dict[str, int]) -> None:
        self.landing, self.tables, self.flagged = landing, tables, flagged


@pytest.fixture(scope="module")
def project(
    small_account: Simulator, bigquery: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> MeltanoProject:
    require_plugins("target-bigquery")
    require(
        PLUGINS / "mappers" / "record-tally" / "venv" / "bin" / "freshdesk-tally",
        PLUGINS / "utilities" / "bigquery-tables" / "venv" / "bin" / "freshdesk-bigquery-tables",
    )
    endpoint, credentials = bigquery
    project = MeltanoProject.create(
        tmp_path_factory.mktemp("bigquery-run"),
        TAP_FRESHDESK_BASE_URL=small_account.base_url,
        TAP_FRESHDESK__SELECT='["*.*"]',
        BIGQUERY_EMULATOR_HOST=endpoint,
        GOOGLE_APPLICATION_CREDENTIALS=str(credentials),
    )
    without_consistency_waits(project)
    return project


@pytest.fixture(scope="module")
def runs(small_account: Simulator, bigquery: tuple[str, Path], project: MeltanoProject) -> Runs:
    endpoint, _ = bigquery
    flagged: dict[str, int] = {}

    def run() -> None:
        done = project.run(*MAIN_JOB, timeout=600)
        assert done.returncode == 0, f"meltano run failed:\n{done.stderr[-6000:]}"

    def prepare() -> None:
        small_account.add_custom_field("ticket", NEW_FIELD, "custom_text")
        touched = small_account.mutate(delete_tickets=1, spam_tickets=1)
        flagged["deleted"], flagged["spam"] = (
            touched["deleted_tickets"][0],
            touched["spam_tickets"][0],
        )

    landing = land_twice(
        small_account,
        run=run,
        read=lambda wanted: read_bigquery(endpoint, wanted),
        prepare=prepare,
    )
    wanted = {
        stream: [*columns, "deleted", "spam", "archived"]
        for stream, columns in landing.wanted.items()
    }
    wanted["tickets"] += [
        f"custom_fields__{NEW_FIELD}",
        "status",
        "priority",
        "source",
        "status_label",
        "priority_label",
        "source_label",
    ]
    return Runs(landing, read_bigquery(endpoint, wanted, dataset=TABLES), flagged)


def test_first_run_lands_every_record_once_in_json(runs: Runs) -> None:
    checks.every_record_landed_once(runs.landing)
    with_records = {stream for stream, records in runs.landing.before.items() if records}
    assert with_records <= set(runs.landing.first), with_records - set(runs.landing.first)


def test_second_run_appends_the_changes_only_to_the_landing(runs: Runs) -> None:
    checks.changes_landed(runs.landing)
    checks.only_changes_appended(runs.landing)


def test_typed_tables_hold_one_row_per_record_the_newest(runs: Runs) -> None:
    landing, tables = runs.landing, runs.tables
    for stream, records in sorted(landing.after.items()):
        if not records:
            continue
        spec = landing.specs[stream]
        assert stream in tables, f"no typed table for {stream}"
        if not spec.keys:
            continue
        # A deleted or spam ticket leaves the account's conversation lists; its conversations
        # stay in the warehouse (the landing has them), found beside the flagged ticket.
        kept = [
            record
            for record in landing.before[stream]
            if record.get("ticket_id") in runs.flagged.values()
            and spec.identity(record) not in {spec.identity(r) for r in records}
        ]
        rows = landing.identities(tables, stream)
        expected = landing.expected({stream: [*records, *kept]}, stream)
        assert rows == expected, f"{stream}: {sum(rows.values())} rows, {len(records)} records"
        if spec.replication_key:
            versions = {spec.version(row) for row in tables[stream]["rows"]}
            assert versions == {spec.version(record) for record in [*records, *kept]}, stream
    checks.no_keyless_record_lost(landing, tables)
    assert len(tables["settings"]["rows"]) == len(landing.after["settings"]) == 1


def test_ticket_columns_are_typed_custom_fields_included(runs: Runs) -> None:
    columns = runs.tables["tickets"]["columns"]
    for name, kind in (*TICKET_CUSTOM, (NEW_FIELD, "custom_text")):
        assert columns.get(f"custom_fields__{name}") == COLUMN_TYPES[kind], name
    assert columns["id"] == columns["status"] == columns["requester_id"] == "INTEGER"
    assert columns["updated_at"] == columns["stats__resolved_at"] == "TIMESTAMP"
    assert columns["subject"] == columns["status_label"] == "STRING"
    assert columns["deleted"] == columns["spam"] == columns["archived"] == "BOOLEAN"
    assert columns["tags"] == columns["data"] == "JSON"
    assert columns["_sdc_batched_at"] == "TIMESTAMP"


def test_new_custom_field_is_a_typed_column_with_the_accounts_values(runs: Runs) -> None:
    truth = {
        as_text(r["id"]): as_text(r["custom_fields"].get(NEW_FIELD))
        for r in runs.landing.after["tickets"]
    }
    column = f"custom_fields__{NEW_FIELD}"
    landed = {row["id"]: row[column] for row in runs.tables["tickets"]["rows"]}
    assert [value for value in truth.values() if value is not None], "no ticket has the field"
    assert landed == truth


def test_deleted_and_spam_tickets_are_flagged(runs: Runs) -> None:
    rows = {row["id"]: row for row in runs.tables["tickets"]["rows"]}
    deleted, spam = str(runs.flagged["deleted"]), str(runs.flagged["spam"])
    assert rows[deleted]["deleted"] == "True" and rows[deleted]["spam"] == "False"
    assert rows[spam]["spam"] == "True" and rows[spam]["deleted"] == "False"
    truth = {
        as_text(r["id"]): (str(bool(r.get("deleted"))), str(bool(r.get("spam"))))
        for r in runs.landing.after["tickets"]
    }
    assert {ident: (row["deleted"], row["spam"]) for ident, row in rows.items()} == truth


def test_status_priority_and_source_carry_the_ticket_fields_labels(runs: Runs) -> None:
    fields = {f["name"]: f.get("choices") for f in runs.landing.after["ticket_fields"]}
    status = {int(value): labels[0] for value, labels in fields["status"].items()}
    priority = {value: label for label, value in fields["priority"].items()}
    source = {value: label for label, value in fields["source"].items()}
    assert fields["status"] == DEFAULT_CHOICES["default_status"]  # the labels the account has
    for row in runs.tables["tickets"]["rows"]:
        assert row["status_label"] == status.get(int(row["status"])), row["id"]
        assert row["priority_label"] == priority.get(int(row["priority"])), row["id"]
        assert row["source_label"] == source.get(int(row["source"])), row["id"]


def test_a_row_bigquery_rejects_fails_the_run_naming_the_stream(
    runs: Runs, small_account: Simulator, bigquery: tuple[str, Path], project: MeltanoProject
) -> None:
    endpoint, _ = bigquery
    live = [r for r in runs.landing.after["tickets"] if not r.get("deleted") and not r.get("spam")]
    ticket = int(live[0]["id"])
    small_account.update_ticket(ticket)
    # A stream new to the run, with no record yet, must not fail the step: a new custom object.
    small_account.add_custom_object("Loaners", records=0)
    with rejecting_proxy(endpoint, "tickets", ticket) as (proxy, rejected):
        # Two streams keep this run short: the changed ticket and the custom object.
        select = '["tickets.*", "custom_object_loaners.*"]'
        proxied = MeltanoProject(
            project.sys_dir,
            {**project.env, "BIGQUERY_EMULATOR_HOST": proxy, "TAP_FRESHDESK__SELECT": select},
        )
        done = proxied.run(*MAIN_JOB, timeout=600)
    assert rejected, "the loader sent no insert holding the ticket"
    assert done.returncode != 0
    lost = re.findall(
        r"bigquery-tables: rows lost: (\S+): (\d+) records emitted, (\d+) rows", done.stderr
    )
    assert [stream for stream, _, _ in lost] == ["tickets"], done.stderr[-3000:]
    steps = dict(re.findall(r"bigquery-tables: (\w+): (.*)", done.stderr))
    # The loader makes a table from the SCHEMA alone: the new, empty stream gets its typed table.
    assert steps["custom_object_loaners"].startswith("0 rows in"), steps
    # The step still merged what did land: every ticket, once.
    assert steps["tickets"].startswith(f"{len(runs.landing.after['tickets'])} rows in"), steps
    emitted, landed = int(lost[0][1]), int(lost[0][2])
    assert emitted - landed == sum(rejected)


@pytest.mark.skip(
    reason="bqemulator 1.4.0 cannot hold the typed-denormalized path: it refuses the loader's "
    "MERGE (docs/upstream/bqemulator-merge-update.md), cannot create automation rules' table "
    "(bqemulator-struct-reserved-field.md) and fails inserts of objects into JSON columns "
    "(bqemulator-json-object-insert.md); z3-target-bigquery 0.7.2 never adds a column "
    "(README, loader bug 1): run it once a fixed emulator and loader are released"
)
def test_typed_denormalized_path_needs_a_fixed_emulator(
    small_account: Simulator, bigquery: tuple[str, Path], project: MeltanoProject
) -> None:
    endpoint, _ = bigquery
    denormalized = MeltanoProject(
        project.sys_dir,
        {
            **project.env,
            "TARGET_BIGQUERY_DATASET": "freshdesk_denormalized",
            "TARGET_BIGQUERY_DENORMALIZED": "true",
            "TARGET_BIGQUERY_UPSERT": "true",
            "TAP_FRESHDESK_FLATTEN_CUSTOM_FIELDS": "true",
            "TAP_FRESHDESK__SELECT": '["tickets.*"]',
        },
    )
    for _ in range(2):
        done = denormalized.run("tap-freshdesk", "target-bigquery", timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        small_account.mutate(tickets=2)
    tickets = read_bigquery(endpoint, {"tickets": ["id"]}, dataset="freshdesk_denormalized")
    ids = [row["id"] for row in tickets["tickets"]["rows"]]
    assert sorted(ids) == sorted(as_text(r["id"]) for r in small_account.truth("tickets"))
    assert tickets["tickets"]["columns"]["cf_renewal"] == "DATE"


def test_production_settings_are_the_readmes() -> None:
    """The README's `meltano config set target-bigquery` lines are meltano.yml's defaults, the
    test environment changes none of them, and the README runs the job's four blocks."""
    readme = (ROOT / "README.md").read_text()
    assert f"meltano --environment=prod run {' '.join(MAIN_JOB)}" in readme
    told = dict(re.findall(r"^meltano config set target-bigquery (\w+) (\S+)", readme, re.M))
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    loader = next(p for p in project["plugins"]["loaders"] if p["name"] == "target-bigquery")
    defaults = {s["name"]: str(s.get("value")).lower() for s in loader["settings"]}
    production = {k: v for k, v in told.items() if k not in {"project", "dataset"}}
    assert production, "the README sets no loader setting"
    assert {k: defaults.get(k) for k in production} == production
    test = next(e for e in project["environments"] if e["name"] == "test")
    overrides: dict[str, Any] = next(
        p.get("config", {})
        for p in test["config"]["plugins"]["loaders"]
        if p["name"] == "target-bigquery"
    )
    assert set(overrides) <= {"project", "dataset"}, overrides
