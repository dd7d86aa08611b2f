"""The privileges trust levels unlock, end to end through the one `can()`: a member a level short is
refused; the same member, once their activity earned the level and it was recomputed, is allowed;
a pinned level wins over activity either way."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.accounts.models import User
from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client
from belong.communities.models import Membership, Role, Space
from belong.communities.permissions import Action, can, forget_memberships
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions
from belong.conversations.actions import Verb as ConversationVerb
from belong.conversations.events import ThreadModerated
from belong.conversations.models import Post, PostRevision, Tag, Thread, ThreadKind
from belong.conversations.permissions import ConversationAction as Can
from belong.core.errors import Conflict, Invalid, NotAllowed
from belong.core.models import Activity
from belong.recognition import trust
from belong.recognition.tests.test_trust import LEVEL_1, LEVEL_2, LEVEL_3, live, reload

pytestmark = pytest.mark.django_db

LINKS_REFUSED = "Links and images unlock at trust level 1"


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def clock(monkeypatch) -> Callable[[Any], None]:
    """Set what `timezone.now()` (and so every auto_now field) returns."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def forum(community) -> Space:
    return SpaceFactory(community=community)


@pytest.fixture
def staff(make_member) -> Membership:
    membership: Membership = make_member(Role.STAFF)
    return membership


def earn(membership: Membership, **life: int) -> User:
    """Write the activity of a life, recompute the level as the task does, and return a fresh user
    (a request's user object; the old one keeps the memberships it read cached)."""
    live(membership, **life)
    trust.recompute_trust(membership.pk)
    forget_memberships(membership.user)
    return membership.user


def start(author: Any, space: Space, body: str = "Hoe maal ek vir ’n V60?", **fields: Any) -> Thread:
    fields.setdefault("kind", ThreadKind.DISCUSSION)
    fields.setdefault("title", "Maalgrootte")
    return actions.create_thread(author=author, space=space, body=body, **fields)


# --- Links and images (trust level 1) ----------------------------------------------------------

LINKED = [
    "Kyk hier: [die gids](https://example.com/gids)",
    "Вижте https://example.com/кафе",
    "![a minha chávena](https://example.com/chavena.jpg)",
    "Gaan na www.example.com vir meer",
]
NOT_LINKED = [
    "Dankie @someone, dit help!",
    "Опитайте с `https` в настройките.",
    "Sem ligações aqui.",
    "Escreva para ola@example.com ou <mailto:ola@example.com>",
]


@pytest.mark.parametrize("body", LINKED)
def test_a_new_member_may_not_post_links_or_images(member, forum, body):
    with pytest.raises(Invalid) as refused:
        start(member.user, forum, body=body)
    assert LINKS_REFUSED in refused.value.errors["body"][0]
    assert not Thread.objects.exists()


@pytest.mark.parametrize("body", NOT_LINKED)
def test_mentions_and_plain_text_are_not_links(member, forum, body):
    assert start(member.user, forum, body=body).pk


def test_links_unlock_once_the_members_reading_earned_level_1(member, forum, staff, clock, commit):
    """Five threads read over two days, recomputed after the second day's visit: no level written by hand."""
    threads = [start(staff.user, forum, title=f"Draad {n}") for n in range(5)]
    thread = threads[0]
    with pytest.raises(Invalid):
        actions.create_reply(author=member.user, thread=thread, body="https://example.com/resep")
    yesterday = timezone.now() - timedelta(days=1)
    clock(yesterday)
    with commit():
        for read in threads[:3]:
            actions.record_view(user=member.user, thread=read)
    clock(yesterday + timedelta(days=1))
    with commit():
        for read in threads[3:]:
            actions.record_view(user=member.user, thread=read)
    assert reload(member).trust_level == 1  # the second day's visit had it recomputed
    user = User.objects.get(pk=member.user_id)
    post = actions.create_reply(author=user, thread=thread, body="Die resep: https://example.com/resep")
    assert 'href="https://example.com/resep"' in post.body_html


def test_the_daily_visit_recomputes_and_unlocks_links(member, forum, staff, clock, commit):
    live(member, **LEVEL_1, ago=1)
    thread = start(staff.user, forum)
    with commit():
        actions.record_view(user=member.user, thread=thread)  # today's first visit publishes MemberVisited
    user = User.objects.get(pk=member.user_id)
    assert actions.create_reply(author=user, thread=thread, body="https://example.com").pk


def test_roles_above_member_post_links_at_level_0(make_member, forum):
    for role in (Role.AMBASSADOR, Role.EXPERT, Role.MODERATOR, Role.STAFF):
        assert start(make_member(role).user, forum, body="https://example.com/meer").pk


def test_a_pinned_level_decides_links_over_activity(make_member, manager, forum):
    busy, quiet = make_member(), make_member()
    live(busy, **LEVEL_2)
    trust.pin_trust_level(actor=manager.user, membership=busy, level=0)
    trust.pin_trust_level(actor=manager.user, membership=quiet, level=1)
    busy_user, quiet_user = User.objects.get(pk=busy.user_id), User.objects.get(pk=quiet.user_id)
    trust.recompute_trust(busy.pk)
    with pytest.raises(Invalid):
        start(busy_user, forum, body="https://example.com")
    assert start(quiet_user, forum, body="https://example.com").pk


def test_an_edit_keeps_links_a_post_had_but_adds_none(member, manager, forum):
    trust.pin_trust_level(actor=manager.user, membership=member, level=1)
    user = User.objects.get(pk=member.user_id)
    thread = start(user, forum, body="Resep: https://example.com/resep")
    trust.pin_trust_level(actor=manager.user, membership=member, level=0)
    user = User.objects.get(pk=member.user_id)
    post = thread.posts.get()
    edited = actions.edit_post(editor=user, post=post, body="Die resep: https://example.com/resep")
    assert edited.body.startswith("Die resep")
    with pytest.raises(Invalid) as refused:
        actions.edit_post(
            editor=user, post=post, body="https://example.com/resep en ![foto](https://example.com/f.jpg)"
        )
    assert "body" in refused.value.errors
    assert not PostRevision.objects.filter(post=post).exclude(body__startswith="Resep").exists()


def test_the_reply_form_shows_why_links_are_refused(member, member_client, forum, staff):
    thread = start(staff.user, forum)
    url = reverse("conversations:reply", args=[thread.community.slug, thread.pk])
    response = member_client.post(url, {"body": "Sien https://example.com"})
    assert response.status_code == 422
    assert LINKS_REFUSED in response.content.decode()
    assert thread.posts.count() == 1


def test_the_api_refuses_links_with_an_error_on_body(member, forum, staff):
    thread = start(staff.user, forum)
    response = send(
        session_client(member.user),
        "post",
        f"{API}/communities/{thread.community.slug}/threads/{thread.pk}/posts",
        {"body": "![foto](https://example.com/f.jpg)"},
    )
    assert LINKS_REFUSED in assert_problem(response, 422)["errors"]["body"][0]


# --- Free tags and flagging (trust level 1) ---------------------------------------------------


def test_new_tags_unlock_at_level_1(member, forum):
    thread = start(member.user, forum)
    with pytest.raises(Invalid) as refused:
        actions.set_tags(actor=member.user, thread=thread, names=["nuwe-etiket"])
    assert "tags" in refused.value.errors
    user = earn(member, **LEVEL_1)
    assert [tag.slug for tag in actions.set_tags(actor=user, thread=thread, names=["nuwe-etiket"])] == ["nuwe-etiket"]
    assert Tag.objects.filter(slug="nuwe-etiket", is_official=False).exists()


def test_flagging_unlocks_at_level_1(member):
    assert not can(member.user, Action.FLAG, member.community)
    assert can(earn(member, **LEVEL_1), Action.FLAG, member.community)


# --- Closing one's own thread (trust level 2) -------------------------------------------------


def test_an_author_closes_their_own_thread_once_level_2_is_earned(member, forum, commit, published):
    user = earn(member, **LEVEL_1)
    thread = start(user, forum)
    with pytest.raises(NotAllowed):
        actions.close_thread(actor=user, thread=thread)
    user = earn(member, **LEVEL_2)
    assert reload(member).trust_level == 2
    with commit():
        closed = actions.close_thread(actor=user, thread=thread)
    assert (closed.is_locked, closed.locked_by_id) == (True, member.user_id)
    entry = Activity.objects.get(verb=ConversationVerb.THREAD_CLOSED)
    assert (entry.actor_id, entry.target_id, entry.data) == (member.user_id, str(thread.pk), {"is_locked": True})
    assert (
        ThreadModerated(
            community_id=thread.community_id, actor_id=member.user_id, thread_id=thread.pk, change="is_locked=True"
        )
        in published
    )


def test_a_closed_thread_takes_no_replies_and_its_author_reopens_it(member, manager, forum, make_member):
    trust.pin_trust_level(actor=manager.user, membership=member, level=2)
    user = User.objects.get(pk=member.user_id)
    thread = actions.close_thread(actor=user, thread=start(user, forum))
    with pytest.raises(NotAllowed):
        actions.create_reply(author=make_member().user, thread=thread, body="Nog een vraag?")
    with pytest.raises(Conflict):
        actions.close_thread(actor=user, thread=thread)
    reopened = actions.reopen_thread(actor=user, thread=thread)
    assert (reopened.is_locked, reopened.locked_by_id) == (False, None)
    assert Activity.objects.filter(verb=ConversationVerb.THREAD_REOPENED, actor=user).exists()
    with pytest.raises(Conflict):
        actions.reopen_thread(actor=user, thread=thread)


def test_an_author_may_not_lift_a_moderators_lock_but_a_moderator_may_lift_theirs(member, manager, forum, staff):
    trust.pin_trust_level(actor=manager.user, membership=member, level=4)
    user = User.objects.get(pk=member.user_id)
    thread = start(user, forum)
    actions.moderate_thread(actor=staff.user, thread=thread, locked=True)
    assert Thread.objects.get(pk=thread.pk).locked_by_id == staff.user_id
    with pytest.raises(NotAllowed):
        actions.reopen_thread(actor=user, thread=thread)
    actions.moderate_thread(actor=staff.user, thread=thread, locked=False)
    actions.close_thread(actor=user, thread=thread)
    assert actions.reopen_thread(actor=staff.user, thread=thread).is_locked is False


def test_nobody_closes_someone_elses_thread_without_moderating(make_member, manager, forum):
    author, other = make_member(), make_member()
    trust.pin_trust_level(actor=manager.user, membership=other, level=4)
    thread = start(author.user, forum)
    with pytest.raises(NotAllowed):
        actions.close_thread(actor=User.objects.get(pk=other.user_id), thread=thread)


def test_a_pinned_level_below_2_keeps_a_busy_author_from_closing(member, manager, forum):
    live(member, **LEVEL_3)
    trust.pin_trust_level(actor=manager.user, membership=member, level=1)
    trust.recompute_trust(member.pk)
    user = User.objects.get(pk=member.user_id)
    with pytest.raises(NotAllowed):
        actions.close_thread(actor=user, thread=start(user, forum))


def test_an_idea_is_the_boards_to_lock_not_its_authors(member, manager, forum):
    trust.pin_trust_level(actor=manager.user, membership=member, level=4)
    user = User.objects.get(pk=member.user_id)
    idea = actions.create_thread(
        author=user, space=forum, kind=ThreadKind.IDEA, title="Kleiner sakke", body="Asseblief.", board=True
    )
    assert not can(user, Can.CLOSE_THREAD, idea)


def test_the_thread_page_offers_its_trusted_author_the_close_button(member, forum):
    thread = start(member.user, forum)
    address = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    close = reverse("conversations:close_thread", args=[thread.community.slug, thread.pk])
    client = session_client(member.user)
    assert close not in client.get(address).content.decode()
    earn(member, **LEVEL_2)
    assert close in client.get(address).content.decode()
    response = client.post(close)
    assert response.status_code == 302 and Thread.objects.get(pk=thread.pk).is_locked
    page = client.get(address).content.decode()
    assert reverse("conversations:reopen_thread", args=[thread.community.slug, thread.pk]) in page
    assert (
        client.post(reverse("conversations:reopen_thread", args=[thread.community.slug, thread.pk])).status_code == 302
    )
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_closing_without_the_privilege_is_refused_on_the_web(member, member_client, forum):
    thread = start(member.user, forum)
    response = member_client.post(reverse("conversations:close_thread", args=[thread.community.slug, thread.pk]))
    assert response.status_code == 403
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_the_api_closes_and_reopens_a_thread(member, forum):
    thread = start(member.user, forum)
    client = session_client(member.user)
    base = f"{API}/communities/{thread.community.slug}/threads/{thread.pk}"
    assert_problem(send(client, "post", f"{base}/close"), 403)
    earn(member, **LEVEL_2)
    response = send(client, "post", f"{base}/close")
    assert response.status_code == 200 and response.json()["is_locked"] is True
    assert_problem(send(client, "post", f"{base}/close"), 409)
    response = send(client, "post", f"{base}/reopen")
    assert response.status_code == 200 and response.json()["is_locked"] is False


# --- Wiki posts (trust level 3) ---------------------------------------------------------------


@pytest.fixture
def wiki(member, forum) -> Post:
    """An opening post its author made a wiki."""
    thread = start(member.user, forum, title="Brouresepte", body="Begin hier: 15 g koffie, 250 g water.")
    return actions.set_wiki(actor=member.user, post=thread.posts.get(), wiki=True)


def test_an_author_makes_their_post_a_wiki_and_back(member, forum):
    post = start(member.user, forum).posts.get()
    made = actions.set_wiki(actor=member.user, post=post, wiki=True)
    assert Post.objects.get(pk=post.pk).is_wiki and made.is_wiki
    entry = Activity.objects.get(verb=ConversationVerb.WIKI_CHANGED)
    assert (entry.actor_id, entry.recipient_id, entry.data) == (
        member.user_id,
        member.user_id,
        {"thread": post.thread_id, "wiki": True},
    )
    actions.set_wiki(actor=member.user, post=post, wiki=False)
    assert not Post.objects.get(pk=post.pk).is_wiki


def test_a_moderator_makes_anyones_post_a_wiki_and_others_may_not(member, make_member, forum):
    post = start(member.user, forum).posts.get()
    with pytest.raises(NotAllowed):
        actions.set_wiki(actor=make_member(Role.AMBASSADOR).user, post=post, wiki=True)
    assert actions.set_wiki(actor=make_member(Role.MODERATOR).user, post=post, wiki=True).is_wiki


def test_a_removed_post_cannot_become_a_wiki(member, forum):
    post = start(member.user, forum).posts.get()
    actions.delete_post(actor=member.user, post=post)
    with pytest.raises(NotAllowed):
        actions.set_wiki(actor=member.user, post=Post.objects.get(pk=post.pk), wiki=True)


def test_wiki_posts_are_edited_by_members_who_earned_level_3(wiki, make_member):
    editor = make_member()
    user = earn(editor, **LEVEL_2)
    with pytest.raises(NotAllowed):
        actions.edit_post(editor=user, post=wiki, body="Begin hier: 18 g koffie, 300 g water.")
    user = earn(editor, **LEVEL_3)
    assert reload(editor).trust_level == 3
    edited = actions.edit_post(editor=user, post=wiki, body="Begin hier: 18 g koffie, 300 g water.")
    assert edited.body == "Begin hier: 18 g koffie, 300 g water."
    revision = PostRevision.objects.get(post=wiki)
    assert (revision.body, revision.edited_by_id) == ("Begin hier: 15 g koffie, 250 g water.", editor.user_id)


def test_only_wiki_posts_are_open_to_trusted_editors(member, forum, make_member, manager):
    plain = start(member.user, forum).posts.get()
    editor = make_member()
    trust.pin_trust_level(actor=manager.user, membership=editor, level=4)
    assert not can(User.objects.get(pk=editor.user_id), Can.EDIT_POST, plain)


def test_a_wiki_in_a_closed_thread_is_closed_to_trusted_editors(wiki, make_member, manager, staff):
    editor = make_member()
    trust.pin_trust_level(actor=manager.user, membership=editor, level=3)
    user = User.objects.get(pk=editor.user_id)
    assert can(user, Can.EDIT_POST, wiki)
    actions.moderate_thread(actor=staff.user, thread=wiki.thread, locked=True)
    assert not can(user, Can.EDIT_POST, Post.objects.select_related("thread__space").get(pk=wiki.pk))


def test_a_pinned_level_decides_wiki_editing_over_activity(wiki, make_member, manager):
    busy, quiet = make_member(), make_member()
    live(busy, **LEVEL_3)
    trust.pin_trust_level(actor=manager.user, membership=busy, level=2)
    trust.pin_trust_level(actor=manager.user, membership=quiet, level=3)
    trust.recompute_trust(busy.pk)
    assert not can(User.objects.get(pk=busy.user_id), Can.EDIT_POST, wiki)
    assert can(User.objects.get(pk=quiet.user_id), Can.EDIT_POST, wiki)


def test_the_thread_page_marks_wikis_and_offers_the_button(wiki, member, make_member, manager):
    address = reverse("conversations:thread", args=[wiki.community.slug, wiki.thread_id])
    page = session_client(member.user).get(address).content.decode()
    assert 'class="badge badge-wiki"' in page and "Make a plain post" in page
    editor = make_member()
    trust.pin_trust_level(actor=manager.user, membership=editor, level=3)
    page = session_client(editor.user).get(address).content.decode()
    assert reverse("conversations:edit_post", args=[wiki.community.slug, wiki.pk]) in page
    assert "Make a plain post" not in page


def test_the_wiki_button_posts_to_the_wiki_view(member, forum, make_member):
    post = start(member.user, forum).posts.get()
    client = session_client(member.user)
    url = reverse("conversations:wiki", args=[post.community.slug, post.pk])
    assert client.post(url, {"on": "1"}).status_code == 302
    assert Post.objects.get(pk=post.pk).is_wiki
    assert client.post(url, {"on": "0"}).status_code == 302
    assert not Post.objects.get(pk=post.pk).is_wiki
    assert session_client(make_member().user).post(url, {"on": "1"}).status_code == 403
    assert not Post.objects.get(pk=post.pk).is_wiki


def test_a_trusted_editor_edits_a_wiki_on_the_web(wiki, make_member, manager):
    editor = make_member()
    trust.pin_trust_level(actor=manager.user, membership=editor, level=3)
    url = reverse("conversations:edit_post", args=[wiki.community.slug, wiki.pk])
    client = session_client(editor.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Brouresepte", "body": "Begin hier: 16 g koffie."})
    assert response.status_code == 302
    assert Post.objects.get(pk=wiki.pk).body == "Begin hier: 16 g koffie."


def test_the_api_sets_wikis_and_shows_them(member, forum, make_member, manager):
    post = start(member.user, forum).posts.get()
    base = f"{API}/communities/{post.community.slug}/posts/{post.pk}"
    client = session_client(member.user)
    response = send(client, "put", f"{base}/wiki")
    assert response.status_code == 200 and response.json()["is_wiki"] is True
    editor = make_member()
    assert_problem(send(session_client(editor.user), "put", f"{base}/wiki"), 403)
    assert_problem(send(session_client(editor.user), "patch", base, {"body": "Nuut."}), 403)
    trust.pin_trust_level(actor=manager.user, membership=editor, level=3)
    response = send(session_client(editor.user), "patch", base, {"body": "Nuut en beter."})
    assert response.status_code == 200 and response.json()["body"] == "Nuut en beter."
    response = send(client, "delete", f"{base}/wiki")
    assert response.status_code == 200 and response.json()["is_wiki"] is False


def test_a_thread_of_wikis_costs_the_same_queries_for_15_posts_as_for_3(member, forum, make_member, manager):
    editor = make_member()
    trust.pin_trust_level(actor=manager.user, membership=editor, level=3)
    client = session_client(editor.user)
    thread = start(member.user, forum)

    def add(count: int) -> None:
        for n in range(count):
            post = actions.create_reply(author=member.user, thread=thread, body=f"Stap {n}")
            actions.set_wiki(actor=member.user, post=post, wiki=True)

    address = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    add(3)
    client.get(address)  # the first read of the thread and the day's visit are logged once
    few = queries_for(client, address)
    add(12)
    assert queries_for(client, address) == few
    page = Client().get(address)
    assert page.status_code == 200
