"""API endpoints of analysed posts: the managers' list, one post's analysis, and correcting its sentiment."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from belong.api.auth import user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Post
from belong.core.errors import NotFound
from belong.core.ratelimit import rate_limited
from belong.insights import actions, queries
from belong.insights.models import PostAnalysis
from belong.insights.schemas.posts import AnalysedPostOut, AnalysisFilter, AnalysisOut, SentimentIn

router = Router(tags=["insights"])

COMMUNITY = "/communities/{slug}"
POST = COMMUNITY + "/posts/{post_id}"


def _post(request: HttpRequest, slug: str, post_id: int) -> Post:
    """A post of the community, once the caller may read its insights."""
    community = queries.insights_community(viewer_of(request), slug)
    return conversation_queries.get_post(viewer_of(request), community, post_id)


def _analysis(post: Post) -> PostAnalysis:
    analysis = PostAnalysis.objects.select_related("post").filter(post=post).first()
    if analysis is None:
        raise NotFound(_("This post has not been analysed yet; try again in a few seconds."))
    return analysis


@router.get(
    COMMUNITY + "/insights/posts",
    response={200: list[AnalysedPostOut], **READ_ERRORS},
    summary="List analysed posts",
    operation_id="list_analysed_posts",
)
@paginate(KeysetPagination, ordering=("-posted_at", "-pk"))
def list_analysed_posts(request: HttpRequest, slug: str, filters: Query[AnalysisFilter]) -> QuerySet[PostAnalysis]:
    """List the community's analysed posts, newest first, with their language, sentiment and moderation flags,
    narrowed by `sentiment`, `language` and `flagged` (owners and community managers). Deleted and hidden posts
    are left out."""
    community = queries.insights_community(viewer_of(request), slug)
    analyses = queries.analysed_posts(
        community, sentiment=filters.sentiment or "", language=filters.language or "", flagged=filters.flagged
    )
    return analyses.select_related("post__thread__community")


@router.get(
    POST + "/analysis",
    response={200: AnalysisOut, **READ_ERRORS},
    summary="Get a post's analysis",
    operation_id="get_post_analysis",
)
def get_post_analysis(request: HttpRequest, slug: str, post_id: int) -> PostAnalysis:
    """Return what the models make of a post: its language, sentiment with the probabilities behind it, and
    moderation flags (owners and community managers). A post not analysed yet is a 404; a new post's analysis
    follows within seconds."""
    return _analysis(_post(request, slug, post_id))


@router.put(
    POST + "/sentiment",
    response={200: AnalysisOut, **WRITE_ERRORS},
    summary="Correct a post's sentiment",
    operation_id="correct_post_sentiment",
)
@rate_limited
def correct_post_sentiment(request: HttpRequest, slug: str, post_id: int, payload: SentimentIn) -> PostAnalysis:
    """Set a post's sentiment by hand (owners and community managers): it is shown from now on, the day's figures
    are recounted, and the correction is kept to recalibrate the model for the community. A post not analysed
    yet is a conflict (409)."""
    post = _post(request, slug, post_id)
    actions.correct_sentiment(user=user_of(request), post=post, label=payload.label)
    return _analysis(post)
