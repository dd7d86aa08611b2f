"""Pages of points: the leaderboard, a member's points history with the managers' tools, and the points settings."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.api.tests.helpers import session_client
from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.recognition import ledger, points
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.models import EntryKind, PointsEntry, PointsRule, RuleKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def earn(membership, amount, space=None, source=None):
    return ledger.award(
        community_id=membership.community_id,
        user_id=membership.user_id,
        rule=RuleKey.ANSWER_ACCEPTED,
        source=source or f"post:{amount}-{membership.pk}:accepted",
        space_id=space.pk if space else None,
    )


def leaderboard_url(community, **query):
    url = reverse("recognition:leaderboard", args=[community.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def history_url(community, user):
    return reverse("recognition:points_history", args=[community.slug, user.handle])


def settings_url(community):
    return reverse("recognition:points_settings", args=[community.slug])


# The leaderboard


def test_the_leaderboard_lists_members_with_links_to_their_profiles(community, make_member, commit):
    maria = make_member(user__display_name="Мария Иванова")
    joao = make_member(user__display_name="João Gonçalves")
    with commit():
        earn(maria, 15)
        earn(joao, 15)
        earn(joao, 15, source="post:2:accepted")
    response = Client().get(leaderboard_url(community))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("João Gonçalves") < html.index("Мария Иванова")
    assert reverse("accounts:profile", args=[maria.user.handle]) in html
    assert 'aria-current="page"' in html


def test_the_leaderboard_shows_your_own_place(community, member, make_member, commit):
    rival = make_member()
    with commit():
        earn(rival, 15)
        earn(rival, 15, source="post:8:accepted")
        earn(member, 15, source="post:9:accepted")
    client = session_client(member.user)
    response = client.get(leaderboard_url(community))
    assert response.context["me"].position == 2
    assert "leaderboard-mine" in response.content.decode()


def test_the_leaderboard_asks_newcomers_to_take_part(community, member_client):
    response = member_client.get(leaderboard_url(community))
    assert response.status_code == 200
    assert response.context["me"] is None
    assert response.context["board"] == []


@pytest.mark.parametrize("period", ["week", "month", "all"])
def test_each_period_has_its_tab(community, member, commit, period):
    with commit():
        earn(member, 15)
    response = Client().get(leaderboard_url(community, period=period))
    assert response.context["period"] == period
    assert [s.user for s in response.context["board"]] == [member.user]


def test_an_unknown_period_or_space_falls_back_to_the_default(community, member, commit):
    with commit():
        earn(member, 15)
    response = Client().get(leaderboard_url(community, period="decade", space="nowhere"))
    assert response.status_code == 200
    assert (response.context["period"], response.context["space"]) == ("week", None)


def test_a_space_board_counts_that_space_only(community, make_member, commit):
    coffee, tea = SpaceFactory(community=community, slug="kafe"), SpaceFactory(community=community, slug="cha")
    barista, sommelier = make_member(), make_member()
    with commit():
        earn(barista, 15, coffee)
        earn(sommelier, 15, tea)
    response = Client().get(leaderboard_url(community, space="kafe"))
    assert response.context["space"] == coffee
    assert [s.user for s in response.context["board"]] == [barista.user]


def test_a_restricted_space_is_not_offered_to_those_who_cannot_see_it(community, member, commit):
    secret = SpaceFactory(community=community, slug="secret", visibility=SpaceVisibility.RESTRICTED)
    with commit():
        earn(member, 15, secret)
    response = Client().get(leaderboard_url(community, space="secret"))
    assert response.context["space"] is None


def test_htmx_gets_the_board_only(community, member, commit):
    with commit():
        earn(member, 15)
    response = Client().get(leaderboard_url(community), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="leaderboard"' in html and "<html" not in html


def test_a_reversal_shows_on_the_page_at_once(community, member, make_member, commit):
    rival = make_member()
    with commit():
        entry = earn(member, 15)
        earn(rival, 15, source="post:77:accepted")
    rules_of(community.pk)
    client = Client()
    assert len(client.get(leaderboard_url(community)).context["board"]) == 2
    with commit():
        ledger.reverse_entry(entry, ledger.locked_balance(community.pk, member.user_id))
    assert [s.user for s in client.get(leaderboard_url(community)).context["board"]] == [rival.user]


def test_the_leaderboard_costs_the_same_queries_for_15_members_as_for_3(community, member, make_member, commit):
    client = session_client(member.user)
    settings_of(community.pk)

    def make(how_many: int) -> int:
        with commit():
            for _n in range(how_many):
                earn(make_member(), 15)
        with CaptureQueriesContext(connection) as context:
            assert client.get(leaderboard_url(community)).status_code == 200
        return len(context.captured_queries)

    few = make(3)
    assert make(12) == few


# A member's history


def test_a_member_sees_their_own_history(community, member, manager, commit):
    with commit():
        earn(member, 15)
        points.give_points(actor=manager.user, membership=member, points=5, reason="Obrigado pelo evento!")
    client = session_client(member.user)
    response = client.get(history_url(community, member.user))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Obrigado pelo evento!" in html
    assert str(RuleKey.ANSWER_ACCEPTED.label) in html
    assert response.context["total"] == 20
    assert not response.context["may_award"]
    assert reverse("recognition:give_points", args=[community.slug, member.user.handle]) not in html


def test_a_member_cannot_see_someone_elses_history(community, member, make_member):
    other = make_member()
    response = session_client(member.user).get(history_url(community, other.user))
    assert response.status_code == 403


def test_visitors_are_sent_to_sign_in(community, member):
    response = Client().get(history_url(community, member.user))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_unknown_person_or_non_member_is_not_found(community, manager_client, user):
    assert manager_client.get(reverse("recognition:points_history", args=[community.slug, "nobody"])).status_code == 404
    assert manager_client.get(history_url(community, user)).status_code == 404


def test_managers_see_the_tools(community, member, manager_client, commit):
    with commit():
        entry = earn(member, 15)
    response = manager_client.get(history_url(community, member.user))
    html = response.content.decode()
    assert response.context["may_award"]
    assert reverse("recognition:give_points", args=[community.slug, member.user.handle]) in html
    assert reverse("recognition:cancel_entry", args=[community.slug, entry.pk]) in html


def test_a_manager_gives_points(community, member, manager_client):
    url = reverse("recognition:give_points", args=[community.slug, member.user.handle])
    response = manager_client.post(url, {"points": "40", "reason": "Dankie vir die resep!"})
    assert response.status_code == 302
    assert response["Location"] == history_url(community, member.user)
    assert points.standing_of(community.pk, member.user_id)[0] == 40
    assert PointsEntry.objects.get().reason == "Dankie vir die resep!"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"points": "0", "reason": "Nothing"}, "points"),
        ({"points": "5000", "reason": "Too many"}, "points"),
        ({"points": "abc", "reason": "Words"}, "points"),
        ({"points": "5", "reason": ""}, "reason"),
    ],
)
def test_bad_points_by_hand_show_the_form_again(community, member, manager_client, data, field):
    url = reverse("recognition:give_points", args=[community.slug, member.user.handle])
    response = manager_client.post(url, data)
    assert response.status_code == 422
    assert field in response.context["give_form"].errors
    assert not PointsEntry.objects.exists()


def test_members_cannot_give_points(community, member, make_member):
    other = make_member()
    url = reverse("recognition:give_points", args=[community.slug, other.user.handle])
    response = session_client(member.user).post(url, {"points": "5", "reason": "Friend"})
    assert response.status_code == 403
    assert not PointsEntry.objects.exists()


def test_a_manager_cancels_points(community, member, manager_client, commit):
    with commit():
        entry = earn(member, 15)
    url = reverse("recognition:cancel_entry", args=[community.slug, entry.pk])
    response = manager_client.post(url, {"reason": "Отговорът е копиран."})
    assert response.status_code == 302
    assert PointsEntry.objects.get(reverses=entry).reason == "Отговорът е копиран."
    page = manager_client.get(history_url(community, member.user))
    assert [row["cancelled"] for row in page.context["rows"]] == [False, True]
    assert all(row["cancel_form"] is None for row in page.context["rows"])


def test_cancelling_without_a_reason_shows_the_error_beside_the_line(community, member, manager_client, commit):
    with commit():
        entry = earn(member, 15)
    url = reverse("recognition:cancel_entry", args=[community.slug, entry.pk])
    response = manager_client.post(url, {"reason": ""})
    assert response.status_code == 422
    [row] = response.context["rows"]
    assert "reason" in row["cancel_form"].errors
    assert not PointsEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_cancelling_twice_says_it_was_done_already(community, member, manager_client, manager, commit):
    with commit():
        entry = earn(member, 15)
    points.cancel_entry(actor=manager.user, entry=entry, reason="Spam")
    url = reverse("recognition:cancel_entry", args=[community.slug, entry.pk])
    response = manager_client.post(url, {"reason": "Again"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["These points were cancelled already."]


def test_an_entry_of_another_community_is_not_found(community, manager_client, make_member):
    from belong.communities.tests.factories import CommunityFactory

    elsewhere = make_member(community=CommunityFactory())
    entry = earn(elsewhere, 15)
    url = reverse("recognition:cancel_entry", args=[community.slug, entry.pk])
    assert manager_client.post(url, {"reason": "Mine now"}).status_code == 404


def test_the_history_costs_the_same_queries_for_15_lines_as_for_3(community, member, manager, manager_client):
    def make(how_many: int) -> int:
        for n in range(how_many):
            entry = points.give_points(actor=manager.user, membership=member, points=n + 1, reason="Thanks")
            if n % 2:
                points.cancel_entry(actor=manager.user, entry=entry, reason="Undo")
        with CaptureQueriesContext(connection) as context:
            assert manager_client.get(history_url(community, member.user)).status_code == 200
        return len(context.captured_queries)

    few = make(3)
    assert make(12) == few


# Settings


def test_managers_see_every_rule_in_one_form(community, manager_client):
    response = manager_client.get(settings_url(community))
    assert response.status_code == 200
    form = response.context["form"]
    assert len(form.rows()) == len(RuleKey.values)
    assert form["reply_points"].value() == 1
    assert form["pair_daily_cap"].value() == 30


def _settings_data(community, **overrides):
    data = {}
    for key, rule in rules_of(community.pk).items():
        data[f"{key}_points"] = str(rule.points)
        data[f"{key}_daily_cap"] = "" if rule.daily_cap is None else str(rule.daily_cap)
    data.update(pair_daily_cap="10")
    data.update(overrides)
    return data


def test_a_manager_saves_the_points_settings(community, manager_client):
    data = _settings_data(
        community, reply_points="4", reply_daily_cap="", pair_daily_cap="30", leaderboard_includes_staff="on"
    )
    response = manager_client.post(settings_url(community), data)
    assert response.status_code == 302
    reply = PointsRule.objects.get(community=community, key="reply")
    assert (reply.points, reply.daily_cap) == (4, None)
    found = settings_of(community.pk)
    assert (found.pair_daily_cap, found.leaderboard_includes_staff) == (30, True)


@pytest.mark.parametrize(
    "overrides",
    [{"reply_daily_cap": "-1"}, {"pair_daily_cap": "-3"}, {"reply_points": "-2"}, {"reply_points": "1001"}],
)
def test_negative_caps_and_points_out_of_range_are_refused(community, manager_client, overrides):
    data = _settings_data(community, idea_shipped_points="70", **overrides)
    response = manager_client.post(settings_url(community), data)
    assert response.status_code == 422
    [field] = overrides
    assert field in response.context["form"].errors
    assert PointsRule.objects.get(community=community, key="idea_shipped").points == 50


def test_an_action_refusal_lands_on_the_field(community, manager_client, monkeypatch):
    from belong.core.errors import Invalid

    def refuse(**kwargs):
        raise Invalid("No", errors={"reply.points": ["Refused"]})

    monkeypatch.setattr(points, "update_rules", refuse)
    response = manager_client.post(settings_url(community), _settings_data(community))
    assert response.status_code == 422
    assert response.context["form"].errors["reply_points"] == ["Refused"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.MODERATOR])
def test_only_managers_reach_the_points_settings(community, make_member, role):
    client = session_client(make_member(role).user)
    assert client.get(settings_url(community)).status_code == 403
    assert client.post(settings_url(community), _settings_data(community, reply_points="99")).status_code == 403
    assert PointsRule.objects.get(community=community, key="reply").points == 1
