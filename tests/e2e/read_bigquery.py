"""Print the tables of one BigQuery dataset as JSON: column types, the wanted columns of each row.

Run by the Python of the emulator's environment (google-cloud-bigquery is there):
`python read_bigquery.py ENDPOINT PROJECT DATASET '{"table": [columns]}'`. Anonymous credentials:
the local emulator checks none. Values come back as text, timestamps as `YYYY-MM-DDTHH:MM:SSZ`.
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
    endpoint: str, project: str, dataset: str, wanted: dict[str, list[str]]
) -> dict[str, Any]:
    """{table: {"columns": {name: type}, "rows": [{column: text | None}]}}."""
    client = bigquery.Client(
        project=project,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=endpoint),
    )
    tables: dict[str, Any] = {}
    for listed in client.list_tables(f"{project}.{dataset}"):
        table = client.get_table(listed.reference)
        types = {field.name: field.field_type for field in table.schema}
        fields = [f for f in table.schema if f.name in wanted.get(table.table_id, [])]
        fields = fields or table.schema[:1]
        rows = [
            {field.name: _as_text(row.get(field.name)) for field in fields}
            for row in client.list_rows(table, selected_fields=fields)
        ]
        tables[table.table_id] = {"columns": types, "rows": rows}
    return tables


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


if __name__ == "__main__":
    endpoint, project, dataset, wanted = sys.argv[1:5]
    json.dump(read_dataset(endpoint, project, dataset, json.loads(wanted)), sys.stdout)
