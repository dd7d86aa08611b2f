"""The insights overview: the period's numbers, sentiment over time, mixes, alerts, themes and posts to read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from belong.communities.models import Space
from belong.conversations.models import ThreadKind
from belong.insights import charts, queries
from belong.insights import themes as themes_of_community
from belong.insights.forms import FiltersForm, language_label
from belong.insights.views.common import QUOTES_PER_THEME, recent_analyses
from belong.web.errors import web_view

TOP_THEMES = 5
OPEN_ALERTS = 5
RECENT_POSTS = 8


@require_safe
@web_view
def home(request: HttpRequest, slug: str) -> HttpResponse:
    """Rollups drawn as charts, with the alerts, themes and posts that need a manager's eye."""
    community = queries.insights_community(request.user, slug)
    spaces = list(Space.objects.filter(community=community).order_by("name", "pk"))
    form = FiltersForm(request.GET or None, community=community, spaces=spaces)
    filters = form.filters()
    totals = queries.totals(community, filters)
    languages = queries.mix(community, filters, "language")
    themes = list(queries.themes_of(community)[:TOP_THEMES])
    quotes = themes_of_community.quotes_of(themes, QUOTES_PER_THEME)
    context = {
        "community": community,
        "form": form,
        "filters": filters,
        "totals": totals,
        "shares": _shares(totals),
        "response_time": charts.duration(totals.mean_response_seconds),
        "chart": charts.sentiment_chart(queries.sentiment_series(community, filters)),
        "language_mix": charts.mix_rows(languages, {code: language_label(code) for code, *_ in languages}),
        "kind_mix": charts.mix_rows(
            queries.mix(community, filters, "kind"), {k: str(v) for k, v in ThreadKind.choices}
        ),
        "space_mix": charts.mix_rows(
            queries.mix(community, filters, "space_id"), {str(space.pk): space.name for space in spaces}
        ),
        "alerts": list(queries.open_alerts(community)[:OPEN_ALERTS]),
        "themes": [(theme, quotes.get(theme.pk, [])) for theme in themes],
        "negative_posts": list(recent_analyses(community, filters, sentiment="negative")[:RECENT_POSTS]),
        "flagged_posts": list(recent_analyses(community, filters, flagged=True)[:RECENT_POSTS]),
    }
    return TemplateResponse(request, "insights/overview.html", context)


def _shares(totals: queries.Totals) -> dict[str, int]:
    scored = totals.negative + totals.neutral + totals.positive
    if not scored:
        return {"negative": 0, "neutral": 0, "positive": 0}
    return {
        "negative": round(100 * totals.negative / scored),
        "neutral": round(100 * totals.neutral / scored),
        "positive": round(100 * totals.positive / scored),
    }


urlpatterns: list[URLPattern] = [path("c/<slug:slug>/insights/", home, name="home")]
