"""Run the SQL statements read from stdin, one after the other, in a BigQuery emulator.

Run by the Python of the emulator's environment: `python query_bigquery.py ENDPOINT < script.sql`.
Statements end with `;` at the end of a line.
"""

from __future__ import annotations

import sys

from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

if __name__ == "__main__":
    client = bigquery.Client(
        project="test-project",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=sys.argv[1]),
    )
    for statement in sys.stdin.read().split(";\n"):
        if statement.strip():
            client.query(statement).result()
