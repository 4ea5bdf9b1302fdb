"""The Freshdesk simulator itself, over real HTTP: each modelled API behaviour, observable."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from tests.simulator import Simulator, SimulatorConfig

SCHEMAS = Path(__file__).resolve().parent.parent / "tap_freshdesk" / "schemas"
EVER = "2000-01-01T00:00:00Z"
ASC = {"updated_since": EVER, "order_by": "updated_at", "order_type": "asc"}
FIXED_NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
LIST_PATHS = {
    "tickets": "/tickets",
    "contacts": "/contacts",
    "companies": "/companies",
    "agents": "/agents",
    "groups": "/groups",
    "roles": "/roles",
    "time_entries": "/time_entries",
    "satisfaction_ratings": "/surveys/satisfaction_ratings",
    "ticket_fields": "/ticket_fields",
    "contact_fields": "/contact_fields",
    "company_fields": "/company_fields",
}


@pytest.fixture
def sim(request):
    marker = request.node.get_closest_marker("simulator")
    with Simulator(SimulatorConfig(**(marker.kwargs if marker else {}))) as simulator:
        yield simulator


@pytest.fixture
def http(sim):
    session = requests.Session()
    session.auth = (sim.api_key, "X")
    yield session
    session.close()


def walk(http, url, params=None):
    """Every page by the Link header; returns (records, responses)."""
    records, responses = [], []
    response = http.get(url, params=params, timeout=10)
    while True:
        assert response.status_code == 200, response.text
        responses.append(response)
        records += response.json()
        following = response.links.get("next", {}).get("url")
        if not following:
            return records, responses
        response = http.get(following, timeout=10)


def error_fields(response):
    return [(e["field"], e["message"], e["code"]) for e in response.json()["errors"]]


# Pagination


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


# Ticket list semantics


@pytest.mark.simulator(tickets=200, clock=lambda: FIXED_NOW)
def test_without_updated_since_only_the_last_30_days_are_listed(sim, http):
    sim.mutate(new_tickets=3)

    listed, _ = walk(http, f"{sim.base_url}/tickets", {"per_page": 100})
    everything, _ = walk(http, f"{sim.base_url}/tickets", {"updated_since": EVER, "per_page": 100})

    assert sorted(t["id"] for t in listed) == [201, 202, 203]
    assert len(everything) > 150


@pytest.mark.simulator(tickets=400, burst_size=60, deleted_tickets=0, spam_tickets=0)
def test_updated_since_is_inclusive_and_ties_break_by_id(sim, http):
    records, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})
    keys = [(t["updated_at"], t["id"]) for t in records]
    assert keys == sorted(keys)
    assert max(keys.count(k) for k in keys) == 1
    stamps = [t["updated_at"] for t in records]
    assert max(stamps.count(s) for s in stamps) == 60, "the bulk-update second"
    assert sum(1 for s in set(stamps) if 2 <= stamps.count(s) <= 5) > 20

    pivot = records[len(records) // 2]["updated_at"]
    since, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "updated_since": pivot})
    assert [t["id"] for t in since] == [t["id"] for t in records if t["updated_at"] >= pivot]

    descending = http.get(
        f"{sim.base_url}/tickets", params={"updated_since": EVER, "order_by": "updated_at"}
    ).json()
    expected = sorted(records, key=lambda t: (t["updated_at"], -t["id"]), reverse=True)[:30]
    assert [t["id"] for t in descending] == [t["id"] for t in expected]


@pytest.mark.simulator(tickets=300)
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00"])
def test_malformed_updated_since_is_a_400(sim, http, value):
    response = http.get(f"{sim.base_url}/tickets", params={"updated_since": value})

    assert response.status_code == 400
    assert error_fields(response)[0][0] == "updated_since"


@pytest.mark.simulator(tickets=500)
def test_deleted_and_spam_tickets_only_through_their_filter(sim, http):
    truth = sim.truth("tickets")
    deleted = {t["id"] for t in truth if t.get("deleted")}
    spam = {t["id"] for t in truth if t["spam"]}
    assert len(deleted) == 10 and len(spam) == 5

    listed, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})
    in_trash, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "deleted"})
    junk, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "spam"})

    assert {t["id"] for t in listed} == {t["id"] for t in truth} - deleted - spam
    assert {t["id"] for t in in_trash} == deleted and all(t["deleted"] for t in in_trash)
    assert {t["id"] for t in junk} == spam and all(t["spam"] for t in junk)


@pytest.mark.simulator(tickets=50)
def test_includes_embed_objects_and_cost_credits(sim, http):
    plain = http.get(f"{sim.base_url}/tickets", params={"updated_since": EVER})
    rich = http.get(
        f"{sim.base_url}/tickets",
        params={"updated_since": EVER, "include": "description,requester,stats"},
    )

    assert "description" not in plain.json()[0] and "stats" not in plain.json()[0]
    assert {"description", "description_text", "requester", "stats"} <= set(rich.json()[0])
    assert plain.headers["X-Ratelimit-Used-CurrentRequest"] == "1"
    assert rich.headers["X-Ratelimit-Used-CurrentRequest"] == "7"


@pytest.mark.simulator(tickets=50)
def test_unknown_query_parameters_are_refused(sim, http):
    response = http.get(f"{sim.base_url}/contacts", params={"updated_since": EVER})

    assert response.status_code == 400
    assert error_fields(response) == [
        ("updated_since", "Unexpected/invalid field in request", "invalid_field")
    ]


# Other lists


@pytest.mark.simulator(contacts=200, tickets=30)
def test_contacts_filters(sim, http):
    truth = sim.truth("contacts")
    listed, _ = walk(http, f"{sim.base_url}/contacts", {"per_page": 100})
    deleted, _ = walk(http, f"{sim.base_url}/contacts", {"state": "deleted"})
    blocked, _ = walk(http, f"{sim.base_url}/contacts", {"state": "blocked"})

    assert {c["id"] for c in deleted} == {c["id"] for c in truth if c.get("deleted")}
    assert {c["id"] for c in blocked} == {c["id"] for c in truth if c.get("blocked")}
    hidden = {c["id"] for c in deleted + blocked}
    assert [c["id"] for c in listed] == sorted({c["id"] for c in truth} - hidden)
    assert all(c["id"] > 2**32 for c in listed)

    pivot = listed[120]["updated_at"]
    since, _ = walk(http, f"{sim.base_url}/contacts", {"_updated_since": pivot, "per_page": 100})
    assert [c["id"] for c in since] == [c["id"] for c in listed if c["updated_at"] >= pivot]


@pytest.mark.simulator(tickets=400)
def test_satisfaction_ratings_created_since_is_inclusive(sim, http):
    everything, _ = walk(http, f"{sim.base_url}/surveys/satisfaction_ratings", {"per_page": 100})
    pivot = sorted(r["created_at"] for r in everything)[50]
    since, _ = walk(http, f"{sim.base_url}/surveys/satisfaction_ratings", {"created_since": pivot})

    assert len(everything) == 100
    assert {r["id"] for r in since} == {r["id"] for r in everything if r["created_at"] >= pivot}
    assert all("default_question" in r["ratings"] for r in everything)


# Conversations


@pytest.mark.simulator(tickets=300)
def test_conversations_page_and_404_once_the_ticket_is_deleted(sim, http):
    long_thread, responses = walk(
        http, f"{sim.base_url}/tickets/3/conversations", {"per_page": 100}
    )
    assert len(long_thread) == 130 and len(responses) == 2

    victim = next(t["id"] for t in sim.truth("tickets") if t["id"] > 10 and not t.get("deleted"))
    assert http.get(f"{sim.base_url}/tickets/{victim}/conversations").status_code == 200
    sim.delete_ticket(victim)
    gone = http.get(f"{sim.base_url}/tickets/{victim}/conversations")
    missing = http.get(f"{sim.base_url}/tickets/999999/conversations")

    assert gone.status_code == 404 and missing.status_code == 404
    assert victim not in {c["ticket_id"] for c in sim.truth("conversations")}


# Mutations


@pytest.mark.simulator(tickets=300, contacts=50)
def test_changes_move_records_to_the_end_of_the_updated_at_order(sim, http):
    touched = sim.mutate(tickets=2, conversations=1, new_tickets=1, contacts=1)
    records, _ = walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 100})

    tail = {t["id"] for t in records[-4:]}
    assert set(touched["tickets"]) == tail
    assert records[-1]["updated_at"] > records[-5]["updated_at"]
    conversation = touched["conversations"][0]
    assert conversation in {c["id"] for c in sim.truth("conversations")}
    contact = touched["contacts"][0]
    changed = next(c for c in sim.truth("contacts") if c["id"] == contact)
    assert changed["updated_at"] == max(c["updated_at"] for c in sim.truth("contacts"))


@pytest.mark.simulator(tickets=300, mutate_every=3)
def test_mutate_every_changes_the_account_during_a_walk(sim, http):
    walk(http, f"{sim.base_url}/tickets", {**ASC, "per_page": 20})

    assert sim.stats()["mutations"] >= 5


@pytest.mark.simulator(tickets=60)
def test_on_request_runs_before_the_request_is_served(sim, http):
    seen = []
    sim.on_request(lambda method, path, query: seen.append((method, path, query)))
    http.get(f"{sim.base_url}/groups", params={"page": "1"})

    assert seen == [("GET", "/api/v2/groups", {"page": "1"})]


# Truth


@pytest.mark.simulator(tickets=300, contacts=80, companies=40)
def test_truth_is_what_a_complete_walk_returns(sim, http):
    def by_id(records):
        return {r["id"]: r for r in records}

    tickets = []
    for view in (None, "deleted", "spam"):
        params = {**ASC, "per_page": 100, **({"filter": view} if view else {})}
        tickets += walk(http, f"{sim.base_url}/tickets", params)[0]
    assert by_id(tickets) == by_id(sim.truth("tickets"))

    contacts = []
    for state in (None, "deleted", "blocked"):
        contacts += walk(http, f"{sim.base_url}/contacts", {"state": state} if state else {})[0]
    assert by_id(contacts) == by_id(sim.truth("contacts"))

    conversations = []
    for ticket in sim.truth("tickets"):
        if not (ticket.get("deleted") or ticket["spam"]):
            url = f"{sim.base_url}/tickets/{ticket['id']}/conversations"
            conversations += walk(http, url, {"per_page": 100})[0]
    assert by_id(conversations) == by_id(sim.truth("conversations"))

    for stream, path in LIST_PATHS.items():
        if stream not in ("tickets", "contacts"):
            records, _ = walk(http, f"{sim.base_url}{path}")
            assert by_id(records) == by_id(sim.truth(stream)), stream
            assert records, stream


@pytest.mark.simulator(tickets=300, contacts=60, companies=20)
def as_the_tap_emits(record):
    """The record after the tap's one normalisation: a lone `to_emails` string becomes a list."""
    if isinstance(record.get("to_emails"), str):
        return {**record, "to_emails": [record["to_emails"]]}
    return record


def test_every_served_record_matches_the_taps_schema(sim, http):
    jsonschema = pytest.importorskip("jsonschema")
    archived = next(t["id"] for t in sim.truth("tickets") if not (t.get("deleted") or t["spam"]))
    sim.archive_ticket(archived)
    served = {
        "tickets": [http.get(f"{sim.base_url}/tickets/archived/{archived}").json()]
        + walk(
            http,
            f"{sim.base_url}/tickets",
            {**ASC, "per_page": 100, "include": "description,requester,stats,company"},
        )[0]
        + walk(http, f"{sim.base_url}/tickets", {**ASC, "filter": "deleted"})[0],
        "conversations": walk(http, f"{sim.base_url}/tickets/3/conversations")[0],
    }
    for stream, path in LIST_PATHS.items():
        if stream != "tickets":
            served[stream] = walk(http, f"{sim.base_url}{path}")[0]
    checked = 0
    for stream, records in served.items():
        schema_file = SCHEMAS / f"{stream}.json"
        if not schema_file.exists():
            continue
        schema = json.loads(schema_file.read_text())
        validator = jsonschema.Draft7Validator(
            schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
        for record in records:
            errors = [e.message for e in validator.iter_errors(as_the_tap_emits(record))]
            assert not errors, f"{stream} {record['id']}: {errors[:3]}"
        checked += 1
    if not checked:
        pytest.skip("no schema files yet")


PYTHON_TYPES = {
    "custom_text": str,
    "custom_paragraph": str,
    "custom_dropdown": str,
    "nested_field": str,
    "custom_number": int,
    "custom_decimal": float,
    "custom_checkbox": bool,
    "custom_date": str,
    "custom_date_time": str,
}
ENTITIES = {"ticket": "tickets", "contact": "contacts", "company": "companies"}


def custom_field_types(http, base_url, entity):
    """cf_* name → type of `entity`'s field definitions; a nested field's levels are strings."""
    types = {}
    for definition in http.get(f"{base_url}/{entity}_fields").json():
        if definition["name"].startswith("cf_"):
            types[definition["name"]] = definition["type"]
            for level in definition.get("nested_ticket_fields", []):
                types[level["name"]] = "custom_text"
    return types


@pytest.mark.simulator(tickets=300, contacts=120, companies=60)
def test_custom_field_values_follow_the_field_definitions(sim, http):
    for entity, stream in ENTITIES.items():
        types = custom_field_types(http, sim.base_url, entity)
        kinds_seen = set()
        for record in sim.truth(stream):
            assert set(record["custom_fields"]) == set(types), entity
            for name, value in record["custom_fields"].items():
                if value is not None:
                    assert isinstance(value, PYTHON_TYPES[types[name]]), (entity, name, value)
                    kinds_seen.add(types[name])
        assert set(types.values()) >= set(PYTHON_TYPES), f"{entity} lacks a custom field type"
        assert kinds_seen == set(PYTHON_TYPES), entity


@pytest.mark.simulator(tickets=300)
def test_nested_field_levels_follow_the_choice_tree(sim, http):
    product = next(
        f for f in http.get(f"{sim.base_url}/ticket_fields").json() if f["type"] == "nested_field"
    )
    second, third = (level["name"] for level in product["nested_ticket_fields"])
    tree = product["choices"]
    paths = {
        (t["custom_fields"][product["name"]], t["custom_fields"][second], t["custom_fields"][third])
        for t in sim.truth("tickets")
    }
    for top, middle, leaf in paths:
        assert middle is None or middle in tree[top]
        assert leaf is None or leaf in tree[top][middle]
    assert any(leaf is not None for _, _, leaf in paths)


@pytest.mark.simulator(tickets=60, contacts=20, companies=10, clock=lambda: FIXED_NOW)
def test_add_custom_field_defines_it_and_changed_records_carry_values(sim, http):
    added = {
        "ticket": sim.add_custom_field("ticket", "cf_warranty", "custom_checkbox"),
        "contact": sim.add_custom_field("contact", "loyalty", "custom_number", label="Loyalty"),
        "company": sim.add_custom_field("company", "cf_zone", "nested_field"),
    }
    sim.update_ticket(5)
    sim.update_contact(sim.truth("contacts")[0]["id"])
    sim.update_company(sim.truth("companies")[0]["id"])

    assert added["contact"]["name"] == "cf_loyalty" and added["contact"]["label"] == "Loyalty"
    assert [n["name"] for n in added["company"]["nested_ticket_fields"]] == [
        "cf_zone_level_2",
        "cf_zone_level_3",
    ]
    for entity, stream in ENTITIES.items():
        name = added[entity]["name"]
        types = custom_field_types(http, sim.base_url, entity)
        assert types[name] == added[entity]["type"]
        records = walk(http, f"{sim.base_url}/{stream}", ASC if stream == "tickets" else None)[0]
        changed = [r for r in records if r["updated_at"] == "2026-06-01T12:00:00Z"]
        assert all(name in r["custom_fields"] for r in records), entity
        assert all(r["custom_fields"][name] is None for r in records if r not in changed)
        assert changed and all(
            isinstance(r["custom_fields"][name], PYTHON_TYPES[types[name]]) for r in changed
        ), entity
    with pytest.raises(ValueError, match="already has"):
        sim.add_custom_field("ticket", "cf_warranty", "custom_text")
    with pytest.raises(ValueError, match="type must be"):
        sim.add_custom_field("ticket", "cf_other", "custom_rainbow")


# Auth and plan features


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


# Rate limits


@pytest.mark.simulator(tickets=50, rate_limit=5, rate_window_seconds=1)
def test_429_with_retry_after_then_recovery_after_the_window(sim, http):
    answers = [http.get(f"{sim.base_url}/groups") for _ in range(6)]

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert [a.headers["X-Ratelimit-Remaining"] for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert all(a.headers["X-Ratelimit-Total"] == "5" for a in answers)
    retry_after = int(answers[-1].headers["Retry-After"])
    assert retry_after == 1
    time.sleep(retry_after)
    assert http.get(f"{sim.base_url}/groups").status_code == 200
    stats = sim.stats()
    assert stats["rate_limited"] == 1 and stats["status"]["429"] == 1
    assert stats["credits"] == 6, "a refused request costs nothing"


@pytest.mark.simulator(tickets=200, rate_limit=100, tickets_list_limit=2, rate_window_seconds=3)
def test_the_ticket_list_sub_limit_bites_first(sim, http):
    statuses = [http.get(f"{sim.base_url}/tickets").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert http.get(f"{sim.base_url}/contacts").status_code == 200


# Faults


@pytest.mark.simulator(tickets=30)
def test_each_fault_kind_is_observable_by_a_client(sim, http):
    url = f"{sim.base_url}/groups"

    def fail(kind):
        sim.fail_next(kind, path_prefix="/api/v2/groups")
        return http.get(url, timeout=2)

    assert fail("500").status_code == 500
    bad_gateway = fail("502")
    assert bad_gateway.status_code == 502 and bad_gateway.text.startswith("<html>")
    unavailable = fail("503")
    assert unavailable.status_code == 503 and unavailable.headers["Retry-After"] == "1"
    page = fail("invalid_json")
    assert page.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        page.json()
    with pytest.raises(requests.ConnectionError):
        fail("drop")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        fail("truncated")
    sim.configure(stall_seconds=1.5)
    with pytest.raises(requests.ReadTimeout):
        sim.fail_next("timeout", path_prefix="/api/v2/groups")
        http.get(url, timeout=0.5)
    assert http.get(url).status_code == 200
    stats = sim.stats()
    assert stats["faults"] == 7
    assert stats["credits"] == 1, "faulted requests cost nothing"


@pytest.mark.simulator(tickets=30, fault_rate=0.5, fault_kinds=("500",))
def test_random_faults_follow_the_rate_and_spare_control_endpoints(sim, http):
    codes = [http.get(f"{sim.base_url}/roles").status_code for _ in range(40)]
    control = [requests.get(f"{sim.base_url[:-7]}/_sim/stats", timeout=5) for _ in range(10)]

    assert 8 < codes.count(500) < 32 and codes.count(200) + codes.count(500) == 40
    assert all(c.status_code == 200 for c in control)
    assert control[-1].json()["requests"] == 40, "control requests are not counted"


# Control over HTTP and the CLI


@pytest.mark.simulator(tickets=100)
def test_http_control_surface(sim, http):
    root = sim.base_url.removesuffix("/api/v2")
    http.get(f"{sim.base_url}/tickets")
    touched = requests.post(f"{root}/_sim/mutate", json={"new_tickets": 2}, timeout=5).json()
    requests.post(f"{root}/_sim/config", json={"disabled_features": ["roles"]}, timeout=5)
    truth = requests.get(f"{root}/_sim/truth/tickets", timeout=5).json()
    stats = requests.get(f"{root}/_sim/stats", timeout=5).json()

    assert touched["tickets"] == [101, 102]
    assert [t["id"] for t in truth][-2:] == [101, 102]
    assert stats["by_endpoint"] == {"GET /tickets": 1}
    assert http.get(f"{sim.base_url}/roles").status_code == 403
    assert sim.request_log[0].path == "/api/v2/tickets" and sim.request_log[0].status == 200


def test_a_million_tickets_start_fast_and_serve_page_one_quickly():
    began = time.perf_counter()
    with Simulator(SimulatorConfig(tickets=1_000_000)) as sim:
        started = time.perf_counter() - began
        http = requests.Session()
        http.auth = (sim.api_key, "X")
        began = time.perf_counter()
        first = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100})
        late = http.get(f"{sim.base_url}/tickets", params={**ASC, "per_page": 100, "page": 300})
        served = time.perf_counter() - began
        newest = http.get(f"{sim.base_url}/tickets", params={"updated_since": EVER})

    assert started < 2.0
    assert served < 1.0
    assert len(first.json()) == 100 and len(late.json()) == 100
    assert newest.json()[0]["id"] > 999_000


def test_cli_prints_its_url_serves_and_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0", "--tickets", "40"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("Freshdesk simulator listening on http://127.0.0.1:")
        url = line.split()[-1]
        response = requests.get(f"{url}/tickets", auth=("sim-api-key", "X"), timeout=5)
        assert response.status_code == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_refuses_a_non_loopback_host():
    done = subprocess.run(
        [sys.executable, "-m", "tests.simulator", "--host", "0.0.0.0", "--port", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0 and "loopback" in done.stderr


# TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A throwaway self-signed certificate for acme.freshdesk.com and 127.0.0.1 (openssl CLI)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=acme.freshdesk.com",
            "-addext", "subjectAltName=DNS:acme.freshdesk.com,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return cert, key


def test_tls_serves_https_and_links_name_the_public_host(certificate):
    cert, key = certificate
    config = SimulatorConfig(
        tickets=40, tls_certfile=str(cert), tls_keyfile=str(key), public_host="acme.freshdesk.com"
    )
    with Simulator(config) as sim:
        port = sim.base_url.rsplit(":", 1)[1].split("/")[0]
        local = f"https://127.0.0.1:{port}/api/v2"
        answer = requests.get(
            f"{local}/groups", params={"per_page": 2}, auth=(sim.api_key, "X"), verify=str(cert)
        )
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{local}/groups", auth=(sim.api_key, "X"), timeout=5)
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/api/v2/groups", timeout=5)
        still = requests.get(f"{local}/roles", auth=(sim.api_key, "X"), verify=str(cert))

    assert sim.base_url == f"https://acme.freshdesk.com:{port}/api/v2"
    assert answer.status_code == 200 and len(answer.json()) == 2
    assert answer.links["next"]["url"] == (
        f"https://acme.freshdesk.com:{port}/api/v2/groups?per_page=2&page=2"
    )
    assert still.status_code == 200, "a failed handshake does not stop the server"


def test_plain_http_is_the_default(sim):
    assert sim.base_url.startswith("http://127.0.0.1:")


# Configuration and knowledge streams

FLAT_PATHS = {
    "products": "/products",
    "business_hours": "/business_hours",
    "sla_policies": "/sla_policies",
    "skills": "/admin/skills",
    "email_configs": "/email_configs",
    "email_mailboxes": "/email/mailboxes",
    "surveys": "/surveys",
    "scenario_automations": "/scenario_automations",
    "ticket_forms": "/ticket-forms",
    "canned_response_folders": "/canned_response_folders",
    "solution_categories": "/solutions/categories",
    "discussion_categories": "/discussions/categories",
}
CHILD_STREAMS = {
    "canned_responses": "canned_response_folders",
    "solution_folders": "solution_categories",
    "solution_articles": "solution_folders",
    "discussion_forums": "discussion_categories",
    "discussion_topics": "discussion_forums",
    "discussion_comments": "discussion_topics",
}
CHILD_PATHS = {
    "canned_responses": "/canned_response_folders/{id}/responses",
    "solution_folders": "/solutions/categories/{id}/folders",
    "solution_articles": "/solutions/folders/{id}/articles",
    "discussion_forums": "/discussions/categories/{id}/forums",
    "discussion_topics": "/discussions/forums/{id}/topics",
    "discussion_comments": "/discussions/topics/{id}/comments",
}


def walk_tree(http, base_url):
    """Every configuration and knowledge record, reached the way a tap reaches them."""
    served = {s: walk(http, f"{base_url}{p}", {"per_page": 100})[0] for s, p in FLAT_PATHS.items()}
    for stream, parent in CHILD_STREAMS.items():
        served[stream] = []
        for record in served[parent]:
            path = CHILD_PATHS[stream].format(id=record["id"])
            served[stream] += walk(http, f"{base_url}{path}", {"per_page": 100})[0]
        if stream == "solution_folders":
            pending = list(served[stream])
            while pending:
                folder = pending.pop()
                below = walk(http, f"{base_url}/solutions/folders/{folder['id']}/subfolders")[0]
                served[stream] += below
                pending += below
    served["automation_rules"] = [
        {**rule, "automation_type_id": kind}
        for kind in (1, 3, 4)
        for rule in walk(http, f"{base_url}/automations/{kind}/rules")[0]
    ]
    return served


@pytest.mark.simulator(tickets=30)
def test_new_streams_walked_by_link_equal_their_truth(sim, http):
    served = walk_tree(http, sim.base_url)

    for stream, records in served.items():
        by_id = {r["id"]: r for r in records}
        assert len(by_id) == len(records), f"{stream}: a record listed twice"
        primary_language = sim.account.truth(stream)  # sim.truth adds translations
        assert by_id == {r["id"]: r for r in primary_language}, stream
        assert records, stream
    assert {f["parent_folder_id"] for f in served["solution_folders"]} - {None}
    assert all(
        "automation_type_id" not in r
        for r in http.get(f"{sim.base_url}/automations/1/rules").json()
    )


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


@pytest.mark.simulator(tickets=30)
def test_settings_is_one_object(sim, http):
    settings = http.get(f"{sim.base_url}/settings/helpdesk", params={"per_page": 100})

    assert settings.status_code == 200 and "Link" not in settings.headers
    assert settings.json() == sim.truth("settings")[0]
    assert settings.json()["primary_language"] == "en"


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


@pytest.mark.simulator(tickets=30, clock=lambda: FIXED_NOW)
def test_mutate_edits_records_of_the_incremental_streams(sim, http):
    touched = sim.mutate(
        solution_articles=3, canned_responses=2, discussion_topics=1, discussion_comments=1
    )
    sim.update_record("automation_rules", sim.truth("automation_rules")[0]["id"])

    now = "2026-06-01T12:00:00Z"
    for stream in ("solution_articles", "canned_responses", "discussion_topics"):
        edited = {r["id"] for r in sim.truth(stream) if r["updated_at"] == now}
        assert edited == set(touched[stream]) and edited, stream
    assert sim.truth("automation_rules")[0]["updated_at"] == now
    with pytest.raises(TypeError, match="cannot mutate"):
        sim.mutate(discussion_forums=1)
    assert http.post(f"{sim.base_url.removesuffix('/api/v2')}/_sim/mutate", json={"skills": 1}).ok


ALL_STREAMS = (
    *LIST_PATHS,
    "conversations",
    *FLAT_PATHS,
    *CHILD_STREAMS,
    "automation_rules",
    "settings",
)


@pytest.mark.simulator(tickets=200, contacts=60, companies=20)
def test_truth_of_every_stream_validates_against_the_taps_schema(sim):
    jsonschema = pytest.importorskip("jsonschema")
    sim.add_custom_field("ticket", "cf_added", "custom_decimal")
    sim.mutate(tickets=3, contacts=2, companies=2)

    for stream in ALL_STREAMS:
        schema = json.loads((SCHEMAS / f"{stream}.json").read_text())
        validator = jsonschema.Draft7Validator(
            schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
        )
        records = sim.truth(stream)
        assert records, stream
        for record in records:
            errors = [e.message for e in validator.iter_errors(as_the_tap_emits(record))]
            assert not errors, f"{stream} {record.get('id')}: {errors[:3]}"
