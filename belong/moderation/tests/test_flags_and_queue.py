"""Members' flags, weighed by trust, and the review queue: claims, and the four decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from belong.communities.models import Role
from belong.communities.tests.factories import CommunityFactory
from belong.conversations.models import Post, PostRevision, Thread
from belong.core.errors import Conflict, Invalid, NotAllowed
from belong.core.models import ModerationEntry
from belong.moderation import actions, queries
from belong.moderation.actions import CLAIM_MINUTES
from belong.moderation.models import Flag, FlagReason, ReviewItem, ReviewSource, ReviewState
from belong.moderation.tests.factories import RuleFactory, entries, fresh, opening_of, reply_to

pytestmark = pytest.mark.django_db

HIDDEN_BY_FLAGS = "Hidden by members' flags until a moderator reviews it."


def flag(flagger: Any, post: Post, reason: str = FlagReason.SPAM, **fields: Any) -> Flag:
    return actions.flag_post(flagger=flagger, post=post, reason=reason, **fields)


@pytest.fixture
def flaggers(person):
    """Members at a trust level, each new."""
    return lambda level=1: person(Role.MEMBER, trust_level=level)


@pytest.fixture
def item(post, flaggers, commit) -> ReviewItem:
    with commit():
        return flag(flaggers(1), post).item


# --- Flags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "weight"), [(1, 1.0), (2, 1.5), (3, 2.0), (4, 3.0)])
def test_a_flag_weighs_by_the_flaggers_trust_level(post, flaggers, commit, level, weight):
    with commit():
        made = flag(flaggers(level), post, FlagReason.OFF_TOPIC)
    assert made.weight == weight
    assert (made.reason, made.post, made.community_id) == (FlagReason.OFF_TOPIC, post, post.community_id)
    item = made.item
    assert (item.state, item.sources, item.flag_weight, item.post) == (
        ReviewState.PENDING,
        [ReviewSource.FLAGS],
        weight,
        post,
    )


def test_flags_of_several_members_add_up_on_one_pending_item(post, flaggers, commit):
    with commit():
        first = flag(flaggers(1), post)
        second = flag(flaggers(2), post, FlagReason.ABUSIVE)
    assert first.item_id == second.item_id
    assert ReviewItem.objects.get().flag_weight == 2.5
    assert not fresh(post).is_hidden  # 2.5 < 3


def test_enough_weight_of_flags_hides_the_post_and_logs_it_as_the_systems_doing(post, flaggers, commit):
    with commit():
        flag(flaggers(1), post)
        flag(flaggers(1), post)
        assert not fresh(post).is_hidden
        flag(flaggers(1), post)
    post = fresh(post)
    assert post.is_hidden and post.deleted_at is None
    assert not fresh(post.thread).is_hidden  # a reply hides alone
    [entry] = entries("post.hidden")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        None,
        post.author_id,
        post,
        HIDDEN_BY_FLAGS,
    )
    assert entry.community_id == post.community_id


def test_one_flag_at_trust_level_four_hides_at_the_default_weight(post, flaggers, commit):
    with commit():
        flag(flaggers(4), post)
    assert fresh(post).is_hidden


def test_the_communitys_hide_weight_decides_how_many_flags_hide(post, flaggers, boss, commit):
    actions.update_settings(actor=boss, community=post.community, hide_weight=5.0)
    with commit():
        flag(flaggers(4), post)
        flag(flaggers(2), post)
        assert not fresh(post).is_hidden  # 4.5
        flag(flaggers(1), post)
    assert fresh(post).is_hidden


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MANAGER, Role.STAFF, Role.OWNER])
def test_a_moderators_flag_hides_at_once(post, person, commit, role):
    with commit():
        made = flag(person(role), post, FlagReason.ABUSIVE)
    assert made.weight == actions.settings_for(post.community).hide_weight
    assert fresh(post).is_hidden
    assert entries("post.hidden")[0].actor_id is None


def test_flags_hiding_an_opening_post_hide_its_thread(thread, flaggers, commit):
    with commit():
        flag(flaggers(4), opening_of(thread))
    assert fresh(opening_of(thread)).is_hidden
    assert fresh(thread).is_hidden
    assert [entry.target for entry in entries("post.hidden")] == [opening_of(thread)]


def test_more_flags_on_a_hidden_post_add_weight_but_log_nothing_more(post, flaggers, commit):
    with commit():
        flag(flaggers(4), post)
        flag(flaggers(4), post)
    assert ReviewItem.objects.get().flag_weight == 6.0
    assert len(entries("post.hidden")) == 1


def test_a_flag_citing_a_rule_keeps_the_rules_words(post, flaggers, commit):
    rule = RuleFactory(community=post.community, title="No selling")
    with commit():
        made = flag(flaggers(1), post, FlagReason.RULE, rule=rule)
    rule.delete()
    made = Flag.objects.get(pk=made.pk)
    assert (made.rule, made.rule_title) == (None, "No selling")


def test_a_flag_for_another_reason_does_not_keep_a_rule(post, flaggers, commit):
    rule = RuleFactory(community=post.community)
    made = flag(flaggers(1), post, FlagReason.SPAM, rule=rule)
    assert (made.rule, made.rule_title) == (None, "")


def test_something_else_is_flagged_with_the_flaggers_words_in_bulgarian(post, flaggers):
    made = flag(flaggers(1), post, FlagReason.OTHER, text="  Рекламира собствения си магазин.  ")
    assert made.text == "Рекламира собствения си магазин."


def test_flagging_a_post_twice_is_refused(post, flaggers, refused):
    flagger = flaggers(1)
    flag(flagger, post)
    with refused(Conflict):
        flag(flagger, post, FlagReason.ABUSIVE)


def test_flagging_ones_own_post_is_refused(post, refused):
    with refused(Invalid):
        flag(post.author, post)


def test_flagging_at_trust_level_zero_is_not_allowed(post, flaggers, refused):
    someone = flaggers(0)
    with refused(NotAllowed):
        flag(someone, post)


def test_flagging_is_not_allowed_for_someone_outside_the_community(post, refused):
    from belong.accounts.tests.factories import UserFactory

    someone = UserFactory()
    with refused(NotAllowed):
        flag(someone, post)


def test_flagging_a_deleted_post_is_not_allowed(post, flaggers, refused):
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    someone = flaggers(1)
    with refused(NotAllowed):
        flag(someone, post)


def test_a_rule_flag_without_a_rule_is_refused(post, flaggers, refused):
    someone = flaggers(1)
    with refused(Invalid) as info:
        flag(someone, post, FlagReason.RULE)
    assert "rule" in info.value.errors


def test_a_rule_flag_citing_another_communitys_rule_is_refused(post, flaggers, refused):
    elsewhere = RuleFactory(community=CommunityFactory())
    someone = flaggers(1)
    with refused(Invalid) as info:
        flag(someone, post, FlagReason.RULE, rule=elsewhere)
    assert "rule" in info.value.errors


@pytest.mark.parametrize("text", ["", "   \n "])
def test_something_else_without_words_is_refused(post, flaggers, refused, text):
    someone = flaggers(1)
    with refused(Invalid) as info:
        flag(someone, post, FlagReason.OTHER, text=text)
    assert "text" in info.value.errors


def test_an_unknown_reason_is_refused(post, flaggers, refused):
    someone = flaggers(1)
    with refused(Invalid) as info:
        flag(someone, post, "boring")
    assert "reason" in info.value.errors


def test_words_over_a_thousand_characters_are_refused(post, flaggers, refused):
    someone = flaggers(1)
    with refused(Invalid):
        flag(someone, post, FlagReason.OTHER, text="á" * 1001)


def test_a_flag_after_a_decision_opens_a_new_item(item, moderator, flaggers, commit):
    actions.decide_item(moderator=moderator, item=item, decision="approve")
    with commit():
        again = flag(flaggers(1), item.post)
    assert again.item_id != item.pk
    assert fresh(again.item).state == ReviewState.PENDING
    assert ReviewItem.objects.count() == 2


# --- Claims ----------------------------------------------------------------------------------


def test_a_moderator_claims_and_releases_an_item(item, moderator):
    claimed = actions.claim_item(moderator=moderator, item=item)
    assert (claimed.claimed_by, claimed.claimed_at is not None) == (moderator, True)
    released = actions.release_item(moderator=moderator, item=item)
    assert (fresh(released).claimed_by, fresh(released).claimed_at) == (None, None)


def test_claiming_an_item_another_moderator_holds_is_refused(item, moderator, person, refused):
    actions.claim_item(moderator=moderator, item=item)
    someone = person(Role.MODERATOR)
    with refused(Conflict):
        actions.claim_item(moderator=someone, item=item)
    assert fresh(item).claimed_by == moderator


def test_claiming_ones_own_claim_again_renews_it(item, moderator, monkeypatch):
    actions.claim_item(moderator=moderator, item=item)
    later = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert actions.claim_item(moderator=moderator, item=item).claimed_at == later


def test_a_claim_expires_after_claim_minutes(item, moderator, person, monkeypatch):
    actions.claim_item(moderator=moderator, item=item)
    other = person(Role.MODERATOR)
    almost = timezone.now() + timedelta(minutes=CLAIM_MINUTES - 1)
    monkeypatch.setattr(timezone, "now", lambda: almost)
    with pytest.raises(Conflict):
        actions.claim_item(moderator=other, item=item)
    expired = almost + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: expired)
    assert actions.claim_item(moderator=other, item=item).claimed_by == other


def test_releasing_an_item_one_has_not_claimed_is_refused(item, moderator, person, refused):
    actions.claim_item(moderator=moderator, item=item)
    someone = person(Role.MODERATOR)
    with refused(Conflict):
        actions.release_item(moderator=someone, item=item)


def test_claiming_is_not_allowed_for_members(item, flaggers, refused):
    someone = flaggers(4)
    with refused(NotAllowed):
        actions.claim_item(moderator=someone, item=item)


def test_claiming_a_resolved_item_is_refused(item, moderator, refused):
    actions.decide_item(moderator=moderator, item=item, decision="approve")
    with refused(Conflict):
        actions.claim_item(moderator=moderator, item=item)


# --- Decisions -------------------------------------------------------------------------------


@pytest.fixture
def hidden_item(post, flaggers, commit) -> ReviewItem:
    """An item whose flags hid its post."""
    with commit():
        made = flag(flaggers(4), post, FlagReason.ABUSIVE)
    assert fresh(post).is_hidden
    return made.item


def decide(moderator, item, decision, reason="Personal attack on another member.", **fields):
    return actions.decide_item(moderator=moderator, item=item, decision=decision, reason=reason, **fields)


def assert_decided(item, moderator, state, reason):
    item = fresh(item)
    assert (item.state, item.decided_by, item.reason) == (state, moderator, reason)
    assert item.decided_at is not None
    [entry] = entries(f"review.{state}")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        item.post.author_id,
        item.post,
        reason,
    )
    assert entry.data["item"] == item.pk and entry.data["thread"] == item.post.thread_id
    return entry


def test_approving_shows_the_post_again_without_a_reason(hidden_item, moderator, commit):
    with commit():
        decide(moderator, hidden_item, "approve", reason="")
    post = fresh(hidden_item.post)
    assert (post.is_hidden, post.deleted_at) == (False, None)
    assert_decided(hidden_item, moderator, ReviewState.APPROVED, "")


def test_approving_a_flagged_opening_post_shows_its_thread_again(thread, flaggers, moderator):
    item = flag(flaggers(4), opening_of(thread)).item
    assert fresh(thread).is_hidden
    decide(moderator, item, "approve")
    assert not fresh(thread).is_hidden and not fresh(opening_of(thread)).is_hidden


def test_rejecting_removes_the_post_and_keeps_it(hidden_item, moderator, commit):
    thread = hidden_item.post.thread
    replies = fresh(thread).reply_count
    with commit():
        decide(moderator, hidden_item, "reject", reason="Spam for a shop.")
    post = fresh(hidden_item.post)
    assert post.is_hidden and post.deleted_at is not None
    assert post.body == "I descale it every month with citric acid."
    assert fresh(thread).reply_count == replies - 1
    assert_decided(hidden_item, moderator, ReviewState.REJECTED, "Spam for a shop.")


def test_rejecting_a_visible_post_hides_and_removes_it(item, moderator):
    assert not item.post.is_hidden
    decide(moderator, item, "reject")
    post = fresh(item.post)
    assert post.is_hidden and post.is_deleted


def test_editing_fixes_the_text_keeps_the_old_version_and_shows_the_post(hidden_item, moderator, commit):
    old = hidden_item.post.body
    with commit():
        decide(moderator, hidden_item, "edit", reason="Removed the insult.", body="Citric acid, every month.")
    post = fresh(hidden_item.post)
    assert (post.body, post.is_hidden, post.deleted_at) == ("Citric acid, every month.", False, None)
    assert post.edited_at is not None
    [revision] = PostRevision.objects.filter(post=post)
    assert (revision.body, revision.edited_by) == (old, moderator)
    assert_decided(hidden_item, moderator, ReviewState.EDITED, "Removed the insult.")


def test_editing_in_portuguese_keeps_the_accents(hidden_item, moderator):
    decide(moderator, hidden_item, "edit", reason="Tirei o insulto.", body="Ácido cítrico, todo mês — funciona.")
    assert fresh(hidden_item.post).body == "Ácido cítrico, todo mês — funciona."


def test_hiding_keeps_the_post_hidden_but_not_deleted(item, moderator, commit):
    with commit():
        decide(moderator, item, "hide", reason="Off-topic rant.")
    post = fresh(item.post)
    assert (post.is_hidden, post.deleted_at) == (True, None)
    assert_decided(item, moderator, ReviewState.HIDDEN, "Off-topic rant.")


def test_hiding_an_opening_post_after_review_hides_its_thread(thread, flaggers, moderator):
    item = flag(flaggers(1), opening_of(thread)).item
    decide(moderator, item, "hide")
    assert fresh(thread).is_hidden


@pytest.mark.parametrize("decision", ["reject", "edit", "hide"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_every_decision_but_approve_needs_a_reason(hidden_item, moderator, refused, decision, reason):
    with refused(Invalid) as info:
        decide(moderator, hidden_item, decision, reason=reason, body="Fixed.")
    assert "reason" in info.value.errors


def test_a_reason_over_two_thousand_characters_is_refused(item, moderator, refused):
    with refused(Invalid):
        decide(moderator, item, "hide", reason="я" * 2001)


def test_editing_without_the_corrected_text_is_refused(hidden_item, moderator, refused):
    with refused(Invalid) as info:
        decide(moderator, hidden_item, "edit", body="  ")
    assert "body" in info.value.errors


def test_an_unknown_decision_is_refused(item, moderator, refused):
    with refused(Invalid):
        decide(moderator, item, "delete")


@pytest.mark.parametrize("decision", ["approve", "reject", "edit", "hide"])
def test_deciding_a_resolved_item_is_refused_and_changes_nothing(hidden_item, moderator, refused, decision):
    decide(moderator, hidden_item, "hide")
    with refused(Conflict):
        decide(moderator, hidden_item, decision, body="Another text.")
    assert fresh(hidden_item).state == ReviewState.HIDDEN


def test_deciding_an_item_another_moderator_claimed_is_refused(item, moderator, person, refused):
    actions.claim_item(moderator=person(Role.MODERATOR), item=item)
    with refused(Conflict):
        decide(moderator, item, "hide")


def test_deciding_is_not_allowed_for_members(item, flaggers, refused):
    someone = flaggers(4)
    with refused(NotAllowed):
        decide(someone, item, "approve")


def test_a_moderator_of_another_community_may_not_decide(item, refused):
    from belong.communities.tests.factories import MembershipFactory

    elsewhere = MembershipFactory(community=CommunityFactory(), role=Role.MODERATOR).user
    with refused(NotAllowed):
        decide(elsewhere, item, "hide")


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_lists_pending_items_oldest_first_and_decisions_newest_first(
    thread, flaggers, moderator, person, commit, django_assert_max_num_queries
):
    posts = [reply_to(thread, person(Role.MEMBER), f"Reply number {n} about the kettle.") for n in range(4)]
    items = [flag(flaggers(1), each).item for each in posts]
    decide(moderator, items[1], "hide")
    decide(moderator, items[3], "approve")
    with django_assert_max_num_queries(8):
        pending = list(queries.queue(moderator, thread.community))
    assert pending == [items[0], items[2]]
    assert [each.flags.all()[0].reason for each in pending] == [FlagReason.SPAM, FlagReason.SPAM]
    assert list(queries.queue(moderator, thread.community, state=ReviewState.HIDDEN)) == [items[1]]
    assert queries.pending_count(thread.community) == 2


def test_the_queue_filters_by_source(item, moderator):
    assert list(queries.queue(moderator, item.community, source=ReviewSource.FLAGS)) == [item]
    assert list(queries.queue(moderator, item.community, source=ReviewSource.SPAM)) == []


def test_the_queue_is_not_for_members(item, flaggers):
    with pytest.raises(NotAllowed):
        queries.queue(flaggers(4), item.community)


def test_a_refused_decision_leaves_the_log_untouched(item, moderator):
    before = ModerationEntry.objects.count()
    with pytest.raises(Invalid):
        decide(moderator, item, "reject", reason="")
    assert ModerationEntry.objects.count() == before
    assert Thread.objects.get(pk=item.post.thread_id).reply_count == 1
