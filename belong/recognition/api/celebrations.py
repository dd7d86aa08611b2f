"""API endpoints of recognition: celebrations."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from belong.api.auth import ANYONE, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS
from belong.communities import queries as community_queries
from belong.communities.permissions import check
from belong.recognition import celebrations as queries
from belong.recognition.members import member_named
from belong.recognition.models import Celebration
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.schemas.celebrations import CelebrationFilter, CelebrationOut

router = Router(tags=["recognition"])


@router.get(
    "/communities/{slug}/celebrations",
    response={200: list[CelebrationOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List celebrations",
    operation_id="list_celebrations",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_celebrations(request: HttpRequest, slug: str, filters: Query[CelebrationFilter]) -> QuerySet[Celebration]:
    """List the community's celebrations, newest first: anniversaries, post milestones, first accepted answers and
    shipped ideas, silver and gold badges, new ranks and trust levels. `member` narrows it to one member's."""
    community = community_queries.get_community(slug)
    check(viewer_of(request), Can.VIEW_RECOGNITION, community)
    member = member_named(community, filters.member, field="member").user if filters.member else None
    return queries.celebrations_of(community, member)
