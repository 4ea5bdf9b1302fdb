"""The SQL of one stream's refresh: typed columns read out of the landed JSON, merged by key.

BigQuery's own merge is one `MERGE … WHEN MATCHED THEN UPDATE … WHEN NOT MATCHED THEN INSERT`;
the local emulator (bqemulator 1.4.0) cannot run it (docs/upstream/bqemulator-merge-update.md),
so the merge is the same thing in three statements any BigQuery runs: new rows into a stage
table (one per key, the newest), the stage's keys deleted from the typed table, the stage
inserted. On BigQuery they run as one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from tap_freshdesk.warehouse.columns import FLAGS, LOAD_ORDER, RAW_COLUMN, Column

#: Label columns of tickets, each read from the choices of one ticket field.
LABELS = {"status_label": "status", "priority_label": "priority", "source_label": "source"}


def quoted(name: str) -> str:
    """Quote a column name (`from`, a reserved word, is a property of automation rules)."""
    return f"`{name}`"


def json_path(path: tuple[str, ...]) -> str:
    """Return a JSONPath naming each key in double quotes, so any key name is read as written."""
    return "$" + "".join(f'."{part}"' for part in path)


def extract(column: Column, source: str = RAW_COLUMN) -> str:
    """Return the expression reading one typed column out of the landed JSON `data`."""
    path = json_path(column.path)
    if column.type == "JSON":
        value = f"JSON_QUERY({source}, '{path}')"
    elif column.type == "STRING":
        value = f"JSON_VALUE({source}, '{path}')"
    else:
        value = f"SAFE_CAST(JSON_VALUE({source}, '{path}') AS {column.type})"
    if column.path in {(flag,) for flag in FLAGS} and column.type == "BOOL":
        value = f"COALESCE({value}, FALSE)"
    return value


@dataclass(frozen=True)
class StreamTables:
    """One stream's landing table, its typed table and what its refresh needs to know."""

    raw: str
    typed: str
    stage: str
    columns: list[Column]
    keys: list[str]
    labels: dict[str, dict[int, str]]

    @property
    def names(self) -> list[str]:
        """Every column of the typed table, in order."""
        record = [c.name for c in self.columns]
        return [*record, *self.labels, RAW_COLUMN, *(name for name, _ in LOAD_ORDER)]

    def key_columns(self) -> list[str]:
        """Return the typed columns of the primary key (a keyless stream: none)."""
        by_path = {c.path: c.name for c in self.columns}
        return [by_path[(key,)] for key in self.keys if (key,) in by_path]

    def newest_first(self) -> str:
        """Return the order that picks one row per key: `updated_at`, then the load order.

        `_sdc_batched_at` is shared by a whole batch and `_sdc_sequence` (milliseconds) by
        hundreds of rows; `_sdc_received_at` (microseconds, stamped as the loader read each
        record) tells them apart, and the record's own text settles any tie left between rows
        that are then the same record.
        """
        stamp = [f"{quoted(c.name)} DESC" for c in self.columns if c.path == ("updated_at",)]
        order = [f"{name} DESC" for name, _ in LOAD_ORDER]
        return ", ".join([*stamp, *order, f"TO_JSON_STRING({RAW_COLUMN}) DESC"])

    def create(self) -> str:
        """Create the typed table, if it does not exist yet."""
        columns = [f"{quoted(c.name)} {c.type}" for c in self.columns]
        columns += [f"{quoted(label)} STRING" for label in self.labels]
        columns += [f"{RAW_COLUMN} JSON", *(f"{name} {kind}" for name, kind in LOAD_ORDER)]
        return f"CREATE TABLE IF NOT EXISTS {self.typed} (\n  " + ",\n  ".join(columns) + "\n)"

    def add_columns(self, existing: set[str]) -> str | None:
        """Add the columns of the schema the typed table lacks (a new field, a new custom field)."""
        wanted = [(c.name, c.type) for c in self.columns]
        wanted += [(label, "STRING") for label in self.labels]
        missing = [(n, t) for n, t in wanted if n.lower() not in existing]
        if not missing:
            return None
        added = ", ".join(f"ADD COLUMN IF NOT EXISTS {quoted(n)} {t}" for n, t in missing)
        return f"ALTER TABLE {self.typed} {added}"

    def stage_new_rows(self, since: str | None) -> str:
        """Stage the rows landed since the last refresh, typed, one per key (the newest)."""
        values = [f"{extract(c)} AS {quoted(c.name)}" for c in self.columns]
        values += [f"{self.label_case(label)} AS {quoted(label)}" for label in self.labels]
        values += [RAW_COLUMN, *(name for name, _ in LOAD_ORDER)]
        window = f"WHERE _sdc_batched_at >= TIMESTAMP '{since}'" if since else ""
        keys = ", ".join(quoted(k) for k in self.key_columns()) or f"TO_JSON_STRING({RAW_COLUMN})"
        return (
            f"CREATE OR REPLACE TABLE {self.stage} AS\n"
            f"SELECT * FROM (\n  SELECT {', '.join(values)}\n  FROM {self.raw} {window}\n)\n"
            f"WHERE TRUE\nQUALIFY ROW_NUMBER() OVER (PARTITION BY {keys} "
            f"ORDER BY {self.newest_first()}) = 1"
        )

    def label_case(self, label: str) -> str:
        """`CASE status WHEN 2 THEN 'Open' … END`, from the ticket field's choices."""
        field = LABELS[label]
        choices = self.labels[label]
        if not choices:
            return "CAST(NULL AS STRING)"
        whens = " ".join(
            f"WHEN {value} THEN '{_sql_text(text)}'" for value, text in sorted(choices.items())
        )
        value = extract(Column(field, (field,), "INT64"))
        return f"CASE {value} {whens} END"

    def match(self, typed: str, stage: str) -> str:
        """Return the condition that a typed row and a stage row are the same record."""
        keys = self.key_columns()
        if not keys:
            return f"TO_JSON_STRING({typed}.{RAW_COLUMN}) = TO_JSON_STRING({stage}.{RAW_COLUMN})"
        return " AND ".join(f"{typed}.{quoted(k)} = {stage}.{quoted(k)}" for k in keys)

    def drop_stale(self) -> str | None:
        """Keep the typed row where it is newer than what landed (an old version sent again)."""
        stamp = [c.name for c in self.columns if c.path == ("updated_at",)]
        if not stamp:
            return None
        newer = f"t.{quoted(stamp[0])} > s.{quoted(stamp[0])}"
        return (
            f"DELETE FROM {self.stage} s WHERE EXISTS "
            f"(SELECT 1 FROM {self.typed} t WHERE {self.match('t', 's')} AND {newer})"
        )

    def merge(self) -> list[str]:
        """Replace the typed rows of the staged keys with the staged rows."""
        names = ", ".join(quoted(n) for n in self.names)
        return [
            f"DELETE FROM {self.typed} t WHERE EXISTS "
            f"(SELECT 1 FROM {self.stage} s WHERE {self.match('t', 's')})",
            f"INSERT INTO {self.typed} ({names}) SELECT {names} FROM {self.stage}",
            f"DROP TABLE IF EXISTS {self.stage}",
        ]

    def relabel(self) -> str:
        """Set every ticket's labels again, after a choice was renamed in Freshdesk."""
        sets = ", ".join(f"{quoted(label)} = {self.label_case(label)}" for label in self.labels)
        return f"UPDATE {self.typed} SET {sets} WHERE TRUE"


def _sql_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
