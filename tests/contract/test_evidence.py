"""Every real payload the tap's schemas were checked against: valid, and every key declared.

`fixtures/evidence/` holds records as others recorded them, one file per source, each naming
its repository, path and commit: the response examples of Freshdesk's API reference and an
open-source client's recorded answers. Each record must pass the target-side validator
(`JSONSchemaValidator`, what SDK-built targets run before loading) against the schema the tap
announces, and declare every key it carries, at any depth, so no SQL target drops a value.
The fixture files of the other contract tests are whole accounts served over HTTP; these are
single answers, checked against the catalog directly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from singer_sdk.sinks.core import JSONSchemaValidator

from tests.harness import catalog_selecting
from tests.schema_checks import undeclared_paths

EVIDENCE = Path(__file__).parent / "fixtures" / "evidence"
SOURCES = {path.stem: json.loads(path.read_text()) for path in sorted(EVIDENCE.glob("*.json"))}
CASES = [
    (source, stream, number, entry["record"])
    for source, content in SOURCES.items()
    for stream, entries in content["records"].items()
    for number, entry in enumerate(entries)
]


def schemas() -> dict[str, dict[str, Any]]:
    return {e["tap_stream_id"]: e["schema"] for e in catalog_selecting([])["streams"]}


@pytest.fixture(scope="module")
def announced() -> dict[str, dict[str, Any]]:
    return schemas()


def test_each_source_names_its_repository_path_and_commit() -> None:
    assert len(SOURCES) >= 2
    for content in SOURCES.values():
        source = content["source"]
        assert source["repository"].count("/") == 1
        assert source["path"]
        assert len(source["commit"]) == 40


@pytest.mark.parametrize(
    ("source", "stream", "number", "record"),
    CASES,
    ids=[f"{source}-{stream}-{number}" for source, stream, number, _ in CASES],
)
def test_a_real_record_validates_and_declares_every_key(
    announced: dict[str, dict[str, Any]], source: str, stream: str, number: int, record: Any
) -> None:
    schema = announced[stream]
    JSONSchemaValidator(schema).validate(record)
    assert undeclared_paths(record, schema) == set()
