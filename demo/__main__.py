"""Start the simulator, run `meltano run tap-freshdesk target-duckdb`, count what landed.

The counts are read back from the DuckDB file (with the loader's own DuckDB) and set against the
simulator's truth, stream by stream. Exits non-zero when any stream differs, so the demo is also
a smoke test of the whole pipeline.

The run is a full refresh in the `demo` environment, so it is a Meltano job with its own state
(`demo:tap-freshdesk-to-target-duckdb`) and starts from scratch each time, like the fresh DuckDB
file. Meltano's whole log goes to `output/demo/meltano.log`; the console shows it without the
loader's INFO lines (a CREATE TABLE statement per stream, a line per load) and without the
SDK's start-up notices, so the tap's own lines and the result stay readable.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

from devtools.destinations import MELTANO, ROOT, read_duckdb
from devtools.streams import stream_specs

DATABASE = ROOT / "output" / "demo" / "freshdesk.duckdb"
LOG = ROOT / "output" / "demo" / "meltano.log"
TICKETS = 300
JOB = ("run", "--full-refresh", "tap-freshdesk", "target-duckdb")
#: Log lines kept out of the console (they stay in LOG): the loader's INFO lines, and the
#: notices the SDK logs for every stream as the tap starts.
NOISE = re.compile(
    r"\[info +\] target-duckdb |\[info +\] tap-freshdesk (Added '|Skipping parse of env"
    r"|Beginning (full_table |incremental )?sync of|Starting (incremental|full_table) sync of)"
)


def main() -> int:
    """Run the demo; return the process exit code."""
    simulator = subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--tickets", str(TICKETS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert simulator.stdout is not None
        base_url = simulator.stdout.readline().split()[-1]
        print(f"Simulator: {base_url} ({TICKETS} tickets)")
        return run_pipeline(base_url)
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)


def run_pipeline(base_url: str) -> int:
    """Run the job into a fresh DuckDB file, then compare it with the simulator."""
    env = {
        **os.environ,
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_FRESHDESK_BASE_URL": base_url,
        "TARGET_DUCKDB_PATH": str(DATABASE),
    }
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    print(f"Running: meltano {' '.join(JOB)} (environment demo; full log: {LOG.relative_to(ROOT)})")
    with LOG.open("w") as log:
        job = subprocess.Popen(
            [str(MELTANO), *JOB],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert job.stdout is not None
        for line in job.stdout:
            log.write(line)
            if not NOISE.search(line):
                print(line, end="", flush=True)
    if job.wait():
        print(f"meltano run failed with exit code {job.returncode}; see {LOG.relative_to(ROOT)}")
        return job.returncode
    return report(base_url.removesuffix("/api/v2"))


def report(sim_root: str) -> int:
    """Print rows read back from DuckDB next to the simulator's records; 1 if any differ."""
    specs = stream_specs()
    landed = read_duckdb(DATABASE, {stream: list(spec.keys) for stream, spec in specs.items()})
    print(f"\n{'stream':<26}{'in DuckDB':>10}{'simulator':>11}  match")
    mismatches = 0
    for stream in sorted(landed):
        keys = specs[stream].keys if stream in specs else ()
        rows = landed[stream]["rows"]
        try:
            with urllib.request.urlopen(f"{sim_root}/_sim/truth/{stream}") as answer:
                truth = json.load(answer)
        except OSError:
            print(f"{stream:<26}{len(rows):>10}{'-':>11}  (not modelled)")
            continue
        # The tap adds key parts Freshdesk's records lack (a translation's `language`): those
        # are compared as a count of records per remaining key, which the sorted lists hold.
        served = tuple(key for key in keys if all(key in record for record in truth))
        same_records = sorted(_key(row, served) for row in rows) == sorted(
            _key(record, served) for record in truth
        )
        mismatches += not same_records
        print(f"{stream:<26}{len(rows):>10}{len(truth):>11}  {'yes' if same_records else 'NO'}")
    print(
        f"\nTables are in {DATABASE.relative_to(ROOT)} (schema `freshdesk`, one table per stream)."
    )
    return 1 if mismatches else 0


def _key(row: dict[str, object], keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row.get(key)) for key in keys)


if __name__ == "__main__":
    sys.exit(main())
