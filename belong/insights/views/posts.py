"""Analysed posts for managers: filter by sentiment, language and flags, and correct the sentiment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.conversations.models import Post
from belong.core.errors import NotFound
from belong.insights import actions, queries
from belong.insights.forms import CorrectSentimentForm, PostFilterForm
from belong.insights.models import SentimentLabel
from belong.insights.views.common import managing
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, safe_next

PAGE_SIZE = 25


@require_safe
@web_view
def post_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.insights_community(request.user, slug)
    form = PostFilterForm(request.GET, community=community)
    context = {
        "community": community,
        "form": form,
        "page": page_of(request, queries.analysed_posts(community, **form.query()), PAGE_SIZE),
        "labels": SentimentLabel.choices,
    }
    return TemplateResponse(request, "insights/posts.html", context)


@require_POST
@web_view
def correct_sentiment(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """A manager's label for the post; htmx swaps the row, a plain form goes back to the list."""
    user, community = managing(request, slug)
    post = Post.objects.select_related("thread", "author").filter(community=community, pk=post_id).first()
    if post is None:
        raise NotFound(_("No such post."))
    form = CorrectSentimentForm(request.POST, auto_id=f"correct-{post.pk}-%s")
    analysis = None
    if form.is_valid():
        analysis = attempt(form, actions.correct_sentiment, user=user, post=post, label=form.cleaned_data["label"])
    if analysis is not None and not is_htmx(request):
        label = SentimentLabel(analysis.sentiment).label.lower()
        messages.success(request, _("The post is marked %(label)s.") % {"label": label})
        return redirect(safe_next(request, reverse("insights:posts", args=[community.slug])) + f"#analysis-{post.pk}")
    context = {
        "community": community,
        "analysis": queries.analyses_of_posts([post.pk]).first(),
        "form": form,
        "labels": SentimentLabel.choices,
        "saved": analysis is not None,
        "next": safe_next(request, reverse("insights:posts", args=[community.slug])),
    }
    if is_htmx(request):
        return TemplateResponse(request, "insights/includes/post_row.html", context, status=form_status(form))
    return TemplateResponse(request, "insights/correct.html", context, status=form_status(form))


c = "c/<slug:slug>/insights/posts/"

urlpatterns: list[URLPattern] = [
    path(c, post_list, name="posts"),
    path(f"{c}<int:post_id>/sentiment/", correct_sentiment, name="correct_sentiment"),
]
