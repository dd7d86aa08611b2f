"""Leaderboards: who earned the most points this week, this month or ever, in the community or one space.

Cheap to read: the community's all-time board reads the balances through their ranking index,
the others sum the ledger's lines of the window; every result is cached under the ledger's
version (`ledger.ledger_version`), which each entry bumps after commit, so a reversal shows at
once while unchanged boards are served from the cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import Community, Membership, MembershipState, Space
from belong.communities.permissions import BRAND, MODERATORS
from belong.core.errors import Invalid
from belong.recognition import ledger
from belong.recognition.defaults import settings_of
from belong.recognition.models import PointsBalance, PointsEntry

Period = Literal["week", "month", "all"]
PERIODS: tuple[Period, ...] = ("week", "month", "all")
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# The version in the key makes entries stale at once; the timeout only frees memory.
CACHE_SECONDS = 60 * 60
STAFF_ROLES = BRAND | MODERATORS


@dataclass(frozen=True)
class Standing:
    """A place on a leaderboard: members with equal points share a position and are listed by id."""

    position: int
    user: User
    points: int


def period_start(period: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Where the period began in the current time zone: Monday 00:00, the 1st at 00:00, or None for all time."""
    if period not in PERIODS:
        raise Invalid(_("Unknown period."), errors={"period": [_("Pick week, month or all.")]})
    if period == "all":
        return None
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # Aware arithmetic with zoneinfo is wall-clock arithmetic: 00:00 stays 00:00 across a daylight-saving change.
    return midnight - dt.timedelta(days=midnight.weekday()) if period == "week" else midnight.replace(day=1)


def _eligible(community: Community, include_staff: bool) -> QuerySet[Membership, Any]:
    """User ids of the members who may appear: active (or past a suspension), staff only if asked."""
    members = Membership.objects.filter(community=community).filter(
        Q(state=MembershipState.ACTIVE) | Q(state=MembershipState.SUSPENDED, suspended_until__lte=timezone.now())
    )
    if not include_staff:
        members = members.exclude(role__in=STAFF_ROLES)
    return members.values("user_id")


def _windowed(
    community: Community, start: dt.datetime | None, space: Space | None, include_staff: bool
) -> QuerySet[Any, Any]:
    """Each eligible member's points in the window and space, as rows of (user_id, points > 0)."""
    entries = PointsEntry.objects.filter(community=community, user_id__in=_eligible(community, include_staff))
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    if space is not None:
        entries = entries.filter(space=space)
    return entries.order_by().values("user_id").annotate(points=Sum("delta"))


def _uses_balances(start: dt.datetime | None, space: Space | None) -> bool:
    return start is None and space is None


def _totals(
    community: Community, start: dt.datetime | None, space: Space | None, include_staff: bool, limit: int
) -> list[tuple[int, int]]:
    rows: Iterable[tuple[Any, Any]]
    if _uses_balances(start, space):
        rows = (
            PointsBalance.objects.filter(
                community=community, total__gt=0, user_id__in=_eligible(community, include_staff)
            )
            .order_by("-total", "user_id")
            .values_list("user_id", "total")[:limit]
        )
    else:
        rows = (
            _windowed(community, start, space, include_staff)
            .filter(points__gt=0)
            .order_by("-points", "user_id")
            .values_list("user_id", "points")[:limit]
        )
    return [(int(user_id), int(points)) for user_id, points in rows]


def _key(community: Community, what: str, start: dt.datetime | None, space: Space | None, *parts: Any) -> str:
    version = ledger.ledger_version(community.pk)
    since = start.isoformat() if start is not None else "ever"
    where = space.pk if space is not None else "all"
    return ":".join(str(part) for part in ("recognition", what, community.pk, version, since, where, *parts))


def _include_staff(community: Community, include_staff: bool | None) -> bool:
    return settings_of(community.pk).leaderboard_includes_staff if include_staff is None else include_staff


def leaderboard(
    community: Community,
    period: str = "week",
    space: Space | None = None,
    include_staff: bool | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Standing]:
    """The top members of the period (and space) by points, those with none left out.

    Staff (the brand's people and moderators) appear only if `include_staff`, which defaults to the
    community's choice. Two queries on a cache miss, one (the people) on a hit, whatever the length.
    """
    start = period_start(period)
    staff = _include_staff(community, include_staff)
    limit = max(1, min(limit, MAX_LIMIT))
    key = _key(community, "board", start, space, int(staff), limit)
    totals: list[tuple[int, int]] | None = cache.get(key)
    if totals is None:
        totals = _totals(community, start, space, staff, limit)
        cache.set(key, totals, CACHE_SECONDS)
    people = User.objects.in_bulk([user_id for user_id, _points in totals])
    standings = []
    position = 0
    previous: int | None = None
    for index, (user_id, points) in enumerate(totals, start=1):
        if points != previous:
            position, previous = index, points
        if user_id in people:
            standings.append(Standing(position=position, user=people[user_id], points=points))
    return standings


def standing_in(
    community: Community,
    user: Any,
    period: str = "week",
    space: Space | None = None,
    include_staff: bool | None = None,
) -> Standing | None:
    """The person's own place on the board (wherever it is, not only in the top), or None if they are not on it."""
    start = period_start(period)
    if not getattr(user, "is_authenticated", False):
        return None
    staff = _include_staff(community, include_staff)
    key = _key(community, "standing", start, space, int(staff), user.pk)
    found: tuple[int, int] | None = cache.get(key)
    if found is None:
        found = _position_of(community, user.pk, start, space, staff)
        cache.set(key, found, CACHE_SECONDS)
    position, points = found
    return Standing(position=position, user=user, points=points) if position else None


def _position_of(
    community: Community, user_id: int, start: dt.datetime | None, space: Space | None, include_staff: bool
) -> tuple[int, int]:
    """(position, points), or (0, 0) for someone not on the board."""
    if not _eligible(community, include_staff).filter(user_id=user_id).exists():
        return 0, 0
    if _uses_balances(start, space):
        balances = PointsBalance.objects.filter(community=community)
        mine = balances.filter(user_id=user_id).values_list("total", flat=True).first() or 0
        if mine <= 0:
            return 0, 0
        ahead = balances.filter(total__gt=mine, user_id__in=_eligible(community, include_staff)).count()
        return ahead + 1, int(mine)
    rows = _windowed(community, start, space, include_staff)
    found = rows.filter(user_id=user_id).order_by("user_id").values_list("points", flat=True).first()
    points = int(found or 0)
    if points <= 0:
        return 0, 0
    ahead = rows.filter(points__gt=points).count()
    return ahead + 1, points
