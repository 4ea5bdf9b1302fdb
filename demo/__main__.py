"""Start the simulator, run `meltano run tap-freshdesk target-jsonl`, count what landed.

Exits non-zero when any stream's landed ids differ from what the simulator holds, so the demo
is also a smoke test of the whole pipeline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "output" / "demo"
BIN = Path(sys.executable).parent
TICKETS = 2000


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
    """Install the plugins, run the job, compare the destination with the simulator."""
    env = {
        **os.environ,
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_FRESHDESK_BASE_URL": base_url,
    }
    meltano = str(BIN / "meltano")
    subprocess.run([meltano, "install"], cwd=ROOT, env=env, check=True)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    print("Running: meltano run tap-freshdesk target-jsonl")
    job = subprocess.run(
        [meltano, "run", "--no-state-update", "tap-freshdesk", "target-jsonl"],
        cwd=ROOT,
        env=env,
        check=False,
    )
    if job.returncode:
        print(f"meltano run failed with exit code {job.returncode}")
        return job.returncode
    return report(base_url.removesuffix("/api/v2"))


def report(sim_root: str) -> int:
    """Print landed versus expected distinct ids per stream; 1 if any differ."""
    print(f"\n{'stream':<22}{'landed':>9}{'simulator':>11}  match")
    mismatches = 0
    for path in sorted(OUTPUT.glob("*.jsonl")):
        landed = {json.loads(line)["id"] for line in path.open()}
        with urllib.request.urlopen(f"{sim_root}/_sim/truth/{path.stem}") as answer:
            expected = {record["id"] for record in json.load(answer)}
        ok = landed == expected
        mismatches += not ok
        print(f"{path.stem:<22}{len(landed):>9}{len(expected):>11}  {'yes' if ok else 'NO'}")
    print(f"\nRows are in {OUTPUT.relative_to(ROOT)}/ (one JSON Lines file per stream).")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
