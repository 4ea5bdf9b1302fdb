"""(h) What a user pays: our tap over HTTPS with 100 ms latency, as a real account is reached.

Measured: requests, credits, CPU and peak memory per 1,000 records of a default-settings sync of
tickets and their conversations. Projected from those: the wall time of 10,000- and
100,000-ticket accounts at 200 and 700 requests a minute (Freshdesk's rate limit sets it; the
larger of the rate's time and the latency's time, requests x latency / concurrency) and the
share of that time the tap spends on CPU.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from benchmarks.scenarios import (
    TICKETS_AND_CONVERSATIONS,
    Column,
    Context,
    Section,
    base_row,
    note_failure,
    run_once,
)
from tests.simulator import Simulator, SimulatorConfig
from tests.simulator.tls import throwaway_tls

LATENCY_S = 0.1
RATES_PER_MINUTE = (200, 700)
PROJECTED_TICKETS = (10_000, 100_000)
DEFAULT_CONCURRENCY = 4


def user_cost(ctx: Context) -> Section:
    size = ctx.size(500, 2_000)
    section = Section(
        "user_cost",
        f"(h) What a user pays: {size:,} tickets with conversations over HTTPS, "
        f"{LATENCY_S * 1000:.0f} ms latency, default settings (our tap only)",
        "Per 1,000 records, measured; wall time at a rate limit projected from requests per "
        "ticket: max(requests / rate, requests x latency / max_concurrency).",
        [
            Column("records", "total_records", "{:,}"),
            Column("requests / 1k records", "requests_per_1k", "{:.0f}"),
            Column("credits / 1k records", "credits_per_1k", "{:.0f}"),
            Column("CPU s / 1k records", "cpu_per_1k", "{:.3f}"),
            Column("wall s (measured, no rate limit)", "wall_s", "{:.1f}"),
            Column("peak RSS MB", "peak_rss_mb", "{:.0f}"),
            *(
                Column(f"{tickets // 1000}k tickets at {rate}/min", f"wall_{tickets}_{rate}")
                for tickets in PROJECTED_TICKETS
                for rate in RATES_PER_MINUTE
            ),
            Column("CPU share at 700/min", "cpu_share", "{:.1%}"),
            Column("status", "status"),
        ],
    )
    tls = ctx.workdir / "tls"
    with _https_simulator(tls, size) as (sim, ca), _environ(REQUESTS_CA_BUNDLE=str(ca)):
        m = run_once(ctx, ctx.ours, sim, size, TICKETS_AND_CONVERSATIONS, label="user-cost")
    row = base_row(m, None)
    records = max(m.result.total_records, 1)
    per_ticket = m.requests / size
    row.update(
        requests_per_1k=m.requests / records * 1000,
        credits_per_1k=m.credits / records * 1000,
        cpu_per_1k=m.result.cpu_s / records * 1000,
    )
    for tickets in PROJECTED_TICKETS:
        for rate in RATES_PER_MINUTE:
            requests = per_ticket * tickets
            seconds = max(requests / rate * 60, requests * LATENCY_S / DEFAULT_CONCURRENCY)
            row[f"wall_{tickets}_{rate}"] = _duration(seconds)
    seconds_at_700 = m.requests / RATES_PER_MINUTE[-1] * 60
    row["cpu_share"] = m.result.cpu_s / seconds_at_700 if seconds_at_700 else 0.0
    section.rows.append(row)
    note_failure(section, m)
    section.notes.append(
        f"{per_ticket:.2f} requests per ticket here (ticket pages, one conversations request "
        "per live ticket, the flagged passes); multiply by an account's tickets and divide by "
        "its rate limit for a first sync's time. Peak memory does not grow with the account: "
        "see (e)."
    )
    return section


@contextlib.contextmanager
def _https_simulator(folder: Path, tickets: int) -> Iterator[tuple[Simulator, Path]]:
    """A simulator serving TLS with a throwaway authority's certificate for 127.0.0.1."""
    tls = throwaway_tls(folder)
    config = SimulatorConfig(
        seed=7,
        tickets=tickets,
        latency_ms=(LATENCY_S * 1000, LATENCY_S * 1000),
        tls_certfile=str(tls.cert),
        tls_keyfile=str(tls.key),
    )
    with Simulator(config) as sim:
        yield sim, tls.ca


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    """Set variables for the extractor child (it inherits the benchmark's environment)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"
