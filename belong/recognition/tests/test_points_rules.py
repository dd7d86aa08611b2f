"""Points earned from other apps' events: every rule, once, reversed when the content goes, never for oneself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum

from belong.accounts.models import User
from belong.communities.models import Role
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions as conversations
from belong.conversations import events as conversation_events
from belong.conversations.models import Post, Reaction, Thread, ThreadKind
from belong.core import events
from belong.ideas import actions as ideas
from belong.ideas import events as idea_events
from belong.ideas.models import Idea, IdeaVote
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.models import EntryKind, PointsBalance, PointsEntry, PointsRule, RecognitionSettings, RuleKey

pytestmark = pytest.mark.django_db

TITLES = {
    "bg": "Как да сваря добро кафе у дома?",
    "pt": "Como faço um bom café em casa?",
    "af": "Hoe maak ek goeie koffie by die huis?",
}
BODIES = {
    "bg": "Смели зърната точно преди варене.",
    "pt": "Moa os grãos logo antes de preparar.",
    "af": "Maal die boontjies net voor jy brou.",
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _no_badge_points(community):
    """Badges (another part of recognition) earn points too; switched off so the sums here are the rules'."""
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.BADGE_EARNED).update(points=0)


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    def make(role: str = Role.MEMBER) -> User:
        user: User = make_member(role).user
        return user

    return make


@pytest.fixture
def asker(person) -> User:
    user: User = person()
    return user


@pytest.fixture
def helper(person) -> User:
    user: User = person()
    return user


@pytest.fixture
def generous(community) -> RecognitionSettings:
    """A pair cap high enough that it never trims the award a test is about."""
    found = settings_of(community.pk)
    found.pair_daily_cap = 1000
    found.save()
    return found


def total_of(user: User, community: Any) -> int:
    return int(PointsEntry.objects.filter(user=user, community=community).aggregate(total=Sum("delta"))["total"] or 0)


def balance_of(user: User, community: Any) -> int:
    balance = PointsBalance.objects.filter(user=user, community=community).first()
    return balance.total if balance else 0


def entries(user: User, **filters: Any) -> list[PointsEntry]:
    return list(PointsEntry.objects.filter(user=user, **filters).order_by("id"))


def start(author: User, space: Any, kind: str = ThreadKind.QUESTION, language: str = "pt", **kwargs: Any) -> Thread:
    return conversations.create_thread(
        author=author, space=space, kind=kind, title=TITLES[language], body=BODIES[language], **kwargs
    )


def reply(author: User, thread: Thread, language: str = "bg") -> Post:
    return conversations.create_reply(author=author, thread=thread, body=BODIES[language])


# Threads and replies


@pytest.mark.parametrize("language", sorted(TITLES))
def test_starting_a_thread_earns_the_thread_rule_in_its_space(asker, space, commit, language):
    with commit():
        thread = start(asker, space, ThreadKind.DISCUSSION, language=language)
    [entry] = entries(asker)
    opening = thread.posts.get(is_opening=True)
    assert (entry.rule, entry.delta, entry.source, entry.space) == (
        RuleKey.THREAD_STARTED,
        2,
        f"post:{opening.pk}:thread",
        space,
    )
    assert balance_of(asker, space.community) == 2


def test_writing_a_review_earns_the_review_rule_instead(asker, space, commit):
    with commit():
        start(asker, space, ThreadKind.REVIEW, rating=5)
    assert [(e.rule, e.delta) for e in entries(asker)] == [(RuleKey.REVIEW_WRITTEN, 3)]


def test_proposing_an_idea_earns_the_idea_rule_and_not_the_thread_rule(asker, space, commit):
    with commit():
        idea = ideas.propose_idea(author=asker, space=space, title=TITLES["af"], description=BODIES["af"])
    [entry] = entries(asker)
    assert (entry.rule, entry.delta, entry.source, entry.space) == (
        RuleKey.IDEA_PROPOSED,
        2,
        f"idea:{idea.pk}:proposed",
        space,
    )


@pytest.mark.parametrize("language", sorted(BODIES))
def test_a_reply_earns_its_author_the_reply_rule(asker, helper, space, commit, language):
    thread = start(asker, space)
    with commit():
        post = reply(helper, thread, language)
    [entry] = entries(helper)
    assert (entry.rule, entry.delta, entry.source, entry.space) == (RuleKey.REPLY, 1, f"post:{post.pk}:reply", space)


def test_the_rules_points_come_from_the_communitys_own_rules(asker, helper, space, commit):
    rules_of(space.community_id)
    PointsRule.objects.filter(community=space.community, key=RuleKey.REPLY).update(points=7)
    thread = start(asker, space)
    with commit():
        reply(helper, thread)
    assert total_of(helper, space.community) == 7


def test_a_rule_at_zero_points_is_off(asker, helper, space, commit):
    rules_of(space.community_id)
    PointsRule.objects.filter(community=space.community, key=RuleKey.REPLY).update(points=0)
    thread = start(asker, space)
    with commit():
        reply(helper, thread)
    assert entries(helper) == []


def test_a_reply_in_an_ideas_discussion_earns_the_reply_rule(asker, helper, space, commit):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["pt"], description=BODIES["pt"])
    with commit():
        reply(helper, idea.thread)
    assert [e.rule for e in entries(helper)] == [RuleKey.REPLY]


# Answers


def test_an_accepted_answer_earns_its_author_points_given_by_the_asker(asker, helper, space, commit, generous):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=post)
    accepted = entries(helper, rule=RuleKey.ANSWER_ACCEPTED)
    assert [(e.delta, e.giver, e.source) for e in accepted] == [(15, asker, f"post:{post.pk}:accepted")]


def test_an_accepted_answer_is_trimmed_to_the_pair_cap(asker, helper, space, commit):
    """The default cap (30) leaves a whole answer; a community that lowers it trims the answer too."""
    found = settings_of(space.community_id)
    found.pair_daily_cap = 10
    found.save()
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=post)
    assert [e.delta for e in entries(helper, rule=RuleKey.ANSWER_ACCEPTED)] == [10]


def test_changing_the_accepted_answer_moves_the_points(asker, helper, person, space, commit, generous):
    other = person()
    thread = start(asker, space)
    with commit():
        first, second = reply(helper, thread), reply(other, thread)
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=first)
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=second)
    assert [(e.kind, e.delta) for e in entries(helper, rule=RuleKey.ANSWER_ACCEPTED)] == [
        (EntryKind.AWARD, 15),
        (EntryKind.REVERSAL, -15),
    ]
    assert total_of(other, space.community) == 1 + 15
    assert balance_of(helper, space.community) == 1


def test_a_moderator_accepting_an_answer_is_the_giver(asker, helper, person, space, commit, generous):
    moderator = person(Role.MODERATOR)
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.accept_answer(actor=moderator, thread=thread, post=post)
    assert [e.giver for e in entries(helper, rule=RuleKey.ANSWER_ACCEPTED)] == [moderator]


def test_accepting_ones_own_reply_earns_nothing(asker, space, commit):
    thread = start(asker, space)
    post = reply(asker, thread)
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=post)
    assert entries(asker, rule=RuleKey.ANSWER_ACCEPTED) == []


# Reactions


def test_a_helpful_reaction_earns_the_author_the_helpful_rule(asker, helper, space, commit):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="helpful")
    [entry] = entries(helper, rule=RuleKey.HELPFUL_RECEIVED)
    assert (entry.delta, entry.giver, entry.source) == (2, asker, f"post:{post.pk}:reaction:{asker.pk}:helpful")


@pytest.mark.parametrize("kind", ["like", "love", "insightful", "agree"])
def test_other_reactions_earn_the_reaction_rule(asker, helper, space, commit, kind):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind=kind)
    assert [(e.rule, e.delta) for e in entries(helper, giver=asker)] == [(RuleKey.REACTION_RECEIVED, 1)]


def test_each_kind_of_reaction_counts_once(asker, helper, space, commit):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="helpful")
        conversations.add_reaction(user=asker, post=post, kind="like")
    assert sorted(e.rule for e in entries(helper, giver=asker)) == [RuleKey.HELPFUL_RECEIVED, RuleKey.REACTION_RECEIVED]


def test_taking_a_reaction_back_reverses_its_points(asker, helper, space, commit):
    thread = start(asker, space)
    with commit():
        post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="helpful")
    with commit():
        conversations.remove_reaction(user=asker, post=post, kind="helpful")
    [award, reversal] = entries(helper, rule=RuleKey.HELPFUL_RECEIVED)
    assert (reversal.kind, reversal.delta, reversal.reverses) == (EntryKind.REVERSAL, -2, award)
    assert balance_of(helper, space.community) == 1


def test_reacting_again_after_taking_it_back_earns_again_once(asker, helper, space, commit):
    thread = start(asker, space)
    with commit():
        post = reply(helper, thread)
    for _round in range(2):
        with commit():
            conversations.add_reaction(user=asker, post=post, kind="love")
        with commit():
            conversations.remove_reaction(user=asker, post=post, kind="love")
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="love")
    assert total_of(helper, space.community) == 1 + 1
    assert balance_of(helper, space.community) == 2


def test_reacting_to_ones_own_post_earns_nothing(asker, space, commit):
    thread = start(asker, space)
    post = reply(asker, thread)
    Reaction.objects.create(post=post, user=asker, kind="helpful")
    with commit():
        for event in (
            conversation_events.ReactionAdded(
                community_id=space.community_id, actor_id=asker.pk, post_id=post.pk, kind="helpful", post_author_id=None
            ),
            conversation_events.ReactionAdded(
                community_id=space.community_id,
                actor_id=asker.pk,
                post_id=post.pk,
                kind="helpful",
                post_author_id=asker.pk,
            ),
        ):
            events.on_commit_publish(event)
    assert entries(asker, rule=RuleKey.HELPFUL_RECEIVED) == []


def test_a_stale_reaction_event_earns_nothing_once_the_reaction_is_gone(asker, helper, space, commit):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        events.on_commit_publish(
            conversation_events.ReactionAdded(
                community_id=space.community_id,
                actor_id=asker.pk,
                post_id=post.pk,
                kind="helpful",
                post_author_id=helper.pk,
            )
        )
    assert entries(helper, rule=RuleKey.HELPFUL_RECEIVED) == []


# Idempotency


def test_the_same_event_twice_awards_once(asker, helper, space, commit, generous):
    thread = start(asker, space)
    post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="helpful")
        conversations.accept_answer(actor=asker, thread=thread, post=post)
    published = [
        conversation_events.PostCreated(
            community_id=space.community_id, actor_id=helper.pk, thread_id=thread.pk, post_id=post.pk
        ),
        conversation_events.ReactionAdded(
            community_id=space.community_id,
            actor_id=asker.pk,
            post_id=post.pk,
            kind="helpful",
            post_author_id=helper.pk,
        ),
        conversation_events.AnswerAccepted(
            community_id=space.community_id,
            actor_id=asker.pk,
            thread_id=thread.pk,
            post_id=post.pk,
            answerer_id=helper.pk,
        ),
    ]
    for _replay in range(2):
        with commit():
            for event in published:
                events.on_commit_publish(event)
    assert sorted((e.rule, e.delta) for e in entries(helper)) == [
        (RuleKey.ANSWER_ACCEPTED, 15),
        (RuleKey.HELPFUL_RECEIVED, 2),
        (RuleKey.REPLY, 1),
    ]
    assert balance_of(helper, space.community) == 18


def test_replaying_idea_events_awards_once(asker, helper, space, commit, manager):
    with commit():
        idea = ideas.propose_idea(author=asker, space=space, title=TITLES["bg"], description=BODIES["bg"])
        ideas.vote(user=helper, idea=idea)
        ideas.change_status(actor=manager.user, idea=idea, status="shipped")
    replay = [
        idea_events.IdeaProposed(community_id=space.community_id, actor_id=asker.pk, idea_id=idea.pk),
        idea_events.IdeaVoted(
            community_id=space.community_id, actor_id=helper.pk, idea_id=idea.pk, idea_author_id=asker.pk
        ),
        idea_events.IdeaStatusChanged(
            community_id=space.community_id,
            idea_id=idea.pk,
            change_id=1,
            from_status="new",
            to_status="shipped",
            shipped=True,
        ),
    ]
    with commit():
        for event in replay:
            events.on_commit_publish(event)
    assert sorted((e.rule, e.delta) for e in entries(asker)) == [
        (RuleKey.IDEA_PROPOSED, 2),
        (RuleKey.IDEA_SHIPPED, 50),
        (RuleKey.IDEA_VOTE_RECEIVED, 1),
    ]


# Deleting content


def test_deleting_a_reply_reverses_everything_it_earned_everyone(asker, helper, space, commit, generous):
    with commit():
        thread = start(asker, space)
        post = reply(helper, thread)
    with commit():
        conversations.add_reaction(user=asker, post=post, kind="helpful")
        conversations.accept_answer(actor=asker, thread=thread, post=post)
    assert balance_of(helper, space.community) == 18
    with commit():
        conversations.delete_post(actor=helper, post=post)
    reversals = entries(helper, kind=EntryKind.REVERSAL)
    assert sorted(e.delta for e in reversals) == [-15, -2, -1]
    assert balance_of(helper, space.community) == 0
    assert balance_of(asker, space.community) == 2  # the asker's thread is untouched


def test_deleting_a_post_twice_reverses_once(asker, helper, space, commit):
    thread = start(asker, space)
    with commit():
        post = reply(helper, thread)
    with commit():
        conversations.delete_post(actor=helper, post=post)
    with commit():
        events.on_commit_publish(
            conversation_events.PostDeleted(
                community_id=space.community_id, actor_id=helper.pk, thread_id=thread.pk, post_id=post.pk
            )
        )
    assert [e.delta for e in entries(helper)] == [1, -1]


def test_a_deleted_post_does_not_earn_when_its_events_are_replayed(asker, helper, space, commit):
    thread = start(asker, space)
    post = reply(helper, thread)
    Reaction.objects.create(post=post, user=asker, kind="like")
    with commit():
        conversations.delete_post(actor=helper, post=post)
    with commit():
        events.on_commit_publish(
            conversation_events.PostCreated(
                community_id=space.community_id, actor_id=helper.pk, thread_id=thread.pk, post_id=post.pk
            )
        )
        events.on_commit_publish(
            conversation_events.ReactionAdded(
                community_id=space.community_id,
                actor_id=asker.pk,
                post_id=post.pk,
                kind="like",
                post_author_id=helper.pk,
            )
        )
    assert balance_of(helper, space.community) == 0


def test_deleting_a_thread_opening_post_reverses_the_thread_points(asker, space, commit):
    with commit():
        thread = start(asker, space, ThreadKind.DISCUSSION)
    with commit():
        conversations.delete_post(actor=asker, post=thread.posts.get(is_opening=True))
    assert balance_of(asker, space.community) == 0


def test_a_post_deleted_event_for_a_post_that_stands_takes_nothing_back(asker, helper, space, commit):
    thread = start(asker, space)
    with commit():
        post = reply(helper, thread)
    with commit():
        events.on_commit_publish(
            conversation_events.PostDeleted(
                community_id=space.community_id, actor_id=helper.pk, thread_id=thread.pk, post_id=post.pk
            )
        )
    assert balance_of(helper, space.community) == 1


# Ideas


def test_a_vote_earns_the_ideas_author_a_point_given_by_the_voter(asker, helper, space, commit):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["pt"], description=BODIES["pt"])
    with commit():
        ideas.vote(user=helper, idea=idea)
    [entry] = entries(asker, rule=RuleKey.IDEA_VOTE_RECEIVED)
    assert (entry.delta, entry.giver, entry.source, entry.space) == (
        1,
        helper,
        f"idea:{idea.pk}:vote:{helper.pk}",
        space,
    )


def test_withdrawing_a_vote_reverses_its_point(asker, helper, space, commit):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["pt"], description=BODIES["pt"])
    with commit():
        ideas.vote(user=helper, idea=idea)
    with commit():
        ideas.withdraw_vote(user=helper, idea=idea)
    assert [e.delta for e in entries(asker, rule=RuleKey.IDEA_VOTE_RECEIVED)] == [1, -1]


def test_voting_for_ones_own_idea_earns_nothing(asker, space, commit):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["pt"], description=BODIES["pt"])
    assert IdeaVote.objects.filter(idea=idea, user=asker).exists()
    with commit():
        events.on_commit_publish(
            idea_events.IdeaVoted(
                community_id=space.community_id, actor_id=asker.pk, idea_id=idea.pk, idea_author_id=None
            )
        )
    assert entries(asker, rule=RuleKey.IDEA_VOTE_RECEIVED) == []


def test_shipping_an_idea_earns_its_author_the_shipped_rule(asker, space, commit, manager):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["af"], description=BODIES["af"])
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="planned")
    assert entries(asker, rule=RuleKey.IDEA_SHIPPED) == []
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="shipped")
    [entry] = entries(asker, rule=RuleKey.IDEA_SHIPPED)
    assert (entry.delta, entry.source, entry.giver) == (50, f"idea:{idea.pk}:shipped", None)


def test_moving_a_shipped_idea_back_reverses_the_shipped_points(asker, space, commit, manager):
    idea = ideas.propose_idea(author=asker, space=space, title=TITLES["af"], description=BODIES["af"])
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="shipped")
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="in_progress")
    assert [e.delta for e in entries(asker, rule=RuleKey.IDEA_SHIPPED)] == [50, -50]
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="shipped")
    assert balance_of(asker, space.community) == 50


def test_merging_ideas_moves_the_vote_points_to_the_idea_that_stands(asker, helper, person, space, commit, manager):
    other = person()
    original = ideas.propose_idea(author=asker, space=space, title=TITLES["pt"], description=BODIES["pt"])
    with commit():
        duplicate = ideas.propose_idea(author=other, space=space, title=TITLES["bg"], description=BODIES["bg"])
        ideas.vote(user=helper, idea=duplicate)
    assert total_of(other, space.community) == 2 + 1
    with commit():
        ideas.merge_ideas(actor=manager.user, source=duplicate, target=original)
    assert Idea.objects.get(pk=original.pk).vote_count == 3
    assert [e.delta for e in entries(other, rule=RuleKey.IDEA_VOTE_RECEIVED)] == [1, -1]
    # The duplicate's author's vote moved too: it now earns the original's author a point from them.
    assert sorted(e.giver_id or 0 for e in entries(asker, rule=RuleKey.IDEA_VOTE_RECEIVED)) == sorted(
        [helper.pk, other.pk]
    )


# Caps


def test_the_daily_cap_of_a_rule_trims_and_then_stops_awards(asker, helper, space, commit):
    rules_of(space.community_id)
    PointsRule.objects.filter(community=space.community, key=RuleKey.REPLY).update(points=3, daily_cap=7)
    thread = start(asker, space)
    with commit():
        for _n in range(4):
            reply(helper, thread)
    assert [e.delta for e in entries(helper)] == [3, 3, 1]
    assert balance_of(helper, space.community) == 7


def test_the_pair_cap_limits_what_one_member_gives_another_in_a_day(asker, helper, space, commit):
    found = settings_of(space.community_id)
    found.pair_daily_cap = 5
    found.save()
    thread = start(helper, space)
    posts = [reply(helper, thread) for _n in range(4)]
    with commit():
        for post in posts:
            conversations.add_reaction(user=asker, post=post, kind="helpful")
    assert [e.delta for e in entries(helper, giver=asker)] == [2, 2, 1]


def test_the_pair_cap_leaves_other_givers_alone(asker, helper, person, space, commit):
    found = settings_of(space.community_id)
    found.pair_daily_cap = 2
    found.save()
    thread = start(helper, space)
    posts = [reply(helper, thread) for _n in range(2)]
    fan = person()
    with commit():
        for post in posts:
            conversations.add_reaction(user=asker, post=post, kind="helpful")
            conversations.add_reaction(user=fan, post=post, kind="helpful")
    assert sum(e.delta for e in entries(helper, giver=asker)) == 2
    assert sum(e.delta for e in entries(helper, giver=fan)) == 2


def test_points_land_in_the_space_of_the_content(asker, helper, community, commit):
    first, second = SpaceFactory(community=community), SpaceFactory(community=community)
    with commit():
        reply(helper, start(asker, first))
        reply(helper, start(asker, second))
    assert sorted(e.space_id or 0 for e in entries(helper)) == sorted([first.pk, second.pk])


def test_the_request_does_not_award_before_the_commit(asker, helper, space):
    thread = start(asker, space)
    reply(helper, thread)
    assert entries(helper) == []
