"""Results as Markdown (for the README to quote) and JSON (for comparing runs), with the machine.

Figures from a shared or busy machine are noisy; the header says what ran where so a reader can
judge, and the JSON keeps every raw value the tables round.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.scenarios import Section


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM and Python: what the figures depend on."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def cell(row: dict[str, Any], key: str, fmt: str) -> str:
    value = row.get(key)
    if value is None or value == "":
        return "-"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


def markdown(sections: list[Section], meta: dict[str, Any]) -> str:
    m = meta["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Run {meta['finished']} with `{meta['command']}` in {meta['duration_s'] / 60:.1f} min.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']} "
        f"({m['platform']}). Figures, not pass/fail; a shared machine makes them noisy.",
        "",
    ]
    for tool, reason in meta["unavailable"].items():
        lines.append(f"- {tool} did not run: {reason}")
    for section in sections:
        lines += ["", f"## {section.title}", "", section.about, ""]
        lines.append("| " + " | ".join(c.header for c in section.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in section.columns) + "|")
        for row in section.rows:
            cells = (cell(row, c.key, c.fmt) for c in section.columns)
            lines.append("| " + " | ".join(cells) + " |")
        if section.notes:
            lines.append("")
            lines += [f"- {note}" for note in dict.fromkeys(section.notes)]
    return "\n".join(lines) + "\n"


def write(sections: list[Section], meta: dict[str, Any], directory: Path) -> Path:
    """Write latest.md and latest.json; return the Markdown path."""
    directory.mkdir(parents=True, exist_ok=True)
    text = markdown(sections, meta)
    (directory / "latest.md").write_text(text)
    payload = {"meta": meta, "sections": [asdict(s) for s in sections]}
    (directory / "latest.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    sys.stdout.write("\n" + text)
    return directory / "latest.md"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
