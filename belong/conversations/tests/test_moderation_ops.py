"""What moderators do to posts and threads: hide and show one post, move, merge and split threads.

Each change is logged in the moderation log with the member concerned and the reason; a refused
one writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from belong.communities.models import Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions, events
from belong.conversations.models import Follow, Post, PostRevision, Thread, ThreadKind
from belong.conversations.moderation import hide_post, merge_threads, move_thread, split_thread, unhide_post
from belong.conversations.search import search_posts
from belong.core.errors import BelongError, Conflict, Invalid, NotAllowed
from belong.core.models import Activity, ModerationEntry
from conftest import collect_events

pytestmark = pytest.mark.django_db

WATCHED: list[type[Any]] = [Thread, Post, PostRevision, Follow, Activity, ModerationEntry]
REASON = "Belongs with the descaling discussion."


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {model.__name__: sorted(model._default_manager.values_list(), key=lambda row: row[0]) for model in WATCHED}


@pytest.fixture
def published(monkeypatch):
    return collect_events(monkeypatch, only_from="belong.conversations.events")


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refused(commit, published) -> Callable[[type[BelongError]], AbstractContextManager[Any]]:
    """Expect the block to raise exactly `error`, write nothing and publish nothing."""

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
def person(make_member):
    return lambda role=Role.MEMBER, **fields: make_member(role, **fields).user


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


@pytest.fixture
def asker(person):
    return person(Role.MEMBER, trust_level=1, trust_level_pinned=True)


@pytest.fixture
def helper(person):
    return person(Role.MEMBER, trust_level=1, trust_level_pinned=True)


@pytest.fixture
def at(monkeypatch):
    """Move the clock: `at(minutes)` after the test's start."""
    start = timezone.now()

    def move(minutes: float) -> None:
        moment = start + timedelta(minutes=minutes)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def start(author, space, kind=ThreadKind.DISCUSSION, **fields) -> Thread:
    fields.setdefault("title", "Limescale in the kettle")
    fields.setdefault("body", "The water here is hard; the kettle scales up every week.")
    return actions.create_thread(author=author, space=space, kind=kind, **fields)


def reply(thread, author, body="Citric acid, then rinse.", **fields) -> Post:
    return actions.create_reply(author=author, thread=thread, body=body, **fields)


def opening(thread) -> Post:
    return Post.objects.get(thread=thread, is_opening=True)


def fresh(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def logged(action: str) -> ModerationEntry:
    [entry] = ModerationEntry.objects.filter(action=action)
    return entry


@pytest.fixture
def thread(asker, space, commit) -> Thread:
    with commit():
        return start(asker, space)


@pytest.fixture
def answer(thread, helper, commit) -> Post:
    with commit():
        return reply(thread, helper, "Descale it with citric acid every month.")


@pytest.fixture
def idea_thread(person, space) -> Thread:
    return start(person(Role.MEMBER), space, ThreadKind.IDEA, board=True, title="A kettle with a filter")


# --- Hiding and showing one post --------------------------------------------------------------


def test_hiding_a_reply_keeps_it_and_logs_who_and_why(answer, moderator, commit, published):
    with commit():
        hide_post(actor=moderator, post=answer, reason="  Rude to another member. ")
    post = fresh(answer)
    assert (post.is_hidden, post.deleted_at, post.body) == (True, None, "Descale it with citric acid every month.")
    assert not fresh(answer.thread).is_hidden
    entry = logged("post.hidden")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason, entry.community_id) == (
        moderator.pk,
        answer.author_id,
        answer,
        "Rude to another member.",
        answer.community_id,
    )
    assert entry.data == {"thread": answer.thread_id, "title": answer.thread.title}
    [event] = [e for e in published if isinstance(e, events.ThreadModerated)]
    assert event.change == f"post:{answer.pk}:is_hidden=True"


def test_hiding_the_opening_post_hides_the_thread_and_showing_it_shows_both(thread, moderator):
    hide_post(actor=moderator, post=opening(thread), reason="Spam.")
    assert fresh(thread).is_hidden
    unhide_post(actor=moderator, post=opening(thread), reason="Not spam after all.")
    assert not fresh(thread).is_hidden and not opening(thread).is_hidden
    entry = logged("post.unhidden")
    assert (entry.subject_id, entry.reason) == (thread.author_id, "Not spam after all.")


def test_showing_a_post_again_needs_no_reason(answer, moderator):
    hide_post(actor=moderator, post=answer, reason="Rude.")
    unhide_post(actor=moderator, post=answer)
    assert not fresh(answer).is_hidden
    assert logged("post.unhidden").reason == ""


@pytest.mark.parametrize("reason", ["", "  \n"])
def test_hiding_without_a_reason_is_refused(answer, moderator, refused, reason):
    with refused(Invalid) as info:
        hide_post(actor=moderator, post=answer, reason=reason)
    assert "reason" in info.value.errors


def test_hiding_a_hidden_post_is_refused(answer, moderator, refused):
    hide_post(actor=moderator, post=answer, reason="Rude.")
    with refused(Conflict):
        hide_post(actor=moderator, post=answer, reason="Rude again.")


def test_hiding_a_deleted_post_is_refused(answer, moderator, refused):
    actions.delete_post(actor=answer.author, post=answer)
    with refused(Conflict):
        hide_post(actor=moderator, post=answer, reason="Rude.")


def test_showing_a_visible_post_is_refused(answer, moderator, refused):
    with refused(Conflict):
        unhide_post(actor=moderator, post=answer)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.AMBASSADOR])
def test_members_may_not_hide_posts(answer, person, refused, role):
    someone = person(role, trust_level=4)
    with refused(NotAllowed):
        hide_post(actor=someone, post=answer, reason="I dislike it.")


def test_a_moderator_of_another_community_may_not_hide(answer, refused):
    elsewhere = MembershipFactory(community=CommunityFactory(), role=Role.MODERATOR).user
    with refused(NotAllowed):
        hide_post(actor=elsewhere, post=answer, reason="Rude.")


# --- Moving ----------------------------------------------------------------------------------


def test_moving_a_thread_changes_its_space_and_logs_where_from_and_to(thread, answer, moderator, community, commit):
    target = SpaceFactory(community=community, slug="descaling")
    old = thread.space.slug
    with commit():
        moved = move_thread(actor=moderator, thread=thread, space=target, reason=REASON)
    assert fresh(moved).space == target
    assert set(Post.objects.filter(thread=thread).values_list("pk", flat=True)) == {opening(thread).pk, answer.pk}
    entry = logged("thread.moved")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        thread.author_id,
        thread,
        REASON,
    )
    assert (entry.data["from"], entry.data["to"], entry.data["title"]) == (old, "descaling", thread.title)


def test_search_still_finds_the_posts_of_a_moved_thread(thread, answer, moderator, community, commit):
    target = SpaceFactory(community=community)
    with commit():
        move_thread(actor=moderator, thread=thread, space=target, reason=REASON)
    found = list(search_posts(moderator, community, "citric acid", space=target))
    assert [post.pk for post in found] == [answer.pk]


def test_moving_to_a_space_of_another_community_is_refused(thread, moderator, refused):
    elsewhere = SpaceFactory(community=CommunityFactory())
    with refused(Invalid) as info:
        move_thread(actor=moderator, thread=thread, space=elsewhere, reason=REASON)
    assert "space" in info.value.errors


def test_moving_to_the_same_space_is_refused(thread, moderator, refused):
    with refused(Conflict):
        move_thread(actor=moderator, thread=thread, space=thread.space, reason=REASON)


def test_moving_without_a_reason_is_refused(thread, moderator, community, refused):
    target = SpaceFactory(community=community)
    with refused(Invalid):
        move_thread(actor=moderator, thread=thread, space=target, reason="")


def test_moving_an_ideas_discussion_is_refused(idea_thread, moderator, community, refused):
    target = SpaceFactory(community=community)
    with refused(Invalid):
        move_thread(actor=moderator, thread=idea_thread, space=target, reason=REASON)


def test_members_may_not_move_threads(thread, person, community, refused):
    target = SpaceFactory(community=community)
    someone = person(Role.MEMBER, trust_level=4)
    with refused(NotAllowed):
        move_thread(actor=someone, thread=thread, space=target, reason=REASON)


# --- Merging ---------------------------------------------------------------------------------


@pytest.fixture
def pair(asker, helper, person, space, at, commit):
    """Two threads whose posts interleave in time: target at 0 and 20 min, source at 10 and 30 min."""
    other = person(Role.MEMBER, trust_level=1, trust_level_pinned=True)
    with commit():
        at(0)
        target = start(asker, space, title="Descaling a kettle")
        at(10)
        source = start(other, space, title="Kettle full of limescale", body="White flakes in my tea, kalk!")
        at(20)
        target_reply = reply(target, helper, "Vinegar works, then boil water twice.")
        at(30)
        source_reply = reply(source, helper, "Sitroensuur werk die beste, glo my.")
    return target, source, target_reply, source_reply


def test_merging_moves_every_post_into_the_target_in_date_order(pair, moderator, at, commit):
    target, source, target_reply, source_reply = pair
    source_opening = opening(source)
    at(40)
    with commit():
        merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    posts = list(Post.objects.filter(thread=target).order_by("created_at", "id"))
    assert posts == [opening(target), source_opening, target_reply, source_reply]
    assert [post.is_opening for post in posts] == [True, False, False, False]
    target = fresh(target)
    assert target.reply_count == 3
    assert target.last_activity_at == source_reply.created_at


def test_the_merged_thread_keeps_its_address_locked_with_a_note_pointing_to_the_target(pair, moderator, at):
    target, source, *_ = pair
    at(40)
    merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    source = fresh(source)
    assert (source.is_locked, source.locked_by, source.reply_count, source.accepted_answer) == (
        True,
        moderator,
        0,
        None,
    )
    note = opening(source)
    assert (note.author, note.is_official) == (moderator, True)
    assert target.title in note.body
    assert f"/{target.pk}" in note.body_html
    assert Post.objects.filter(thread=source).count() == 1


def test_merging_carries_the_followers_over_once(pair, moderator, person):
    target, source, *_ = pair
    follower = person(Role.MEMBER)
    actions.follow(user=follower, target=source)
    both = target.author
    actions.follow(user=both, target=source)
    merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    assert Follow.objects.filter(thread=target, user=follower).count() == 1
    assert Follow.objects.filter(thread=target, user=both).count() == 1
    assert Follow.objects.filter(thread=source, user=follower).exists()  # the old address is still followed


def test_merging_clears_the_sources_accepted_answer_and_keeps_the_targets(asker, helper, space, moderator):
    target = start(asker, space, ThreadKind.QUESTION, title="Why does my kettle scale?", body="Every week!")
    source = start(asker, space, ThreadKind.QUESTION, title="Kettle scaling again?", body="Still scaling.")
    kept = reply(target, helper, "Hard water.")
    moved = reply(source, helper, "Calcium in the water.")
    actions.accept_answer(actor=asker, thread=target, post=kept)
    actions.accept_answer(actor=asker, thread=source, post=moved)
    merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    assert fresh(source).accepted_answer is None
    assert fresh(target).accepted_answer == kept


def test_merging_is_logged_with_the_sources_author_and_the_posts_moved(pair, moderator, commit, published):
    target, source, _target_reply, source_reply = pair
    moved = {opening(source).pk, source_reply.pk}
    with commit():
        merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    entry = logged("thread.merged")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        source.author_id,
        target,
        REASON,
    )
    assert set(entry.data["posts"]) == moved
    assert (entry.data["from"], entry.data["thread"], entry.data["into"]) == (source.pk, target.pk, target.title)
    assert [e.change for e in published if isinstance(e, events.ThreadModerated)] == [f"merged={source.pk}"]


def test_search_finds_merged_posts_in_the_target(pair, moderator, community, commit):
    target, source, _target_reply, source_reply = pair
    source_opening = opening(source)
    with commit():
        merge_threads(actor=moderator, source=source, target=target, reason=REASON)
    found = list(search_posts(moderator, community, "sitroensuur"))
    assert [(post.pk, post.thread_id) for post in found] == [(source_reply.pk, target.pk)]
    flakes = list(search_posts(moderator, community, "flakes"))
    assert [(post.pk, post.thread_id) for post in flakes] == [(source_opening.pk, target.pk)]


def test_merging_a_thread_into_itself_is_refused(thread, moderator, refused):
    with refused(Invalid):
        merge_threads(actor=moderator, source=thread, target=thread, reason=REASON)


def test_merging_threads_of_two_communities_is_refused_even_for_a_moderator_of_both(thread, moderator, refused):
    space = SpaceFactory(community=CommunityFactory())
    other = MembershipFactory(community=space.community, role=Role.MODERATOR).user
    elsewhere = start(other, space)
    MembershipFactory(community=space.community, user=moderator, role=Role.MODERATOR)
    with refused(Invalid) as info:
        merge_threads(actor=moderator, source=thread, target=elsewhere, reason=REASON)
    assert "target" in info.value.errors


@pytest.mark.parametrize("side", ["source", "target"])
def test_merging_an_ideas_discussion_is_refused(thread, idea_thread, moderator, refused, side):
    threads = (
        {"source": idea_thread, "target": thread} if side == "source" else {"source": thread, "target": idea_thread}
    )
    with refused(Invalid):
        merge_threads(actor=moderator, reason=REASON, **threads)


def test_merging_without_a_reason_is_refused(pair, moderator, refused):
    target, source, *_ = pair
    with refused(Invalid):
        merge_threads(actor=moderator, source=source, target=target, reason=" ")


def test_members_may_not_merge(pair, person, refused):
    target, source, *_ = pair
    someone = person(Role.MEMBER, trust_level=4)
    with refused(NotAllowed):
        merge_threads(actor=someone, source=source, target=target, reason=REASON)


# --- Splitting -------------------------------------------------------------------------------


@pytest.fixture
def long_thread(asker, helper, person, space, at, commit):
    """A question with four replies at 10, 20, 30 and 40 minutes; the third answers the second."""
    other = person(Role.MEMBER, trust_level=1, trust_level_pinned=True)
    with commit():
        at(0)
        question = start(asker, space, ThreadKind.QUESTION, title="Kettle or espresso machine?", body="Which scales?")
        at(10)
        first = reply(question, helper, "Kettles scale faster.")
        at(20)
        second = reply(question, other, "Off topic: which espresso grinder do you use?")
        at(30)
        third = reply(question, helper, "A flat burr grinder, for espresso.", reply_to=second)
        at(40)
        fourth = reply(question, asker, "Thanks for the kettle answer.", reply_to=first)
    return question, [first, second, third, fourth]


def test_splitting_moves_the_chosen_replies_into_a_new_thread_opened_by_the_earliest(long_thread, moderator, commit):
    question, (first, second, third, fourth) = long_thread
    with commit():
        new = split_thread(
            actor=moderator,
            thread=question,
            post_ids=[third.pk, second.pk],
            title="  Espresso grinders ",
            reason=REASON,
        )
    new = fresh(new)
    assert (new.title, new.author_id, new.kind, new.space, new.community) == (
        "Espresso grinders",
        second.author_id,
        ThreadKind.QUESTION,
        question.space,
        question.community,
    )
    assert new.created_at == second.created_at
    assert list(Post.objects.filter(thread=new).order_by("created_at", "id")) == [second, third]
    assert (fresh(second).is_opening, fresh(third).is_opening) == (True, False)
    assert (new.reply_count, new.last_activity_at) == (1, third.created_at)
    left = fresh(question)
    assert left.reply_count == 2
    assert left.last_activity_at == fourth.created_at
    assert list(Post.objects.filter(thread=question).order_by("created_at")) == [opening(question), first, fourth]


def test_splitting_keeps_answers_within_the_new_thread_and_drops_those_across(long_thread, moderator):
    question, (first, second, third, fourth) = long_thread
    split_thread(actor=moderator, thread=question, post_ids=[second.pk, third.pk], title="Grinders", reason=REASON)
    assert fresh(third).reply_to == second  # both moved: the answer still answers
    assert fresh(fourth).reply_to == first  # both stayed
    split_thread(actor=moderator, thread=question, post_ids=[fourth.pk], title="Thanks", reason=REASON)
    assert fresh(fourth).reply_to is None  # its parent stayed behind


def test_a_reply_left_behind_no_longer_answers_a_moved_post(long_thread, moderator):
    question, (first, _second, _third, fourth) = long_thread
    split_thread(actor=moderator, thread=question, post_ids=[first.pk], title="Kettles", reason=REASON)
    assert fresh(fourth).reply_to is None
    assert fresh(first).reply_to is None


def test_splitting_off_the_accepted_answer_clears_it(long_thread, moderator, asker):
    question, (first, *_rest) = long_thread
    actions.accept_answer(actor=asker, thread=question, post=first)
    new = split_thread(actor=moderator, thread=question, post_ids=[first.pk], title="Kettles", reason=REASON)
    assert fresh(question).accepted_answer is None
    assert fresh(new).accepted_answer is None


def test_splitting_keeps_an_accepted_answer_that_stays(long_thread, moderator, asker):
    question, (first, second, *_rest) = long_thread
    actions.accept_answer(actor=asker, thread=question, post=first)
    split_thread(actor=moderator, thread=question, post_ids=[second.pk], title="Grinders", reason=REASON)
    assert fresh(question).accepted_answer == first


def test_splitting_to_another_space_of_the_community(long_thread, moderator, community):
    question, (_first, second, *_rest) = long_thread
    espresso = SpaceFactory(community=community)
    new = split_thread(
        actor=moderator, thread=question, post_ids=[second.pk], title="Grinders", reason=REASON, space=espresso
    )
    assert fresh(new).space == espresso


def test_a_split_review_becomes_a_discussion(asker, helper, space, moderator):
    from belong.conversations.tests.factories import ProductFactory

    product = ProductFactory(community=space.community)
    review = start(asker, space, ThreadKind.REVIEW, product=product, rating=4, title="Good kettle", body="Solid.")
    aside = reply(review, helper, "Off topic: my grinder broke.")
    new = split_thread(actor=moderator, thread=review, post_ids=[aside.pk], title="Broken grinder", reason=REASON)
    assert (new.kind, new.product, new.rating) == (ThreadKind.DISCUSSION, None, None)


def test_splitting_is_logged_with_the_new_threads_author(long_thread, moderator, commit, published):
    question, (_first, second, third, _fourth) = long_thread
    with commit():
        new = split_thread(
            actor=moderator, thread=question, post_ids=[second.pk, third.pk], title="Grinders", reason=REASON
        )
    entry = logged("thread.split")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        second.author_id,
        new,
        REASON,
    )
    assert entry.data == {"thread": new.pk, "from": question.pk, "title": "Grinders", "posts": [second.pk, third.pk]}
    assert [e.change for e in published if isinstance(e, events.ThreadModerated)] == [f"split={new.pk}"]


def test_search_finds_split_posts_in_the_new_thread_by_its_title(long_thread, moderator, community, commit):
    question, (_first, second, third, _fourth) = long_thread
    with commit():
        new = split_thread(
            actor=moderator, thread=question, post_ids=[second.pk, third.pk], title="Espresso mills", reason=REASON
        )
    found = [(post.pk, post.thread_id) for post in search_posts(moderator, community, "flat burr")]
    assert found == [(third.pk, new.pk)]
    by_title = [(post.pk, post.thread_id) for post in search_posts(moderator, community, "mills")]
    assert by_title == [(second.pk, new.pk)]  # the new opening post carries the new title


@pytest.mark.parametrize("choice", ["opening", "unknown", "other thread", "none", "one unknown among good"])
def test_splitting_other_posts_than_this_threads_replies_is_refused(long_thread, thread, moderator, refused, choice):
    question, (first, *_rest) = long_thread
    ids = {
        "opening": [opening(question).pk],
        "unknown": [10**9],
        "other thread": [opening(thread).pk],
        "none": [],
        "one unknown among good": [first.pk, 10**9],
    }[choice]
    with refused(Invalid) as info:
        split_thread(actor=moderator, thread=question, post_ids=ids, title="Split", reason=REASON)
    assert "posts" in info.value.errors


def test_splitting_to_a_space_of_another_community_is_refused(long_thread, moderator, refused):
    question, (first, *_rest) = long_thread
    elsewhere = SpaceFactory(community=CommunityFactory())
    with refused(Invalid) as info:
        split_thread(
            actor=moderator, thread=question, post_ids=[first.pk], title="Split", reason=REASON, space=elsewhere
        )
    assert "space" in info.value.errors


def test_splitting_without_a_title_or_reason_is_refused(long_thread, moderator, refused):
    question, (first, *_rest) = long_thread
    with refused(Invalid):
        split_thread(actor=moderator, thread=question, post_ids=[first.pk], title="  ", reason=REASON)
    with refused(Invalid):
        split_thread(actor=moderator, thread=question, post_ids=[first.pk], title="Split", reason="")


def test_splitting_an_ideas_discussion_is_refused(idea_thread, person, moderator, refused):
    aside = reply(idea_thread, person(Role.MEMBER), "Off topic.")
    with refused(Invalid):
        split_thread(actor=moderator, thread=idea_thread, post_ids=[aside.pk], title="Split", reason=REASON)


def test_members_may_not_split(long_thread, asker, refused):
    question, (first, *_rest) = long_thread
    with refused(NotAllowed):
        split_thread(actor=asker, thread=question, post_ids=[first.pk], title="Split", reason=REASON)
