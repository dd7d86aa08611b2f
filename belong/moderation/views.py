"""Moderation pages: the queue, members, the log, rules, appeals, and each member's own record."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from belong.communities import queries as community_queries
from belong.moderation import queries


def record(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_queries.get_community(slug)
    entries = queries.record_of(request.user, community)
    return render(request, "moderation/record.html", {"community": community, "entries": entries})
