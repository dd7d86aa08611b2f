"""API endpoints of recognition: trust levels, a member's progress, and pinning a level."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.http import HttpRequest
from ninja import Router

from belong.api.auth import ANYONE, user_of
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.permissions import check
from belong.core.ratelimit import rate_limited
from belong.recognition import trust
from belong.recognition.members import member_by_handle
from belong.recognition.permissions import RecognitionAction
from belong.recognition.schemas.trust import MemberTrustOut, TrustIn, TrustLevelOut

router = Router(tags=["recognition"])

COMMUNITY = "/communities/{slug}"
MEMBER_TRUST = COMMUNITY + "/members/{handle}/trust"


@router.get(
    COMMUNITY + "/trust-levels",
    response={200: list[TrustLevelOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List trust levels",
    operation_id="get_trust_levels",
)
def list_trust_levels(request: HttpRequest, slug: str) -> list[trust.LevelInfo]:
    """List the five trust levels (0 to 4), what earns each and the privileges each unlocks.

    A fixed list of five, so it is not paginated.
    """
    community_queries.get_community(slug)
    return trust.levels()


@router.get(
    MEMBER_TRUST,
    response={200: MemberTrustOut, **READ_ERRORS},
    summary="Get a member's trust level",
    operation_id="get_member_trust",
)
def get_member_trust(request: HttpRequest, slug: str, handle: str) -> trust.TrustProgress:
    """Return a member's trust level and their progress towards the next (the member themselves, and managers)."""
    membership = member_by_handle(community_queries.get_community(slug), handle)
    check(user_of(request), RecognitionAction.VIEW_LEDGER, membership)
    return trust.progress_of(membership)


@router.put(
    MEMBER_TRUST,
    response={200: MemberTrustOut, **WRITE_ERRORS},
    summary="Pin a member's trust level",
    operation_id="pin_member_trust",
)
@rate_limited
def pin_member_trust(request: HttpRequest, slug: str, handle: str, payload: TrustIn) -> trust.TrustProgress:
    """Pin a member's trust level (owners and managers, never on themselves or an owner); `null` unpins it and
    recomputes it from activity. A pinned level stays whatever the member does."""
    membership = member_by_handle(community_queries.get_community(slug), handle)
    pinned = trust.pin_trust_level(actor=user_of(request), membership=membership, level=payload.level)
    return trust.progress_of(pinned)
