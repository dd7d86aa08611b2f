"""API endpoint of the insights summary: what the insights page charts, from the daily rollups."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from belong.api.auth import viewer_of
from belong.api.problems import READ_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Space
from belong.core.errors import Invalid, NotFound
from belong.insights import queries
from belong.insights.alerts import open_alerts_count
from belong.insights.schemas.overview import SummaryFilter, SummaryOut

router = Router(tags=["insights"])

INSIGHTS = "/communities/{slug}/insights"


def _space_field(community: Community, space_slug: str) -> Space:
    """A space named in a filter: unknown is invalid input, not a missing page."""
    try:
        return community_queries.get_space(community, space_slug)
    except NotFound as error:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]}) from error


@router.get(
    INSIGHTS + "/summary",
    response={200: SummaryOut, **READ_ERRORS},
    summary="Get the insights summary",
    operation_id="get_insights_summary",
)
def get_insights_summary(request: HttpRequest, slug: str, filters: Query[SummaryFilter]) -> dict[str, Any]:
    """Return the community's totals, its sentiment day by day and its mix of languages, thread kinds and spaces
    over the last `days` days (1 to 366), optionally narrowed to one space, language or kind, with how many alerts
    are open (owners and community managers)."""
    community = queries.insights_community(viewer_of(request), slug)
    space = _space_field(community, filters.space) if filters.space else None
    chosen = queries.Filters(
        days=filters.days,
        space_id=space.pk if space is not None else None,
        language=filters.language or "",
        kind=filters.kind or "",
    )
    series = queries.sentiment_series(community, chosen)
    by_space = queries.mix(community, chosen, "space_id")
    spaces = Space.objects.in_bulk([int(key) for key, *_counts in by_space])
    return {
        "first_day": series[0].day,
        "last_day": series[-1].day,
        "totals": queries.totals(community, chosen),
        "series": series,
        "languages": [_mix(row) for row in queries.mix(community, chosen, "language")],
        "kinds": [_mix(row) for row in queries.mix(community, chosen, "kind")],
        "spaces": [
            {"space": spaces[int(key)], "posts": posts, "negative": negative, "positive": positive}
            for key, posts, negative, positive in by_space
            if int(key) in spaces
        ],
        "open_alerts": open_alerts_count(community.pk),
    }


def _mix(row: tuple[str, int, int, int]) -> dict[str, Any]:
    key, posts, negative, positive = row
    return {"key": key, "posts": posts, "negative": negative, "positive": positive}
