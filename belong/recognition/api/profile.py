"""API endpoints of recognition: a member's recognition in a community, all at once."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.http import HttpRequest
from ninja import Router

from belong.api.auth import ANYONE
from belong.api.problems import READ_ERRORS
from belong.communities import queries as community_queries
from belong.communities.permissions import check
from belong.recognition import profiles
from belong.recognition.members import member_by_handle
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.schemas.profile import RecognitionOut

router = Router(tags=["recognition"])


@router.get(
    "/communities/{slug}/members/{handle}/recognition",
    response={200: RecognitionOut, **READ_ERRORS},
    auth=ANYONE,
    operation_id="get_member_recognition",
    summary="A member's recognition",
    description="Points, rank and the next one, trust level, leaderboard positions, badges, areas of expertise and "
    "recent celebrations of one member; their perks too when they ask about themselves.",
)
def member_recognition(request: HttpRequest, slug: str, handle: str) -> RecognitionOut:
    community = community_queries.get_community(slug)
    check(request.user, Can.VIEW_RECOGNITION, community)
    membership = member_by_handle(community, handle)
    return RecognitionOut.of(membership, profiles.summary_of(membership, request.user))
