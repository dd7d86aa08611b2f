"""API endpoints of recognition: a member's recognition in a community, all at once."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.http import HttpRequest
from ninja import Router

from belong.api.auth import ANYONE, viewer_of
from belong.api.problems import READ_ERRORS
from belong.recognition import profiles
from belong.recognition.members import member_by_handle, recognition_community
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
    community = recognition_community(viewer_of(request), slug)
    membership = member_by_handle(community, handle)
    return RecognitionOut.of(membership, profiles.summary_of(membership, viewer_of(request)))
