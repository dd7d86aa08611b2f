"""Alert endpoints: the list, one alert with the posts behind it, and acknowledging or resolving it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.core.models import Activity
from belong.insights.models import Alert, AlertKind, AlertState
from belong.insights.tests.apidata import NEGATIVE, POSITIVE, analyse, manager_elsewhere, write_posts

pytestmark = pytest.mark.django_db


def alerts_url(community, rest=""):
    return f"{API}/communities/{community.slug}/insights/alerts{rest}"


def make_alert(community, *, days_ago=0, state=AlertState.OPEN, posts=(), kind=AlertKind.NEGATIVE_SHARE):
    alert = Alert.objects.create(
        community=community,
        kind=kind,
        day=timezone.now().date() - timedelta(days=days_ago),
        state=state,
        total=20,
        negative=len(posts) or 9,
        baseline_share=0.12,
        baseline_negative=2.5,
        p_value=0.0004,
    )
    alert.posts.set(posts)
    return alert


@pytest.fixture
def complaints(space):
    """The four complaints (en, pt, bg, af), analysed, plus a happy post that is not behind the alert."""
    analyses = analyse(write_posts(space, [*NEGATIVE, POSITIVE[0]]))
    return [analysis.post for analysis in analyses[:4]]


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_manager_lists_alerts_latest_day_first(auth, community, manager, complaints):
    old = make_alert(community, days_ago=5, state=AlertState.RESOLVED)
    new = make_alert(community, posts=complaints)
    client = session_client(manager.user) if auth == "session" else token_client(manager.user)
    response = client.get(alerts_url(community))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["id"] for row in body["results"]] == [new.pk, old.pk]
    first = body["results"][0]
    assert first["kind"] == "negative_share" and first["state"] == "open"
    assert first["post_count"] == 4 and first["share"] == 0.2
    assert first["description"] and first["handled_by"] is None
    assert body["next_cursor"] is None


def test_the_state_filter_narrows_the_list(community, manager):
    make_alert(community, days_ago=1)
    resolved = make_alert(community, days_ago=2, state=AlertState.RESOLVED)
    body = session_client(manager.user).get(alerts_url(community, "?state=resolved")).json()
    assert [row["id"] for row in body["results"]] == [resolved.pk]
    assert_problem(session_client(manager.user).get(alerts_url(community, "?state=closed")), 422)


def test_the_list_pages_with_cursors(community, manager):
    alerts = [make_alert(community, days_ago=n) for n in range(5)]
    client = session_client(manager.user)
    first = client.get(alerts_url(community, "?page_size=3")).json()
    second = client.get(alerts_url(community, f"?page_size=3&cursor={first['next_cursor']}")).json()
    assert [row["id"] for row in first["results"] + second["results"]] == [alert.pk for alert in alerts]
    assert second["next_cursor"] is None
    assert "cursor" in assert_problem(client.get(alerts_url(community, "?cursor=nonsense")), 422)["errors"]


def test_the_list_costs_the_same_queries_for_3_or_15_alerts(community, manager, complaints):
    client = session_client(manager.user)
    for n in range(3):
        make_alert(community, days_ago=n, posts=complaints)
    few = queries_for(client, alerts_url(community, "?page_size=50"))
    for n in range(3, 15):
        make_alert(community, days_ago=n, posts=complaints[:2], kind=AlertKind.NEGATIVE_VOLUME)
    Alert.objects.filter(community=community).update(handled_by=manager.user)
    assert queries_for(client, alerts_url(community, "?page_size=50")) == few


def test_one_alert_shows_the_posts_behind_it_most_negative_first(community, manager, complaints):
    alert = make_alert(community, posts=complaints)
    body = token_client(manager.user).get(alerts_url(community, f"/{alert.pk}")).json()
    posts = body["posts"]
    assert {post["id"] for post in posts} == {post.pk for post in complaints}
    assert [post["score"] for post in posts] == sorted(post["score"] for post in posts)
    assert {post["language"] for post in posts} == {"en", "pt", "bg", "af"}
    portuguese = next(post for post in posts if post["language"] == "pt")
    assert portuguese["excerpt"].startswith("O produto chegou partido")
    assert portuguese["title"] and portuguese["sentiment"] == "negative"
    thread_page = reverse("conversations:thread", args=[community.slug, portuguese["thread_id"]])
    assert portuguese["url"] == f"{thread_page}#post-{portuguese['id']}"


def test_a_manager_acknowledges_then_resolves_an_alert_with_a_note(community, manager, complaints):
    alert = make_alert(community, posts=complaints)
    client = session_client(manager.user)
    address = alerts_url(community, f"/{alert.pk}/state")
    response = send(client, "post", address, {"state": "acknowledged", "note": "Talking to the warehouse."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "acknowledged" and body["note"] == "Talking to the warehouse."
    assert body["handled_by"]["id"] == manager.user.pk and len(body["posts"]) == 4
    body = send(client, "post", address, {"state": "resolved"}).json()
    assert body["state"] == "resolved" and body["note"] == "Talking to the warehouse."
    assert Activity.objects.filter(verb="insights.alert_resolved").exists()


def test_the_state_it_is_in_already_is_a_409(community, manager):
    alert = make_alert(community)
    assert_problem(
        send(session_client(manager.user), "post", alerts_url(community, f"/{alert.pk}/state"), {"state": "open"}), 409
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"state": "closed"}, "state"),
        ({}, "state"),
        ({"state": "resolved", "note": "x" * 2001}, "note"),
        ({"state": "resolved", "extra": 1}, "extra"),
    ],
)
def test_bad_state_changes_are_422_problems(community, manager, payload, field):
    alert = make_alert(community)
    response = send(session_client(manager.user), "post", alerts_url(community, f"/{alert.pk}/state"), payload)
    assert field in assert_problem(response, 422)["errors"]
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_members_strangers_and_visitors_are_refused(community, member):
    alert = make_alert(community)
    _other, stranger = manager_elsewhere()
    for client, status in ((session_client(member.user), 403), (token_client(stranger), 403), (Client(), 401)):
        assert_problem(client.get(alerts_url(community)), status)
        assert_problem(client.get(alerts_url(community, f"/{alert.pk}")), status)
        assert_problem(send(client, "post", alerts_url(community, f"/{alert.pk}/state"), {"state": "resolved"}), status)
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_an_alert_of_another_community_is_not_found(community, manager):
    other, _stranger = manager_elsewhere()
    theirs = make_alert(other)
    client = session_client(manager.user)
    assert_problem(client.get(alerts_url(community, f"/{theirs.pk}")), 404)
    assert_problem(send(client, "post", alerts_url(community, f"/{theirs.pk}/state"), {"state": "resolved"}), 404)
