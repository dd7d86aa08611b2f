"""Celebrations: anniversaries and milestones, each kept once per member and announced by an event.

A celebration's `key` is unique per member (`posts:100`, `anniversary:2`, `badge:helpful:once`),
so the same moment reached twice (an event delivered again, a post deleted and written again, the
daily command run twice) is celebrated once. Notifications react to the `Celebrated` event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from belong.communities.models import Community, Membership, MembershipState
from belong.conversations.models import Post
from belong.core.events import on_commit_publish
from belong.ideas.models import Idea
from belong.recognition import events
from belong.recognition.badges import grant_by_rule
from belong.recognition.catalogue import BADGES
from belong.recognition.models import BadgeAward, BadgeTier, Celebration, CelebrationKind, Rank

POST_MILESTONES = (10, 50, 100, 500, 1000)
# Years of membership that earn a badge (anniversary-1, -2, -5); every year is celebrated.
ANNIVERSARY_BADGES = (1, 2, 5)
# Badges whose moment has a celebration of its own (the anniversary, the trust level), so they are not celebrated twice.
CELEBRATED_OTHERWISE = frozenset({"anniversary-1", "anniversary-2", "anniversary-5", "regular"})


def celebrate(
    *, community_id: int, user_id: int, kind: str, key: str, data: dict[str, Any] | None = None
) -> Celebration | None:
    """Record the moment once (`key` is unique per member) and publish `Celebrated`; None if already kept."""
    try:
        with transaction.atomic():
            celebration = Celebration.objects.create(
                community_id=community_id, user_id=user_id, kind=kind, key=key, data=data or {}
            )
    except IntegrityError:
        return None
    on_commit_publish(
        events.Celebrated(community_id=community_id, user_id=user_id, celebration_id=celebration.pk, kind=kind, key=key)
    )
    return celebration


def _kept(community_id: int, user_id: int, key: str) -> bool:
    return Celebration.objects.filter(community_id=community_id, user_id=user_id, key=key).exists()


# ---------------------------------------------------------------------------------------------
# Moments (each idempotent: called again, it celebrates nothing new)


def celebrate_posts(community_id: int, user_id: int) -> Celebration | None:
    """The highest post milestone the member's standing posts reached, if not celebrated yet."""
    count = Post.objects.filter(community_id=community_id, author_id=user_id, deleted_at__isnull=True).count()
    reached = max((n for n in POST_MILESTONES if count >= n), default=None)
    if reached is None or _kept(community_id, user_id, f"posts:{reached}"):
        return None
    return celebrate(
        community_id=community_id,
        user_id=user_id,
        kind=CelebrationKind.MILESTONE,
        key=f"posts:{reached}",
        data={"count": reached},
    )


def celebrate_first_answer(community_id: int, user_id: int) -> Celebration | None:
    return celebrate(community_id=community_id, user_id=user_id, kind=CelebrationKind.MILESTONE, key="first-answer")


def celebrate_first_idea_shipped(community_id: int, idea_id: int) -> Celebration | None:
    """The first shipped idea of its author."""
    idea = Idea.objects.filter(community_id=community_id, pk=idea_id).select_related("thread").first()
    if idea is None or idea.shipped_at is None or idea.thread.author_id is None:
        return None
    return celebrate(
        community_id=community_id,
        user_id=idea.thread.author_id,
        kind=CelebrationKind.MILESTONE,
        key="first-idea-shipped",
        data={"idea": idea.pk, "title": idea.thread.title},
    )


def celebrate_badge(award_id: int) -> Celebration | None:
    """A silver or gold badge (not those whose moment is celebrated otherwise)."""
    award = BadgeAward.objects.select_related("badge").filter(pk=award_id).first()
    if award is None:
        return None
    badge = award.badge
    if badge.tier == BadgeTier.BRONZE or (badge.builtin and badge.key in CELEBRATED_OTHERWISE):
        return None
    return celebrate(
        community_id=award.community_id,
        user_id=award.user_id,
        kind=CelebrationKind.BADGE,
        key=f"badge:{badge.key}:{award.source}",
        # The name a manager gave is kept as it was; a built-in name is translated when shown.
        data={"badge": badge.key, "name": badge.name, "icon": badge.icon, "tier": badge.tier},
    )


def celebrate_rank(community_id: int, user_id: int, rank_id: int) -> Celebration | None:
    """A rank reached on the way up (not the one everyone starts in)."""
    rank = Rank.objects.filter(community_id=community_id, pk=rank_id).first()
    if rank is None or rank.min_points <= 0:
        return None
    return celebrate(
        community_id=community_id,
        user_id=user_id,
        kind=CelebrationKind.RANK,
        key=f"rank:{rank.pk}",
        data={"rank": rank.name},
    )


def celebrate_trust(community_id: int, user_id: int, level: int) -> Celebration | None:
    if level < 1:
        return None
    return celebrate(
        community_id=community_id,
        user_id=user_id,
        kind=CelebrationKind.TRUST,
        key=f"trust:{level}",
        data={"level": level},
    )


# Moments by name, as tasks name them: (community, subject, value) -> the celebration, if new.
MOMENTS: dict[str, Callable[[int, int, int], Celebration | None]] = {
    "posts": lambda community_id, user_id, _value: celebrate_posts(community_id, user_id),
    "first-answer": lambda community_id, user_id, _value: celebrate_first_answer(community_id, user_id),
    "first-idea-shipped": lambda community_id, idea_id, _value: celebrate_first_idea_shipped(community_id, idea_id),
    "badge": lambda _community_id, award_id, _value: celebrate_badge(award_id),
    "rank": lambda community_id, user_id, rank_id: celebrate_rank(community_id, user_id, rank_id),
    "trust": lambda community_id, user_id, level: celebrate_trust(community_id, user_id, level),
}


def run_moment(moment: str, *, community_id: int, subject_id: int, value: int = 0) -> Celebration | None:
    """Celebrate one moment by name (tasks store the name); an unknown name is a programming error."""
    return MOMENTS[moment](community_id, subject_id, value)


def completed_years(joined: dt.date, today: dt.date) -> int:
    """Whole years from `joined` to `today` (someone who joined on 29 February completes a year on 1 March)."""
    return today.year - joined.year - ((today.month, today.day) < (joined.month, joined.day))


def _a_year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def celebrate_anniversaries(today: dt.date | None = None, *, community_id: int | None = None) -> int:
    """Celebrate each active member's latest completed year of membership (1 or more) not celebrated yet, and
    give the 1-, 2- and 5-year badges reached; returns how many anniversaries were celebrated.

    Idempotent and catching up: run daily, or after missed days, it celebrates what is due once.
    Members who joined long before the feature get their current year, not every year since.
    """
    today = today or timezone.localdate()
    # Joined no later than the end of the day a year ago (in the site's time zone), checked exactly below.
    cutoff = timezone.make_aware(dt.datetime.combine(_a_year_before(today) + dt.timedelta(days=1), dt.time.min))
    memberships = (
        Membership.objects.filter(state=MembershipState.ACTIVE, user__is_active=True)
        .annotate(since=Coalesce(F("joined_at"), F("created_at")))
        .filter(since__lt=cutoff)
        .order_by("community_id", "pk")
    )
    if community_id is not None:
        memberships = memberships.filter(community_id=community_id)
    celebrated = 0
    for membership in memberships.only("pk", "community_id", "user_id", "joined_at", "created_at").iterator():
        years = completed_years(timezone.localtime(membership.since).date(), today)
        if years < 1 or _kept(membership.community_id, membership.user_id, f"anniversary:{years}"):
            continue
        with transaction.atomic():
            if celebrate(
                community_id=membership.community_id,
                user_id=membership.user_id,
                kind=CelebrationKind.ANNIVERSARY,
                key=f"anniversary:{years}",
                data={"years": years},
            ):
                celebrated += 1
            for reached in ANNIVERSARY_BADGES:
                if years >= reached:
                    grant_by_rule(membership.community_id, membership.user_id, f"anniversary-{reached}")
    return celebrated


# ---------------------------------------------------------------------------------------------
# Reads


def describe(celebration: Celebration) -> str:
    """What the member did, as a phrase after their name: “reached 100 posts”."""
    data = celebration.data or {}
    kind, key = celebration.kind, celebration.key
    if kind == CelebrationKind.ANNIVERSARY:
        years = int(data.get("years") or key.partition(":")[2] or 0)
        return ngettext("has been a member for %(years)d year", "has been a member for %(years)d years", years) % {
            "years": years
        }
    if kind == CelebrationKind.BADGE:
        spec = BADGES.get(str(data.get("badge", "")))
        name = data.get("name") or (spec.name if spec else data.get("badge", ""))
        return _("earned the %(badge)s badge") % {"badge": name}
    if kind == CelebrationKind.RANK:
        return _("reached the rank %(rank)s") % {"rank": data.get("rank", "")}
    if kind == CelebrationKind.TRUST:
        return _("reached trust level %(level)d") % {"level": int(data.get("level") or 0)}
    if key.startswith("posts:"):
        count = int(data.get("count") or key.partition(":")[2] or 0)
        return ngettext("reached %(count)d post", "reached %(count)d posts", count) % {"count": count}
    if key == "first-answer":
        return _("had a first answer accepted")
    if key == "first-idea-shipped":
        return _("saw a first idea ship")
    return key


ICONS: dict[str, str] = {
    CelebrationKind.ANNIVERSARY: "🎂",
    CelebrationKind.MILESTONE: "🎉",
    CelebrationKind.RANK: "⬆️",
    CelebrationKind.BADGE: "🏅",
    CelebrationKind.TRUST: "🤝",
}


def icon_of(celebration: Celebration) -> str:
    return str((celebration.data or {}).get("icon") or ICONS.get(celebration.kind, "🎉"))


def celebrations_of(community: Community, user: Any = None) -> QuerySet[Celebration]:
    """The community's celebrations (or one member's), newest first, with their people."""
    celebrations = Celebration.objects.filter(community=community, user__is_active=True).select_related("user")
    if user is not None:
        celebrations = celebrations.filter(user=user)
    return celebrations.order_by("-created_at", "-id")
