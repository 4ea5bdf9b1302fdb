"""The simulator side of a benchmark: one fresh account per run, TLS when a peer needs it, and
the request log turned into requests, credits and 429s per endpoint.

Every run gets its own simulator built from the same seed and sizes, so every tool reads the
same records and the counts need no subtracting. Records are pure functions of (seed, n), so
building an account is cheap even at a million tickets.
"""

from __future__ import annotations

import math
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tests.simulator import Simulator, SimulatorConfig
from tests.simulator.api import API_PREFIX, CONVERSATIONS
from tests.simulator.simulator import RequestRecord

#: The host a peer that insists on `*.freshdesk.com` and https is pointed at (see peers.py).
PUBLIC_HOST = "acme.freshdesk.com"
CONVERSATIONS_ENDPOINT = "/tickets/{id}/conversations"
PER_PAGE = 100


@dataclass(frozen=True)
class TlsFiles:
    """A self-signed certificate for PUBLIC_HOST and its key."""

    certfile: Path
    keyfile: Path


def simulator_supports_tls() -> bool:
    """True once the simulator has the `tls_certfile`/`public_host` knobs."""
    names = {f.name for f in fields(SimulatorConfig)}
    return {"tls_certfile", "tls_keyfile", "public_host"} <= names


def self_signed_cert(directory: Path) -> TlsFiles:
    """Create (once) a certificate for PUBLIC_HOST with `openssl`, valid for a year."""
    files = TlsFiles(directory / "cert.pem", directory / "key.pem")
    if files.certfile.exists() and files.keyfile.exists():
        return files
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
            "-keyout", str(files.keyfile), "-out", str(files.certfile),
            "-subj", f"/CN={PUBLIC_HOST}", "-addext", f"subjectAltName=DNS:{PUBLIC_HOST}",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return files


def start_simulator(settings: dict[str, Any], tls: TlsFiles | None = None) -> Simulator:
    """Build and start an account; with `tls`, serve https naming PUBLIC_HOST in its URLs."""
    config = SimulatorConfig(**settings)
    if tls is not None:
        config.tls_certfile = str(tls.certfile)
        config.tls_keyfile = str(tls.keyfile)
        config.public_host = PUBLIC_HOST
    sim = Simulator(config)
    sim.start()
    return sim


def port_of(sim: Simulator) -> int:
    return int(sim.base_url.split(":")[2].split("/")[0])


@dataclass
class EndpointUsage:
    """What one endpoint cost a run: requests sent, credits spent, 429s received."""

    requests: int = 0
    credits: int = 0
    rate_limited: int = 0
    #: Distinct list passes (`filter=deleted`, `state=blocked`…), "" for the default listing.
    passes: set[str] = field(default_factory=set)


def request_credits(query: dict[str, str], status: int) -> int:
    """Credits as the simulator charges: none for a 429 or 401, 1 plus 2 per `include`."""
    if status in (401, 429) or status == 0:
        return 0
    includes = [name for name in query.get("include", "").split(",") if name]
    return 1 + 2 * len(includes)


def usage_by_endpoint(log: Iterable[RequestRecord]) -> dict[str, EndpointUsage]:
    """Fold part of the simulator's request log into per-endpoint usage (`{id}` for ids)."""
    usage: dict[str, EndpointUsage] = defaultdict(EndpointUsage)
    for entry in log:
        route = CONVERSATIONS.sub(CONVERSATIONS_ENDPOINT, entry.path.removeprefix(API_PREFIX))
        item = usage[route]
        item.requests += 1
        item.credits += request_credits(entry.query, entry.status)
        item.rate_limited += entry.status == 429
        item.passes.add(entry.query.get("filter") or entry.query.get("state") or "")
    return dict(usage)


def pages(count: int) -> int:
    """Requests a list of `count` records needs at 100 per page (an empty list still costs one)."""
    return max(1, math.ceil(count / PER_PAGE))


def ticket_passes(tickets: list[dict[str, Any]]) -> Counter[str]:
    """Tickets per list pass: "" live, "deleted", "spam"."""
    return Counter(
        "deleted" if t.get("deleted") else "spam" if t.get("spam") else "" for t in tickets
    )


def minimum_requests(
    sim: Simulator, passes: set[str], *, updated_since: str | None = None
) -> dict[str, int]:
    """The fewest requests that extract tickets and conversations completely.

    One list request per 100 tickets in each pass the tool made, and one conversations request
    per live ticket (more past 100 conversations). With `updated_since`, only tickets changed at
    or after it count: what an incremental run must fetch.
    """
    tickets = sim.truth("tickets")
    if updated_since is not None:
        tickets = [t for t in tickets if t["updated_at"] >= updated_since]
    per_pass = ticket_passes(tickets)
    live = {t["id"] for t in tickets if not (t.get("deleted") or t.get("spam"))}
    threads = Counter(c["ticket_id"] for c in sim.truth("conversations") if c["ticket_id"] in live)
    return {
        "/tickets": sum(pages(per_pass.get(name, 0)) for name in passes or {""}),
        CONVERSATIONS_ENDPOINT: len(live) + sum(pages(n) - 1 for n in threads.values()),
    }
