"""Every change on the idea board, against the database.

A successful action writes its rows, appends to the activity log and publishes its event once the
transaction commits; a refused one raises the matching error and leaves every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.communities.actions import Verb as CommunityVerb
from belong.communities.models import Community, MembershipState, Role, Space, SpaceAccess, SpaceVisibility
from belong.communities.permissions import Action, can
from belong.communities.queries import spaces_visible_to
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions as conversations
from belong.conversations import search
from belong.conversations.models import Bookmark, Follow, Post, PostRevision, Thread, ThreadKind
from belong.conversations.queries import visible_threads
from belong.conversations.tests.factories import ProductFactory
from belong.core import events as core_events
from belong.core.errors import BelongError, Conflict, Invalid, NotAllowed, NotAuthenticated
from belong.core.models import Activity
from belong.core.richtext import MAX_BODY_CHARS
from belong.ideas import actions, events
from belong.ideas.actions import Verb
from belong.ideas.defaults import statuses_of
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaVote,
    Importance,
    StatusChange,
)
from belong.ideas.queries import changelog
from belong.ideas.tests.factories import IdeaCategoryFactory

pytestmark = pytest.mark.django_db

# --- Helpers --------------------------------------------------------------------------------

WATCHED: list[type[models.Model]] = [
    Idea,
    IdeaVote,
    StatusChange,
    IdeaStatus,
    IdeaCategory,
    BetaGroup,
    BetaInvitation,
    SpaceAccess,
    Space,
    Thread,
    Post,
    PostRevision,
    Follow,
    Bookmark,
    Activity,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an action may write, to prove a refusal wrote nothing."""
    return {model.__name__: sorted(model._default_manager.values_list(), key=lambda row: row[0]) for model in WATCHED}


def counts() -> dict[str, int]:
    return {
        "ideas": Idea.objects.count(),
        "votes": IdeaVote.objects.count(),
        "status changes": StatusChange.objects.count(),
        "activities": Activity.objects.count(),
    }


def idea_events(published: list[core_events.Event]) -> list[core_events.Event]:
    """Only the events of the ideas app (threads and posts publish their own alongside)."""
    return [event for event in published if type(event).__module__ == events.__name__]


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """Run the block, then the on-commit callbacks (events) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refused(commit, published) -> Callable[[type[BelongError]], AbstractContextManager[Any]]:
    """Expect the block to raise `error` (exactly that class), write nothing and publish nothing."""

    @contextmanager
    def expect(error: type[BelongError]) -> Iterator[Any]:
        before, tally, seen = snapshot(), counts(), len(published)
        with commit(), pytest.raises(error) as info:
            yield info
        assert type(info.value) is error
        assert counts() == tally
        assert snapshot() == before
        assert published[seen:] == []

    return expect


@pytest.fixture
def unchanged(commit, published) -> Callable[[], AbstractContextManager[None]]:
    """Expect the block to succeed without writing or publishing anything."""

    @contextmanager
    def expect() -> Iterator[None]:
        before, seen = snapshot(), len(published)
        with commit():
            yield
        assert snapshot() == before
        assert published[seen:] == []

    return expect


def assert_logged(verb: str, *, actor: Any, community: Community, target: models.Model, **data: Any) -> Activity:
    """Check the newest activity entry with `verb` about `target`: its actor, community and data."""
    target_type = ContentType.objects.get_for_model(target)
    entry = (
        Activity.objects.filter(verb=verb, target_type=target_type, target_id=str(target.pk)).order_by("-id").first()
    )
    assert entry is not None, f"nothing logged as {verb}"
    assert entry.actor_id == (actor.pk if actor is not None else None)
    assert entry.community_id == community.pk
    for key, value in data.items():
        assert entry.data[key] == value, key
    return entry


def logged(verb: str) -> int:
    return Activity.objects.filter(verb=verb).count()


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    """A user with an active membership of the given role (and any other membership fields)."""

    def make(role: str = Role.MEMBER, **fields: Any) -> User:
        user: User = make_member(role, **fields).user
        return user

    return make


@pytest.fixture
def author(person):
    return person(Role.MEMBER)


@pytest.fixture
def other(person):
    return person(Role.MEMBER)


@pytest.fixture
def boss(person):
    """A community manager: runs the board and the beta groups."""
    return person(Role.MANAGER)


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


def propose(author: Any, space: Space, title: str = "Bring back the Sidama roast", **fields: Any) -> Idea:
    fields.setdefault("description", "It was the best **light roast** you ever sold.")
    return actions.propose_idea(author=author, space=space, title=title, **fields)


@pytest.fixture
def idea(author, space) -> Idea:
    return propose(author, space)


def fresh(idea: Idea) -> Idea:
    return Idea.objects.select_related("thread", "status").get(pk=idea.pk)


def voters(idea: Idea) -> set[int]:
    return set(IdeaVote.objects.filter(idea=idea).values_list("user_id", flat=True))


def move_to(idea: Idea, key: str, boss: Any) -> StatusChange:
    return actions.change_status(actor=boss, idea=idea, status=key)


# --- Proposing --------------------------------------------------------------------------------


def test_a_member_proposes_an_idea_and_votes_for_it(author, space, commit, published):
    with commit():
        idea = propose(author, space, title="Мобилно приложение за поръчки", description="Поръчвам всяка седмица.")
        assert idea_events(published) == []  # nothing is announced before the commit
    idea = fresh(idea)
    assert idea.pk == idea.thread_id
    assert (idea.thread.kind, idea.thread.space, idea.community) == (ThreadKind.IDEA, space, space.community)
    assert idea.title == "Мобилно приложение за поръчки"
    assert idea.author == author
    assert Post.objects.get(thread=idea.thread, is_opening=True).body == "Поръчвам всяка седмица."
    assert idea.status.key == "new" and idea.status.is_initial
    assert idea.status_changed_at is not None and idea.shipped_at is None and idea.merged_into is None
    assert idea.vote_count == 1
    assert list(IdeaVote.objects.filter(idea=idea).values_list("user_id", "importance")) == [(author.pk, "")]
    assert_logged(Verb.PROPOSED, actor=author, community=space.community, target=idea, space=space.pk)
    assert idea_events(published) == [
        events.IdeaProposed(community_id=space.community_id, actor_id=author.pk, idea_id=idea.pk)
    ]


def test_the_first_idea_provisions_the_six_default_statuses(author, space):
    assert not IdeaStatus.objects.filter(community=space.community).exists()
    propose(author, space)
    keys = list(IdeaStatus.objects.filter(community=space.community).values_list("key", flat=True))
    assert keys == ["new", "under_review", "planned", "in_progress", "shipped", "declined"]
    propose(author, space, title="A second idea")
    assert IdeaStatus.objects.filter(community=space.community).count() == 6


def test_an_idea_keeps_its_category_and_product(author, space):
    category = IdeaCategoryFactory(community=space.community, name="Koffiebone", slug="koffiebone")
    product = ProductFactory(community=space.community, name="Moka pot")
    idea = fresh(propose(author, space, title="’n Groter moka-pot", category=category, product=product))
    assert (idea.category, idea.product) == (category, product)


def test_an_idea_cannot_take_a_category_of_another_community(author, space, idea, refused):
    elsewhere = IdeaCategoryFactory(community=CommunityFactory())
    with refused(Invalid) as info:
        propose(author, space, title="Outra categoria", category=elsewhere)
    assert "category" in info.value.errors


def test_an_idea_needs_a_title(author, space, idea, refused):
    with refused(Invalid) as info:
        propose(author, space, title="   ")
    assert "title" in info.value.errors


@pytest.mark.parametrize("description", ["", " \n\t ", "x" * (MAX_BODY_CHARS + 1)], ids=["empty", "blank", "long"])
def test_an_idea_needs_a_description_of_a_fair_length(author, space, idea, refused, description):
    with refused(Invalid) as info:
        propose(author, space, title="Опис", description=description)
    assert set(info.value.errors) == {"description"}  # the idea's own name for the thread's body


@pytest.mark.parametrize(
    ("kind", "error"),
    [("outsider", NotAllowed), ("guest", NotAuthenticated), ("suspended", NotAllowed)],
)
def test_only_active_members_propose(person, space, idea, refused, kind, error):
    who = {
        "outsider": lambda: UserFactory(),
        "guest": AnonymousUser,
        "suspended": lambda: person(
            Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=timezone.now() + timedelta(days=2)
        ),
    }[kind]()
    with refused(error):
        propose(who, space, title="Uma ideia de fora")


# --- Editing ----------------------------------------------------------------------------------


def test_the_author_edits_the_words_and_the_old_text_is_kept(author, idea):
    category = IdeaCategoryFactory(community=idea.community)
    actions.edit_idea(
        editor=author, idea=idea, title="Tragam de volta o Sidama", description="Era o melhor.", category=category
    )
    idea = fresh(idea)
    assert idea.title == "Tragam de volta o Sidama"
    assert idea.category == category
    opening = Post.objects.get(thread=idea.thread, is_opening=True)
    assert opening.body == "Era o melhor."
    assert PostRevision.objects.filter(post=opening).exists()
    assert_logged(
        Verb.EDITED,
        actor=author,
        community=idea.community,
        target=idea,
        changed=["title", "description", "category"],
    )


def test_an_edit_that_changes_nothing_logs_nothing(author, idea, unchanged):
    with unchanged():
        actions.edit_idea(editor=author, idea=idea, category=None)


def test_an_edit_cannot_blank_the_description(author, idea, refused):
    with refused(Invalid) as info:
        actions.edit_idea(editor=author, idea=idea, description="   ")
    assert set(info.value.errors) == {"description"}


def test_another_member_cannot_edit_an_idea(other, idea, refused):
    with refused(NotAllowed):
        actions.edit_idea(editor=other, idea=idea, title="Mine now")


def test_the_author_cannot_edit_an_idea_once_voting_closed(author, boss, idea, refused):
    move_to(idea, "declined", boss)
    with refused(NotAllowed):
        actions.edit_idea(editor=author, idea=idea, title="Please reconsider")


def test_a_moderator_edits_any_idea(moderator, idea):
    actions.edit_idea(editor=moderator, idea=idea, title="Sidama light roast")
    assert fresh(idea).title == "Sidama light roast"


def test_an_idea_cannot_be_moved_to_a_category_of_another_community(author, idea, refused):
    elsewhere = IdeaCategoryFactory(community=CommunityFactory())
    with refused(Invalid):
        actions.edit_idea(editor=author, idea=idea, category=elsewhere)


# --- Voting -------------------------------------------------------------------------------------


def test_a_member_votes_for_an_idea(author, other, idea, commit, published):
    with commit():
        ballot = actions.vote(user=other, idea=idea, importance=Importance.CRITICAL)
    assert (ballot.user, ballot.importance) == (other, Importance.CRITICAL)
    assert fresh(idea).vote_count == 2
    assert voters(idea) == {author.pk, other.pk}
    assert_logged(Verb.VOTED, actor=other, community=idea.community, target=idea, importance="critical")
    assert idea_events(published) == [
        events.IdeaVoted(community_id=idea.community_id, actor_id=other.pk, idea_id=idea.pk, idea_author_id=author.pk)
    ]


def test_voting_again_changes_nothing(other, idea, unchanged):
    actions.vote(user=other, idea=idea, importance=Importance.IMPORTANT)
    with unchanged():
        actions.vote(user=other, idea=idea, importance=Importance.IMPORTANT)
    assert fresh(idea).vote_count == 2


def test_changing_importance_does_not_add_a_vote(other, idea, commit, published):
    actions.vote(user=other, idea=idea)
    before = Activity.objects.count()
    with commit():
        actions.vote(user=other, idea=idea, importance=Importance.NICE_TO_HAVE)
    assert fresh(idea).vote_count == 2
    assert IdeaVote.objects.filter(idea=idea).count() == 2
    assert IdeaVote.objects.get(idea=idea, user=other).importance == Importance.NICE_TO_HAVE
    assert Activity.objects.count() == before + 1
    assert_logged(Verb.VOTE_CHANGED, actor=other, community=idea.community, target=idea, importance="nice_to_have")
    assert idea_events(published) == []  # recognition counts votes cast, not second thoughts


def test_the_author_can_say_how_important_their_own_idea_is(author, idea):
    actions.vote(user=author, idea=idea, importance=Importance.CRITICAL)
    assert fresh(idea).vote_count == 1
    assert IdeaVote.objects.get(idea=idea, user=author).importance == Importance.CRITICAL


@pytest.mark.parametrize("importance", ["urgent", "CRITICAL", "крайно"])
def test_an_unknown_importance_is_refused(other, idea, refused, importance):
    with refused(Invalid) as info:
        actions.vote(user=other, idea=idea, importance=importance)
    assert "importance" in info.value.errors


@pytest.mark.parametrize("closing", ["shipped", "declined"])
def test_a_closed_idea_takes_no_votes(other, boss, idea, refused, closing):
    move_to(idea, closing, boss)
    with refused(Conflict):
        actions.vote(user=other, idea=idea)


def test_a_hidden_idea_takes_no_votes(author, moderator, idea, refused):
    actions.moderate_idea(actor=moderator, idea=idea, hidden=True)
    with refused(Conflict):
        actions.vote(user=author, idea=idea, importance=Importance.CRITICAL)  # the author still sees it
    with refused(Conflict):
        actions.vote(user=moderator, idea=idea)


def test_a_hidden_idea_is_out_of_sight_for_other_members(other, moderator, idea, refused):
    actions.moderate_idea(actor=moderator, idea=idea, hidden=True)
    with refused(NotAllowed):
        actions.vote(user=other, idea=idea)


def test_a_locked_idea_takes_no_votes(other, moderator, idea, refused):
    actions.moderate_idea(actor=moderator, idea=idea, locked=True)
    with refused(Conflict):
        actions.vote(user=other, idea=idea)


def test_a_merged_idea_takes_no_votes(author, other, boss, space, idea, refused):
    target = propose(other, space, title="Sidama light roast again")
    actions.merge_ideas(actor=boss, source=idea, target=target)
    with refused(Conflict):
        actions.vote(user=other, idea=idea)


@pytest.mark.parametrize(
    ("kind", "error"),
    [("outsider", NotAllowed), ("guest", NotAuthenticated), ("suspended", NotAllowed), ("pending", NotAllowed)],
)
def test_only_active_members_vote(person, idea, refused, kind, error):
    who = {
        "outsider": lambda: UserFactory(),
        "guest": AnonymousUser,
        "suspended": lambda: person(
            Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=timezone.now() + timedelta(days=2)
        ),
        "pending": lambda: person(Role.MEMBER, state=MembershipState.PENDING),
    }[kind]()
    with refused(error):
        actions.vote(user=who, idea=idea)


def test_members_cannot_vote_on_ideas_of_a_space_they_cannot_see(author, other, community, refused):
    secret = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.EXPERT])
    expert = UserFactory()
    MembershipFactory(community=community, user=expert, role=Role.EXPERT)
    idea = propose(expert, secret, title="Експертна идея")
    with refused(NotAllowed):
        actions.vote(user=other, idea=idea)


# --- Withdrawing --------------------------------------------------------------------------------


def test_a_member_withdraws_a_vote(author, other, idea, commit, published):
    actions.vote(user=other, idea=idea)
    with commit():
        actions.withdraw_vote(user=other, idea=idea)
    assert fresh(idea).vote_count == 1
    assert voters(idea) == {author.pk}
    assert_logged(Verb.VOTE_WITHDRAWN, actor=other, community=idea.community, target=idea)
    assert idea_events(published) == [
        events.IdeaVoteWithdrawn(
            community_id=idea.community_id, actor_id=other.pk, idea_id=idea.pk, idea_author_id=idea.thread.author_id
        )
    ]


def test_the_author_may_withdraw_their_own_vote(author, idea):
    actions.withdraw_vote(user=author, idea=idea)
    assert fresh(idea).vote_count == 0


def test_withdrawing_without_a_vote_changes_nothing(other, idea, unchanged):
    with unchanged():
        actions.withdraw_vote(user=other, idea=idea)


def test_a_vote_on_a_closed_idea_stays(author, boss, idea, refused):
    move_to(idea, "shipped", boss)
    with refused(Conflict):
        actions.withdraw_vote(user=author, idea=idea)
    assert fresh(idea).vote_count == 1


# --- Statuses of an idea --------------------------------------------------------------------------


def test_the_brand_moves_an_idea_with_a_public_note(author, boss, idea, commit, published):
    with commit():
        change = actions.change_status(
            actor=boss, idea=idea, status="planned", note="Vamos torrar o **Sidama** de novo."
        )
    idea = fresh(idea)
    assert idea.status.key == "planned"
    assert change.from_status is not None
    assert (change.from_status.key, change.to_status.key, change.changed_by) == ("new", "planned", boss)
    assert change.note == "Vamos torrar o **Sidama** de novo."
    assert "<strong>Sidama</strong>" in change.note_html
    assert idea.status_changed_at is not None
    assert abs(idea.status_changed_at - change.created_at) < timedelta(seconds=5)
    assert idea.shipped_at is None
    assert_logged(
        Verb.STATUS_CHANGED, actor=boss, community=idea.community, target=idea, **{"from": "new"}, to="planned"
    )
    assert idea_events(published) == [
        events.IdeaStatusChanged(
            community_id=idea.community_id,
            actor_id=boss.pk,
            idea_id=idea.pk,
            change_id=change.pk,
            from_status="new",
            to_status="planned",
            shipped=False,
        )
    ]


def test_shipping_dates_the_idea_and_reopening_clears_the_date(boss, idea, published, commit):
    with commit():
        move_to(idea, "shipped", boss)
    shipped = fresh(idea)
    assert shipped.shipped_at is not None and shipped.status.is_shipped
    assert idea_events(published)[-1].shipped is True  # type: ignore[attr-defined]
    move_to(idea, "in_progress", boss)
    assert fresh(idea).shipped_at is None
    assert StatusChange.objects.filter(idea=idea).count() == 2


def test_a_note_too_long_is_refused_under_its_own_name(boss, idea, refused):
    with refused(Invalid) as info:
        actions.change_status(actor=boss, idea=idea, status="planned", note="n" * (MAX_BODY_CHARS + 1))
    assert set(info.value.errors) == {"note"}


def test_an_empty_note_is_stored_empty(boss, idea):
    change = actions.change_status(actor=boss, idea=idea, status="under_review", note="   \n ")
    assert (change.note, change.note_html) == ("", "")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.AMBASSADOR, Role.EXPERT])
def test_only_the_brand_changes_an_ideas_status(person, idea, refused, role):
    with refused(NotAllowed):
        actions.change_status(actor=person(role), idea=idea, status="planned")


def test_the_author_cannot_change_their_ideas_status(author, idea, refused):
    with refused(NotAllowed):
        actions.change_status(actor=author, idea=idea, status="shipped")


@pytest.mark.parametrize("key", ["launched", "", "Planned"])
def test_an_unknown_status_is_refused(boss, idea, refused, key):
    with refused(Invalid) as info:
        actions.change_status(actor=boss, idea=idea, status=key)
    assert "status" in info.value.errors


def test_moving_an_idea_to_the_status_it_has_is_a_conflict(boss, idea, refused):
    with refused(Conflict):
        actions.change_status(actor=boss, idea=idea, status="new")


def test_a_merged_ideas_status_is_not_changed(boss, other, space, idea, refused):
    actions.merge_ideas(actor=boss, source=idea, target=propose(other, space, title="Sidama, again"))
    with refused(Conflict):
        actions.change_status(actor=boss, idea=idea, status="planned")


# --- Merging ----------------------------------------------------------------------------------------


def test_merging_moves_votes_without_counting_anyone_twice(person, boss, space, commit, published):
    a, b, c, d = (person() for _ in range(4))
    source = propose(a, space, title="Decaf Sidama")
    target = propose(d, space, title="Sidama without caffeine")
    actions.vote(user=b, idea=source, importance=Importance.CRITICAL)
    actions.vote(user=c, idea=source, importance=Importance.CRITICAL)
    actions.vote(user=c, idea=target, importance=Importance.NICE_TO_HAVE)
    with commit():
        standing = actions.merge_ideas(actor=boss, source=source, target=target)
    assert standing.pk == target.pk
    assert voters(target) == {a.pk, b.pk, c.pk, d.pk}
    assert fresh(target).vote_count == 4
    assert IdeaVote.objects.get(idea=target, user=c).importance == Importance.NICE_TO_HAVE  # c's own vote there stands
    assert IdeaVote.objects.get(idea=target, user=b).importance == Importance.CRITICAL
    merged = fresh(source)
    assert (merged.vote_count, voters(merged)) == (0, set())
    assert merged.merged_into_id == target.pk and merged.merged_at is not None
    assert merged.thread.is_locked
    assert_logged(Verb.MERGED, actor=boss, community=space.community, target=source, into=target.pk, votes=2)
    assert idea_events(published)[-1] == events.IdeasMerged(
        community_id=space.community_id, actor_id=boss.pk, source_id=source.pk, target_id=target.pk, votes_moved=2
    )


def test_merging_moves_the_discussion_and_search_finds_it_under_the_target(person, boss, space, commit):
    a, b, c = person(), person(), person()
    source = propose(a, space, title="Recyclable capsules")
    target = propose(b, space, title="Compostable capsules")
    with commit():
        moved = [
            conversations.create_reply(author=c, thread=source.thread, body="Kompos­teerbare kapsules asseblief"),
            conversations.create_reply(author=b, thread=source.thread, body="Капсули от царевично нишесте"),
        ]
        kept = conversations.create_reply(author=a, thread=target.thread, body="Cápsulas de papel")
    newest = timezone.now() - timedelta(hours=1)
    Post.objects.filter(pk=moved[1].pk).update(created_at=newest)
    Post.objects.filter(pk=kept.pk).update(created_at=newest - timedelta(hours=2))
    actions.merge_ideas(actor=boss, source=source, target=target)
    assert set(Post.objects.filter(thread=target.thread, is_opening=False).values_list("pk", flat=True)) == {
        kept.pk,
        *(post.pk for post in moved),
    }
    assert not Post.objects.filter(thread=source.thread, is_opening=False).exists()
    assert Post.objects.filter(thread=source.thread, is_opening=True).exists()  # the duplicate's words stay
    source_thread, target_thread = Thread.objects.get(pk=source.pk), Thread.objects.get(pk=target.pk)
    assert (source_thread.reply_count, target_thread.reply_count) == (0, 3)
    latest_in_target = Post.objects.filter(thread=target_thread).order_by("-created_at").first()
    assert latest_in_target is not None
    assert target_thread.last_activity_at == latest_in_target.created_at
    assert source_thread.last_activity_at == Post.objects.get(thread=source_thread, is_opening=True).created_at
    found = list(search.search_posts(c, space.community, "нишесте"))
    assert [(post.pk, post.thread_id) for post in found] == [(moved[1].pk, target.pk)]
    assert_logged(Verb.MERGED, actor=boss, community=space.community, target=source, posts=2)


def test_moved_replies_to_the_duplicates_description_stand_on_their_own(person, boss, space):
    a, b = person(), person()
    source = propose(a, space, title="Pão de queijo")
    target = propose(b, space, title="Mais pão de queijo")
    opening = Post.objects.get(thread=source.thread, is_opening=True)
    to_opening = conversations.create_reply(author=b, thread=source.thread, body="Sim!", reply_to=opening)
    to_reply = conversations.create_reply(author=a, thread=source.thread, body="Obrigado", reply_to=to_opening)
    actions.merge_ideas(actor=boss, source=source, target=target)
    to_opening.refresh_from_db()
    to_reply.refresh_from_db()
    assert (to_opening.thread_id, to_opening.reply_to_id) == (target.pk, None)
    assert (to_reply.thread_id, to_reply.reply_to_id) == (target.pk, to_opening.pk)  # both moved: the link holds


def test_merging_moves_followers_and_bookmarks_once(person, boss, space):
    a, b, c, d = (person() for _ in range(4))
    source = propose(a, space, title="Oat milk")  # a follows the idea they propose
    target = propose(b, space, title="Plant milks")  # and b theirs
    conversations.follow(user=c, target=source.thread)
    conversations.follow(user=c, target=target.thread)
    conversations.follow(user=d, target=source.thread)
    conversations.bookmark(user=c, thread=source.thread)
    conversations.bookmark(user=c, thread=target.thread)
    conversations.bookmark(user=d, thread=source.thread)
    actions.merge_ideas(actor=boss, source=source, target=target)
    followers = list(Follow.objects.filter(thread=target.thread).values_list("user_id", flat=True))
    assert sorted(followers) == sorted([a.pk, b.pk, c.pk, d.pk])
    bookmarks = list(Bookmark.objects.filter(thread=target.thread).values_list("user_id", flat=True))
    assert sorted(bookmarks) == sorted([c.pk, d.pk])
    assert not Follow.objects.filter(thread=source.thread).exists()
    assert not Bookmark.objects.filter(thread=source.thread).exists()
    assert_logged(Verb.MERGED, actor=boss, community=space.community, target=source, followers=2)


def test_an_idea_cannot_be_merged_into_itself(boss, idea, refused):
    with refused(Invalid) as info:
        actions.merge_ideas(actor=boss, source=idea, target=idea)
    assert "target" in info.value.errors


def test_a_merge_that_would_loop_back_is_refused(boss, other, space, idea, refused):
    b = propose(other, space, title="Sidama forever")
    actions.merge_ideas(actor=boss, source=idea, target=b)
    with refused(Invalid) as info:
        actions.merge_ideas(actor=boss, source=b, target=idea)
    assert "target" in info.value.errors


def test_a_longer_loop_is_refused_too(boss, person, space, refused):
    a, b, c = (propose(person(), space, title=f"Idea {n}") for n in "abc")
    actions.merge_ideas(actor=boss, source=a, target=b)
    actions.merge_ideas(actor=boss, source=b, target=c)
    assert fresh(a).merged_into_id == b.pk  # history is kept: a still points at b
    with refused(Invalid):
        actions.merge_ideas(actor=boss, source=c, target=a)


def test_merging_into_a_merged_idea_lands_on_the_one_that_stands(boss, person, space):
    a, b, c = (propose(person(), space, title=f"Ідея {n}") for n in "abc")
    voter = person()
    actions.vote(user=voter, idea=c)
    actions.merge_ideas(actor=boss, source=a, target=b)
    standing = actions.merge_ideas(actor=boss, source=c, target=a)
    assert standing.pk == b.pk
    assert fresh(c).merged_into_id == b.pk
    assert voter.pk in voters(b)
    assert fresh(b).vote_count == 4  # the three authors and the voter
    assert_logged(Verb.MERGED, actor=boss, community=space.community, target=c, into=b.pk)


def test_an_idea_merged_once_is_not_merged_again(boss, person, space, refused):
    a, b, c = (propose(person(), space, title=f"Idea {n}") for n in "abc")
    actions.merge_ideas(actor=boss, source=a, target=b)
    with refused(Conflict):
        actions.merge_ideas(actor=boss, source=a, target=c)


def test_ideas_of_two_communities_are_not_merged(boss, person, space, refused):
    elsewhere = SpaceFactory(community=CommunityFactory())
    stranger = MembershipFactory(community=elsewhere.community, role=Role.OWNER).user
    theirs = propose(stranger, elsewhere, title="Their idea")
    ours = propose(person(), space, title="Our idea")
    MembershipFactory(community=elsewhere.community, user=boss, role=Role.MANAGER)
    with refused(Invalid):
        actions.merge_ideas(actor=boss, source=ours, target=theirs)


def test_a_moderator_tidies_duplicates(moderator, other, space, idea):
    target = propose(other, space, title="Sidama again")
    assert actions.merge_ideas(actor=moderator, source=idea, target=target).pk == target.pk


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.AMBASSADOR])
def test_members_do_not_merge_ideas(person, other, space, idea, refused, role):
    target = propose(other, space, title="Sidama again")
    with refused(NotAllowed):
        actions.merge_ideas(actor=person(role), source=idea, target=target)


# --- Hiding and locking ------------------------------------------------------------------------------


def test_a_moderator_hides_and_locks_an_idea_through_its_thread(moderator, idea):
    actions.moderate_idea(actor=moderator, idea=idea, hidden=True, locked=True)
    thread = Thread.objects.get(pk=idea.pk)
    assert thread.is_hidden and thread.is_locked
    assert idea.thread.is_hidden and idea.thread.is_locked  # the instance given back is refreshed
    assert Activity.objects.filter(verb=conversations.Verb.THREAD_MODERATED, target_id=str(idea.pk)).exists()


def test_a_member_cannot_hide_an_idea(other, idea, refused):
    with refused(NotAllowed):
        actions.moderate_idea(actor=other, idea=idea, hidden=True)


# --- Statuses of the board (managers) ------------------------------------------------------------------


def test_a_manager_adds_a_status_after_the_others(boss, community):
    status = actions.create_status(actor=boss, community=community, key="Em teste", name="Em teste", on_roadmap=True)
    assert status.key == "em_teste"
    assert status.label == "Em teste"
    assert status.position == max(s.position for s in statuses_of(community) if s.pk != status.pk) + 1
    assert [s.key for s in statuses_of(community)][-1] == "em_teste"
    assert_logged(Verb.STATUS_CREATED, actor=boss, community=community, target=status, key="em_teste")


def test_a_new_initial_status_takes_over_new_ideas(boss, author, space):
    community = space.community
    status = actions.create_status(actor=boss, community=community, key="inbox", name="Входящи", is_initial=True)
    assert list(IdeaStatus.objects.filter(community=community, is_initial=True)) == [status]
    assert fresh(propose(author, space)).status == status


def test_a_refused_initial_status_leaves_the_old_one_initial(boss, community, refused):
    statuses_of(community)
    with refused(Invalid) as info:
        actions.create_status(actor=boss, community=community, key="inbox", name="x" * 61, is_initial=True)
    assert "name" in info.value.errors
    assert IdeaStatus.objects.get(community=community, is_initial=True).key == "new"


def test_marking_another_status_initial_unmarks_the_old_one(boss, community):
    planned = next(s for s in statuses_of(community) if s.key == "planned")
    actions.update_status(actor=boss, status=planned, is_initial=True)
    assert list(IdeaStatus.objects.filter(community=community, is_initial=True).values_list("key", flat=True)) == [
        "planned"
    ]


def test_the_initial_status_cannot_be_unmarked_directly(boss, community, refused):
    new = next(s for s in statuses_of(community) if s.key == "new")
    with refused(Invalid) as info:
        actions.update_status(actor=boss, status=new, is_initial=False)
    assert "is_initial" in info.value.errors


def test_a_manager_renames_a_built_in_status(boss, community):
    planned = next(s for s in statuses_of(community) if s.key == "planned")
    actions.update_status(actor=boss, status=planned, name="Beplan", position=9)
    planned.refresh_from_db()
    assert (planned.label, planned.position) == ("Beplan", 9)
    assert_logged(Verb.STATUS_UPDATED, actor=boss, community=community, target=planned, changed=["name", "position"])


def test_a_status_that_comes_to_mean_shipped_puts_its_ideas_in_the_changelog(boss, community, idea):
    in_progress = next(s for s in statuses_of(community) if s.key == "in_progress")
    actions.change_status(actor=boss, idea=idea, status="in_progress")
    actions.update_status(actor=boss, status=in_progress, is_shipped=True, is_open=False)
    idea.refresh_from_db()
    assert idea.shipped_at == idea.status_changed_at
    assert list(changelog(boss, community)) == [idea]
    actions.update_status(actor=boss, status=in_progress, is_shipped=False)
    idea.refresh_from_db()
    assert idea.shipped_at is None and list(changelog(boss, community)) == []


@pytest.mark.parametrize("write", ["create", "update"])
def test_a_shipped_status_cannot_take_votes(boss, community, refused, write):
    shipped = next(s for s in statuses_of(community) if s.key == "shipped")
    with refused(Invalid) as info:
        if write == "create":
            actions.create_status(actor=boss, community=community, key="released", is_shipped=True, is_open=True)
        else:
            actions.update_status(actor=boss, status=shipped, is_open=True)
    assert "is_open" in info.value.errors


def test_a_status_key_is_taken_once(boss, community, refused):
    statuses_of(community)
    with refused(Conflict):
        actions.create_status(actor=boss, community=community, key="Planned")


@pytest.mark.parametrize("key", ["", "  ", "!!!"])
def test_a_status_needs_a_key(boss, community, refused, key):
    statuses_of(community)
    with refused(Invalid) as info:
        actions.create_status(actor=boss, community=community, key=key)
    assert "key" in info.value.errors


def test_a_status_refuses_unknown_fields(boss, community, refused):
    statuses_of(community)
    with refused(Invalid):
        actions.create_status(actor=boss, community=community, key="later", colour="red")
    with refused(Invalid):
        actions.update_status(actor=boss, status=statuses_of(community)[0], community_id=1)


def test_an_unused_status_is_deleted(boss, community):
    status = actions.create_status(actor=boss, community=community, key="someday")
    actions.delete_status(actor=boss, status=status)
    assert not IdeaStatus.objects.filter(pk=status.pk).exists()
    entry = Activity.objects.filter(verb=Verb.STATUS_DELETED).get()
    assert (entry.actor_id, entry.community_id, entry.data) == (boss.pk, community.pk, {"key": "someday"})


def test_a_status_an_idea_is_in_is_not_deleted(boss, idea, refused):
    with refused(Conflict):
        actions.delete_status(actor=boss, status=next(s for s in statuses_of(idea.community) if s.key == "new"))


def test_a_status_ideas_have_been_in_is_not_deleted(boss, idea, refused):
    someday = actions.create_status(actor=boss, community=idea.community, key="someday")
    move_to(idea, "someday", boss)
    move_to(idea, "planned", boss)
    assert not Idea.objects.filter(status=someday).exists()
    with refused(Conflict):
        actions.delete_status(actor=boss, status=someday)


def test_the_initial_status_is_not_deleted(boss, community, refused):
    inbox = actions.create_status(actor=boss, community=community, key="inbox", is_initial=True)
    with refused(Conflict):
        actions.delete_status(actor=boss, status=inbox)


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_only_managers_shape_the_workflow(person, community, refused, role):
    statuses = statuses_of(community)
    actor = person(role)
    with refused(NotAllowed):
        actions.create_status(actor=actor, community=community, key="later")
    with refused(NotAllowed):
        actions.update_status(actor=actor, status=statuses[1], name="Renamed")
    with refused(NotAllowed):
        actions.delete_status(actor=actor, status=statuses[-1])


# --- Categories ------------------------------------------------------------------------------------------


def test_a_manager_keeps_the_categories(boss, community, author, space):
    first = actions.create_category(actor=boss, community=community, name=" Koffiebone ")
    second = actions.create_category(actor=boss, community=community, name="Кафемашини")
    assert (first.name, first.slug, first.position) == ("Koffiebone", "koffiebone", 0)
    assert (second.slug, second.position) == ("кафемашини", 1)
    assert_logged(Verb.CATEGORY_CREATED, actor=boss, community=community, target=first, slug="koffiebone")
    actions.update_category(actor=boss, category=second, name="Máquinas", position=0)
    second.refresh_from_db()
    assert (second.name, second.slug, second.position) == ("Máquinas", "кафемашини", 0)
    assert_logged(Verb.CATEGORY_UPDATED, actor=boss, community=community, target=second)
    idea = propose(author, space, category=first)
    actions.delete_category(actor=boss, category=first)
    assert not IdeaCategory.objects.filter(pk=first.pk).exists()
    assert fresh(idea).category is None  # the idea stays on the board without one
    assert logged(Verb.CATEGORY_DELETED) == 1


def test_a_category_slug_is_taken_once(boss, community, refused):
    actions.create_category(actor=boss, community=community, name="Espresso")
    with refused(Conflict):
        actions.create_category(actor=boss, community=community, name="ESPRESSO")


def test_a_category_needs_a_name(boss, community, refused):
    with refused(Invalid) as info:
        actions.create_category(actor=boss, community=community, name="  ")
    assert "name" in info.value.errors


def test_a_category_name_cannot_be_blanked(boss, community, refused):
    category = actions.create_category(actor=boss, community=community, name="Espresso")
    with refused(Invalid):
        actions.update_category(actor=boss, category=category, name=" ")


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_only_managers_keep_the_categories(person, community, refused, role):
    category = IdeaCategoryFactory(community=community)
    actor = person(role)
    with refused(NotAllowed):
        actions.create_category(actor=actor, community=community, name="Chá")
    with refused(NotAllowed):
        actions.update_category(actor=actor, category=category, name="Chá")
    with refused(NotAllowed):
        actions.delete_category(actor=actor, category=category)


# --- Private beta groups --------------------------------------------------------------------------------


@pytest.fixture
def group(boss, idea) -> BetaGroup:
    return actions.create_beta_group(
        actor=boss, community=idea.community, name="Sidama testers", description="Taste first.", idea=idea
    )


def test_a_beta_group_gets_its_own_restricted_space(boss, idea, group):
    space = group.space
    assert (space.community, space.visibility, space.allowed_roles) == (
        idea.community,
        SpaceVisibility.RESTRICTED,
        [],
    )
    assert space.slug == "beta-sidama-testers" and space.name == "Sidama testers"
    assert (group.idea, group.created_by) == (idea, boss)
    assert_logged(Verb.BETA_CREATED, actor=boss, community=idea.community, target=group, space=space.pk, idea=idea.pk)


def test_two_groups_of_one_name_get_two_spaces(boss, community):
    first = actions.create_beta_group(actor=boss, community=community, name="Kafee-toetsers")
    second = actions.create_beta_group(actor=boss, community=community, name="Kafee-toetsers")
    assert (first.space.slug, second.space.slug) == ("beta-kafee-toetsers", "beta-kafee-toetsers-2")


def test_a_group_named_in_cyrillic_gets_a_plain_space_address(boss, community):
    first = actions.create_beta_group(actor=boss, community=community, name="Бета тестери")
    second = actions.create_beta_group(actor=boss, community=community, name="Тестери")
    assert (first.space.slug, second.space.slug) == ("beta", "beta-2")
    assert first.space.name == "Бета тестери"


def test_a_beta_group_needs_a_name(boss, community, refused):
    with refused(Invalid):
        actions.create_beta_group(actor=boss, community=community, name="  ")


def test_a_beta_group_cannot_be_tied_to_an_idea_of_another_community(boss, community, refused):
    stranger_space = SpaceFactory(community=CommunityFactory())
    stranger = MembershipFactory(community=stranger_space.community).user
    theirs = propose(stranger, stranger_space, title="Elsewhere")
    with refused(Invalid):
        actions.create_beta_group(actor=boss, community=community, name="Testers", idea=theirs)


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_only_managers_open_beta_groups(person, community, refused, role):
    with refused(NotAllowed):
        actions.create_beta_group(actor=person(role), community=community, name="Testers")


def test_a_manager_invites_members(boss, other, person, group, commit, published):
    third = person()
    with commit():
        invitations = actions.invite_to_beta(actor=boss, group=group, users=[other, third], message=" Welkom! ")
    assert [(i.user, i.state, i.invited_by, i.message) for i in invitations] == [
        (other, BetaInvitationState.INVITED, boss, "Welkom!"),
        (third, BetaInvitationState.INVITED, boss, "Welkom!"),
    ]
    assert Activity.objects.filter(verb=Verb.BETA_INVITED, target_id=str(group.pk)).count() == 2
    assert_logged(Verb.BETA_INVITED, actor=boss, community=group.community, target=group, user=third.pk)
    assert [e for e in idea_events(published) if isinstance(e, events.BetaMemberInvited)] == [
        events.BetaMemberInvited(
            community_id=group.community_id,
            actor_id=boss.pk,
            group_id=group.pk,
            invitation_id=invitation.pk,
            user_id=invitation.user_id,
        )
        for invitation in invitations
    ]
    assert not can(other, Action.VIEW_SPACE, group.space)  # invited is not yet in


def test_only_members_are_invited(boss, other, group, refused):
    with refused(Invalid) as info:
        actions.invite_to_beta(actor=boss, group=group, users=[other, UserFactory(handle="buitestaander")])
    assert "members" in info.value.errors
    assert "buitestaander" in str(info.value)


def test_inviting_nobody_is_refused(boss, group, refused):
    with refused(Invalid):
        actions.invite_to_beta(actor=boss, group=group, users=[])


def test_a_member_is_invited_once(boss, other, group, refused):
    actions.invite_to_beta(actor=boss, group=group, users=[other])
    with refused(Conflict):
        actions.invite_to_beta(actor=boss, group=group, users=[other])


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_only_managers_invite(person, other, group, refused, role):
    with refused(NotAllowed):
        actions.invite_to_beta(actor=person(role), group=group, users=[other])


def _invite(boss: Any, group: BetaGroup, user: Any) -> BetaInvitation:
    return actions.invite_to_beta(actor=boss, group=group, users=[user])[0]


def test_accepting_lets_the_member_into_the_space(boss, other, group, commit, published):
    # The group's discussion goes on in its space: a thread the member could not see before.
    thread = conversations.create_thread(
        author=boss, space=group.space, kind=ThreadKind.DISCUSSION, title="Eerste proe", body="Hoe smaak dit?"
    )
    invitation = _invite(boss, group, other)
    other = User.objects.get(pk=other.pk)
    assert not can(other, Action.VIEW_SPACE, group.space)  # fills the cache the acceptance must clear
    assert group.space not in spaces_visible_to(other, group.community)
    with commit():
        answered = actions.answer_beta_invitation(user=other, invitation=invitation, accept=True)
    assert answered.state == BetaInvitationState.ACCEPTED and answered.responded_at is not None
    assert SpaceAccess.objects.filter(space=group.space, user=other).exists()
    assert can(other, Action.VIEW_SPACE, group.space)
    assert can(other, Action.POST_IN_SPACE, group.space)
    assert group.space in spaces_visible_to(other, group.community)
    assert thread in visible_threads(other, group.community)
    assert_logged(Verb.BETA_ACCEPTED, actor=other, community=group.community, target=group, invitation=invitation.pk)
    assert_logged(
        CommunityVerb.SPACE_ACCESS_GRANTED, actor=boss, community=group.community, target=group.space, user=other.pk
    )
    assert [e for e in idea_events(published) if isinstance(e, events.BetaInvitationAnswered)] == [
        events.BetaInvitationAnswered(
            community_id=group.community_id,
            actor_id=other.pk,
            group_id=group.pk,
            invitation_id=invitation.pk,
            accepted=True,
        )
    ]


def test_declining_keeps_the_member_out(boss, other, group, commit, published):
    invitation = _invite(boss, group, other)
    with commit():
        answered = actions.answer_beta_invitation(user=other, invitation=invitation, accept=False)
    assert answered.state == BetaInvitationState.DECLINED
    assert not SpaceAccess.objects.filter(space=group.space, user=other).exists()
    assert not can(other, Action.VIEW_SPACE, group.space)
    assert_logged(Verb.BETA_DECLINED, actor=other, community=group.community, target=group, invitation=invitation.pk)
    assert idea_events(published)[-1] == events.BetaInvitationAnswered(
        community_id=group.community_id,
        actor_id=other.pk,
        group_id=group.pk,
        invitation_id=invitation.pk,
        accepted=False,
    )


@pytest.mark.parametrize("first", [True, False])
def test_an_invitation_is_answered_once(boss, other, group, refused, first):
    invitation = _invite(boss, group, other)
    actions.answer_beta_invitation(user=other, invitation=invitation, accept=first)
    with refused(Conflict):
        actions.answer_beta_invitation(user=other, invitation=invitation, accept=not first)


def test_nobody_answers_someone_elses_invitation(boss, other, person, group, refused):
    invitation = _invite(boss, group, other)
    with refused(NotAllowed):
        actions.answer_beta_invitation(user=person(), invitation=invitation, accept=True)
    with refused(NotAllowed):
        actions.answer_beta_invitation(user=boss, invitation=invitation, accept=True)


def test_removing_a_member_takes_their_access_back(boss, other, group, commit, published):
    invitation = _invite(boss, group, other)
    actions.answer_beta_invitation(user=other, invitation=invitation, accept=True)
    assert can(other, Action.VIEW_SPACE, group.space)
    with commit():
        removed = actions.remove_from_beta(actor=boss, invitation=invitation)
    assert removed.state == BetaInvitationState.REMOVED
    assert not SpaceAccess.objects.filter(space=group.space, user=other).exists()
    other = User.objects.get(pk=other.pk)
    assert not can(other, Action.VIEW_SPACE, group.space)
    assert group.space not in spaces_visible_to(other, group.community)
    assert_logged(Verb.BETA_REMOVED, actor=boss, community=group.community, target=group, user=other.pk)
    assert_logged(
        CommunityVerb.SPACE_ACCESS_REVOKED, actor=boss, community=group.community, target=group.space, user=other.pk
    )
    assert [e for e in idea_events(published) if isinstance(e, events.BetaMemberRemoved)] == [
        events.BetaMemberRemoved(
            community_id=group.community_id,
            actor_id=boss.pk,
            group_id=group.pk,
            invitation_id=invitation.pk,
            user_id=other.pk,
        )
    ]


def test_a_withdrawn_invitation_cannot_be_accepted(boss, other, group, refused):
    invitation = _invite(boss, group, other)
    actions.remove_from_beta(actor=boss, invitation=invitation)
    with refused(Conflict):
        actions.answer_beta_invitation(user=other, invitation=invitation, accept=True)
    with refused(Conflict):
        actions.remove_from_beta(actor=boss, invitation=invitation)


def test_a_member_who_declined_can_be_invited_again(boss, other, group):
    first = _invite(boss, group, other)
    actions.answer_beta_invitation(user=other, invitation=first, accept=False)
    again = _invite(boss, group, other)
    assert again.pk == first.pk
    assert (again.state, again.responded_at) == (BetaInvitationState.INVITED, None)
    assert BetaInvitation.objects.filter(group=group, user=other).count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_only_managers_remove_from_beta(boss, other, person, group, refused, role):
    invitation = _invite(boss, group, other)
    actions.answer_beta_invitation(user=other, invitation=invitation, accept=True)
    with refused(NotAllowed):
        actions.remove_from_beta(actor=person(role), invitation=invitation)
    assert can(other, Action.VIEW_SPACE, group.space)
