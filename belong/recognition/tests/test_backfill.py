"""Replaying history (`recognition_backfill`): what live events would award, dated when it happened, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from belong.accounts.models import User
from belong.communities.models import Community, Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Reaction, ReactionKind, Thread, ThreadKind
from belong.ideas import actions as ideas
from belong.recognition import leaderboards
from belong.recognition.backfill import backfill_community
from belong.recognition.defaults import rules_of
from belong.recognition.models import PointsEntry, PointsRule, RuleKey

pytestmark = pytest.mark.django_db

TEXTS = {
    "bg": ("Как да сваря добро кафе у дома?", "Смели зърната точно преди варене."),
    "pt": ("Como faço um bom café em casa?", "Moa os grãos logo antes de preparar."),
    "af": ("Hoe maak ek goeie koffie by die huis?", "Maal die boontjies net voor jy brou."),
}


@pytest.fixture
def people(community, make_member) -> dict[str, User]:
    return {
        "asker": make_member().user,
        "helper": make_member().user,
        "fan": make_member().user,
        "manager": make_member(Role.MANAGER).user,
    }


def without_badge_points(community: Community) -> None:
    """Badges earn points too (checked elsewhere); switched off so the sums here are the content's."""
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.BADGE_EARNED).update(points=0)


def tell(community: Community, people: dict[str, User]) -> dict[str, Any]:
    """A little history: a question answered and reacted to, a story, an idea voted for and shipped."""
    space = SpaceFactory(community=community)
    asker, helper, fan, manager = (people[key] for key in ("asker", "helper", "fan", "manager"))
    title, body = TEXTS["pt"]
    question = conversations.create_thread(author=asker, space=space, kind=ThreadKind.QUESTION, title=title, body=body)
    answer = conversations.create_reply(author=helper, thread=question, body=TEXTS["bg"][1])
    conversations.create_reply(author=fan, thread=question, body=TEXTS["af"][1])
    conversations.accept_answer(actor=asker, thread=question, post=answer)
    conversations.add_reaction(user=fan, post=answer, kind=ReactionKind.HELPFUL)
    conversations.add_reaction(user=asker, post=answer, kind=ReactionKind.LIKE)
    story = conversations.create_thread(
        author=fan, space=space, kind=ThreadKind.STORY, title=TEXTS["af"][0], body=TEXTS["af"][1]
    )
    idea = ideas.propose_idea(author=helper, space=space, title=TEXTS["bg"][0], description=TEXTS["bg"][1])
    ideas.vote(user=asker, idea=idea)
    ideas.vote(user=fan, idea=idea)
    ideas.change_status(actor=manager, idea=idea, status="shipped")
    return {"space": space, "question": question, "answer": answer, "story": story, "idea": idea}


def sums(community: Community) -> dict[tuple[int, str], int]:
    rows = PointsEntry.objects.filter(community=community).values_list("user_id", "rule").annotate(total=Sum("delta"))
    return {(user_id, rule): int(total) for user_id, rule, total in rows if total}


def a_second_community(people: dict[str, User]) -> Community:
    other = CommunityFactory()
    for key, user in people.items():
        MembershipFactory(community=other, user=user, role=Role.MANAGER if key == "manager" else Role.MEMBER)
    return other


def test_replaying_history_awards_what_live_events_award(community, people, django_capture_on_commit_callbacks):
    without_badge_points(community)
    with django_capture_on_commit_callbacks(execute=True):
        tell(community, people)
    live = sums(community)
    assert live  # the live events did award

    other = a_second_community(people)
    without_badge_points(other)
    tell(other, people)  # no commit: no event reaches recognition
    assert not PointsEntry.objects.filter(community=other).exists()
    backfill_community(other)

    assert sums(other) == live
    assert {rule for _user, rule in live} >= {
        RuleKey.THREAD_STARTED,
        RuleKey.REPLY,
        RuleKey.ANSWER_ACCEPTED,
        RuleKey.HELPFUL_RECEIVED,
        RuleKey.REACTION_RECEIVED,
        RuleKey.IDEA_PROPOSED,
        RuleKey.IDEA_VOTE_RECEIVED,
        RuleKey.IDEA_SHIPPED,
    }


def test_running_twice_or_delivering_the_original_events_afterwards_adds_nothing(
    community, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as delivered_later:
        tell(community, people)
    first = backfill_community(community)
    assert first.entries > 0
    assert first.badges > 0  # welcome, first post, voice, ...
    ledger = list(PointsEntry.objects.filter(community=community).values_list("pk", flat=True))

    again = backfill_community(community)
    assert (again.entries, again.points, again.badges, again.anniversaries) == (0, 0, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        for callback in delivered_later:
            callback()
    assert list(PointsEntry.objects.filter(community=community).values_list("pk", flat=True)) == ledger


def test_entries_carry_the_dates_things_happened(community, people):
    without_badge_points(community)
    story = tell(community, people)
    now = timezone.now()
    long_ago = now - dt.timedelta(days=60)
    Post.objects.filter(thread=story["question"], is_opening=True).update(created_at=long_ago)
    Reaction.objects.filter(post=story["answer"]).update(created_at=now - dt.timedelta(days=20))
    backfill_community(community)

    opening = story["question"].posts.get(is_opening=True)
    [thread_entry] = PointsEntry.objects.filter(source=f"post:{opening.pk}:thread")
    assert thread_entry.created_at == long_ago
    reactions = PointsEntry.objects.filter(source__startswith=f"post:{story['answer'].pk}:reaction:")
    assert {entry.created_at for entry in reactions} == {now - dt.timedelta(days=20)}

    week = {s.user.pk: s.points for s in leaderboards.leaderboard(community, "week")}
    everything = {s.user.pk: s.points for s in leaderboards.leaderboard(community, "all")}
    assert week != everything
    assert everything[people["asker"].pk] - week.get(people["asker"].pk, 0) == 2  # the question, 60 days ago


def test_daily_caps_count_each_historical_day(community, people):
    without_badge_points(community)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(daily_cap=1)
    space = SpaceFactory(community=community)
    title, body = TEXTS["bg"]
    thread = conversations.create_thread(
        author=people["asker"], space=space, kind=ThreadKind.DISCUSSION, title=title, body=body
    )
    replies = [conversations.create_reply(author=people["helper"], thread=thread, body=body) for _ in range(3)]
    now = timezone.now()
    days_ago = (10, 3, 3)  # two on the same day: the cap of 1 a day lets one through
    for reply, days in zip(replies, days_ago, strict=True):
        Post.objects.filter(pk=reply.pk).update(created_at=now - dt.timedelta(days=days))
    backfill_community(community)

    earned = PointsEntry.objects.filter(user=people["helper"], rule=RuleKey.REPLY)
    assert earned.count() == 2
    assert sorted((now - entry.created_at).days for entry in earned) == [3, 10]


def test_deleted_content_earns_nothing(community, people):
    story = tell(community, people)
    conversations.delete_post(actor=people["fan"], post=story["story"].posts.get(is_opening=True))
    backfill_community(community)
    opening = Thread.objects.get(pk=story["story"].pk).posts.get(is_opening=True)
    assert not PointsEntry.objects.filter(source__startswith=f"post:{opening.pk}:").exists()


def test_the_command_replays_one_community_and_says_what_it_did(community, people):
    tell(community, people)
    out = StringIO()
    call_command("recognition_backfill", community=community.slug, stdout=out)
    assert f"{community.slug}: points entries:" in out.getvalue()
    assert PointsEntry.objects.filter(community=community).exists()

    with pytest.raises(CommandError):
        call_command("recognition_backfill", community="no-such-community", stdout=StringIO())
