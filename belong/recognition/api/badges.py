"""API endpoints of recognition: badges, their holders, awards by hand and a member's badges."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities.permissions import can
from belong.core.errors import Invalid, NotFound
from belong.core.ratelimit import rate_limited
from belong.recognition import badges as actions
from belong.recognition.members import member_named, recognition_community
from belong.recognition.models import Badge, BadgeAward
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.schemas.badges import AwardIn, BadgeAwardOut, BadgeIn, BadgeOut, BadgePatch, MemberBadgeOut

router = Router(tags=["recognition"])

COMMUNITY = "/communities/{slug}"
BADGES = COMMUNITY + "/badges"
BADGE = BADGES + "/{key}"


def _badge(request: HttpRequest, slug: str, key: str) -> Badge:
    return actions.get_badge(recognition_community(viewer_of(request), slug), key)


@router.get(
    BADGES,
    response={200: list[BadgeOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List badges",
    operation_id="list_badges",
)
@paginate(KeysetPagination, ordering=("-builtin", "id"))
def list_badges(request: HttpRequest, slug: str) -> QuerySet[Badge]:
    """List the badges one can earn, built-in ones first, with how many members hold each.
    Managers also get the badges switched off."""
    community = recognition_community(viewer_of(request), slug)
    managing = can(viewer_of(request), Can.MANAGE_RECOGNITION, community)
    return actions.catalogue_of(community, include_disabled=managing)


@router.post(
    BADGES,
    response={201: BadgeOut, **WRITE_ERRORS},
    summary="Create a badge",
    operation_id="create_badge",
)
@rate_limited
def create_badge(request: HttpRequest, slug: str, payload: BadgeIn) -> Status[Badge]:
    """Add a badge of the community's own, given by hand (owners and community managers)."""
    community = recognition_community(viewer_of(request), slug)
    fields = payload.model_dump(exclude={"key", "name"})
    badge = actions.create_badge(
        actor=user_of(request), community=community, key=payload.key, name=payload.name, **fields
    )
    return Status(201, actions.get_badge(community, badge.key))


@router.get(
    BADGE,
    response={200: BadgeOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a badge",
    operation_id="get_badge",
)
def get_badge(request: HttpRequest, slug: str, key: str) -> Badge:
    """Return one badge with how many members hold it."""
    return _badge(request, slug, key)


@router.patch(
    BADGE,
    response={200: BadgeOut, **WRITE_ERRORS},
    summary="Change a badge",
    operation_id="update_badge",
)
@rate_limited
def update_badge(request: HttpRequest, slug: str, key: str, payload: BadgePatch) -> Badge:
    """Rename, redraw, re-tier or switch a badge on or off (owners and community managers); fields left out keep
    their value. A built-in badge stays once-only or repeatable, as its rule needs."""
    badge = _badge(request, slug, key)
    actions.update_badge(actor=user_of(request), badge=badge, **payload.changes())
    return actions.get_badge(badge.community, badge.key)


@router.delete(
    BADGE,
    response={204: None, **WRITE_ERRORS},
    summary="Delete a badge",
    operation_id="delete_badge",
)
@rate_limited
def delete_badge(request: HttpRequest, slug: str, key: str) -> Status[None]:
    """Delete a badge of the community's own that no one holds (owners and community managers);
    built-in badges are switched off instead."""
    actions.delete_badge(actor=user_of(request), badge=_badge(request, slug, key))
    return Status(204, None)


@router.get(
    BADGE + "/holders",
    response={200: list[BadgeAwardOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List a badge's holders",
    operation_id="list_badge_holders",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_badge_holders(request: HttpRequest, slug: str, key: str) -> QuerySet[BadgeAward]:
    """List every award of the badge, newest first: a repeatable badge lists a member once per award."""
    return actions.holders_of(_badge(request, slug, key))


@router.post(
    BADGE + "/awards",
    response={201: BadgeAwardOut, **WRITE_ERRORS},
    summary="Give a badge",
    operation_id="award_badge",
)
@rate_limited
def award_badge(request: HttpRequest, slug: str, key: str, payload: AwardIn) -> Status[BadgeAward]:
    """Give a badge by hand to an active member, with the reason they see (owners and community managers, never to
    themselves). A once-only badge they hold already is a conflict."""
    community = recognition_community(viewer_of(request), slug)
    badge = actions.get_badge(community, key)
    membership = member_named(community, payload.handle)
    award = actions.award_badge(
        actor=user_of(request), membership=membership, key=badge.key, reason=payload.reason, source=payload.source
    )
    return Status(201, actions.holders_of(badge).get(pk=award.pk))


@router.delete(
    COMMUNITY + "/badge-awards/{award_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Take a badge back",
    operation_id="revoke_badge",
)
@rate_limited
def revoke_badge(request: HttpRequest, slug: str, award_id: int, reason: str = "") -> Status[None]:
    """Take back one award of a badge (owners and community managers), with an optional `reason` for the log:
    the points it earned are reversed, and its rule does not give it again."""
    community = recognition_community(viewer_of(request), slug)
    actions.revoke_badge(actor=user_of(request), award=actions.get_award(community, award_id), reason=reason)
    return Status(204, None)


@router.get(
    COMMUNITY + "/members/{handle}/badges",
    response={200: list[MemberBadgeOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List a member's badges",
    operation_id="get_member_badges",
)
def list_member_badges(request: HttpRequest, slug: str, handle: str) -> list[Badge]:
    """List the badges a member holds, each once with how many times, latest first (at most one row per badge of
    the community, so not paginated)."""
    community = recognition_community(viewer_of(request), slug)
    try:
        membership = member_named(community, handle)
    except Invalid as error:  # in the address, an unknown member is a missing page
        raise NotFound(error.detail) from error
    return list(actions.badges_of_member(community.pk, membership.user_id))
