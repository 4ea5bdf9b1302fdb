"""Print the tables of one PostgreSQL schema as JSON: column types, the wanted columns of each row.

Run by the Python of `.venv-pg` (psycopg is there): `python read_postgres.py URI SCHEMA
'{"table": [columns]}'`. Only live rows: those target-postgres has not marked deleted
(`_sdc_deleted_at` set by ACTIVATE_VERSION). Values come back as text, timestamps as
`YYYY-MM-DDTHH:MM:SSZ`.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql


def read_schema(uri: str, schema: str, wanted: dict[str, list[str]]) -> dict[str, Any]:
    """{table: {"columns": {name: type}, "rows": [{column: text | None}], "deleted": n}}."""
    tables: dict[str, Any] = {}
    with psycopg.connect(uri) as connection:
        listed = connection.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY table_name, ordinal_position",
            (schema,),
        ).fetchall()
        columns: dict[str, dict[str, str]] = {}
        for table, column, data_type in listed:
            columns.setdefault(table, {})[column] = data_type
        for table, types in columns.items():
            fields = [c for c in wanted.get(table, []) if c in types] or list(types)[:1]
            name = sql.Identifier(schema, table)
            live = sql.SQL("_sdc_deleted_at IS NULL" if "_sdc_deleted_at" in types else "TRUE")
            query = sql.SQL("SELECT {} FROM {} WHERE {}").format(
                sql.SQL(", ").join(map(sql.Identifier, fields)), name, live
            )
            rows = connection.execute(query).fetchall()
            deleted = 0
            if "_sdc_deleted_at" in types:
                count = sql.SQL("SELECT count(*) FROM {} WHERE _sdc_deleted_at IS NOT NULL")
                deleted = connection.execute(count.format(name)).fetchone()[0]  # type: ignore[index]
            tables[table] = {
                "columns": types,
                "rows": [dict(zip(fields, map(_as_text, row), strict=True)) for row in rows],
                "deleted": deleted,
            }
    return tables


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


if __name__ == "__main__":
    uri, schema, wanted = sys.argv[1:4]
    json.dump(read_schema(uri, schema, json.loads(wanted)), sys.stdout)
