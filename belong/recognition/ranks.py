"""Ranks: the community's ladder of named tiers by points, kept by its managers.

Each change re-derives every member's rank in the same transaction (`ledger.rerank`), so a
balance never points at a rank its total no longer reaches, and members who moved get their
`RankChanged` (which opens or closes the exclusive spaces of space perks).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Community, Membership, MembershipState
from belong.communities.permissions import check
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.validation import reject_unknown_fields, validate_instance
from belong.recognition import ledger
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PointsBalance, Rank
from belong.recognition.permissions import RecognitionAction as Can

RANK_FIELDS = ("name", "min_points", "description")
# Far above any real total, and within every database's integer column.
MAX_THRESHOLD = 1_000_000_000


class Verb:
    RANK_CREATED = "rank.created"
    RANK_UPDATED = "rank.updated"
    RANK_DELETED = "rank.deleted"


def active_members(community_id: int) -> QuerySet[Membership]:
    """Memberships that count as active (a suspension that ran out counts, as in `members_of`)."""
    return Membership.objects.filter(community_id=community_id).filter(
        Q(state=MembershipState.ACTIVE) | Q(state=MembershipState.SUSPENDED, suspended_until__lte=timezone.now())
    )


def _check_threshold(rank: Rank) -> None:
    """Refuse a negative, absurd or already-taken threshold with an error on `min_points`."""
    points = rank.min_points
    if not isinstance(points, int) or isinstance(points, bool):
        raise Invalid(_("Give the points the rank starts at."), errors={"min_points": [_("Enter a whole number.")]})
    if points < 0:
        raise Invalid(_("A rank cannot start below 0 points."), errors={"min_points": [_("Enter 0 or more points.")]})
    if points > MAX_THRESHOLD:
        message = _("A rank starts at %(max)s points at most.") % {"max": MAX_THRESHOLD}
        raise Invalid(message, errors={"min_points": [message]})
    taken = Rank.objects.filter(community_id=rank.community_id, min_points=points).exclude(pk=rank.pk).first()
    if taken is not None:
        message = _("Ranks cannot have overlapping thresholds: “%(rank)s” already starts at %(points)s points.") % {
            "rank": taken.name,
            "points": points,
        }
        raise Invalid(message, errors={"min_points": [message]})


def _save(rank: Rank) -> None:
    """Validate and save; a threshold taken by a concurrent change is the same overlap error."""
    rank.name = (rank.name or "").strip()
    rank.description = (rank.description or "").strip()
    _check_threshold(rank)
    validate_instance(rank, exclude=["community"])
    try:
        with transaction.atomic():
            rank.save()
    except IntegrityError as error:
        message = _("Ranks cannot have overlapping thresholds: another rank starts at %(points)s points.") % {
            "points": rank.min_points
        }
        raise Invalid(message, errors={"min_points": [message]}) from error


@transaction.atomic
def create_rank(*, actor: Any, community: Community, name: str, min_points: int, description: str = "") -> Rank:
    """Add a rank to the ladder and move every member who now holds it."""
    check(actor, Can.MANAGE_RECOGNITION, community)
    ranks_of(community.pk)  # a new ladder starts from the built-in five, as every reader sees it
    rank = Rank(community=community, name=name, min_points=min_points, description=description)
    _save(rank)
    record_activity(
        actor=actor, verb=Verb.RANK_CREATED, target=rank, data={"name": rank.name, "min_points": rank.min_points}
    )
    ledger.rerank(community.pk)
    return rank


@transaction.atomic
def update_rank(*, actor: Any, rank: Rank, **changes: Any) -> Rank:
    """Rename a rank or move its threshold; members are re-ranked at once."""
    check(actor, Can.MANAGE_RECOGNITION, rank.community)
    reject_unknown_fields(changes, RANK_FIELDS)
    rank = Rank.objects.select_for_update().select_related("community").get(pk=rank.pk)
    for field, value in changes.items():
        setattr(rank, field, value)
    _save(rank)
    record_activity(actor=actor, verb=Verb.RANK_UPDATED, target=rank, data={"changed": sorted(changes)})
    if "min_points" in changes:
        ledger.rerank(rank.community_id)
    return rank


@transaction.atomic
def delete_rank(*, actor: Any, rank: Rank) -> None:
    """Remove a rank no perk is tied to; its members fall to the rank below."""
    check(actor, Can.MANAGE_RECOGNITION, rank.community)
    rank = Rank.objects.select_for_update().get(pk=rank.pk)
    used_by = list(Perk.objects.filter(min_rank=rank).values_list("name", flat=True)[:3])
    if used_by:
        raise Conflict(
            _("Perks are unlocked by this rank (%(perks)s): give them another rank first.")
            % {"perks": ", ".join(used_by)}
        )
    if not Rank.objects.filter(community_id=rank.community_id).exclude(pk=rank.pk).exists():
        raise Conflict(_("The ladder needs at least one rank: add another before deleting this one."))
    record_activity(
        actor=actor,
        verb=Verb.RANK_DELETED,
        target=None,
        community=rank.community_id,
        data={"name": rank.name, "min_points": rank.min_points},
    )
    rank.delete()
    ledger.rerank(rank.community_id)


# Reads


def ladder(community: Community) -> QuerySet[Rank]:
    """The ranks from the lowest up, each with how many active members hold it and its active perks.

    Members who never earned a point have no balance row yet: they hold the 0-point rank. Three
    queries whatever the length (the defaults check, the ranks, their perks).
    """
    ranks_of(community.pk)
    members = active_members(community.pk).values("user_id")
    holders = (
        PointsBalance.objects.filter(community=community, rank=OuterRef("pk"), user_id__in=members)
        .order_by()
        .values("rank")
        .annotate(n=Count("pk"))
        .values("n")
    )
    unranked = (
        active_members(community.pk)
        .exclude(user_id__in=PointsBalance.objects.filter(community=community).values("user_id"))
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    newcomers = Coalesce(Subquery(unranked[:1], output_field=IntegerField()), Value(0))
    return (
        Rank.objects.filter(community=community)
        .annotate(
            member_count=Coalesce(Subquery(holders[:1], output_field=IntegerField()), Value(0))
            # Only the 0-point rank takes those without a balance.
            + Case(When(min_points=0, then=newcomers), default=Value(0), output_field=IntegerField())
        )
        .prefetch_related(Prefetch("perks", queryset=Perk.objects.filter(is_active=True).order_by("name", "id")))
        .order_by("min_points", "id")
    )


def get_rank(community: Community, rank_id: int) -> Rank:
    rank = Rank.objects.select_related("community").filter(community=community, pk=rank_id).first()
    if rank is None:
        raise NotFound(_("No such rank."))
    return rank
