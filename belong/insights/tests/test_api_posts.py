"""Analysed-post endpoints: the managers' list, one post's analysis, and correcting its sentiment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.conversations.models import Post
from belong.insights.models import PostAnalysis, SentimentCorrection
from belong.insights.tests.apidata import MIXED, NEGATIVE, POSITIVE, analyse, days_ago, manager_elsewhere, write_posts

pytestmark = pytest.mark.django_db


def list_url(community, query=""):
    return f"{API}/communities/{community.slug}/insights/posts{query}"


def post_url(community, post, rest):
    return f"{API}/communities/{community.slug}/posts/{post.pk}/{rest}"


@pytest.fixture
def analysed(space):
    """Eight posts (a complaint and praise in each of en, pt, bg, af), written a minute apart, oldest first."""
    posts = write_posts(space, MIXED)
    now = timezone.now()
    for n, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(minutes=len(posts) - n))
    return analyse(posts)


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_manager_lists_analysed_posts_newest_first(auth, community, manager, analysed):
    client = session_client(manager.user) if auth == "session" else token_client(manager.user)
    response = client.get(list_url(community))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    expected = sorted(analysed, key=lambda a: (a.posted_at, a.post_id), reverse=True)
    assert [row["post_id"] for row in rows] == [a.post_id for a in expected]
    row = next(row for row in rows if row["language"] == "bg" and row["sentiment"] == "positive")
    assert row["excerpt"].startswith("Много съм доволен") and row["title"]
    assert set(row["probabilities"]) == {"negative", "neutral", "positive"}
    assert abs(sum(row["probabilities"].values()) - 1) < 0.01
    assert row["corrected"] is False and row["model_sentiment"] == "positive"
    assert row["space"]["id"] == analysed[0].space_id and row["kind"] == "discussion"
    assert row["author"]["handle"] and f"#post-{row['post_id']}" in row["url"]


def test_filters_narrow_the_list(community, manager, analysed):
    client = session_client(manager.user)
    negatives = client.get(list_url(community, "?sentiment=negative")).json()["results"]
    assert {row["post_id"] for row in negatives} == {a.post_id for a in analysed if a.sentiment == "negative"}
    afrikaans = client.get(list_url(community, "?language=af")).json()["results"]
    assert len(afrikaans) == 2 and {row["language"] for row in afrikaans} == {"af"}
    assert client.get(list_url(community, "?flagged=true")).json()["results"] == []
    assert len(client.get(list_url(community, "?flagged=false")).json()["results"]) == 8


def test_profanity_is_flagged_and_listed_for_moderators(community, space, manager):
    [analysis] = analyse(write_posts(space, ["This is fucking shit, you idiots broke my phone again."]))
    assert analysis.flagged
    rows = session_client(manager.user).get(list_url(community, "?flagged=true")).json()["results"]
    assert [row["post_id"] for row in rows] == [analysis.post_id]
    assert rows[0]["flagged"] is True and rows[0]["flags"]["reasons"]


def test_hidden_and_deleted_posts_are_left_out(community, manager, analysed):
    Post.objects.filter(pk=analysed[0].post_id).update(is_hidden=True)
    Post.objects.filter(pk=analysed[1].post_id).update(deleted_at=days_ago(0))
    rows = session_client(manager.user).get(list_url(community)).json()["results"]
    assert {row["post_id"] for row in rows} == {a.post_id for a in analysed[2:]}


@pytest.mark.parametrize(
    ("query", "field"),
    [("?sentiment=angry", "sentiment"), ("?flagged=maybe", "flagged"), ("?page_size=0", "page_size")],
)
def test_bad_filters_are_422_problems(community, manager, query, field):
    assert field in assert_problem(session_client(manager.user).get(list_url(community, query)), 422)["errors"]


def test_the_list_pages_and_costs_the_same_queries_for_3_or_15_posts(community, space, manager):
    client = session_client(manager.user)
    analyse(write_posts(space, NEGATIVE[:3]))
    few = queries_for(client, list_url(community, "?page_size=50"))
    analyse(write_posts(space, (MIXED * 2)[:12], when=days_ago(1)))
    assert queries_for(client, list_url(community, "?page_size=50")) == few
    first = client.get(list_url(community, "?page_size=10")).json()
    rest = client.get(list_url(community, f"?page_size=10&cursor={first['next_cursor']}")).json()
    assert len({row["post_id"] for row in first["results"] + rest["results"]}) == 15 and rest["next_cursor"] is None


def test_one_posts_analysis(community, space, manager):
    [analysis] = analyse(write_posts(space, [NEGATIVE[1]]))
    body = token_client(manager.user).get(post_url(community, analysis.post, "analysis")).json()
    assert body["post_id"] == analysis.post_id and body["thread_id"] == analysis.post.thread_id
    assert body["language"] == "pt" and 0 < body["language_confidence"] <= 1
    assert body["sentiment"] == body["model_sentiment"] == "negative" and body["score"] < 0
    assert body["flags"] == analysis.flags and body["flagged"] is False and body["analysed_at"]


def test_a_post_not_analysed_yet_is_a_404_for_reading_and_a_409_for_correcting(community, space, manager):
    [post] = write_posts(space, [POSITIVE[3]])
    client = session_client(manager.user)
    assert_problem(client.get(post_url(community, post, "analysis")), 404)
    assert_problem(send(client, "put", post_url(community, post, "sentiment"), {"label": "negative"}), 409)
    assert not SentimentCorrection.objects.exists()


def test_a_manager_corrects_a_posts_sentiment(community, space, manager):
    [analysis] = analyse(write_posts(space, [POSITIVE[2]]))
    assert analysis.sentiment == "positive"
    response = send(
        session_client(manager.user), "put", post_url(community, analysis.post, "sentiment"), {"label": "neutral"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sentiment"] == "neutral" and body["model_sentiment"] == "positive" and body["corrected"] is True
    correction = SentimentCorrection.objects.get()
    assert (correction.label, correction.model_label, correction.corrected_by) == ("neutral", "positive", manager.user)
    summary = session_client(manager.user).get(f"{API}/communities/{community.slug}/insights/summary?days=1").json()
    assert summary["totals"]["neutral"] == 1 and summary["totals"]["positive"] == 0


@pytest.mark.parametrize(
    ("payload", "field"), [({"label": "angry"}, "label"), ({}, "label"), ({"label": "negative", "why": "x"}, "why")]
)
def test_a_bad_label_is_a_422_problem(community, space, manager, payload, field):
    [analysis] = analyse(write_posts(space, [NEGATIVE[0]]))
    response = send(session_client(manager.user), "put", post_url(community, analysis.post, "sentiment"), payload)
    assert field in assert_problem(response, 422)["errors"]
    assert not PostAnalysis.objects.filter(corrected=True).exists()


def test_members_strangers_and_visitors_are_refused(community, space, member):
    [analysis] = analyse(write_posts(space, [NEGATIVE[3]]))
    _other, stranger = manager_elsewhere()
    for client, status in ((session_client(member.user), 403), (token_client(stranger), 403), (Client(), 401)):
        assert_problem(client.get(list_url(community)), status)
        assert_problem(client.get(post_url(community, analysis.post, "analysis")), status)
        assert_problem(
            send(client, "put", post_url(community, analysis.post, "sentiment"), {"label": "positive"}), status
        )
    assert not SentimentCorrection.objects.exists()


def test_a_post_of_another_community_is_not_found(community, manager):
    other, _stranger = manager_elsewhere()
    [theirs] = analyse(write_posts(other.spaces.get(), [NEGATIVE[2]]))
    client = session_client(manager.user)
    assert_problem(client.get(post_url(community, theirs.post, "analysis")), 404)
    assert_problem(send(client, "put", post_url(community, theirs.post, "sentiment"), {"label": "positive"}), 404)
