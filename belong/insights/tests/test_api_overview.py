"""The insights summary endpoint: rollup totals, the daily series and the mix, for managers only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, session_client, token_client
from belong.communities.tests.factories import SpaceFactory
from belong.insights.models import Alert, AlertKind
from belong.insights.tests.apidata import MIXED, NEGATIVE, analyse, days_ago, manager_elsewhere, write_posts

pytestmark = pytest.mark.django_db


def summary(community, query=""):
    return f"{API}/communities/{community.slug}/insights/summary{query}"


@pytest.fixture
def analysed(community, space):
    """Eight posts in four languages today, and the four complaints again three days ago in another space."""
    other_space = SpaceFactory(community=community)
    today = analyse(write_posts(space, MIXED))
    earlier = analyse(write_posts(other_space, NEGATIVE, when=days_ago(3)))
    return today, earlier, other_space


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_manager_reads_totals_series_and_mix(auth, community, space, manager, analysed):
    today, earlier, other_space = analysed
    Alert.objects.create(
        community=community,
        kind=AlertKind.NEGATIVE_SHARE,
        day=timezone.now().date(),
        total=8,
        negative=4,
        baseline_share=0.1,
        baseline_negative=1,
        p_value=0.001,
    )
    client = session_client(manager.user) if auth == "session" else token_client(manager.user)
    response = client.get(summary(community, "?days=7"))
    assert response.status_code == 200, response.content
    body = response.json()
    analyses = today + earlier
    assert body["totals"]["posts"] == len(analyses) == 12
    by_label = {label: sum(a.sentiment == label for a in analyses) for label in ("negative", "neutral", "positive")}
    assert {label: body["totals"][label] for label in by_label} == by_label
    assert len(body["series"]) == 7
    assert body["series"][-1]["day"] == timezone.now().date().isoformat() == body["last_day"]
    assert body["series"][-1]["posts"] == 8
    assert body["series"][-4]["posts"] == 4
    assert body["series"][0]["posts"] == 0 and body["series"][0]["mean_score"] is None
    assert -1 <= body["series"][-1]["mean_score"] <= 1
    assert {row["key"]: row["posts"] for row in body["languages"]} == {"en": 3, "pt": 3, "bg": 3, "af": 3}
    assert body["kinds"] == [
        {"key": "discussion", "posts": 12, "negative": by_label["negative"], "positive": by_label["positive"]}
    ]
    assert {row["space"]["slug"]: row["posts"] for row in body["spaces"]} == {space.slug: 8, other_space.slug: 4}
    assert body["open_alerts"] == 1


def test_filters_narrow_the_summary(community, space, manager, analysed):
    _today, _earlier, other_space = analysed
    client = session_client(manager.user)
    body = client.get(summary(community, f"?space={other_space.slug}")).json()
    assert body["totals"]["posts"] == 4 and len(body["series"]) == 30
    assert client.get(summary(community, "?language=bg")).json()["totals"]["posts"] == 3
    assert client.get(summary(community, "?kind=question")).json()["totals"]["posts"] == 0
    one_day = client.get(summary(community, "?days=1")).json()
    assert one_day["totals"]["posts"] == 8 and len(one_day["series"]) == 1


def test_a_community_without_analyses_has_an_empty_summary(community, manager):
    body = session_client(manager.user).get(summary(community, "?days=366")).json()
    assert body["totals"]["posts"] == 0 and body["totals"]["mean_response_seconds"] is None
    assert len(body["series"]) == 366
    assert body["languages"] == body["kinds"] == body["spaces"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?days=0", "days"),
        ("?days=367", "days"),
        ("?days=week", "days"),
        ("?kind=rant", "kind"),
        ("?space=nowhere", "space"),
    ],
)
def test_bad_filters_are_422_problems_on_their_field(community, manager, query, field):
    body = assert_problem(session_client(manager.user).get(summary(community, query)), 422)
    assert field in body["errors"]


def test_members_and_other_communities_managers_are_refused(community, member):
    assert_problem(session_client(member.user).get(summary(community)), 403)
    _other, stranger = manager_elsewhere()
    assert_problem(token_client(stranger).get(summary(community)), 403)
    assert_problem(Client().get(summary(community)), 401)
    assert_problem(session_client(member.user).get(f"{API}/communities/no-such/insights/summary"), 404)


def test_the_summary_costs_the_same_queries_for_more_posts(community, space, manager, django_assert_num_queries):
    from belong.api.tests.helpers import queries_for

    client = session_client(manager.user)
    analyse(write_posts(space, NEGATIVE[:3]))
    few = queries_for(client, summary(community))
    analyse(write_posts(SpaceFactory(community=community), (MIXED * 2)[:12], when=days_ago(2)))
    assert queries_for(client, summary(community)) == few
