"""Similar threads: the threads most like one, by meaning and across languages, for whoever may see them."""

from __future__ import annotations

import pytest

from belong.api.tests.helpers import API, assert_problem, session_client, token_client
from belong.conversations.models import Thread
from belong.insights.tests.apidata import BATTERY, POSITIVE, SHIPPING, analyse, write_posts

pytestmark = pytest.mark.django_db


def similar_url(community, thread, query=""):
    return f"{API}/communities/{community.slug}/threads/{thread.pk}/similar{query}"


@pytest.fixture
def threads(settings, space):
    """Battery complaints in English, Portuguese and Afrikaans, a Bulgarian shipping complaint and praise."""
    settings.BELONG_INSIGHTS_ENABLED = True
    texts = [BATTERY[0], BATTERY[3], BATTERY[4], SHIPPING[2], SHIPPING[3], POSITIVE[1], POSITIVE[3]]
    posts = write_posts(space, texts)
    analyse(posts)
    return [post.thread for post in posts]


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_member_finds_the_same_complaint_in_other_languages_first(auth, community, member, threads):
    client = session_client(member.user) if auth == "session" else token_client(member.user)
    response = client.get(similar_url(community, threads[0]))
    assert response.status_code == 200, response.content
    found = response.json()
    assert threads[0].pk not in {row["id"] for row in found}
    battery = {threads[1].pk, threads[2].pk}
    assert found and found[0]["id"] in battery
    ranks = [row["id"] in battery for row in found]
    assert ranks == sorted(ranks, reverse=True), "a battery complaint ranks below another subject"
    similarities = [row["similarity"] for row in found]
    assert similarities == sorted(similarities, reverse=True) and similarities[0] <= 1
    assert found[0]["space"]["slug"] and found[0]["title"]


def test_the_limit_bounds_the_answer_and_is_validated(community, member, threads):
    client = session_client(member.user)
    assert len(client.get(similar_url(community, threads[3], "?limit=1")).json()) <= 1
    for limit in ("0", "21", "many"):
        assert (
            "limit" in assert_problem(client.get(similar_url(community, threads[3], f"?limit={limit}")), 422)["errors"]
        )


def test_hidden_threads_are_neither_asked_about_nor_found_by_members(community, member, threads):
    Thread.objects.filter(pk__in=[threads[1].pk, threads[2].pk]).update(is_hidden=True)
    client = session_client(member.user)
    assert {threads[1].pk, threads[2].pk}.isdisjoint(
        row["id"] for row in client.get(similar_url(community, threads[0])).json()
    )
    assert_problem(client.get(similar_url(community, threads[1])), 404)


def test_an_unknown_thread_is_a_404(community, member):
    assert_problem(session_client(member.user).get(f"{API}/communities/{community.slug}/threads/999999/similar"), 404)
