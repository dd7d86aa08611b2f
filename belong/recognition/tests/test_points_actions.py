"""The managers' points actions (rules, settings, points by hand, cancelling) and the reads of a member's points."""

from __future__ import annotations

import pytest

from belong.communities.models import MembershipState, Role
from belong.conversations import actions as conversations
from belong.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated
from belong.core.models import Activity
from belong.recognition import events, ledger, points
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.models import DEFAULT_RULES, EntryKind, PointsBalance, PointsEntry, PointsRule, RuleKey
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db

REASONS = {
    "bg": "Благодарим за помощта на срещата!",
    "pt": "Obrigado pela ajuda no encontro!",
    "af": "Dankie vir die hulp by die byeenkoms!",
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def rule(community, key):
    return PointsRule.objects.get(community=community, key=key)


def total(membership) -> int:
    found = PointsBalance.objects.filter(community=membership.community, user=membership.user).first()
    return found.total if found else 0


# Rules


def test_a_manager_changes_rules_points_and_caps(community, manager):
    rules = points.update_rules(
        actor=manager.user,
        community=community,
        changes={"reply": {"points": 3, "daily_cap": None}, "answer_accepted": {"daily_cap": 45}},
    )
    assert (rules["reply"].points, rules["reply"].daily_cap) == (3, None)
    assert (rule(community, "reply").points, rule(community, "reply").daily_cap) == (3, None)
    assert (rule(community, "answer_accepted").points, rule(community, "answer_accepted").daily_cap) == (15, 45)
    logged = Activity.objects.get(verb=points.Verb.RULES_CHANGED)
    assert logged.data == {"rules": {"reply": {"points": 3, "daily_cap": None}, "answer_accepted": {"daily_cap": 45}}}


def test_a_community_starts_with_the_default_rules(community):
    assert {key: (r.points, r.daily_cap) for key, r in rules_of(community.pk).items()} == {
        str(key): value for key, value in DEFAULT_RULES.items()
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"no_such_rule": {"points": 1}}, "no_such_rule"),
        ({"reply": {"points": -1}}, "reply.points"),
        ({"reply": {"points": 1001}}, "reply.points"),
        ({"reply": {"points": "5"}}, "reply.points"),
        ({"reply": {"points": True}}, "reply.points"),
        ({"reply": {"daily_cap": -5}}, "reply.daily_cap"),
        ({"reply": {"daily_cap": 2.5}}, "reply.daily_cap"),
        ({"reply": {"bonus": 3}}, "reply.bonus"),
        ({"reply": 3}, "reply"),
    ],
)
def test_bad_rule_changes_are_refused_and_nothing_is_saved(community, manager, changes, field):
    with pytest.raises(Invalid) as info:
        points.update_rules(
            actor=manager.user, community=community, changes={"thread_started": {"points": 9}, **changes}
        )
    assert field in info.value.errors
    assert rules_of(community.pk)["thread_started"].points == DEFAULT_RULES[RuleKey.THREAD_STARTED][0]
    assert not Activity.objects.filter(verb=points.Verb.RULES_CHANGED).exists()


def test_the_highest_points_a_rule_may_earn_is_accepted(community, manager):
    points.update_rules(actor=manager.user, community=community, changes={"idea_shipped": {"points": 1000}})
    assert rule(community, "idea_shipped").points == 1000


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.MODERATOR, Role.AMBASSADOR])
def test_only_managers_change_the_rules(community, make_member, role):
    with pytest.raises(NotAllowed):
        points.update_rules(actor=make_member(role).user, community=community, changes={"reply": {"points": 50}})


def test_an_owner_changes_the_rules(community, owner):
    points.update_rules(actor=owner.user, community=community, changes={"reply": {"points": 0}})
    assert rule(community, "reply").points == 0


# Settings


def test_a_manager_changes_the_pair_cap_and_staff_on_leaderboards(community, manager):
    found = points.update_settings(
        actor=manager.user, community=community, pair_daily_cap=25, leaderboard_includes_staff=True
    )
    assert (found.pair_daily_cap, found.leaderboard_includes_staff) == (25, True)
    assert settings_of(community.pk).pair_daily_cap == 25
    assert Activity.objects.get(verb=points.Verb.SETTINGS_CHANGED).data == {
        "pair_daily_cap": 25,
        "leaderboard_includes_staff": True,
    }


def test_settings_left_out_keep_their_value(community, manager):
    points.update_settings(actor=manager.user, community=community, leaderboard_includes_staff=True)
    assert settings_of(community.pk).pair_daily_cap == 30


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pair_daily_cap": -1}, "pair_daily_cap"),
        ({"pair_daily_cap": "ten"}, "pair_daily_cap"),
        ({"leaderboard_includes_staff": "yes"}, "leaderboard_includes_staff"),
    ],
)
def test_bad_settings_are_refused(community, manager, changes, field):
    with pytest.raises(Invalid) as info:
        points.update_settings(actor=manager.user, community=community, **changes)
    assert field in info.value.errors
    assert settings_of(community.pk).pair_daily_cap == 30


def test_members_cannot_change_the_settings(community, member):
    with pytest.raises(NotAllowed):
        points.update_settings(actor=member.user, community=community, pair_daily_cap=1000)


# Points given by hand


@pytest.mark.parametrize("language", sorted(REASONS))
def test_a_manager_gives_a_member_points_with_a_reason(community, manager, member, commit, published, language):
    with commit():
        entry = points.give_points(actor=manager.user, membership=member, points=25, reason=REASONS[language])
    assert (entry.kind, entry.delta, entry.reason, entry.awarded_by) == (
        EntryKind.MANUAL,
        25,
        REASONS[language],
        manager.user,
    )
    assert total(member) == 25
    logged = Activity.objects.get(verb=points.Verb.POINTS_GIVEN)
    assert (logged.actor, logged.recipient_id, logged.data["points"]) == (manager.user, member.user_id, 25)
    assert (
        events.PointsGiven(
            community_id=community.pk, actor_id=manager.user.pk, entry_id=entry.pk, user_id=member.user_id, delta=25
        )
        in published
    )


def test_a_manager_takes_points_away_with_a_negative_number(community, manager, member):
    points.give_points(actor=manager.user, membership=member, points=10, reason="Welcome")
    points.give_points(actor=manager.user, membership=member, points=-4, reason="Duplicate answer")
    assert total(member) == 6


def test_manual_points_move_the_rank(community, manager, member):
    RankFactory(community=community, name="Newcomer", min_points=0)
    champion = RankFactory(community=community, name="Шампион", min_points=100)
    points.give_points(actor=manager.user, membership=member, points=150, reason="Event host")
    assert points.standing_of(community.pk, member.user_id) == (150, champion)


@pytest.mark.parametrize("amount", [0, 1001, -1001, 2.5, True, "10"])
def test_points_by_hand_must_be_a_whole_number_up_to_a_thousand_either_way(community, manager, member, amount):
    with pytest.raises(Invalid) as info:
        points.give_points(actor=manager.user, membership=member, points=amount, reason="Why not")
    assert "points" in info.value.errors
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize("amount", [1000, -1000, 1, -1])
def test_the_bounds_of_points_by_hand_are_accepted(community, manager, member, amount):
    assert points.give_points(actor=manager.user, membership=member, points=amount, reason="Edge").delta == amount


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_points_by_hand_need_a_reason(community, manager, member, reason):
    with pytest.raises(Invalid) as info:
        points.give_points(actor=manager.user, membership=member, points=5, reason=reason)
    assert "reason" in info.value.errors


def test_a_manager_cannot_give_themselves_points(community, manager):
    with pytest.raises(NotAllowed):
        points.give_points(actor=manager.user, membership=manager, points=5, reason="Me")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.MODERATOR, Role.EXPERT])
def test_only_managers_give_points(community, make_member, member, role):
    with pytest.raises(NotAllowed):
        points.give_points(actor=make_member(role).user, membership=member, points=5, reason="Friend")


def test_visitors_are_asked_to_sign_in(community, member):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        points.give_points(actor=AnonymousUser(), membership=member, points=5, reason="Anyone")


def test_a_banned_member_is_not_given_points(community, manager, make_member):
    banned = make_member(state=MembershipState.BANNED)
    with pytest.raises(Invalid):
        points.give_points(actor=manager.user, membership=banned, points=5, reason="Sorry")


# Cancelling


def test_a_manager_cancels_points_given_by_hand(community, manager, member, commit, published):
    entry = points.give_points(actor=manager.user, membership=member, points=30, reason="Meetup")
    with commit():
        reversal = points.cancel_entry(actor=manager.user, entry=entry, reason="Wrong person")
    assert (reversal.kind, reversal.delta, reversal.reverses, reversal.reason, reversal.awarded_by) == (
        EntryKind.REVERSAL,
        -30,
        entry,
        "Wrong person",
        manager.user,
    )
    assert total(member) == 0
    assert Activity.objects.get(verb=points.Verb.POINTS_CANCELLED).data["reversal"] == reversal.pk
    assert any(isinstance(event, events.PointsGiven) and event.delta == -30 for event in published)


def test_a_manager_cancels_earned_points_and_they_do_not_come_back(community, manager, member, space, commit):
    thread = conversations.create_thread(
        author=manager.user, space=space, kind="question", title="Ферментация?", body="Колко дни?"
    )
    with commit():
        post = conversations.create_reply(author=member.user, thread=thread, body="Три дни.")
    [earned] = PointsEntry.objects.filter(user=member.user, rule=RuleKey.REPLY)
    points.cancel_entry(actor=manager.user, entry=earned, reason="Copied from elsewhere")
    from belong.recognition.subscribers.points import points_for_reply

    points_for_reply.enqueue(post.pk)
    assert PointsEntry.objects.filter(user=member.user, rule=RuleKey.REPLY).count() == 2
    assert total(member) == sum(e.delta for e in PointsEntry.objects.filter(user=member.user))


def test_cancelling_twice_is_a_conflict(community, manager, member):
    entry = points.give_points(actor=manager.user, membership=member, points=30, reason="Meetup")
    points.cancel_entry(actor=manager.user, entry=entry, reason="Wrong person")
    with pytest.raises(Conflict):
        points.cancel_entry(actor=manager.user, entry=entry, reason="Again")
    assert total(member) == 0


def test_points_reversed_when_content_went_cannot_be_cancelled_again(community, manager, member):
    entry = ledger.award(community_id=community.pk, user_id=member.user_id, rule="reply", source="post:1:reply")
    assert entry is not None
    [reversal] = ledger.reverse(community_id=community.pk, source="post:1:reply")
    with pytest.raises(Conflict):
        points.cancel_entry(actor=manager.user, entry=entry, reason="Again")
    with pytest.raises(Conflict):
        points.cancel_entry(actor=manager.user, entry=reversal, reason="Undo the undo")


def test_cancelling_needs_a_reason(community, manager, member):
    entry = points.give_points(actor=manager.user, membership=member, points=30, reason="Meetup")
    with pytest.raises(Invalid) as info:
        points.cancel_entry(actor=manager.user, entry=entry, reason=" ")
    assert "reason" in info.value.errors


def test_members_cannot_cancel_points_nor_managers_their_own(community, manager, member, make_member):
    other_manager = make_member(Role.MANAGER)
    entry = points.give_points(actor=manager.user, membership=member, points=30, reason="Meetup")
    with pytest.raises(NotAllowed):
        points.cancel_entry(actor=member.user, entry=entry, reason="Mine")
    own = points.give_points(actor=other_manager.user, membership=manager, points=-5, reason="Late")
    with pytest.raises(NotAllowed):
        points.cancel_entry(actor=manager.user, entry=own, reason="Unfair")


# Reads


def test_standing_of_a_member_without_points_is_zero_at_the_lowest_rank(community, member):
    total_points, rank = points.standing_of(community.pk, member.user_id)
    assert total_points == 0
    assert rank is not None and rank.min_points == 0


def test_history_is_newest_first_with_cancellations(community, manager, member):
    first = points.give_points(actor=manager.user, membership=member, points=5, reason="One")
    second = points.give_points(actor=manager.user, membership=member, points=7, reason="Two")
    reversal = points.cancel_entry(actor=manager.user, entry=first, reason="Oops")
    history = list(points.history_of(community.pk, member.user_id))
    assert history == [reversal, second, first]
    assert history[2].reversal == reversal


def test_the_history_costs_the_same_queries_for_15_lines_as_for_3(
    community, manager, member, django_assert_num_queries
):
    def make(how_many: int) -> None:
        for n in range(how_many):
            points.give_points(actor=manager.user, membership=member, points=n + 1, reason="Thanks")

    def cost() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            seen = [
                (entry.awarded_by, entry.space, entry.giver)
                for entry in points.history_of(community.pk, member.user_id)
            ]
        assert seen
        return len(context.captured_queries)

    make(3)
    few = cost()
    make(12)
    assert cost() == few == 1
