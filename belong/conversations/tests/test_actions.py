"""Every change to threads, posts, reactions, tags, follows, bookmarks and collections, against the database.

A successful action writes its rows, appends to the activity log and publishes its events once the
transaction commits; a refused one raises the matching error and leaves every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Community, MembershipState, Role, Space, SpaceVisibility
from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.conversations import actions, events
from belong.conversations.actions import MAX_TAGS_PER_THREAD, Verb
from belong.conversations.models import (
    MAX_TITLE_CHARS,
    Bookmark,
    Collection,
    CollectionItem,
    Follow,
    Post,
    PostRevision,
    Product,
    Reaction,
    ReactionKind,
    Tag,
    Thread,
    ThreadKind,
    ThreadRead,
    ThreadTag,
)
from belong.conversations.tests.factories import ProductFactory, TagFactory
from belong.core.errors import BelongError, Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound
from belong.core.models import Activity
from belong.core.richtext import MAX_BODY_CHARS, quote_markdown
from conftest import collect_events

pytestmark = pytest.mark.django_db

# --- Helpers --------------------------------------------------------------------------------

WATCHED: list[type[models.Model]] = [
    Thread,
    Post,
    PostRevision,
    Reaction,
    Follow,
    Bookmark,
    Tag,
    ThreadTag,
    Product,
    Collection,
    CollectionItem,
    ThreadRead,
    Activity,
]
BRAND_ROLES = [Role.OWNER, Role.MANAGER, Role.STAFF]
NOT_BRAND_ROLES = [Role.MODERATOR, Role.AMBASSADOR, Role.EXPERT, Role.MEMBER]
MEMBER_KINDS = [k for k in ThreadKind if k not in (ThreadKind.ANNOUNCEMENT, ThreadKind.CALL_TO_ACTION, ThreadKind.IDEA)]


@pytest.fixture
def published(monkeypatch):
    """This app's own events: recognition reacts to them with events of its own (badges, ranks)."""
    return collect_events(monkeypatch, only_from="belong.conversations.events")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an action may write, to prove a refusal wrote nothing."""
    return {model.__name__: sorted(model._default_manager.values_list(), key=lambda row: row[0]) for model in WATCHED}


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """Run the block, then the on-commit callbacks (events) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refused(commit, published) -> Callable[[type[BelongError]], AbstractContextManager[Any]]:
    """Expect the block to raise `error` (exactly that class), write nothing and publish nothing."""

    @contextmanager
    def expect(error: type[BelongError]) -> Iterator[Any]:
        before, seen = snapshot(), len(published)
        with commit(), pytest.raises(error) as info:
            yield info
        assert type(info.value) is error
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
    assert entry.actor_id == actor.pk
    assert entry.community_id == community.pk
    for key, value in data.items():
        assert entry.data[key] == value, key
    return entry


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    """A user with an active membership of the given role (and any other membership fields)."""

    def make(role: str = Role.MEMBER, **fields: Any) -> User:
        user: User = make_member(role, **fields).user
        return user

    return make


@pytest.fixture
def asker(person):
    return person(Role.MEMBER)


@pytest.fixture
def other(person):
    return person(Role.MEMBER)


@pytest.fixture
def staff(person):
    return person(Role.STAFF)


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


def start(author: Any, space: Space, kind: str = ThreadKind.DISCUSSION, **fields: Any) -> Thread:
    fields.setdefault("title", "How fine should I grind for a V60?")
    fields.setdefault("body", "I use 15 g of coffee for 250 g of water.")
    if kind == ThreadKind.REVIEW:
        fields.setdefault("rating", 4)
    return actions.create_thread(author=author, space=space, kind=kind, **fields)


@pytest.fixture
def thread(asker, space) -> Thread:
    return start(asker, space)


@pytest.fixture
def question(asker, space) -> Thread:
    return start(asker, space, ThreadKind.QUESTION, title="Why is my espresso sour?", body="Always sour.")


def reply(author: Any, thread: Thread, body: str = "Grind finer.", **fields: Any) -> Post:
    return actions.create_reply(author=author, thread=thread, body=body, **fields)


def at(moment: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `timezone.now()` (and so auto_now fields) return `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- Starting threads -------------------------------------------------------------------------


def test_a_member_starts_a_discussion_with_its_opening_post(asker, space, commit, published):
    with commit():
        thread = start(asker, space, title="  How fine   should I grind? ", body="I use **15 g**.\r\n")
    thread.refresh_from_db()
    assert (thread.community, thread.space, thread.author, thread.kind) == (
        space.community,
        space,
        asker,
        ThreadKind.DISCUSSION,
    )
    assert thread.title == "How fine should I grind?"
    assert (thread.reply_count, thread.view_count, thread.product, thread.rating) == (0, 0, None, None)
    assert not (thread.is_locked or thread.is_hidden or thread.is_pinned or thread.answered_by_brand)
    post = Post.objects.get(thread=thread)
    assert post.is_opening and post.author == asker and not post.is_official
    assert post.body == "I use **15 g**."
    assert "<strong>15 g</strong>" in post.body_html
    assert Follow.objects.filter(user=asker, thread=thread).exists()
    assert_logged(
        Verb.THREAD_STARTED, actor=asker, community=space.community, target=thread, kind="discussion", post=post.pk
    )
    community_id = space.community_id
    assert published == [
        events.ThreadStarted(
            community_id=community_id, actor_id=asker.pk, thread_id=thread.pk, post_id=post.pk, kind="discussion"
        ),
        events.PostCreated(
            community_id=community_id, actor_id=asker.pk, thread_id=thread.pk, post_id=post.pk, is_opening=True
        ),
    ]


@pytest.mark.parametrize("kind", MEMBER_KINDS, ids=str)
def test_a_plain_member_starts_every_kind_but_the_brands(asker, space, kind):
    thread = start(asker, space, kind)
    assert Thread.objects.get(pk=thread.pk).kind == kind


def test_nobody_opens_an_idea_thread_from_the_thread_form(person, space):
    """An idea's thread is opened by the idea board (belong.ideas), which adds its votes and status."""
    with pytest.raises(Invalid):
        start(person(Role.OWNER), space, ThreadKind.IDEA)
    assert not Thread.objects.filter(kind=ThreadKind.IDEA).exists()


@pytest.mark.parametrize("kind", [ThreadKind.ANNOUNCEMENT, ThreadKind.CALL_TO_ACTION], ids=str)
@pytest.mark.parametrize("role", BRAND_ROLES)
def test_the_brand_starts_announcements_and_calls_for_feedback_as_official_posts(person, space, role, kind):
    thread = start(person(role), space, kind)
    assert thread.kind == kind
    assert Post.objects.get(thread=thread).is_official


@pytest.mark.parametrize("kind", [ThreadKind.ANNOUNCEMENT, ThreadKind.CALL_TO_ACTION], ids=str)
@pytest.mark.parametrize("role", NOT_BRAND_ROLES)
def test_announcements_and_calls_for_feedback_are_refused_outside_the_brand(person, space, refused, role, kind):
    author = person(role)
    with refused(NotAllowed):
        start(author, space, kind)


@pytest.mark.parametrize("role", BRAND_ROLES)
def test_a_brand_persons_opening_post_is_official(person, space, role):
    thread = start(person(role), space, ThreadKind.QUESTION)
    assert Post.objects.get(thread=thread).is_official


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_a_review_keeps_its_product_and_rating(asker, space, commit, published, rating):
    product = ProductFactory(community=space.community, name="Sidama Natural")
    with commit():
        thread = start(asker, space, ThreadKind.REVIEW, product=product, rating=rating, title="Sidama review")
    thread.refresh_from_db()
    assert (thread.product, thread.rating) == (product, rating)
    assert published[0] == events.ThreadStarted(
        community_id=space.community_id,
        actor_id=asker.pk,
        thread_id=thread.pk,
        post_id=thread.posts.get().pk,
        kind="review",
    )


@pytest.mark.parametrize("rating", [0, 6, -1, 10, None])
def test_a_review_rating_outside_1_to_5_is_refused(asker, space, refused, rating):
    with refused(Invalid) as info:
        start(asker, space, ThreadKind.REVIEW, rating=rating)
    assert "rating" in info.value.errors


@pytest.mark.parametrize("kind", [k for k in MEMBER_KINDS if k != ThreadKind.REVIEW], ids=str)
def test_only_reviews_have_a_rating(asker, space, refused, kind):
    with refused(Invalid) as info:
        start(asker, space, kind, rating=4)
    assert "rating" in info.value.errors


def test_a_review_of_another_communitys_product_is_refused(asker, space, refused):
    product = ProductFactory(community=CommunityFactory())
    with refused(Invalid) as info:
        start(asker, space, ThreadKind.REVIEW, product=product)
    assert "product" in info.value.errors


def test_a_review_must_name_a_product_when_the_community_keeps_a_list(asker, space, refused):
    ProductFactory(community=space.community)
    with refused(Invalid) as info:
        start(asker, space, ThreadKind.REVIEW, rating=4)
    assert "product" in info.value.errors


def test_a_review_of_a_retired_product_is_refused(asker, space, refused):
    retired = ProductFactory(community=space.community, is_active=False)
    with refused(Invalid) as info:
        start(asker, space, ThreadKind.REVIEW, product=retired, rating=4)
    assert "product" in info.value.errors


def test_a_product_on_a_thread_other_than_a_review_is_dropped(asker, space):
    product = ProductFactory(community=space.community)
    thread = start(asker, space, ThreadKind.PRAISE, product=product)
    assert Thread.objects.get(pk=thread.pk).product is None


def test_an_unknown_kind_is_refused(asker, space, refused):
    with refused(Invalid) as info:
        start(asker, space, "rant")
    assert "kind" in info.value.errors


@pytest.mark.parametrize("title", ["", "   ", "x" * (MAX_TITLE_CHARS + 1)])
def test_a_missing_or_oversized_title_is_refused(asker, space, refused, title):
    with refused(Invalid) as info:
        start(asker, space, title=title)
    assert "title" in info.value.errors


@pytest.mark.parametrize("body", ["", "  \n\t ", "\x00\x01", "x" * (MAX_BODY_CHARS + 1)], ids=repr)
def test_an_empty_or_oversized_opening_post_is_refused(asker, space, refused, body):
    with refused(Invalid) as info:
        start(asker, space, body=body)
    assert "body" in info.value.errors


def test_an_opening_post_at_the_size_limit_is_accepted(asker, space):
    thread = start(asker, space, body="x" * MAX_BODY_CHARS)
    assert len(thread.posts.get().body) == MAX_BODY_CHARS


def test_starting_a_thread_in_an_archived_space_is_refused(asker, community, refused):
    archived = SpaceFactory(community=community, is_archived=True)
    with refused(NotAllowed):
        start(asker, archived)


def test_starting_a_thread_in_a_restricted_space_one_cannot_see_is_refused(asker, community, refused):
    restricted = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=["expert"])
    with refused(NotAllowed):
        start(asker, restricted)


def test_a_guest_is_asked_to_sign_in_to_start_a_thread(space, refused):
    with refused(NotAuthenticated):
        start(AnonymousUser(), space)


@pytest.mark.parametrize("state", [MembershipState.SUSPENDED, MembershipState.PENDING, MembershipState.BANNED])
def test_a_member_who_is_not_active_cannot_start_a_thread(person, space, refused, state):
    author = person(Role.MEMBER, state=state, suspended_until=timezone.now() + timedelta(days=1))
    with refused(NotAllowed):
        start(author, space)


def test_someone_outside_the_community_cannot_start_a_thread(space, refused):
    with refused(NotAllowed):
        start(UserFactory(), space)


def test_invalid_input_is_reported_before_anything_is_written_even_with_tags(person, space, refused):
    """A tag the member may not add fails after the thread rows were made: they must be rolled back."""
    author = person(Role.MEMBER, trust_level=0)
    with refused(Invalid) as info:
        start(author, space, tags=["no-such-tag"])
    assert "tags" in info.value.errors


def test_a_thread_starts_with_official_tags(asker, space):
    TagFactory(community=space.community, name="espresso")
    TagFactory(community=space.community, name="grinders")
    thread = start(asker, space, tags=["Espresso", "grinders", "espresso", " "])
    assert sorted(thread.tags.values_list("slug", flat=True)) == ["espresso", "grinders"]
    assert set(ThreadTag.objects.filter(thread=thread).values_list("added_by", flat=True)) == {asker.pk}


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Как да меля кафето за джезве?", "Здравейте! Кафето ми горчи — **какво** правя грешно? Мелачка: Comandante."),
        ("Qual é a moagem certa para a AeroPress?", "Olá! O café fica aguado; já tentei 1:15. Alguém ajuda?"),
        ("Hoe maal ek koffie vir 'n moka-pot?", "Ek het 'n nuwe moka-pot gekoop, maar die koffie is bitter. Wenke?"),
    ],
    ids=["bulgarian", "portuguese", "afrikaans"],
)
def test_multilingual_threads_and_replies_round_trip(asker, other, space, title, body):
    thread = start(asker, space, ThreadKind.QUESTION, title=title, body=body)
    answer = reply(other, thread, body=body + "\n\n" + title)
    thread.refresh_from_db()
    assert thread.title == title
    opening = Post.objects.get(thread=thread, is_opening=True)
    assert opening.body == body
    assert Post.objects.get(pk=answer.pk).body == body + "\n\n" + title
    plain = body.replace("**", "")
    assert plain.split(" ")[0] in opening.body_html
    assert title.replace("'", "&#x27;") in answer.body_html or title in answer.body_html


# --- Replies ----------------------------------------------------------------------------------


def test_a_member_replies(asker, other, space, commit, published, monkeypatch):
    thread = start(asker, space)
    later = timezone.now() + timedelta(hours=2)
    at(later, monkeypatch)
    with commit():
        post = reply(other, thread, body="Try 20 clicks on a *Comandante*.")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.thread, post.author, post.is_opening, post.is_official, post.reply_to) == (
        thread,
        other,
        False,
        False,
        None,
    )
    assert "<em>Comandante</em>" in post.body_html
    assert (thread.reply_count, thread.last_activity_at) == (1, later)
    assert thread.first_brand_response_at is None
    assert Follow.objects.filter(user=other, thread=thread).exists()
    assert_logged(
        Verb.REPLIED,
        actor=other,
        community=space.community,
        target=post,
        thread=thread.pk,
        official=False,
        reply_to=None,
    )
    assert published == [
        events.PostCreated(
            community_id=space.community_id, actor_id=other.pk, thread_id=thread.pk, post_id=post.pk, is_official=False
        )
    ]


def test_a_reply_to_a_post_quotes_it(asker, other, thread, commit, published):
    first = reply(other, thread, body="Use 93 °C water.")
    quoted = quote_markdown(first.body, other.handle) + "Even for a light roast?"
    with commit():
        answer = reply(asker, thread, body=quoted, reply_to=first)
    answer.refresh_from_db()
    assert answer.reply_to == first
    assert "<blockquote>" in answer.body_html and "93 °C" in answer.body_html
    assert_logged(Verb.REPLIED, actor=asker, community=thread.community, target=answer, reply_to=first.pk)
    assert published == [
        events.PostCreated(
            community_id=thread.community_id,
            actor_id=asker.pk,
            thread_id=thread.pk,
            post_id=answer.pk,
            reply_to_id=first.pk,
        ),
        # The quote's "@handle wrote:" line tells the quoted member.
        events.MembersMentioned(
            community_id=thread.community_id,
            actor_id=asker.pk,
            post_id=answer.pk,
            thread_id=thread.pk,
            user_ids=(other.pk,),
        ),
    ]
    assert Thread.objects.get(pk=thread.pk).reply_count == 2


def test_replying_to_a_post_of_another_thread_is_refused(asker, other, space, thread, refused):
    elsewhere = reply(other, start(other, space))
    with refused(Invalid) as info:
        reply(asker, thread, reply_to=elsewhere)
    assert "reply_to" in info.value.errors


@pytest.mark.parametrize("body", ["", " \n ", "x" * (MAX_BODY_CHARS + 1)], ids=["empty", "blank", "oversized"])
def test_an_empty_or_oversized_reply_is_refused(other, thread, refused, body):
    with refused(Invalid) as info:
        reply(other, thread, body=body)
    assert "body" in info.value.errors


@pytest.mark.parametrize("change", ["locked", "hidden"])
def test_replying_to_a_locked_or_hidden_thread_is_refused(asker, other, moderator, thread, refused, change):
    actions.moderate_thread(actor=moderator, thread=thread, locked=change == "locked", hidden=change == "hidden")
    with refused(NotAllowed):
        reply(other, thread)
    with refused(NotAllowed):
        reply(asker, thread)  # not even its author


@pytest.mark.parametrize("change", ["locked", "hidden"])
def test_moderators_still_reply_to_locked_or_hidden_threads(moderator, thread, change):
    actions.moderate_thread(actor=moderator, thread=thread, locked=change == "locked", hidden=change == "hidden")
    reply(moderator, thread)
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_a_guest_is_asked_to_sign_in_to_reply(thread, refused):
    with refused(NotAuthenticated):
        reply(AnonymousUser(), thread)


def test_a_suspended_member_cannot_reply(person, thread, refused):
    suspended = person(Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=None)
    with refused(NotAllowed):
        reply(suspended, thread)


def test_replying_to_a_thread_in_an_archived_space_is_refused(other, thread, refused):
    Space.objects.filter(pk=thread.space_id).update(is_archived=True)
    with refused(NotAllowed):
        reply(other, thread)


@pytest.mark.parametrize("role", BRAND_ROLES)
def test_replies_by_the_brand_are_official(person, thread, role):
    assert reply(person(role), thread).is_official


@pytest.mark.parametrize("role", NOT_BRAND_ROLES)
def test_replies_by_others_are_not_official(person, thread, role):
    assert not reply(person(role), thread).is_official


# --- The brand's first response -------------------------------------------------------------


def test_the_brands_first_reply_to_a_members_thread_is_timed_once(asker, staff, person, space, monkeypatch):
    opened = timezone.now()
    at(opened, monkeypatch)
    thread = start(asker, space, ThreadKind.CRITICISM, title="My order is late", body="Ordered 10 days ago.")
    at(opened + timedelta(minutes=30), monkeypatch)
    reply(asker, thread, body="Still nothing.")
    at(opened + timedelta(hours=3), monkeypatch)
    first = reply(staff, thread, body="Sorry! The courier lost it; a new bag left today.")
    at(opened + timedelta(hours=5), monkeypatch)
    reply(person(Role.MANAGER), thread, body="We added a free bag, too.")
    thread.refresh_from_db()
    assert first.is_official
    assert thread.answered_by_brand
    assert thread.first_brand_response_at == opened + timedelta(hours=3)
    assert thread.brand_response_seconds == 3 * 3600
    entry = assert_logged(Verb.REPLIED, actor=staff, community=space.community, target=first)
    assert entry.data["official"] is True


def test_a_members_reply_does_not_count_as_the_brands_response(asker, other, person, thread):
    reply(other, thread)
    reply(person(Role.MODERATOR), thread)
    reply(person(Role.AMBASSADOR), thread)
    thread.refresh_from_db()
    assert not thread.answered_by_brand and thread.brand_response_seconds is None


@pytest.mark.parametrize("role", BRAND_ROLES)
def test_a_thread_the_brand_started_is_never_answered_by_the_brand(person, space, role):
    author = person(role)
    thread = start(author, space, ThreadKind.ANNOUNCEMENT, title="New Huila lot")
    reply(person(Role.STAFF), thread)
    reply(author, thread)
    thread.refresh_from_db()
    assert thread.first_brand_response_at is None


# --- Editing ----------------------------------------------------------------------------------


def test_the_author_edits_a_reply_and_the_old_text_is_kept(asker, other, thread, commit, published, monkeypatch):
    post = reply(other, thread, body="Grind finer.")
    edited = timezone.now() + timedelta(minutes=5)
    at(edited, monkeypatch)
    with commit():
        actions.edit_post(editor=other, post=post, body="Grind *a little* finer.", title="ignored for replies")
    post.refresh_from_db()
    assert post.body == "Grind *a little* finer." and "<em>a little</em>" in post.body_html
    assert post.edited_at == edited
    revision = PostRevision.objects.get(post=post)
    assert (revision.body, revision.title, revision.edited_by) == ("Grind finer.", "", other)
    assert Thread.objects.get(pk=thread.pk).title == thread.title
    assert_logged(Verb.POST_EDITED, actor=other, community=thread.community, target=post, thread=thread.pk)
    assert published == [
        events.PostEdited(community_id=thread.community_id, actor_id=other.pk, thread_id=thread.pk, post_id=post.pk)
    ]


def test_editing_the_opening_post_changes_the_title_and_keeps_both(asker, thread):
    opening = thread.posts.get(is_opening=True)
    old_title, old_body = thread.title, opening.body
    actions.edit_post(editor=asker, post=opening, body="Now with 16 g.", title=" Grinding for a V60 ")
    actions.edit_post(editor=asker, post=opening, body="Now with 16 g.", title="Grinding for V60 and Chemex")
    thread.refresh_from_db()
    assert thread.title == "Grinding for V60 and Chemex"
    history = list(PostRevision.objects.filter(post=opening).order_by("id").values_list("body", "title"))
    assert history == [(old_body, old_title), ("Now with 16 g.", "Grinding for a V60")]


def test_an_edit_that_changes_nothing_writes_nothing(asker, thread, unchanged):
    opening = thread.posts.get(is_opening=True)
    with unchanged():
        actions.edit_post(editor=asker, post=opening, body=opening.body + "\n", title=thread.title)


def test_a_moderator_edits_someone_elses_post(other, moderator, thread):
    post = reply(other, thread)
    actions.edit_post(editor=moderator, post=post, body="Removed a phone number.")
    assert PostRevision.objects.get(post=post).edited_by == moderator


def test_editing_someone_elses_post_is_refused(asker, other, thread, refused):
    post = reply(other, thread)
    with refused(NotAllowed):
        actions.edit_post(editor=asker, post=post, body="Mine now.")


def test_the_author_cannot_edit_in_a_locked_thread_but_a_moderator_can(other, moderator, thread, refused):
    post = reply(other, thread)
    actions.moderate_thread(actor=moderator, thread=thread, locked=True)
    with refused(NotAllowed):
        actions.edit_post(editor=other, post=post, body="Late change.")
    actions.edit_post(editor=moderator, post=post, body="Moderated.")


def test_a_deleted_post_cannot_be_edited(other, thread, refused):
    post = reply(other, thread)
    actions.delete_post(actor=other, post=post)
    with refused(NotAllowed):
        actions.edit_post(editor=other, post=post, body="Back again.")


@pytest.mark.parametrize(
    ("body", "title", "field"),
    [("", None, "body"), ("x" * (MAX_BODY_CHARS + 1), None, "body"), ("ok", "", "title"), ("ok", "t" * 201, "title")],
    ids=["empty body", "oversized body", "empty title", "oversized title"],
)
def test_an_edit_with_bad_input_is_refused(asker, thread, refused, body, title, field):
    opening = thread.posts.get(is_opening=True)
    with refused(Invalid) as info:
        actions.edit_post(editor=asker, post=opening, body=body, title=title)
    assert field in info.value.errors


# --- Deleting ---------------------------------------------------------------------------------


def test_the_author_soft_deletes_a_reply(other, thread, commit, published):
    post = reply(other, thread, body="Oops, wrong thread.")
    with commit():
        actions.delete_post(actor=other, post=post)
    post.refresh_from_db()
    assert post.is_deleted and post.body == "Oops, wrong thread."
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    assert_logged(Verb.POST_DELETED, actor=other, community=thread.community, target=post, thread=thread.pk)
    assert published == [
        events.PostDeleted(community_id=thread.community_id, actor_id=other.pk, thread_id=thread.pk, post_id=post.pk)
    ]


def test_deleting_the_opening_post_leaves_the_reply_count(asker, other, thread):
    reply(other, thread)
    actions.delete_post(actor=asker, post=thread.posts.get(is_opening=True))
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_a_moderator_deletes_someone_elses_post(other, moderator, thread):
    post = reply(other, thread)
    actions.delete_post(actor=moderator, post=post)
    assert Post.objects.get(pk=post.pk).is_deleted


def test_deleting_someone_elses_post_is_refused(asker, other, thread, refused):
    post = reply(other, thread)
    with refused(NotAllowed):
        actions.delete_post(actor=asker, post=post)


def test_deleting_a_post_twice_is_refused(other, thread, refused):
    post = reply(other, thread)
    actions.delete_post(actor=other, post=post)
    with refused(NotAllowed):
        actions.delete_post(actor=other, post=post)


def test_deleting_the_accepted_answer_clears_it(asker, other, question):
    answer = reply(other, question)
    actions.accept_answer(actor=asker, thread=question, post=answer)
    actions.delete_post(actor=other, post=answer)
    question.refresh_from_db()
    assert question.accepted_answer is None and question.reply_count == 0


# --- Accepted answers ------------------------------------------------------------------------


def test_the_asker_accepts_an_answer(asker, other, question, commit, published):
    answer = reply(other, question, body="Grind finer and pull 1:2 in 28 s.")
    with commit():
        result = actions.accept_answer(actor=asker, thread=question, post=answer)
    assert result.accepted_answer == answer
    assert Thread.objects.get(pk=question.pk).accepted_answer == answer
    assert_logged(
        Verb.ANSWER_ACCEPTED,
        actor=asker,
        community=question.community,
        target=question,
        post=answer.pk,
        answerer=other.pk,
        previous=None,
    )
    assert published == [
        events.AnswerAccepted(
            community_id=question.community_id,
            actor_id=asker.pk,
            thread_id=question.pk,
            post_id=answer.pk,
            answerer_id=other.pk,
        )
    ]


def test_the_asker_changes_the_accepted_answer(asker, other, staff, question, commit, published):
    first = reply(other, question)
    better = reply(staff, question, body="Your beans are 3 days old: let them rest a week.")
    actions.accept_answer(actor=asker, thread=question, post=first)
    with commit():
        actions.accept_answer(actor=asker, thread=question, post=better)
    assert Thread.objects.get(pk=question.pk).accepted_answer == better
    assert_logged(Verb.ANSWER_ACCEPTED, actor=asker, community=question.community, target=question, previous=first.pk)
    assert published == [
        events.AnswerAccepted(
            community_id=question.community_id,
            actor_id=asker.pk,
            thread_id=question.pk,
            post_id=better.pk,
            answerer_id=staff.pk,
            previous_post_id=first.pk,
        )
    ]


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MANAGER, Role.STAFF])
def test_a_moderator_accepts_on_behalf_of_the_asker(person, other, question, role):
    answer = reply(other, question)
    actions.accept_answer(actor=person(role), thread=question, post=answer)
    assert Thread.objects.get(pk=question.pk).accepted_answer == answer


def test_accepting_the_same_answer_twice_is_a_conflict(asker, other, question, refused):
    answer = reply(other, question)
    actions.accept_answer(actor=asker, thread=question, post=answer)
    with refused(Conflict):
        actions.accept_answer(actor=asker, thread=question, post=answer)


@pytest.mark.parametrize("kind", [k for k in MEMBER_KINDS if k != ThreadKind.QUESTION], ids=str)
def test_accepting_an_answer_on_a_non_question_is_refused(asker, other, space, refused, kind):
    thread = start(asker, space, kind)
    answer = reply(other, thread)
    with refused(Invalid):
        actions.accept_answer(actor=asker, thread=thread, post=answer)


@pytest.mark.parametrize("who", ["answerer", "another member", "expert", "ambassador"])
def test_accepting_an_answer_by_someone_else_is_refused(person, other, question, refused, who):
    answer = reply(other, question)
    actor = {"answerer": other, "another member": person(), "expert": person(Role.EXPERT)}.get(who) or person(
        Role.AMBASSADOR
    )
    with refused(NotAllowed):
        actions.accept_answer(actor=actor, thread=question, post=answer)


def test_a_guest_cannot_accept_an_answer(other, question, refused):
    answer = reply(other, question)
    with refused(NotAuthenticated):
        actions.accept_answer(actor=AnonymousUser(), thread=question, post=answer)


def test_the_question_itself_cannot_be_its_answer(asker, question, refused):
    with refused(Invalid) as info:
        actions.accept_answer(actor=asker, thread=question, post=question.posts.get(is_opening=True))
    assert "post" in info.value.errors


def test_a_reply_of_another_thread_cannot_be_the_answer(asker, other, space, question, refused):
    elsewhere = reply(other, start(asker, space, ThreadKind.QUESTION))
    with refused(Invalid):
        actions.accept_answer(actor=asker, thread=question, post=elsewhere)


def test_a_deleted_reply_cannot_be_the_answer(asker, other, question, refused):
    answer = reply(other, question)
    actions.delete_post(actor=other, post=answer)
    answer.refresh_from_db()
    with refused(Conflict):
        actions.accept_answer(actor=asker, thread=question, post=answer)


def test_a_hidden_reply_cannot_be_the_answer(asker, other, question, refused):
    answer = reply(other, question)
    Post.objects.filter(pk=answer.pk).update(is_hidden=True)
    answer.refresh_from_db()
    with refused(Conflict):
        actions.accept_answer(actor=asker, thread=question, post=answer)


# --- Reactions --------------------------------------------------------------------------------


def test_a_member_reacts_to_someone_elses_post(asker, other, thread, commit, published):
    post = reply(other, thread)
    with commit():
        reaction = actions.add_reaction(user=asker, post=post, kind=ReactionKind.HELPFUL)
    assert (reaction.post, reaction.user, reaction.kind) == (post, asker, "helpful")
    assert_logged(Verb.REACTED, actor=asker, community=thread.community, target=post, kind="helpful", author=other.pk)
    assert published == [
        events.ReactionAdded(
            community_id=thread.community_id,
            actor_id=asker.pk,
            post_id=post.pk,
            kind="helpful",
            post_author_id=other.pk,
        )
    ]


def test_every_reaction_of_the_fixed_set_can_be_given_once(asker, other, thread):
    post = reply(other, thread)
    for kind in ReactionKind:
        actions.add_reaction(user=asker, post=post, kind=kind)
    assert sorted(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == sorted(ReactionKind.values)
    assert {"like", "helpful"} <= set(ReactionKind.values)


def test_reacting_twice_the_same_way_is_a_conflict(asker, other, thread, refused):
    post = reply(other, thread)
    actions.add_reaction(user=asker, post=post, kind=ReactionKind.LIKE)
    with refused(Conflict):
        actions.add_reaction(user=asker, post=post, kind=ReactionKind.LIKE)


def test_reacting_to_ones_own_post_is_refused(other, thread, refused):
    post = reply(other, thread)
    with refused(NotAllowed):
        actions.add_reaction(user=other, post=post, kind=ReactionKind.LIKE)


def test_an_unknown_reaction_is_refused(asker, other, thread, refused):
    post = reply(other, thread)
    with refused(Invalid) as info:
        actions.add_reaction(user=asker, post=post, kind="angry")
    assert "kind" in info.value.errors


def test_reacting_to_a_deleted_post_is_refused(asker, other, thread, refused):
    post = reply(other, thread)
    actions.delete_post(actor=other, post=post)
    with refused(NotAllowed):
        actions.add_reaction(user=asker, post=post, kind=ReactionKind.LIKE)


def test_a_guest_is_asked_to_sign_in_to_react(other, thread, refused):
    post = reply(other, thread)
    with refused(NotAuthenticated):
        actions.add_reaction(user=AnonymousUser(), post=post, kind=ReactionKind.LIKE)


def test_a_member_takes_a_reaction_back(asker, other, thread, commit, published):
    post = reply(other, thread)
    actions.add_reaction(user=asker, post=post, kind=ReactionKind.LIKE)
    actions.add_reaction(user=asker, post=post, kind=ReactionKind.HELPFUL)
    with commit():
        actions.remove_reaction(user=asker, post=post, kind=ReactionKind.LIKE)
    assert list(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == ["helpful"]
    assert_logged(Verb.UNREACTED, actor=asker, community=thread.community, target=post, kind="like")
    assert published == [
        events.ReactionRemoved(
            community_id=thread.community_id, actor_id=asker.pk, post_id=post.pk, kind="like", post_author_id=other.pk
        )
    ]


def test_taking_back_a_reaction_never_given_is_refused(asker, other, thread, refused):
    post = reply(other, thread)
    actions.add_reaction(user=asker, post=post, kind=ReactionKind.HELPFUL)
    with refused(NotFound):
        actions.remove_reaction(user=asker, post=post, kind=ReactionKind.LIKE)


# --- Mentions ---------------------------------------------------------------------------------


def _mentions(published: list[Any]) -> list[events.MembersMentioned]:
    return [event for event in published if isinstance(event, events.MembersMentioned)]


def test_mentions_name_active_members_case_insensitively(asker, person, space, thread, commit, published):
    maria = person(Role.MEMBER)
    User.objects.filter(pk=maria.pk).update(handle="Maria.G")
    stoyan = person(Role.EXPERT)
    suspended = person(Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=None)
    left = person(Role.MEMBER, state=MembershipState.LEFT)
    pending = person(Role.MEMBER, state=MembershipState.PENDING)
    outsider = UserFactory()
    body = (
        f"@maria.g and @{stoyan.handle.upper()}, what do you think? Also @{suspended.handle} @{left.handle} "
        f"@{pending.handle} @{outsider.handle} @nobody_here and me, @{asker.handle}. `@{stoyan.handle}` again."
    )
    with commit():
        post = reply(asker, thread, body=body)
    mentioned = _mentions(published)
    assert len(mentioned) == 1
    event = mentioned[0]
    assert (event.community_id, event.actor_id, event.post_id, event.thread_id) == (
        space.community_id,
        asker.pk,
        post.pk,
        thread.pk,
    )
    assert sorted(event.user_ids) == sorted([maria.pk, stoyan.pk])
    assert '<a href="/u/maria.g/" class="mention"' in post.body_html or "/u/maria.g/" in post.body_html


def test_a_mention_in_the_opening_post_is_announced(asker, other, space, commit, published):
    with commit():
        thread = start(asker, space, body=f"Hey @{other.handle}, you asked about this.")
    assert _mentions(published) == [
        events.MembersMentioned(
            community_id=space.community_id,
            actor_id=asker.pk,
            post_id=thread.posts.get().pk,
            thread_id=thread.pk,
            user_ids=(other.pk,),
        )
    ]


def test_a_post_without_mentions_of_members_announces_none(asker, thread, commit, published):
    with commit():
        reply(asker, thread, body=f"Just me, @{asker.handle}, and an address: me@example.com")
    assert _mentions(published) == []


def test_mentions_of_members_of_another_community_are_ignored(asker, thread, commit, published, make_member):
    stranger = make_member(Role.MEMBER, community=CommunityFactory()).user
    with commit():
        reply(asker, thread, body=f"@{stranger.handle}?")
    assert _mentions(published) == []


# --- Tags -------------------------------------------------------------------------------------


def test_a_manager_defines_an_official_tag(person, community):
    manager = person(Role.MANAGER)
    tag = actions.create_tag(actor=manager, community=community, name="  Cold   brew ")
    assert (tag.name, tag.slug, tag.is_official, tag.created_by) == ("Cold brew", "cold-brew", True, manager)
    assert_logged(Verb.TAG_CREATED, actor=manager, community=community, target=tag, official=True)


def test_a_tag_may_be_named_in_cyrillic(person, community):
    tag = actions.create_tag(actor=person(Role.MODERATOR), community=community, name="Джезве")
    assert tag.slug == "джезве"


def test_defining_a_tag_that_exists_is_a_conflict(person, community, refused):
    manager = person(Role.MANAGER)
    actions.create_tag(actor=manager, community=community, name="Espresso")
    with refused(Conflict):
        actions.create_tag(actor=manager, community=community, name="espresso")


def test_a_free_tag_becomes_official_when_a_manager_defines_it(person, thread, community):
    writer = person(Role.MEMBER, trust_level=1)
    own = start(writer, thread.space)
    actions.set_tags(actor=writer, thread=own, names=["decaf"])
    assert not Tag.objects.get(slug="decaf").is_official
    tag = actions.create_tag(actor=person(Role.MANAGER), community=community, name="Decaf")
    assert tag.is_official and Tag.objects.filter(community=community).count() == 1


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.EXPERT, Role.MEMBER])
def test_defining_tags_is_refused_below_moderator(person, community, refused, role):
    actor = person(role)
    with refused(NotAllowed):
        actions.create_tag(actor=actor, community=community, name="Espresso")


@pytest.mark.parametrize("name", ["", "   ", "!!!"])
def test_a_tag_needs_letters_or_digits(person, community, refused, name):
    manager = person(Role.MANAGER)
    with refused(Invalid):
        actions.create_tag(actor=manager, community=community, name=name)


def test_the_author_tags_a_thread_with_official_tags_at_trust_level_zero(person, space, community, commit):
    author = person(Role.MEMBER, trust_level=0)
    thread = start(author, space)
    espresso = TagFactory(community=community, name="espresso")
    TagFactory(community=community, name="v60")
    actions.set_tags(actor=author, thread=thread, names=["v60"])
    tags = actions.set_tags(actor=author, thread=thread, names=["Espresso", "espresso"])
    assert tags == [espresso]
    assert list(thread.tags.all()) == [espresso]
    assert_logged(Verb.TAGGED, actor=author, community=community, target=thread, tags=["espresso"])


def test_a_member_at_trust_level_zero_cannot_add_a_free_tag(person, space, refused):
    author = person(Role.MEMBER, trust_level=0)
    thread = start(author, space)
    TagFactory(community=space.community, name="espresso")
    with refused(Invalid) as info:
        actions.set_tags(actor=author, thread=thread, names=["espresso", "my-new-tag"])
    assert "tags" in info.value.errors and "my-new-tag" in info.value.detail


def test_a_member_from_trust_level_one_adds_free_tags(person, space):
    author = person(Role.MEMBER, trust_level=1)
    thread = start(author, space)
    tags = actions.set_tags(actor=author, thread=thread, names=["Джезве", "Moka pot"])
    assert [(t.slug, t.is_official, t.created_by) for t in tags] == [
        ("джезве", False, author),
        ("moka-pot", False, author),
    ]


def test_a_thread_takes_at_most_five_tags(person, space, refused):
    author = person(Role.MEMBER, trust_level=2)
    thread = start(author, space)
    names = [f"tag{n}" for n in range(MAX_TAGS_PER_THREAD + 1)]
    with refused(Invalid) as info:
        actions.set_tags(actor=author, thread=thread, names=names)
    assert "tags" in info.value.errors
    actions.set_tags(actor=author, thread=thread, names=names[:MAX_TAGS_PER_THREAD])
    assert thread.tags.count() == MAX_TAGS_PER_THREAD


def test_more_than_five_tags_are_refused_when_starting_a_thread(person, space, refused):
    author = person(Role.MEMBER, trust_level=2)
    with refused(Invalid):
        start(author, space, tags=[f"tag{n}" for n in range(MAX_TAGS_PER_THREAD + 1)])


def test_tagging_someone_elses_thread_is_refused_but_a_moderator_may(other, moderator, thread, refused):
    TagFactory(community=thread.community, name="espresso")
    with refused(NotAllowed):
        actions.set_tags(actor=other, thread=thread, names=["espresso"])
    actions.set_tags(actor=moderator, thread=thread, names=["espresso"])
    assert list(thread.tags.values_list("slug", flat=True)) == ["espresso"]


# --- Products ---------------------------------------------------------------------------------


def test_the_brand_adds_a_product(person, community):
    manager = person(Role.MANAGER)
    product = actions.create_product(
        actor=manager, community=community, name="Comandante C40", slug="comandante-c40", description="A hand grinder."
    )
    assert Product.objects.get(pk=product.pk).name == "Comandante C40"
    assert_logged(Verb.PRODUCT_CREATED, actor=manager, community=community, target=product)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.EXPERT, Role.MEMBER])
def test_adding_products_is_refused_outside_the_brand(person, community, refused, role):
    actor = person(role)
    with refused(NotAllowed):
        actions.create_product(actor=actor, community=community, name="Fake", slug="fake")


def test_a_products_address_is_unique_and_well_formed(person, community, refused):
    staff = person(Role.STAFF)
    actions.create_product(actor=staff, community=community, name="Huila", slug="huila")
    with refused(Conflict):
        actions.create_product(actor=staff, community=community, name="Huila again", slug="huila")
    with refused(Invalid) as info:
        actions.create_product(actor=staff, community=community, name="Bad", slug="not a slug!")
    assert "slug" in info.value.errors
    with refused(Invalid) as info:
        actions.create_product(actor=staff, community=community, name="", slug="nameless")
    assert "name" in info.value.errors


# --- Moderating threads -----------------------------------------------------------------------


def test_a_moderator_locks_hides_and_pins_a_thread(moderator, thread, commit, published):
    with commit():
        actions.moderate_thread(actor=moderator, thread=thread, locked=True, hidden=True, pinned=True)
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_hidden and thread.is_pinned
    assert_logged(
        Verb.THREAD_MODERATED,
        actor=moderator,
        community=thread.community,
        target=thread,
        is_locked=True,
        is_hidden=True,
        is_pinned=True,
    )
    assert published == [
        events.ThreadModerated(
            community_id=thread.community_id, actor_id=moderator.pk, thread_id=thread.pk, change=change
        )
        for change in ("is_locked=True", "is_hidden=True", "is_pinned=True")
    ]


def test_moderating_without_a_change_writes_nothing(moderator, thread, unchanged):
    with unchanged():
        actions.moderate_thread(actor=moderator, thread=thread, locked=False, hidden=None)


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.EXPERT, Role.MEMBER])
def test_moderating_is_refused_to_others(person, thread, refused, role):
    actor = person(role)
    with refused(NotAllowed):
        actions.moderate_thread(actor=actor, thread=thread, locked=True)


def test_the_author_cannot_moderate_their_own_thread(asker, thread, refused):
    with refused(NotAllowed):
        actions.moderate_thread(actor=asker, thread=thread, hidden=True)


# --- Follows ----------------------------------------------------------------------------------


def test_a_member_follows_a_thread_a_space_and_a_tag(other, thread, space, community, commit, published):
    tag = TagFactory(community=community, name="espresso")
    with commit():
        following = [actions.follow(user=other, target=target) for target in (thread, space, tag)]
    assert [(f.thread, f.space, f.tag) for f in following] == [
        (thread, None, None),
        (None, space, None),
        (None, None, tag),
    ]
    for target in (thread, space, tag):
        assert_logged(Verb.FOLLOWED, actor=other, community=community, target=target)
    base = {"community_id": community.pk, "actor_id": other.pk}
    assert published == [
        events.ThreadFollowed(**base, thread_id=thread.pk),
        events.ThreadFollowed(**base, space_id=space.pk),
        events.ThreadFollowed(**base, tag_id=tag.pk),
    ]


def test_following_twice_is_a_conflict(asker, other, thread, refused):
    with refused(Conflict):
        actions.follow(user=asker, target=thread)  # the author follows from the start
    actions.follow(user=other, target=thread.space)
    with refused(Conflict):
        actions.follow(user=other, target=thread.space)


def test_a_member_unfollows(other, thread, space, commit, published):
    actions.follow(user=other, target=space)
    with commit():
        actions.unfollow(user=other, target=space)
    assert not Follow.objects.filter(user=other).exists()
    assert_logged(Verb.UNFOLLOWED, actor=other, community=space.community, target=space)
    assert published == [events.Unfollowed(community_id=space.community_id, actor_id=other.pk, space_id=space.pk)]


def test_unfollowing_what_one_does_not_follow_is_refused(other, thread, refused):
    with refused(NotFound):
        actions.unfollow(user=other, target=thread)


def test_following_a_space_one_cannot_see_is_refused(other, community, refused):
    restricted = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[])
    with refused(NotAllowed):
        actions.follow(user=other, target=restricted)


def test_following_a_hidden_thread_is_refused(other, moderator, thread, refused):
    thread = actions.moderate_thread(actor=moderator, thread=thread, hidden=True)
    with refused(NotAllowed):
        actions.follow(user=other, target=thread)


def test_a_guest_cannot_follow(thread, refused):
    with refused(NotAuthenticated):
        actions.follow(user=AnonymousUser(), target=thread)


# --- Bookmarks --------------------------------------------------------------------------------


def test_a_member_bookmarks_a_thread_and_removes_it(other, thread, commit, published):
    with commit():
        saved = actions.bookmark(user=other, thread=thread)
    assert (saved.user, saved.thread) == (other, thread)
    assert_logged(Verb.BOOKMARKED, actor=other, community=thread.community, target=thread)
    with commit():
        actions.remove_bookmark(user=other, thread=thread)
    assert not Bookmark.objects.exists()
    assert_logged(Verb.UNBOOKMARKED, actor=other, community=thread.community, target=thread)
    assert published == [
        events.BookmarkChanged(
            community_id=thread.community_id, actor_id=other.pk, thread_id=thread.pk, bookmarked=True
        ),
        events.BookmarkChanged(
            community_id=thread.community_id, actor_id=other.pk, thread_id=thread.pk, bookmarked=False
        ),
    ]


def test_bookmarking_twice_is_a_conflict(other, thread, refused):
    actions.bookmark(user=other, thread=thread)
    with refused(Conflict):
        actions.bookmark(user=other, thread=thread)


def test_removing_a_bookmark_one_does_not_have_is_refused(other, thread, refused):
    with refused(NotFound):
        actions.remove_bookmark(user=other, thread=thread)


def test_bookmarking_a_hidden_thread_is_refused(other, moderator, thread, refused):
    thread = actions.moderate_thread(actor=moderator, thread=thread, hidden=True)
    with refused(NotAllowed):
        actions.bookmark(user=other, thread=thread)


def test_a_guest_cannot_bookmark(thread, refused):
    with refused(NotAuthenticated):
        actions.bookmark(user=AnonymousUser(), thread=thread)


# --- Collections ------------------------------------------------------------------------------


def test_a_member_curates_a_public_collection(asker, other, space, community, commit, published):
    first, second = start(asker, space, title="Best V60 recipe"), start(asker, space, title="Water for filter")
    with commit():
        collection = actions.create_collection(owner=other, community=community, title="  My   brewing guide ")
        actions.add_to_collection(owner=other, collection=collection, thread=first, note="Start here")
        actions.add_to_collection(owner=other, collection=collection, thread=second)
    assert (collection.title, collection.owner, collection.is_public) == ("My brewing guide", other, True)
    items = list(CollectionItem.objects.filter(collection=collection).values_list("thread", "position", "note"))
    assert items == [(first.pk, 0, "Start here"), (second.pk, 1, "")]
    assert_logged(Verb.COLLECTION_CREATED, actor=other, community=community, target=collection)
    assert_logged(Verb.COLLECTED, actor=other, community=community, target=collection, thread=second.pk)
    changed = [(e.change, e.thread_id) for e in published if isinstance(e, events.CollectionChanged)]
    assert changed == [("created", None), ("added", first.pk), ("added", second.pk)]


def test_a_collection_needs_a_title(other, community, refused):
    with refused(Invalid) as info:
        actions.create_collection(owner=other, community=community, title="   ")
    assert "title" in info.value.errors


def test_outsiders_and_guests_cannot_start_a_collection(community, refused):
    with refused(NotAllowed):
        actions.create_collection(owner=UserFactory(), community=community, title="Mine")
    with refused(NotAuthenticated):
        actions.create_collection(owner=AnonymousUser(), community=community, title="Mine")


def test_only_the_owner_changes_a_collection(asker, other, moderator, thread, community, refused):
    collection = actions.create_collection(owner=other, community=community, title="Favourites")
    for intruder in (asker, moderator):
        with refused(NotAllowed):
            actions.add_to_collection(owner=intruder, collection=collection, thread=thread)
    actions.add_to_collection(owner=other, collection=collection, thread=thread)
    with refused(NotAllowed):
        actions.remove_from_collection(owner=asker, collection=collection, thread=thread)


def test_a_thread_is_collected_once(other, thread, community, refused):
    collection = actions.create_collection(owner=other, community=community, title="Favourites")
    actions.add_to_collection(owner=other, collection=collection, thread=thread)
    with refused(Conflict):
        actions.add_to_collection(owner=other, collection=collection, thread=thread)


def test_collecting_a_thread_one_cannot_see_or_of_another_community_is_refused(
    other, moderator, thread, community, refused
):
    collection = actions.create_collection(owner=other, community=community, title="Favourites")
    elsewhere_space = SpaceFactory()
    elsewhere_author = elsewhere_space.community.memberships.create(user=UserFactory(), role=Role.MEMBER).user
    elsewhere = start(elsewhere_author, elsewhere_space)
    with refused(NotFound):
        actions.add_to_collection(owner=other, collection=collection, thread=elsewhere)
    thread = actions.moderate_thread(actor=moderator, thread=thread, hidden=True)
    with refused(NotFound):
        actions.add_to_collection(owner=other, collection=collection, thread=thread)


def test_the_owner_removes_a_thread_from_the_collection(other, thread, community, commit):
    collection = actions.create_collection(owner=other, community=community, title="Favourites")
    actions.add_to_collection(owner=other, collection=collection, thread=thread)
    with commit():
        actions.remove_from_collection(owner=other, collection=collection, thread=thread)
    assert not CollectionItem.objects.exists()
    assert_logged(Verb.UNCOLLECTED, actor=other, community=community, target=collection, thread=thread.pk)


def test_removing_a_thread_that_is_not_collected_is_refused(other, thread, community, refused):
    collection = actions.create_collection(owner=other, community=community, title="Favourites")
    with refused(NotFound):
        actions.remove_from_collection(owner=other, collection=collection, thread=thread)


# --- Views ------------------------------------------------------------------------------------


def test_views_are_counted_with_one_row_per_member(asker, other, thread, django_assert_max_num_queries):
    for _ in range(3):
        actions.record_view(user=other, thread=thread)
    # The first view of a member inserts their row and logs the first read and the day's visit.
    with django_assert_max_num_queries(8):
        actions.record_view(user=asker, thread=thread)
    assert Thread.objects.get(pk=thread.pk).view_count == 4
    reads = dict(ThreadRead.objects.filter(thread=thread).values_list("user", "times"))
    assert reads == {other.pk: 3, asker.pk: 1}
    assert ThreadRead.objects.get(user=other).community == thread.community


def test_visitors_views_are_written_a_batch_at_a_time(thread, django_assert_max_num_queries):
    cache.delete(f"views:thread:{thread.pk}")
    with django_assert_max_num_queries(0):
        for _ in range(actions.VIEW_BATCH - 1):
            actions.record_view(user=AnonymousUser(), thread=thread)
    assert Thread.objects.get(pk=thread.pk).view_count == 0
    with django_assert_max_num_queries(1):
        actions.record_view(user=AnonymousUser(), thread=thread)
    assert Thread.objects.get(pk=thread.pk).view_count == actions.VIEW_BATCH
    for _ in range(actions.VIEW_BATCH + 3):
        actions.count_visitor_view(thread.pk)
    assert Thread.objects.get(pk=thread.pk).view_count == 2 * actions.VIEW_BATCH


def test_a_repeat_view_costs_two_queries(other, thread, django_assert_num_queries):
    actions.record_view(user=other, thread=thread)
    with django_assert_num_queries(2):
        actions.record_view(user=other, thread=thread)


def test_only_the_first_read_and_the_days_visit_are_logged(other, thread):
    before = Activity.objects.count()
    actions.record_view(user=other, thread=thread)
    verbs = list(Activity.objects.order_by("id").values_list("verb", flat=True)[before:])
    assert verbs == ["thread.read", "member.visited"]
    actions.record_view(user=other, thread=thread)
    assert Activity.objects.count() == before + 2


def test_defining_tags_products_and_tagging_publish_events(person, community, space, commit, published):
    manager = person(Role.MANAGER)
    with commit():
        tag = actions.create_tag(actor=manager, community=community, name="Espresso")
        product = actions.create_product(actor=manager, community=community, name="Lote Sidama", slug="sidama")
    assert published == [
        events.TagCreated(community_id=community.pk, actor_id=manager.pk, tag_id=tag.pk, official=True),
        events.ProductCreated(community_id=community.pk, actor_id=manager.pk, product_id=product.pk),
    ]
    thread = actions.create_thread(author=manager, space=space, kind=ThreadKind.DISCUSSION, title="T", body="B")
    published.clear()
    with commit():
        actions.set_tags(actor=manager, thread=thread, names=["espresso"])
    assert published == [
        events.ThreadTagged(community_id=community.pk, actor_id=manager.pk, thread_id=thread.pk, tags=("espresso",))
    ]
