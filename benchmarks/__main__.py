"""`python -m benchmarks [--quick] [--scenario NAME ...]`: figures for our tap and its peers.

Installs the peers on first use (see peers.py), runs the chosen scenarios against the in-process
simulator and writes benchmarks/results/latest.md and latest.json. No pass/fail: the exit code
is non-zero only when the harness itself breaks.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.every_stream import every_stream
from benchmarks.peers import TOOLS, OurTap, Tool
from benchmarks.probe import probe
from benchmarks.report import machine, now, write
from benchmarks.scenarios import SCENARIOS as LOCAL_SCENARIOS
from benchmarks.scenarios import Context
from benchmarks.user_cost import user_cost

HERE = Path(__file__).resolve().parent
SCENARIOS = {
    **LOCAL_SCENARIOS,
    "probe": probe,
    "user_cost": user_cost,
    "every_stream": every_stream,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, about 5 minutes")
    parser.add_argument(
        "--scenario", action="append", choices=sorted(SCENARIOS), help="repeatable; default: all"
    )
    parser.add_argument(
        "--tool", action="append", choices=[t.key for t in TOOLS], help="repeatable; default: all"
    )
    parser.add_argument(
        "--million", action="store_true", help="also run `scale` at 1,000,000 tickets (10+ min)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    runs = HERE / ".runs"
    runs.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=runs))
    tools: list[Tool] = []
    unavailable: dict[str, str] = {}
    for tool_type in TOOLS:
        if args.tool and tool_type.key not in args.tool and tool_type is not OurTap:
            continue
        tool = tool_type(workdir)
        reason = tool.setup()
        if reason:
            unavailable[tool.label] = reason
            print(f"{tool.label}: not run: {reason}", file=sys.stderr)
        else:
            tools.append(tool)
    ours = next((t for t in tools if isinstance(t, OurTap)), None)
    if ours is None:
        print(unavailable.get(OurTap.label, "our tap is unavailable"), file=sys.stderr)
        return 2
    ctx = Context(
        args.quick,
        workdir,
        tools,
        ours,
        timeout_s=600 if args.quick else 1800,
        million=args.million,
    )
    sections = []
    for name in args.scenario or list(SCENARIOS):
        print(f"scenario {name}", flush=True)
        sections.append(SCENARIOS[name](ctx))
    meta = {
        "finished": now(),
        "command": "python -m benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "duration_s": time.perf_counter() - started,
        "quick": args.quick,
        "machine": machine(),
        "unavailable": unavailable,
        "logs": str(workdir),
    }
    path = write(sections, meta, args.out)
    print(f"\nwrote {path} (logs in {workdir})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
