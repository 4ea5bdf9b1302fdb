"""Print the tables of one DuckDB schema as JSON: column types, and the wanted columns of each row.

Run by the Python of the DuckDB loader's own environment (the DuckDB that wrote the file), so
the tap's environment needs no DuckDB: `python read_duckdb.py FILE SCHEMA '{"table": [columns]}'`.
Values come back as text, timestamps as `YYYY-MM-DDTHH:MM:SSZ` like the API's.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import duckdb


def read_schema(path: str, schema: str, wanted: dict[str, list[str]]) -> dict[str, Any]:
    """{table: {"columns": {name: type}, "rows": [{column: text | None}]}}."""
    tables: dict[str, Any] = {}
    with duckdb.connect(path, read_only=True) as connection:
        (database,) = connection.execute("SELECT current_database()").fetchone() or ("",)
        listed = connection.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = ? AND table_schema = ? ORDER BY table_name, ordinal_position",
            [database, schema],
        ).fetchall()
        for table, column, data_type in listed:
            tables.setdefault(table, {"columns": {}, "rows": []})["columns"][column] = data_type
        for table, content in tables.items():
            types = content["columns"]
            columns = [c for c in wanted.get(table, []) if c in types] or list(types)[:1]
            selected = ", ".join(_as_text(column, types[column]) for column in columns)
            rows = connection.execute(
                f'SELECT {selected} FROM "{database}"."{schema}"."{table}"'
            ).fetchall()
            content["rows"] = [dict(zip(columns, row, strict=True)) for row in rows]
    return tables


def _as_text(column: str, data_type: str) -> str:
    if data_type.startswith("TIMESTAMP"):
        return f"strftime(\"{column}\", '%Y-%m-%dT%H:%M:%SZ')"
    return f'CAST("{column}" AS VARCHAR)'


if __name__ == "__main__":
    json.dump(read_schema(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])), sys.stdout)
