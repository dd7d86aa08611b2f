"""bench/load.py's pieces on a tiny generated community: addresses, query counts, signed-in members, wrk scripts.

wrk itself is not run here (the benchmark is not a test); what it would send is sent with Django's
test client instead, CSRF checks on, so a change that breaks the benchmark's requests fails here.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import quote_plus, unquote_plus

import pytest
from django.test import Client

from belong.conversations.models import Post
from bench import generate as bench
from bench import load
from bench.content import SEARCH_TERM
from bench.discussions import Sizes

pytestmark = pytest.mark.django_db

SLUG = "gen"


@pytest.fixture
def scenarios() -> list[load.Scenario]:
    bench.generate(slug=SLUG, members=60, sizes=Sizes(threads=12, posts=200, ideas=3, reactions=120, votes=25),
                   invitations=3, seed=7)  # fmt: skip
    return load.scenarios_for(SLUG, connections=16, reply_clients=2, search_term=SEARCH_TERM)


def by_name(scenarios: list[load.Scenario]) -> dict[str, load.Scenario]:
    return {scenario.name: scenario for scenario in scenarios}


def member_client(member: dict[str, str]) -> Client:
    client = Client(enforce_csrf_checks=True)
    for name, morsel in SimpleCookie(member["cookie"]).items():
        client.cookies[name] = morsel.value
    return client


def test_the_pages_of_the_issue_are_measured_and_answer(scenarios):
    pages = by_name(scenarios)
    assert set(load.TARGETS) <= set(pages)
    assert {"idea board", "member profile", "thread page, signed in"} <= set(pages)
    for path in pages["thread page"].paths:  # only threads of 51 posts
        thread_id = int(path.rstrip("/").rsplit("/", 1)[1])
        assert Post.objects.filter(thread_id=thread_id).count() == 51
    counts = load.count_queries(scenarios)
    assert set(counts) == {s.name for s in scenarios if not s.signed_in}
    assert all(0 < count <= 8 for count in counts.values()), counts


def test_signed_in_members_read_and_reply_as_wrk_would(scenarios):
    members, keys = load.sign_in_members(SLUG, 2)
    assert len(members) == 2 and len(keys) == 2
    pages = by_name(scenarios)
    client = member_client(members[0])
    assert client.get(pages["thread list, signed in"].paths[0]).context["user"].is_authenticated
    reply_path = pages["replies"].paths[0]
    before = Post.objects.count()
    for text in load.REPLY_TEXTS:  # the body the Lua script sends, unique each time
        response = client.post(reply_path, {"body": f"{text} (1-{len(text)})"}, HTTP_X_CSRFTOKEN=members[0]["csrf"])
        assert response.status_code == 302, response.content[:300]
    assert Post.objects.count() == before + len(load.REPLY_TEXTS)
    refused = member_client(members[1]).post(reply_path, {"body": "Sonder teken"})
    assert refused.status_code == 403  # no CSRF header: the benchmark's token is what lets it post
    load.sign_out_members(keys)
    assert not member_client(members[0]).get(pages["thread list, signed in"].paths[0]).context["user"].is_authenticated


def test_the_wrk_scripts_are_ascii_lua_with_every_placeholder_filled(scenarios):
    members, keys = load.sign_in_members(SLUG, 2)
    pages = by_name(scenarios)
    for scenario in scenarios:
        scenario.members = members if scenario.signed_in else []
        script = load.lua_script(scenario, 302 if scenario.method == "POST" else 200)
        assert script.isascii() and "%(" not in script
        assert f'local method = "{scenario.method}"' in script
        assert scenario.paths[0] in script
    replies = load.lua_script(pages["replies"], 302)
    assert "status ~= 302" in replies and members[0]["csrf"] in replies
    for text in load.REPLY_TEXTS:
        encoded = quote_plus(text)
        assert load.lua_string(encoded) in replies and unquote_plus(encoded) == text
    load.sign_out_members(keys)


def test_the_report_table_names_targets_and_cache_hits():
    row = {
        "page": "thread list", "req_per_s": 1654.2, "target_req_per_s": 500, "p50_ms": 9.4, "p95_ms": 11.7,
        "p99_ms": 15.6, "cache_hit_share": 1.0, "sql_queries": 5, "body_bytes": 25874, "errors": 0,
        "unexpected_status": 0,
    }  # fmt: skip
    table = load.table({"results": [row, {**row, "page": "replies", "target_req_per_s": 150, "sql_queries": None}]})
    lines = table.splitlines()
    assert lines[2] == "| thread list | 1654 | 500 | 9.4 | 11.7 | 15.6 | 100% | 5 | 25874 | 0 |"
    assert lines[3].startswith("| replies | 1654 | 150 |") and "| – |" in lines[3]
