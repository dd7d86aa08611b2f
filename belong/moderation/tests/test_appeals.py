"""Appeals: the member concerned asks once; granting undoes the action where it can, denying keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from belong.communities import actions as communities
from belong.communities.models import MembershipState, Role
from belong.conversations.actions import moderate_thread
from belong.conversations.moderation import hide_post
from belong.core.errors import Conflict, Invalid, NotAllowed
from belong.core.models import ModerationEntry
from belong.moderation import actions, queries
from belong.moderation.models import Appeal, AppealState, FlagReason, ReviewItem
from belong.moderation.tests.factories import entries, fresh, membership_of, opening_of

pytestmark = pytest.mark.django_db

WHY = "Foi um mal-entendido; eu estava a citar o manual."
ANSWER = "You were quoting the manual; we got it wrong."


@pytest.fixture
def poster(post):
    return post.author


@pytest.fixture
def hidden(post, moderator) -> ModerationEntry:
    hide_post(actor=moderator, post=post, reason="Rude.")
    return entries("post.hidden")[0]


def appeal(user, entry, text=WHY):
    return actions.appeal(user=user, entry=entry, text=text)


def decide(moderator, made, grant, reason=ANSWER):
    return actions.decide_appeal(moderator=moderator, appeal=made, grant=grant, reason=reason)


# --- Appealing -------------------------------------------------------------------------------


def test_the_member_concerned_appeals_an_action(hidden, poster, commit):
    with commit():
        made = appeal(poster, hidden, f"  {WHY}\n")
    assert (made.entry, made.appellant, made.text, made.state, made.community_id) == (
        hidden,
        poster,
        WHY,
        AppealState.OPEN,
        hidden.community_id,
    )
    assert list(queries.record_of(poster, hidden.community)) == [hidden]


def test_only_the_member_concerned_may_appeal(hidden, person, refused):
    someone = person(Role.MEMBER, trust_level=4)
    with refused(NotAllowed):
        appeal(someone, hidden)


def test_a_moderator_may_not_appeal_their_own_action(community, moderator, refused):
    own = ModerationEntry.objects.create(community=community, actor=moderator, action="post.hidden", subject=moderator)
    with refused(NotAllowed):
        appeal(moderator, own)


def test_each_action_is_appealed_once(hidden, poster, refused):
    appeal(poster, hidden)
    with refused(Conflict):
        appeal(poster, hidden, "Again, please.")


def test_an_appeal_after_a_decision_is_still_refused(hidden, poster, moderator, refused):
    decide(moderator, appeal(poster, hidden), grant=False)
    with refused(Conflict):
        appeal(poster, hidden, "Please look again.")


def test_an_appeal_without_words_is_refused(hidden, poster, refused):
    with refused(Invalid) as info:
        appeal(poster, hidden, "  ")
    assert "text" in info.value.errors


@pytest.mark.parametrize("action", ["post.unhidden", "member.reinstated", "review.approved", "thread.pinned"])
def test_entries_that_did_nothing_against_the_member_are_not_appealable(poster, moderator, community, refused, action):
    entry = ModerationEntry.objects.create(community=community, actor=moderator, action=action, subject=poster)
    with refused(Invalid):
        appeal(poster, entry)


def test_a_banned_member_may_appeal_the_ban(targeted_ban, refused):
    membership, entry = targeted_ban
    made = appeal(membership.user, entry)
    assert made.state == AppealState.OPEN


def test_members_may_not_decide_appeals(hidden, poster, person, refused):
    made = appeal(poster, hidden)
    someone = person(Role.MEMBER, trust_level=4)
    with refused(NotAllowed):
        decide(someone, made, grant=True)


def test_the_appellant_may_not_decide_their_own_appeal(hidden, poster, refused):
    made = appeal(poster, hidden)
    with refused(NotAllowed):
        decide(poster, made, grant=True)


# --- Deciding --------------------------------------------------------------------------------


def assert_answered(made, moderator, state):
    made = fresh(made)
    assert (made.state, made.decided_by, made.decision_reason) == (state, moderator, ANSWER)
    assert made.decided_at is not None
    [entry] = entries(f"appeal.{state}")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        made.appellant_id,
        made,
        ANSWER,
    )
    assert entry.data == {"entry": made.entry_id, "action": made.entry.action}


def test_granting_the_appeal_of_a_hidden_post_shows_it_again(hidden, poster, post, moderator, commit):
    made = appeal(poster, hidden)
    with commit():
        decide(moderator, made, grant=True)
    assert not fresh(post).is_hidden
    assert_answered(made, moderator, AppealState.GRANTED)


def test_granting_the_appeal_of_a_post_flags_hid_shows_it_again(post, poster, person, moderator):
    actions.flag_post(flagger=person(Role.MEMBER, trust_level=4), post=post, reason=FlagReason.SPAM)
    [entry] = entries("post.hidden")
    assert entry.actor_id is None
    decide(moderator, appeal(poster, entry), grant=True)
    assert not fresh(post).is_hidden


def test_granting_the_appeal_of_a_hidden_opening_post_shows_its_thread(thread, moderator):
    hide_post(actor=moderator, post=opening_of(thread), reason="Rude title.")
    assert fresh(thread).is_hidden
    decide(moderator, appeal(thread.author, entries("post.hidden")[0]), grant=True)
    assert not fresh(thread).is_hidden and not opening_of(thread).is_hidden


def test_denying_keeps_the_action(hidden, poster, post, moderator, commit):
    made = appeal(poster, hidden)
    with commit():
        decide(moderator, made, grant=False)
    assert fresh(post).is_hidden
    assert_answered(made, moderator, AppealState.DENIED)


@pytest.mark.parametrize("grant", [True, False])
def test_deciding_an_appeal_twice_is_refused(hidden, poster, moderator, refused, grant):
    made = appeal(poster, hidden)
    decide(moderator, made, grant=not grant)
    with refused(Conflict):
        decide(moderator, made, grant=grant)


def test_an_answer_needs_a_reason(hidden, poster, moderator, refused):
    made = appeal(poster, hidden)
    with refused(Invalid):
        decide(moderator, made, grant=True, reason="")
    assert fresh(made).state == AppealState.OPEN


def test_granting_the_appeal_of_a_rejected_reply_restores_it_and_the_count(post, poster, person, moderator):
    item = actions.flag_post(flagger=person(Role.MEMBER, trust_level=1), post=post, reason=FlagReason.SPAM).item
    replies = fresh(post.thread).reply_count
    actions.decide_item(moderator=moderator, item=item, decision="reject", reason="Advertising.")
    assert fresh(post.thread).reply_count == replies - 1
    decide(moderator, appeal(poster, entries("review.rejected")[0]), grant=True)
    restored = fresh(post)
    assert (restored.deleted_at, restored.is_hidden) == (None, False)
    assert fresh(post.thread).reply_count == replies


def test_granting_the_appeal_of_a_rejected_opening_post_shows_the_thread(thread, person, moderator):
    item = actions.flag_post(
        flagger=person(Role.MEMBER, trust_level=1), post=opening_of(thread), reason=FlagReason.SPAM
    ).item
    replies = fresh(thread).reply_count
    actions.decide_item(moderator=moderator, item=item, decision="reject", reason="Advertising.")
    decide(moderator, appeal(thread.author, entries("review.rejected")[0]), grant=True)
    assert not opening_of(thread).is_deleted and not opening_of(thread).is_hidden
    assert not fresh(thread).is_hidden
    assert fresh(thread).reply_count == replies


def test_granting_the_appeal_of_a_post_hidden_after_review_shows_it(post, poster, person, moderator):
    item = actions.flag_post(flagger=person(Role.MEMBER, trust_level=1), post=post, reason=FlagReason.SPAM).item
    actions.decide_item(moderator=moderator, item=item, decision="hide", reason="Off-topic.")
    decide(moderator, appeal(poster, entries("review.hidden")[0]), grant=True)
    assert not fresh(post).is_hidden
    assert ReviewItem.objects.get(pk=item.pk).state == "hidden"  # the record of the decision stays


@pytest.fixture
def targeted_ban(person, boss, community):
    membership = membership_of(person(Role.MEMBER), community)
    communities.ban_member(actor=boss, membership=membership, reason="Spam everywhere.")
    return membership, entries("member.banned")[0]


def test_granting_the_appeal_of_a_ban_reinstates_the_member(targeted_ban, boss):
    membership, entry = targeted_ban
    decide(boss, appeal(membership.user, entry), grant=True)
    assert fresh(membership).state == MembershipState.ACTIVE
    [reinstated] = entries("member.reinstated")
    assert (reinstated.actor_id, reinstated.subject_id, reinstated.reason) == (boss.pk, membership.user_id, ANSWER)


def test_a_moderator_cannot_grant_the_appeal_of_a_ban_and_nothing_changes(targeted_ban, moderator, refused):
    membership, entry = targeted_ban
    made = appeal(membership.user, entry)
    with refused(NotAllowed):
        decide(moderator, made, grant=True)


def test_granting_the_appeal_of_a_suspension_reinstates_the_member(person, moderator, community):
    membership = membership_of(person(Role.MEMBER), community)
    communities.suspend_member(
        actor=moderator, membership=membership, until=timezone.now() + timedelta(days=3), reason="Heated."
    )
    decide(moderator, appeal(membership.user, entries("member.suspended")[0]), grant=True)
    assert fresh(membership).state == MembershipState.ACTIVE


def test_granting_the_appeal_of_an_ended_suspension_changes_nothing_but_the_appeal(person, moderator, community):
    membership = membership_of(person(Role.MEMBER), community)
    communities.suspend_member(
        actor=moderator, membership=membership, until=timezone.now() + timedelta(days=3), reason="Heated."
    )
    communities.reinstate_member(actor=moderator, membership=membership, reason="Early.")
    decide(moderator, appeal(membership.user, entries("member.suspended")[0]), grant=True)
    assert fresh(membership).state == MembershipState.ACTIVE
    assert len(entries("member.reinstated")) == 1


def test_granting_the_appeal_of_a_silence_lifts_it(person, moderator, community):
    membership = membership_of(person(Role.MEMBER), community)
    actions.silence_member(
        actor=moderator, membership=membership, until=timezone.now() + timedelta(days=3), reason="Heated."
    )
    decide(moderator, appeal(membership.user, entries("member.silenced")[0]), grant=True)
    assert fresh(membership).silenced_until is None
    assert len(entries("member.unsilenced")) == 1


@pytest.mark.parametrize(("field", "action"), [("locked", "thread.locked"), ("hidden", "thread.hidden")])
def test_granting_the_appeal_of_a_locked_or_hidden_thread_undoes_it(thread, moderator, field, action):
    moderate_thread(actor=moderator, thread=thread, reason="Heated.", **{field: True})
    decide(moderator, appeal(thread.author, entries(action)[0]), grant=True)
    after = fresh(thread)
    assert (after.is_locked, after.is_hidden) == (False, False)
    undone = {"locked": "thread.unlocked", "hidden": "thread.unhidden"}[field]
    assert [entry.reason for entry in entries(undone)] == [ANSWER]


def test_denying_the_appeal_of_a_ban_keeps_the_member_banned(targeted_ban, boss):
    membership, entry = targeted_ban
    decide(boss, appeal(membership.user, entry), grant=False)
    assert fresh(membership).state == MembershipState.BANNED
    assert entries("member.reinstated") == []


def test_open_appeals_are_listed_oldest_first_for_moderators(hidden, poster, moderator, thread):
    first = appeal(poster, hidden)
    moderate_thread(actor=moderator, thread=thread, locked=True, reason="Heated.")
    second = appeal(thread.author, entries("thread.locked")[0])
    assert list(queries.appeals(moderator, hidden.community)) == [first, second]
    decide(moderator, first, grant=False)
    assert list(queries.appeals(moderator, hidden.community)) == [second]
    assert list(queries.appeals(moderator, hidden.community, state=AppealState.DENIED)) == [first]
    assert Appeal.objects.count() == 2
