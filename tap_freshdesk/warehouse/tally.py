"""A Meltano mapper that passes the tap's messages through unchanged and counts them.

It sits between the tap and the loader (`meltano run tap-freshdesk freshdesk-tally
target-bigquery bigquery-tables`) and, when the tap's output ends, writes one small JSON file:
when the run started, each stream's last SCHEMA message (the catalog as the tap emitted it, custom
fields typed from the account's definitions) and how many RECORD messages it carried. The
`bigquery-tables` step after the loader reads it: the counts are what must have landed, the
schemas are what the typed tables are built from.

Counting on the way, not trusting the loader: z3-target-bigquery 0.7.2 logs "Inserted N records"
for rows BigQuery rejected (README, "No row lost"). The tap's own end summary would do too, but
it goes to the log, which `meltano run` does not hand to the next step.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

#: Where the tally goes unless the mapping's config says `tally_path`: Meltano's system
#: directory of the project (`.meltano/`), which Meltano hands every plugin.
DEFAULT_NAME = "run/bigquery-tables/tally.json"


def tally_path(config: dict[str, Any]) -> Path:
    """Return the tally file: `tally_path` of the config, else under Meltano's system directory."""
    if config.get("tally_path"):
        return Path(config["tally_path"])
    root = os.environ.get("MELTANO_SYS_DIR_ROOT") or os.path.join(
        os.environ.get("MELTANO_PROJECT_ROOT", "."), ".meltano"
    )
    return Path(root) / DEFAULT_NAME


def read_config(path: str | None) -> dict[str, Any]:
    """Read the mapping's config file (Meltano passes `--config`), or nothing."""
    if not path:
        return {}
    loaded = json.loads(Path(path).read_text())
    return loaded if isinstance(loaded, dict) else {}


def pass_through(source: TextIO, sink: TextIO) -> dict[str, Any]:
    """Copy every line of `source` to `sink`; return the schemas and record counts seen.

    `started_at` is the machine's local time without a zone, as the loader stamps
    `_sdc_batched_at` (the Singer SDK's `datetime.now()`): every row of this run is stamped at or
    after it, every row of an earlier run before it.
    """
    started_at = datetime.now().isoformat()
    records: Counter[str] = Counter()
    schemas: dict[str, dict[str, Any]] = {}
    for line in source:
        sink.write(line)
        if not line.strip():
            continue
        message = json.loads(line)
        if message.get("type") == "RECORD":
            records[message["stream"]] += 1
        elif message.get("type") == "SCHEMA":
            schemas[message["stream"]] = {
                "schema": message["schema"],
                "key_properties": message.get("key_properties") or [],
            }
    sink.flush()
    return {"started_at": started_at, "records": dict(records), "schemas": schemas}


def main(argv: list[str] | None = None) -> None:
    """Run as the mapper: stdin to stdout, then the tally file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config")
    args, _ = parser.parse_known_args(argv)
    path = tally_path(read_config(args.config))
    tally = pass_through(sys.stdin, sys.stdout)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(tally))
    partial.replace(path)


if __name__ == "__main__":
    main()
