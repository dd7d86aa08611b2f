"""Badges: every rule (at its threshold, not before), idempotency, awards by hand, revocation and the badges' reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities import actions as community_actions
from belong.communities.models import Membership, MembershipState, Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Collection, CollectionItem, Post, Reaction, ReactionKind, Thread, ThreadKind
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import publish
from belong.core.models import Activity
from belong.ideas import actions as ideas
from belong.ideas.tests.factories import IdeaFactory, IdeaVoteFactory
from belong.recognition import badges
from belong.recognition.defaults import badges_of
from belong.recognition.events import BadgeAwarded, BadgeRevoked, NominationAnswered, TrustLevelChanged
from belong.recognition.members import member_named
from belong.recognition.models import (
    Badge,
    BadgeAward,
    Celebration,
    CelebrationKind,
    NominationState,
    PointsBalance,
    PointsEntry,
    Programme,
)
from belong.recognition.tests.factories import BadgeFactory, NominationFactory

pytestmark = pytest.mark.django_db

REASONS = {
    "bg": "Благодарим ти за лекцията на срещата в София!",
    "pt": "Obrigado pela palestra no encontro de Lisboa, ação incrível!",
    "af": "Dankie vir die praatjie by die byeenkoms in Kaapstad, baie goed!",
}


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def person(make_member) -> Callable[..., Any]:
    """An active member's user."""
    return lambda role=Role.MEMBER: make_member(role).user


def keys(user, community) -> list[str]:
    return sorted(BadgeAward.objects.filter(user=user, community=community).values_list("badge__key", flat=True))


def sources(user, key) -> list[str]:
    return sorted(BadgeAward.objects.filter(user=user, badge__key=key).values_list("source", flat=True))


def react(post, count, kind=ReactionKind.HELPFUL) -> None:
    """`count` reactions from different people (written straight to the database)."""
    for _ in range(count):
        Reaction.objects.create(post=post, user=UserFactory(), kind=kind)


def badge_points(user, community, key, source="once") -> int:
    entries = PointsEntry.objects.filter(user=user, community=community, source=f"badge:{key}:{source}")
    return int(entries.aggregate(total=Sum("delta"))["total"] or 0)


# ---------------------------------------------------------------------------------------------
# Rules, through the events that trigger them


def test_joining_earns_the_welcome_badge_once(community, user, commit, published):
    with commit():
        community_actions.join_community(user=user, community=community)
    assert keys(user, community) == ["welcome"]
    joined = next(e for e in published if type(e).__name__ == "MemberJoined")
    with commit():
        publish(joined)  # the same event delivered again
    assert keys(user, community) == ["welcome"]
    awarded = [e for e in published if isinstance(e, BadgeAwarded)]
    assert [(e.badge_key, e.user_id, e.manual) for e in awarded] == [("welcome", user.pk, False)]


def test_a_first_post_earns_the_first_post_badge(space, member, commit):
    with commit():
        conversations.create_thread(
            author=member.user, space=space, kind=ThreadKind.DISCUSSION, title="Olá", body=REASONS["pt"]
        )
    assert "first-post" in keys(member.user, space.community)
    assert badges.first_post_rule(space.community_id, member.user_id) == []


def test_a_first_post_that_was_deleted_earns_nothing(space, member):
    thread = ThreadFactory(space=space, author=member.user)
    Post.objects.filter(thread=thread).update(deleted_at=timezone.now())
    assert badges.first_post_rule(space.community_id, member.user_id) == []


def _question_answered_by(space, answerer, *, deleted=False) -> Thread:
    thread = ThreadFactory(space=space, kind=ThreadKind.QUESTION)
    answer = PostFactory(thread=thread, author=answerer, deleted_at=timezone.now() if deleted else None)
    Thread.objects.filter(pk=thread.pk).update(accepted_answer=answer)
    return thread


def test_accepted_answers_earn_first_answer_then_problem_solver_at_ten(space, member):
    community_id = space.community_id
    _question_answered_by(space, member.user, deleted=True)  # a removed answer counts for nothing
    assert badges.answers_rule(community_id, member.user_id) == []
    _question_answered_by(space, member.user)
    assert [a.badge.key for a in badges.answers_rule(community_id, member.user_id)] == ["first-answer"]
    for _ in range(8):
        _question_answered_by(space, member.user)
    assert badges.answers_rule(community_id, member.user_id) == []  # nine
    _question_answered_by(space, member.user)
    assert [a.badge.key for a in badges.answers_rule(community_id, member.user_id)] == ["problem-solver"]
    assert badges.answers_rule(community_id, member.user_id) == []


def test_accepting_an_answer_gives_the_answerer_their_badge(space, person, commit):
    asker, answerer = person(), person()
    thread = conversations.create_thread(
        author=asker, space=space, kind=ThreadKind.QUESTION, title="Como limpar?", body="Alguma ideia?"
    )
    reply = conversations.create_reply(author=answerer, thread=thread, body=REASONS["af"])
    with commit():
        conversations.accept_answer(actor=asker, thread=thread, post=reply)
    assert "first-answer" in keys(answerer, space.community)
    assert "first-answer" not in keys(asker, space.community)


def test_helpful_reactions_earn_helpful_at_ten_and_very_helpful_at_fifty(space, member):
    community_id = space.community_id
    post = PostFactory(thread=ThreadFactory(space=space), author=member.user)
    removed = PostFactory(thread=post.thread, author=member.user, deleted_at=timezone.now())
    react(removed, 5)  # on a deleted post: not counted
    react(post, 5, kind=ReactionKind.LIKE)  # not “Helpful”
    Reaction.objects.create(post=post, user=member.user, kind=ReactionKind.HELPFUL)  # their own
    react(post, 9)
    assert badges.helpful_rule(community_id, member.user_id) == []
    react(post, 1)
    assert [a.badge.key for a in badges.helpful_rule(community_id, member.user_id)] == ["helpful"]
    react(post, 39)
    assert badges.helpful_rule(community_id, member.user_id) == []
    react(post, 1)
    assert [a.badge.key for a in badges.helpful_rule(community_id, member.user_id)] == ["very-helpful"]


def test_a_helpful_reaction_runs_the_helpful_rule(space, person, commit, monkeypatch):
    monkeypatch.setitem(badges.THRESHOLDS, "helpful", 1)
    author, reader = person(), person()
    post = conversations.create_reply(
        author=author, thread=ThreadFactory(space=space, author=author), body=REASONS["bg"]
    )
    with commit():
        conversations.add_reaction(user=reader, post=post, kind=ReactionKind.HELPFUL)
    assert "helpful" in keys(author, space.community)


def test_a_post_with_ten_reactions_from_others_is_appreciated_once_per_post(space, member):
    community_id = space.community_id
    first = PostFactory(thread=ThreadFactory(space=space), author=member.user)
    Reaction.objects.create(post=first, user=member.user, kind=ReactionKind.LOVE)
    react(first, 5, kind=ReactionKind.LIKE)
    react(first, 4, kind=ReactionKind.INSIGHTFUL)
    assert badges.appreciated_rule(community_id, first.pk) == []
    react(first, 1, kind=ReactionKind.AGREE)
    assert len(badges.appreciated_rule(community_id, first.pk)) == 1
    assert badges.appreciated_rule(community_id, first.pk) == []
    second = PostFactory(thread=first.thread, author=member.user)
    react(second, 10, kind=ReactionKind.LIKE)
    badges.appreciated_rule(community_id, second.pk)
    assert sources(member.user, "appreciated") == sorted([f"post:{first.pk}", f"post:{second.pk}"])


def test_reactions_on_a_post_run_the_appreciated_rule(space, person, commit, monkeypatch):
    monkeypatch.setattr(badges, "APPRECIATED_REACTIONS", 2)
    author = person()
    post = conversations.create_reply(author=author, thread=ThreadFactory(space=space), body="Dankie!")
    with commit():
        for reader in (person(), person()):
            conversations.add_reaction(user=reader, post=post, kind=ReactionKind.LOVE)
    assert sources(author, "appreciated") == [f"post:{post.pk}"]


def test_a_thread_with_ten_replies_from_others_earns_conversation_starter(space, member):
    community_id = space.community_id
    thread = ThreadFactory(space=space, author=member.user)
    PostFactory.create_batch(3, thread=thread, author=member.user)  # their own replies
    PostFactory(thread=thread, deleted_at=timezone.now())
    PostFactory.create_batch(9, thread=thread)
    assert badges.conversation_rule(community_id, thread.pk) == []
    PostFactory(thread=thread)
    assert len(badges.conversation_rule(community_id, thread.pk)) == 1
    assert sources(member.user, "conversation-starter") == [f"thread:{thread.pk}"]


def test_replies_run_the_conversation_starter_rule(space, person, commit, monkeypatch):
    monkeypatch.setattr(badges, "CONVERSATION_REPLIES", 2)
    author = person()
    thread = conversations.create_thread(
        author=author, space=space, kind=ThreadKind.DISCUSSION, title="Кафе", body="Какво пиете сутрин?"
    )
    with commit():
        for other in (person(), person()):
            conversations.create_reply(author=other, thread=thread, body="Еспресо, разбира се.")
    assert sources(author, "conversation-starter") == [f"thread:{thread.pk}"]


def test_three_stories_earn_storyteller_and_one_review_earns_reviewer(space, member):
    community_id = space.community_id
    removed = ThreadFactory(space=space, author=member.user, kind=ThreadKind.STORY)
    Post.objects.filter(thread=removed).update(deleted_at=timezone.now())
    ThreadFactory.create_batch(2, space=space, author=member.user, kind=ThreadKind.STORY)
    assert badges.stories_rule(community_id, member.user_id) == []
    ThreadFactory(space=space, author=member.user, kind=ThreadKind.STORY)
    ThreadFactory(space=space, author=member.user, kind=ThreadKind.REVIEW, rating=4)
    assert sorted(a.badge.key for a in badges.stories_rule(community_id, member.user_id)) == ["reviewer", "storyteller"]


def test_writing_a_review_gives_the_reviewer_badge(space, member, commit):
    with commit():
        conversations.create_thread(
            author=member.user, space=space, kind=ThreadKind.REVIEW, title="Goeie koffie", body="Baie lekker.", rating=5
        )
    assert "reviewer" in keys(member.user, space.community)


def test_ten_threads_in_ones_collections_earn_collector(space, member):
    community = space.community
    threads = ThreadFactory.create_batch(10, space=space)
    first = Collection.objects.create(community=community, owner=member.user, title="Receitas")
    second = Collection.objects.create(community=community, owner=member.user, title="Favoritos")
    for thread in threads[:9]:
        CollectionItem.objects.create(collection=first, thread=thread)
    CollectionItem.objects.create(collection=second, thread=threads[0])  # the same thread twice counts once
    assert badges.collector_rule(community.pk, member.user_id) == []
    CollectionItem.objects.create(collection=second, thread=threads[9])
    assert [a.badge.key for a in badges.collector_rule(community.pk, member.user_id)] == ["collector"]


def test_adding_to_a_collection_runs_the_collector_rule(space, member, commit, monkeypatch):
    monkeypatch.setitem(badges.THRESHOLDS, "collector", 1)
    collection = conversations.create_collection(owner=member.user, community=space.community, title="Resepte")
    with commit():
        conversations.add_to_collection(owner=member.user, collection=collection, thread=ThreadFactory(space=space))
    assert "collector" in keys(member.user, space.community)


def test_proposing_an_idea_earns_voice(space, member, commit):
    with commit():
        ideas.propose_idea(author=member.user, space=space, title="Modo escuro", description="Para a noite.")
    assert "voice" in keys(member.user, space.community)


def test_votes_for_ten_ideas_of_others_earn_supporter(space, member):
    community_id = space.community_id
    own = IdeaFactory(thread__space=space, thread__author=member.user)
    IdeaVoteFactory(idea=own, user=member.user)  # one's own idea does not count
    for _ in range(9):
        IdeaVoteFactory(idea=IdeaFactory(thread__space=space), user=member.user)
    assert badges.supporter_rule(community_id, member.user_id) == []
    IdeaVoteFactory(idea=IdeaFactory(thread__space=space), user=member.user)
    assert [a.badge.key for a in badges.supporter_rule(community_id, member.user_id)] == ["supporter"]


def test_voting_runs_the_supporter_rule_but_not_for_ones_own_idea(space, person, commit, monkeypatch):
    monkeypatch.setitem(badges.THRESHOLDS, "supporter", 1)
    author, voter = person(), person()
    idea = ideas.propose_idea(author=author, space=space, title="Koffie in blikke", description="Vir die pad.")
    with commit():
        ideas.vote(user=voter, idea=idea)
    assert "supporter" in keys(voter, space.community)
    assert "supporter" not in keys(author, space.community)


def test_a_shipped_idea_earns_its_author_idea_shipped_and_its_commenters_critic(space, person, manager, commit):
    author, critic, quiet, removed = person(), person(), person(), person()
    idea = ideas.propose_idea(author=author, space=space, title="Ideia", description="Descrição da ideia.")
    thread = Thread.objects.get(pk=idea.pk)
    conversations.create_reply(author=critic, thread=thread, body="E se fosse também em português?")
    conversations.create_reply(author=critic, thread=thread, body="Mais um pormenor.")
    conversations.create_reply(author=author, thread=thread, body="Boa ideia!")
    conversations.create_reply(author=manager.user, thread=thread, body="We are looking into it.")  # official
    gone = conversations.create_reply(author=removed, thread=thread, body="Never mind.")
    conversations.delete_post(actor=removed, post=gone)
    with commit():
        ideas.change_status(actor=manager.user, idea=idea, status="shipped", note="Done.")
    source = f"idea:{idea.pk}"
    assert sources(author, "idea-shipped") == [source]
    assert sources(critic, "critic") == [source]
    for nobody in (author, quiet, removed, manager.user):
        assert sources(nobody, "critic") == []
    assert badges.shipped_rule(space.community_id, idea.pk) == []  # run again: nothing new


def test_an_idea_not_shipped_earns_nothing(space, member):
    idea = IdeaFactory(thread__space=space, thread__author=member.user)
    assert badges.shipped_rule(space.community_id, idea.pk) == []


def test_accepting_a_beta_invitation_earns_beta_tester(community, manager, member, commit):
    group = ideas.create_beta_group(actor=manager.user, community=community, name="Beta", description="")
    [invitation] = ideas.invite_to_beta(actor=manager.user, group=group, users=[member.user])
    assert badges.beta_rule(community.pk, member.user_id) == []
    with commit():
        ideas.answer_beta_invitation(user=member.user, invitation=invitation, accept=True)
    assert "beta-tester" in keys(member.user, community)


def test_trust_level_three_earns_regular(community, member, commit):
    def changed(level: int) -> None:
        Membership.objects.filter(pk=member.pk).update(trust_level=level)
        with commit():
            publish(
                TrustLevelChanged(
                    community_id=community.pk,
                    membership_id=member.pk,
                    user_id=member.user_id,
                    old_level=level - 1,
                    new_level=level,
                )
            )

    changed(2)
    assert keys(member.user, community) == []
    changed(3)
    assert keys(member.user, community) == ["regular"]


@pytest.mark.parametrize("programme", Programme.values)
def test_joining_a_programme_earns_its_badge(community, member, commit, programme):
    declined = NominationFactory(
        community=community, user=member.user, programme=programme, state=NominationState.DECLINED
    )
    event = NominationAnswered(
        community_id=community.pk, nomination_id=declined.pk, user_id=member.user_id, programme=programme, accepted=True
    )
    with commit():
        publish(event)
    assert keys(member.user, community) == []  # no accepted nomination behind it
    NominationFactory(community=community, user=member.user, programme=programme, state=NominationState.ACCEPTED)
    with commit():
        publish(event)
    assert keys(member.user, community) == [programme]


def test_rules_give_nothing_to_someone_no_longer_an_active_member(community, member):
    Membership.objects.filter(pk=member.pk).update(state=MembershipState.BANNED)
    assert badges.welcome_rule(community.pk, member.user_id) == []
    assert badges.welcome_rule(community.pk, UserFactory().pk) == []


def test_rules_give_no_badge_that_is_switched_off(community, member):
    badges_of(community.pk)
    Badge.objects.filter(community=community, key="welcome").update(is_enabled=False)
    assert badges.welcome_rule(community.pk, member.user_id) == []


def test_the_event_attendee_badge_is_never_given_by_a_rule(community, member, space):
    ThreadFactory(space=space, author=member.user)
    badges.check_member(community.pk, member.user_id)
    assert "event-attendee" not in keys(member.user, community)


def test_running_every_rule_again_gives_nothing_new(space, member, monkeypatch):
    community_id = space.community_id
    thread = ThreadFactory(space=space, author=member.user, kind=ThreadKind.STORY)
    PostFactory.create_batch(10, thread=thread)
    post = PostFactory(thread=thread, author=member.user)
    react(post, 10)
    IdeaFactory(thread__space=space, thread__author=member.user)
    given = badges.check_member(community_id, member.user_id)
    assert sorted(a.badge.key for a in given) == sorted(
        ["welcome", "first-post", "helpful", "appreciated", "conversation-starter", "voice"]
    )
    assert badges.check_member(community_id, member.user_id) == []
    assert BadgeAward.objects.filter(user=member.user).count() == len(given)


def test_a_badge_a_manager_took_back_is_not_given_again_by_its_rule(community, member, manager):
    [award] = badges.welcome_rule(community.pk, member.user_id)
    badges.revoke_badge(actor=manager.user, award=award, reason="Sock puppet")
    assert badges.welcome_rule(community.pk, member.user_id) == []
    again = badges.award_badge(actor=manager.user, membership=member, key="welcome", reason="Sorry, our mistake")
    assert again.awarded_by == manager.user


def test_the_badges_points_come_with_it(community, member):
    badges.welcome_rule(community.pk, member.user_id)
    assert badge_points(member.user, community, "welcome") == 5
    assert PointsBalance.objects.get(community=community, user=member.user).total == 5


# ---------------------------------------------------------------------------------------------
# Awards by hand


@pytest.mark.parametrize("language", sorted(REASONS))
def test_a_manager_gives_a_badge_by_hand_with_a_reason(community, member, manager, commit, published, language):
    with commit():
        award = badges.award_badge(
            actor=manager.user, membership=member, key="event-attendee", reason=REASONS[language]
        )
    assert award.reason == REASONS[language]
    assert award.awarded_by == manager.user
    assert award.source.startswith("manual:")
    activity = Activity.objects.get(verb=badges.Verb.BADGE_AWARDED, recipient=member.user)
    assert activity.actor == manager.user
    assert [(e.badge_key, e.manual) for e in published if isinstance(e, BadgeAwarded)] == [("event-attendee", True)]
    assert badge_points(member.user, community, "event-attendee", award.source) == 5


def test_a_repeatable_badge_is_given_again_and_a_named_source_only_once(community, member, manager):
    first = badges.award_badge(actor=manager.user, membership=member, key="event-attendee", reason="Lisboa")
    second = badges.award_badge(actor=manager.user, membership=member, key="event-attendee", reason="Sofia")
    assert first.source != second.source
    named = badges.award_badge(
        actor=manager.user, membership=member, key="event-attendee", reason="Kaapstad", source="meetup-2025"
    )
    assert named.source == "manual:meetup-2025"
    with pytest.raises(Conflict):
        badges.award_badge(
            actor=manager.user, membership=member, key="event-attendee", reason="Again", source="meetup-2025"
        )
    assert len(sources(member.user, "event-attendee")) == 3


def test_a_once_only_badge_already_held_is_a_conflict(community, member, manager):
    badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="Always there")
    with pytest.raises(Conflict) as error:
        badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="Again")
    assert member.user.name in error.value.detail


def test_an_unknown_badge_is_refused_naming_it(community, member, manager):
    with pytest.raises(Invalid) as error:
        badges.award_badge(actor=manager.user, membership=member, key="nobel-prize", reason="Why not")
    assert "nobel-prize" in error.value.detail
    assert "key" in error.value.errors


def test_a_badge_switched_off_is_a_conflict(community, member, manager):
    badge = badges.create_badge(
        actor=manager.user, community=community, key="speaker", name="Speaker", is_enabled=False
    )
    with pytest.raises(Conflict):
        badges.award_badge(actor=manager.user, membership=member, key=badge.key, reason="Talk")


def test_a_badge_is_refused_to_someone_who_left_or_was_banned(community, manager, make_member):
    for state in (MembershipState.LEFT, MembershipState.BANNED):
        gone = make_member(state=state)
        with pytest.raises(Invalid) as error:
            badges.award_badge(actor=manager.user, membership=gone, key="helpful", reason="Thanks")
        assert "handle" in error.value.errors


def test_a_handle_that_is_not_a_member_is_a_clear_error(community):
    outsider = MembershipFactory(community=CommunityFactory()).user
    with pytest.raises(Invalid) as error:
        member_named(community, outsider.handle)
    assert outsider.handle in error.value.detail
    with pytest.raises(Invalid):
        member_named(community, "")


def test_a_manager_cannot_give_themselves_a_badge(community, manager):
    with pytest.raises(NotAllowed) as error:
        badges.award_badge(actor=manager.user, membership=manager, key="helpful", reason="Me")
    assert "yourself" in error.value.detail


def test_members_cannot_give_badges(community, member, make_member):
    other = make_member()
    with pytest.raises(NotAllowed):
        badges.award_badge(actor=member.user, membership=other, key="helpful", reason="Friend")


def test_a_manual_award_needs_a_reason(community, member, manager):
    with pytest.raises(Invalid) as error:
        badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="   ")
    assert "reason" in error.value.errors


# ---------------------------------------------------------------------------------------------
# Taking badges back


def test_taking_a_badge_back_reverses_its_points_and_its_celebration(community, member, manager, commit, published):
    with commit():
        award = badges.award_badge(actor=manager.user, membership=member, key="problem-solver", reason="Top")
    assert Celebration.objects.filter(user=member.user, kind=CelebrationKind.BADGE).count() == 1
    balance = PointsBalance.objects.get(community=community, user=member.user).total
    with commit():
        badges.revoke_badge(actor=manager.user, award=award, reason="Gaming the answers")
    assert not BadgeAward.objects.filter(pk=award.pk).exists()
    assert badge_points(member.user, community, "problem-solver") == 0
    assert PointsBalance.objects.get(community=community, user=member.user).total == balance - 5
    assert not Celebration.objects.filter(user=member.user, kind=CelebrationKind.BADGE).exists()
    activity = Activity.objects.get(verb=badges.Verb.BADGE_REVOKED)
    assert activity.data["reason"] == "Gaming the answers"
    assert activity.recipient == member.user
    assert [(e.user_id, e.actor_id) for e in published if isinstance(e, BadgeRevoked)] == [
        (member.user_id, manager.user_id)
    ]
    with pytest.raises(NotFound):
        badges.revoke_badge(actor=manager.user, award=award)


def test_members_cannot_take_badges_back(community, member, manager):
    award = badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="Thanks")
    with pytest.raises(NotAllowed):
        badges.revoke_badge(actor=member.user, award=award)


# ---------------------------------------------------------------------------------------------
# The community's own badges


@pytest.mark.parametrize(
    ("key", "name"),
    [("лектор", "Лектор на среща"), ("orador", "Orador do encontro"), ("spreker", "Spreker by die byeenkoms")],
)
def test_managers_create_badges_of_their_own(community, manager, key, name):
    badge = badges.create_badge(actor=manager.user, community=community, key=key, name=name, icon="🎤", tier="gold")
    assert (badge.key, badge.label, badge.builtin, badge.tier) == (key, name, False, "gold")
    assert badges.get_badge(community, key).pk == badge.pk


def test_a_badge_key_in_use_is_a_clear_conflict(community, manager):
    badges.create_badge(actor=manager.user, community=community, key="speaker", name="Speaker")
    for taken in ("Speaker", "helpful"):
        with pytest.raises(Conflict) as error:
            badges.create_badge(actor=manager.user, community=community, key=taken, name="Again")
        assert "key" in error.value.errors


@pytest.mark.parametrize("key", ["new", "  ", "!!!"])
def test_a_reserved_or_empty_key_is_invalid(community, manager, key):
    with pytest.raises(Invalid) as error:
        badges.create_badge(actor=manager.user, community=community, key=key, name="Badge")
    assert "key" in error.value.errors


def test_a_badge_of_ones_own_needs_a_name(community, manager):
    with pytest.raises(Invalid) as error:
        badges.create_badge(actor=manager.user, community=community, key="nameless", name=" ")
    assert "name" in error.value.errors


def test_members_cannot_create_badges(community, member):
    with pytest.raises(NotAllowed):
        badges.create_badge(actor=member.user, community=community, key="mine", name="Mine")


def test_a_built_in_badge_is_renamed_but_keeps_its_rule(community, manager):
    helpful = badges_of(community.pk)["helpful"]
    renamed = badges.update_badge(actor=manager.user, badge=helpful, name="Прекрасен помощник", tier="silver")
    assert (renamed.label, renamed.tier) == ("Прекрасен помощник", "silver")
    with pytest.raises(Invalid) as error:
        badges.update_badge(actor=manager.user, badge=helpful, repeatable=True)
    assert "repeatable" in error.value.errors
    assert str(badges.update_badge(actor=manager.user, badge=helpful, name="").label) == "Helpful"


def test_updating_a_badge_refuses_unknown_fields(community, manager):
    badge = BadgeFactory(community=community)
    with pytest.raises(Invalid):
        badges.update_badge(actor=manager.user, badge=badge, builtin=True)


def test_only_unheld_badges_of_ones_own_are_deleted(community, manager, member):
    with pytest.raises(Conflict):
        badges.delete_badge(actor=manager.user, badge=badges_of(community.pk)["welcome"])
    held = badges.create_badge(actor=manager.user, community=community, key="held", name="Held")
    badges.award_badge(actor=manager.user, membership=member, key="held", reason="Yes")
    with pytest.raises(Conflict):
        badges.delete_badge(actor=manager.user, badge=held)
    spare = badges.create_badge(actor=manager.user, community=community, key="spare", name="Spare")
    badges.delete_badge(actor=manager.user, badge=spare)
    assert not Badge.objects.filter(pk=spare.pk).exists()


# ---------------------------------------------------------------------------------------------
# Reads


def test_a_members_badges_show_each_badge_once_with_how_often(community, member, manager):
    badges.award_badge(actor=manager.user, membership=member, key="event-attendee", reason="One")
    badges.award_badge(actor=manager.user, membership=member, key="event-attendee", reason="Two")
    badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="Three")
    elsewhere = MembershipFactory(community=CommunityFactory(), user=member.user)
    badges.welcome_rule(elsewhere.community_id, member.user_id)
    held: list[Any] = list(badges.badges_of_member(community.pk, member.user_id))
    assert [(badge.key, badge.times) for badge in held] == [("helpful", 1), ("event-attendee", 2)]
    assert all(badge.last_awarded_at is not None for badge in held)


def test_the_catalogue_counts_holders_once_and_hides_switched_off_badges(community, manager, make_member):
    members = [make_member() for _ in range(2)]
    for membership in members:
        badges.award_badge(actor=manager.user, membership=membership, key="event-attendee", reason="A")
    badges.award_badge(actor=manager.user, membership=members[0], key="event-attendee", reason="B")
    Badge.objects.filter(community=community, key="voice").update(is_enabled=False)
    shown: dict[str, Any] = {badge.key: badge for badge in badges.catalogue_of(community)}
    assert shown["event-attendee"].holder_count == 2
    assert shown["welcome"].holder_count == 0
    assert "voice" not in shown
    assert "voice" in {badge.key for badge in badges.catalogue_of(community, include_disabled=True)}
    assert next(iter(shown)) == "welcome"  # the built-in catalogue's order


def test_holders_are_listed_newest_first(community, manager, make_member):
    given = [
        badges.award_badge(actor=manager.user, membership=make_member(), key="helpful", reason="Thanks")
        for _ in range(3)
    ]
    badge = badges.get_badge(community, "helpful")
    assert [award.pk for award in badges.holders_of(badge)] == [award.pk for award in reversed(given)]


def test_an_unknown_badge_key_is_not_found_naming_it(community):
    with pytest.raises(NotFound) as error:
        badges.get_badge(community, "unicorn")
    assert "unicorn" in error.value.detail
