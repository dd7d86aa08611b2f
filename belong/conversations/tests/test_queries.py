"""Reads of threads and posts: what each list shows, in which order, to whom, and at a fixed query cost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.accounts.models import User
from belong.communities.models import Role, Space, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions, queries
from belong.conversations.models import Post, ReactionKind, Thread, ThreadKind
from belong.conversations.queries import ThreadFilter
from belong.conversations.tests.factories import ProductFactory, TagFactory, ThreadFactory
from belong.core.errors import NotFound

pytestmark = pytest.mark.django_db


def count_queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def fresh(user: Any) -> Any:
    """The same person in a new request: no cached membership."""
    return type(user).objects.get(pk=user.pk) if getattr(user, "pk", None) else AnonymousUser()


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    def make(role: str = Role.MEMBER, **fields: Any) -> User:
        user: User = make_member(role, **fields).user
        return user

    return make


@pytest.fixture
def asker(person):
    return person(Role.MEMBER, trust_level=1)


@pytest.fixture
def reader(person):
    return person(Role.MEMBER)


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


def start(author: Any, space: Space, title: str, kind: str = ThreadKind.DISCUSSION, **fields: Any) -> Thread:
    if kind == ThreadKind.REVIEW:
        fields.setdefault("rating", 5)
    if kind == ThreadKind.IDEA:
        fields["board"] = True  # as the idea board opens them
    return actions.create_thread(author=author, space=space, kind=kind, title=title, body=f"About {title}.", **fields)


def titles(threads: Any) -> list[str]:
    return [thread.title for thread in threads]


def age(thread: Thread, **delta: float) -> None:
    """Move a thread's start and last activity into the past."""
    moment = timezone.now() - timedelta(**delta)
    Thread.objects.filter(pk=thread.pk).update(created_at=moment, last_activity_at=moment)


# --- Latest -----------------------------------------------------------------------------------


def test_latest_lists_the_most_recently_active_first_with_pinned_threads_on_top(asker, reader, moderator, space):
    old, middle, new = (start(asker, space, title) for title in ("Old", "Middle", "New"))
    age(old, days=3)
    age(middle, days=2)
    age(new, days=1)
    assert titles(queries.latest(reader, space.community)) == ["New", "Middle", "Old"]
    actions.create_reply(author=reader, thread=old, body="Bump with a real answer.")
    assert titles(queries.latest(reader, space.community)) == ["Old", "New", "Middle"]
    actions.moderate_thread(actor=moderator, thread=middle, pinned=True)
    assert titles(queries.latest(reader, space.community)) == ["Middle", "Old", "New"]


def test_latest_lists_only_the_communitys_own_threads(asker, reader, space):
    start(asker, space, "Ours")
    ThreadFactory(title="Theirs")
    assert titles(queries.latest(reader, space.community)) == ["Ours"]


def test_hidden_threads_show_only_to_their_author_and_moderators(asker, reader, moderator, space):
    start(asker, space, "Visible")
    hidden = start(asker, space, "Spam?")
    actions.moderate_thread(actor=moderator, thread=hidden, hidden=True)
    community = space.community
    assert titles(queries.latest(reader, community)) == ["Visible"]
    assert titles(queries.latest(AnonymousUser(), community)) == ["Visible"]
    assert set(titles(queries.latest(asker, community))) == {"Visible", "Spam?"}
    assert set(titles(queries.latest(moderator, community))) == {"Visible", "Spam?"}
    with pytest.raises(NotFound):
        queries.get_thread(reader, community, hidden.pk)
    assert queries.get_thread(asker, community, hidden.pk) == hidden


def test_threads_of_spaces_one_cannot_see_are_not_listed(asker, person, moderator, community):
    members = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    experts = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.EXPERT])
    start(asker, members, "For members")
    start(moderator, experts, "For experts")
    expert = person(Role.EXPERT)
    assert titles(queries.latest(AnonymousUser(), community)) == []
    assert titles(queries.latest(asker, community)) == ["For members"]
    assert set(titles(queries.latest(expert, community))) == {"For members", "For experts"}
    with pytest.raises(NotFound):
        queries.get_thread(AnonymousUser(), community, Thread.objects.get(title="For members").pk)


def test_get_thread_finds_a_thread_only_in_its_community(asker, reader, space):
    thread = start(asker, space, "Here")
    found = queries.get_thread(reader, space.community, thread.pk)
    assert found == thread and found.space == space
    with pytest.raises(NotFound):
        queries.get_thread(reader, ThreadFactory().community, thread.pk)


# --- Top --------------------------------------------------------------------------------------


def test_top_ranks_by_reactions_then_replies_within_the_period(asker, reader, person, space):
    _quiet, liked, discussed, ancient = (
        start(asker, space, title) for title in ("Quiet", "Liked", "Discussed", "Ancient")
    )
    opening = liked.posts.get(is_opening=True)
    for kind in (ReactionKind.LIKE, ReactionKind.HELPFUL):
        actions.add_reaction(user=reader, post=opening, kind=kind)
    actions.add_reaction(user=person(), post=opening, kind=ReactionKind.LIKE)
    for _ in range(2):
        actions.create_reply(author=reader, thread=discussed, body="More thoughts.")
    actions.add_reaction(user=reader, post=ancient.posts.get(), kind=ReactionKind.LIKE)
    age(ancient, days=10)
    top: list[Any] = list(queries.top(reader, space.community, "week"))
    assert titles(top) == ["Liked", "Discussed", "Quiet"]
    assert [t.reaction_total for t in top] == [3, 0, 0]
    assert titles(queries.top(reader, space.community, "month"))[0] == "Liked"
    assert "Ancient" in titles(queries.top(reader, space.community, "month"))
    assert titles(queries.top(reader, space.community, "day")) == ["Liked", "Discussed", "Quiet"]
    assert titles(queries.top(reader, space.community, "nonsense")) == titles(top)  # an unknown period is a week


# --- Filters ----------------------------------------------------------------------------------


def test_unanswered_lists_questions_without_any_reply(asker, reader, space):
    start(asker, space, "Open question", ThreadKind.QUESTION)
    replied = start(asker, space, "Replied question", ThreadKind.QUESTION)
    actions.create_reply(author=reader, thread=replied, body="Try a finer grind.")
    answered = start(asker, space, "Answered question", ThreadKind.QUESTION)
    answer = actions.create_reply(author=reader, thread=answered, body="Use filtered water.")
    actions.accept_answer(actor=asker, thread=answered, post=answer)
    start(asker, space, "A discussion")
    unanswered = queries.latest(reader, space.community, ThreadFilter(unanswered=True))
    assert titles(unanswered) == ["Open question"]


def test_a_question_whose_only_reply_was_deleted_is_unanswered_again(asker, reader, space):
    question = start(asker, space, "Lonely", ThreadKind.QUESTION)
    only = actions.create_reply(author=reader, thread=question, body="Wrong thread, sorry.")
    actions.delete_post(actor=reader, post=only)
    assert titles(queries.latest(reader, space.community, ThreadFilter(unanswered=True))) == ["Lonely"]


@pytest.mark.parametrize("kind", list(ThreadKind), ids=str)
def test_threads_are_listed_by_kind(person, space, kind):
    brand = person(Role.STAFF)
    for each in ThreadKind:
        start(brand, space, f"A {each.value}", each)
    assert titles(queries.latest(brand, space.community, ThreadFilter(kind=kind))) == [f"A {kind.value}"]


def test_threads_are_listed_by_tag_space_author_and_language(asker, reader, space, community):
    TagFactory(community=community, name="espresso")
    TagFactory(community=community, name="filter")
    other_space = SpaceFactory(community=community)
    start(asker, space, "Espresso tips", tags=["espresso"])
    start(asker, space, "Both", tags=["espresso", "filter"])
    start(reader, other_space, "Elsewhere", tags=["filter"])
    Thread.objects.filter(title="Elsewhere").update(language="bg")
    listed = queries.latest(reader, community, ThreadFilter(tag="espresso"))
    assert set(titles(listed)) == {"Espresso tips", "Both"}
    assert titles(queries.latest(reader, community, ThreadFilter(tag="nothing"))) == []
    assert titles(queries.latest(reader, community, ThreadFilter(space=other_space))) == ["Elsewhere"]
    assert set(titles(queries.latest(reader, community, ThreadFilter(author=asker.handle.upper())))) == {
        "Espresso tips",
        "Both",
    }
    assert titles(queries.latest(reader, community, ThreadFilter(language="bg"))) == ["Elsewhere"]
    both = queries.latest(reader, community, ThreadFilter(tag="filter", space=space)).get()
    assert [t.slug for t in both.tags.all()] == ["espresso", "filter"]


def test_a_tag_of_another_community_with_the_same_address_does_not_match(asker, reader, space):
    start(asker, space, "Ours")
    elsewhere = ThreadFactory(title="Theirs")
    tag = TagFactory(community=elsewhere.community, name="espresso")
    elsewhere.tags.add(tag)
    assert titles(queries.latest(reader, space.community, ThreadFilter(tag="espresso"))) == []


# --- Posts of a thread ------------------------------------------------------------------------


def test_posts_come_opening_first_then_the_accepted_answer_then_the_rest_in_order(asker, reader, person, space):
    question = start(asker, space, "Sour espresso", ThreadKind.QUESTION)
    first = actions.create_reply(author=reader, thread=question, body="First.")
    second = actions.create_reply(author=person(), thread=question, body="Second.")
    third = actions.create_reply(author=person(Role.STAFF), thread=question, body="Third, from the roastery.")
    assert [p.pk for p in queries.posts_of(reader, question)][1:] == [first.pk, second.pk, third.pk]
    actions.accept_answer(actor=asker, thread=question, post=third)
    question.refresh_from_db()
    posts: list[Any] = list(queries.posts_of(reader, question))
    assert [p.pk for p in posts] == [question.posts.get(is_opening=True).pk, third.pk, first.pk, second.pk]
    assert [p.is_accepted for p in posts] == [False, True, False, False]
    assert posts[1].is_official
    actions.accept_answer(actor=asker, thread=question, post=first)
    question.refresh_from_db()
    assert [p.pk for p in queries.posts_of(reader, question)][1:] == [first.pk, second.pk, third.pk]


def test_hidden_posts_show_only_to_moderators_and_deleted_ones_stay_in_place(asker, reader, moderator, space):
    thread = start(asker, space, "Thread")
    spam = actions.create_reply(author=reader, thread=thread, body="Buy cheap beans!")
    removed = actions.create_reply(author=reader, thread=thread, body="Never mind.")
    actions.delete_post(actor=reader, post=removed)
    Post.objects.filter(pk=spam.pk).update(is_hidden=True)
    assert [p.pk for p in queries.posts_of(asker, thread)][1:] == [removed.pk]
    assert [p.pk for p in queries.posts_of(moderator, thread)][1:] == [spam.pk, removed.pk]
    assert next(p for p in queries.posts_of(asker, thread) if p.pk == removed.pk).is_deleted


def test_posts_carry_their_reaction_counts_and_what_the_reader_gave(asker, reader, person, space):
    thread = start(asker, space, "Thread")
    opening = thread.posts.get()
    other = person()
    actions.add_reaction(user=reader, post=opening, kind=ReactionKind.LIKE)
    actions.add_reaction(user=reader, post=opening, kind=ReactionKind.HELPFUL)
    actions.add_reaction(user=other, post=opening, kind=ReactionKind.LIKE)
    post: Any = queries.posts_of(reader, thread).get()
    assert (post.like_count, post.helpful_count, post.reaction_total) == (2, 1, 3)
    assert queries.reactions_by(reader, [post]) == {post.pk: {"like", "helpful"}}
    assert queries.reactions_by(asker, [post]) == {}
    assert queries.reactions_by(AnonymousUser(), [post]) == {}


# --- Follows, bookmarks, tags and collections -------------------------------------------------


def test_following_and_bookmarks(asker, reader, space):
    first, second = start(asker, space, "First"), start(asker, space, "Second")
    assert queries.is_following(asker, first) and not queries.is_following(reader, first)
    assert not queries.is_following(AnonymousUser(), first)
    actions.bookmark(user=reader, thread=first)
    actions.bookmark(user=reader, thread=second)
    assert queries.is_bookmarked(reader, first) and not queries.is_bookmarked(asker, first)
    assert not queries.is_bookmarked(AnonymousUser(), first)
    assert titles(queries.bookmarks_of(reader, space.community)) == ["Second", "First"]
    assert titles(queries.bookmarks_of(asker, space.community)) == []
    assert titles(queries.bookmarks_of(AnonymousUser(), space.community)) == []


def test_tags_are_listed_official_first_with_their_thread_counts(asker, space, community):
    TagFactory(community=community, name="zeta")
    TagFactory(community=community, name="alpha")
    start(asker, space, "One", tags=["zeta", "free-one"])
    start(asker, space, "Two", tags=["zeta"])
    tags: list[Any] = list(queries.tags_of(community))
    listed = [(t.slug, t.is_official, t.thread_count) for t in tags]
    assert listed == [("alpha", True, 0), ("zeta", True, 2), ("free-one", False, 1)]


def test_public_collections_are_listed_and_the_owner_sees_their_private_ones(asker, reader, space, community):
    thread = start(asker, space, "Worth keeping")
    public = actions.create_collection(owner=reader, community=community, title="Public picks")
    actions.add_to_collection(owner=reader, collection=public, thread=thread)
    actions.create_collection(owner=reader, community=community, title="Private notes", is_public=False)
    collections: list[Any] = list(queries.collections_of(community))
    assert [(c.title, c.thread_count) for c in collections] == [("Public picks", 1)]
    assert {c.title for c in queries.collections_of(community, owner=reader)} == {"Public picks", "Private notes"}


# --- A fixed number of queries whatever the length ----------------------------------------------


def _fill(author: Any, space: Space, count: int) -> None:
    product = ProductFactory(community=space.community)
    for tag in ("espresso", "filter"):
        TagFactory(community=space.community, name=tag)
    for n in range(count):
        kind = ThreadKind.REVIEW if n % 2 else ThreadKind.QUESTION
        start(
            author, space, f"Thread {n}", kind, tags=["espresso", "filter"], **({"product": product} if n % 2 else {})
        )


def _render_list(threads: Any) -> list[Any]:
    """Touch what a row of the list shows, as the template would."""
    return [
        (t.space.name, t.author and t.author.handle, t.product and t.product.name, [tag.name for tag in t.tags.all()])
        for t in threads
    ]


@pytest.mark.parametrize(
    "read",
    [
        lambda user, community: queries.latest(user, community),
        lambda user, community: queries.top(user, community, "week"),
        lambda user, community: queries.latest(user, community, ThreadFilter(tag="espresso", kind="review")),
        lambda user, community: queries.latest(user, community, ThreadFilter(unanswered=True)),
        lambda user, community: queries.bookmarks_of(user, community),
    ],
    ids=["latest", "top", "by tag and kind", "unanswered", "bookmarks"],
)
@pytest.mark.parametrize("viewer", ["member", "moderator", "guest"])
def test_thread_lists_cost_the_same_for_30_threads_as_for_3(
    asker, person, space, django_assert_max_num_queries, read, viewer
):
    user = {"member": person(Role.EXPERT), "moderator": person(Role.MODERATOR), "guest": AnonymousUser()}[viewer]
    _fill(asker, space, 3)
    for thread in Thread.objects.all():
        if viewer != "guest":
            actions.bookmark(user=user, thread=thread)
    few = count_queries(lambda: _render_list(read(fresh(user), space.community)))
    _fill_more = [start(asker, space, f"More {n}", ThreadKind.QUESTION, tags=["espresso"]) for n in range(27)]
    if viewer != "guest":
        for thread in _fill_more:
            actions.bookmark(user=user, thread=thread)
    with django_assert_max_num_queries(few):
        _render_list(read(fresh(user), space.community))
    assert few <= 5  # the person, their membership, restricted spaces, the threads, their tags


def test_a_thread_page_costs_the_same_for_30_posts_as_for_3(asker, person, space, django_assert_max_num_queries):
    thread = start(asker, space, "Long thread", ThreadKind.QUESTION)
    repliers = [person() for _ in range(3)]

    def add(count: int) -> None:
        for n in range(count):
            author = repliers[n % 3]
            post = actions.create_reply(author=author, thread=thread, body=f"Reply {n}", reply_to=thread.posts.first())
            actions.add_reaction(user=asker, post=post, kind=ReactionKind.LIKE)

    def page(user: Any) -> None:
        found = queries.get_thread(user, space.community, thread.pk)
        posts: list[Any] = list(queries.posts_of(user, found))
        shown = [(p.author and p.author.handle, p.reply_to and p.reply_to.author, p.like_count) for p in posts]
        assert len(shown) == len(posts)
        queries.reactions_by(user, posts)

    add(3)
    few = count_queries(lambda: page(fresh(asker)))
    add(27)
    with django_assert_max_num_queries(few):
        page(fresh(asker))
