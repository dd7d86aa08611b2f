"""Theme endpoints: the list with quotes, one theme with its trend, renaming, linking, merging and rebuilding."""

from __future__ import annotations

import pytest
from django.test import Client

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.conversations.models import ThreadKind
from belong.ideas.tests.factories import IdeaFactory
from belong.insights.models import Theme, ThemePost
from belong.insights.tests.apidata import BATTERY, SHIPPING, analyse, make_themes, manager_elsewhere, write_posts

pytestmark = pytest.mark.django_db


def themes_url(community, rest=""):
    return f"{API}/communities/{community.slug}/insights/themes{rest}"


@pytest.mark.parametrize("auth", ["session", "token"])
def test_a_rebuild_clusters_complaints_in_four_languages_into_themes(auth, community, space, manager):
    analyse(write_posts(space, [*BATTERY, *SHIPPING], kind=ThreadKind.CRITICISM))
    client = session_client(manager.user) if auth == "session" else token_client(manager.user)
    response = send(client, "post", themes_url(community, "/rebuild"))
    assert response.status_code == 200, response.content
    made = response.json()["themes"]
    assert made >= 2
    body = client.get(themes_url(community)).json()
    assert len(body["results"]) == made == Theme.objects.filter(community=community, size__gt=0).count()
    biggest = body["results"][0]
    assert biggest["size"] >= 3 and biggest["terms"] and biggest["title"]
    assert len(biggest["quotes"]) == 2 and biggest["idea"] is None
    quote = biggest["quotes"][0]
    assert quote["language"] in {"en", "pt", "bg", "af"} and quote["excerpt"] and quote["url"]
    assert quote["similarity"] >= biggest["quotes"][1]["similarity"]
    languages = {
        analysis_language
        for analysis_language in ThemePost.objects.filter(theme__community=community).values_list(
            "post__analysis__language", flat=True
        )
    }
    assert {"en", "bg", "pt", "af"} <= languages


def test_the_list_shows_standing_themes_biggest_first_with_their_idea(community, space, manager):
    small, big, merged = make_themes(space, 3)
    Theme.objects.filter(pk=big.pk).update(size=7, name="Battery drain")
    idea = IdeaFactory(thread__space=space, thread__title="Longer battery life")
    Theme.objects.filter(pk=small.pk).update(idea=idea)
    Theme.objects.filter(pk=merged.pk).update(merged_into=big)
    body = session_client(manager.user).get(themes_url(community)).json()
    assert [row["id"] for row in body["results"]] == [big.pk, small.pk]
    assert body["results"][0]["title"] == "Battery drain" == body["results"][0]["name"]
    assert body["results"][1]["title"] == "term0 · battery · support" and body["results"][1]["name"] == ""
    assert body["results"][1]["idea"] == {"id": idea.pk, "title": "Longer battery life"}


def test_the_list_pages_and_costs_the_same_queries_for_3_or_15_themes(community, space, manager):
    client = session_client(manager.user)
    make_themes(space, 3)
    few = queries_for(client, themes_url(community, "?page_size=50"))
    more = make_themes(space, 12)
    Theme.objects.filter(pk__in=[theme.pk for theme in more[::2]]).update(
        idea=IdeaFactory(thread__space=space), name="Named"
    )
    assert queries_for(client, themes_url(community, "?page_size=50")) == few
    first = client.get(themes_url(community, "?page_size=10")).json()
    rest = client.get(themes_url(community, f"?page_size=10&cursor={first['next_cursor']}")).json()
    assert len({row["id"] for row in first["results"] + rest["results"]}) == 15
    assert all(len(row["quotes"]) == 2 for row in first["results"] + rest["results"])


def test_one_theme_has_its_weekly_trend_and_posts_closest_first(community, space, manager):
    [theme] = make_themes(space, 1, per_theme=3)
    body = token_client(manager.user).get(themes_url(community, f"/{theme.pk}")).json()
    assert body["merged_into_id"] is None and body["size"] == 3
    assert len(body["trend"]) == 12 and body["trend"][-1]["posts"] == 3
    assert sum(week["posts"] for week in body["trend"]) == 3
    similarities = [post["similarity"] for post in body["posts"]]
    assert len(similarities) == 3 and similarities == sorted(similarities, reverse=True)
    assert {post["language"] for post in body["posts"]} <= {"en", "pt", "bg", "af"}


def test_a_manager_renames_links_and_unlinks_a_theme(community, space, manager):
    [theme] = make_themes(space, 1)
    idea = IdeaFactory(thread__space=space, thread__title="Bigger battery")
    client = session_client(manager.user)
    address = themes_url(community, f"/{theme.pk}")
    body = send(client, "patch", address, {"name": "Battery drain", "idea_id": idea.pk}).json()
    assert body["title"] == "Battery drain" and body["idea"] == {"id": idea.pk, "title": "Bigger battery"}
    body = send(client, "patch", address, {"idea_id": None}).json()
    assert body["idea"] is None and body["name"] == "Battery drain"
    body = send(client, "patch", address, {"name": ""}).json()
    assert body["name"] == "" and body["title"] == "term0 · battery · support"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Fine", "idea_id": 999999}, "idea_id"),
        ({"idea_id": "one"}, "idea_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_theme_changes_are_422_problems_and_change_nothing(community, space, manager, payload, field):
    [theme] = make_themes(space, 1)
    response = send(session_client(manager.user), "patch", themes_url(community, f"/{theme.pk}"), payload)
    assert field in assert_problem(response, 422)["errors"]
    theme.refresh_from_db()
    assert theme.name == "" and theme.idea_id is None


def test_an_idea_of_another_community_cannot_be_linked(community, space, manager):
    [theme] = make_themes(space, 1)
    other, _stranger = manager_elsewhere()
    theirs = IdeaFactory(thread__space=other.spaces.get())
    response = send(
        session_client(manager.user), "patch", themes_url(community, f"/{theme.pk}"), {"idea_id": theirs.pk}
    )
    assert "idea_id" in assert_problem(response, 422)["errors"]


def test_a_manager_merges_a_theme_into_another(community, space, manager):
    kept, folded = make_themes(space, 2)
    client = session_client(manager.user)
    response = send(client, "post", themes_url(community, f"/{folded.pk}/merge"), {"into_id": kept.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == kept.pk and body["size"] == 4 and len(body["posts"]) == 4
    merged = client.get(themes_url(community, f"/{folded.pk}")).json()
    assert merged["merged_into_id"] == kept.pk and merged["size"] == 0
    assert [row["id"] for row in client.get(themes_url(community)).json()["results"]] == [kept.pk]
    again = send(client, "post", themes_url(community, f"/{folded.pk}/merge"), {"into_id": kept.pk})
    assert_problem(again, 409)


@pytest.mark.parametrize("into", ["itself", "missing", "elsewhere", "none"])
def test_merging_into_a_bad_theme_is_a_422_on_into_id(community, space, manager, into):
    [theme] = make_themes(space, 1)
    other, _stranger = manager_elsewhere()
    targets = {
        "itself": theme.pk,
        "missing": 999999,
        "elsewhere": make_themes(other.spaces.get(), 1)[0].pk,
        "none": None,
    }
    response = send(
        session_client(manager.user), "post", themes_url(community, f"/{theme.pk}/merge"), {"into_id": targets[into]}
    )
    assert "into_id" in assert_problem(response, 422)["errors"]
    theme.refresh_from_db()
    assert theme.merged_into_id is None


def test_members_strangers_and_visitors_are_refused(community, space, member):
    kept, folded = make_themes(space, 2)
    _other, stranger = manager_elsewhere()
    for client, status in ((session_client(member.user), 403), (token_client(stranger), 403), (Client(), 401)):
        assert_problem(client.get(themes_url(community)), status)
        assert_problem(client.get(themes_url(community, f"/{kept.pk}")), status)
        assert_problem(send(client, "patch", themes_url(community, f"/{kept.pk}"), {"name": "Mine"}), status)
        assert_problem(send(client, "post", themes_url(community, f"/{folded.pk}/merge"), {"into_id": kept.pk}), status)
        assert_problem(send(client, "post", themes_url(community, "/rebuild")), status)
    assert not Theme.objects.filter(merged_into__isnull=False).exists()
    assert not Theme.objects.exclude(name="").exists()


def test_a_theme_of_another_community_is_not_found(community, manager):
    other, _stranger = manager_elsewhere()
    [theirs] = make_themes(other.spaces.get(), 1)
    client = session_client(manager.user)
    assert_problem(client.get(themes_url(community, f"/{theirs.pk}")), 404)
    assert_problem(send(client, "patch", themes_url(community, f"/{theirs.pk}"), {"name": "Ours"}), 404)
