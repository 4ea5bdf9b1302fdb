"""The README states no figure of the test suite's size or duration, which goes stale.

Such a figure ("about 780 tests: 6.5 minutes") was left behind when the suite grew past a
thousand tests and twice the time; pytest prints both at the end of every run instead.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_states_no_count_of_tests():
    counts = re.findall(r"\b\d[\d,.]*\s+(?:tests|test cases)\b", README.read_text())
    assert counts == [], "pytest's last line gives the count; drop the figure from the README"


def test_readme_states_no_duration_of_the_whole_suite():
    text = " ".join(README.read_text().split())
    sentences = re.split(r"(?<=[.;])\s", text)
    duration = re.compile(r"\b\d[\d.]*\s*(?:\u2013\s*\d+\s*)?(?:minutes|min|s)\b")
    timed = [s for s in sentences if "make test" in s and duration.search(s)]
    assert timed == [], timed
