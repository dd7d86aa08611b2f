"""The badges' API: the catalogue, a community's own badges, holders, awards by hand and a member's badges."""

from __future__ import annotations

import pytest
from django.test import Client

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.recognition import badges
from belong.recognition.defaults import badges_of
from belong.recognition.models import Badge, BadgeAward, PointsEntry

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


def give(manager, membership, key="event-attendee", reason="Esteve no encontro"):
    return badges.award_badge(actor=manager.user, membership=membership, key=key, reason=reason)


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def boss(manager) -> Client:
    return token_client(manager.user)


# The catalogue


def test_anyone_lists_the_badges_built_in_first_with_holders(anonymous, community, manager, member):
    give(manager, member, "helpful")
    response = anonymous.get(url(community, "/badges"), {"page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows[0]["key"] == "welcome"
    helpful = next(row for row in rows if row["key"] == "helpful")
    assert helpful == {
        "key": "helpful", "name": "Helpful", "description": "Received ten “Helpful” reactions.", "icon": "🤝",
        "tier": "bronze", "repeatable": False, "builtin": True, "automatic": True, "is_enabled": True,
        "holder_count": 1,
    }  # fmt: skip
    attendee = next(row for row in rows if row["key"] == "event-attendee")
    assert (attendee["automatic"], attendee["repeatable"]) == (False, True)


def test_switched_off_badges_are_listed_for_managers_only(anonymous, boss, community):
    badges_of(community.pk)
    Badge.objects.filter(community=community, key="voice").update(is_enabled=False)

    def listed(client):
        return {row["key"] for row in client.get(url(community, "/badges"), {"page_size": 100}).json()["results"]}

    assert "voice" not in listed(anonymous)
    assert "voice" in listed(boss)


def test_the_catalogue_pages_with_a_cursor(anonymous, community):
    badges_of(community.pk)
    seen, cursor = [], None
    while True:
        response = anonymous.get(url(community, "/badges"), {"page_size": 5, **({"cursor": cursor} if cursor else {})})
        body = response.json()
        seen += [row["key"] for row in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == list(badges.catalogue_of(community).values_list("key", flat=True))


def test_the_catalogue_costs_the_same_queries_for_15_badges_as_for_3(community, manager, make_member):
    client = session_client(manager.user)

    def make(count):
        for _ in range(count):
            badge = badges.create_badge(
                actor=manager.user, community=community, key=f"own-{Badge.objects.count()}", name="Own"
            )
            give(manager, make_member(), badge.key)

    make(3)
    address = url(community, "/badges?page_size=100")
    few = queries_for(client, address)
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(client, address) == few


def test_a_badge_of_an_unknown_community_or_key_is_a_404_problem(anonymous, community):
    assert_problem(anonymous.get(f"{API}/communities/nowhere/badges"), 404)
    body = assert_problem(anonymous.get(url(community, "/badges/unicorn")), 404)
    assert "unicorn" in body["detail"]


# A community's own badges


@pytest.mark.parametrize(
    ("key", "name"), [("лектор", "Лектор"), ("orador", "Orador do encontro"), ("spreker", "Spreker by die byeenkoms")]
)
def test_a_manager_creates_changes_and_deletes_a_badge(boss, community, key, name):
    response = send(boss, "post", url(community, "/badges"), {"key": key, "name": name, "icon": "🎤", "tier": "gold"})
    assert response.status_code == 201, response.content
    assert response.json()["name"] == name
    assert response.json()["holder_count"] == 0
    response = send(boss, "patch", url(community, f"/badges/{key}"), {"repeatable": True, "is_enabled": False})
    assert response.status_code == 200
    assert (response.json()["repeatable"], response.json()["is_enabled"]) == (True, False)
    assert send(boss, "delete", url(community, f"/badges/{key}")).status_code == 204
    assert not Badge.objects.filter(community=community, key=key).exists()


def test_a_taken_key_is_a_409_problem_naming_the_field(boss, community):
    badges_of(community.pk)
    body = assert_problem(send(boss, "post", url(community, "/badges"), {"key": "helpful", "name": "Again"}), 409)
    assert "key" in body["errors"]


def test_a_built_in_badge_cannot_be_deleted_or_made_repeatable(boss, community):
    badges_of(community.pk)
    assert_problem(send(boss, "delete", url(community, "/badges/welcome")), 409)
    body = assert_problem(send(boss, "patch", url(community, "/badges/welcome"), {"repeatable": True}), 422)
    assert "repeatable" in body["errors"]


def test_members_cannot_create_badges(community, member):
    response = send(token_client(member.user), "post", url(community, "/badges"), {"key": "mine", "name": "Mine"})
    assert_problem(response, 403)


def test_creating_a_badge_needs_a_signed_in_caller(anonymous, community):
    assert_problem(send(anonymous, "post", url(community, "/badges"), {"key": "mine", "name": "Mine"}), 401)


# Holders and awards


def test_a_manager_gives_a_badge_by_handle_and_it_is_listed_among_holders(boss, anonymous, community, member):
    response = send(
        boss, "post", url(community, "/badges/event-attendee/awards"),
        {"handle": f"@{member.user.handle}", "reason": "Praatjie in Kaapstad", "source": "kaapstad-2025"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    award = response.json()
    assert (award["person"]["handle"], award["source"], award["reason"]) == (
        member.user.handle, "manual:kaapstad-2025", "Praatjie in Kaapstad"
    )  # fmt: skip
    assert award["badge"]["key"] == "event-attendee"
    assert award["awarded_by"] is not None
    holders = anonymous.get(url(community, "/badges/event-attendee/holders")).json()["results"]
    assert [row["id"] for row in holders] == [award["id"]]


def test_giving_an_unknown_badge_is_a_404_naming_it(boss, community, member):
    response = send(boss, "post", url(community, "/badges/nobel/awards"), {"handle": member.user.handle, "reason": "x"})
    assert "nobel" in assert_problem(response, 404)["detail"]


def test_giving_a_badge_to_someone_not_a_member_is_a_422_problem(boss, community):
    outsider = MembershipFactory(community=CommunityFactory()).user
    response = send(
        boss, "post", url(community, "/badges/helpful/awards"), {"handle": outsider.handle, "reason": "Thanks"}
    )
    assert "handle" in assert_problem(response, 422)["errors"]


def test_giving_a_held_once_only_badge_is_a_409_problem(boss, community, manager, member):
    give(manager, member, "helpful")
    response = send(
        boss, "post", url(community, "/badges/helpful/awards"), {"handle": member.user.handle, "reason": "x"}
    )
    assert_problem(response, 409)


def test_giving_oneself_a_badge_is_a_403_problem(boss, community, manager):
    response = send(
        boss, "post", url(community, "/badges/helpful/awards"), {"handle": manager.user.handle, "reason": "Me"}
    )
    assert "yourself" in assert_problem(response, 403)["detail"]


def test_a_member_cannot_give_badges(community, member, make_member):
    response = send(
        token_client(member.user), "post", url(community, "/badges/helpful/awards"),
        {"handle": make_member().user.handle, "reason": "Friend"},
    )  # fmt: skip
    assert_problem(response, 403)


def test_a_manager_takes_a_badge_back_and_its_points_are_reversed(boss, community, manager, member):
    award = give(manager, member, "helpful")
    response = boss.delete(url(community, f"/badge-awards/{award.pk}?reason=Sock%20puppet"))
    assert response.status_code == 204
    assert not BadgeAward.objects.filter(pk=award.pk).exists()
    assert sum(PointsEntry.objects.filter(source="badge:helpful:once").values_list("delta", flat=True)) == 0
    assert_problem(boss.delete(url(community, f"/badge-awards/{award.pk}")), 404)


def test_a_member_cannot_take_badges_back(community, manager, member, make_member):
    award = give(manager, make_member(), "helpful")
    assert_problem(token_client(member.user).delete(url(community, f"/badge-awards/{award.pk}")), 403)


def test_the_holders_cost_the_same_queries_for_15_as_for_3(community, manager, make_member):
    client = session_client(manager.user)

    def make(count):
        for _ in range(count):
            give(manager, make_member())

    make(3)
    address = url(community, "/badges/event-attendee/holders?page_size=100")
    few = queries_for(client, address)
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(client, address) == few


# A member's badges


def test_a_members_badges_show_each_badge_once_with_how_often(anonymous, community, manager, member):
    give(manager, member, "event-attendee", "Sofia")
    give(manager, member, "event-attendee", "Lisboa")
    give(manager, member, "helpful")
    response = anonymous.get(url(community, f"/members/{member.user.handle}/badges"))
    assert response.status_code == 200
    assert [(row["key"], row["times"]) for row in response.json()] == [("helpful", 1), ("event-attendee", 2)]


def test_the_badges_of_someone_not_a_member_are_a_404_problem(anonymous, community):
    outsider = MembershipFactory(community=CommunityFactory()).user
    assert_problem(anonymous.get(url(community, f"/members/{outsider.handle}/badges")), 404)


def test_a_members_badges_cost_the_same_queries_for_15_badges_as_for_3(community, manager, member, make_member):
    client = session_client(make_member().user)

    def make(count):
        for _ in range(count):
            badge = badges.create_badge(
                actor=manager.user, community=community, key=f"own-{Badge.objects.count()}", name="Own"
            )
            give(manager, member, badge.key)

    make(3)
    address = url(community, f"/members/{member.user.handle}/badges")
    few = queries_for(client, address)
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(client, address) == few
