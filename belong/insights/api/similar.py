"""API endpoint of similar threads: the threads most like one, by meaning, across languages."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.http import HttpRequest
from ninja import Query, Router

from belong.api.auth import ANYONE, viewer_of
from belong.api.problems import READ_ERRORS
from belong.communities import queries as community_queries
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Thread
from belong.insights.schemas.similar import SimilarFilter, SimilarThreadOut
from belong.insights.similarity import similar_threads

router = Router(tags=["insights"])


@router.get(
    "/communities/{slug}/threads/{thread_id}/similar",
    response={200: list[SimilarThreadOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Find similar threads",
    operation_id="find_similar_threads",
)
def find_similar_threads(
    request: HttpRequest, slug: str, thread_id: int, filters: Query[SimilarFilter]
) -> list[Thread]:
    """Return the threads you may see that are most like this one, best first (at most `limit`), so a
    question asked before, in any language, is found. Threads without an analysis yet are compared by their words."""
    viewer = viewer_of(request)
    community = community_queries.get_community(slug)
    thread = conversation_queries.get_thread(viewer, community, thread_id)
    return similar_threads(viewer, community, thread, limit=filters.limit)
