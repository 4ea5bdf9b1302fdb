"""Access: the API key, and plan features that answer 403 or 404."""

from __future__ import annotations

import pytest
import requests


@pytest.mark.simulator(tickets=20, disabled_features={"satisfaction_ratings", "time_entries"})
def test_wrong_key_is_401_and_missing_features_are_403(sim, http):
    wrong = requests.get(f"{sim.base_url}/tickets", auth=("nope", "X"), timeout=5)
    none = requests.get(f"{sim.base_url}/tickets", timeout=5)
    denied = http.get(f"{sim.base_url}/surveys/satisfaction_ratings")

    assert wrong.status_code == none.status_code == 401
    assert wrong.json() == {
        "code": "invalid_credentials",
        "message": "You have to be logged in to perform this action.",
    }
    assert denied.status_code == 403
    assert denied.json()["code"] == "access_denied"
    assert http.get(f"{sim.base_url}/time_entries").status_code == 403
    assert http.get(f"{sim.base_url}/groups").status_code == 200


@pytest.mark.simulator(
    tickets=20, disabled_features={"skills"}, missing_features={"discussion_categories"}
)
def test_features_off_answer_403_or_404_for_the_whole_tree(sim, http):
    forum = sim.truth("discussion_forums")[0]["id"]
    topic = sim.truth("discussion_topics")[0]["id"]

    skills = http.get(f"{sim.base_url}/admin/skills")
    assert skills.status_code == 403 and skills.json()["code"] == "access_denied"
    for path in (
        "/discussions/categories",
        f"/discussions/forums/{forum}/topics",
        f"/discussions/topics/{topic}/comments",
    ):
        answer = http.get(f"{sim.base_url}{path}")
        assert (answer.status_code, answer.content) == (404, b""), path
    assert http.get(f"{sim.base_url}/solutions/categories").status_code == 200
    sim.configure(missing_features=[], disabled_features=["solution_categories"])
    folder = sim.truth("solution_folders")[0]["id"]
    assert http.get(f"{sim.base_url}/discussions/categories").status_code == 200
    assert http.get(f"{sim.base_url}/solutions/folders/{folder}/articles").status_code == 403
