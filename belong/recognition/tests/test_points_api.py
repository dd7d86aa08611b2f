"""The points API: leaderboards, rules and settings, a member's points and history, points given or cancelled."""

from __future__ import annotations

import pytest
from django.test import Client

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.recognition import ledger, points
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.models import EntryKind, PointsEntry, PointsRule, RuleKey

pytestmark = pytest.mark.django_db

REASONS = {
    "bg": "За организирането на дегустацията",
    "pt": "Pela organização da prova de cafés",
    "af": "Vir die reël van die koffieproe",
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(community, tail):
    return f"{API}/communities/{community.slug}{tail}"


def earn(membership, amount=15, space=None, source=None):
    return ledger.award(
        community_id=membership.community_id,
        user_id=membership.user_id,
        rule=RuleKey.ANSWER_ACCEPTED,
        source=source or f"post:{membership.pk}-{amount}:accepted",
        space_id=space.pk if space else None,
    )


# Leaderboards


def test_anyone_reads_the_leaderboard(community, make_member, commit):
    first, second = make_member(user__display_name="Ана Петрова"), make_member()
    with commit():
        earn(first)
        earn(first, source="post:x:accepted")
        earn(second)
    response = Client().get(url(community, "/leaderboard"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == "week" and body["since"] is not None and body["me"] is None
    assert body["include_staff"] is False
    assert [(r["position"], r["user"]["handle"], r["points"]) for r in body["results"]] == [
        (1, first.user.handle, 30),
        (2, second.user.handle, 15),
    ]
    assert body["results"][0]["user"]["name"] == "Ана Петрова"


def test_the_leaderboard_gives_your_own_place(community, member, make_member, commit):
    with commit():
        earn(make_member(), 15)
        earn(make_member(), 15, source="post:other:accepted")
        earn(member, 15, source="post:mine:accepted")
    PointsRule.objects.filter(community=community, key=RuleKey.ANSWER_ACCEPTED).update(points=15)
    body = token_client(member.user).get(url(community, "/leaderboard?period=all&limit=1")).json()
    assert len(body["results"]) == 1
    assert (body["me"]["position"], body["me"]["points"], body["me"]["user"]["handle"]) == (1, 15, member.user.handle)
    assert body["since"] is None


def test_the_leaderboard_of_a_space_and_with_staff(community, member, make_member, commit):
    space = SpaceFactory(community=community, slug="espresso")
    staff = make_member(Role.STAFF)
    with commit():
        earn(member, space=space)
        earn(staff, space=space)
    body = Client().get(url(community, "/leaderboard?space=espresso&include_staff=true&period=month")).json()
    assert body["space"]["slug"] == "espresso"
    assert {r["user"]["handle"] for r in body["results"]} == {member.user.handle, staff.user.handle}
    without = Client().get(url(community, "/leaderboard?space=espresso")).json()
    assert [r["user"]["handle"] for r in without["results"]] == [member.user.handle]


@pytest.mark.parametrize("query", ["period=year", "space=nowhere", "limit=0", "limit=101", "include_staff=maybe"])
def test_bad_leaderboard_filters_are_problems(community, query):
    assert_problem(Client().get(url(community, f"/leaderboard?{query}")), 422)


def test_a_restricted_space_is_unknown_to_those_who_cannot_see_it(community, member):
    SpaceFactory(community=community, slug="vip", visibility=SpaceVisibility.RESTRICTED)
    body = assert_problem(session_client(member.user).get(url(community, "/leaderboard?space=vip")), 422)
    assert "space" in body["errors"]


def test_a_reversal_shows_at_once_through_the_api(community, member, make_member, commit):
    rival = make_member()
    with commit():
        entry = earn(member, source="post:1:accepted")
        earn(rival, source="post:2:accepted")
    client = Client()
    assert len(client.get(url(community, "/leaderboard")).json()["results"]) == 2
    with commit():
        ledger.reverse(community_id=community.pk, source="post:1:", prefix=True)
    assert [r["user"]["id"] for r in client.get(url(community, "/leaderboard")).json()["results"]] == [rival.user_id]
    assert entry.reversal is not None


def test_the_leaderboard_costs_the_same_queries_for_15_members_as_for_3(community, member, make_member, commit):
    client = session_client(member.user)
    settings_of(community.pk)

    def make(how_many: int) -> int:
        with commit():
            for _n in range(how_many):
                earn(make_member())
        return queries_for(client, url(community, "/leaderboard?period=all"))

    few = make(3)
    assert make(12) == few


# Rules


def test_anyone_reads_the_rules(community):
    response = Client().get(url(community, "/points/rules"))
    assert response.status_code == 200
    rules = {rule["key"]: rule for rule in response.json()["results"]}
    assert set(rules) == set(RuleKey.values)
    assert (rules["answer_accepted"]["points"], rules["answer_accepted"]["daily_cap"]) == (15, None)
    assert rules["reply"]["label"] == str(RuleKey.REPLY.label)


@pytest.mark.parametrize("language", ["bg", "pt", "af"])
def test_rule_labels_follow_the_readers_language(community, language):
    from django.utils import translation

    response = Client().get(url(community, "/points/rules"), headers={"Accept-Language": language})
    labels = {rule["key"]: rule["label"] for rule in response.json()["results"]}
    with translation.override(language):
        assert labels["reply"] == str(RuleKey.REPLY.label)


def test_a_manager_changes_rules(community, manager):
    response = send(
        token_client(manager.user),
        "patch",
        url(community, "/points/rules"),
        {"rules": {"reply": {"points": 2, "daily_cap": None}, "idea_shipped": {"points": 80}}},
    )
    assert response.status_code == 200, response.content
    rules = {rule["key"]: rule for rule in response.json()}
    assert (rules["reply"]["points"], rules["reply"]["daily_cap"]) == (2, None)
    assert (rules["idea_shipped"]["points"], rules["idea_shipped"]["daily_cap"]) == (80, None)


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"reply": {"daily_cap": -1}}, "reply.daily_cap"),
        ({"reply": {"points": -1}}, "reply.points"),
        ({"reply": {"points": 5000}}, "reply.points"),
        ({"made_up": {"points": 1}}, "made_up"),
    ],
)
def test_bad_rules_are_422_problems_and_nothing_changes(community, manager, rules, field):
    client = token_client(manager.user)
    response = send(
        client, "patch", url(community, "/points/rules"), {"rules": {"thread_started": {"points": 9}, **rules}}
    )
    body = assert_problem(response, 422)
    assert field in body["errors"]
    assert rules_of(community.pk)["thread_started"].points == 2


@pytest.mark.parametrize(
    "payload",
    [{"rules": {"reply": {"points": None}}}, {"rules": {"reply": {"points": "2"}}}, {"reply": {"points": 2}}, {}],
)
def test_malformed_rule_changes_are_422_problems(community, manager, payload):
    assert_problem(send(token_client(manager.user), "patch", url(community, "/points/rules"), payload), 422)


def test_members_cannot_change_rules(community, member):
    response = send(
        token_client(member.user), "patch", url(community, "/points/rules"), {"rules": {"reply": {"points": 99}}}
    )
    assert_problem(response, 403)


def test_visitors_cannot_change_rules(community):
    assert_problem(send(Client(), "patch", url(community, "/points/rules"), {"rules": {}}), 401)


# Settings


def test_a_manager_reads_and_changes_the_settings(community, manager):
    client = token_client(manager.user)
    assert client.get(url(community, "/points/settings")).json() == {
        "pair_daily_cap": 30,
        "leaderboard_includes_staff": False,
    }
    response = send(client, "patch", url(community, "/points/settings"), {"pair_daily_cap": 20})
    assert response.status_code == 200, response.content
    assert response.json() == {"pair_daily_cap": 20, "leaderboard_includes_staff": False}


@pytest.mark.parametrize(
    "payload", [{"pair_daily_cap": -1}, {"pair_daily_cap": None}, {"pair_daily_cap": "5"}, {"colour": "blue"}]
)
def test_bad_settings_are_422_problems(community, manager, payload):
    response = send(token_client(manager.user), "patch", url(community, "/points/settings"), payload)
    assert_problem(response, 422)
    assert settings_of(community.pk).pair_daily_cap == 30


def test_members_cannot_read_or_change_the_settings(community, member):
    client = token_client(member.user)
    assert_problem(client.get(url(community, "/points/settings")), 403)
    assert_problem(send(client, "patch", url(community, "/points/settings"), {"pair_daily_cap": 0}), 403)


# A member's points


def test_anyone_reads_a_members_total_and_rank(community, member, commit):
    with commit():
        earn(member)
    response = Client().get(url(community, f"/members/{member.user.handle}/points"))
    assert response.status_code == 200
    body = response.json()
    assert (body["user"]["handle"], body["total"]) == (member.user.handle, 15)
    assert body["rank"]["min_points"] == 0


def test_a_non_member_has_no_points_here(community, user):
    assert_problem(Client().get(url(community, f"/members/{user.handle}/points")), 404)
    assert_problem(Client().get(url(community, "/members/nobody/points")), 404)


def test_a_member_reads_their_own_history_paginated(community, member, manager):
    for n in range(3):
        points.give_points(actor=manager.user, membership=member, points=n + 1, reason=REASONS["pt"])
    client = token_client(member.user)
    first = client.get(url(community, f"/members/{member.user.handle}/points/history?page_size=2")).json()
    assert [line["delta"] for line in first["results"]] == [3, 2]
    line = first["results"][0]
    assert (line["kind"], line["reason"], line["cancelled"], line["awarded_by"]["id"]) == (
        "manual",
        REASONS["pt"],
        False,
        manager.user_id,
    )
    rest = client.get(
        url(community, f"/members/{member.user.handle}/points/history?page_size=2&cursor={first['next_cursor']}")
    ).json()
    assert [line["delta"] for line in rest["results"]] == [1]


def test_a_member_cannot_read_someone_elses_history(community, member, make_member):
    other = make_member()
    assert_problem(token_client(member.user).get(url(community, f"/members/{other.user.handle}/points/history")), 403)
    assert_problem(Client().get(url(community, f"/members/{other.user.handle}/points/history")), 401)


def test_the_history_costs_the_same_queries_for_15_lines_as_for_3(community, member, manager):
    client = session_client(manager.user)

    def make(how_many: int) -> int:
        for n in range(how_many):
            entry = points.give_points(actor=manager.user, membership=member, points=n + 1, reason="Thanks")
            if n % 2:
                points.cancel_entry(actor=manager.user, entry=entry, reason="Undo")
        return queries_for(client, url(community, f"/members/{member.user.handle}/points/history?page_size=50"))

    few = make(3)
    assert make(12) == few


# Points by hand


@pytest.mark.parametrize("language", sorted(REASONS))
def test_a_manager_gives_points(community, member, manager, language):
    response = send(
        token_client(manager.user),
        "post",
        url(community, f"/members/{member.user.handle}/points"),
        {"points": 25, "reason": REASONS[language]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["delta"], body["kind"], body["reason"], body["label"]) == (
        25,
        "manual",
        REASONS[language],
        str(EntryKind.MANUAL.label),
    )
    assert points.standing_of(community.pk, member.user_id)[0] == 25


@pytest.mark.parametrize(
    "payload",
    [
        {"points": 0, "reason": "Zero"},
        {"points": 1001, "reason": "Too many"},
        {"points": 5, "reason": ""},
        {"points": 5},
        {"points": "5", "reason": "Text"},
        {"points": 5, "reason": "Fine", "extra": 1},
    ],
)
def test_bad_points_by_hand_are_422_problems(community, member, manager, payload):
    response = send(
        token_client(manager.user), "post", url(community, f"/members/{member.user.handle}/points"), payload
    )
    assert_problem(response, 422)
    assert not PointsEntry.objects.exists()


def test_members_and_managers_themselves_are_refused(community, member, manager, make_member):
    other = make_member()
    address = url(community, f"/members/{other.user.handle}/points")
    assert_problem(send(token_client(member.user), "post", address, {"points": 5, "reason": "Friend"}), 403)
    own = url(community, f"/members/{manager.user.handle}/points")
    assert_problem(send(token_client(manager.user), "post", own, {"points": 5, "reason": "Me"}), 403)


def test_a_read_only_token_cannot_give_points(community, member, manager):
    client = token_client(manager.user, scopes=("read",))
    response = send(
        client, "post", url(community, f"/members/{member.user.handle}/points"), {"points": 5, "reason": "x"}
    )
    assert_problem(response, 403)


# Cancelling


def test_a_manager_cancels_an_entry(community, member, manager, commit):
    with commit():
        entry = earn(member)
    client = token_client(manager.user)
    response = send(client, "post", url(community, f"/points/entries/{entry.pk}/cancel"), {"reason": "Spam"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["delta"], body["reverses_id"], body["reason"]) == ("reversal", -15, entry.pk, "Spam")
    history = client.get(url(community, f"/members/{member.user.handle}/points/history")).json()["results"]
    assert [(line["id"], line["cancelled"]) for line in history] == [(body["id"], False), (entry.pk, True)]
    again = send(client, "post", url(community, f"/points/entries/{entry.pk}/cancel"), {"reason": "Again"})
    assert_problem(again, 409)


def test_cancelling_needs_a_reason_and_a_known_entry(community, member, manager):
    entry = earn(member)
    client = token_client(manager.user)
    assert_problem(send(client, "post", url(community, f"/points/entries/{entry.pk}/cancel"), {"reason": ""}), 422)
    assert_problem(send(client, "post", url(community, "/points/entries/999999/cancel"), {"reason": "x"}), 404)
    assert_problem(send(client, "post", url(community, "/points/entries/0/cancel"), {"reason": "x"}), 422)


def test_members_cannot_cancel_entries(community, member, manager):
    entry = points.give_points(actor=manager.user, membership=member, points=10, reason="Gift")
    response = send(
        token_client(member.user), "post", url(community, f"/points/entries/{entry.pk}/cancel"), {"reason": "x"}
    )
    assert_problem(response, 403)
