"""`python -m tests.simulator --port 8080`: the simulator as a process of its own."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tap_freshdesk.endpoint import is_loopback
from tests.simulator import Simulator, SimulatorConfig


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=120)
    parser.add_argument("--companies", type=int, default=30)
    parser.add_argument("--api-key", default="sim-api-key")
    parser.add_argument("--rate-limit", type=int, help="credits per window")
    parser.add_argument("--rate-window", type=float, default=60.0, help="seconds")
    parser.add_argument("--latency-ms", default="0,0", help="LO,HI")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    args = parser.parse_args()
    if not is_loopback(args.host):
        parser.error("the simulator serves loopback addresses only")
    lo, hi = (float(v) for v in args.latency_ms.split(","))
    simulator = Simulator(
        SimulatorConfig(
            seed=args.seed,
            tickets=args.tickets,
            contacts=args.contacts,
            companies=args.companies,
            api_key=args.api_key,
            rate_limit=args.rate_limit,
            rate_window_seconds=args.rate_window,
            latency_ms=(lo, hi),
            fault_rate=args.fault_rate,
        )
    )
    url = simulator.start(args.host, args.port)
    print(f"Freshdesk simulator listening on {url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
