"""The conversation pages: each path once, with refusals, bad input, htmx fragments and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions, search, views
from belong.conversations.models import (
    Bookmark,
    Collection,
    CollectionItem,
    Follow,
    Post,
    PostRevision,
    Product,
    Reaction,
    Tag,
    Thread,
    ThreadKind,
    ThreadRead,
)
from belong.conversations.tests.factories import ProductFactory, TagFactory
from belong.core.richtext import MAX_BODY_CHARS

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(author, space, kind=ThreadKind.DISCUSSION, title="Grind size?", body="How fine?", **kwargs) -> Thread:
    return actions.create_thread(author=author, space=space, kind=kind, title=title, body=body, **kwargs)


def thread_url(thread, name="thread") -> str:
    return reverse(f"conversations:{name}", args=[thread.community.slug, thread.pk])


def post_url(post, name) -> str:
    return reverse(f"conversations:{name}", args=[post.community.slug, post.pk])


@pytest.fixture
def thread(member, space) -> Thread:
    return start(member.user, space, ThreadKind.QUESTION)


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER)


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


# Thread lists


def test_the_thread_list_shows_kind_marks_and_puts_pinned_first(client, member, manager, space, community):
    old = start(member.user, space, ThreadKind.REVIEW, title="Old review", rating=4)
    start(member.user, space, ThreadKind.PRAISE, title="Fresh praise")
    actions.moderate_thread(actor=manager.user, thread=old, pinned=True)
    html = client.get(reverse("conversations:threads", args=[community.slug])).content.decode()
    assert html.index("Old review") < html.index("Fresh praise")
    assert 'kind-review">Review<' in html and 'kind-praise">Praise<' in html
    assert "Rated 4 out of 5" in html and "Pinned" in html


def test_the_thread_list_filters_by_kind_tag_and_space_and_htmx_gets_the_list_only(client, manager, space, community):
    TagFactory(community=community, name="grinders", slug="grinders")
    elsewhere = SpaceFactory(community=community)
    start(manager.user, space, ThreadKind.QUESTION, title="Tagged question", tags=["grinders"])
    start(manager.user, space, ThreadKind.QUESTION, title="Plain question")
    start(manager.user, elsewhere, ThreadKind.STORY, title="A story")
    url = reverse("conversations:threads", args=[community.slug])
    html = client.get(url, {"tag": "grinders"}).content.decode()
    assert "Tagged question" in html and "Plain question" not in html
    html = client.get(url, {"kind": "story"}).content.decode()
    assert "A story" in html and "Tagged question" not in html
    response = client.get(url, {"space": elsewhere.slug}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="thread-list"' in html
    assert "A story" in html and "Plain question" not in html


def test_the_unanswered_and_top_tabs(client, member, other, space, community):
    answered = start(member.user, space, ThreadKind.QUESTION, title="Answered one")
    start(member.user, space, ThreadKind.QUESTION, title="Lonely one")
    reply = actions.create_reply(author=other.user, thread=answered, body="Medium")
    actions.add_reaction(user=member.user, post=reply, kind="helpful")
    url = reverse("conversations:threads", args=[community.slug])
    html = client.get(url, {"tab": "unanswered"}).content.decode()
    assert "Lonely one" in html and "Answered one" not in html
    html = client.get(url, {"tab": "top", "period": "day"}).content.decode()
    assert html.index("Answered one") < html.index("Lonely one")
    assert 'name="period"' in html


def test_a_thread_list_of_30_costs_as_many_queries_as_of_3(
    member, other, space, community, django_assert_max_num_queries
):
    tag = TagFactory(community=community)
    url = reverse("conversations:threads", args=[community.slug])
    client = client_for(member.user)
    counts = []
    for total in (3, 30):
        while Thread.objects.count() < total:
            made = start(member.user, space, ThreadKind.REVIEW, rating=3, tags=[tag.slug])
            actions.create_reply(author=other.user, thread=made, body="Same here")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(url)


def test_the_space_page_lists_its_threads_with_a_new_thread_button(member_client, client, member, space, community):
    start(member.user, space, title="In this space")
    url = reverse("communities:space", args=[community.slug, space.slug])
    html = member_client.get(url).content.decode()
    assert "In this space" in html
    assert reverse("conversations:new_thread", args=[community.slug, space.slug]) in html
    assert "Sign in to start a thread" in client.get(url).content.decode()


def test_the_bookmarks_page_lists_the_members_bookmarks_and_needs_sign_in(client, member, member_client, thread):
    url = reverse("conversations:bookmarks", args=[thread.community.slug])
    assert reverse("account_login") in client.get(url).url
    assert "not bookmarked any thread" in member_client.get(url).content.decode()
    actions.bookmark(user=member.user, thread=thread)
    assert thread.title in member_client.get(url).content.decode()


# Starting a thread


def new_thread_url(space) -> str:
    return reverse("conversations:new_thread", args=[space.community.slug, space.slug])


def thread_data(**overrides):
    data = {"kind": "discussion", "title": "Best beans?", "body": "Tell me **yours**.", "rating": "", "tags": ""}
    data.update(overrides)
    return data


def test_a_guest_is_sent_to_sign_in_to_start_a_thread(client, space):
    response = client.get(new_thread_url(space))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_members_are_not_offered_the_brand_kinds_but_managers_are(member_client, manager_client, space):
    html = member_client.get(new_thread_url(space)).content.decode()
    assert 'value="question"' in html and 'value="announcement"' not in html
    assert f"{MAX_BODY_CHARS:,}" in html and "Markdown works" in html
    assert 'value="announcement"' in manager_client.get(new_thread_url(space)).content.decode()


def test_starting_a_thread_redirects_to_it(member_client, space):
    response = member_client.post(new_thread_url(space), thread_data())
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread_url(thread)
    assert "<strong>yours</strong>" in Post.objects.get(thread=thread).body_html


def test_a_review_names_a_product_and_a_rating(member_client, space, community):
    product = ProductFactory(community=community)
    response = member_client.post(new_thread_url(space), thread_data(kind="review", product=product.pk, rating="5"))
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert (thread.product, thread.rating) == (product, 5)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body"),
        ({"kind": "review", "rating": "6"}, "rating"),
        ({"kind": "review", "rating": ""}, "rating"),
        ({"kind": "announcement"}, "kind"),
        ({"tags": "brand-new-tag"}, "tags"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_thread_input_rerenders_the_form_and_writes_nothing(member_client, space, overrides, field):
    response = member_client.post(new_thread_url(space), thread_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Thread.objects.exists()


# The thread page


def test_the_thread_page_shows_the_posts_with_the_accepted_answer_first_and_records_a_view(
    member, other, make_member, space
):
    staff = make_member(Role.STAFF)
    thread = start(member.user, space, ThreadKind.QUESTION, title="Which grinder?", body="Opening words")
    first = actions.create_reply(author=other.user, thread=thread, body="First reply")
    answer = actions.create_reply(author=staff.user, thread=thread, body="Brand answer", reply_to=first)
    gone = actions.create_reply(author=other.user, thread=thread, body="Regret this")
    actions.delete_post(actor=other.user, post=gone)
    actions.edit_post(editor=other.user, post=first, body="First reply, edited")
    actions.accept_answer(actor=member.user, thread=thread, post=answer)
    client = client_for(member.user)
    html = client.get(thread_url(thread)).content.decode()
    opening = thread.posts.get(is_opening=True)
    order = [html.index(f'id="post-{post.pk}"') for post in (opening, answer, first)]
    assert order == sorted(order) and "First reply, edited" in html
    assert "Accepted answer" in html and "Answered by the brand" in html and "Official" in html
    assert "This post was removed." in html and "Regret this" not in html
    assert post_url(first, "revisions") in html
    assert f"In reply to @{other.user.handle}" in html
    assert 'aria-pressed="false"' in html
    thread.refresh_from_db()
    assert thread.view_count == 1 and ThreadRead.objects.filter(thread=thread, user=member.user).exists()


def test_a_thread_page_with_30_posts_costs_as_many_queries_as_with_3(
    member, other, make_member, space, django_assert_max_num_queries
):
    thread = start(member.user, space, ThreadKind.QUESTION)
    client = client_for(member.user)
    client.get(thread_url(thread))  # the first view writes the member's read marker; later ones update it
    fans = [make_member().user for _ in range(2)]
    counts = []
    for total in (3, 30):
        while Post.objects.filter(thread=thread).count() < total:
            post = actions.create_reply(author=other.user, thread=thread, body="Reply", reply_to=thread.posts.first())
            for fan in fans:
                actions.add_reaction(user=fan, post=post, kind="like")
            actions.add_reaction(user=member.user, post=post, kind="helpful")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(thread_url(thread)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(thread_url(thread))


def test_a_hidden_thread_is_a_404_for_members_and_shown_with_a_notice_to_moderators(thread, moderator, other):
    actions.moderate_thread(actor=moderator.user, thread=thread, hidden=True)
    assert client_for(other.user).get(thread_url(thread)).status_code == 404
    html = client_for(moderator.user).get(thread_url(thread)).content.decode()
    assert "This thread is hidden" in html and "Moderation" in html


def test_a_thread_in_a_members_only_space_is_not_found_for_guests(client, member, community):
    space = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    thread = start(member.user, space)
    assert client.get(thread_url(thread)).status_code == 404


def test_quoting_prefills_the_reply_form_for_htmx(member_client, thread, other):
    post = actions.create_reply(author=other.user, thread=thread, body="Medium grind")
    response = member_client.get(thread_url(thread), {"quote": post.pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="reply-form"' in html
    assert f"&gt; @{other.user.handle} wrote:" in html and "&gt; Medium grind" in html
    assert f'name="reply_to" value="{post.pk}"' in html and "autofocus" in html
    thread.refresh_from_db()
    assert thread.view_count == 0


def test_reply_to_without_javascript_renders_the_whole_page_with_the_target(member_client, thread, other):
    post = actions.create_reply(author=other.user, thread=thread, body="Medium grind")
    html = member_client.get(thread_url(thread), {"reply_to": post.pk}).content.decode()
    assert f"Replying to @{other.user.handle}" in html and "<html" in html


# Replying


def test_a_guest_is_sent_to_sign_in_to_reply(client, thread):
    response = client.post(thread_url(thread, "reply"), {"body": "Hi"})
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert Post.objects.filter(thread=thread).count() == 1


def test_replying_without_javascript_redirects_to_the_new_post(other, thread):
    response: Any = client_for(other.user).post(thread_url(thread, "reply"), {"body": "Medium, I think"})
    post = Post.objects.get(thread=thread, is_opening=False)
    assert response.status_code == 302 and response.url == thread_url(thread) + f"#post-{post.pk}"


def test_replying_with_htmx_returns_a_fresh_form_and_the_post_out_of_band(other, thread):
    opening = thread.posts.get()
    response = client_for(other.user).post(
        thread_url(thread, "reply"), {"body": "Quoting you", "reply_to": opening.pk}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#posts"' in html and "Quoting you" in html and "Your reply is posted." in html
    assert Post.objects.get(thread=thread, is_opening=False).reply_to == opening


@pytest.mark.parametrize("body", ["", "   ", "x" * (MAX_BODY_CHARS + 1)])
def test_a_bad_reply_rerenders_the_form_with_422_and_writes_nothing(other, thread, body):
    client = client_for(other.user)
    response = client.post(thread_url(thread, "reply"), {"body": body})
    assert response.status_code == 422 and "errorlist" in response.content.decode()
    response = client.post(thread_url(thread, "reply"), {"body": body}, **HTMX)
    assert response.status_code == 422 and 'id="reply-form"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1


def test_replying_to_a_locked_thread_is_refused_and_writes_nothing(other, moderator, thread):
    actions.moderate_thread(actor=moderator.user, thread=thread, locked=True)
    response = client_for(other.user).post(thread_url(thread, "reply"), {"body": "Let me in"})
    assert response.status_code == 403
    assert Post.objects.filter(thread=thread).count() == 1
    html = client_for(other.user).get(thread_url(thread)).content.decode()
    assert "This thread is locked" in html and "Post the reply" not in html


# Reactions, answers, follows, bookmarks


def test_a_reaction_toggles_with_htmx(other, thread):
    post = thread.posts.get()
    url = reverse("conversations:react", args=[thread.community.slug, post.pk, "helpful"])
    client = client_for(other.user)
    response = client.post(url, {"on": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="react-{post.pk}-helpful" class="reaction reaction-helpful" aria-pressed="true"' in html
    assert Reaction.objects.filter(post=post, user=other.user, kind="helpful").exists()
    html = client.post(url, {"on": "0"}, **HTMX).content.decode()
    assert 'aria-pressed="true"' not in html
    assert not Reaction.objects.exists()


def test_a_reaction_without_javascript_redirects_and_a_double_click_is_harmless(other, thread):
    post = thread.posts.get()
    url = reverse("conversations:react", args=[thread.community.slug, post.pk, "like"])
    client = client_for(other.user)
    assert client.post(url, {"on": "1"}).status_code == 302
    assert client.post(url, {"on": "1"}).status_code == 302
    assert Reaction.objects.count() == 1


def test_reacting_to_ones_own_post_is_refused(member_client, thread):
    post = thread.posts.get()
    url = reverse("conversations:react", args=[thread.community.slug, post.pk, "like"])
    assert member_client.post(url, {"on": "1"}).status_code == 403
    assert not Reaction.objects.exists()


def test_the_asker_accepts_an_answer_and_htmx_gets_the_reordered_posts(member, other, thread):
    early = actions.create_reply(author=other.user, thread=thread, body="Early guess")
    good = actions.create_reply(author=other.user, thread=thread, body="The real answer")
    response = client_for(member.user).post(post_url(good, "accept"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="posts"' in html and "<html" not in html
    assert html.index("The real answer") < html.index("Early guess")
    thread.refresh_from_db()
    assert thread.accepted_answer == good
    assert early.pk != good.pk


def test_another_member_cannot_accept_an_answer(other, make_member, thread):
    answer = actions.create_reply(author=other.user, thread=thread, body="Mine")
    bystander = make_member()
    assert client_for(bystander.user).post(post_url(answer, "accept")).status_code == 403
    html = client_for(bystander.user).get(thread_url(thread)).content.decode()
    assert "Accept as answer" not in html
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_follow_and_bookmark_toggle_with_htmx(other, thread):
    client = client_for(other.user)
    html = client.post(thread_url(thread, "follow"), {"on": "1"}, **HTMX).content.decode()
    assert 'id="follow-button"' in html and 'aria-pressed="true"' in html
    assert Follow.objects.filter(user=other.user, thread=thread).exists()
    html = client.post(thread_url(thread, "follow"), {"on": "0"}, **HTMX).content.decode()
    assert 'aria-pressed="false"' in html
    html = client.post(thread_url(thread, "bookmark"), {"on": "1"}, **HTMX).content.decode()
    assert 'id="bookmark-button"' in html and 'aria-pressed="true"' in html
    assert Bookmark.objects.filter(user=other.user, thread=thread).exists()
    assert client.post(thread_url(thread, "bookmark"), {"on": "0"}).status_code == 302
    assert not Bookmark.objects.exists()


# Moderation


def test_a_member_cannot_moderate_a_thread(other, thread):
    response = client_for(other.user).post(thread_url(thread, "moderate"), {"locked": "1"})
    assert response.status_code == 403
    thread.refresh_from_db()
    assert not thread.is_locked
    assert "Moderation" not in client_for(other.user).get(thread_url(thread)).content.decode()


def test_a_moderator_locks_and_pins_a_thread(moderator, thread):
    client = client_for(moderator.user)
    assert client.post(thread_url(thread, "moderate"), {"locked": "1"}).status_code == 302
    assert client.post(thread_url(thread, "moderate"), {"pinned": "1"}).status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned and not thread.is_hidden


# Editing and deleting


def test_the_author_edits_a_post_and_the_old_text_is_in_its_history(member, thread, client):
    opening = thread.posts.get()
    member_client = client_for(member.user)
    assert member_client.get(post_url(opening, "edit_post")).status_code == 200
    response = member_client.post(post_url(opening, "edit_post"), {"title": "Better title", "body": "New words"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Better title"
    assert PostRevision.objects.get(post=opening).body == "How fine?"
    html = client.get(post_url(opening, "revisions")).content.decode()
    assert "How fine?" in html and "New words" in html


def test_editing_with_an_empty_body_rerenders_with_422(member_client, thread):
    opening = thread.posts.get()
    response = member_client.post(post_url(opening, "edit_post"), {"title": "T", "body": " "})
    assert response.status_code == 422
    assert not PostRevision.objects.exists()


def test_another_member_cannot_edit_or_delete_a_post(other, thread):
    opening = thread.posts.get()
    client = client_for(other.user)
    assert client.get(post_url(opening, "edit_post")).status_code == 403
    assert client.post(post_url(opening, "delete_post")).status_code == 403
    assert not Post.objects.filter(deleted_at__isnull=False).exists()


def test_deleting_asks_first_then_removes_the_post(other, thread):
    reply = actions.create_reply(author=other.user, thread=thread, body="Oops")
    client = client_for(other.user)
    html = client.get(post_url(reply, "delete_post")).content.decode()
    assert "Delete this post?" in html
    assert client.post(post_url(reply, "delete_post")).status_code == 302
    reply.refresh_from_db()
    assert reply.is_deleted
    assert "This post was removed." in client.get(thread_url(thread)).content.decode()
    assert client.get(post_url(reply, "revisions")).status_code == 404


# Tags and products


def test_managers_create_official_tags_and_members_cannot(manager_client, member_client, community):
    url = reverse("conversations:tags", args=[community.slug])
    assert "New official tag" in manager_client.get(url).content.decode()
    assert "New official tag" not in member_client.get(url).content.decode()
    assert manager_client.post(url, {"name": "Espresso"}).status_code == 302
    assert Tag.objects.get(community=community).is_official
    assert member_client.post(url, {"name": "Sneaky"}).status_code == 403
    response = manager_client.post(url, {"name": "Espresso"})
    assert response.status_code == 422 and Tag.objects.count() == 1


def test_the_brand_adds_products_and_members_cannot(manager_client, member_client, community):
    url = reverse("conversations:products", args=[community.slug])
    data = {"name": "Grinder One", "slug": "grinder-one", "description": ""}
    assert manager_client.post(url, data).status_code == 302
    assert "Grinder One" in member_client.get(url).content.decode()
    assert member_client.post(url, {**data, "slug": "other"}).status_code == 403
    assert manager_client.post(url, data).status_code == 422
    assert manager_client.post(url, {**data, "slug": "Not a slug!"}).status_code == 422
    assert Product.objects.count() == 1


# Collections


def test_a_member_curates_a_collection_others_can_read(member, other, thread, client):
    owner = client_for(member.user)
    response = owner.post(
        reverse("conversations:new_collection", args=[thread.community.slug]),
        {"title": "Grinding guides", "description": "", "is_public": "on"},
    )
    collection = Collection.objects.get()
    assert response.status_code == 302
    assert "Add to a collection" in owner.get(thread_url(thread)).content.decode()
    owner.post(thread_url(thread, "collect"), {"collection": collection.pk, "note": "Start here"})
    assert CollectionItem.objects.filter(collection=collection, thread=thread).exists()
    detail = reverse("conversations:collection", args=[thread.community.slug, collection.pk])
    html = client.get(detail).content.decode()
    assert thread.title in html and "Start here" in html
    assert (
        "Grinding guides"
        in client.get(reverse("conversations:collections", args=[thread.community.slug])).content.decode()
    )
    assert client_for(other.user).post(thread_url(thread, "collect"), {"collection": collection.pk}).status_code == 302
    assert CollectionItem.objects.count() == 1


def test_a_private_collection_is_not_found_for_others(member, other, community):
    collection = actions.create_collection(owner=member.user, community=community, title="Mine", is_public=False)
    url = reverse("conversations:collection", args=[community.slug, collection.pk])
    assert client_for(other.user).get(url).status_code == 404
    assert client_for(member.user).get(url).status_code == 200


def test_creating_a_collection_without_a_title_rerenders_with_422(member_client, community):
    url = reverse("conversations:new_collection", args=[community.slug])
    assert member_client.post(url, {"title": ""}).status_code == 422
    assert not Collection.objects.exists()


# Search


def test_search_finds_posts_and_htmx_gets_the_results_only(client, member, space, community):
    thread = start(member.user, space, title="Grinder advice", body="Burr grinders beat blades")
    start(member.user, space, title="Milk", body="Oat milk froths well")
    search.index_posts(Post.objects.select_related("thread"))
    url = reverse("conversations:search", args=[community.slug])
    html = client.get(url, {"q": "burr"}).content.decode()
    assert "Grinder advice" in html and "Milk" not in html and "<mark>Burr</mark>" in html
    assert thread_url(thread) in html
    response = client.get(url, {"q": "oat", "kind": "discussion"}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Milk" in response.content.decode()
    assert "Nothing matches" in client.get(url, {"q": "zebra"}).content.decode()
    assert client.get(url).status_code == 200


def test_search_counts_matches_only_up_to_a_cap(client, member, space, community, monkeypatch):
    for title, body in [("Кафе", "Кафето е силно"), ("Koffie", "Die koffie is sterk"), ("Café", "O café é forte")]:
        start(member.user, space, title=title, body=body)
    for word in ("кафето", "koffie", "café"):
        start(member.user, space, title=f"Nog {word}", body=f"{word} sterk")
    search.index_posts(Post.objects.select_related("thread"))
    monkeypatch.setattr(views, "SEARCH_CAP", 2)
    url = reverse("conversations:search", args=[community.slug])
    assert "1 post found" in client.get(url, {"q": "forte"}).content.decode()
    assert "2 posts found" in client.get(url, {"q": "кафето"}).content.decode()  # as many as the cap
    capped = client.get(url, {"q": "sterk"}).content.decode()
    assert "More than 2 posts found" in capped and capped.count('class="search-result"') == 2


def test_the_community_nav_links_the_conversation_pages(member_client, community):
    html = member_client.get(reverse("communities:detail", args=[community.slug])).content.decode()
    for name in ("threads", "search", "bookmarks", "collections"):
        assert reverse(f"conversations:{name}", args=[community.slug]) in html
