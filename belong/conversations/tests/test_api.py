"""The conversations API: threads, posts, reactions, following, bookmarks, tags, products, collections."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions
from belong.conversations.models import (
    Bookmark,
    Collection,
    Follow,
    Post,
    Product,
    Reaction,
    Thread,
    ThreadKind,
    ThreadRead,
)
from belong.conversations.tests.factories import PostFactory, ProductFactory, TagFactory, ThreadFactory
from belong.core.richtext import MAX_BODY_CHARS

pytestmark = pytest.mark.django_db

# Session and user, community, membership, restricted spaces, the thread (and its tags), the page, and one
# prefetch (tags) or the caller's reactions.
QUERY_BUDGET = 10

BODIES = {
    "bg": "Как да меля **кафето** за еспресо? Благодаря!",
    "pt": "Qual é a **moagem** ideal para o café? Obrigado, ação!",
    "af": "Hoe maal ek die **koffie** vir 'n espresso? Dankie, ná ete.",
}


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


@pytest.fixture
def moderator_client(moderator):
    return session_client(moderator.user)


@pytest.fixture
def staff(make_member):
    return make_member(Role.STAFF)


@pytest.fixture
def thread(member, space):
    return actions.create_thread(
        author=member.user, space=space, kind=ThreadKind.DISCUSSION, title="Espresso grind", body="How fine?"
    )


@pytest.fixture
def question(member, space):
    return actions.create_thread(
        author=member.user, space=space, kind=ThreadKind.QUESTION, title="Which beans?", body="Advice please."
    )


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER)


@pytest.fixture
def other_client(other):
    return session_client(other.user)


@pytest.fixture
def reply(thread, other):
    return actions.create_reply(author=other.user, thread=thread, body="Quite fine.")


# Threads


def test_anyone_can_list_the_threads_of_public_spaces(anonymous, community, space, thread):
    hidden_space = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    ThreadFactory(space=hidden_space)
    response = anonymous.get(url(community, "/threads"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["id"] for t in body["results"]] == [thread.pk]
    first = body["results"][0]
    assert (first["kind"], first["space"]["slug"], first["reply_count"]) == ("discussion", space.slug, 0)
    assert body["next_cursor"] is None


def test_threads_are_listed_pinned_first_then_by_activity_and_paged(member_client, community, space):
    now = timezone.now()
    threads = [ThreadFactory(space=space, last_activity_at=now - timedelta(hours=n)) for n in range(4)]
    Thread.objects.filter(pk=threads[3].pk).update(is_pinned=True)
    first = member_client.get(url(community, "/threads"), {"page_size": 2}).json()
    assert [t["id"] for t in first["results"]] == [threads[3].pk, threads[0].pk]
    second = member_client.get(url(community, "/threads"), {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert [t["id"] for t in second["results"]] == [threads[1].pk, threads[2].pk]
    back = member_client.get(url(community, "/threads"), {"page_size": 2, "cursor": second["previous_cursor"]})
    assert [t["id"] for t in back.json()["results"]] == [threads[3].pk, threads[0].pk]


def test_top_threads_are_ordered_by_reactions_and_paged(member_client, community, space, make_member):
    threads = ThreadFactory.create_batch(3, space=space)
    fans = [make_member().user for _ in range(3)]
    for count, thread in zip((1, 3, 2), threads, strict=True):
        post = thread.posts.get()
        for fan in fans[:count]:
            Reaction.objects.create(post=post, user=fan, kind="like")
    old = ThreadFactory(space=space)
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    first = member_client.get(url(community, "/threads"), {"order": "top", "period": "week", "page_size": 2}).json()
    assert [t["id"] for t in first["results"]] == [threads[1].pk, threads[2].pk]
    rest = member_client.get(
        url(community, "/threads"), {"order": "top", "period": "week", "page_size": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [t["id"] for t in rest["results"]] == [threads[0].pk]
    assert rest["next_cursor"] is None


def test_threads_can_be_filtered(member_client, community, space, member):
    other_space = SpaceFactory(community=community)
    tag = TagFactory(community=community, name="grind")
    question = ThreadFactory(space=space, kind=ThreadKind.QUESTION, author=member.user, language="pt")
    question.tags.add(tag)
    ThreadFactory(space=other_space, kind=ThreadKind.PRAISE)

    def ids(**params):
        response = member_client.get(url(community, "/threads"), params)
        assert response.status_code == 200, response.content
        return [t["id"] for t in response.json()["results"]]

    for params in (
        {"space": space.slug},
        {"kind": "question"},
        {"tag": "grind"},
        {"author": member.user.handle},
        {"language": "pt"},
        {"unanswered": "true"},
    ):
        assert ids(**params) == [question.pk], params


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "rant"}, "kind"),
        ({"order": "best"}, "order"),
        ({"period": "decade"}, "period"),
        ({"space": "no"}, "space"),
    ],
)
def test_bad_thread_filters_are_a_422_problem(member_client, community, params, field):
    assert field in assert_problem(member_client.get(url(community, "/threads"), params), 422)["errors"]


def test_a_forged_cursor_is_a_422_problem(member_client, community, thread):
    assert_problem(member_client.get(url(community, "/threads"), {"cursor": "eyJ2IjpbIngiXSwiYiI6ZmFsc2V9"}), 422)
    assert_problem(member_client.get(url(community, f"/threads/{thread.pk}/posts"), {"cursor": "bad"}), 422)


def test_the_thread_list_of_an_unknown_community_is_a_404_problem(anonymous):
    assert_problem(anonymous.get(f"{API}/communities/nowhere/threads"), 404)


@pytest.mark.parametrize("order", ["latest", "top"])
def test_the_thread_list_costs_the_same_queries_for_30_as_for_3(member_client, community, space, order):
    product = ProductFactory(community=community)
    tags = TagFactory.create_batch(2, community=community)

    def make(count):
        for thread in ThreadFactory.create_batch(count, space=space, product=product):
            thread.tags.set(tags)

    make(3)
    address = url(community, f"/threads?page_size=50&order={order}")
    few = queries_for(member_client, address)
    assert few <= QUERY_BUDGET
    make(27)
    assert queries_for(member_client, address) == few


@pytest.mark.parametrize("language", sorted(BODIES))
def test_a_member_starts_a_thread_in_their_language(community, space, member, language):
    client = token_client(member.user)
    TagFactory(community=community, name="grind")
    payload = {"space": space.slug, "kind": "question", "title": "Moagem", "body": BODIES[language], "tags": ["grind"]}
    response = send(client, "post", url(community, "/threads"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["is_following"], body["is_official"]) == ("question", True, False)
    assert [t["slug"] for t in body["tags"]] == ["grind"]
    posts = client.get(url(community, f"/threads/{body['id']}/posts")).json()["results"]
    assert posts[0]["body"] == BODIES[language]
    assert "**" not in posts[0]["body_html"] and "<strong>" in posts[0]["body_html"]


def test_a_review_names_its_product_and_rating(member_client, community, space):
    product = ProductFactory(community=community, slug="grinder")
    payload = {
        "space": space.slug,
        "kind": "review",
        "title": "Good",
        "body": "Solid.",
        "product": "grinder",
        "rating": 4,
    }
    response = send(member_client, "post", url(community, "/threads"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["product"]["id"], body["rating"]) == (product.pk, 4)


def test_a_brand_thread_is_official(community, space, staff):
    payload = {"space": space.slug, "kind": "announcement", "title": "News", "body": "Hello all."}
    response = send(session_client(staff.user), "post", url(community, "/threads"), payload)
    assert response.status_code == 201, response.content
    assert response.json()["is_official"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body"),
        ({"title": ""}, "title"),
        ({"kind": "rant"}, "kind"),
        ({"kind": "review", "rating": 0}, "rating"),
        ({"kind": "review", "rating": 6}, "rating"),
        ({"kind": "review"}, "rating"),
        ({"rating": 3}, "rating"),
        ({"product": "nothing"}, "product"),
        ({"space": "nowhere"}, "space"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_starting_a_thread_with_invalid_fields_is_a_422_problem(member_client, community, space, change, field):
    payload = {"space": space.slug, "title": "Title", "body": "Body", **change}
    body = assert_problem(send(member_client, "post", url(community, "/threads"), payload), 422)
    assert field in body["errors"]
    assert not Thread.objects.exists()


def test_a_member_cannot_start_an_announcement(member_client, community, space):
    payload = {"space": space.slug, "kind": "announcement", "title": "News", "body": "Hi"}
    assert_problem(send(member_client, "post", url(community, "/threads"), payload), 403)


def test_starting_a_thread_needs_a_signed_in_member(anonymous, user, community, space):
    payload = {"space": space.slug, "title": "Title", "body": "Body"}
    assert_problem(send(anonymous, "post", url(community, "/threads"), payload), 401)
    assert_problem(send(session_client(user), "post", url(community, "/threads"), payload), 403)


def test_a_read_only_token_cannot_start_a_thread(member, community, space):
    client = token_client(member.user, scopes=("read",))
    assert client.get(url(community, "/threads")).status_code == 200
    payload = {"space": space.slug, "title": "Title", "body": "Body"}
    assert_problem(send(client, "post", url(community, "/threads"), payload), 403)
    assert not Thread.objects.exists()


def test_reading_a_thread_counts_the_view_and_tells_the_caller_what_they_do_with_it(
    member_client, community, member, thread
):
    actions.bookmark(user=member.user, thread=thread)
    response = member_client.get(url(community, f"/threads/{thread.pk}"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["view_count"], body["is_following"], body["is_bookmarked"]) == (
        "Espresso grind",
        1,
        True,
        True,
    )
    assert body["answered_by_brand"] is False and body["brand_response_seconds"] is None
    assert ThreadRead.objects.get(thread=thread, user=member.user).times == 1


def test_a_thread_answered_by_the_brand_says_how_fast(anonymous, community, thread, staff):
    actions.create_reply(author=staff.user, thread=thread, body="We are on it.")
    body = anonymous.get(url(community, f"/threads/{thread.pk}")).json()
    assert body["answered_by_brand"] is True and body["brand_response_seconds"] >= 0
    assert (body["is_following"], body["is_bookmarked"], body["reply_count"]) == (False, False, 1)


def test_a_hidden_thread_is_a_404_problem_but_moderators_see_it(
    member, other_client, moderator_client, community, thread
):
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    assert_problem(other_client.get(url(community, f"/threads/{thread.pk}")), 404)
    assert moderator_client.get(url(community, f"/threads/{thread.pk}")).json()["is_hidden"] is True


def test_an_unknown_thread_is_a_404_problem(anonymous, community):
    assert_problem(anonymous.get(url(community, "/threads/999999")), 404)


def test_a_moderator_locks_hides_and_pins_a_thread(moderator_client, community, thread):
    response = send(
        moderator_client, "patch", url(community, f"/threads/{thread.pk}"), {"is_locked": True, "is_pinned": True}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["is_locked"], response.json()["is_pinned"], response.json()["is_hidden"]) == (
        True,
        True,
        False,
    )
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned


def test_a_member_cannot_moderate_a_thread(member_client, community, thread):
    assert_problem(send(member_client, "patch", url(community, f"/threads/{thread.pk}"), {"is_locked": True}), 403)


def test_a_null_in_a_thread_patch_is_a_422_problem(moderator_client, community, thread):
    response = send(moderator_client, "patch", url(community, f"/threads/{thread.pk}"), {"is_locked": None})
    assert "is_locked" in assert_problem(response, 422)["errors"]


def test_the_author_sets_a_threads_tags(member_client, community, thread):
    TagFactory(community=community, name="grind")
    response = send(member_client, "put", url(community, f"/threads/{thread.pk}/tags"), {"tags": ["grind"]})
    assert response.status_code == 200, response.content
    assert [t["slug"] for t in response.json()] == ["grind"]
    assert list(thread.tags.values_list("slug", flat=True)) == ["grind"]


def test_setting_tags_is_refused_to_others_and_new_tags_to_new_members(member_client, other_client, community, thread):
    assert_problem(send(other_client, "put", url(community, f"/threads/{thread.pk}/tags"), {"tags": []}), 403)
    response = send(member_client, "put", url(community, f"/threads/{thread.pk}/tags"), {"tags": ["brand-new"]})
    assert "tags" in assert_problem(response, 422)["errors"]
    too_many = {"tags": [f"t{n}" for n in range(6)]}
    assert (
        "tags"
        in assert_problem(send(member_client, "put", url(community, f"/threads/{thread.pk}/tags"), too_many), 422)[
            "errors"
        ]
    )


# Posts


def test_posts_are_listed_opening_first_then_the_accepted_answer(anonymous, community, question, make_member, member):
    repliers = [make_member().user for _ in range(3)]
    replies = [actions.create_reply(author=u, thread=question, body=f"Answer {n}") for n, u in enumerate(repliers)]
    actions.accept_answer(actor=member.user, thread=question, post=replies[2])
    response = anonymous.get(url(community, f"/threads/{question.pk}/posts"), {"page_size": 2})
    assert response.status_code == 200, response.content
    first = response.json()
    opening = question.posts.get(is_opening=True)
    assert [p["id"] for p in first["results"]] == [opening.pk, replies[2].pk]
    assert [p["is_accepted"] for p in first["results"]] == [False, True]
    rest = anonymous.get(
        url(community, f"/threads/{question.pk}/posts"), {"page_size": 2, "cursor": first["next_cursor"]}
    )
    assert [p["id"] for p in rest.json()["results"]] == [replies[0].pk, replies[1].pk]
    back = anonymous.get(
        url(community, f"/threads/{question.pk}/posts"), {"page_size": 2, "cursor": rest.json()["previous_cursor"]}
    )
    assert [p["id"] for p in back.json()["results"]] == [opening.pk, replies[2].pk]


def test_posts_show_reaction_counts_and_the_callers_own_reactions(
    member_client, community, thread, reply, member, make_member
):
    actions.add_reaction(user=member.user, post=reply, kind="helpful")
    actions.add_reaction(user=make_member().user, post=reply, kind="helpful")
    actions.add_reaction(user=make_member().user, post=reply, kind="love")
    posts = member_client.get(url(community, f"/threads/{thread.pk}/posts")).json()["results"]
    shown = posts[1]
    assert shown["reactions"] == {"like": 0, "helpful": 2, "love": 1, "insightful": 0, "agree": 0}
    assert shown["my_reactions"] == ["helpful"]
    assert shown["reply_to_id"] is None and shown["author"]["handle"] == reply.author.handle


def test_a_deleted_post_keeps_its_place_without_its_text(anonymous, community, thread, reply, other):
    actions.delete_post(actor=other.user, post=reply)
    shown = anonymous.get(url(community, f"/threads/{thread.pk}/posts")).json()["results"][1]
    assert (shown["id"], shown["deleted"], shown["body"], shown["body_html"]) == (reply.pk, True, None, None)


def test_hidden_posts_are_listed_for_moderators_only(member_client, moderator_client, community, thread, reply):
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    assert len(member_client.get(url(community, f"/threads/{thread.pk}/posts")).json()["results"]) == 1
    assert len(moderator_client.get(url(community, f"/threads/{thread.pk}/posts")).json()["results"]) == 2


def test_the_post_list_costs_the_same_queries_for_30_as_for_3(member_client, community, thread, member, make_member):
    fan = make_member().user

    def make(count):
        for post in PostFactory.create_batch(count, thread=thread, reply_to=thread.posts.first()):
            Reaction.objects.create(post=post, user=fan, kind="love")
            Reaction.objects.create(post=post, user=member.user, kind="like")

    make(3)
    address = url(community, f"/threads/{thread.pk}/posts?page_size=50")
    few = queries_for(member_client, address)
    assert few <= QUERY_BUDGET
    make(27)
    assert queries_for(member_client, address) == few


@pytest.mark.parametrize("language", sorted(BODIES))
def test_a_member_replies_in_their_language(other_client, community, thread, language):
    opening = thread.posts.get(is_opening=True)
    response = send(
        other_client,
        "post",
        url(community, f"/threads/{thread.pk}/posts"),
        {"body": BODIES[language], "reply_to": opening.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["body"], body["reply_to_id"], body["is_official"]) == (BODIES[language], opening.pk, False)
    assert body["reactions"]["like"] == 0 and body["my_reactions"] == []
    assert Post.objects.get(pk=body["id"]).body == BODIES[language]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "\n\t "}, "body"),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body"),
        ({}, "body"),
        ({"body": "Hi", "reply_to": 999999}, "reply_to"),
    ],
)
def test_replying_with_invalid_fields_is_a_422_problem(other_client, community, thread, payload, field):
    response = send(other_client, "post", url(community, f"/threads/{thread.pk}/posts"), payload)
    assert field in assert_problem(response, 422)["errors"]


def test_replying_to_a_locked_thread_is_a_403_problem_but_moderators_may(
    other_client, moderator_client, community, thread
):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    assert_problem(send(other_client, "post", url(community, f"/threads/{thread.pk}/posts"), {"body": "Hi"}), 403)
    response = send(moderator_client, "post", url(community, f"/threads/{thread.pk}/posts"), {"body": "Closing."})
    assert response.status_code == 201, response.content


def test_replying_needs_a_signed_in_member_and_a_write_token(anonymous, user, other, community, thread):
    address = url(community, f"/threads/{thread.pk}/posts")
    assert_problem(send(anonymous, "post", address, {"body": "Hi"}), 401)
    assert_problem(send(session_client(user), "post", address, {"body": "Hi"}), 403)
    assert_problem(send(token_client(other.user, scopes=("read",)), "post", address, {"body": "Hi"}), 403)


def test_the_author_edits_a_post_and_the_opening_post_changes_the_title(member_client, community, thread):
    opening = thread.posts.get(is_opening=True)
    response = send(
        member_client, "patch", url(community, f"/posts/{opening.pk}"), {"body": BODIES["bg"], "title": "Мелене"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["body"] == BODIES["bg"] and response.json()["edited_at"] is not None
    thread.refresh_from_db()
    assert thread.title == "Мелене"
    revisions = member_client.get(url(community, f"/posts/{opening.pk}/revisions")).json()["results"]
    assert [(r["body"], r["title"]) for r in revisions] == [("How fine?", "Espresso grind")]


def test_a_title_for_a_reply_is_a_422_problem(other_client, community, reply):
    response = send(other_client, "patch", url(community, f"/posts/{reply.pk}"), {"title": "New"})
    assert "title" in assert_problem(response, 422)["errors"]


@pytest.mark.parametrize("body", ["", "x" * (MAX_BODY_CHARS + 1)])
def test_an_empty_or_oversized_edit_is_a_422_problem(other_client, community, reply, body):
    assert (
        "body"
        in assert_problem(send(other_client, "patch", url(community, f"/posts/{reply.pk}"), {"body": body}), 422)[
            "errors"
        ]
    )


def test_others_cannot_edit_or_delete_a_post(member_client, anonymous, community, reply):
    assert_problem(send(member_client, "patch", url(community, f"/posts/{reply.pk}"), {"body": "Mine"}), 403)
    assert_problem(member_client.delete(url(community, f"/posts/{reply.pk}")), 403)
    assert_problem(send(anonymous, "patch", url(community, f"/posts/{reply.pk}"), {"body": "Mine"}), 401)


def test_an_unknown_post_is_a_404_problem(other_client, community):
    assert_problem(send(other_client, "patch", url(community, "/posts/999999"), {"body": "x"}), 404)
    assert_problem(other_client.delete(url(community, "/posts/999999")), 404)


def test_the_author_deletes_a_post_softly(other_client, community, thread, reply):
    response = other_client.delete(url(community, f"/posts/{reply.pk}"))
    assert response.status_code == 200, response.content
    assert (response.json()["deleted"], response.json()["body"]) == (True, None)
    reply.refresh_from_db()
    assert reply.is_deleted and reply.body == "Quite fine."
    assert_problem(other_client.delete(url(community, f"/posts/{reply.pk}")), 403)


def test_revisions_are_shown_to_the_author_and_moderators_only(
    other_client, member_client, moderator_client, community, reply, other
):
    actions.edit_post(editor=other.user, post=reply, body="Edited")
    address = url(community, f"/posts/{reply.pk}/revisions")
    assert [r["body"] for r in other_client.get(address).json()["results"]] == ["Quite fine."]
    assert moderator_client.get(address).status_code == 200
    assert_problem(member_client.get(address), 403)
    assert_problem(Client().get(address), 401)


def test_the_revision_list_costs_the_same_queries_for_30_as_for_3(other_client, community, reply, other):
    def edit(count):
        for n in range(count):
            actions.edit_post(editor=other.user, post=reply, body=f"Version {Post.objects.get(pk=reply.pk).body}{n}")

    edit(3)
    address = url(community, f"/posts/{reply.pk}/revisions?page_size=50")
    few = queries_for(other_client, address)
    assert few <= QUERY_BUDGET
    edit(27)
    assert queries_for(other_client, address) == few


def test_the_asker_accepts_an_answer(member_client, community, question, other):
    answer = actions.create_reply(author=other.user, thread=question, body="Arabica.")
    response = send(member_client, "post", url(community, f"/threads/{question.pk}/accept"), {"post": answer.pk})
    assert response.status_code == 200, response.content
    assert response.json()["accepted_answer_id"] == answer.pk
    again = send(member_client, "post", url(community, f"/threads/{question.pk}/accept"), {"post": answer.pk})
    assert_problem(again, 409)


def test_accepting_is_refused_to_others_and_on_non_questions(
    other_client, member_client, community, question, thread, reply, other
):
    answer = actions.create_reply(author=other.user, thread=question, body="Arabica.")
    assert_problem(
        send(other_client, "post", url(community, f"/threads/{question.pk}/accept"), {"post": answer.pk}), 403
    )
    assert_problem(send(member_client, "post", url(community, f"/threads/{thread.pk}/accept"), {"post": reply.pk}), 422)
    unknown = send(member_client, "post", url(community, f"/threads/{question.pk}/accept"), {"post": reply.pk})
    assert "post" in assert_problem(unknown, 422)["errors"]
    assert_problem(send(Client(), "post", url(community, f"/threads/{question.pk}/accept"), {"post": answer.pk}), 401)


def test_a_member_reacts_once_per_kind_and_takes_it_back(member_client, community, reply, member):
    address = url(community, f"/posts/{reply.pk}/reactions/helpful")
    response = member_client.put(address)
    assert response.status_code == 200, response.content
    assert (response.json()["reactions"]["helpful"], response.json()["my_reactions"]) == (1, ["helpful"])
    assert_problem(member_client.put(address), 409)
    response = member_client.delete(address)
    assert response.status_code == 200, response.content
    assert (response.json()["reactions"]["helpful"], response.json()["my_reactions"]) == (0, [])
    assert_problem(member_client.delete(address), 404)


def test_reacting_is_refused_on_ones_own_post_with_an_unknown_kind_and_to_visitors(
    other_client, member_client, community, reply
):
    assert_problem(other_client.put(url(community, f"/posts/{reply.pk}/reactions/like")), 403)
    assert (
        "kind" in assert_problem(member_client.put(url(community, f"/posts/{reply.pk}/reactions/meh")), 422)["errors"]
    )
    assert_problem(Client().put(url(community, f"/posts/{reply.pk}/reactions/like")), 401)
    assert_problem(member_client.put(url(community, "/posts/999999/reactions/like")), 404)


# Following and bookmarks


def test_following_a_thread_space_and_tag_and_stopping(other_client, community, thread, space, other):
    tag = TagFactory(community=community, name="grind")
    for address in (f"/threads/{thread.pk}/follow", f"/spaces/{space.slug}/follow", f"/tags/{tag.slug}/follow"):
        response = other_client.put(url(community, address))
        assert response.json() == {"following": True}, address
        assert_problem(other_client.put(url(community, address)), 409)
        assert other_client.delete(url(community, address)).json() == {"following": False}
        assert_problem(other_client.delete(url(community, address)), 404)
    assert not Follow.objects.filter(user=other.user).exists()


def test_following_needs_sign_in_and_a_known_target(anonymous, other_client, community, thread):
    assert_problem(anonymous.put(url(community, f"/threads/{thread.pk}/follow")), 401)
    assert_problem(other_client.put(url(community, "/tags/nothing/follow")), 404)
    assert_problem(other_client.put(url(community, "/spaces/nowhere/follow")), 404)
    assert_problem(other_client.put(url(community, "/threads/999999/follow")), 404)


def test_a_restricted_space_cannot_be_followed_by_a_member(other_client, community):
    restricted = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED)
    assert_problem(other_client.put(url(community, f"/spaces/{restricted.slug}/follow")), 403)


def test_bookmarks_are_kept_listed_newest_first_and_removed(other_client, community, space, other):
    threads = ThreadFactory.create_batch(3, space=space)
    for thread in threads:
        assert other_client.put(url(community, f"/threads/{thread.pk}/bookmark")).json() == {"bookmarked": True}
    assert_problem(other_client.put(url(community, f"/threads/{threads[0].pk}/bookmark")), 409)
    first = other_client.get(url(community, "/bookmarks"), {"page_size": 2}).json()
    assert [t["id"] for t in first["results"]] == [threads[2].pk, threads[1].pk]
    rest = other_client.get(url(community, "/bookmarks"), {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert [t["id"] for t in rest["results"]] == [threads[0].pk]
    assert other_client.delete(url(community, f"/threads/{threads[0].pk}/bookmark")).json() == {"bookmarked": False}
    assert_problem(other_client.delete(url(community, f"/threads/{threads[0].pk}/bookmark")), 404)
    assert Bookmark.objects.filter(user=other.user).count() == 2


def test_bookmarks_of_others_are_not_listed(other_client, community, thread, member):
    actions.bookmark(user=member.user, thread=thread)
    assert other_client.get(url(community, "/bookmarks")).json()["results"] == []
    assert_problem(Client().get(url(community, "/bookmarks")), 401)
    assert_problem(Client().put(url(community, f"/threads/{thread.pk}/bookmark")), 401)


def test_the_bookmark_list_costs_the_same_queries_for_30_as_for_3(other_client, community, space, other):
    tag = TagFactory(community=community)

    def make(count):
        for thread in ThreadFactory.create_batch(count, space=space):
            thread.tags.add(tag)
            Bookmark.objects.create(user=other.user, thread=thread)

    make(3)
    few = queries_for(other_client, url(community, "/bookmarks?page_size=50"))
    assert few <= QUERY_BUDGET
    make(27)
    assert queries_for(other_client, url(community, "/bookmarks?page_size=50")) == few


# Tags and products


def test_anyone_lists_tags_official_first_with_counts(anonymous, community, thread):
    free = TagFactory(community=community, name="aaa", is_official=False)
    official = TagFactory(community=community, name="zzz")
    thread.tags.add(official)
    body = anonymous.get(url(community, "/tags")).json()
    assert [(t["id"], t["thread_count"]) for t in body["results"]] == [(official.pk, 1), (free.pk, 0)]


def test_the_tag_list_costs_the_same_queries_for_30_as_for_3(anonymous, community):
    TagFactory.create_batch(3, community=community)
    few = queries_for(anonymous, url(community, "/tags?page_size=50"))
    assert few <= QUERY_BUDGET
    TagFactory.create_batch(27, community=community)
    assert queries_for(anonymous, url(community, "/tags?page_size=50")) == few


def test_moderators_create_tags_and_members_cannot(moderator_client, member_client, community):
    response = send(moderator_client, "post", url(community, "/tags"), {"name": "Mo agem"})
    assert response.status_code == 201, response.content
    assert (response.json()["slug"], response.json()["is_official"]) == ("mo-agem", True)
    assert_problem(send(moderator_client, "post", url(community, "/tags"), {"name": "Mo agem"}), 409)
    assert_problem(send(member_client, "post", url(community, "/tags"), {"name": "Mine"}), 403)
    assert (
        "name" in assert_problem(send(moderator_client, "post", url(community, "/tags"), {"name": ""}), 422)["errors"]
    )
    assert_problem(send(Client(), "post", url(community, "/tags"), {"name": "x"}), 401)


def test_anyone_lists_active_products(anonymous, community):
    ProductFactory(community=community, name="Grinder")
    ProductFactory(community=community, name="Old", is_active=False)
    assert [p["name"] for p in anonymous.get(url(community, "/products")).json()["results"]] == ["Grinder"]


def test_the_product_list_costs_the_same_queries_for_30_as_for_3(anonymous, community):
    ProductFactory.create_batch(3, community=community)
    few = queries_for(anonymous, url(community, "/products?page_size=50"))
    assert few <= QUERY_BUDGET
    ProductFactory.create_batch(27, community=community)
    assert queries_for(anonymous, url(community, "/products?page_size=50")) == few


def test_the_brand_adds_products_and_members_cannot(community, staff, member_client):
    client = token_client(staff.user)
    payload = {"name": "Moinho", "slug": "moinho", "description": "Para café."}
    response = send(client, "post", url(community, "/products"), payload)
    assert response.status_code == 201, response.content
    assert Product.objects.get(community=community).name == "Moinho"
    assert_problem(send(client, "post", url(community, "/products"), payload), 409)
    assert (
        "slug"
        in assert_problem(send(client, "post", url(community, "/products"), {"name": "X", "slug": "no way"}), 422)[
            "errors"
        ]
    )
    assert_problem(send(member_client, "post", url(community, "/products"), {"name": "X", "slug": "x"}), 403)


# Collections


def test_a_member_curates_a_collection(other_client, community, space, other):
    threads = ThreadFactory.create_batch(2, space=space)
    response = send(other_client, "post", url(community, "/collections"), {"title": "Best of", "description": "Top"})
    assert response.status_code == 201, response.content
    collection_id = response.json()["id"]
    for thread in reversed(threads):
        response = other_client.put(url(community, f"/collections/{collection_id}/threads/{thread.pk}"))
        assert response.status_code == 200, response.content
    assert [t["id"] for t in response.json()["threads"]] == [threads[1].pk, threads[0].pk]
    assert_problem(other_client.put(url(community, f"/collections/{collection_id}/threads/{threads[0].pk}")), 409)
    body = Client().get(url(community, f"/collections/{collection_id}")).json()
    assert (body["title"], body["thread_count"], body["owner"]["handle"]) == ("Best of", 2, other.user.handle)
    response = other_client.delete(url(community, f"/collections/{collection_id}/threads/{threads[1].pk}"))
    assert [t["id"] for t in response.json()["threads"]] == [threads[0].pk]
    assert_problem(other_client.delete(url(community, f"/collections/{collection_id}/threads/{threads[1].pk}")), 404)


def test_a_collection_is_changed_by_its_owner_only(member_client, community, thread, other):
    collection = actions.create_collection(owner=other.user, community=community, title="Mine")
    assert_problem(member_client.put(url(community, f"/collections/{collection.pk}/threads/{thread.pk}")), 403)
    assert_problem(Client().put(url(community, f"/collections/{collection.pk}/threads/{thread.pk}")), 401)


def test_private_collections_are_shown_to_their_owner_only(other_client, member_client, community, other):
    collection = actions.create_collection(owner=other.user, community=community, title="Secret", is_public=False)
    assert other_client.get(url(community, f"/collections/{collection.pk}")).status_code == 200
    assert_problem(member_client.get(url(community, f"/collections/{collection.pk}")), 404)
    assert member_client.get(url(community, "/collections")).json()["results"] == []
    mine = other_client.get(url(community, "/collections"), {"mine": "true"}).json()["results"]
    assert [c["id"] for c in mine] == [collection.pk]
    assert_problem(Client().get(url(community, "/collections"), {"mine": "true"}), 401)


def test_creating_a_collection_needs_membership_and_a_title(user, member_client, community):
    assert_problem(send(session_client(user), "post", url(community, "/collections"), {"title": "X"}), 403)
    assert (
        "title"
        in assert_problem(send(member_client, "post", url(community, "/collections"), {"title": ""}), 422)["errors"]
    )
    assert not Collection.objects.exists()


def test_the_collection_list_costs_the_same_queries_for_30_as_for_3(anonymous, community, make_member):
    def make(count):
        for _ in range(count):
            actions.create_collection(owner=make_member().user, community=community, title="List")

    make(3)
    few = queries_for(anonymous, url(community, "/collections?page_size=50"))
    assert few <= QUERY_BUDGET
    make(27)
    assert queries_for(anonymous, url(community, "/collections?page_size=50")) == few


def test_a_collection_costs_the_same_queries_for_30_threads_as_for_3(anonymous, community, space, other):
    collection = actions.create_collection(owner=other.user, community=community, title="Many")
    tag = TagFactory(community=community)

    def make(count):
        for thread in ThreadFactory.create_batch(count, space=space):
            thread.tags.add(tag)
            actions.add_to_collection(owner=other.user, collection=collection, thread=thread)

    make(3)
    few = queries_for(anonymous, url(community, f"/collections/{collection.pk}"))
    assert few <= QUERY_BUDGET
    make(27)
    assert queries_for(anonymous, url(community, f"/collections/{collection.pk}")) == few


# Search


@pytest.fixture
def indexed(space, make_member, django_capture_on_commit_callbacks):
    """Start threads through the action, publishing their events so the search index is written."""

    def start(title, body, kind=ThreadKind.DISCUSSION):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.create_thread(author=make_member().user, space=space, kind=kind, title=title, body=body)

    return start


@pytest.mark.parametrize("language", sorted(BODIES))
def test_search_finds_posts_in_every_language_with_a_snippet(anonymous, community, indexed, language):
    thread = indexed("Koffie", BODIES[language])
    indexed("Other", "Nothing to see here.")
    word = {"bg": "кафето", "pt": "cafe", "af": "koffie"}[language]
    response = anonymous.get(url(community, "/search"), {"q": word})
    assert response.status_code == 200, response.content
    hits = response.json()["results"]
    assert [hit["thread_id"] for hit in hits] == [thread.pk]
    assert "<mark>" in hits[0]["snippet"] and hits[0]["rank"] > 0
    assert (hits[0]["thread_title"], hits[0]["space"]["slug"]) == ("Koffie", thread.space.slug)


def test_search_is_filtered_and_paged(member_client, community, indexed, member):
    threads = [indexed(f"Grinder {n}", "The grinder is loud.") for n in range(3)]
    indexed("Question", "Is the grinder loud?", kind=ThreadKind.QUESTION)
    first = member_client.get(url(community, "/search"), {"q": "grinder", "kind": "discussion", "page_size": 2}).json()
    rest = member_client.get(
        url(community, "/search"),
        {"q": "grinder", "kind": "discussion", "page_size": 2, "cursor": first["next_cursor"]},
    ).json()
    found = [hit["thread_id"] for hit in first["results"] + rest["results"]]
    assert sorted(found) == sorted(t.pk for t in threads) and rest["next_cursor"] is None
    since = (timezone.now() + timedelta(hours=1)).isoformat()
    assert member_client.get(url(community, "/search"), {"q": "grinder", "since": since}).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x", "kind": "rant"}, "kind"), ({"q": "x", "since": "yesterday"}, "since")],
)
def test_a_bad_search_is_a_422_problem(anonymous, community, params, field):
    assert field in assert_problem(anonymous.get(url(community, "/search"), params), 422)["errors"]


def test_search_costs_the_same_queries_for_30_hits_as_for_3(anonymous, community, indexed):
    for n in range(3):
        indexed(f"Beans {n}", "Roasted beans.")
    few = queries_for(anonymous, url(community, "/search?q=beans&page_size=50"))
    assert few <= QUERY_BUDGET
    for n in range(27):
        indexed(f"Beans {n}", "Roasted beans.")
    assert queries_for(anonymous, url(community, "/search?q=beans&page_size=50")) == few


# The spec


def test_the_spec_lists_the_conversation_operations_with_their_problem_responses():
    spec = json.loads(Client().get(f"{API}/openapi.json").content)
    operations = {
        operation["operationId"]: (method.upper(), operation)
        for methods in spec["paths"].values()
        for method, operation in methods.items()
        if operation.get("tags") == ["conversations"]
    }
    assert len(operations) == 40, sorted(operations)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}
    for operation_id, (method, operation) in operations.items():
        codes = {int(code) for code in operation["responses"]}
        expected = {401, 403, 404, 422} | ({400, 409, 429} if method != "GET" else set())
        assert expected <= codes, operation_id
        for code in expected:
            assert operation["responses"][str(code)]["content"] == problem, (operation_id, code)
    body = spec["components"]["schemas"]["ThreadIn"]["properties"]["body"]
    assert body["maxLength"] == MAX_BODY_CHARS and str(MAX_BODY_CHARS) in body["description"]
