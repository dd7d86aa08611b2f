"""HTML pages of a member's drafts: the list, discarding one, and the forms' autosave (htmx).

Without JavaScript the forms simply do not autosave; the list and discarding work as plain pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities import queries as community_queries
from belong.conversations import drafts, queries
from belong.conversations.models import Draft
from belong.web.errors import web_view
from belong.web.shortcuts import is_htmx, page_of, signed_in

PAGE_SIZE = 30
STATUS_TEMPLATE = "conversations/includes/draft_status.html"


def _saved(request: HttpRequest, draft: Draft | None, form_url: str) -> HttpResponse:
    """The autosave status for htmx; a plain POST (no JavaScript) goes back to the form."""
    if is_htmx(request):
        return TemplateResponse(request, STATUS_TEMPLATE, {"draft": draft, "autosaved": True})
    messages.success(request, _("Your draft is saved.") if draft is not None else _("Your draft is discarded."))
    return redirect(form_url)


@require_POST
@web_view
def save_thread_draft(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    """Keep the new-thread form's title, text and kind as the member's draft for the space."""
    user = signed_in(request)
    space = community_queries.get_space(community_queries.get_community(slug), space_slug)
    data = request.POST
    draft = drafts.save_draft(
        user=user, space=space, title=data.get("title", ""), body=data.get("body", ""), kind=data.get("kind", "")
    )
    return _saved(request, draft, reverse("conversations:new_thread", args=[slug, space.slug]))


@require_POST
@web_view
def save_reply_draft(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Keep the reply form's text as the member's draft for the thread."""
    user = signed_in(request)
    thread = queries.get_thread(user, community_queries.get_community(slug), thread_id)
    draft = drafts.save_draft(user=user, thread=thread, body=request.POST.get("body", ""))
    return _saved(request, draft, reverse("conversations:thread", args=[slug, thread.pk]) + "#reply")


@require_safe
@web_view
def draft_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's own unsent threads and replies in the community; nobody else sees this page."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    page = page_of(request, drafts.drafts_of(user, community), PAGE_SIZE)
    return TemplateResponse(request, "conversations/drafts.html", {"community": community, "page": page})


@require_POST
@web_view
def discard_draft(request: HttpRequest, slug: str, draft_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    drafts.discard_draft(user=user, draft=drafts.get_draft(user, community, draft_id))
    messages.success(request, _("Your draft is discarded."))
    return redirect("conversations:drafts", slug=community.slug)
