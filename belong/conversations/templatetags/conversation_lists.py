"""Thread lists for pages other apps render: `{% space_threads space as page %}` on a space's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page, Paginator

from belong.conversations import queries

register = template.Library()

PAGE_SIZE = 30


@register.simple_tag(takes_context=True)
def space_threads(context: template.Context, space: Any) -> Page[Any]:
    """The page (from `?page=`) of the space's threads the viewer can see, pinned first, then latest."""
    request = context["request"]
    threads = queries.latest(request.user, space.community, queries.ThreadFilter(space=space))
    return Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))


@register.simple_tag(takes_context=True)
def latest_threads(context: template.Context, community: Any, count: int = 5) -> list[Any]:
    """The community's few most recently active threads the viewer can see."""
    return list(queries.latest(context["request"].user, community)[:count])
