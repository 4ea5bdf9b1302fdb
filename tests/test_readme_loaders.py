"""The README names every loader of `meltano.yml` with its pinned packages, and why DuckDB is
pinned below its current release, with the report for the loader's maintainers beside it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
LOADERS = yaml.safe_load((ROOT / "meltano.yml").read_text())["plugins"]["loaders"]


def test_the_readme_names_each_loader_with_its_pinned_packages():
    for loader in LOADERS:
        (row,) = [
            line
            for line in README.splitlines()
            if line.startswith(f"| `{loader['name']}` |") and "==" in line
        ]
        for package in re.findall(r"[\w.-]+==[\w.]+", loader["pip_url"]):
            assert f"`{package}`" in row, (loader["name"], package)


def test_the_duckdb_pin_and_its_reason_are_in_the_readme():
    (duckdb,) = [loader for loader in LOADERS if loader["name"] == "target-duckdb"]
    pin = re.search(r"(?<![\w-])duckdb==([\d.]+)", duckdb["pip_url"])
    assert pin, "target-duckdb's DuckDB is pinned"
    report = "docs/upstream/target-duckdb-copy-header.md"
    assert (ROOT / report).is_file()
    assert f"DuckDB stays at {pin.group(1)}" in README and f"({report})" in README
    assert "HEADER false" in (ROOT / report).read_text()
