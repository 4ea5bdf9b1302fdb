"""Print the tables of one BigQuery dataset as JSON: column types, the wanted columns of each row.

Run by the Python of the emulator's environment (google-cloud-bigquery is there):
`python read_bigquery.py ENDPOINT PROJECT DATASET '{"table": [columns]}' [SUFFIX]`. Without a
suffix, the tables; with one, the views named `<table><SUFFIX>`, listed under the table's
name. A table loaded with `denormalized: false` holds each record in one JSON `data` column: its
wanted columns are read from there (a dotted name reads a nested key). Anonymous
credentials: the local emulator checks none. Values come back as text, timestamps as
`YYYY-MM-DDTHH:MM:SSZ`.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery


def read_dataset(
    endpoint: str, project: str, dataset: str, wanted: dict[str, list[str]], suffix: str = ""
) -> dict[str, Any]:
    """{table: {"columns": {name: type}, "rows": [{column: text | None}]}}."""
    client = bigquery.Client(
        project=project,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=endpoint),
    )
    tables: dict[str, Any] = {}
    for listed in client.list_tables(f"{project}.{dataset}"):
        if suffix and not listed.table_id.endswith(suffix):
            continue
        if not suffix and listed.table_type != "TABLE":
            continue
        name = listed.table_id.removesuffix(suffix) if suffix else listed.table_id
        columns = wanted.get(name, [])
        query = f"SELECT * FROM `{project}.{dataset}.{listed.table_id}`"
        result = client.query(query).result()
        # The types of the query's result: the emulator's table API calls a JSON column STRING
        # (docs/upstream/bqemulator-json-column-type.md), its query results do not.
        types = {field.name: field.field_type for field in result.schema}
        rows = []
        for row in result:
            record = dict(row)
            if "data" in record and "data" not in columns and "id" not in record:
                # A fixed-schema table or a view over one (the emulator types a view's
                # JSON column as STRING): the record is the `data` column.
                data = record["data"]
                record = json.loads(data) if isinstance(data, str) else (data or {})
            rows.append({column: _as_text(_dig(record, column)) for column in columns})
        tables[name] = {"columns": types, "rows": rows}
    return tables


def _dig(record: dict[str, Any], column: str) -> Any:
    value: Any = record
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


if __name__ == "__main__":
    endpoint, project, dataset, wanted = sys.argv[1:5]
    suffix = sys.argv[5] if len(sys.argv) > 5 else ""
    json.dump(read_dataset(endpoint, project, dataset, json.loads(wanted), suffix), sys.stdout)
