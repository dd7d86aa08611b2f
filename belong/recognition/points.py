"""Points: the managers' actions (rules, caps, points given or cancelled by hand) and the reads of a member's points.

Points earned by contributions are awarded by the subscribers (`subscribers/points.py`) through
`ledger.award`; everything here that writes goes through the ledger too, so the balance and rank
move with every entry and the leaderboards see it at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from belong.communities.models import Community, Membership
from belong.communities.permissions import check
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.events import on_commit_publish
from belong.recognition import events, ledger
from belong.recognition.defaults import rank_for, ranks_of, rules_of, settings_of
from belong.recognition.models import (
    MAX_RULE_POINTS,
    EntryKind,
    PointsBalance,
    PointsEntry,
    PointsRule,
    Rank,
    RecognitionSettings,
    RuleKey,
)
from belong.recognition.permissions import RecognitionAction as Can

MAX_MANUAL_POINTS = 1000
MAX_REASON_CHARS = 300
RULE_FIELDS = ("points", "daily_cap")


class Verb:
    POINTS_GIVEN = "points.given"
    POINTS_CANCELLED = "points.cancelled"
    RULES_CHANGED = "points.rules_changed"
    SETTINGS_CHANGED = "points.settings_changed"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why."), errors={"reason": [_("A reason is required.")]})
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid(
            _("The reason is too long."),
            errors={"reason": [_("At most %(count)d characters.") % {"count": MAX_REASON_CHARS}]},
        )
    return reason


def _rule_errors(key: str, change: Any) -> dict[str, list[str]]:
    """What is wrong with one rule's change, by field (`reply.points`); empty if nothing."""
    if key not in RuleKey.values:
        return {key: [_("Unknown rule.")]}
    if not isinstance(change, Mapping):
        return {key: [_("Give the rule's points and daily cap.")]}
    errors: dict[str, list[str]] = {}
    for field in sorted(set(change) - set(RULE_FIELDS)):
        errors[f"{key}.{field}"] = [_("Unknown field.")]
    if "points" in change:
        points = change["points"]
        if not _is_int(points) or not 0 <= points <= MAX_RULE_POINTS:
            errors[f"{key}.points"] = [
                _("A whole number from 0 (off) to %(most)d.") % {"most": MAX_RULE_POINTS},
            ]
    if "daily_cap" in change:
        cap = change["daily_cap"]
        if cap is not None and (not _is_int(cap) or cap < 0):
            errors[f"{key}.daily_cap"] = [_("A whole number from 0 up, or empty for no cap.")]
    return errors


@transaction.atomic
def update_rules(
    *, actor: Any, community: Community, changes: Mapping[str, Mapping[str, Any]]
) -> dict[str, PointsRule]:
    """Change how many points rules earn and their daily caps; all of the changes or none.

    `changes` maps rule keys to `{"points": n, "daily_cap": n or None}` (either may be left out).
    """
    check(actor, Can.MANAGE_RECOGNITION, community)
    errors: dict[str, list[str]] = {}
    for key, change in changes.items():
        errors.update(_rule_errors(str(key), change))
    if errors:
        raise Invalid(_("Some rules could not be changed; nothing was saved."), errors=errors)
    rules = rules_of(community.pk)
    changed: dict[str, dict[str, Any]] = {}
    for key, change in changes.items():
        rule = rules[str(key)]
        fields = [field for field in RULE_FIELDS if field in change and change[field] != getattr(rule, field)]
        for field in fields:
            setattr(rule, field, change[field])
        if fields:
            rule.save(update_fields=fields)
            changed[str(key)] = {field: change[field] for field in fields}
    if changed:
        record_activity(actor=actor, verb=Verb.RULES_CHANGED, community=community, data={"rules": changed})
    return rules


@transaction.atomic
def update_settings(
    *,
    actor: Any,
    community: Community,
    pair_daily_cap: int | None = None,
    leaderboard_includes_staff: bool | None = None,
) -> RecognitionSettings:
    """Change the cap on points between two members a day, and whether staff appear on leaderboards."""
    check(actor, Can.MANAGE_RECOGNITION, community)
    if pair_daily_cap is not None and (not _is_int(pair_daily_cap) or pair_daily_cap < 0):
        raise Invalid(_("The cap cannot be negative."), errors={"pair_daily_cap": [_("A whole number from 0 up.")]})
    if leaderboard_includes_staff is not None and not isinstance(leaderboard_includes_staff, bool):
        raise Invalid(_("Say yes or no."), errors={"leaderboard_includes_staff": [_("Either true or false.")]})
    found = settings_of(community.pk)
    found = RecognitionSettings.objects.select_for_update().get(pk=found.pk)
    wanted = {"pair_daily_cap": pair_daily_cap, "leaderboard_includes_staff": leaderboard_includes_staff}
    changed = {name: value for name, value in wanted.items() if value is not None and getattr(found, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(found, name, value)
        found.save(update_fields=list(changed))
        record_activity(actor=actor, verb=Verb.SETTINGS_CHANGED, target=found, community=community, data=changed)
    return found


@transaction.atomic
def give_points(*, actor: Any, membership: Membership, points: int, reason: str) -> PointsEntry:
    """Give a member points by hand (or take some, with a negative number), with a reason they will see."""
    check(actor, Can.AWARD, membership)
    errors: dict[str, list[str]] = {}
    if not _is_int(points) or points == 0 or abs(points) > MAX_MANUAL_POINTS:
        errors["points"] = [
            _("A whole number from -%(most)d to %(most)d, not 0.") % {"most": MAX_MANUAL_POINTS},
        ]
    try:
        reason = _clean_reason(reason)
    except Invalid as error:
        errors.update(error.errors)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors=errors)
    if not membership.is_active:
        raise Invalid(_("Only active members can be given points."))
    balance = ledger.locked_balance(membership.community_id, membership.user_id)
    entry = PointsEntry.objects.create(
        community_id=membership.community_id,
        user_id=membership.user_id,
        delta=points,
        kind=EntryKind.MANUAL,
        reason=reason,
        awarded_by=actor,
    )
    ledger.apply(balance, points)
    record_activity(
        actor=actor,
        verb=Verb.POINTS_GIVEN,
        target=entry,
        recipient=membership.user_id,
        data={"points": points, "reason": reason},
    )
    on_commit_publish(
        events.PointsGiven(
            community_id=membership.community_id,
            actor_id=actor.pk,
            entry_id=entry.pk,
            user_id=membership.user_id,
            delta=points,
        )
    )
    return entry


@transaction.atomic
def cancel_entry(*, actor: Any, entry: PointsEntry, reason: str) -> PointsEntry:
    """Cancel points given by hand or earned, with a reversing entry; returns that entry.

    Points a manager cancelled stay cancelled: the same contribution does not earn them again.
    """
    membership = Membership.objects.filter(community_id=entry.community_id, user_id=entry.user_id).first()
    if membership is not None:
        check(actor, Can.AWARD, membership)
    else:
        check(actor, Can.MANAGE_RECOGNITION, Community.objects.get(pk=entry.community_id))
    reason = _clean_reason(reason)
    balance = ledger.locked_balance(entry.community_id, entry.user_id)
    entry = PointsEntry.objects.select_related(None).get(pk=entry.pk)  # read again under the lock
    if entry.kind == EntryKind.REVERSAL:
        raise Conflict(_("This line cancels another one; it cannot be cancelled itself."))
    if PointsEntry.objects.filter(reverses=entry).exists():
        raise Conflict(_("These points were cancelled already."))
    reversal = ledger.reverse_entry(entry, balance, by=actor.pk, reason=reason)
    record_activity(
        actor=actor,
        verb=Verb.POINTS_CANCELLED,
        target=entry,
        recipient=entry.user_id,
        data={"points": -entry.delta, "reason": reason, "reversal": reversal.pk},
    )
    on_commit_publish(
        events.PointsGiven(
            community_id=entry.community_id,
            actor_id=actor.pk,
            entry_id=reversal.pk,
            user_id=entry.user_id,
            delta=reversal.delta,
        )
    )
    return reversal


# Reads


def standing_of(community_id: int, user_id: int) -> tuple[int, Rank | None]:
    """The member's total and rank in the community (the lowest rank for someone with no points yet)."""
    balance = PointsBalance.objects.select_related("rank").filter(community_id=community_id, user_id=user_id).first()
    if balance is not None:
        return balance.total, balance.rank
    return 0, rank_for(ranks_of(community_id), 0)


def history_of(community_id: int, user_id: int) -> QuerySet[PointsEntry]:
    """The member's ledger, newest first, each line with who gave it, its space, and whether it was cancelled."""
    return (
        PointsEntry.objects.filter(community_id=community_id, user_id=user_id)
        .select_related("awarded_by", "giver", "space", "reversal", "reverses")
        .order_by("-created_at", "-id")
    )


def get_entry(community: Community, entry_id: int) -> PointsEntry:
    entry = PointsEntry.objects.filter(community=community, pk=entry_id).first()
    if entry is None:
        raise NotFound(_("No such points entry."))
    return entry


def rule_label(rule: str) -> str:
    """A rule's name in the reader's language (the key itself for a rule no longer known)."""
    return str(RuleKey(rule).label) if rule in RuleKey.values else rule


def entry_label(entry: PointsEntry) -> str:
    """What a line of the ledger was for, in the reader's language ("Cancelled: Answer accepted")."""
    if entry.kind == EntryKind.REVERSAL and entry.reverses is not None:
        return _("Cancelled: %(what)s") % {"what": entry_label(entry.reverses)}
    if entry.kind == EntryKind.AWARD and entry.rule:
        return rule_label(entry.rule)
    return str(EntryKind(entry.kind).label)
