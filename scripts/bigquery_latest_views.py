"""Print the BigQuery views that keep one row per record: `<stream>_latest` over each table.

target-bigquery's recommended settings (README, "The main job") append every run's records to
one JSON `data` column per table: nothing is merged, so a record changed twice has three rows.
Each view keeps the row of the newest load per primary key (read from `tap-freshdesk
--discover`; every stream has one, the tap computing it for `settings` and
`ticket_activities`); a catalog's stream without one keeps one row per distinct record. The
views select `*`, so a new stream needs a new view, but a new field (a custom field added in
Freshdesk) needs nothing.

    python scripts/bigquery_latest_views.py PROJECT DATASET [--streams tickets contacts …] \
        | bq query --use_legacy_sql=false

A view needs its table: run it after the first load, for the streams you load (by default, the
tap's streams selected by default).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

#: The newest load first: target-bigquery stamps each batch, and each record within it.
NEWEST_FIRST = "_sdc_batched_at DESC, _sdc_sequence DESC"


def catalog(tap: str) -> dict[str, tuple[list[str], bool]]:
    """Each stream's primary key and whether it is selected by default, from the tap's catalog."""
    done = subprocess.run(
        [tap, "--discover"], capture_output=True, text=True, check=True, timeout=120
    )
    streams = {}
    for entry in json.loads(done.stdout)["streams"]:
        top = next(m["metadata"] for m in entry["metadata"] if not m["breadcrumb"])
        keys = list(entry.get("key_properties") or [])
        streams[entry["tap_stream_id"]] = (keys, bool(top.get("selected-by-default", True)))
    return streams


def table_name(stream: str) -> str:
    """Name the table target-bigquery 0.7.2 writes a stream to."""
    return stream.lower().replace("-", "_").replace(".", "_")


def latest_view(project: str, dataset: str, stream: str, keys: list[str]) -> str:
    """Write the `CREATE OR REPLACE VIEW` statement of one stream."""
    table = f"`{project}.{dataset}.{table_name(stream)}`"
    view = f"`{project}.{dataset}.{table_name(stream)}_latest`"
    identity = ", ".join(f"JSON_VALUE(data, '$.{key}')" for key in keys) or "TO_JSON_STRING(data)"
    return (
        f"CREATE OR REPLACE VIEW {view} AS\n"
        f"SELECT * FROM {table}\n"
        "WHERE TRUE\n"
        f"QUALIFY ROW_NUMBER() OVER (PARTITION BY {identity} ORDER BY {NEWEST_FIRST}) = 1"
    )


def main() -> None:
    """Print the views of the streams asked for, those selected by default otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("dataset")
    parser.add_argument(
        "--streams", nargs="+", help="the streams you load (default: those selected by default)"
    )
    parser.add_argument("--tap", default=shutil.which("tap-freshdesk") or "tap-freshdesk")
    args = parser.parse_args()
    streams = catalog(args.tap)
    names = args.streams or [name for name, (_, default) in streams.items() if default]
    statements = [
        latest_view(args.project, args.dataset, name, streams[name][0]) for name in sorted(names)
    ]
    sys.stdout.write(";\n\n".join(statements) + ";\n")


if __name__ == "__main__":
    main()
