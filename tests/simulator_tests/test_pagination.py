"""Pages: the Link header, `per_page`, and the ticket list's 300-page cap."""

from __future__ import annotations

import pytest

from tests.simulator_tests.support import (
    ASC,
    error_fields,
    walk,
)


@pytest.mark.simulator(tickets=250, deleted_tickets=0, spam_tickets=0, burst_size=10)
def test_link_header_only_while_more_pages_exist(sim, http):
    records, responses = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 50})

    assert len(records) == 250
    assert len(responses) == 5, "total a multiple of per_page: no extra empty page"
    assert all("Link" in r.headers for r in responses[:-1])
    assert "Link" not in responses[-1].headers
    following = responses[0].links["next"]["url"]
    assert following.startswith(sim.base_url + "/tickets?")
    assert "page=2" in following and "per_page=50" in following and "order_type=asc" in following
    assert responses[0].headers["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.simulator(tickets=40)
@pytest.mark.parametrize("value", ["101", "0", "-1", "abc", "2.5"])
def test_per_page_out_of_range_is_a_400(sim, http, value):
    response = http.get(f"{sim.base_url}/contacts", params={"per_page": value})

    assert response.status_code == 400
    assert response.json()["description"] == "Validation failed"
    assert error_fields(response) == [
        ("per_page", "It should be a Positive Integer less than or equal to 100", "invalid_value")
    ]


@pytest.mark.simulator(tickets=40)
def test_default_page_size_is_30(sim, http):
    assert len(http.get(f"{sim.base_url}/contacts").json()) == 30


@pytest.mark.simulator(tickets=1000, deleted_tickets=0, spam_tickets=0)
def test_ticket_list_stops_at_page_300(sim, http):
    last = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 3, "page": 300})
    beyond = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 3, "page": 301})

    assert last.status_code == 200 and len(last.json()) == 3
    assert 'rel="next"' in last.headers["Link"], "the cap bites on request, not in the header"
    assert beyond.status_code == 400
    assert error_fields(beyond) == [
        (
            "page",
            "You cannot access tickets beyond the 300th page. "
            "Please provide a smaller page number.",
            "invalid_value",
        )
    ]
    assert http.get(f"{sim.base_url}/contacts", params={"page": 400}).status_code == 200


@pytest.mark.simulator(tickets=30)
def test_a_folder_with_130_articles_pages_by_link(sim, http):
    folder = sim.truth("solution_folders")[0]["id"]
    url = f"{sim.base_url}/solutions/folders/{folder}/articles"

    records, responses = walk(http, url, {"per_page": 100})

    assert [len(r.json()) for r in responses] == [100, 30]
    assert responses[0].headers["Link"] == f'<{url}?per_page=100&page=2>; rel="next"'
    assert "Link" not in responses[1].headers
    assert {r["folder_id"] for r in records} == {folder}
    assert http.get(f"{sim.base_url}/solutions/folders/1/articles").status_code == 404
    assert http.get(url, params={"per_page": 101}).status_code == 400
