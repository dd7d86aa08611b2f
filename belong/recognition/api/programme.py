"""API endpoints of recognition: the ambassador and expert programme."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.accounts.queries import get_user_by_handle
from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Membership
from belong.communities.permissions import can, check
from belong.communities.schemas import MemberOut
from belong.conversations.models import Tag
from belong.core.errors import Invalid, NotFound
from belong.core.ratelimit import rate_limited
from belong.recognition import programme
from belong.recognition.members import member_by_handle, recognition_community
from belong.recognition.models import Nomination
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.programme import Candidate
from belong.recognition.schemas.programme import (
    AreasIn,
    CandidateFilter,
    CandidateOut,
    NominationFilter,
    NominationIn,
    NominationOut,
    ProgrammeMemberFilter,
    ProgrammeMemberOut,
)

router = Router(tags=["recognition"])

COMMUNITY = "/communities/{slug}"
NOMINATIONS = COMMUNITY + "/nominations"
NOMINATION = NOMINATIONS + "/{nomination_id}"


def _tag_field(community: Community, slug: str | None) -> Tag | None:
    """A tag a filter names by address; unknown is invalid input."""
    if not slug:
        return None
    tag = Tag.objects.filter(community=community, slug=slug).first()
    if tag is None:
        raise Invalid(_("No tag at this address."), errors={"tag": [_("Unknown tag.")]})
    return tag


def _nomination(request: HttpRequest, slug: str, nomination_id: int) -> Nomination:
    return programme.get_nomination(user_of(request), community_queries.get_community(slug), nomination_id)


@router.get(
    COMMUNITY + "/programme/candidates",
    response={200: list[CandidateOut], **READ_ERRORS},
    summary="Suggest programme candidates",
    operation_id="suggest_programme_candidates",
)
def suggest_programme_candidates(request: HttpRequest, slug: str, filters: Query[CandidateFilter]) -> list[Candidate]:
    """Suggest members for a programme from the data, best first (owners and community managers).

    Ambassadors: the most helpful answerers of the last 90 days (“Helpful” reactions received plus five
    per accepted answer), then by points; members and experts only. Experts: the members with the most
    accepted answers on each tag's threads (the best three per tag, or the best of `tag`); members and
    ambassadors only. Nobody with a nomination to the programme waiting for an answer.
    """
    community = community_queries.get_community(slug)
    check(user_of(request), Can.MANAGE_PROGRAMME, community)
    tag = _tag_field(community, filters.tag)
    return programme.candidates(community, filters.programme, tag=tag, limit=filters.limit)


@router.get(
    NOMINATIONS,
    response={200: list[NominationOut], **READ_ERRORS},
    summary="List nominations",
    operation_id="list_nominations",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_nominations(request: HttpRequest, slug: str, filters: Query[NominationFilter]) -> QuerySet[Nomination]:
    """List the community's nominations, newest first, for its managers; anyone else gets their own."""
    user = user_of(request)
    community = community_queries.get_community(slug)
    managing = can(user, Can.MANAGE_PROGRAMME, community)
    nominations = programme.nominations_of(community, user=None if managing else user)
    if filters.state:
        nominations = nominations.filter(state=filters.state)
    if filters.programme:
        nominations = nominations.filter(programme=filters.programme)
    return nominations


@router.post(
    NOMINATIONS,
    response={201: NominationOut, **WRITE_ERRORS},
    summary="Nominate a member",
    operation_id="nominate_member",
)
@rate_limited
def nominate_member(request: HttpRequest, slug: str, payload: NominationIn) -> Status[Nomination]:
    """Invite an active member into the ambassador or the expert programme (owners and community managers).

    Experts need at least one area (tag). The nominee is e-mailed in their language and accepts or
    declines. 409 if they already hold the programme's role or one above it, or a nomination to the
    programme is waiting for their answer; 422 for someone who is not an active member.
    """
    user = user_of(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_PROGRAMME, community)
    try:
        nominee = get_user_by_handle(payload.member.lstrip("@"))
    except NotFound as error:
        raise Invalid(_("No one has this handle."), errors={"member": [_("Unknown handle.")]}) from error
    nomination = programme.nominate(
        actor=user,
        community=community,
        user=nominee,
        programme=payload.programme,
        areas=programme.tags_by_slug(community, payload.areas),
        message=payload.message,
    )
    return Status(201, programme.get_nomination(user, community, nomination.pk))


@router.get(
    NOMINATION,
    response={200: NominationOut, **READ_ERRORS},
    summary="Get a nomination",
    operation_id="get_nomination",
)
def get_nomination(request: HttpRequest, slug: str, nomination_id: int) -> Nomination:
    """Return a nomination to its nominee or to the community's managers."""
    return _nomination(request, slug, nomination_id)


@router.post(
    NOMINATION + "/accept",
    response={200: NominationOut, **WRITE_ERRORS},
    summary="Accept a nomination",
    operation_id="accept_nomination",
)
@rate_limited
def accept_nomination(request: HttpRequest, slug: str, nomination_id: int) -> Nomination:
    """Join the programme you were nominated to: your role becomes ambassador or expert (the nominee only)."""
    nomination = _nomination(request, slug, nomination_id)
    programme.answer_nomination(user=user_of(request), nomination=nomination, accept=True)
    return _nomination(request, slug, nomination.pk)


@router.post(
    NOMINATION + "/decline",
    response={200: NominationOut, **WRITE_ERRORS},
    summary="Decline a nomination",
    operation_id="decline_nomination",
)
@rate_limited
def decline_nomination(request: HttpRequest, slug: str, nomination_id: int) -> Nomination:
    """Say no to a nomination (the nominee only); managers may nominate you again later."""
    nomination = _nomination(request, slug, nomination_id)
    programme.answer_nomination(user=user_of(request), nomination=nomination, accept=False)
    return _nomination(request, slug, nomination.pk)


@router.post(
    NOMINATION + "/withdraw",
    response={200: NominationOut, **WRITE_ERRORS},
    summary="Withdraw a nomination",
    operation_id="withdraw_nomination",
)
@rate_limited
def withdraw_nomination(request: HttpRequest, slug: str, nomination_id: int) -> Nomination:
    """Take back a nomination still waiting for its answer (owners and community managers)."""
    nomination = _nomination(request, slug, nomination_id)
    programme.withdraw_nomination(actor=user_of(request), nomination=nomination)
    return _nomination(request, slug, nomination.pk)


@router.get(
    COMMUNITY + "/experts",
    response={200: list[ProgrammeMemberOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List experts and ambassadors",
    operation_id="list_programme_members",
)
@paginate(KeysetPagination, ordering=("role", "id"))
def list_programme_members(
    request: HttpRequest, slug: str, filters: Query[ProgrammeMemberFilter]
) -> QuerySet[Membership]:
    """Who to ask about what: the active ambassadors, then the experts with their areas; anyone may read it."""
    community = recognition_community(viewer_of(request), slug)
    tag = _tag_field(community, filters.tag)
    return programme.programme_members(community, programme=filters.programme, tag=tag)


@router.put(
    COMMUNITY + "/members/{handle}/areas",
    response={200: ProgrammeMemberOut, **WRITE_ERRORS},
    summary="Set an expert's areas",
    operation_id="set_expert_areas",
)
@rate_limited
def set_expert_areas(request: HttpRequest, slug: str, handle: str, payload: AreasIn) -> Membership:
    """Replace the areas (tags) an expert is known for (owners and community managers); 409 for a non-expert."""
    user = user_of(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_PROGRAMME, community)
    membership = member_by_handle(community, handle)
    programme.set_areas(actor=user, membership=membership, tags=programme.tags_by_slug(community, payload.areas))
    return programme.programme_members(community).get(pk=membership.pk)


@router.delete(
    COMMUNITY + "/programme/members/{handle}",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Take a member out of the programme",
    operation_id="leave_programme",
)
@rate_limited
def leave_programme(request: HttpRequest, slug: str, handle: str) -> Membership:
    """Take an ambassador or expert out of the programme (owners and community managers), or leave it
    yourself: the role becomes member again and an expert's areas are removed. 409 for anyone else."""
    membership = member_by_handle(community_queries.get_community(slug), handle)
    return programme.leave_programme(actor=user_of(request), membership=membership)
