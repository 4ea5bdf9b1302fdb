"""Knowledge-base translations: categories, folders and articles in every helpdesk language."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.harness import run_tap

STREAMS = ["solution_categories", "solution_folders", "solution_articles"]


@pytest.mark.simulator(tickets=10)
def test_every_solution_record_is_extracted_in_every_language_it_has(simulator, config):
    run = run_tap(config, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    languages = {"en", "fr", "de", "es"}  # primary and supported_languages of settings/helpdesk
    for stream in STREAMS:
        emitted = run.records(stream)
        assert {r["language"] for r in emitted} == languages, stream
        keys = Counter((r["id"], r["language"]) for r in emitted)
        assert max(keys.values()) == 1, f"{stream}: one record per id and language"
        assert Counter(r["id"] for r in emitted) == Counter(
            r["id"] for r in simulator.truth(stream)
        )
    french = {r["id"]: r for r in run.records("solution_articles") if r["language"] == "fr"}
    english = {r["id"]: r for r in run.records("solution_articles") if r["language"] == "en"}
    assert 0 < len(french) < len(english), "an article without a translation is normal"
    some = next(iter(french))
    assert french[some]["title"] != english[some]["title"]
    assert french[some]["folder_id"] == english[some]["folder_id"]


@pytest.mark.simulator(tickets=10, disabled_features={"settings"})
def test_without_the_settings_the_primary_language_is_read_with_one_warning(simulator, config):
    run = run_tap(config, streams=STREAMS)

    assert run.returncode == 0, run.stderr
    assert run.stderr.count("Knowledge-base translations are not extracted") == 1
    articles = run.records("solution_articles")
    assert {r["language"] for r in articles} == {None}
    assert not [r for r in simulator.request_log if r.path.endswith(("/fr", "/de", "/es"))]
    truth = simulator.truth("solution_articles")
    assert sorted(r["id"] for r in articles) == sorted({r["id"] for r in truth})
