"""What a community starts with (points rules, settings, ranks, the badge catalogue), written on first use.

Each function is safe when two requests race: unique constraints make the second insert a no-op.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from belong.communities.models import Community
from belong.recognition.catalogue import CATALOGUE
from belong.recognition.models import (
    DEFAULT_RANKS,
    DEFAULT_RULES,
    Badge,
    PointsRule,
    Rank,
    RecognitionSettings,
)


def rules_of(community_id: int) -> dict[str, PointsRule]:
    """The community's points rules by key, creating the defaults for any key it lacks."""
    rules = {rule.key: rule for rule in PointsRule.objects.filter(community_id=community_id)}
    missing = [key for key in DEFAULT_RULES if key not in rules]
    if missing:
        PointsRule.objects.bulk_create(
            [
                PointsRule(
                    community_id=community_id, key=key, points=DEFAULT_RULES[key][0], daily_cap=DEFAULT_RULES[key][1]
                )
                for key in missing
            ],
            ignore_conflicts=True,
        )
        rules = {rule.key: rule for rule in PointsRule.objects.filter(community_id=community_id)}
    return rules


def settings_of(community_id: int) -> RecognitionSettings:
    found, _created = RecognitionSettings.objects.get_or_create(community_id=community_id)
    return found


def ranks_of(community_id: int) -> list[Rank]:
    """The community's ranks from the lowest threshold up, creating the built-in five if it has none."""
    ranks = list(Rank.objects.filter(community_id=community_id))
    if ranks:
        return ranks
    community = Community.objects.get(pk=community_id)
    language = (community.languages or [settings.LANGUAGE_CODE])[0]
    with translation.override(language):
        Rank.objects.bulk_create(
            [
                Rank(community_id=community_id, min_points=points, name=str(name), description=str(description))
                for points, name, description in DEFAULT_RANKS
            ],
            ignore_conflicts=True,
        )
    return list(Rank.objects.filter(community_id=community_id))


def rank_for(ranks: list[Rank], total: int) -> Rank | None:
    """The highest rank whose threshold `total` reaches (ranks sorted by threshold)."""
    reached = None
    for rank in ranks:
        if total >= rank.min_points:
            reached = rank
    return reached


def badges_of(community_id: int) -> dict[str, Badge]:
    """The community's badges by key, creating the built-in catalogue's missing ones."""
    badges = {badge.key: badge for badge in Badge.objects.filter(community_id=community_id)}
    missing = [spec for spec in CATALOGUE if spec.key not in badges]
    if missing:
        Badge.objects.bulk_create(
            [
                Badge(
                    community_id=community_id,
                    key=spec.key,
                    icon=spec.icon,
                    tier=spec.tier,
                    repeatable=spec.repeatable,
                    builtin=True,
                )
                for spec in missing
            ],
            ignore_conflicts=True,
        )
        badges = {badge.key: badge for badge in Badge.objects.filter(community_id=community_id)}
    return badges
