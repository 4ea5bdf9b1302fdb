"""The `bigquery-tables` step after the loader: no row lost, then one typed table per stream.

Run by `meltano run tap-freshdesk freshdesk-tally target-bigquery bigquery-tables` with the
tally `freshdesk-tally` wrote (`tally.py`). First it counts, per stream, the rows this run
landed in the JSON landing table (`_sdc_batched_at` at or after the run's start) against the
records the tap emitted: z3-target-bigquery 0.7.2 drops the rows BigQuery rejects and exits 0,
so a shortfall ends the step (and the run) with one line per stream. Then, whatever the count,
it merges each stream's rows landed since its last refresh into `<tables_dataset>.<stream>`:
typed columns from the stream's schema (`columns.py`), one row per primary key, the newest
(`statements.py`). A stream selected but with no landing table yet is skipped.

Settings (Meltano passes them as variables): `BIGQUERY_TABLES_PROJECT`,
`BIGQUERY_TABLES_DATASET` (the loader's dataset), `BIGQUERY_TABLES_TABLES_DATASET`,
`BIGQUERY_TABLES_LOCATION`, `BIGQUERY_TABLES_TALLY_PATH`. BigQuery is reached as the loader
reaches it: Application Default Credentials, `BIGQUERY_EMULATOR_HOST` for a local emulator.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from google.api_core.exceptions import GoogleAPIError, NotFound
from google.cloud import bigquery

from tap_freshdesk.warehouse.columns import columns
from tap_freshdesk.warehouse.statements import LABELS, StreamTables
from tap_freshdesk.warehouse.tally import tally_path

#: The lookup of ticket field choices beside the typed tables: (field, value, label).
CHOICES_TABLE = "ticket_field_choices"


class RefreshError(Exception):
    """A problem a user can fix, told in one line."""


def table_name(stream: str) -> str:
    """Return the table target-bigquery 0.7.2 writes a stream to."""
    return stream.lower().replace("-", "_").replace(".", "_")


class Refresh:
    """One refresh of the typed layer from one run's tally."""

    def __init__(self, client: bigquery.Client, env: dict[str, str], tally: dict[str, Any]) -> None:
        """Read the settings; `tally` is what `freshdesk-tally` wrote for this run."""
        self.client = client
        project = env.get("BIGQUERY_TABLES_PROJECT") or client.project
        self.raw_dataset = f"{project}.{env.get('BIGQUERY_TABLES_DATASET') or 'freshdesk'}"
        tables = env.get("BIGQUERY_TABLES_TABLES_DATASET") or "freshdesk_tables"
        self.tables_dataset = f"{project}.{tables}"
        self.location = env.get("BIGQUERY_TABLES_LOCATION") or "US"
        self.tally = tally
        self.landed = {t.table_id for t in client.list_tables(self.raw_dataset)}

    def run(self, query: Any) -> list[dict[str, Any]]:
        """Run one statement; return its rows."""
        return [dict(row) for row in self.client.query(query).result()]

    def shortfalls(self) -> list[str]:
        """One line per stream with fewer rows landed this run than records emitted."""
        since = _timestamp(self.tally["started_at"])
        lines = []
        for stream, emitted in sorted(self.tally["records"].items()):
            table = table_name(stream)
            landed = 0
            if table in self.landed:
                count = f"SELECT COUNT(*) AS n FROM `{self.raw_dataset}.{table}` "
                landed = self.run(count + f"WHERE _sdc_batched_at >= TIMESTAMP '{since}'")[0]["n"]
            if landed < emitted:
                lines.append(
                    f"{stream}: {emitted} records emitted, {landed} rows landed in "
                    f"{self.raw_dataset}.{table}: {emitted - landed} lost by the loader"
                )
        return lines

    def tables(self, stream: str, labels: dict[str, dict[int, str]]) -> StreamTables:
        """Return the statements' view of one stream."""
        entry = self.tally["schemas"][stream]
        table = table_name(stream)
        return StreamTables(
            raw=f"`{self.raw_dataset}.{table}`",
            typed=f"`{self.tables_dataset}.{table}`",
            stage=f"`{self.tables_dataset}._stage_{table}`",
            columns=columns(entry["schema"]),
            keys=list(entry["key_properties"]),
            labels=labels if stream == "tickets" else {},
        )

    def refresh(self, tables: StreamTables) -> int:
        """Merge what landed since the last refresh into one stream's typed table."""
        self.run(tables.create())
        typed = tables.typed.strip("`")
        existing = {field.name.lower() for field in self.client.get_table(typed).schema}
        if alter := tables.add_columns(existing):
            self.run(alter)
        since = self.run(f"SELECT MAX(_sdc_batched_at) AS since FROM {tables.typed}")[0]["since"]
        self.run(tables.stage_new_rows(_timestamp(since.isoformat()) if since else None))
        if stale := tables.drop_stale():
            self.run(stale)
        for statement in tables.merge():
            self.run(statement)
        return int(self.run(f"SELECT COUNT(*) AS n FROM {tables.typed}")[0]["n"])

    def choices(self) -> dict[str, dict[int, str]]:
        """Return the labels of status, priority and source, from the typed `ticket_fields`."""
        fields = ", ".join(f"'{field}'" for field in LABELS.values())
        found: dict[str, dict[int, str]] = {label: {} for label in LABELS}
        try:
            rows = self.run(
                "SELECT JSON_VALUE(data, '$.name') AS name, JSON_QUERY(data, '$.choices') AS "
                f"choices FROM `{self.tables_dataset}.ticket_fields` "
                f"WHERE JSON_VALUE(data, '$.name') IN ({fields})"
            )
        except NotFound:
            return found
        by_field = {field: label for label, field in LABELS.items()}
        for row in rows:
            found[by_field[row["name"]]] = choice_labels(row["choices"])
        return found

    def store_choices(self, labels: dict[str, dict[int, str]]) -> bool:
        """Keep the lookup table current; True when a label changed since the last refresh."""
        table = f"`{self.tables_dataset}.{CHOICES_TABLE}`"
        self.run(f"CREATE TABLE IF NOT EXISTS {table} (field STRING, value INT64, label STRING)")
        stored = {(r["field"], r["value"], r["label"]) for r in self.run(f"SELECT * FROM {table}")}
        wanted = {
            (LABELS[label], value, text)
            for label, choices in labels.items()
            for value, text in choices.items()
        }
        if stored == wanted:
            return False
        self.run(f"DELETE FROM {table} WHERE TRUE")
        if wanted:
            rows = ", ".join(f"('{f}', {v}, {json.dumps(t)})" for f, v, t in sorted(wanted))
            self.run(f"INSERT INTO {table} (field, value, label) VALUES {rows}")
        return bool(stored)

    def everything(self) -> None:
        """Refresh every stream of the tally that has a landing table; say what was done."""
        dataset = bigquery.Dataset(self.tables_dataset)
        dataset.location = self.location
        self.client.create_dataset(dataset, exists_ok=True)
        streams = sorted(self.tally["schemas"], key=lambda s: (s != "ticket_fields", s))
        labels = self.choices()
        relabel = False
        for stream in streams:
            if table_name(stream) not in self.landed:
                _say(f"{stream}: nothing landed yet, no table")
                continue
            tables = self.tables(stream, labels)
            try:
                rows = self.refresh(tables)
            except GoogleAPIError as error:
                raise RefreshError(f"{stream}: {_first_line(error)}") from None
            _say(f"{stream}: {rows} rows in {tables.typed.strip('`')}")
            if stream == "ticket_fields":
                labels = self.choices()
                relabel = self.store_choices(labels)
        if relabel and "tickets" in self.tally["schemas"] and "tickets" in self.landed:
            self.run(self.tables("tickets", labels).relabel())


def choice_labels(choices: Any) -> dict[int, str]:
    """Return a ticket field's choices as {value: label}, from either shape Freshdesk gives them.

    Status: `{"2": ["Open", "Being Processed"], …}` (value → agent label, customer label);
    priority and source: `{"Low": 1, …}` (label → value) (API reference, "View ticket fields";
    tests/simulator/fields.py).
    """
    if isinstance(choices, str):
        choices = json.loads(choices)
    found: dict[int, str] = {}
    if not isinstance(choices, dict):
        return found
    for key, value in choices.items():
        if isinstance(value, list) and value and str(key).isdigit():
            found[int(key)] = str(value[0])
        elif isinstance(value, int) and not isinstance(value, bool):
            found[value] = str(key)
    return found


def _timestamp(moment: str) -> str:
    """Return a BigQuery TIMESTAMP literal's text from an ISO moment (UTC when it has no zone)."""
    return moment.replace("T", " ").removesuffix("+00:00")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:500]


def _say(line: str) -> None:
    print(f"bigquery-tables: {line}", file=sys.stderr, flush=True)


def main() -> None:
    """Check the run's rows, refresh the typed tables; exit 1 with one line per problem."""
    env = dict(os.environ)
    path = (
        Path(env["BIGQUERY_TABLES_TALLY_PATH"])
        if env.get("BIGQUERY_TABLES_TALLY_PATH")
        else (tally_path({}))
    )
    try:
        tally = json.loads(path.read_text())
    except FileNotFoundError:
        _say(
            f"no tally at {path}: run it as `meltano run tap-freshdesk freshdesk-tally "
            "target-bigquery bigquery-tables`"
        )
        sys.exit(1)
    try:
        client = bigquery.Client(project=env.get("BIGQUERY_TABLES_PROJECT") or None)
        refresh = Refresh(client, env, tally)
        lost = refresh.shortfalls()
        refresh.everything()
    except RefreshError as error:
        _say(str(error))
        sys.exit(1)
    except GoogleAPIError as error:
        _say(_first_line(error))
        sys.exit(1)
    for line in lost:
        _say(f"rows lost: {line}")
    if lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
