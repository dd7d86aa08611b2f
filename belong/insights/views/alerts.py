"""Crisis alerts: the list, and one alert with its numbers, its posts and the manager's handling."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities.models import Community
from belong.insights import actions, charts, queries
from belong.insights.forms import AlertFilterForm, AlertStateForm
from belong.insights.models import Alert, AlertState
from belong.insights.views.common import managing
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import page_of

PAGE_SIZE = 25
ALERT_POSTS = 50

# The buttons each state offers, in the order shown.
NEXT_STATES = {
    AlertState.OPEN: (AlertState.ACKNOWLEDGED, AlertState.RESOLVED),
    AlertState.ACKNOWLEDGED: (AlertState.RESOLVED, AlertState.OPEN),
    AlertState.RESOLVED: (AlertState.OPEN,),
}


@require_safe
@web_view
def alert_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.insights_community(request.user, slug)
    form = AlertFilterForm(request.GET or None, auto_id="alerts-%s")
    state = form.cleaned_data["state"] if form.is_bound and form.is_valid() else ""
    context = {
        "community": community,
        "form": form,
        "page": page_of(request, queries.alerts_of(community, state), PAGE_SIZE),
    }
    return TemplateResponse(request, "insights/alerts.html", context)


def _alert_page(
    request: HttpRequest, community: Community, alert: Alert, form: AlertStateForm | None = None
) -> HttpResponse:
    context = {
        "community": community,
        "alert": alert,
        "share_percent": round(100 * alert.share),
        "usual_percent": round(100 * alert.baseline_share),
        "chance": charts.chance_in_words(alert.p_value),
        "posts": list(queries.alert_posts(alert)[:ALERT_POSTS]),
        "form": form or AlertStateForm(auto_id="alert-%s"),
        "next_states": [(state.value, state.label) for state in NEXT_STATES[AlertState(alert.state)]],
    }
    return TemplateResponse(request, "insights/alert.html", context, status=form_status(form))


@require_safe
@web_view
def alert_detail(request: HttpRequest, slug: str, alert_id: int) -> HttpResponse:
    """Why the alert fired, in numbers and in plain words, and the posts behind it."""
    community = queries.insights_community(request.user, slug)
    return _alert_page(request, community, queries.get_alert(community, alert_id))


@require_POST
@web_view
def alert_state(request: HttpRequest, slug: str, alert_id: int) -> HttpResponse:
    user, community = managing(request, slug)
    alert = queries.get_alert(community, alert_id)
    form = AlertStateForm(request.POST, auto_id="alert-%s")
    handled = (
        attempt(form, actions.set_alert_state, user=user, alert=alert, **form.cleaned_data) if form.is_valid() else None
    )
    if handled is not None:
        messages.success(
            request, _("The alert is now %(state)s.") % {"state": AlertState(form.cleaned_data["state"]).label.lower()}
        )
        return redirect("insights:alert", community.slug, alert.pk)
    return _alert_page(request, community, alert, form)


c = "c/<slug:slug>/insights/alerts/"

urlpatterns: list[URLPattern] = [
    path(c, alert_list, name="alerts"),
    path(f"{c}<int:alert_id>/", alert_detail, name="alert"),
    path(f"{c}<int:alert_id>/state/", alert_state, name="alert_state"),
]
