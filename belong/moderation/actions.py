"""Every moderation state change: rules, flags, the review queue, warnings and silences, appeals, notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.actions import reinstate_member
from belong.communities.models import Community, Membership, MembershipState, Role
from belong.communities.permissions import check, forget_memberships, membership_for
from belong.conversations.actions import delete_post, edit_post, moderate_thread
from belong.conversations.models import Post, Thread
from belong.conversations.moderation import (
    announce_mentions,
    hide_post_for_review,
    require_reason,
    set_post_visibility,
)
from belong.core.activity import record_activity
from belong.core.audit import record_moderation
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.models import ModerationEntry
from belong.core.screening import Screening
from belong.core.validation import reject_unknown_fields, validate_instance
from belong.moderation.models import (
    DECISION_STATES,
    Appeal,
    AppealState,
    Decision,
    Flag,
    FlagReason,
    MemberNote,
    ModerationSettings,
    ReviewItem,
    ReviewSource,
    ReviewState,
    Rule,
    RuleAcceptance,
)
from belong.moderation.permissions import ModerationAction as Can

# A claim keeps other moderators off an item for this long, so an abandoned claim frees itself.
CLAIM_MINUTES = 30

# How much one flag weighs, by the flagger's trust level; moderators' flags hide at once.
FLAG_WEIGHTS = {0: 0.5, 1: 1.0, 2: 1.5, 3: 2.0, 4: 3.0}
MODERATOR_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.STAFF, Role.MODERATOR})

# Which screening codes belong to which source of the queue.
SIGNAL_SOURCES = {
    "repeated": ReviewSource.SPAM,
    "links": ReviewSource.SPAM,
    "approval": ReviewSource.APPROVAL,
    "profanity": ReviewSource.SIGNAL,
    "toxic": ReviewSource.SIGNAL,
}

# Sources of the items the screener holds as the post is written (its mentions wait for the decision).
SCREENED_SOURCES = frozenset({ReviewSource.SPAM, ReviewSource.APPROVAL})

# Entries a member may appeal (what was done against them), and how granting an appeal undoes each.
APPEALABLE = frozenset(
    {
        "post.hidden",
        "thread.hidden",
        "thread.locked",
        "thread.moved",
        "thread.merged",
        "thread.split",
        "member.warned",
        "member.silenced",
        "member.suspended",
        "member.banned",
        "review.rejected",
        "review.hidden",
        "review.edited",
    }
)

# Entries the member concerned is e-mailed about (an appeal's answer too; not rule edits or settings).
ACTIONS_TOLD = APPEALABLE | {
    "post.unhidden",
    "thread.unhidden",
    "thread.unlocked",
    "member.reinstated",
    "member.unsilenced",
    "review.approved",
    "appeal.granted",
    "appeal.denied",
}

SETTINGS_FIELDS = ("require_approval", "approval_posts", "hide_weight", "blocked_words", "max_links")
MAX_BLOCKED_WORDS = 500
MAX_RULES = 50


def settings_for(community: Community) -> ModerationSettings:
    """The community's moderation settings, created with the defaults on first use."""
    found, _created = ModerationSettings.objects.get_or_create(community=community)
    return found


def _clean_words(words: Any) -> list[str]:
    if isinstance(words, str):
        words = words.replace(",", "\n").splitlines()
    if not isinstance(words, list | tuple) or not all(isinstance(word, str) for word in words):
        message = _("Give the blocked words as a list of words.")
        raise Invalid(message, errors={"blocked_words": [message]})
    cleaned = sorted({word.strip().lower() for word in words if word.strip()})
    if len(cleaned) > MAX_BLOCKED_WORDS or any(len(word) > 60 for word in cleaned):
        message = _("Up to %(count)d words of at most 60 characters each.") % {"count": MAX_BLOCKED_WORDS}
        raise Invalid(message, errors={"blocked_words": [message]})
    return cleaned


@transaction.atomic
def update_settings(*, actor: Any, community: Community, **changes: Any) -> ModerationSettings:
    """Change how the community is moderated (managers)."""
    check(actor, Can.MANAGE_MODERATION_SETTINGS, community)
    reject_unknown_fields(changes, SETTINGS_FIELDS)
    found = ModerationSettings.objects.select_for_update().get(pk=settings_for(community).pk)
    if "blocked_words" in changes:
        changes["blocked_words"] = _clean_words(changes["blocked_words"])
    for name, value in changes.items():
        setattr(found, name, value)
    validate_instance(found)
    found.save()
    record_moderation(
        actor=actor,
        action="settings.changed",
        community=community,
        data={name: value for name, value in changes.items() if name != "blocked_words"}
        | ({"blocked_words": len(changes["blocked_words"])} if "blocked_words" in changes else {}),
    )
    return found


# --- rules -----------------------------------------------------------------------------------


def _bump_revision(community: Community) -> None:
    ModerationSettings.objects.filter(pk=settings_for(community).pk).update(rules_revision=F("rules_revision") + 1)


def _clean_rule(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        message = _("Write the rule.")
        raise Invalid(message, errors={"title": [message]})
    return title, description


@transaction.atomic
def add_rule(*, actor: Any, community: Community, title: str, description: str = "") -> Rule:
    """Add a rule at the end of the list."""
    check(actor, Can.MANAGE_RULES, community)
    title, description = _clean_rule(title, description)
    rules = Rule.objects.select_for_update().filter(community=community)
    if rules.count() >= MAX_RULES:
        raise Conflict(_("A community has at most %(count)d rules.") % {"count": MAX_RULES})
    last = rules.order_by("-position").values_list("position", flat=True).first()
    rule = Rule(community=community, title=title, description=description, position=(last or 0) + 1)
    validate_instance(rule)
    rule.save()
    _bump_revision(community)
    record_moderation(actor=actor, action="rule.added", community=community, target=rule, data={"title": title})
    return rule


@transaction.atomic
def update_rule(*, actor: Any, rule: Rule, title: str, description: str = "") -> Rule:
    rule = Rule.objects.select_for_update().select_related("community").get(pk=rule.pk)
    check(actor, Can.MANAGE_RULES, rule.community)
    title, description = _clean_rule(title, description)
    if (title, description) == (rule.title, rule.description):
        return rule
    rule.title, rule.description = title, description
    validate_instance(rule)
    rule.save()
    _bump_revision(rule.community)
    record_moderation(actor=actor, action="rule.changed", community=rule.community, target=rule, data={"title": title})
    return rule


@transaction.atomic
def remove_rule(*, actor: Any, rule: Rule) -> None:
    """Remove a rule; flags that cited it keep its words."""
    rule = Rule.objects.select_for_update().select_related("community").get(pk=rule.pk)
    check(actor, Can.MANAGE_RULES, rule.community)
    record_moderation(
        actor=actor, action="rule.removed", community=rule.community, data={"title": rule.title, "rule": rule.pk}
    )
    rule.delete()
    _bump_revision(rule.community)


@transaction.atomic
def move_rule(*, actor: Any, rule: Rule, up: bool) -> list[Rule]:
    """Swap a rule with its neighbour above (or below); return the list in its new order."""
    community = rule.community
    check(actor, Can.MANAGE_RULES, community)
    rules = list(Rule.objects.select_for_update().filter(community=community).order_by("position", "id"))
    index = next((i for i, each in enumerate(rules) if each.pk == rule.pk), None)
    if index is None:
        raise NotFound(_("No such rule."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(rules):
        rules[index], rules[other] = rules[other], rules[index]
        for position, each in enumerate(rules, start=1):
            if each.position != position:
                each.position = position
                each.save(update_fields=["position", "updated_at"])
        _bump_revision(community)
    return rules


@transaction.atomic
def accept_rules(*, user: Any, community: Community) -> RuleAcceptance:
    """Record that the member accepted the rules as they stand now."""
    revision = settings_for(community).rules_revision
    acceptance, created = RuleAcceptance.objects.get_or_create(community=community, user=user, revision=revision)
    if created:
        record_activity(actor=user, verb="rules.accepted", community=community, data={"revision": revision})
    return acceptance


# --- the review queue ------------------------------------------------------------------------


def enqueue_review(
    *,
    post: Post,
    sources: Sequence[str],
    signals: Sequence[str] = (),
    weight: float = 0.0,
) -> ReviewItem:
    """Put a post in the queue, or add to the item already waiting for it (one pending item per post)."""
    item = ReviewItem.objects.select_for_update().filter(post=post, state=ReviewState.PENDING).first()
    if item is None:
        try:
            with transaction.atomic():
                item = ReviewItem.objects.create(
                    community_id=post.community_id,
                    post=post,
                    sources=sorted(set(sources)),
                    signals=sorted(set(signals)),
                    flag_weight=weight,
                )
            return item
        except IntegrityError:  # another request queued it a moment ago
            item = ReviewItem.objects.select_for_update().get(post=post, state=ReviewState.PENDING)
    item.sources = sorted(set(item.sources) | set(sources))
    item.signals = sorted(set(item.signals) | set(signals))
    item.flag_weight += weight
    item.save(update_fields=["sources", "signals", "flag_weight", "updated_at"])
    return item


def hold_for_review(*, post: Post, screening: Screening) -> ReviewItem:
    """The screener's hold: the post is hidden by its writer; queue it with the checks' reasons."""
    sources = [SIGNAL_SOURCES.get(code, ReviewSource.SPAM) for code in screening.reasons]
    return enqueue_review(post=post, sources=sources, signals=list(screening.reasons))


@transaction.atomic
def record_signals(*, post_id: int, reasons: list[str]) -> ReviewItem | None:
    """Queue a post insights found profane or toxic; it stays visible until a moderator decides."""
    post = Post.objects.filter(pk=post_id, deleted_at__isnull=True).first()
    if post is None or not reasons:
        return None
    # A moderator who already decided on this text has seen the signals; only an edit brings it back.
    looked = ReviewItem.objects.filter(post=post).exclude(state=ReviewState.PENDING)
    if post.edited_at is not None:
        looked = looked.filter(decided_at__gte=post.edited_at)
    if looked.exists():
        return None
    return enqueue_review(post=post, sources=[ReviewSource.SIGNAL], signals=reasons)


def _flag_weight(user: Any, community: Community, hide_weight: float) -> float:
    membership = membership_for(user, community)
    if getattr(user, "is_superuser", False) or (membership is not None and membership.role in MODERATOR_ROLES):
        return hide_weight
    return FLAG_WEIGHTS.get(membership.trust_level if membership else 0, 1.0)


@transaction.atomic
def flag_post(*, flagger: Any, post: Post, reason: str, rule: Rule | None = None, text: str = "") -> Flag:
    """Flag a post for the moderators; enough weight of flags hides it until they decide."""
    post = Post.objects.select_for_update().select_related("thread", "thread__space", "community").get(pk=post.pk)
    if post.author_id is not None and post.author_id == getattr(flagger, "pk", None):
        raise Invalid(_("You cannot flag your own post; edit or delete it instead."))
    check(flagger, Can.FLAG_POST, post)
    if reason not in FlagReason.values:
        message = _("Pick one of the listed reasons.")
        raise Invalid(message, errors={"reason": [message]})
    text = (text or "").strip()
    if reason == FlagReason.RULE and (rule is None or rule.community_id != post.community_id):
        message = _("Pick the rule the post breaks.")
        raise Invalid(message, errors={"rule": [message]})
    if reason == FlagReason.OTHER and not text:
        message = _("Say what is wrong with the post.")
        raise Invalid(message, errors={"text": [message]})
    if len(text) > 1000:
        message = _("Keep it under 1,000 characters.")
        raise Invalid(message, errors={"text": [message]})
    if Flag.objects.filter(post=post, flagger=flagger).exists():
        raise Conflict(_("You have flagged this post already; the moderators will look at it."))
    moderation = settings_for(post.community)
    weight = _flag_weight(flagger, post.community, moderation.hide_weight)
    item = enqueue_review(post=post, sources=[ReviewSource.FLAGS], weight=weight)
    flag = Flag.objects.create(
        community_id=post.community_id,
        post=post,
        item=item,
        flagger=flagger,
        reason=reason,
        rule=rule if reason == FlagReason.RULE else None,
        rule_title=rule.title if rule is not None and reason == FlagReason.RULE else "",
        text=text,
        weight=weight,
    )
    record_activity(actor=flagger, verb="post.flagged", target=post, data={"reason": reason})
    if item.flag_weight >= moderation.hide_weight and not post.is_hidden:
        hide_post_for_review(post=post, reason=_("Hidden by members' flags until a moderator reviews it."))
    return flag


def _locked_item(item: ReviewItem) -> ReviewItem:
    item = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("post", "post__thread", "post__thread__space", "community")
        .get(pk=item.pk)
    )
    if not item.is_pending:
        raise Conflict(_("This item was resolved already: %(state)s.") % {"state": item.get_state_display()})
    return item


def _claimed_by_other(item: ReviewItem, moderator: Any) -> bool:
    if item.claimed_by_id is None or item.claimed_by_id == moderator.pk or item.claimed_at is None:
        return False
    return item.claimed_at > timezone.now() - timedelta(minutes=CLAIM_MINUTES)


@transaction.atomic
def claim_item(*, moderator: Any, item: ReviewItem) -> ReviewItem:
    """Take an item so no other moderator works on it at the same time."""
    item = _locked_item(item)
    check(moderator, Can.REVIEW, item.community)
    if _claimed_by_other(item, moderator):
        raise Conflict(_("Another moderator is reviewing this item."))
    item.claimed_by = moderator
    item.claimed_at = timezone.now()
    item.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return item


@transaction.atomic
def release_item(*, moderator: Any, item: ReviewItem) -> ReviewItem:
    """Give an item back to the queue."""
    item = _locked_item(item)
    check(moderator, Can.REVIEW, item.community)
    if item.claimed_by_id != moderator.pk:
        raise Conflict(_("You have not claimed this item."))
    item.claimed_by = None
    item.claimed_at = None
    item.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return item


@transaction.atomic
def decide_item(
    *, moderator: Any, item: ReviewItem, decision: str, reason: str = "", body: str | None = None
) -> ReviewItem:
    """Approve (show it), reject (remove it), edit (fix and show it) or hide a queued post, with a reason."""
    item = _locked_item(item)
    check(moderator, Can.REVIEW, item.community)
    if decision not in Decision.values:
        message = _("Pick approve, reject, edit or hide.")
        raise Invalid(message, errors={"decision": [message]})
    if _claimed_by_other(item, moderator):
        raise Conflict(_("Another moderator is reviewing this item."))
    reason = reason.strip() if decision == Decision.APPROVE else require_reason(reason)
    post = item.post
    # The screener held it when it was written, so those it mentions were never told; they are on approval.
    unannounced = post.is_hidden and post.edited_at is None and bool(set(item.sources) & SCREENED_SOURCES)
    if decision == Decision.EDIT:
        if not (body or "").strip():
            message = _("Write the corrected text.")
            raise Invalid(message, errors={"body": [message]})
        post = edit_post(editor=moderator, post=post, body=body or "")
        set_post_visibility(post, hidden=False)
    elif decision == Decision.APPROVE:
        set_post_visibility(post, hidden=False)
    elif decision == Decision.HIDE:
        set_post_visibility(post, hidden=True)
    elif not post.is_deleted:
        set_post_visibility(post, hidden=True)
        delete_post(actor=moderator, post=post)
    if unannounced and decision in (Decision.APPROVE, Decision.EDIT):
        announce_mentions(post)
    item.state = DECISION_STATES[Decision(decision)]
    item.decided_by = moderator
    item.decided_at = timezone.now()
    item.reason = reason
    item.save(update_fields=["state", "decided_by", "decided_at", "reason", "updated_at"])
    record_moderation(
        actor=moderator,
        action=f"review.{item.state}",
        community=item.community,
        subject=post.author_id,
        target=post,
        reason=reason,
        data={"thread": post.thread_id, "title": post.thread.title, "item": item.pk, "sources": item.sources},
    )
    return item


# --- members ---------------------------------------------------------------------------------


def _locked_membership(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)


@transaction.atomic
def warn_member(*, actor: Any, membership: Membership, reason: str) -> ModerationEntry:
    """Tell a member, on the record, that they went too far; nothing else changes."""
    membership = _locked_membership(membership)
    check(actor, Can.WARN_MEMBER, membership)
    reason = require_reason(reason)
    if membership.state not in (MembershipState.ACTIVE, MembershipState.SUSPENDED):
        raise Conflict(_("Only current members can be warned."))
    return record_moderation(
        actor=actor,
        action="member.warned",
        community=membership.community,
        subject=membership.user_id,
        target=membership,
        reason=reason,
    )


@transaction.atomic
def silence_member(*, actor: Any, membership: Membership, until: datetime, reason: str) -> Membership:
    """Let a member read and react but not post until a date."""
    membership = _locked_membership(membership)
    if membership.role == Role.OWNER:
        raise Invalid(_("An owner cannot be silenced."))
    check(actor, Can.SILENCE_MEMBER, membership)
    reason = require_reason(reason)
    if until <= timezone.now():
        message = _("The silence must end in the future.")
        raise Invalid(message, errors={"until": [_("Pick a later date.")]})
    if membership.state not in (MembershipState.ACTIVE, MembershipState.SUSPENDED):
        raise Conflict(_("Only current members can be silenced."))
    membership.silenced_until = until
    membership.save(update_fields=["silenced_until", "updated_at"])
    forget_memberships(membership.user)
    record_moderation(
        actor=actor,
        action="member.silenced",
        community=membership.community,
        subject=membership.user_id,
        target=membership,
        reason=reason,
        data={"until": until.isoformat()},
    )
    return membership


@transaction.atomic
def unsilence_member(*, actor: Any, membership: Membership, reason: str = "") -> Membership:
    membership = _locked_membership(membership)
    check(actor, Can.SILENCE_MEMBER, membership)
    if membership.silenced_until is None or membership.silenced_until <= timezone.now():
        raise Conflict(_("This member is not silenced."))
    membership.silenced_until = None
    membership.save(update_fields=["silenced_until", "updated_at"])
    forget_memberships(membership.user)
    record_moderation(
        actor=actor,
        action="member.unsilenced",
        community=membership.community,
        subject=membership.user_id,
        target=membership,
        reason=reason.strip(),
    )
    return membership


@transaction.atomic
def add_note(*, author: Any, community: Community, subject: Any, body: str) -> MemberNote:
    """Keep a private note on a member, for the community's moderators and managers only."""
    check(author, Can.NOTE_MEMBER, community)
    body = (body or "").strip()
    if not body:
        message = _("Write the note.")
        raise Invalid(message, errors={"body": [message]})
    if not Membership.objects.filter(community=community, user=subject).exists():
        raise NotFound(_("No such member."))
    note = MemberNote(community=community, subject=subject, author=author, body=body)
    validate_instance(note)
    note.save()
    return note


# --- appeals ---------------------------------------------------------------------------------


@transaction.atomic
def appeal(*, user: Any, entry: ModerationEntry, text: str) -> Appeal:
    """Ask the moderators to undo an action taken against you; once per action."""
    check(user, Can.APPEAL, entry)
    if entry.action not in APPEALABLE:
        raise Invalid(_("There is nothing to appeal in this entry."))
    text = (text or "").strip()
    if not text:
        message = _("Say why the action should be undone.")
        raise Invalid(message, errors={"text": [message]})
    if Appeal.objects.filter(entry=entry).exists():
        raise Conflict(_("You have appealed this action already; each action can be appealed once."))
    found = Appeal(entry=entry, community_id=entry.community_id, appellant=user, text=text)
    validate_instance(found)
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError:
        raise Conflict(_("You have appealed this action already; each action can be appealed once.")) from None
    record_activity(actor=user, verb="appeal.made", community=entry.community, data={"entry": entry.pk})
    return found


def _undo(actor: Any, entry: ModerationEntry, reason: str) -> None:
    """Reverse what an entry did, where that is possible and still needed."""
    target = entry.target
    if isinstance(target, Post):
        if entry.action == "review.rejected" and target.is_deleted:
            Post.objects.filter(pk=target.pk).update(deleted_at=None)
            if not target.is_opening:
                Thread.objects.filter(pk=target.thread_id).update(reply_count=F("reply_count") + 1)
        if target.is_hidden or entry.action == "review.rejected":
            set_post_visibility(target, hidden=False)
    elif isinstance(target, Thread):
        if entry.action == "thread.hidden" and target.is_hidden:
            moderate_thread(actor=actor, thread=target, hidden=False, reason=reason)
        elif entry.action == "thread.locked" and target.is_locked:
            moderate_thread(actor=actor, thread=target, locked=False, reason=reason)
    elif isinstance(target, Membership):
        if entry.action in ("member.suspended", "member.banned") and target.state in (
            MembershipState.SUSPENDED,
            MembershipState.BANNED,
        ):
            reinstate_member(actor=actor, membership=target, reason=reason)
        elif entry.action == "member.silenced" and target.silenced_until and target.silenced_until > timezone.now():
            unsilence_member(actor=actor, membership=target, reason=reason)


@transaction.atomic
def decide_appeal(*, moderator: Any, appeal: Appeal, grant: bool, reason: str) -> Appeal:
    """Grant an appeal (the action is undone where it can be) or deny it, with a reason the member reads."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("entry", "community", "appellant")
        .get(pk=appeal.pk)
    )
    check(moderator, Can.DECIDE_APPEAL, appeal.community)
    if appeal.state != AppealState.OPEN:
        raise Conflict(_("This appeal was decided already."))
    reason = require_reason(reason)
    if grant:
        _undo(moderator, appeal.entry, reason)
    appeal.state = AppealState.GRANTED if grant else AppealState.DENIED
    appeal.decided_by = moderator
    appeal.decided_at = timezone.now()
    appeal.decision_reason = reason
    appeal.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"])
    record_moderation(
        actor=moderator,
        action=f"appeal.{appeal.state}",
        community=appeal.community,
        subject=appeal.appellant_id,
        target=appeal,
        reason=reason,
        data={"entry": appeal.entry_id, "action": appeal.entry.action},
    )
    return appeal
