"""The moderation pages: the queue and its items, the log, appeals, rules and settings, and the member's own record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.communities.actions import ban_member
from belong.communities.models import Role
from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.conversations.models import Post
from belong.conversations.moderation import hide_post
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.core.models import ModerationEntry
from belong.moderation import actions
from belong.moderation.models import (
    Appeal,
    AppealState,
    FlagReason,
    ModerationSettings,
    ReviewItem,
    ReviewState,
    Rule,
    RuleAcceptance,
)

BULGARIAN = "Този пост съдържа обиди към другите членове."
PORTUGUESE = "Esta publicação tem ligações suspeitas para promoções."
AFRIKAANS = "Hierdie plasing is beledigend teenoor ander lede."

pytestmark = pytest.mark.django_db


# Fixtures and helpers


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator.user)
    return client


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def a_post(space, body="A post about the product", **kwargs) -> Post:
    thread = ThreadFactory(space=space, **kwargs)
    post: Post = PostFactory(thread=thread, body=body, body_html=f"<p>{body}</p>")
    return post


def flagged(make_member, space, *, body="A post about the product", text=BULGARIAN) -> ReviewItem:
    """A post flagged by a trusted member, waiting in the queue."""
    post = a_post(space, body)
    flagger = make_member(trust_level=2).user
    flag = actions.flag_post(flagger=flagger, post=post, reason=FlagReason.OTHER, text=text)
    return flag.item


def held(space, body="Click my links") -> ReviewItem:
    post = a_post(space, body)
    return actions.enqueue_review(post=post, sources=["approval"], signals=["approval"])


def text_of(messages_of) -> list[str]:
    return [str(message) for message in get_messages(messages_of.wsgi_request)]


def queue_url(community, **query) -> str:
    url = reverse("moderation:queue", args=[community.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def item_url(item, name="item") -> str:
    return reverse(f"moderation:{name}", args=[item.community.slug, item.pk])


# The queue


def test_the_queue_shows_each_item_with_its_post_flags_and_weight(moderator_client, make_member, community, space):
    item = flagged(make_member, space, body=PORTUGUESE, text=BULGARIAN)
    flagger = item.flags.get().flagger

    response = moderator_client.get(queue_url(community))

    assert response.status_code == 200
    page = response.content.decode()
    assert item.post.thread.title in page
    assert PORTUGUESE in page
    assert BULGARIAN in page
    assert flagger.name in page
    assert "Flagged by members" in page
    assert "Flag weight 1.5" in page
    assert item_url(item) in page


def test_the_queue_shows_the_post_html_as_it_was_sanitised_not_escaped(moderator_client, make_member, community, space):
    item = flagged(make_member, space)
    Post.objects.filter(pk=item.post_id).update(body_html="<p><strong>Loud</strong> words</p>")

    page = moderator_client.get(queue_url(community)).content.decode()

    assert "<strong>Loud</strong> words" in page


def test_the_queue_is_refused_to_members(member_client, community):
    assert member_client.get(queue_url(community)).status_code == 403


def test_the_queue_sends_visitors_to_sign_in(client, community):
    response = client.get(queue_url(community))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_queue_is_open_to_managers(manager_client, make_member, community, space):
    item = flagged(make_member, space)

    response = manager_client.get(queue_url(community))

    assert response.status_code == 200
    assert item.post.thread.title in response.content.decode()


def test_the_queue_filters_by_source_and_names_the_signals(moderator_client, make_member, community, space):
    flagged_item = flagged(make_member, space)
    held_item = held(space)

    page = moderator_client.get(queue_url(community, source="approval")).content.decode()

    assert held_item.post.thread.title in page
    assert "A new member&#x27;s first post" in page
    assert flagged_item.post.thread.title not in page


def test_the_queue_answers_htmx_with_the_list_only(moderator_client, make_member, community, space):
    item = flagged(make_member, space)

    response = moderator_client.get(queue_url(community), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="queue-list"' in page
    assert item.post.thread.title in page
    assert "<html" not in page


def test_the_decided_tab_shows_decisions_and_not_waiting_items(
    moderator_client, moderator, make_member, community, space
):
    waiting = flagged(make_member, space)
    decided = flagged(make_member, space)
    actions.decide_item(moderator=moderator.user, item=decided, decision="hide", reason=AFRIKAANS)

    page = moderator_client.get(queue_url(community, state="decided")).content.decode()

    assert decided.post.thread.title in page
    assert AFRIKAANS in page
    assert waiting.post.thread.title not in page


def test_the_queue_runs_the_same_number_of_queries_however_many_items(
    moderator_client, make_member, community, space, django_assert_max_num_queries
):
    for _ in range(2):
        flagged(make_member, space)
    with CaptureQueriesContext(connection) as few:
        assert moderator_client.get(queue_url(community)).status_code == 200
    for _ in range(8):
        flagged(make_member, space)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(queue_url(community))

    assert response.content.decode().count('class="post"') == 10


def test_the_community_tabs_show_moderators_the_number_waiting(moderator_client, make_member, community, space):
    flagged(make_member, space)
    flagged(make_member, space)

    page = moderator_client.get(reverse("communities:detail", args=[community.slug])).content.decode()

    assert queue_url(community) in page
    assert '<span class="badge">2</span>' in page


def test_the_community_tabs_have_no_moderation_link_for_members(member_client, community):
    page = member_client.get(reverse("communities:detail", args=[community.slug])).content.decode()

    assert queue_url(community) not in page
    assert reverse("moderation:record", args=[community.slug]) in page


# One item: claims and decisions


def test_an_item_page_offers_the_post_markdown_for_editing(moderator_client, make_member, space):
    item = flagged(make_member, space, body="Some **bold** text")

    response = moderator_client.get(item_url(item))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Some **bold** text</textarea>" in page
    assert item_url(item, "claim") in page


def test_an_item_of_another_community_is_not_found(moderator_client, community):
    other = held(SpaceFactory(community=CommunityFactory()))

    url = reverse("moderation:item", args=[community.slug, other.pk])

    assert moderator_client.get(url).status_code == 404


def test_claiming_and_releasing_an_item(moderator_client, moderator, make_member, space):
    item = flagged(make_member, space)

    response = moderator_client.post(item_url(item, "claim"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.claimed_by == moderator.user
    assert "You are reviewing this item." in moderator_client.get(item_url(item)).content.decode()

    moderator_client.post(item_url(item, "release"))

    item.refresh_from_db()
    assert item.claimed_by is None


def test_an_item_claimed_by_another_moderator_cannot_be_claimed(moderator_client, make_member, space):
    item = flagged(make_member, space)
    other = make_member(Role.MODERATOR).user
    actions.claim_item(moderator=other, item=item)

    response = moderator_client.post(item_url(item, "claim"), follow=True)

    assert "Another moderator is reviewing this item." in response.content.decode()
    item.refresh_from_db()
    assert item.claimed_by == other


def test_approving_shows_the_post_and_returns_to_the_queue(moderator_client, space):
    item = held(space)
    Post.objects.filter(pk=item.post_id).update(is_hidden=True)

    response = moderator_client.post(item_url(item, "decide"), {"decision": "approve", "reason": ""})

    assert response.status_code == 302
    assert response["Location"] == queue_url(item.community)
    assert "The post is approved and shown." in text_of(response)
    item.refresh_from_db()
    assert item.state == ReviewState.APPROVED
    assert not Post.objects.get(pk=item.post_id).is_hidden


def test_editing_replaces_the_text_with_the_moderators_correction(moderator_client, make_member, space):
    item = flagged(make_member, space)

    response = moderator_client.post(
        item_url(item, "decide"), {"decision": "edit", "reason": PORTUGUESE, "body": "Texto corrigido, sem ligações"}
    )

    assert response.status_code == 302
    post = Post.objects.get(pk=item.post_id)
    assert post.body == "Texto corrigido, sem ligações"
    item.refresh_from_db()
    assert (item.state, item.reason) == (ReviewState.EDITED, PORTUGUESE)


def test_hiding_without_a_reason_shows_the_error_and_changes_nothing(moderator_client, make_member, space):
    item = flagged(make_member, space)

    response = moderator_client.post(item_url(item, "decide"), {"decision": "hide", "reason": "  "})

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    item.refresh_from_db()
    assert item.state == ReviewState.PENDING
    assert not ModerationEntry.objects.filter(action="review.hidden").exists()


def test_a_decision_must_be_chosen(moderator_client, make_member, space):
    item = flagged(make_member, space)

    response = moderator_client.post(item_url(item, "decide"), {"reason": "why"})

    assert response.status_code == 422
    item.refresh_from_db()
    assert item.is_pending


def test_deciding_an_item_already_resolved_says_so_and_changes_nothing(moderator_client, make_member, space):
    item = flagged(make_member, space)
    first = make_member(Role.MODERATOR).user
    actions.decide_item(moderator=first, item=item, decision="hide", reason=BULGARIAN)

    response = moderator_client.post(item_url(item, "decide"), {"decision": "approve"}, follow=True)

    assert "This item was resolved already" in response.content.decode()
    item.refresh_from_db()
    assert (item.state, item.decided_by, item.reason) == (ReviewState.HIDDEN, first, BULGARIAN)
    assert Post.objects.get(pk=item.post_id).is_hidden


def test_deciding_an_item_another_moderator_claimed_is_refused(moderator_client, make_member, space):
    item = flagged(make_member, space)
    actions.claim_item(moderator=make_member(Role.MODERATOR).user, item=item)

    response = moderator_client.post(item_url(item, "decide"), {"decision": "hide", "reason": "spam"}, follow=True)

    assert "Another moderator is reviewing this item." in response.content.decode()
    item.refresh_from_db()
    assert item.is_pending


def test_a_decided_item_shows_the_decision_who_and_why(moderator_client, moderator, make_member, space):
    item = flagged(make_member, space)
    actions.decide_item(moderator=moderator.user, item=item, decision="hide", reason=AFRIKAANS)

    page = moderator_client.get(item_url(item)).content.decode()

    assert "Hidden" in page
    assert moderator.user.name in page
    assert AFRIKAANS in page
    assert item_url(item, "decide") not in page


def test_members_cannot_decide(member_client, make_member, space):
    item = flagged(make_member, space)

    response = member_client.post(item_url(item, "decide"), {"decision": "approve"})

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.is_pending


def test_decisions_are_rate_limited(moderator_client, make_member, space, settings):
    settings.BELONG_WRITE_RATE = "1/m"
    item = flagged(make_member, space)
    moderator_client.post(item_url(item, "claim"))

    response = moderator_client.post(item_url(item, "decide"), {"decision": "approve"})

    assert response.status_code == 429
    item.refresh_from_db()
    assert item.is_pending


# The moderation log


def log_url(community, query: str = "") -> str:
    return reverse("moderation:log", args=[community.slug]) + (f"?{query}" if query else "")


def test_the_log_shows_who_did_what_to_whom_and_why(moderator_client, moderator, space, community):
    post = a_post(space)
    hide_post(actor=moderator.user, post=post, reason=BULGARIAN)

    page = moderator_client.get(log_url(community)).content.decode()

    assert "Post hidden" in page
    assert BULGARIAN in page
    assert moderator.user.name in page
    assert post.author is not None and post.author.name in page
    assert reverse("moderation:member", args=[community.slug, post.author.handle]) in page
    assert reverse("conversations:thread", args=[community.slug, post.thread_id]) in page


def test_the_log_names_automatic_actions(moderator_client, make_member, community, space, settings):
    ModerationSettings.objects.update_or_create(community=community, defaults={"hide_weight": 1.0})
    flagged(make_member, space)

    page = moderator_client.get(log_url(community)).content.decode()

    assert "Automatic" in page


def test_the_log_filters_by_action_group_moderator_member_and_dates(
    moderator_client, moderator, make_member, space, community
):
    hidden = a_post(space)
    hide_post(actor=moderator.user, post=hidden, reason="hidden one")
    warned = make_member()
    actions.warn_member(actor=moderator.user, membership=warned, reason=AFRIKAANS)

    by_group = moderator_client.get(log_url(community, "action=member")).content.decode()
    by_member = moderator_client.get(log_url(community, f"member={warned.user.handle}")).content.decode()
    by_moderator = moderator_client.get(log_url(community, "moderator=nobody")).content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    by_date = moderator_client.get(log_url(community, f"since={tomorrow}")).content.decode()

    assert AFRIKAANS in by_group and "hidden one" not in by_group
    assert AFRIKAANS in by_member and "hidden one" not in by_member
    assert "No entries match." in by_moderator
    assert "No entries match." in by_date


def test_the_log_ignores_a_bad_date_instead_of_failing(moderator_client, moderator, space, community):
    hide_post(actor=moderator.user, post=a_post(space), reason="kept")

    response = moderator_client.get(log_url(community, "since=yesterday"))

    assert response.status_code == 200
    assert "kept" in response.content.decode()


def test_the_log_shows_an_appeal_state(moderator_client, moderator, space, community):
    post = a_post(space)
    hide_post(actor=moderator.user, post=post, reason="off topic")
    entry = ModerationEntry.objects.get(action="post.hidden")
    actions.appeal(user=post.author, entry=entry, text=PORTUGUESE)

    page = moderator_client.get(log_url(community)).content.decode()

    assert "Open" in page


def test_the_log_downloads_as_csv_with_the_filters(moderator_client, moderator, make_member, space, community):
    hide_post(actor=moderator.user, post=a_post(space), reason="=HYPERLINK(evil)")
    actions.warn_member(actor=moderator.user, membership=make_member(), reason=BULGARIAN)

    response = moderator_client.get(log_url(community, "action=post&format=csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "When"
    assert len(rows) == 2
    assert rows[1][2] == "post.hidden"
    assert rows[1][6] == "'=HYPERLINK(evil)"


def test_the_log_is_refused_to_members_and_sends_visitors_to_sign_in(member_client, client, community):
    assert member_client.get(log_url(community)).status_code == 403
    assert member_client.get(log_url(community, "format=csv")).status_code == 403
    assert client.get(log_url(community)).status_code == 302


def test_the_log_is_open_to_managers(manager_client, community):
    assert manager_client.get(log_url(community)).status_code == 200


def test_the_log_answers_htmx_with_the_list_only(moderator_client, moderator, space, community):
    hide_post(actor=moderator.user, post=a_post(space), reason="why")

    page = moderator_client.get(log_url(community), headers={"HX-Request": "true"}).content.decode()

    assert 'id="log-list"' in page
    assert "<html" not in page


def test_the_log_runs_the_same_number_of_queries_however_many_entries(
    moderator_client, moderator, space, community, django_assert_max_num_queries
):
    def hide_some(n: int) -> None:
        for _ in range(n):
            post = a_post(space)
            hide_post(actor=moderator.user, post=post, reason="again")
            entry = ModerationEntry.objects.filter(action="post.hidden").latest("id")
            actions.appeal(user=post.author, entry=entry, text="x")

    hide_some(2)
    with CaptureQueriesContext(connection) as few:
        moderator_client.get(log_url(community))
    hide_some(8)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(log_url(community))

    assert response.content.decode().count('id="entry-') == 10


# Appeals


def appeals_url(community, query: str = "") -> str:
    return reverse("moderation:appeals", args=[community.slug]) + (f"?{query}" if query else "")


def appealed_hiding(moderator, space, text=PORTUGUESE) -> Appeal:
    post = a_post(space)
    hide_post(actor=moderator.user, post=post, reason=BULGARIAN)
    entry = ModerationEntry.objects.filter(action="post.hidden", target_id=str(post.pk)).get()
    return actions.appeal(user=post.author, entry=entry, text=text)


def test_the_appeals_page_shows_the_entry_and_the_members_text(moderator_client, moderator, space, community):
    appeal = appealed_hiding(moderator, space)

    page = moderator_client.get(appeals_url(community)).content.decode()

    assert PORTUGUESE in page
    assert BULGARIAN in page
    assert "Post hidden" in page
    assert appeal.appellant.name in page
    assert reverse("moderation:decide_appeal", args=[community.slug, appeal.pk]) in page


def test_granting_an_appeal_undoes_the_action(moderator_client, moderator, space, community):
    appeal = appealed_hiding(moderator, space)
    url = reverse("moderation:decide_appeal", args=[community.slug, appeal.pk])

    response = moderator_client.post(url, {"decision": "grant", "reason": AFRIKAANS})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.state, appeal.decision_reason) == (AppealState.GRANTED, AFRIKAANS)
    assert not Post.objects.get(pk=appeal.entry.target_id).is_hidden


def test_answering_an_appeal_needs_a_reason(moderator_client, moderator, space, community):
    appeal = appealed_hiding(moderator, space)
    url = reverse("moderation:decide_appeal", args=[community.slug, appeal.pk])

    response = moderator_client.post(url, {"decision": "deny", "reason": ""})

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OPEN


def test_answering_an_appeal_twice_says_so_and_changes_nothing(moderator_client, moderator, space, community):
    appeal = appealed_hiding(moderator, space)
    actions.decide_appeal(moderator=moderator.user, appeal=appeal, grant=False, reason="stands")
    url = reverse("moderation:decide_appeal", args=[community.slug, appeal.pk])

    response = moderator_client.post(url, {"decision": "grant", "reason": "changed my mind"}, follow=True)

    assert "This appeal was decided already." in response.content.decode()
    appeal.refresh_from_db()
    assert (appeal.state, appeal.decision_reason) == (AppealState.DENIED, "stands")


def test_the_decided_tab_shows_answered_appeals(moderator_client, moderator, space, community):
    open_one = appealed_hiding(moderator, space, text="still open")
    answered = appealed_hiding(moderator, space, text="answered")
    actions.decide_appeal(moderator=moderator.user, appeal=answered, grant=False, reason=AFRIKAANS)

    page = moderator_client.get(appeals_url(community, "state=decided")).content.decode()

    assert AFRIKAANS in page and "answered" in page
    assert open_one.text not in page


def test_the_appeals_page_runs_the_same_number_of_queries_however_many(
    moderator_client, moderator, space, community, django_assert_max_num_queries
):
    for _ in range(2):
        appealed_hiding(moderator, space)
    with CaptureQueriesContext(connection) as few:
        moderator_client.get(appeals_url(community))
    for _ in range(8):
        appealed_hiding(moderator, space)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(appeals_url(community))

    assert response.content.decode().count('class="post" id="appeal-') == 10


def test_appeals_are_refused_to_members(member_client, client, community):
    assert member_client.get(appeals_url(community)).status_code == 403
    assert client.get(appeals_url(community)).status_code == 302


# Rules and settings


def editor_url(community) -> str:
    return reverse("moderation:manage_rules", args=[community.slug])


def test_managers_edit_the_rules_and_settings_on_one_page(manager_client, community):
    Rule.objects.create(community=community, title=BULGARIAN, position=1)

    response = manager_client.get(editor_url(community))

    page = response.content.decode()
    assert response.status_code == 200
    assert BULGARIAN in page
    assert reverse("moderation:update_settings", args=[community.slug]) in page


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MEMBER])
def test_the_rules_editor_is_refused_to_all_but_managers(make_member, community, role):
    client = client_for(make_member(role).user)

    assert client.get(editor_url(community)).status_code == 403
    assert client.post(reverse("moderation:add_rule", args=[community.slug]), {"title": "x"}).status_code == 403
    assert not Rule.objects.exists()


def test_adding_a_rule_in_any_language(manager_client, community):
    response = manager_client.post(
        reverse("moderation:add_rule", args=[community.slug]), {"title": AFRIKAANS, "description": PORTUGUESE}
    )

    assert response.status_code == 302
    rule = Rule.objects.get()
    assert (rule.title, rule.description) == (AFRIKAANS, PORTUGUESE)
    assert AFRIKAANS in manager_client.get(editor_url(community)).content.decode()


def test_a_rule_needs_words(manager_client, community):
    response = manager_client.post(reverse("moderation:add_rule", args=[community.slug]), {"title": "   "})

    assert response.status_code == 422
    assert not Rule.objects.exists()


def test_changing_moving_and_removing_rules(manager_client, manager, community):
    first = actions.add_rule(actor=manager.user, community=community, title="First")
    second = actions.add_rule(actor=manager.user, community=community, title="Second")
    slug = community.slug

    manager_client.post(reverse("moderation:update_rule", args=[slug, first.pk]), {"title": BULGARIAN})
    manager_client.post(reverse("moderation:move_rule", args=[slug, second.pk]), {"direction": "up"})

    assert [rule.title for rule in Rule.objects.order_by("position")] == ["Second", BULGARIAN]

    manager_client.post(reverse("moderation:remove_rule", args=[slug, second.pk]))

    assert list(Rule.objects.values_list("title", flat=True)) == [BULGARIAN]


def test_a_rule_of_another_community_is_not_found(manager_client, community):
    other = Rule.objects.create(community=CommunityFactory(), title="Theirs")

    response = manager_client.post(reverse("moderation:remove_rule", args=[community.slug, other.pk]))

    assert response.status_code == 404
    assert Rule.objects.filter(pk=other.pk).exists()


def test_saving_the_settings_with_blocked_words_one_a_line(manager_client, community):
    data = {
        "require_approval": "on",
        "approval_posts": "3",
        "hide_weight": "4.5",
        "blocked_words": "Спам\nPromoção\n\n  gemors  ",
        "max_links": "2",
    }

    response = manager_client.post(reverse("moderation:update_settings", args=[community.slug]), data)

    assert response.status_code == 302
    found = ModerationSettings.objects.get(community=community)
    assert (found.require_approval, found.approval_posts, found.hide_weight, found.max_links) == (True, 3, 4.5, 2)
    assert found.blocked_words == sorted(["спам", "promoção", "gemors"])
    assert "promoção" in manager_client.get(editor_url(community)).content.decode()


def test_settings_out_of_bounds_are_shown_on_the_form(manager_client, community):
    data = {"approval_posts": "1", "hide_weight": "0", "blocked_words": "", "max_links": "5"}

    response = manager_client.post(reverse("moderation:update_settings", args=[community.slug]), data)

    assert response.status_code == 422
    assert ModerationSettings.objects.filter(community=community, hide_weight=0).count() == 0


def test_visitors_read_the_rules(client, community):
    Rule.objects.create(community=community, title=PORTUGUESE, description=AFRIKAANS)

    page = client.get(reverse("moderation:rules", args=[community.slug])).content.decode()

    assert PORTUGUESE in page and AFRIKAANS in page
    assert reverse("moderation:accept_rules", args=[community.slug]) not in page


def test_a_member_asked_to_accept_changed_rules_can_accept_them(member_client, member, manager, community):
    actions.add_rule(actor=manager.user, community=community, title=BULGARIAN)
    url = reverse("moderation:rules", args=[community.slug])
    assert reverse("moderation:accept_rules", args=[community.slug]) in member_client.get(url).content.decode()

    response = member_client.post(reverse("moderation:accept_rules", args=[community.slug]))

    assert response.status_code == 302
    assert RuleAcceptance.objects.filter(user=member.user, community=community).exists()
    assert reverse("moderation:accept_rules", args=[community.slug]) not in member_client.get(url).content.decode()


# The member's own record


def record_url(community) -> str:
    return reverse("moderation:record", args=[community.slug])


def test_the_record_sends_visitors_to_sign_in(client, community):
    response = client.get(record_url(community))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_reads_their_record_and_appeals_an_action(member, moderator, space, community):
    post = a_post(space)
    Post.objects.filter(pk=post.pk).update(author=member.user)
    post.refresh_from_db()
    hide_post(actor=moderator.user, post=post, reason=AFRIKAANS)
    entry = ModerationEntry.objects.get(action="post.hidden")
    client = client_for(member.user)

    page = client.get(record_url(community)).content.decode()

    assert "Post hidden" in page and AFRIKAANS in page
    assert reverse("moderation:appeal", args=[community.slug, entry.pk]) in page

    response = client.post(reverse("moderation:appeal", args=[community.slug, entry.pk]), {"text": BULGARIAN})

    assert response.status_code == 302
    assert Appeal.objects.get(entry=entry).text == BULGARIAN
    page = client.get(record_url(community)).content.decode()
    assert BULGARIAN in page and "Open" in page
    assert reverse("moderation:appeal", args=[community.slug, entry.pk]) not in page


def test_an_appeal_needs_a_text(member, moderator, community):
    entry = actions.warn_member(actor=moderator.user, membership=member, reason="rude")
    client = client_for(member.user)

    response = client.post(reverse("moderation:appeal", args=[community.slug, entry.pk]), {"text": "  "})

    assert response.status_code == 422
    assert not Appeal.objects.exists()


def test_appealing_twice_says_so(member, moderator, community):
    entry = actions.warn_member(actor=moderator.user, membership=member, reason="rude")
    actions.appeal(user=member.user, entry=entry, text="first")
    client = client_for(member.user)

    response = client.post(
        reverse("moderation:appeal", args=[community.slug, entry.pk]), {"text": "again"}, follow=True
    )

    assert "You have appealed this action already" in response.content.decode()
    assert Appeal.objects.get().text == "first"


def test_the_answer_to_an_appeal_is_on_the_record(member, moderator, community):
    entry = actions.warn_member(actor=moderator.user, membership=member, reason="rude")
    appeal = actions.appeal(user=member.user, entry=entry, text="sorry")
    actions.decide_appeal(moderator=moderator.user, appeal=appeal, grant=False, reason=PORTUGUESE)

    page = client_for(member.user).get(record_url(community)).content.decode()

    assert PORTUGUESE in page
    assert "Denied" in page


def test_another_members_entry_cannot_be_appealed(member_client, make_member, moderator, community):
    other = make_member()
    entry = actions.warn_member(actor=moderator.user, membership=other, reason="rude")

    response = member_client.post(reverse("moderation:appeal", args=[community.slug, entry.pk]), {"text": "mine?"})

    assert response.status_code == 404
    assert not Appeal.objects.exists()
    assert "rude" not in member_client.get(record_url(community)).content.decode()


def test_a_banned_member_reads_their_record_and_appeals(member, manager, community):
    ban_member(actor=manager.user, membership=member, reason=BULGARIAN)
    entry = ModerationEntry.objects.get(action="member.banned")
    member.user.refresh_from_db()  # banning ended the old sessions (the session epoch rose)
    client = client_for(member.user)

    page = client.get(record_url(community)).content.decode()
    response = client.post(reverse("moderation:appeal", args=[community.slug, entry.pk]), {"text": AFRIKAANS})

    assert "Member banned" in page and BULGARIAN in page
    assert response.status_code == 302
    assert Appeal.objects.get(entry=entry).appellant == member.user


def test_the_record_runs_the_same_number_of_queries_however_long(
    member, moderator, community, django_assert_max_num_queries
):
    client = client_for(member.user)
    for _ in range(2):
        actions.warn_member(actor=moderator.user, membership=member, reason="again")
    with CaptureQueriesContext(connection) as few:
        client.get(record_url(community))
    for _ in range(8):
        entry = actions.warn_member(actor=moderator.user, membership=member, reason="again")
        actions.appeal(user=member.user, entry=entry, text="x")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(record_url(community))

    assert response.content.decode().count('id="entry-') == 10
