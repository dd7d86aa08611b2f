"""API endpoints of recognition: leaderboards, the points rules and settings, a member's points and history."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Space
from belong.communities.permissions import check
from belong.core.errors import Invalid
from belong.core.ratelimit import rate_limited
from belong.recognition import leaderboards, points
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.members import member_by_handle, recognition_community
from belong.recognition.models import PointsEntry, PointsRule, RecognitionSettings
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.schemas.points import (
    CancelEntryIn,
    EntryOut,
    GivePointsIn,
    LeaderboardFilter,
    LeaderboardOut,
    MemberPointsOut,
    PointsSettingsOut,
    PointsSettingsPatch,
    RuleOut,
    RulesPatch,
)

router = Router(tags=["recognition"])

COMMUNITY = "/communities/{slug}"
RULES = COMMUNITY + "/points/rules"
SETTINGS = COMMUNITY + "/points/settings"
MEMBER_POINTS = COMMUNITY + "/members/{handle}/points"
EntryId = Annotated[int, Field(ge=1, le=2**63 - 1, description="A points entry's id.")]


def _space_field(request: HttpRequest, community: Community, slug: str | None) -> Space | None:
    """A space named in the filters: unknown (or not visible to the caller) is invalid input."""
    if not slug:
        return None
    space = community_queries.spaces_visible_to(viewer_of(request), community).filter(slug=slug).first()
    if space is None:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]})
    return space


def _rules(community: Community) -> list[PointsRule]:
    return sorted(rules_of(community.pk).values(), key=lambda rule: rule.pk)


# Leaderboards


@router.get(
    COMMUNITY + "/leaderboard",
    response={200: LeaderboardOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a leaderboard",
    operation_id="get_leaderboard",
)
def get_leaderboard(request: HttpRequest, slug: str, filters: Query[LeaderboardFilter]) -> dict[str, Any]:
    """The members with the most points this week, this month or ever, in the community or one space, and your own
    place. Staff (the brand's people and moderators) are left out unless the community shows them or you ask."""
    community = recognition_community(viewer_of(request), slug)
    space = _space_field(request, community, filters.space)
    include_staff = (
        settings_of(community.pk).leaderboard_includes_staff if filters.include_staff is None else filters.include_staff
    )
    return {
        "period": filters.period,
        "since": leaderboards.period_start(filters.period),
        "space": space,
        "include_staff": include_staff,
        "results": leaderboards.leaderboard(community, filters.period, space, include_staff, filters.limit),
        "me": leaderboards.standing_in(community, viewer_of(request), filters.period, space, include_staff),
    }


# Rules and settings (managers)


@router.get(
    RULES,
    response={200: list[RuleOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the points rules",
    operation_id="list_points_rules",
)
@paginate(KeysetPagination, ordering=("id",))
def list_points_rules(request: HttpRequest, slug: str) -> QuerySet[PointsRule]:
    """What each kind of contribution earns in the community and at most how much a day (the defaults until changed)."""
    community = recognition_community(viewer_of(request), slug)
    rules_of(community.pk)
    return PointsRule.objects.filter(community=community)


@router.patch(
    RULES,
    response={200: list[RuleOut], **WRITE_ERRORS},
    summary="Change the points rules",
    operation_id="update_points_rules",
)
@rate_limited
def update_points_rules(request: HttpRequest, slug: str, payload: RulesPatch) -> list[PointsRule]:
    """Change rules' points and daily caps (owners and community managers); all of the changes or none.
    Returns every rule. Points already earned stay as they were."""
    community = recognition_community(viewer_of(request), slug)
    points.update_rules(actor=user_of(request), community=community, changes=payload.changes())
    return _rules(community)


@router.get(
    SETTINGS,
    response={200: PointsSettingsOut, **READ_ERRORS},
    summary="Get the points settings",
    operation_id="get_points_settings",
)
def get_points_settings(request: HttpRequest, slug: str) -> RecognitionSettings:
    """The cap on points between two members a day, and whether staff appear on leaderboards (managers)."""
    community = recognition_community(viewer_of(request), slug)
    check(user_of(request), Can.MANAGE_RECOGNITION, community)
    return settings_of(community.pk)


@router.patch(
    SETTINGS,
    response={200: PointsSettingsOut, **WRITE_ERRORS},
    summary="Change the points settings",
    operation_id="update_points_settings",
)
@rate_limited
def update_points_settings(request: HttpRequest, slug: str, payload: PointsSettingsPatch) -> RecognitionSettings:
    """Change the cap between two members or staff on leaderboards (owners and community managers); fields left
    out keep their value."""
    community = recognition_community(viewer_of(request), slug)
    return points.update_settings(actor=user_of(request), community=community, **payload.changes())


# A member's points


@router.get(
    MEMBER_POINTS,
    response={200: MemberPointsOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a member's points",
    operation_id="get_member_points",
)
def get_member_points(request: HttpRequest, slug: str, handle: str) -> dict[str, Any]:
    """A member's total points in the community and the rank they reached."""
    community = recognition_community(viewer_of(request), slug)
    membership = member_by_handle(community, handle)
    total, rank = points.standing_of(community.pk, membership.user_id)
    return {"user": membership.user, "total": total, "rank": rank}


@router.get(
    MEMBER_POINTS + "/history",
    response={200: list[EntryOut], **READ_ERRORS},
    summary="List a member's points history",
    operation_id="list_member_points_history",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_member_points_history(request: HttpRequest, slug: str, handle: str) -> QuerySet[PointsEntry]:
    """Every line of a member's points, newest first (the member themselves, and managers)."""
    community = recognition_community(viewer_of(request), slug)
    membership = member_by_handle(community, handle)
    check(user_of(request), Can.VIEW_LEDGER, membership)
    return points.history_of(community.pk, membership.user_id)


@router.post(
    MEMBER_POINTS,
    response={201: EntryOut, **WRITE_ERRORS},
    summary="Give a member points",
    operation_id="give_member_points",
)
@rate_limited
def give_member_points(request: HttpRequest, slug: str, handle: str, payload: GivePointsIn) -> Status[PointsEntry]:
    """Give a member points by hand, or take some with a negative number, with a reason they see
    (owners and community managers, never to themselves)."""
    community = recognition_community(viewer_of(request), slug)
    entry = points.give_points(
        actor=user_of(request),
        membership=member_by_handle(community, handle),
        points=payload.points,
        reason=payload.reason,
    )
    return Status(201, points.history_of(community.pk, entry.user_id).get(pk=entry.pk))


@router.post(
    COMMUNITY + "/points/entries/{entry_id}/cancel",
    response={201: EntryOut, **WRITE_ERRORS},
    summary="Cancel points",
    operation_id="cancel_points_entry",
)
@rate_limited
def cancel_points_entry(
    request: HttpRequest, slug: str, entry_id: EntryId, payload: CancelEntryIn
) -> Status[PointsEntry]:
    """Cancel a line of points (earned or given by hand) with a reversing line, which is returned (owners and
    community managers). Cancelled points do not come back if the same contribution is replayed."""
    community = recognition_community(viewer_of(request), slug)
    reversal = points.cancel_entry(
        actor=user_of(request), entry=points.get_entry(community, entry_id), reason=payload.reason
    )
    return Status(201, points.history_of(community.pk, reversal.user_id).get(pk=reversal.pk))
