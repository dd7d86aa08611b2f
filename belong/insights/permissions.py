"""Who may read and steer community intelligence: rules registered into `communities.permissions.can`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.permissions import MANAGERS, Who, rule


class InsightsAction(StrEnum):
    VIEW_INSIGHTS = "view_insights"  # the insights page, rollups, alerts, themes, analyses (obj: community)
    CORRECT_SENTIMENT = "correct_sentiment"  # obj: the Post
    MANAGE_THEMES = "manage_themes"  # rename, merge, link to ideas, rebuild (obj: community)
    HANDLE_ALERTS = "handle_alerts"  # acknowledge, resolve (obj: community)


@rule(InsightsAction.VIEW_INSIGHTS)
def view_insights(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(InsightsAction.CORRECT_SENTIMENT)
def correct_sentiment(who: Who, post: Any) -> bool:
    return who.role in MANAGERS


@rule(InsightsAction.MANAGE_THEMES)
def manage_themes(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(InsightsAction.HANDLE_ALERTS)
def handle_alerts(who: Who, community: Any) -> bool:
    return who.role in MANAGERS
