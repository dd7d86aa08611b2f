"""Finding what a recognition page or endpoint is about: the community, and the member by handle."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from belong.communities.models import Community, Membership, MembershipState
from belong.communities.permissions import check
from belong.communities.queries import get_community
from belong.core.errors import Invalid, NotFound
from belong.recognition.permissions import RecognitionAction


def recognition_community(viewer: Any, slug: str) -> Community:
    """The community at `slug`, once `viewer` may see its recognition (NotFound or NotAllowed otherwise)."""
    community = get_community(slug)
    check(viewer, RecognitionAction.VIEW_RECOGNITION, community)
    return community


def member_by_handle(community: Community, handle: str) -> Membership:
    """The membership (with its person) of the handle in this community; NotFound if they never joined or left."""
    cleaned = (handle or "").strip().lstrip("@")
    membership = (
        Membership.objects.select_related("user", "community")
        .filter(community=community, user__handle__iexact=cleaned, user__is_active=True)
        .exclude(state__in=[MembershipState.LEFT, MembershipState.PENDING])
        .first()
        if cleaned
        else None
    )
    if membership is None:
        raise NotFound(_("No member of this community has the handle “%(handle)s”.") % {"handle": cleaned})
    return membership


def member_named(community: Community, handle: str, *, field: str = "handle") -> Membership:
    """`member_by_handle` for a handle typed into a form or a request body: an unknown one is invalid input on `field`."""
    try:
        return member_by_handle(community, handle)
    except NotFound as error:
        raise Invalid(error.detail, errors={field: [error.detail]}) from error
