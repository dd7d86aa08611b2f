"""The points ledger: award by a rule, reverse, and keep each member's balance and rank beside it.

Every write locks the member's balance row first, so awards to one member are serialised: the
idempotency check (is this source already live?), the daily caps and the balance all see the
same ledger. Entries are never changed; a reversal is a new entry pointing at the one it cancels.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from belong.core.events import on_commit_publish
from belong.recognition import events
from belong.recognition.defaults import rank_for, ranks_of, rules_of, settings_of
from belong.recognition.models import EntryKind, PointsBalance, PointsEntry


def start_of_day(at: dt.datetime | None = None) -> dt.datetime:
    """Midnight of the day of `at` (default now) in the site's time zone: daily caps reset then."""
    return timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)


def locked_balance(community_id: int, user_id: int) -> PointsBalance:
    """The member's balance row, created if missing, locked for the rest of the transaction.

    A new row starts at the rank of 0 points (where everyone stands before earning anything), so a
    member's first points do not announce a `RankChanged` to the lowest rank.
    """
    locked = PointsBalance.objects.select_for_update()
    found = locked.filter(community_id=community_id, user_id=user_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            PointsBalance.objects.create(
                community_id=community_id, user_id=user_id, rank=rank_for(ranks_of(community_id), 0)
            )
    except IntegrityError:
        pass  # created by a concurrent award: lock it below
    return locked.get(community_id=community_id, user_id=user_id)


def is_live(community_id: int, user_id: int, source: str) -> bool:
    """Whether points for `source` stand: awarded and not reversed."""
    return PointsEntry.objects.filter(
        community_id=community_id, user_id=user_id, source=source, kind=EntryKind.AWARD, reversal__isnull=True
    ).exists()


def was_cancelled(community_id: int, user_id: int, source: str) -> bool:
    """Whether a manager cancelled points for `source` (with a reason): replaying the event must not bring them back."""
    return (
        PointsEntry.objects.filter(community_id=community_id, user_id=user_id, source=source, kind=EntryKind.REVERSAL)
        .exclude(reason="")
        .exists()
    )


def _net_on_day(community_id: int, user_id: int, condition: Q, at: dt.datetime | None) -> int:
    day = start_of_day(at)
    total = (
        PointsEntry.objects.filter(
            condition,
            community_id=community_id,
            user_id=user_id,
            created_at__gte=day,
            created_at__lt=day + dt.timedelta(days=1),
        )
        .exclude(kind=EntryKind.MANUAL)
        .aggregate(total=Sum("delta"))["total"]
    )
    return int(total or 0)


@transaction.atomic
def award(
    *,
    community_id: int,
    user_id: int | None,
    rule: str,
    source: str,
    giver_id: int | None = None,
    space_id: int | None = None,
    at: dt.datetime | None = None,
) -> PointsEntry | None:
    """Award the points of `rule` for `source`, once, within the rule's daily cap and the pair cap.

    `at` dates the entry when history is replayed (`recognition_backfill`); the caps then count that day.

    Returns the entry, or None when nothing was due: no receiver, the rule is off, the receiver
    gave it to themselves, `source` already earned points (or a manager cancelled them), or a cap is reached.
    """
    if user_id is None or (giver_id is not None and giver_id == user_id):
        return None
    the_rule = rules_of(community_id).get(rule)
    if the_rule is None or the_rule.points == 0:
        return None
    balance = locked_balance(community_id, user_id)
    if is_live(community_id, user_id, source) or was_cancelled(community_id, user_id, source):
        return None
    points = the_rule.points
    if the_rule.daily_cap is not None:
        points = min(points, the_rule.daily_cap - _net_on_day(community_id, user_id, Q(rule=rule), at))
    if giver_id is not None:
        pair_cap = settings_of(community_id).pair_daily_cap
        points = min(points, pair_cap - _net_on_day(community_id, user_id, Q(giver_id=giver_id), at))
    if points <= 0:
        return None
    entry = PointsEntry.objects.create(
        community_id=community_id,
        user_id=user_id,
        delta=points,
        kind=EntryKind.AWARD,
        rule=rule,
        source=source,
        giver_id=giver_id,
        space_id=space_id,
        created_at=at or timezone.now(),
    )
    apply(balance, points)
    return entry


@transaction.atomic
def reverse(*, community_id: int, source: str, prefix: bool = False, user_id: int | None = None) -> list[PointsEntry]:
    """Cancel every live award for `source` (or every source starting with it) with reversing entries.

    Reversing twice is harmless: a reversed award has its reversal and is not found again.
    """
    condition = Q(source__startswith=source) if prefix else Q(source=source)
    if user_id is not None:
        condition &= Q(user_id=user_id)
    live = PointsEntry.objects.filter(condition, community_id=community_id, kind=EntryKind.AWARD, reversal__isnull=True)
    reversals = []
    for user in sorted(set(live.values_list("user_id", flat=True))):
        balance = locked_balance(community_id, user)
        for entry in live.filter(user_id=user).order_by("id"):  # read again under the lock
            reversals.append(reverse_entry(entry, balance))
    return reversals


def reverse_entry(
    entry: PointsEntry, balance: PointsBalance, *, by: int | None = None, reason: str = ""
) -> PointsEntry:
    """Write the entry that cancels `entry` (the caller holds the balance's lock)."""
    reversal = PointsEntry.objects.create(
        community_id=entry.community_id,
        user_id=entry.user_id,
        delta=-entry.delta,
        kind=EntryKind.REVERSAL,
        rule=entry.rule,
        source=entry.source,
        giver_id=entry.giver_id,
        space_id=entry.space_id,
        reverses=entry,
        awarded_by_id=by,
        reason=reason,
    )
    apply(balance, -entry.delta)
    return reversal


def apply(balance: PointsBalance, delta: int) -> None:
    """Move the locked balance by `delta`, re-derive the rank, and let the leaderboards know."""
    balance.total += delta
    previous_rank_id = balance.rank_id
    rank = rank_for(ranks_of(balance.community_id), balance.total)
    balance.rank = rank
    balance.save(update_fields=["total", "rank", "updated_at"])
    community_id = balance.community_id
    transaction.on_commit(lambda: ledger_changed(community_id))
    if balance.rank_id != previous_rank_id:
        previous_floor = _floor(previous_rank_id)
        on_commit_publish(
            events.RankChanged(
                community_id=community_id,
                user_id=balance.user_id,
                rank_id=balance.rank_id,
                previous_rank_id=previous_rank_id,
                up=rank is not None and (previous_floor is None or rank.min_points > previous_floor),
            )
        )


def _floor(rank_id: int | None) -> int | None:
    if rank_id is None:
        return None
    from belong.recognition.models import Rank

    return Rank.objects.filter(pk=rank_id).values_list("min_points", flat=True).first()


def rerank(community_id: int) -> int:
    """Re-derive every balance's rank after the ranks changed; returns how many moved."""
    ranks = ranks_of(community_id)
    moved = 0
    with transaction.atomic():
        for balance in PointsBalance.objects.select_for_update().filter(community_id=community_id):
            rank = rank_for(ranks, balance.total)
            if (rank.pk if rank else None) != balance.rank_id:
                previous = balance.rank_id
                balance.rank = rank
                balance.save(update_fields=["rank", "updated_at"])
                moved += 1
                on_commit_publish(
                    events.RankChanged(
                        community_id=community_id,
                        user_id=balance.user_id,
                        rank_id=balance.rank_id,
                        previous_rank_id=previous,
                        up=rank is not None and (_floor(previous) or -1) < rank.min_points,
                    )
                )
    transaction.on_commit(lambda: ledger_changed(community_id))
    return moved


@transaction.atomic
def rebuild_balances(community_id: int) -> int:
    """Recompute every balance of the community from the ledger (the totals are derived, never trusted)."""
    sums = dict(
        PointsEntry.objects.filter(community_id=community_id)
        .values_list("user_id")
        .annotate(total=Sum("delta"))
        .values_list("user_id", "total")
    )
    changed = 0
    for user_id, total in sums.items():
        balance = locked_balance(community_id, user_id)
        if balance.total != total:
            balance.total = int(total or 0)
            balance.save(update_fields=["total", "updated_at"])
            changed += 1
    rerank(community_id)
    return changed


# The leaderboards cache what they read under a per-community version, bumped by every change.
def _version_key(community_id: int) -> str:
    return f"recognition:ledger-version:{community_id}"


# A lost version restarts from the clock, so it never falls back to a number already used.
def ledger_version(community_id: int) -> int:
    version = cache.get(_version_key(community_id))
    if version is None:
        cache.add(_version_key(community_id), time.time_ns(), timeout=None)
        version = cache.get(_version_key(community_id), 0)
    return int(version)


def ledger_changed(community_id: int) -> None:
    try:
        cache.incr(_version_key(community_id))
    except ValueError:
        cache.add(_version_key(community_id), time.time_ns(), timeout=None)
