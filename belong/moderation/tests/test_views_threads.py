"""The thread page's moderation: flag, hide and show posts, move, merge and split threads, the rules box."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.communities.models import Role
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions as conversations
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.moderation import hide_post
from belong.core.models import ModerationEntry
from belong.moderation import actions
from belong.moderation.models import Flag, FlagReason, ReviewItem, ReviewState

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def thread_url(thread: Thread) -> str:
    return reverse("conversations:thread", args=[thread.community.slug, thread.pk])


def post_url(post: Post, name: str) -> str:
    return reverse(f"moderation:{name}", args=[post.community.slug, post.pk])


def tool_url(thread: Thread, name: str) -> str:
    return reverse(f"moderation:{name}", args=[thread.community.slug, thread.pk])


@pytest.fixture
def asker(make_member) -> Any:
    return make_member(Role.MEMBER, trust_level=1).user


@pytest.fixture
def flagger(make_member) -> Any:
    return make_member(Role.MEMBER, trust_level=1).user


@pytest.fixture
def mod(make_member) -> Any:
    return make_member(Role.MODERATOR).user


@pytest.fixture
def topic(asker, space) -> Thread:
    return conversations.create_thread(
        author=asker, space=space, kind=ThreadKind.DISCUSSION, title="Kettle limescale", body="Hard water here."
    )


@pytest.fixture
def reply(topic, make_member) -> Post:
    writer = make_member(Role.MEMBER, trust_level=1).user
    return conversations.create_reply(author=writer, thread=topic, body="Citric acid, every month.")


def log(action: str) -> list[ModerationEntry]:
    return list(ModerationEntry.objects.filter(action=action).order_by("id"))


# Flagging


def test_a_trusted_member_sees_a_flag_link_on_others_posts_but_not_on_their_own(flagger, reply):
    html = client_for(flagger).get(thread_url(reply.thread)).content.decode()
    assert post_url(reply, "flag_post") in html
    own = client_for(reply.author).get(thread_url(reply.thread)).content.decode()
    assert post_url(reply, "flag_post") not in own
    assert post_url(reply, "flag_post") not in Client().get(thread_url(reply.thread)).content.decode()


def test_a_new_member_without_trust_sees_no_flag_link_and_cannot_flag(make_member, reply):
    newcomer = make_member(Role.MEMBER, trust_level=0).user
    client = client_for(newcomer)
    assert post_url(reply, "flag_post") not in client.get(thread_url(reply.thread)).content.decode()
    assert client.get(post_url(reply, "flag_post")).status_code == 403
    assert client.post(post_url(reply, "flag_post"), {"reason": FlagReason.SPAM}).status_code == 403
    assert not Flag.objects.exists()


def test_the_flag_form_offers_the_reasons_and_the_rules_as_a_page_and_as_a_fragment(flagger, reply, manager):
    for title in ("Бъдете любезни", "Sem spam, por favor", "Wees vriendelik"):
        actions.add_rule(actor=manager.user, community=reply.community, title=title)
    client = client_for(flagger)
    page = client.get(post_url(reply, "flag_post"))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "Citric acid" in html
    assert "Бъдете любезни" in html and "Sem spam, por favor" in html and "Wees vriendelik" in html
    assert 'value="rule"' in html and 'value="other"' in html
    fragment = client.get(post_url(reply, "flag_post"), **HTMX).content.decode()
    assert "<html" not in fragment and "Flag the post" in fragment and "Wees vriendelik" in fragment


def test_without_rules_the_flag_form_does_not_offer_breaking_one(flagger, reply):
    html = client_for(flagger).get(post_url(reply, "flag_post")).content.decode()
    assert 'value="rule"' not in html and 'value="spam"' in html


def test_flagging_a_post_thanks_the_member_and_queues_it(flagger, reply):
    response = client_for(flagger).post(post_url(reply, "flag_post"), {"reason": FlagReason.SPAM}, follow=True)
    assert "Thanks, the moderators will look at it" in response.content.decode()
    flag = Flag.objects.get()
    assert (flag.post, flag.flagger, flag.reason) == (reply, flagger, FlagReason.SPAM)
    assert ReviewItem.objects.get(post=reply).state == ReviewState.PENDING


def test_flagging_with_htmx_swaps_the_thanks_in_place(flagger, reply, manager):
    rule = actions.add_rule(actor=manager.user, community=reply.community, title="Sem publicidade")
    data = {"reason": FlagReason.RULE, "rule": rule.pk}
    response = client_for(flagger).post(post_url(reply, "flag_post"), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Thanks, the moderators will look at it" in html
    assert Flag.objects.get().rule_title == "Sem publicidade"


def test_flagging_for_something_else_needs_words_and_they_are_kept_in_any_language(flagger, reply):
    client = client_for(flagger)
    response = client.post(post_url(reply, "flag_post"), {"reason": FlagReason.OTHER, "text": "  "})
    assert response.status_code == 422 and "Say what is wrong with the post" in response.content.decode()
    assert not Flag.objects.exists()
    for text in ("Това е реклама", "Dit is advertensies"):
        Flag.objects.all().delete()
        client.post(post_url(reply, "flag_post"), {"reason": FlagReason.OTHER, "text": text})
        assert Flag.objects.get().text == text


def test_flagging_a_post_twice_shows_the_clear_error_and_writes_nothing_more(flagger, reply):
    client = client_for(flagger)
    client.post(post_url(reply, "flag_post"), {"reason": FlagReason.SPAM})
    again = client.post(post_url(reply, "flag_post"), {"reason": FlagReason.ABUSIVE})
    assert again.status_code == 409
    assert "You have flagged this post already" in again.content.decode()
    assert Flag.objects.count() == 1
    alert = client.post(post_url(reply, "flag_post"), {"reason": FlagReason.ABUSIVE}, **HTMX)
    assert alert.status_code == 409 and alert["HX-Retarget"] == "#messages"


def test_flagging_ones_own_post_is_refused_with_the_clear_error(reply):
    client = client_for(reply.author)
    page = client.get(post_url(reply, "flag_post"))
    assert page.status_code == 403 and "You cannot flag your own post" in page.content.decode()
    sent = client.post(post_url(reply, "flag_post"), {"reason": FlagReason.SPAM})
    assert sent.status_code == 422 and "You cannot flag your own post" in sent.content.decode()
    assert not Flag.objects.exists()


def test_flagging_asks_visitors_to_sign_in(client, reply):
    response = client.get(post_url(reply, "flag_post"))
    assert response.status_code == 302 and reverse("account_login") in response.url


# Hiding and showing posts


def test_a_moderator_hides_a_post_with_a_reason_and_shows_it_again(mod, reply):
    client = client_for(mod)
    html = client.get(thread_url(reply.thread)).content.decode()
    assert post_url(reply, "hide_post") in html
    assert client.get(post_url(reply, "hide_post")).status_code == 200
    assert "<html" not in client.get(post_url(reply, "hide_post"), **HTMX).content.decode()
    reason = "Реклама на друг магазин"
    response = client.post(post_url(reply, "hide_post"), {"reason": reason})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{reply.pk}")
    assert Post.objects.get(pk=reply.pk).is_hidden
    assert log("post.hidden")[0].reason == reason
    html = client.get(thread_url(reply.thread)).content.decode()
    assert "Hidden by moderators" in html and post_url(reply, "show_post") in html
    shown = client.post(post_url(reply, "show_post"), {"reason": ""}, **HTMX)
    assert shown.status_code == 200 and shown["HX-Redirect"].endswith(f"#post-{reply.pk}")
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_hiding_a_post_needs_a_reason(mod, reply):
    response = client_for(mod).post(post_url(reply, "hide_post"), {"reason": " "})
    assert response.status_code == 422 and "Give a reason" in response.content.decode()
    assert not Post.objects.get(pk=reply.pk).is_hidden and not log("post.hidden")


def test_members_and_visitors_cannot_hide_posts_and_see_no_moderator_tools(flagger, reply, client):
    member = client_for(flagger)
    assert member.get(post_url(reply, "hide_post")).status_code == 403
    assert member.post(post_url(reply, "hide_post"), {"reason": "No"}).status_code == 403
    assert client.post(post_url(reply, "hide_post"), {"reason": "No"}).status_code == 302
    html = member.get(thread_url(reply.thread)).content.decode()
    assert post_url(reply, "hide_post") not in html and tool_url(reply.thread, "move_thread") not in html
    assert not Post.objects.get(pk=reply.pk).is_hidden


def test_the_author_sees_their_held_post_waiting_for_a_moderator_and_others_do_not_see_it(
    reply, flagger, mod, community
):
    actions.enqueue_review(post=reply, sources=["spam"], signals=["links"])
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    assert reply.pk in [p.pk for p in conversation_queries.posts_of(reply.author, reply.thread)]
    assert reply.pk not in [p.pk for p in conversation_queries.posts_of(flagger, reply.thread)]
    assert conversation_queries.get_post(reply.author, community, reply.pk) == reply
    own = client_for(reply.author).get(thread_url(reply.thread)).content.decode()
    assert "Citric acid" in own and "Waiting for a moderator" in own
    assert "Citric acid" not in client_for(flagger).get(thread_url(reply.thread)).content.decode()
    seen = client_for(mod).get(thread_url(reply.thread)).content.decode()
    assert "Hidden by moderators" in seen and "In the review queue" in seen


def test_a_post_hidden_by_a_moderator_shows_to_its_author_as_hidden(reply, mod):
    hide_post(actor=mod, post=reply, reason="Off-topic")
    html = client_for(reply.author).get(thread_url(reply.thread)).content.decode()
    assert "Citric acid" in html and "Hidden by moderators" in html and "Waiting for a moderator" not in html


# Lock, hide, pin with a reason; move, merge, split


def test_locking_a_thread_keeps_the_moderators_reason(mod, topic):
    url = reverse("conversations:moderate", args=[topic.community.slug, topic.pk])
    assert 'name="reason"' in client_for(mod).get(thread_url(topic)).content.decode()
    client_for(mod).post(url, {"locked": "1", "reason": "Прекалено много спорове"})
    assert Thread.objects.get(pk=topic.pk).is_locked
    assert log("thread.locked")[0].reason == "Прекалено много спорове"


def test_a_moderator_moves_a_thread_to_another_space(mod, topic, community):
    elsewhere = SpaceFactory(community=community, name="Máquinas")
    client = client_for(mod)
    html = client.get(thread_url(topic)).content.decode()
    assert tool_url(topic, "move_thread") in html and tool_url(topic, "split_thread") in html
    page = client.get(tool_url(topic, "move_thread")).content.decode()
    assert "Máquinas" in page and f'value="{topic.space_id}"' not in page
    assert "<html" not in client.get(tool_url(topic, "move_thread"), **HTMX).content.decode()
    missing = client.post(tool_url(topic, "move_thread"), {"space": elsewhere.pk, "reason": ""})
    assert missing.status_code == 422 and Thread.objects.get(pk=topic.pk).space_id != elsewhere.pk
    response = client.post(tool_url(topic, "move_thread"), {"space": elsewhere.pk, "reason": "Hoort by masjiene"})
    assert response.status_code == 302
    assert Thread.objects.get(pk=topic.pk).space_id == elsewhere.pk
    assert log("thread.moved")[0].reason == "Hoort by masjiene"


def test_a_member_cannot_open_the_move_merge_or_split_pages(flagger, topic):
    client = client_for(flagger)
    for name in ("move_thread", "merge_thread", "split_thread"):
        assert client.get(tool_url(topic, name)).status_code == 403
        assert client.post(tool_url(topic, name), {"reason": "x"}).status_code == 403


def test_a_moderator_merges_a_thread_into_another_by_its_address_or_number(mod, topic, asker, space):
    target = conversations.create_thread(author=asker, space=space, kind=ThreadKind.DISCUSSION,
                                         title="Descaling, the big thread", body="Everything here.")  # fmt: skip
    client = client_for(mod)
    assert client.get(tool_url(topic, "merge_thread")).status_code == 200
    unknown = client.post(tool_url(topic, "merge_thread"), {"target": "999999", "reason": "Dup"})
    assert unknown.status_code == 422 and "no such thread" in unknown.content.decode()
    words = client.post(tool_url(topic, "merge_thread"), {"target": "the other one", "reason": "Dup"})
    assert words.status_code == 422
    address = f"https://example.com{thread_url(target)}#post-3"
    response = client.post(tool_url(topic, "merge_thread"), {"target": address, "reason": "Същата тема"})
    assert response.status_code == 302 and response["Location"] == thread_url(target)
    assert Post.objects.filter(thread=target).count() == 2
    assert log("thread.merged")[0].reason == "Същата тема"


def test_merging_a_thread_into_itself_is_a_form_error(mod, topic):
    response = client_for(mod).post(tool_url(topic, "merge_thread"), {"target": str(topic.pk), "reason": "x"})
    assert response.status_code == 422 and not log("thread.merged")


def test_a_moderator_splits_chosen_replies_into_a_new_thread(mod, topic, reply, make_member):
    other = conversations.create_reply(author=make_member().user, thread=topic, body="Stays here.")
    client = client_for(mod)
    page = client.get(tool_url(topic, "split_thread")).content.decode()
    assert f'value="{reply.pk}"' in page and f'value="{other.pk}"' in page and "Hard water here" not in page
    nothing = client.post(tool_url(topic, "split_thread"), {"title": "Citric acid", "reason": "Own topic"})
    assert nothing.status_code == 422 and "Pick one or more replies" in nothing.content.decode()
    data = {"posts": [reply.pk], "title": "Ácido cítrico", "reason": "Own topic"}
    response = client.post(tool_url(topic, "split_thread"), data)
    assert response.status_code == 302
    made = Thread.objects.get(title="Ácido cítrico")
    assert list(Post.objects.filter(thread=made).values_list("pk", flat=True)) == [reply.pk]
    assert Post.objects.filter(thread=topic).count() == 2


def test_splitting_with_a_missing_reason_keeps_the_ticked_replies(mod, topic, reply):
    data = {"posts": [reply.pk], "title": "New", "reason": ""}
    response = client_for(mod).post(tool_url(topic, "split_thread"), data)
    assert (
        response.status_code == 422 and f'value="{reply.pk}" id="split-{reply.pk}" checked' in response.content.decode()
    )
    assert Post.objects.get(pk=reply.pk).thread_id == topic.pk


# The rules beside the posting forms and the join button


def test_the_reply_and_new_thread_forms_show_the_rules_and_ask_to_accept_changed_ones(flagger, topic, manager):
    client = client_for(flagger)
    assert "Community rules" not in client.get(thread_url(topic)).content.decode()
    for title in ("Бъдете любезни", "Sê dankie", "Sem spam"):
        actions.add_rule(actor=manager.user, community=topic.community, title=title)
    html = client.get(thread_url(topic)).content.decode()
    accept_url = reverse("moderation:accept_rules", args=[topic.community.slug])
    assert "Community rules" in html and "Бъдете любезни" in html and "Sê dankie" in html
    assert accept_url in html and "Accept the rules" in html
    new = reverse("conversations:new_thread", args=[topic.community.slug, topic.space.slug])
    assert "Sem spam" in client.get(new).content.decode()
    response = client.post(accept_url, {"next": thread_url(topic)})
    assert response.status_code == 302 and response["Location"] == thread_url(topic)
    html = client.get(thread_url(topic)).content.decode()
    assert "Бъдете любезни" in html and "Accept the rules" not in html


def test_the_join_button_shows_the_rules_and_says_joining_accepts_them(user, community, manager):
    actions.add_rule(actor=manager.user, community=community, title="Wees vriendelik")
    html = client_for(user).get(reverse("communities:detail", args=[community.slug])).content.decode()
    assert "Wees vriendelik" in html and "By joining you accept these rules" in html
    assert "Accept the rules" not in html


# Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_the_thread_page_costs_as_many_queries_with_30_posts_as_with_3(
    role, make_member, topic, manager, django_assert_max_num_queries
):
    actions.add_rule(actor=manager.user, community=topic.community, title="Be kind")
    viewer = make_member(role, trust_level=1).user
    writer = make_member(Role.MEMBER, trust_level=1).user
    client = client_for(viewer)
    url = thread_url(topic)
    client.get(url)  # the first view writes the read marker
    counts = []
    for total in (3, 30):
        while Post.objects.filter(thread=topic).count() < total:
            made = conversations.create_reply(author=writer, thread=topic, body="Reply")
            if Post.objects.filter(thread=topic).count() % 4 == 2:  # some hidden and queued, as checks leave them
                actions.enqueue_review(post=made, sources=["spam"])
                Post.objects.filter(pk=made.pk).update(is_hidden=True)
        counts.append(_count(client, url))
    assert counts[0] == counts[1]
    html = client.get(url).content.decode()
    assert html.count("/flag/") >= 20
    with django_assert_max_num_queries(counts[0]):
        client.get(url)
