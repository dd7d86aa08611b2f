"""API endpoints of recognition: celebrations."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from belong.api.auth import ANYONE, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS
from belong.recognition import celebrations as queries
from belong.recognition.members import member_named, recognition_community
from belong.recognition.models import Celebration
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
    community = recognition_community(viewer_of(request), slug)
    member = member_named(community, filters.member, field="member").user if filters.member else None
    return queries.celebrations_of(community, member)
