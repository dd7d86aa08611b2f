"""Every read of communities, spaces, memberships and invitations used by views and the API.

Each list runs a fixed number of queries whatever its length (select_related, annotations).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import (
    Community,
    Invitation,
    Membership,
    MembershipState,
    Role,
    Space,
    SpaceAccess,
    SpaceVisibility,
)
from belong.communities.permissions import SEES_ALL_SPACES, effective_role, membership_for
from belong.core.errors import NotFound


def communities() -> QuerySet[Community]:
    """All communities, for directory pages (each carries its cached `member_count`)."""
    return Community.objects.order_by("name", "id")


def get_community(slug: str) -> Community:
    community = communities().filter(slug=slug).first()
    if community is None:
        raise NotFound(_("No community at this address."))
    return community


def communities_of(user: Any) -> QuerySet[Membership]:
    """The person's memberships that still count (not left), with their communities."""
    return (
        Membership.objects.filter(user=user)
        .exclude(state=MembershipState.LEFT)
        .select_related("community")
        .order_by("community__name", "id")
    )


def spaces_visible_to(user: Any, community: Community) -> QuerySet[Space]:
    """The community's spaces the person may see, in their order (archived ones last)."""
    spaces = Space.objects.filter(community=community).select_related("community")
    role = effective_role(user, membership_for(user, community))
    if role is None:
        return spaces.filter(visibility=SpaceVisibility.PUBLIC).order_by("is_archived", "position", "name", "id")
    if role not in SEES_ALL_SPACES:
        visible = Q(visibility__in=[SpaceVisibility.PUBLIC, SpaceVisibility.MEMBERS])
        # One query: restricted spaces open to the person's role, or to them by name (SpaceAccess).
        granted = Exists(SpaceAccess.objects.filter(space=OuterRef("pk"), user=user))
        restricted_ids = [
            space.pk
            for space in spaces.filter(visibility=SpaceVisibility.RESTRICTED)
            .select_related(None)
            .only("pk", "allowed_roles")
            .annotate(granted=granted)
            if role in space.allowed_roles or space.granted
        ]
        spaces = spaces.filter(visible | Q(pk__in=restricted_ids))
    return spaces.order_by("is_archived", "position", "name", "id")


def get_space(community: Community, slug: str) -> Space:
    space = Space.objects.select_related("community").filter(community=community, slug=slug).first()
    if space is None:
        raise NotFound(_("No space at this address."))
    return space


def members_of(
    community: Community, *, state: str | None = MembershipState.ACTIVE, role: str | None = None, search: str = ""
) -> QuerySet[Membership]:
    """Memberships of the community with their people, filtered by state, role and name."""
    memberships = Membership.objects.filter(community=community).select_related("user", "invited_by", "community")
    if state == MembershipState.ACTIVE:
        # A suspension that has run out counts as active until someone touches the row again.
        memberships = memberships.filter(
            Q(state=MembershipState.ACTIVE) | Q(state=MembershipState.SUSPENDED, suspended_until__lte=timezone.now())
        )
    elif state:
        memberships = memberships.filter(state=state)
    if role:
        memberships = memberships.filter(role=role)
    if search:
        memberships = memberships.filter(Q(user__handle__icontains=search) | Q(user__display_name__icontains=search))
    return memberships.order_by("-created_at", "-id")


def get_membership(community: Community, membership_id: int) -> Membership:
    membership = members_of(community, state=None).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("No such member."))
    return membership


def staff_of(community: Community) -> QuerySet[Membership]:
    """The brand's people, for the community home page."""
    return members_of(community).filter(role__in=[Role.OWNER, Role.MANAGER, Role.STAFF]).order_by("role", "id")


def invitations_of(community: Community, *, usable_only: bool = False) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(community=community).select_related("inviter", "community")
    if usable_only:
        invitations = invitations.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return invitations.order_by("-created_at", "-id")


def get_invitation_by_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("community", "inviter").filter(token=token).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist."))
    return invitation
