"""`python -m tests.simulator --port 8080`: the simulator as a process of its own.

Prints one line with the API base URL, then serves until SIGINT or SIGTERM. Loopback only: the
simulator accepts one fixed API key and must never be reachable from another machine.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading

from tests.simulator import Simulator, SimulatorConfig


def is_loopback(host: str) -> bool:
    """Tell whether `host` is loopback: localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line: host, port, seed, account size, TLS files."""
    parser = argparse.ArgumentParser(prog="python -m tests.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=120)
    parser.add_argument("--companies", type=int, default=30)
    parser.add_argument("--api-key", default="sim-api-key")
    parser.add_argument("--rate-limit", type=int, help="credits per window (default: unlimited)")
    parser.add_argument("--rate-window", type=float, default=60.0, help="seconds")
    parser.add_argument("--latency-ms", default="0,0", help="LO,HI milliseconds per request")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="0..1")
    parser.add_argument("--tls-cert", help="PEM certificate (chain): serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert (if not in that file)")
    parser.add_argument(
        "--public-host",
        help="host name in absolute URLs, e.g. acme.freshdesk.com resolved to loopback",
    )
    args = parser.parse_args(argv)
    if args.tls_key and not args.tls_cert:
        parser.error("--tls-key needs --tls-cert")
    if not is_loopback(args.host):
        parser.error(f"refusing to serve on {args.host}: the simulator serves loopback only")
    try:
        low, high = (float(v) for v in args.latency_ms.split(","))
    except ValueError:
        parser.error("--latency-ms takes LO,HI")
    args.latency = (low, high)
    return args


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM or Ctrl-C; return the exit code."""
    args = parse_args(argv)
    simulator = Simulator(
        SimulatorConfig(
            seed=args.seed,
            tickets=args.tickets,
            contacts=args.contacts,
            companies=args.companies,
            api_key=args.api_key,
            rate_limit=args.rate_limit,
            rate_window_seconds=args.rate_window,
            latency_ms=args.latency,
            fault_rate=args.fault_rate,
            tls_certfile=args.tls_cert,
            tls_keyfile=args.tls_key,
            public_host=args.public_host,
        )
    )
    # Handlers first: a caller may stop the simulator as soon as it has read the URL.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    url = simulator.start(args.host, args.port)
    print(f"Freshdesk simulator listening on {url}", flush=True)
    stop.wait()
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
