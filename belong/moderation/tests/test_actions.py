"""Sanctions on members, the rules, private notes, the settings, the append-only log and the e-mail to members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from belong.accounts.actions import create_api_token
from belong.accounts.models import ApiToken, User
from belong.accounts.tests.factories import UserFactory
from belong.communities import actions as communities
from belong.communities.models import Community, MembershipState, Role
from belong.communities.permissions import can
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Reaction
from belong.conversations.moderation import hide_post
from belong.conversations.permissions import ConversationAction
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.models import AppendOnlyError, ModerationEntry
from belong.moderation import actions, queries, tasks
from belong.moderation.models import MemberNote, ModerationSettings, Rule, RuleAcceptance
from belong.moderation.tests.factories import entries, fresh, membership_of, reply_to

pytestmark = pytest.mark.django_db

REASON = "Insulted another member in the kettle thread."


def soon(days: int = 3):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def target(person):
    """The member a moderator acts on."""
    return person(Role.MEMBER, trust_level=1, trust_level_pinned=True)


@pytest.fixture
def targeted(target, community):
    return membership_of(target, community)


# --- Warnings --------------------------------------------------------------------------------


def test_a_warning_goes_on_the_record_and_changes_nothing_else(targeted, moderator, commit):
    with commit():
        entry = actions.warn_member(actor=moderator, membership=targeted, reason=f"  {REASON} ")
    assert (entry.action, entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        "member.warned",
        moderator.pk,
        targeted.user_id,
        targeted,
        REASON,
    )
    after = fresh(targeted)
    assert (after.state, after.silenced_until) == (MembershipState.ACTIVE, None)


def test_a_warning_needs_a_reason(targeted, moderator, refused):
    with refused(Invalid):
        actions.warn_member(actor=moderator, membership=targeted, reason="  ")


def test_members_may_not_warn(targeted, person, refused):
    someone = person(Role.MEMBER, trust_level=4)
    with refused(NotAllowed):
        actions.warn_member(actor=someone, membership=targeted, reason=REASON)


def test_a_moderator_may_not_warn_a_manager(boss, moderator, community, refused):
    with refused(NotAllowed):
        actions.warn_member(actor=moderator, membership=membership_of(boss, community), reason=REASON)


def test_a_former_member_cannot_be_warned(targeted, moderator, refused):
    type(targeted).objects.filter(pk=targeted.pk).update(state=MembershipState.LEFT)
    with refused(Conflict):
        actions.warn_member(actor=moderator, membership=targeted, reason=REASON)


# --- Silences --------------------------------------------------------------------------------


def test_a_silenced_member_cannot_post_but_reads_and_reacts(targeted, target, moderator, thread, post, space):
    until = soon()
    actions.silence_member(actor=moderator, membership=targeted, until=until, reason=REASON)
    assert fresh(targeted).silenced_until == until
    with pytest.raises(NotAllowed):
        reply_to(thread, target, "Trying to reply anyway.")
    with pytest.raises(NotAllowed):
        conversations.create_thread(author=target, space=space, kind="discussion", title="New", body="Hello there.")
    assert can(target, ConversationAction.VIEW_THREAD, thread)
    conversations.add_reaction(user=target, post=post, kind="like")
    assert Reaction.objects.filter(user=target, post=post).exists()


def test_a_silence_is_logged_with_its_end(targeted, moderator, commit):
    until = soon(7)
    with commit():
        actions.silence_member(actor=moderator, membership=targeted, until=until, reason=REASON)
    [entry] = entries("member.silenced")
    assert (entry.actor_id, entry.subject_id, entry.reason, entry.data) == (
        moderator.pk,
        targeted.user_id,
        REASON,
        {"until": until.isoformat()},
    )


def test_posting_is_allowed_again_once_the_silence_ends(targeted, target, moderator, thread, monkeypatch):
    actions.silence_member(actor=moderator, membership=targeted, until=soon(1), reason=REASON)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert reply_to(thread, fresh(target), "Back again, and calmer.").pk


def test_lifting_a_silence_lets_the_member_post(targeted, target, moderator, thread):
    actions.silence_member(actor=moderator, membership=targeted, until=soon(), reason=REASON)
    actions.unsilence_member(actor=moderator, membership=targeted, reason="Apologised.")
    assert fresh(targeted).silenced_until is None
    assert reply_to(thread, target, "Sorry, everyone.").pk
    assert [entry.reason for entry in entries("member.unsilenced")] == ["Apologised."]


def test_lifting_a_silence_that_is_not_there_is_refused(targeted, moderator, refused):
    with refused(Conflict):
        actions.unsilence_member(actor=moderator, membership=targeted)


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(minutes=-1), timedelta(days=-30)])
def test_a_silence_ending_in_the_past_is_refused(targeted, moderator, refused, delta):
    with refused(Invalid) as info:
        actions.silence_member(actor=moderator, membership=targeted, until=timezone.now() + delta, reason=REASON)
    assert "until" in info.value.errors


def test_an_owner_cannot_be_silenced(owner, boss, refused):
    with refused(Invalid):
        actions.silence_member(actor=boss, membership=owner, until=soon(), reason=REASON)


def test_a_moderator_cannot_silence_a_manager(boss, moderator, community, refused):
    with refused(NotAllowed):
        actions.silence_member(actor=moderator, membership=membership_of(boss, community), until=soon(), reason=REASON)


def test_a_moderator_cannot_silence_another_moderator(moderator, person, community, refused):
    other = membership_of(person(Role.MODERATOR), community)
    with refused(NotAllowed):
        actions.silence_member(actor=moderator, membership=other, until=soon(), reason=REASON)


def test_a_manager_silences_a_moderator(boss, moderator, community):
    silenced = actions.silence_member(
        actor=boss, membership=membership_of(moderator, community), until=soon(), reason=REASON
    )
    assert silenced.silenced_until is not None


def test_a_silence_needs_a_reason(targeted, moderator, refused):
    with refused(Invalid):
        actions.silence_member(actor=moderator, membership=targeted, until=soon(), reason="")


def test_nobody_silences_themselves(moderator, community, refused):
    with refused(NotAllowed):
        actions.silence_member(
            actor=moderator, membership=membership_of(moderator, community), until=soon(), reason=REASON
        )


# --- Suspensions and bans ---------------------------------------------------------------------


def test_a_suspension_is_logged_with_its_reason(targeted, moderator, commit):
    until = soon()
    with commit():
        communities.suspend_member(actor=moderator, membership=targeted, until=until, reason=REASON)
    assert fresh(targeted).state == MembershipState.SUSPENDED
    [entry] = entries("member.suspended")
    assert (entry.actor_id, entry.subject_id, entry.target, entry.reason) == (
        moderator.pk,
        targeted.user_id,
        targeted,
        REASON,
    )
    assert entry.data["until"] == until.isoformat()


def test_a_suspension_ending_in_the_past_is_refused(targeted, moderator, refused):
    with refused(Invalid):
        communities.suspend_member(
            actor=moderator, membership=targeted, until=timezone.now() - timedelta(hours=1), reason=REASON
        )


def test_suspending_the_owner_is_not_allowed(owner, boss, refused):
    with refused(NotAllowed):
        communities.suspend_member(actor=boss, membership=owner, until=soon(), reason=REASON)


def test_banning_the_owner_is_not_allowed_even_for_another_owner(owner, person, community, refused):
    other_owner = person(Role.OWNER)
    with refused(NotAllowed):
        communities.ban_member(actor=other_owner, membership=owner, reason=REASON)
    assert fresh(owner).state == MembershipState.ACTIVE


def test_a_ban_needs_a_reason(targeted, boss, refused):
    with refused(Invalid):
        communities.ban_member(actor=boss, membership=targeted, reason=" ")


def test_a_moderator_may_not_ban(targeted, moderator, refused):
    with refused(NotAllowed):
        communities.ban_member(actor=moderator, membership=targeted, reason=REASON)


def test_a_ban_ends_the_members_sessions_and_revokes_their_tokens(targeted, target, boss, commit):
    token, _raw = create_api_token(user=target, name="Home scripts", scopes=["read"])
    epoch = fresh(target).session_epoch
    with commit():
        communities.ban_member(actor=boss, membership=targeted, reason=REASON)
    assert fresh(targeted).state == MembershipState.BANNED
    assert fresh(target).session_epoch == epoch + 1
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    [entry] = entries("member.banned")
    assert (entry.actor_id, entry.subject_id, entry.reason) == (boss.pk, target.pk, REASON)


def test_banning_twice_is_refused(targeted, boss, refused):
    communities.ban_member(actor=boss, membership=targeted, reason=REASON)
    with refused(Conflict):
        communities.ban_member(actor=boss, membership=targeted, reason=REASON)


def test_reinstating_is_logged(targeted, boss):
    communities.ban_member(actor=boss, membership=targeted, reason=REASON)
    communities.reinstate_member(actor=boss, membership=targeted, reason="Second chance.")
    assert fresh(targeted).state == MembershipState.ACTIVE
    [entry] = entries("member.reinstated")
    assert (entry.subject_id, entry.reason) == (targeted.user_id, "Second chance.")


# --- Rules -----------------------------------------------------------------------------------


def revision(community: Community) -> int:
    return actions.settings_for(community).rules_revision


def test_adding_a_rule_puts_it_last_and_bumps_the_revision(community, boss, commit):
    with commit():
        first = actions.add_rule(actor=boss, community=community, title=" Be kind ", description="Criticise ideas.")
        second = actions.add_rule(actor=boss, community=community, title="Бъдете любезни")
    assert [rule.title for rule in queries.rules_of(community)] == ["Be kind", "Бъдете любезни"]
    assert first.position < second.position
    assert revision(community) == 2
    assert [entry.data["title"] for entry in entries("rule.added")] == ["Be kind", "Бъдете любезни"]


def test_changing_a_rule_bumps_the_revision_but_not_when_nothing_changed(community, boss):
    rule = actions.add_rule(actor=boss, community=community, title="Wees vriendelik")
    actions.update_rule(actor=boss, rule=rule, title="Wees vriendelik", description="")
    assert revision(community) == 1
    actions.update_rule(
        actor=boss, rule=rule, title="Wees altyd vriendelik", description="Ook teenoor die handelsmerk."
    )
    assert revision(community) == 2
    assert fresh(rule).title == "Wees altyd vriendelik"
    assert len(entries("rule.changed")) == 1


def test_removing_a_rule_bumps_the_revision_and_logs_its_words(community, boss):
    rule = actions.add_rule(actor=boss, community=community, title="Sem spam")
    actions.remove_rule(actor=boss, rule=rule)
    assert not Rule.objects.exists()
    assert revision(community) == 2
    [entry] = entries("rule.removed")
    assert entry.data == {"title": "Sem spam", "rule": rule.pk}


def test_moving_a_rule_swaps_it_with_its_neighbour_and_bumps_the_revision(community, boss):
    rules = [actions.add_rule(actor=boss, community=community, title=f"Rule {n}") for n in range(3)]
    moved = actions.move_rule(actor=boss, rule=rules[2], up=True)
    assert [rule.title for rule in moved] == ["Rule 0", "Rule 2", "Rule 1"]
    assert [rule.title for rule in queries.rules_of(community)] == ["Rule 0", "Rule 2", "Rule 1"]
    assert revision(community) == 4
    actions.move_rule(actor=boss, rule=rules[0], up=True)  # already first
    assert revision(community) == 4


def test_a_rule_without_words_is_refused(community, boss, refused):
    actions.settings_for(community)
    with refused(Invalid) as info:
        actions.add_rule(actor=boss, community=community, title="  ")
    assert "title" in info.value.errors


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.MEMBER])
def test_only_managers_manage_rules(community, boss, person, refused, role):
    rule = actions.add_rule(actor=boss, community=community, title="Be kind")
    someone = person(role)
    with refused(NotAllowed):
        actions.add_rule(actor=someone, community=community, title="Mine")
    with refused(NotAllowed):
        actions.update_rule(actor=someone, rule=rule, title="Changed")
    with refused(NotAllowed):
        actions.remove_rule(actor=someone, rule=rule)
    with refused(NotAllowed):
        actions.move_rule(actor=someone, rule=rule, up=False)


def test_joining_accepts_the_rules_as_they_stand(community, boss, commit):
    actions.add_rule(actor=boss, community=community, title="Be kind")
    newcomer = UserFactory()
    with commit():
        communities.join_community(user=newcomer, community=community)
    [acceptance] = RuleAcceptance.objects.filter(user=newcomer)
    assert (acceptance.community, acceptance.revision) == (community, 1)
    assert not queries.needs_to_accept_rules(newcomer, community)


def test_members_must_accept_the_rules_again_after_a_change(community, boss, target):
    rule = actions.add_rule(actor=boss, community=community, title="Be kind")
    assert queries.needs_to_accept_rules(target, community)
    actions.accept_rules(user=target, community=community)
    assert not queries.needs_to_accept_rules(target, community)
    actions.update_rule(actor=boss, rule=rule, title="Be kind, always")
    assert queries.needs_to_accept_rules(target, community)
    actions.accept_rules(user=target, community=community)
    actions.accept_rules(user=target, community=community)  # once per revision
    assert RuleAcceptance.objects.filter(user=target).count() == 2
    assert not queries.needs_to_accept_rules(target, community)


def test_nobody_needs_to_accept_when_there_are_no_rules(community, target):
    assert not queries.needs_to_accept_rules(target, community)


# --- Notes -----------------------------------------------------------------------------------


def test_a_moderator_keeps_a_private_note_on_a_member(community, moderator, target):
    note = actions.add_note(author=moderator, community=community, subject=target, body="  Пише много остро.  ")
    assert (note.body, note.author, note.subject) == ("Пише много остро.", moderator, target)
    assert list(queries.notes_on(moderator, community, target)) == [note]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.AMBASSADOR])
def test_notes_are_only_for_moderators(community, target, person, refused, role):
    someone = person(role, trust_level=4)
    with refused(NotAllowed):
        actions.add_note(author=someone, community=community, subject=target, body="Note.")
    with pytest.raises(NotAllowed):
        queries.notes_on(someone, community, target)


def test_notes_are_only_on_members_of_the_community(community, moderator, refused):
    stranger = MembershipFactory(community=CommunityFactory()).user
    with refused(NotFound):
        actions.add_note(author=moderator, community=community, subject=stranger, body="Note.")


def test_an_empty_note_is_refused(community, moderator, target, refused):
    with refused(Invalid):
        actions.add_note(author=moderator, community=community, subject=target, body="\n ")


def test_a_moderator_of_another_community_may_not_note(community, target, refused):
    elsewhere = MembershipFactory(community=CommunityFactory(), role=Role.MODERATOR).user
    with refused(NotAllowed):
        actions.add_note(author=elsewhere, community=community, subject=target, body="Note.")
    assert not MemberNote.objects.exists()


# --- Settings --------------------------------------------------------------------------------


def test_managers_change_the_settings_and_the_change_is_logged(community, boss):
    changed = actions.update_settings(
        actor=boss, community=community, require_approval=True, approval_posts=3, blocked_words=["a", "b"]
    )
    assert (changed.require_approval, changed.approval_posts) == (True, 3)
    [entry] = entries("settings.changed")
    assert entry.data == {"require_approval": True, "approval_posts": 3, "blocked_words": 2}


@pytest.mark.parametrize(
    "changes",
    [{"approval_posts": 0}, {"hide_weight": 0.5}, {"max_links": 101}, {"blocked_words": 3}, {"colour": "red"}],
)
def test_settings_out_of_bounds_are_refused(community, boss, refused, changes):
    actions.settings_for(community)
    with refused(Invalid):
        actions.update_settings(actor=boss, community=community, **changes)


def test_moderators_may_not_change_the_settings(community, moderator, refused):
    actions.settings_for(community)
    with refused(NotAllowed):
        actions.update_settings(actor=moderator, community=community, require_approval=True)
    assert not ModerationSettings.objects.get(community=community).require_approval


# --- The log is append-only -------------------------------------------------------------------


def test_the_moderation_log_cannot_be_changed_or_deleted(targeted, moderator):
    entry = actions.warn_member(actor=moderator, membership=targeted, reason=REASON)
    entry.reason = "Nothing happened."
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ModerationEntry.objects.filter(pk=entry.pk).update(reason="Nothing happened.")
    with pytest.raises(AppendOnlyError):
        ModerationEntry.objects.all().delete()
    assert ModerationEntry.objects.get(pk=entry.pk).reason == REASON


# --- Telling the member ------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "reason_word"), [("pt", "Motivo:"), ("bg", "Причина:"), ("af", "Rede:")])
def test_the_member_is_emailed_in_their_language_with_the_reason_and_their_record(
    community, moderator, person, commit, locale, reason_word
):
    member = person(Role.MEMBER)
    User.objects.filter(pk=member.pk).update(locale=locale)
    with commit():
        actions.warn_member(actor=moderator, membership=membership_of(member, community), reason="Ofensa grave.")
    [message] = mail.outbox
    assert message.to == [member.email]
    assert community.name in message.subject
    assert f"{reason_word} Ofensa grave." in message.body
    assert reverse("moderation:record", args=[community.slug]) in message.body


def test_the_email_of_a_post_hidden_by_flags_names_the_thread(post, person, commit):
    with commit():
        actions.flag_post(flagger=person(Role.MEMBER, trust_level=4), post=post, reason="abusive")
    [message] = mail.outbox
    assert message.to == [post.author.email]
    assert post.thread.title in message.body


def test_a_moderator_is_not_emailed_about_their_own_action(community, moderator, thread, commit):
    mine = reply_to(thread, moderator, "An off-topic aside of mine.")
    with commit():
        hide_post(actor=moderator, post=mine, reason="Off-topic, my mistake.")
    assert entries("post.hidden")[0].subject_id == moderator.pk
    assert mail.outbox == []


def test_actions_without_a_member_concerned_send_nothing(community, boss, commit):
    with commit():
        actions.add_rule(actor=boss, community=community, title="Be kind")
    assert mail.outbox == []


def test_the_email_task_skips_members_without_an_address_or_account(targeted, target, moderator):
    entry = actions.warn_member(actor=moderator, membership=targeted, reason=REASON)
    User.objects.filter(pk=target.pk).update(is_active=False)
    assert tasks.tell_member.enqueue(entry.pk).return_value is False
    assert tasks.tell_member.enqueue(10**9).return_value is False
    assert mail.outbox == []
