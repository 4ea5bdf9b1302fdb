"""The README's streams table is the one the stream classes give, files included."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.streams_table import streams_table
from tap_freshdesk.streams import STREAM_TYPES

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_streams_table_is_generated_from_the_stream_classes():
    assert streams_table() in README.read_text(), (
        "regenerate it: .venv/bin/python scripts/streams_table.py"
    )


def test_the_table_names_every_stream_and_the_file_declaring_it():
    table = streams_table()
    root = README.parent
    for stream_type in STREAM_TYPES:
        row = next(
            line for line in table.splitlines() if line.startswith(f"| `{stream_type.name}` ")
        )
        source = row.split("](")[1].split(")")[0]
        assert (root / source).is_file()
        assert f"class {stream_type.__name__}(" in (root / source).read_text()
