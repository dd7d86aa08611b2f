"""The moderation API: rules, settings, flags, the review queue, the log, sanctions, notes, appeals, thread surgery."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Community, Membership, Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions as conversation_actions
from belong.conversations.models import Post, Thread, ThreadKind
from belong.core.models import ModerationEntry
from belong.moderation import actions
from belong.moderation.actions import settings_for
from belong.moderation.models import (
    Appeal,
    AppealState,
    Flag,
    MemberNote,
    ReviewItem,
    ReviewState,
    Rule,
    RuleAcceptance,
)

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": "Be kind to other coffee lovers.",
    "bg": "Бъдете учтиви с другите любители на кафе.",
    "pt": "Seja gentil com os outros amantes de café, não é?",
    "af": "Wees vriendelik met ander koffieliefhebbers, asseblief.",
}


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


def future(days=3):
    return (timezone.now() + timedelta(days=days)).isoformat()


# A community with one of everything the API addresses


def build(community: Community, manager_user=None) -> SimpleNamespace:
    """A rule, a thread with a reply, a flagged post in the queue, a warning with its appeal, in `community`."""
    space = SpaceFactory(community=community)
    second_space = SpaceFactory(community=community)
    manager = MembershipFactory(
        community=community, role=Role.MANAGER, **({"user": manager_user} if manager_user else {})
    )
    moderator = MembershipFactory(community=community, role=Role.MODERATOR)
    author = MembershipFactory(community=community, trust_level=1)
    flagger = MembershipFactory(community=community, trust_level=1)
    rule = actions.add_rule(actor=manager.user, community=community, title="No spam")
    thread = conversation_actions.create_thread(
        author=author.user, space=space, kind=ThreadKind.DISCUSSION, title="Grinders", body="Which grinder?"
    )
    reply = conversation_actions.create_reply(author=flagger.user, thread=thread, body="Any burr grinder will do.")
    other_thread = conversation_actions.create_thread(
        author=flagger.user, space=space, kind=ThreadKind.DISCUSSION, title="Beans", body="Which beans?"
    )
    opening = thread.posts.get(is_opening=True)
    flag = actions.flag_post(flagger=flagger.user, post=opening, reason="spam")
    warning = actions.warn_member(actor=moderator.user, membership=author, reason="Mind your tone.")
    appeal = actions.appeal(user=author.user, entry=warning, text="I was polite.")
    return SimpleNamespace(
        community=community,
        space=space,
        second_space=second_space,
        manager=manager,
        moderator=moderator,
        author=author,
        flagger=flagger,
        rule=rule,
        thread=thread,
        reply=reply,
        opening=opening,
        other_thread=other_thread,
        item=flag.item,
        entry=warning,
        appeal=appeal,
    )


@pytest.fixture
def world(community):
    return build(community)


@pytest.fixture
def elsewhere(world):
    """Another community, run by the same manager."""
    return build(CommunityFactory(), manager_user=world.manager.user)


@pytest.fixture
def moderator_client(world):
    return session_client(world.moderator.user)


@pytest.fixture
def manager_client(world):
    return session_client(world.manager.user)


@pytest.fixture
def author_client(world):
    return session_client(world.author.user)


@pytest.fixture
def flagger_client(world):
    return session_client(world.flagger.user)


# Every operation, with the ids of `world` filled in: (method, path, payload)


def ids(w):
    return {
        "rule": w.rule.pk,
        "post": w.opening.pk,
        "reply": w.reply.pk,
        "item": w.item.pk,
        "entry": w.entry.pk,
        "member": w.author.pk,
        "appeal": w.appeal.pk,
        "thread": w.thread.pk,
        "other_thread": w.other_thread.pk,
        "space": w.second_space.slug,
    }


Op = tuple[str, str, dict[str, Any] | None]

MANAGED_WRITES: list[Op] = [
    ("post", "/rules", {"title": "Stay on topic"}),
    ("patch", "/rules/{rule}", {"title": "No spam, ever"}),
    ("delete", "/rules/{rule}", None),
    ("post", "/rules/{rule}/move", {"direction": "down"}),
    ("patch", "/moderation/settings", {"max_links": 3}),
    ("post", "/posts/{post}/flags", {"reason": "off_topic"}),
    ("post", "/review-items/{item}/claim", None),
    ("post", "/review-items/{item}/release", None),
    ("post", "/review-items/{item}/decision", {"decision": "hide", "reason": "Spam."}),
    ("post", "/members/{member}/warn", {"reason": "Calm down."}),
    ("post", "/members/{member}/silence", {"until": "FUTURE", "reason": "Cool off."}),
    ("post", "/members/{member}/unsilence", {"reason": ""}),
    ("post", "/members/{member}/notes", {"body": "Watch this one."}),
    ("post", "/appeals/{appeal}/decision", {"grant": False, "reason": "It stands."}),
    ("post", "/posts/{post}/hide", {"reason": "Rude."}),
    ("post", "/posts/{post}/unhide", {"reason": ""}),
    ("post", "/threads/{thread}/move", {"space": "{space}", "reason": "Better there."}),
    ("post", "/threads/{thread}/merge", {"target": "{other_thread}", "reason": "Duplicate."}),
    ("post", "/threads/{thread}/split", {"posts": ["{reply}"], "title": "Burrs", "reason": "Own topic."}),
]
MEMBER_WRITES: list[Op] = [
    ("post", "/rules/accept", None),
    ("post", "/moderation/record/{entry}/appeal", {"text": "Please."}),
]
MODERATOR_READS = [
    "/moderation/settings",
    "/review-items",
    "/review-items/{item}",
    "/moderation/log",
    "/moderation/log/{entry}",
    "/members/{member}/notes",
    "/appeals",
]


def fill(value, w):
    """The payload or path with `world`'s ids in place of its {placeholders}."""
    if isinstance(value, str):
        if value == "FUTURE":
            return future()
        if value.startswith("{") and value.endswith("}") and "/" not in value:
            return ids(w)[value[1:-1]]
        return value.format(**ids(w))
    if isinstance(value, list):
        return [fill(each, w) for each in value]
    if isinstance(value, dict):
        return {key: fill(each, w) for key, each in value.items()}
    return value


def call(client, w, method, path, payload, community=None):
    return send(client, method, url(community or w.community, fill(path, w)), fill(payload, w))


# Who may: every operation, for visitors, members and read-only tokens


@pytest.mark.parametrize(("method", "path", "payload"), MANAGED_WRITES + MEMBER_WRITES)
def test_every_write_needs_a_signed_in_caller(world, method, path, payload):
    assert_problem(call(Client(), world, method, path, payload), 401)


@pytest.mark.parametrize(("method", "path", "payload"), MANAGED_WRITES + MEMBER_WRITES)
def test_every_write_is_refused_to_a_token_without_the_write_scope(world, method, path, payload):
    client = token_client(world.manager.user, scopes=("read",))
    assert_problem(call(client, world, method, path, payload), 403)


@pytest.mark.parametrize(("method", "path", "payload"), MANAGED_WRITES)
def test_every_moderator_write_is_refused_to_a_member(world, member_client, method, path, payload):
    entries, rules = ModerationEntry.objects.count(), list(Rule.objects.values_list("title", "position"))
    assert_problem(call(member_client, world, method, path, payload), 403)
    assert ModerationEntry.objects.count() == entries
    assert list(Rule.objects.values_list("title", "position")) == rules


@pytest.mark.parametrize("path", MODERATOR_READS)
def test_every_moderator_read_is_refused_to_members_and_visitors(world, member_client, path):
    assert_problem(member_client.get(url(world.community, fill(path, world))), 403)
    assert_problem(Client().get(url(world.community, fill(path, world))), 401)


@pytest.mark.parametrize("path", MODERATOR_READS)
def test_a_read_only_token_reads(world, path):
    client = token_client(world.manager.user, scopes=("read",))
    response = client.get(url(world.community, fill(path, world)))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [op for op in MANAGED_WRITES + MEMBER_WRITES if "{" in op[1]]
    + [("get", path, None) for path in MODERATOR_READS if "{" in path],
)
def test_another_communitys_objects_are_not_found(world, elsewhere, method, path, payload):
    # The manager runs both communities: the objects exist and they may act on them, but not at this address.
    client = session_client(world.manager.user)
    if path.startswith("/moderation/record"):
        client = session_client(elsewhere.author.user)
        MembershipFactory(community=world.community, user=elsewhere.author.user)
    assert_problem(call(client, elsewhere, method, path, payload, community=world.community), 404)


@pytest.mark.parametrize(("method", "path", "payload"), [op for op in MANAGED_WRITES + MEMBER_WRITES if op[2]])
def test_a_malformed_json_body_is_a_400_problem_not_a_server_error(world, manager_client, method, path, payload):
    address = url(world.community, fill(path, world))
    response = getattr(manager_client, method)(address, data="{not json", content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize(("method", "path", "payload"), [op for op in MANAGED_WRITES + MEMBER_WRITES if op[2]])
def test_a_body_of_the_wrong_type_is_a_422_problem(world, manager_client, method, path, payload):
    assert_problem(call(manager_client, world, method, path, ["not", "an", "object"]), 422)
    wrong = {key: {"nested": True} for key in payload}
    body = assert_problem(call(manager_client, world, method, path, wrong), 422)
    assert body["errors"]


@pytest.mark.parametrize(("method", "path", "payload"), [op for op in MANAGED_WRITES + MEMBER_WRITES if op[2]])
def test_an_unknown_field_is_a_422_problem(world, manager_client, method, path, payload):
    body = assert_problem(call(manager_client, world, method, path, {**payload, "surprise": 1}), 422)
    assert "surprise" in body["errors"]


# Rules


def test_anyone_reads_the_rules_in_order(world):
    second = actions.add_rule(actor=world.manager.user, community=world.community, title=TEXTS["bg"])
    response = Client().get(url(world.community, "/rules"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["id"], r["title"], r["position"]) for r in body["results"]] == [
        (world.rule.pk, "No spam", 1),
        (second.pk, TEXTS["bg"], 2),
    ]
    assert body["next_cursor"] is None


@pytest.mark.parametrize("language", TEXTS)
def test_a_manager_adds_a_rule_in_any_language(world, manager_client, language):
    revision = settings_for(world.community).rules_revision
    response = send(
        manager_client, "post", url(world.community, "/rules"), {"title": TEXTS[language], "description": "…"}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["title"], response.json()["position"]) == (TEXTS[language], 2)
    assert Rule.objects.get(pk=response.json()["id"]).title == TEXTS[language]
    assert settings_for(world.community).rules_revision == revision + 1


def test_a_rule_without_words_is_refused(world, manager_client):
    body = assert_problem(send(manager_client, "post", url(world.community, "/rules"), {"title": "   "}), 422)
    assert "title" in body["errors"]
    assert Rule.objects.filter(community=world.community).count() == 1


def test_a_rule_changes_only_in_the_fields_sent(world, manager_client):
    Rule.objects.filter(pk=world.rule.pk).update(description="No adverts.")
    response = send(manager_client, "patch", url(world.community, f"/rules/{world.rule.pk}"), {"title": TEXTS["af"]})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["description"]) == (TEXTS["af"], "No adverts.")


def test_a_rule_title_cannot_be_null(world, manager_client):
    body = assert_problem(
        send(manager_client, "patch", url(world.community, f"/rules/{world.rule.pk}"), {"title": None}), 422
    )
    assert "title" in body["errors"]


def test_a_manager_removes_a_rule(world, manager_client):
    response = manager_client.delete(url(world.community, f"/rules/{world.rule.pk}"))
    assert response.status_code == 204, response.content
    assert not Rule.objects.filter(pk=world.rule.pk).exists()
    assert ModerationEntry.objects.filter(action="rule.removed").count() == 1


def test_a_manager_moves_a_rule_down_and_gets_the_new_order(world, manager_client):
    second = actions.add_rule(actor=world.manager.user, community=world.community, title=TEXTS["pt"])
    response = send(manager_client, "post", url(world.community, f"/rules/{world.rule.pk}/move"), {"direction": "down"})
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()] == [second.pk, world.rule.pk]
    assert [r["position"] for r in response.json()] == [1, 2]


def test_a_rule_moves_only_up_or_down(world, manager_client):
    address = url(world.community, f"/rules/{world.rule.pk}/move")
    body = assert_problem(send(manager_client, "post", address, {"direction": "sideways"}), 422)
    assert "direction" in body["errors"]


def test_a_member_accepts_the_rules_as_they_stand(world, member_client, member):
    response = member_client.post(url(world.community, "/rules/accept"))
    assert response.status_code == 200, response.content
    revision = settings_for(world.community).rules_revision
    assert response.json()["revision"] == revision
    assert member_client.post(url(world.community, "/rules/accept")).status_code == 200
    assert RuleAcceptance.objects.filter(user=member.user, community=world.community).count() == 1


def test_the_rule_list_costs_the_same_queries_for_12_as_for_2(world, django_assert_max_num_queries):
    client = Client()
    address = url(world.community, "/rules")
    actions.add_rule(actor=world.manager.user, community=world.community, title="Two")
    few = queries_for(client, address)
    for n in range(10):
        actions.add_rule(actor=world.manager.user, community=world.community, title=f"Rule {n}")
    with django_assert_max_num_queries(few):
        assert len(client.get(address).json()["results"]) == 12


# Settings


def test_a_manager_reads_the_moderation_settings(world, manager_client):
    response = manager_client.get(url(world.community, "/moderation/settings"))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "require_approval": False,
        "approval_posts": 1,
        "hide_weight": 3.0,
        "blocked_words": [],
        "max_links": 5,
        "rules_revision": settings_for(world.community).rules_revision,
    }


def test_a_moderator_cannot_read_the_moderation_settings(world, moderator_client):
    assert_problem(moderator_client.get(url(world.community, "/moderation/settings")), 403)


def test_a_manager_changes_some_settings_and_the_change_is_logged(world, manager_client):
    words = ["Лошо", "porcaria", "kak", "porcaria"]
    payload = {"require_approval": True, "blocked_words": words}
    response = send(manager_client, "patch", url(world.community, "/moderation/settings"), payload)
    assert response.status_code == 200, response.content
    assert response.json()["require_approval"] is True
    assert response.json()["blocked_words"] == ["kak", "porcaria", "лошо"]
    assert response.json()["max_links"] == 5
    assert ModerationEntry.objects.filter(community=world.community, action="settings.changed").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"hide_weight": 0},
        {"approval_posts": 21},
        {"max_links": -1},
        {"require_approval": None},
        {"blocked_words": "not a list"},
        {"blocked_words": ["x" * 61]},
        {"approval_posts": "many"},
    ],
)
def test_bad_settings_are_refused_field_by_field(world, manager_client, payload):
    body = assert_problem(send(manager_client, "patch", url(world.community, "/moderation/settings"), payload), 422)
    assert set(body["errors"]) == set(payload)
    assert settings_for(world.community).max_links == 5
    assert not ModerationEntry.objects.filter(action="settings.changed").exists()


# Flags


@pytest.mark.parametrize("language", TEXTS)
def test_a_trusted_member_flags_a_post(world, make_member, language):
    flagger = make_member(trust_level=2)
    address = url(world.community, f"/posts/{world.reply.pk}/flags")
    response = send(session_client(flagger.user), "post", address, {"reason": "other", "text": TEXTS[language]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["post_id"], body["reason"], body["text"]) == (world.reply.pk, "other", TEXTS[language])
    flag = Flag.objects.get(pk=body["id"])
    assert (flag.flagger, flag.weight) == (flagger.user, 1.5)
    assert ReviewItem.objects.filter(post=world.reply, state=ReviewState.PENDING).exists()


def test_a_flag_may_name_a_rule_of_the_community(world, make_member):
    flagger = make_member(trust_level=1)
    address = url(world.community, f"/posts/{world.reply.pk}/flags")
    response = send(session_client(flagger.user), "post", address, {"reason": "rule", "rule": world.rule.pk})
    assert response.status_code == 201, response.content
    assert (response.json()["rule_id"], response.json()["rule_title"]) == (world.rule.pk, "No spam")


def test_flagging_a_post_twice_is_a_conflict(world, flagger_client):
    address = url(world.community, f"/posts/{world.opening.pk}/flags")
    assert_problem(send(flagger_client, "post", address, {"reason": "abusive"}), 409)
    assert Flag.objects.filter(post=world.opening).count() == 1


def test_flagging_ones_own_post_is_refused(world, author_client):
    address = url(world.community, f"/posts/{world.opening.pk}/flags")
    assert_problem(send(author_client, "post", address, {"reason": "spam"}), 422)
    assert Flag.objects.filter(post=world.opening).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "boring"}, "reason"),
        ({"reason": "rule"}, "rule"),
        ({"reason": "rule", "rule": 999999}, "rule"),
        ({"reason": "other"}, "text"),
        ({"reason": "other", "text": "x" * 1001}, "text"),
        ({}, "reason"),
    ],
)
def test_a_flag_without_a_good_reason_is_refused(world, make_member, payload, field):
    flagger = make_member(trust_level=1)
    address = url(world.community, f"/posts/{world.reply.pk}/flags")
    body = assert_problem(send(session_client(flagger.user), "post", address, payload), 422)
    assert field in body["errors"]
    assert not Flag.objects.filter(post=world.reply).exists()


def test_a_flag_cannot_name_another_communitys_rule(world, elsewhere, make_member):
    flagger = make_member(trust_level=1)
    address = url(world.community, f"/posts/{world.reply.pk}/flags")
    payload = {"reason": "rule", "rule": elsewhere.rule.pk}
    body = assert_problem(send(session_client(flagger.user), "post", address, payload), 422)
    assert "rule" in body["errors"]


# The review queue


def test_moderators_list_the_queue_with_the_flags(world, moderator_client):
    response = moderator_client.get(url(world.community, "/review-items"))
    assert response.status_code == 200, response.content
    [item] = response.json()["results"]
    assert (item["id"], item["state"], item["sources"], item["flag_weight"]) == (
        world.item.pk,
        "pending",
        ["flags"],
        1.0,
    )
    assert item["post"]["id"] == world.opening.pk
    assert item["post"]["thread_title"] == "Grinders"
    assert [(f["reason"], f["flagger"]["id"]) for f in item["flags"]] == [("spam", world.flagger.user.pk)]


def test_the_queue_filters_by_state_and_source(world, moderator_client):
    actions.decide_item(moderator=world.moderator.user, item=world.item, decision="approve")
    address = url(world.community, "/review-items")
    assert moderator_client.get(address).json()["results"] == []
    decided = moderator_client.get(address, {"state": "approved", "source": "flags"}).json()["results"]
    assert [item["id"] for item in decided] == [world.item.pk]
    assert moderator_client.get(address, {"state": "approved", "source": "spam"}).json()["results"] == []


@pytest.mark.parametrize("query", [{"state": "lost"}, {"source": "gossip"}, {"cursor": "nonsense"}])
def test_bad_queue_filters_are_refused(world, moderator_client, query):
    body = assert_problem(moderator_client.get(url(world.community, "/review-items"), query), 422)
    assert set(query) <= set(body["errors"])


def test_the_queue_is_paged_oldest_first(world, moderator_client, make_member):
    flagger = make_member(trust_level=1)
    actions.flag_post(flagger=flagger.user, post=world.reply, reason="spam")
    first = moderator_client.get(url(world.community, "/review-items"), {"page_size": 1}).json()
    assert [item["post"]["id"] for item in first["results"]] == [world.opening.pk]
    second = moderator_client.get(
        url(world.community, "/review-items"), {"page_size": 1, "cursor": first["next_cursor"]}
    ).json()
    assert [item["post"]["id"] for item in second["results"]] == [world.reply.pk]
    assert second["next_cursor"] is None


def test_the_queue_costs_the_same_queries_for_12_items_as_for_2(
    world, moderator_client, make_member, django_assert_max_num_queries
):
    address = url(world.community, "/review-items")
    flaggers = [make_member(trust_level=1).user for _ in range(2)]

    def queue_a_post(n):
        post = conversation_actions.create_reply(author=world.author.user, thread=world.thread, body=f"Reply {n}")
        for flagger in flaggers:
            actions.flag_post(flagger=flagger, post=post, reason="spam")

    queue_a_post(0)
    few = queries_for(moderator_client, address)
    for n in range(1, 11):
        queue_a_post(n)
    with django_assert_max_num_queries(few):
        assert len(moderator_client.get(address).json()["results"]) == 12


def test_a_moderator_reads_one_item(world, moderator_client):
    response = moderator_client.get(url(world.community, f"/review-items/{world.item.pk}"))
    assert response.status_code == 200, response.content
    assert response.json()["flags"][0]["weight"] == 1.0


def test_an_unknown_item_is_not_found(world, moderator_client):
    assert_problem(moderator_client.get(url(world.community, "/review-items/999999")), 404)


def test_a_moderator_claims_and_releases_an_item(world, moderator_client):
    claimed = moderator_client.post(url(world.community, f"/review-items/{world.item.pk}/claim"))
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["claimed_by"]["id"] == world.moderator.user.pk
    released = moderator_client.post(url(world.community, f"/review-items/{world.item.pk}/release"))
    assert released.status_code == 200, released.content
    assert released.json()["claimed_by"] is None


def test_an_item_claimed_by_another_moderator_is_a_conflict(world, manager_client, moderator_client):
    actions.claim_item(moderator=world.manager.user, item=world.item)
    assert_problem(moderator_client.post(url(world.community, f"/review-items/{world.item.pk}/claim")), 409)
    assert_problem(moderator_client.post(url(world.community, f"/review-items/{world.item.pk}/release")), 409)
    address = url(world.community, f"/review-items/{world.item.pk}/decision")
    assert_problem(send(moderator_client, "post", address, {"decision": "approve"}), 409)
    assert ReviewItem.objects.get(pk=world.item.pk).state == ReviewState.PENDING


@pytest.mark.parametrize("language", TEXTS)
def test_a_moderator_rejects_a_post_with_a_reason(world, moderator_client, language):
    address = url(world.community, f"/review-items/{world.item.pk}/decision")
    response = send(moderator_client, "post", address, {"decision": "reject", "reason": TEXTS[language]})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["reason"]) == ("rejected", TEXTS[language])
    assert response.json()["post"]["deleted"] is True
    entry = ModerationEntry.objects.get(action="review.rejected")
    assert (entry.subject, entry.reason) == (world.author.user, TEXTS[language])


def test_a_moderator_edits_a_post_and_shows_it(world, moderator_client):
    Post.objects.filter(pk=world.opening.pk).update(is_hidden=True)
    address = url(world.community, f"/review-items/{world.item.pk}/decision")
    payload = {"decision": "edit", "reason": "Removed the advert.", "body": TEXTS["pt"]}
    response = send(moderator_client, "post", address, payload)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "edited"
    post = Post.objects.get(pk=world.opening.pk)
    assert (post.body, post.is_hidden) == (TEXTS["pt"], False)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decision": "reject"}, "reason"),
        ({"decision": "hide", "reason": "  "}, "reason"),
        ({"decision": "edit", "reason": "Fixed."}, "body"),
        ({"decision": "shrug", "reason": "Hm."}, "decision"),
        ({"reason": "Hm."}, "decision"),
    ],
)
def test_a_decision_needs_its_fields(world, moderator_client, payload, field):
    address = url(world.community, f"/review-items/{world.item.pk}/decision")
    body = assert_problem(send(moderator_client, "post", address, payload), 422)
    assert field in body["errors"]
    assert ReviewItem.objects.get(pk=world.item.pk).state == ReviewState.PENDING


def test_deciding_a_resolved_item_is_a_conflict_and_changes_nothing(world, moderator_client):
    address = url(world.community, f"/review-items/{world.item.pk}/decision")
    assert send(moderator_client, "post", address, {"decision": "approve"}).status_code == 200
    entries = ModerationEntry.objects.count()
    assert_problem(send(moderator_client, "post", address, {"decision": "reject", "reason": "Spam."}), 409)
    assert ReviewItem.objects.get(pk=world.item.pk).state == ReviewState.APPROVED
    assert not Post.objects.get(pk=world.opening.pk).is_deleted
    assert ModerationEntry.objects.count() == entries
    assert_problem(moderator_client.post(url(world.community, f"/review-items/{world.item.pk}/claim")), 409)


# The moderation log


def test_moderators_read_the_log_latest_first(world, moderator_client):
    response = moderator_client.get(url(world.community, "/moderation/log"))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [entry["action"] for entry in results] == ["member.warned", "rule.added"]
    warning = results[0]
    assert warning["actor"]["id"] == world.moderator.user.pk
    assert warning["subject"]["id"] == world.author.user.pk
    assert warning["target"] == {"type": "communities.membership", "id": str(world.author.pk)}
    assert warning["action_label"] == "Member warned"
    assert warning["appeal"]["state"] == "open"


def test_the_log_filters_by_action_actor_subject_and_days(world, moderator_client):
    address = url(world.community, "/moderation/log")
    handle = world.moderator.user.handle

    def actions_for(query):
        response = moderator_client.get(address, query)
        assert response.status_code == 200, response.content
        return [entry["action"] for entry in response.json()["results"]]

    assert actions_for({"action": "rule"}) == ["rule.added"]
    assert actions_for({"action": "member.warned"}) == ["member.warned"]
    assert actions_for({"actor": f"@{handle}"}) == ["member.warned"]
    assert actions_for({"subject": world.author.user.handle}) == ["member.warned"]
    today = timezone.localdate()
    assert len(actions_for({"since": str(today), "until": str(today)})) == 2
    assert actions_for({"since": str(today + timedelta(days=1))}) == []


@pytest.mark.parametrize("query", [{"since": "yesterday"}, {"until": "2025-13-40"}, {"action": "x" * 41}])
def test_bad_log_filters_are_refused(world, moderator_client, query):
    body = assert_problem(moderator_client.get(url(world.community, "/moderation/log"), query), 422)
    assert set(query) <= set(body["errors"])


def test_a_moderator_reads_one_log_entry(world, moderator_client):
    response = moderator_client.get(url(world.community, f"/moderation/log/{world.entry.pk}"))
    assert response.status_code == 200, response.content
    assert (response.json()["reason"], response.json()["appeal"]["text"]) == ("Mind your tone.", "I was polite.")


def test_the_log_costs_the_same_queries_for_12_entries_as_for_2(world, moderator_client, django_assert_max_num_queries):
    address = url(world.community, "/moderation/log")
    few = queries_for(moderator_client, address)
    for n in range(10):
        actions.warn_member(actor=world.moderator.user, membership=world.flagger, reason=f"{TEXTS['bg']} {n}")
    with django_assert_max_num_queries(few):
        assert len(moderator_client.get(address).json()["results"]) == 12


# Members


@pytest.mark.parametrize("language", TEXTS)
def test_a_moderator_warns_a_member(world, moderator_client, language):
    address = url(world.community, f"/members/{world.flagger.pk}/warn")
    response = send(moderator_client, "post", address, {"reason": TEXTS[language]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["action"], body["reason"], body["subject"]["id"]) == (
        "member.warned",
        TEXTS[language],
        world.flagger.user.pk,
    )


def test_a_warning_needs_a_reason(world, moderator_client):
    address = url(world.community, f"/members/{world.flagger.pk}/warn")
    body = assert_problem(send(moderator_client, "post", address, {"reason": ""}), 422)
    assert "reason" in body["errors"]


def test_a_moderator_cannot_warn_a_manager(world, moderator_client):
    address = url(world.community, f"/members/{world.manager.pk}/warn")
    assert_problem(send(moderator_client, "post", address, {"reason": "Hm."}), 403)


def test_a_moderator_silences_and_unsilences_a_member(world, moderator_client):
    address = url(world.community, f"/members/{world.flagger.pk}/silence")
    response = send(moderator_client, "post", address, {"until": future(2), "reason": TEXTS["af"]})
    assert response.status_code == 200, response.content
    assert response.json()["silenced_until"] is not None
    until = Membership.objects.get(pk=world.flagger.pk).silenced_until
    assert until is not None and until > timezone.now()
    lifted = send(moderator_client, "post", url(world.community, f"/members/{world.flagger.pk}/unsilence"), {})
    assert lifted.status_code == 200, lifted.content
    assert lifted.json()["silenced_until"] is None
    again = send(moderator_client, "post", url(world.community, f"/members/{world.flagger.pk}/unsilence"), {})
    assert_problem(again, 409)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"until": "2000-01-01T00:00:00+00:00", "reason": "Hm."}, "until"),
        ({"until": "2999-01-01T00:00:00", "reason": "Hm."}, "until"),
        ({"until": "next week", "reason": "Hm."}, "until"),
        ({"until": "FUTURE", "reason": ""}, "reason"),
    ],
)
def test_a_silence_needs_a_future_date_and_a_reason(world, moderator_client, payload, field):
    address = url(world.community, f"/members/{world.flagger.pk}/silence")
    body = assert_problem(send(moderator_client, "post", address, fill(payload, world)), 422)
    assert field in body["errors"]
    assert Membership.objects.get(pk=world.flagger.pk).silenced_until is None


def test_an_owner_cannot_be_silenced(world, moderator_client, make_member):
    owner = make_member(Role.OWNER)
    address = url(world.community, f"/members/{owner.pk}/silence")
    assert_problem(send(moderator_client, "post", address, {"until": future(), "reason": "Hm."}), 422)


@pytest.mark.parametrize("language", TEXTS)
def test_moderators_keep_private_notes_on_a_member(world, moderator_client, manager_client, language):
    address = url(world.community, f"/members/{world.author.pk}/notes")
    response = send(moderator_client, "post", address, {"body": TEXTS[language]})
    assert response.status_code == 201, response.content
    assert response.json()["author"]["id"] == world.moderator.user.pk
    listed = manager_client.get(address).json()["results"]
    assert [note["body"] for note in listed] == [TEXTS[language]]


def test_a_note_needs_words(world, moderator_client):
    address = url(world.community, f"/members/{world.author.pk}/notes")
    body = assert_problem(send(moderator_client, "post", address, {"body": ""}), 422)
    assert "body" in body["errors"]
    assert not MemberNote.objects.exists()


def test_the_member_cannot_read_the_notes_on_them(world, author_client):
    actions.add_note(author=world.moderator.user, community=world.community, subject=world.author.user, body="Hm.")
    assert_problem(author_client.get(url(world.community, f"/members/{world.author.pk}/notes")), 403)


def test_the_notes_cost_the_same_queries_for_12_as_for_2(world, moderator_client, django_assert_max_num_queries):
    address = url(world.community, f"/members/{world.author.pk}/notes")
    for n in range(2):
        actions.add_note(author=world.moderator.user, community=world.community, subject=world.author.user, body=f"{n}")
    few = queries_for(moderator_client, address)
    for n in range(10):
        actions.add_note(author=world.manager.user, community=world.community, subject=world.author.user, body=f"{n}")
    with django_assert_max_num_queries(few):
        assert len(moderator_client.get(address).json()["results"]) == 12


# Appeals


def test_a_member_reads_their_own_record_with_appeals(world, author_client):
    actions.silence_member(
        actor=world.moderator.user,
        membership=world.author,
        until=timezone.now() + timedelta(days=1),
        reason=TEXTS["bg"],
    )
    response = author_client.get(url(world.community, "/moderation/record"))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [(e["action"], e["appealable"]) for e in results] == [("member.silenced", True), ("member.warned", False)]
    assert results[0]["reason"] == TEXTS["bg"]
    assert results[1]["appeal"]["state"] == "open"
    assert "actor" not in results[0]


def test_a_member_sees_nobody_elses_record(world, member_client):
    response = member_client.get(url(world.community, "/moderation/record"))
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert_problem(Client().get(url(world.community, "/moderation/record")), 401)


@pytest.mark.parametrize("language", TEXTS)
def test_a_member_appeals_an_action_once(world, author_client, language):
    silenced = actions.silence_member(
        actor=world.moderator.user, membership=world.author, until=timezone.now() + timedelta(days=1), reason="Hm."
    )
    entry_id = ModerationEntry.objects.get(action="member.silenced").pk
    address = url(world.community, f"/moderation/record/{entry_id}/appeal")
    response = send(author_client, "post", address, {"text": TEXTS[language]})
    assert response.status_code == 201, response.content
    assert (response.json()["entry_id"], response.json()["state"], response.json()["text"]) == (
        entry_id,
        "open",
        TEXTS[language],
    )
    assert silenced.silenced_until is not None
    assert_problem(send(author_client, "post", address, {"text": "Again."}), 409)
    assert Appeal.objects.filter(entry_id=entry_id).count() == 1


def test_appealing_another_members_entry_is_not_found(world, flagger_client):
    address = url(world.community, f"/moderation/record/{world.entry.pk}/appeal")
    assert_problem(send(flagger_client, "post", address, {"text": "Not mine."}), 404)


def test_an_entry_that_undoes_nothing_cannot_be_appealed(world, author_client):
    actions.silence_member(
        actor=world.moderator.user, membership=world.author, until=timezone.now() + timedelta(days=1), reason="Hm."
    )
    actions.unsilence_member(actor=world.moderator.user, membership=world.author)
    entry = ModerationEntry.objects.get(action="member.unsilenced")
    address = url(world.community, f"/moderation/record/{entry.pk}/appeal")
    assert_problem(send(author_client, "post", address, {"text": "Why?"}), 422)
    assert not Appeal.objects.filter(entry=entry).exists()


def test_an_appeal_needs_words(world, author_client):
    warning = actions.warn_member(actor=world.moderator.user, membership=world.author, reason="Again.")
    address = url(world.community, f"/moderation/record/{warning.pk}/appeal")
    body = assert_problem(send(author_client, "post", address, {"text": ""}), 422)
    assert "text" in body["errors"]


def test_moderators_list_appeals_by_state(world, moderator_client):
    address = url(world.community, "/appeals")
    [open_appeal] = moderator_client.get(address).json()["results"]
    assert (open_appeal["id"], open_appeal["entry"]["action"], open_appeal["appellant"]["id"]) == (
        world.appeal.pk,
        "member.warned",
        world.author.user.pk,
    )
    assert moderator_client.get(address, {"state": "denied"}).json()["results"] == []
    assert len(moderator_client.get(address, {"state": "all"}).json()["results"]) == 1
    assert_problem(moderator_client.get(address, {"state": "maybe"}), 422)


@pytest.mark.parametrize("language", TEXTS)
def test_granting_an_appeal_undoes_the_action(world, moderator_client, language):
    actions.silence_member(
        actor=world.moderator.user, membership=world.author, until=timezone.now() + timedelta(days=1), reason="Hm."
    )
    entry = ModerationEntry.objects.get(action="member.silenced")
    appeal = actions.appeal(user=world.author.user, entry=entry, text=TEXTS[language])
    address = url(world.community, f"/appeals/{appeal.pk}/decision")
    response = send(moderator_client, "post", address, {"grant": True, "reason": TEXTS[language]})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["decision_reason"]) == ("granted", TEXTS[language])
    assert Membership.objects.get(pk=world.author.pk).silenced_until is None
    assert_problem(send(moderator_client, "post", address, {"grant": False, "reason": "No."}), 409)
    assert Appeal.objects.get(pk=appeal.pk).state == AppealState.GRANTED


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"grant": True}, "reason"), ({"reason": "Hm."}, "grant"), ({"grant": "perhaps", "reason": "Hm."}, "grant")],
)
def test_an_appeal_decision_needs_its_fields(world, moderator_client, payload, field):
    address = url(world.community, f"/appeals/{world.appeal.pk}/decision")
    body = assert_problem(send(moderator_client, "post", address, payload), 422)
    assert field in body["errors"]
    assert Appeal.objects.get(pk=world.appeal.pk).state == AppealState.OPEN


def test_the_record_and_appeals_cost_the_same_queries_for_12_as_for_2(
    world, author_client, moderator_client, django_assert_max_num_queries
):
    record, appeals = url(world.community, "/moderation/record"), url(world.community, "/appeals")

    def appealed_warning(n):
        entry = actions.warn_member(actor=world.moderator.user, membership=world.author, reason=f"{n}")
        actions.appeal(user=world.author.user, entry=entry, text=f"{TEXTS['af']} {n}")

    appealed_warning(0)
    few_record, few_appeals = queries_for(author_client, record), queries_for(moderator_client, appeals)
    for n in range(1, 11):
        appealed_warning(n)
    with django_assert_max_num_queries(few_record):
        assert len(author_client.get(record).json()["results"]) == 12
    with django_assert_max_num_queries(few_appeals):
        assert len(moderator_client.get(appeals).json()["results"]) == 12


# Threads and posts


@pytest.mark.parametrize("language", TEXTS)
def test_a_moderator_hides_and_unhides_a_post(world, moderator_client, language):
    response = send(
        moderator_client, "post", url(world.community, f"/posts/{world.reply.pk}/hide"), {"reason": TEXTS[language]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_hidden"] is True
    entry = ModerationEntry.objects.get(action="post.hidden")
    assert (entry.subject, entry.reason) == (world.flagger.user, TEXTS[language])
    assert_problem(
        send(moderator_client, "post", url(world.community, f"/posts/{world.reply.pk}/hide"), {"reason": "Again."}), 409
    )
    shown = send(moderator_client, "post", url(world.community, f"/posts/{world.reply.pk}/unhide"), {})
    assert shown.status_code == 200, shown.content
    assert shown.json()["is_hidden"] is False
    assert_problem(send(moderator_client, "post", url(world.community, f"/posts/{world.reply.pk}/unhide"), {}), 409)


def test_hiding_a_post_needs_a_reason(world, moderator_client):
    body = assert_problem(
        send(moderator_client, "post", url(world.community, f"/posts/{world.reply.pk}/hide"), {}), 422
    )
    assert "reason" in body["errors"]
    assert not Post.objects.get(pk=world.reply.pk).is_hidden


def test_a_moderator_moves_a_thread(world, moderator_client):
    address = url(world.community, f"/threads/{world.thread.pk}/move")
    response = send(moderator_client, "post", address, {"space": world.second_space.slug, "reason": TEXTS["pt"]})
    assert response.status_code == 200, response.content
    assert response.json()["space"]["slug"] == world.second_space.slug
    assert_problem(send(moderator_client, "post", address, {"space": world.second_space.slug, "reason": "Hm."}), 409)
    body = assert_problem(send(moderator_client, "post", address, {"space": "nowhere", "reason": "Hm."}), 422)
    assert "space" in body["errors"]


def test_a_moderator_merges_a_thread_into_another(world, moderator_client):
    address = url(world.community, f"/threads/{world.thread.pk}/merge")
    response = send(moderator_client, "post", address, {"target": world.other_thread.pk, "reason": TEXTS["bg"]})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == world.other_thread.pk
    assert response.json()["reply_count"] == 2
    assert Thread.objects.get(pk=world.thread.pk).is_locked


@pytest.mark.parametrize("target", ["self", 999999, "elsewhere"])
def test_a_thread_merges_only_into_another_thread_of_the_community(world, elsewhere, moderator_client, target):
    ids_ = {"self": world.thread.pk, "elsewhere": elsewhere.thread.pk}
    address = url(world.community, f"/threads/{world.thread.pk}/merge")
    payload = {"target": ids_.get(target, target), "reason": "Hm."}
    body = assert_problem(send(moderator_client, "post", address, payload), 422)
    assert "target" in body["errors"]
    assert Post.objects.filter(thread=world.thread).count() == 2


def test_a_moderator_splits_replies_into_a_new_thread(world, moderator_client):
    address = url(world.community, f"/threads/{world.thread.pk}/split")
    payload = {"posts": [world.reply.pk], "title": TEXTS["af"][:40], "reason": "Own topic."}
    response = send(moderator_client, "post", address, payload)
    assert response.status_code == 201, response.content
    new = Thread.objects.get(pk=response.json()["id"])
    assert (new.title, new.author) == (TEXTS["af"][:40], world.flagger.user)
    assert Post.objects.get(pk=world.reply.pk).thread == new


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"posts": ["opening"], "title": "T", "reason": "R"}, "posts"),
        ({"posts": [], "title": "T", "reason": "R"}, "posts"),
        ({"posts": ["reply"], "title": "", "reason": "R"}, "title"),
        ({"posts": ["reply"], "title": "T", "reason": ""}, "reason"),
        ({"posts": ["reply"], "title": "T", "reason": "R", "space": "nowhere"}, "space"),
    ],
)
def test_a_split_needs_replies_a_title_and_a_reason(world, moderator_client, payload, field):
    chosen = {"opening": world.opening.pk, "reply": world.reply.pk}
    payload = {**payload, "posts": [chosen[name] for name in payload["posts"]]}
    address = url(world.community, f"/threads/{world.thread.pk}/split")
    body = assert_problem(send(moderator_client, "post", address, payload), 422)
    assert field in body["errors"]
    assert Thread.objects.filter(community=world.community).count() == 2


def test_an_idea_thread_cannot_be_moved(world, moderator_client, space):
    Thread.objects.filter(pk=world.thread.pk).update(kind=ThreadKind.IDEA)
    address = url(world.community, f"/threads/{world.thread.pk}/move")
    assert_problem(send(moderator_client, "post", address, {"space": world.second_space.slug, "reason": "Hm."}), 422)
