"""(g) The archived-ticket probe on an account shaped like a real one: what history costs.

The account: 30% of the ticket ids deleted for good (Freshdesk removes tickets left 30 days in
Trash or Spam, support article 228016) and the oldest 60% of the history archived (its deleted
and spam tickets gone too), so about 60% of the tickets are archived, all below every id a list
returns. One first run of tickets and conversations with `start_date` before all history and
no bound per run, then the same run with the probe off, for the BATCH and STATE comparison.
Ours only: no peer reads archived tickets.
"""

from __future__ import annotations

import re
from typing import Any

from benchmarks.scenarios import (
    TICKETS_AND_CONVERSATIONS,
    Column,
    Context,
    Measured,
    Section,
    base_row,
    fresh_sim,
    note_failure,
    run_once,
)

GAP_SHARE = 0.3
ARCHIVED_SHARE = 0.6
LOOKUP = re.compile(r"^/api/v2/tickets/(?:archived/)?(\d+)$")
FIRST_RUN = {"start_date": "2000-01-01T00:00:00Z", "probe_ids_per_run": 10**9}


def probe(ctx: Context) -> Section:
    """Requests per ticket and per gap id, STATE count and bytes, BATCH files: probe on/off."""
    sizes = [2_000] if ctx.quick else [10_000, 50_000, 200_000]
    section = Section(
        "probe",
        f"(g) Archived-ticket probe: {', '.join(f'{s:,}' for s in sizes)} ticket ids, "
        f"{GAP_SHARE:.0%} gaps, the oldest {ARCHIVED_SHARE:.0%} of the history archived",
        "A first run of tickets and conversations (`start_date` before all history, no bound "
        "per run); at the smallest size also without the probe (`probe_missing_tickets` "
        "false), and each with `batch_config` (JSON Lines files). Requests per gap id: "
        "lookups sent for ids that hold no ticket, divided by those ids. STATE bound: "
        "records/1000 + 20. With `batch_config` the records are in files, so the STATE's "
        "share of the output bytes says nothing there.",
        [
            Column("probe", "probe"),
            Column("batch", "batch"),
            Column("ticket ids", "tickets", "{:,}"),
            Column("tickets (archived)", "tickets_cell"),
            Column("conversations", "conversations", "{:,}"),
            Column("requests", "requests", "{:,}"),
            Column("requests / ticket", "requests_per_ticket", "{:.2f}"),
            Column("requests / gap id", "requests_per_gap", "{:.3f}"),
            Column("STATE msgs", "state_messages", "{:,}"),
            Column("STATE bound", "state_bound", "{:,.0f}"),
            Column("STATE % of bytes", "state_share", "{:.2%}"),
            Column("BATCH files", "batch_messages", "{:,}"),
            Column("wall s", "wall_s", "{:.1f}"),
            Column("CPU s", "cpu_s", "{:.1f}"),
            Column("peak RSS MB", "peak_rss_mb", "{:.0f}"),
            Column("status", "status"),
        ],
    )
    for size in sizes:
        account = {
            "tickets": size,
            "purged_tickets": int(size * GAP_SHARE),
            "archive_oldest_share": ARCHIVED_SHARE,
        }
        first = size == sizes[0]
        for on in (True, False) if first else (True,):
            for batch in (False, True) if first else (False,):
                settings: dict[str, Any] = {**FIRST_RUN, "probe_missing_tickets": on}
                if batch:
                    root = f"file://{ctx.workdir / f'batch-{size}-{on}'}"
                    settings["batch_config"] = {
                        "encoding": {"format": "jsonl", "compression": "none"},
                        "storage": {"root": root},
                    }
                label = f"probe-{size}-{'on' if on else 'off'}{'-batch' if batch else ''}"
                sim = fresh_sim(ctx.ours, account)
                try:
                    m = run_once(
                        ctx,
                        ctx.ours,
                        sim,
                        size,
                        TICKETS_AND_CONVERSATIONS,
                        label=label,
                        settings=settings,
                    )
                    section.rows.append(_row(m, on=on, batch=batch))
                finally:
                    sim.stop()
                note_failure(section, m)
    section.notes.append(
        "Requests per ticket counts every request of the run (lists, lookups, conversations) "
        "over the tickets the account holds, archived ones included: multiply it by an "
        "account's tickets for its first run's requests."
    )
    return section


def _row(m: Measured, *, on: bool, batch: bool) -> dict[str, Any]:
    """The figures of one run; gap ids are the ids under the highest one that hold no ticket."""
    account = m.sim.account
    gaps = {i for i in range(1, m.tickets + 1) if account.ticket_state(i) is None}
    archived = sum(1 for i in range(1, m.tickets + 1) if account.is_archived(i))
    tickets = m.tickets - len(gaps)
    asked: dict[int, int] = {}
    for entry in m.log:
        if found := LOOKUP.match(entry.path):
            ticket_id = int(found.group(1))
            asked[ticket_id] = asked.get(ticket_id, 0) + 1
    gap_lookups = sum(n for ticket_id, n in asked.items() if ticket_id in gaps)
    probed_gaps = sum(1 for ticket_id in asked if ticket_id in gaps)
    r = m.result
    row = base_row(m, None)
    row.update(
        probe="on" if on else "off",
        batch="jsonl" if batch else "-",
        tickets_cell=f"{r.records.get('tickets', 0):,} ({archived:,})",
        conversations=r.records.get("conversations", 0),
        requests_per_ticket=m.requests / tickets if tickets else 0.0,
        requests_per_gap=gap_lookups / probed_gaps if probed_gaps else float("nan"),
        gap_ids=len(gaps),
        gap_ids_probed=probed_gaps,
        state_bound=r.total_records / 1000 + 20,
        state_bytes=r.state_bytes,
        state_share=r.state_bytes / (r.output_mb * 1e6) if r.output_mb else 0.0,
        batch_messages=r.batch_messages,
    )
    return row
