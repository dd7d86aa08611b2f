"""API endpoints of crisis alerts: the list, one alert with the posts behind it, and handling it."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from belong.api.auth import user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities.models import Community
from belong.core.errors import NotFound
from belong.core.ratelimit import rate_limited
from belong.insights import actions, queries
from belong.insights.models import Alert
from belong.insights.schemas.alerts import AlertDetailOut, AlertFilter, AlertOut, AlertStateIn

router = Router(tags=["insights"])

ALERTS = "/communities/{slug}/insights/alerts"
ALERT = ALERTS + "/{alert_id}"

# An alert on a very bad day can hold hundreds of posts; one read shows the worst of them.
ALERT_POSTS = 100


def _detail(community: Community, alert_id: int) -> Alert:
    """The alert with its post count and its most negative posts."""
    alert = queries.alerts_of(community).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("No such alert."))
    posts = queries.alert_posts(alert).select_related("post__thread__community")[:ALERT_POSTS]
    vars(alert)["quoted_posts"] = list(posts)
    return alert


@router.get(
    ALERTS,
    response={200: list[AlertOut], **READ_ERRORS},
    summary="List alerts",
    operation_id="list_insight_alerts",
)
@paginate(KeysetPagination, ordering=("-day", "-id"))
def list_insight_alerts(request: HttpRequest, slug: str, filters: Query[AlertFilter]) -> QuerySet[Alert]:
    """List the community's crisis alerts, latest day first, optionally in one `state` (owners and community
    managers)."""
    community = queries.insights_community(viewer_of(request), slug)
    return queries.alerts_of(community, filters.state or "")


@router.get(
    ALERT,
    response={200: AlertDetailOut, **READ_ERRORS},
    summary="Get an alert",
    operation_id="get_insight_alert",
)
def get_insight_alert(request: HttpRequest, slug: str, alert_id: int) -> Alert:
    """Return one alert with the negative posts behind it, most negative first (owners and community managers)."""
    return _detail(queries.insights_community(viewer_of(request), slug), alert_id)


@router.post(
    ALERT + "/state",
    response={200: AlertDetailOut, **WRITE_ERRORS},
    summary="Acknowledge, resolve or reopen an alert",
    operation_id="set_insight_alert_state",
)
@rate_limited
def set_insight_alert_state(request: HttpRequest, slug: str, alert_id: int, payload: AlertStateIn) -> Alert:
    """Move an alert to `acknowledged`, `resolved` or back to `open`, with an optional note for the other managers
    (owners and community managers). Moving it to the state it is in is a conflict (409)."""
    community = queries.insights_community(viewer_of(request), slug)
    alert = queries.get_alert(community, alert_id)
    actions.set_alert_state(user=user_of(request), alert=alert, state=payload.state, note=payload.note)
    return _detail(community, alert_id)
