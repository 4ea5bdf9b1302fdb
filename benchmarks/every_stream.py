"""(i) Every stream, full then incremental: the requests sent against the fewest that do the job.

Our tap only (the peers extract a few streams). Minimum, per endpoint:

- `/tickets` and conversations: as in (b), from the account's truth (`minimum_requests`): one
  list request per 100 tickets changed in each pass, one conversations request per changed
  live ticket.
- every other list without a parent: one request per 100 records it serves to the query the
  tap sent (its pass and its filter: `_updated_since`, `state`, `created_since`), counted in the
  account's truth. None of these has a filter the tap could narrow further (time entries
  filter only on when the work happened; configuration lists on nothing).
- lists below a parent and single objects: each question the run asked, once.

What a run sends beyond that is a question asked again or a page past the end: the tail-first
walk's probes and second looks, the ticket window's run check (tests/test_no_request_twice.py
names both), or waste.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from benchmarks.scenarios import (
    SEED,
    Column,
    Context,
    Measured,
    Section,
    base_row,
    note_failure,
    run_once,
)
from benchmarks.simulation import (
    CONVERSATIONS_ENDPOINT,
    minimum_requests,
    pages,
    start_simulator,
)
from tap_freshdesk.streams import STREAM_TYPES
from tests.simulator import Simulator
from tests.simulator.api import API_PREFIX
from tests.simulator.changes import BUSY_DAY
from tests.simulator.clock import utc_now
from tests.simulator.routes import LISTS

EVERY_STREAM = tuple(stream.name for stream in STREAM_TYPES)
_IDS = re.compile(r"/\d+")
_LANGUAGE = re.compile(r"/[a-z]{2}(?:-[a-zA-Z]{2,4})?$")


def endpoint(path: str) -> str:
    """The endpoint of a request path: ids as `{id}`, a translation's language as `{lang}`."""
    route = _IDS.sub("/{id}", path.removeprefix(API_PREFIX))
    if route.startswith("/solutions/"):
        route = _LANGUAGE.sub("/{lang}", route)
    return route


def served(sim: Simulator, route: str, query: dict[str, str]) -> int:
    """How many records the list without a parent at `route` serves to `query` (its filters)."""
    records = sim.truth(LISTS[route][0])
    if route == "/contacts":
        state, since = query.get("state", ""), query.get("_updated_since", "")
        return sum(
            1
            for r in records
            if state == ("deleted" if r.get("deleted") else "blocked" if r.get("blocked") else "")
            and r["updated_at"] >= since
        )
    if route == "/surveys/satisfaction_ratings":
        return sum(1 for r in records if r["created_at"] >= query.get("created_since", ""))
    return len(records)


def requests_against_minimum(
    sim: Simulator, log: list[Any], minimum: dict[str, int]
) -> dict[str, tuple[int, int]]:
    """Per endpoint: (requests answered, the minimum), 429s aside."""
    answered = [r for r in log if r.status != 429]
    sent = Counter(endpoint(r.path) for r in answered)
    least: Counter[str] = Counter()
    passes: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for path, query in {(r.path, tuple(sorted(r.query.items()))) for r in answered}:
        name = endpoint(path)
        if name in LISTS and name != "/tickets":
            passes.add((name, tuple(kv for kv in query if kv[0] != "page")))
        else:
            least[name] += 1
    for name, query in passes:
        least[name] += pages(served(sim, name, dict(query)))
    least["/tickets"] = minimum["/tickets"]
    least[CONVERSATIONS_ENDPOINT] = minimum[CONVERSATIONS_ENDPOINT]
    return {name: (sent[name], least[name]) for name in sorted(sent | least)}


def every_stream(ctx: Context) -> Section:
    """Run every stream full, change the account, run again incrementally; compare."""
    size = ctx.size(500, 2_000)
    section = Section(
        "every_stream",
        f"(i) Every stream: {size:,} tickets, a full run then an incremental run after "
        f"`sim.mutate({', '.join(f'{k}={v}' for k, v in BUSY_DAY.items())})` (our tap only)",
        "Minimum: `/tickets` and conversations as in (b); a list without a parent, one request "
        "per 100 records it serves to the query sent (counted in the account's truth); lists "
        "below a parent and single objects, each question once. Extra requests: probes, pages "
        "read again, or waste, named by endpoint in the extra column.",
        [
            Column("run", "run"),
            Column("records", "total_records", "{:,}"),
            Column("requests", "requests", "{:,}"),
            Column("minimum", "minimum", "{:,}"),
            Column("requests / min", "requests_vs_min", "{:.3f}x"),
            Column("extra requests by endpoint", "extra_cell"),
            Column("status", "status"),
        ],
    )
    tool = ctx.ours
    sim = start_simulator({"seed": SEED, "tickets": size}, tool.tls if tool.needs_tls else None)
    try:
        full = run_once(ctx, tool, sim, size, EVERY_STREAM, label="every-stream-full")
        section.rows.append(_row(full, "full", minimum_requests(sim, _passes(full))))
        note_failure(section, full)
        since = utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
        sim.mutate(**BUSY_DAY)
        incremental = run_once(
            ctx, tool, sim, size, EVERY_STREAM,
            label="every-stream-incremental", state=tool.next_state(full.result),
        )  # fmt: skip
        minimum = minimum_requests(sim, _passes(incremental), updated_since=since)
        section.rows.append(_row(incremental, "incremental", minimum))
        note_failure(section, incremental)
    finally:
        sim.stop()
    return section


def _passes(m: Measured) -> set[str]:
    usage = m.usage.get("/tickets")
    return usage.passes if usage else {""}


def _row(m: Measured, run: str, minimum: dict[str, int]) -> dict[str, Any]:
    row = base_row(m, None)
    by_endpoint = requests_against_minimum(m.sim, m.log, minimum)
    requests = sum(sent for sent, _ in by_endpoint.values())
    least = sum(need for _, need in by_endpoint.values())
    extra = {name: sent - need for name, (sent, need) in by_endpoint.items() if sent != need}
    row.update(
        run=run,
        total_records=sum(row["records"].values()),
        requests=requests,
        minimum=least,
        requests_vs_min=requests / least if least else 0.0,
        extra_cell=", ".join(f"{name} {n:+d}" for name, n in extra.items()) or "none",
        by_endpoint={name: {"requests": s, "minimum": n} for name, (s, n) in by_endpoint.items()},
    )
    return row
