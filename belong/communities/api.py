"""Communities, their spaces, members and invitations; and the signed-in person's memberships."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import actions, queries
from belong.communities.models import Community, Invitation, Membership, MembershipState, Space
from belong.communities.permissions import Action, can, check
from belong.communities.schemas import (
    CommunityFilter,
    CommunityIn,
    CommunityOut,
    CommunityPatch,
    InvitationIn,
    InvitationOut,
    MemberFilter,
    MemberOut,
    MyMembershipOut,
    ReasonIn,
    RequiredReasonIn,
    RoleIn,
    SpaceIn,
    SpaceOut,
    SpacePatch,
    SuspendIn,
)
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.ratelimit import rate_limited

router = Router(tags=["communities"])

COMMUNITY = "/communities/{slug}"
MEMBER = COMMUNITY + "/members/{member_id}"


@contextmanager
def _taken_address_is_a_conflict(taken: Callable[[], bool]) -> Iterator[None]:
    """Report a taken address as 409 Conflict, as the API promises; the actions call it invalid input."""
    try:
        yield
    except Invalid as error:
        if taken():
            errors = {**error.errors, "slug": [_("This address is taken.")]}
            raise Conflict(_("This address is taken."), errors=errors) from error
        raise


# Communities


@router.get(
    "/communities",
    response={200: list[CommunityOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List communities",
    operation_id="list_communities",
)
@paginate(KeysetPagination, ordering=("name", "id"))
def list_communities(request: HttpRequest, filters: Query[CommunityFilter]) -> QuerySet[Community]:
    """List every community by name, with its number of active members; anyone may read it."""
    communities = queries.communities()
    if filters.q:
        communities = communities.filter(Q(name__icontains=filters.q) | Q(slug__icontains=filters.q))
    return communities


@router.post(
    "/communities",
    response={201: CommunityOut, **WRITE_ERRORS},
    summary="Create a community",
    operation_id="create_community",
)
@rate_limited
def create_community(request: HttpRequest, payload: CommunityIn) -> Status[Community]:
    """Found a community: you become its owner and it gets a first space, General."""
    with _taken_address_is_a_conflict(lambda: Community.objects.filter(slug=payload.slug).exists()):
        community = actions.create_community(creator=user_of(request), **payload.model_dump())
    return Status(201, queries.get_community(community.slug))


@router.get(
    COMMUNITY,
    response={200: CommunityOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a community",
    operation_id="get_community",
)
def get_community(request: HttpRequest, slug: str) -> Community:
    """Return one community by its address; anyone may read it."""
    community = queries.get_community(slug)
    check(viewer_of(request), Action.VIEW_COMMUNITY, community)
    return community


@router.patch(
    COMMUNITY,
    response={200: CommunityOut, **WRITE_ERRORS},
    summary="Change a community",
    operation_id="update_community",
)
@rate_limited
def update_community(request: HttpRequest, slug: str, payload: CommunityPatch) -> Community:
    """Change a community's settings (owners and community managers); fields left out keep their value."""
    community = queries.get_community(slug)
    taken = Community.objects.filter(slug=payload.slug).exclude(pk=community.pk).exists
    with _taken_address_is_a_conflict(taken):
        community = actions.update_community(actor=user_of(request), community=community, **payload.changes())
    return queries.get_community(community.slug)


# Spaces


@router.get(
    COMMUNITY + "/spaces",
    response={200: list[SpaceOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List spaces",
    operation_id="list_spaces",
)
@paginate(KeysetPagination, ordering=("is_archived", "position", "name", "id"))
def list_spaces(request: HttpRequest, slug: str) -> QuerySet[Space]:
    """List the community's spaces you may see, in their order, archived ones last."""
    return queries.spaces_visible_to(viewer_of(request), queries.get_community(slug))


@router.post(
    COMMUNITY + "/spaces",
    response={201: SpaceOut, **WRITE_ERRORS},
    summary="Create a space",
    operation_id="create_space",
)
@rate_limited
def create_space(request: HttpRequest, slug: str, payload: SpaceIn) -> Status[Space]:
    """Add a space to the community (owners and community managers)."""
    community = queries.get_community(slug)
    with _taken_address_is_a_conflict(community.spaces.filter(slug=payload.slug).exists):
        space = actions.create_space(actor=user_of(request), community=community, **payload.model_dump())
    return Status(201, space)


@router.get(
    COMMUNITY + "/spaces/{space_slug}",
    response={200: SpaceOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a space",
    operation_id="get_space",
)
def get_space(request: HttpRequest, slug: str, space_slug: str) -> Space:
    """Return one space, if you may see it."""
    space = queries.get_space(queries.get_community(slug), space_slug)
    check(viewer_of(request), Action.VIEW_SPACE, space)
    return space


@router.patch(
    COMMUNITY + "/spaces/{space_slug}",
    response={200: SpaceOut, **WRITE_ERRORS},
    summary="Change a space",
    operation_id="update_space",
)
@rate_limited
def update_space(request: HttpRequest, slug: str, space_slug: str, payload: SpacePatch) -> Space:
    """Rename, reorder, change who sees or archive a space (owners and community managers)."""
    space = queries.get_space(queries.get_community(slug), space_slug)
    taken = Space.objects.filter(community=space.community_id, slug=payload.slug).exclude(pk=space.pk).exists
    with _taken_address_is_a_conflict(taken):
        return actions.update_space(actor=user_of(request), space=space, **payload.changes())


# Members


def _visible_membership(request: HttpRequest, slug: str, member_id: int) -> Membership:
    """A membership the caller may see: their own, an active one for members, any for managers."""
    user = user_of(request)
    membership = queries.get_membership(queries.get_community(slug), member_id)
    if membership.user_id == user.pk:
        return membership
    check(user, Action.VIEW_MEMBERS, membership.community)
    if membership.state != MembershipState.ACTIVE and not can(user, Action.MANAGE_MEMBERS, membership.community):
        raise NotFound(_("No such member."))
    return membership


def _membership(slug: str, member_id: int) -> Membership:
    return queries.get_membership(queries.get_community(slug), member_id)


@router.get(
    COMMUNITY + "/members",
    response={200: list[MemberOut], **READ_ERRORS},
    summary="List members",
    operation_id="list_members",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_members(request: HttpRequest, slug: str, filters: Query[MemberFilter]) -> QuerySet[Membership]:
    """List the community's members, newest first (active members only); managers may list other states."""
    user = user_of(request)
    community = queries.get_community(slug)
    check(user, Action.VIEW_MEMBERS, community)
    if filters.state != MembershipState.ACTIVE:
        check(user, Action.MANAGE_MEMBERS, community)
    return queries.members_of(community, state=filters.state, role=filters.role, search=filters.q or "")


@router.get(MEMBER, response={200: MemberOut, **READ_ERRORS}, summary="Get a member", operation_id="get_member")
def get_member(request: HttpRequest, slug: str, member_id: int) -> Membership:
    """Return one membership: any active one to members, your own always, any to managers."""
    return _visible_membership(request, slug, member_id)


@router.post(
    COMMUNITY + "/join",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Join a community",
    operation_id="join_community",
)
@rate_limited
def join_community(request: HttpRequest, slug: str) -> Membership:
    """Join an open community, or ask to join one that needs approval (the membership is then pending)."""
    return actions.join_community(user=user_of(request), community=queries.get_community(slug))


@router.post(
    COMMUNITY + "/leave",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Leave a community",
    operation_id="leave_community",
)
@rate_limited
def leave_community(request: HttpRequest, slug: str) -> Membership:
    """Leave the community; the last owner must make someone else owner first."""
    return actions.leave_community(user=user_of(request), community=queries.get_community(slug))


@router.post(
    MEMBER + "/approve",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Approve a request to join",
    operation_id="approve_member",
)
@rate_limited
def approve_member(request: HttpRequest, slug: str, member_id: int) -> Membership:
    """Let a pending applicant in (owners and community managers)."""
    return actions.approve_membership(actor=user_of(request), membership=_membership(slug, member_id))


@router.post(
    MEMBER + "/decline",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Decline a request to join",
    operation_id="decline_member",
)
@rate_limited
def decline_member(request: HttpRequest, slug: str, member_id: int, payload: ReasonIn) -> Membership:
    """Turn down a pending request; the person may ask again later."""
    return actions.decline_membership(
        actor=user_of(request), membership=_membership(slug, member_id), reason=payload.reason
    )


@router.post(
    MEMBER + "/suspend",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Suspend a member",
    operation_id="suspend_member",
)
@rate_limited
def suspend_member(request: HttpRequest, slug: str, member_id: int, payload: SuspendIn) -> Membership:
    """Suspend a member until a date, with a reason they are told (moderators and up)."""
    return actions.suspend_member(
        actor=user_of(request), membership=_membership(slug, member_id), until=payload.until, reason=payload.reason
    )


@router.post(
    MEMBER + "/ban",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Ban a member",
    operation_id="ban_member",
)
@rate_limited
def ban_member(request: HttpRequest, slug: str, member_id: int, payload: RequiredReasonIn) -> Membership:
    """Ban a member for good, with a reason they are told (owners and community managers)."""
    return actions.ban_member(actor=user_of(request), membership=_membership(slug, member_id), reason=payload.reason)


@router.post(
    MEMBER + "/reinstate",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Reinstate a member",
    operation_id="reinstate_member",
)
@rate_limited
def reinstate_member(request: HttpRequest, slug: str, member_id: int, payload: ReasonIn) -> Membership:
    """Lift a suspension (moderators and up) or a ban (owners and community managers)."""
    return actions.reinstate_member(
        actor=user_of(request), membership=_membership(slug, member_id), reason=payload.reason
    )


@router.put(
    MEMBER + "/role",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Change a member's role",
    operation_id="change_member_role",
)
@rate_limited
def change_member_role(request: HttpRequest, slug: str, member_id: int, payload: RoleIn) -> Membership:
    """Give a member another role: only someone you outrank, and never a role as high as your own."""
    return actions.change_role(actor=user_of(request), membership=_membership(slug, member_id), role=payload.role)


# Invitations


@router.get(
    COMMUNITY + "/invitations",
    response={200: list[InvitationOut], **READ_ERRORS},
    summary="List invitations",
    operation_id="list_invitations",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_invitations(request: HttpRequest, slug: str) -> QuerySet[Invitation]:
    """List the community's invitations, newest first (those who may invite)."""
    community = queries.get_community(slug)
    check(user_of(request), Action.INVITE, community)
    return queries.invitations_of(community)


@router.post(
    COMMUNITY + "/invitations",
    response={201: InvitationOut, **WRITE_ERRORS},
    summary="Invite people",
    operation_id="create_invitation",
)
@rate_limited
def create_invitation(request: HttpRequest, slug: str, payload: InvitationIn) -> Status[Invitation]:
    """Invite one person by e-mail (they get a message) or create a link anyone may use."""
    invitation = actions.create_invitation(
        actor=user_of(request),
        community=queries.get_community(slug),
        email=payload.email or "",
        role=payload.role,
        max_uses=payload.max_uses,
        expires_in=timedelta(days=payload.expires_in_days),
    )
    return Status(201, invitation)


@router.delete(
    COMMUNITY + "/invitations/{invitation_id}",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Revoke an invitation",
    operation_id="revoke_invitation",
)
@rate_limited
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> Invitation:
    """Stop an invitation from being used (its inviter, or owners and community managers)."""
    invitation = queries.invitations_of(queries.get_community(slug)).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return actions.revoke_invitation(actor=user_of(request), invitation=invitation)


@router.post(
    "/invitations/{token}/accept",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="Accept an invitation",
    operation_id="accept_invitation",
)
@rate_limited
def accept_invitation(request: HttpRequest, token: str) -> Membership:
    """Join the community the invitation is for, in the role it gives."""
    return actions.accept_invitation(user=user_of(request), token=token)


# The signed-in person's memberships (part of /me, kept here because memberships are this app's)


@router.get(
    "/me/memberships",
    response={200: list[MyMembershipOut], **READ_ERRORS},
    tags=["me"],
    summary="Your memberships",
    operation_id="list_my_memberships",
)
@paginate(KeysetPagination, ordering=("community__name", "id"))
def list_my_memberships(request: HttpRequest) -> QuerySet[Membership]:
    """List the communities you belong to (or asked to join, or are suspended or banned from), by name."""
    return queries.communities_of(user_of(request))
