"""API endpoints of recognition: the ranks ladder and perks (claiming codes; managers keep both)."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.accounts.models import User
from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Space
from belong.communities.permissions import can, check, membership_for
from belong.core.errors import Invalid, NotFound
from belong.core.ratelimit import rate_limited
from belong.recognition import perks, ranks
from belong.recognition.models import Perk, PerkCode, Rank
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.schemas.perks import (
    ClaimOut,
    ClaimRecordOut,
    CodesAddedOut,
    CodesIn,
    PerkIn,
    PerkOut,
    PerkPatch,
    RankIn,
    RankOut,
    RankPatch,
)

router = Router(tags=["recognition"])

COMMUNITY = "/communities/{slug}"
RANKS = COMMUNITY + "/ranks"
RANK = RANKS + "/{rank_id}"
PERKS = COMMUNITY + "/perks"
PERK = PERKS + "/{perk_id}"

Viewer = User | AnonymousUser


# Fields naming other rows


def _rank_field(community: Community, rank_id: int | None) -> Rank | None:
    if rank_id is None:
        return None
    rank = Rank.objects.filter(community=community, pk=rank_id).first()
    if rank is None:
        raise Invalid(_("Pick a rank of this community."), errors={"min_rank": [_("Unknown rank.")]})
    return rank


def _space_field(community: Community, space_slug: str | None) -> Space | None:
    if space_slug is None:
        return None
    try:
        return community_queries.get_space(community, space_slug)
    except NotFound as error:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]}) from error


# Ranks


def _ranked(community: Community, rank_id: int) -> Rank:
    """The rank as the ladder shows it (with its member count and perks)."""
    rank = ranks.ladder(community).filter(pk=rank_id).first()
    if rank is None:
        raise NotFound(_("No such rank."))
    return rank


@router.get(
    RANKS,
    response={200: list[RankOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the ranks",
    operation_id="list_ranks",
)
@paginate(KeysetPagination, ordering=("min_points", "id"))
def list_ranks(request: HttpRequest, slug: str) -> QuerySet[Rank]:
    """List the ladder from the lowest rank up, each with how many members hold it and the perks it unlocks.
    A community starts with five built-in ranks."""
    return ranks.ladder(community_queries.get_community(slug))


@router.post(
    RANKS,
    response={201: RankOut, **WRITE_ERRORS},
    summary="Add a rank",
    operation_id="create_rank",
)
@rate_limited
def create_rank(request: HttpRequest, slug: str, payload: RankIn) -> Status[Rank]:
    """Add a rank (owners and community managers); members who now reach it move at once.
    A threshold another rank has is refused (422, an error on `min_points`)."""
    community = community_queries.get_community(slug)
    rank = ranks.create_rank(actor=user_of(request), community=community, **payload.model_dump())
    return Status(201, _ranked(community, rank.pk))


@router.patch(
    RANK,
    response={200: RankOut, **WRITE_ERRORS},
    summary="Change a rank",
    operation_id="update_rank",
)
@rate_limited
def update_rank(request: HttpRequest, slug: str, rank_id: int, payload: RankPatch) -> Rank:
    """Rename a rank or move its threshold (owners and community managers); fields left out keep their value."""
    community = community_queries.get_community(slug)
    ranks.update_rank(actor=user_of(request), rank=ranks.get_rank(community, rank_id), **payload.changes())
    return _ranked(community, rank_id)


@router.delete(
    RANK,
    response={200: list[RankOut], **WRITE_ERRORS},
    summary="Delete a rank",
    operation_id="delete_rank",
)
@rate_limited
def delete_rank(request: HttpRequest, slug: str, rank_id: int) -> list[Rank]:
    """Remove a rank no perk needs (owners and community managers); its members fall to the rank below.
    Returns the ladder left."""
    community = community_queries.get_community(slug)
    ranks.delete_rank(actor=user_of(request), rank=ranks.get_rank(community, rank_id))
    return list(ranks.ladder(community))


# Perks


def _with_standing(viewer: Viewer, community: Community, items: list[Perk]) -> list[Perk]:
    """Mark each perk with the caller's eligibility and code, and whether they see its codes' counts."""
    managing = can(viewer, Can.MANAGE_RECOGNITION, community)
    for row in perks.rows_for(items, membership_for(viewer, community)):
        vars(row.perk).update(
            eligible=row.eligible, unlock=row.unlock, my_code=row.code.code if row.code else None, managing=managing
        )
    return items


class PerkPagination(KeysetPagination):
    """Perks by name, each marked with where the caller stands."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=("name", "id"), **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request)
        if page["results"]:
            _with_standing(viewer_of(request), page["results"][0].community, page["results"])
        return page


def _perk(request: HttpRequest, slug: str, perk_id: int) -> Perk:
    """The perk with the caller's standing; switched-off perks are found by managers only."""
    viewer = viewer_of(request)
    community = community_queries.get_community(slug)
    perk = perks.get_perk(community, perk_id, managing=can(viewer, Can.MANAGE_RECOGNITION, community))
    return _with_standing(viewer, community, [perk])[0]


@router.get(
    PERKS,
    response={200: list[PerkOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the perks",
    operation_id="list_perks",
)
@paginate(PerkPagination)
def list_perks(request: HttpRequest, slug: str) -> QuerySet[Perk]:
    """List the perks offered, by name, each with whether you have it, what unlocks it and your code once claimed.
    Managers also get perks switched off, and how many codes are issued and left."""
    community = community_queries.get_community(slug)
    return perks.perks_of(community, managing=can(viewer_of(request), Can.MANAGE_RECOGNITION, community))


@router.post(
    PERKS,
    response={201: PerkOut, **WRITE_ERRORS},
    summary="Offer a perk",
    operation_id="create_perk",
)
@rate_limited
def create_perk(request: HttpRequest, slug: str, payload: PerkIn) -> Status[Perk]:
    """Offer a perk to a rank and up, to roles, or both (owners and community managers). A `space` perk opens a
    restricted space to everyone who has it (and closes it when they no longer do); a `code` perk gives each of them
    one code from `codes`, or a generated one when it has no pool."""
    community = community_queries.get_community(slug)
    perk = perks.create_perk(
        actor=user_of(request),
        community=community,
        name=payload.name,
        description=payload.description,
        kind=payload.kind,
        min_rank=_rank_field(community, payload.min_rank),
        roles=payload.roles,
        space=_space_field(community, payload.space),
        codes=payload.codes,
    )
    return Status(201, _perk(request, slug, perk.pk))


@router.get(
    PERK,
    response={200: PerkOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a perk",
    operation_id="get_perk",
)
def get_perk(request: HttpRequest, slug: str, perk_id: int) -> Perk:
    """Return one perk with whether you have it, what unlocks it and your code once claimed."""
    return _perk(request, slug, perk_id)


@router.patch(
    PERK,
    response={200: PerkOut, **WRITE_ERRORS},
    summary="Change a perk",
    operation_id="update_perk",
)
@rate_limited
def update_perk(request: HttpRequest, slug: str, perk_id: int, payload: PerkPatch) -> Perk:
    """Change who a perk is for, its words or its space, or switch it off (owners and community managers); fields
    left out keep their value, and its kind stays. Space access follows at once."""
    user = user_of(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RECOGNITION, community)
    changes = payload.changes()
    if "min_rank" in changes:
        changes["min_rank"] = _rank_field(community, changes["min_rank"])
    if "space" in changes:
        changes["space"] = _space_field(community, changes["space"])
    perks.update_perk(actor=user, perk=perks.get_perk(community, perk_id, managing=True), **changes)
    return _perk(request, slug, perk_id)


@router.post(
    PERK + "/codes",
    response={200: CodesAddedOut, **WRITE_ERRORS},
    summary="Add codes to a perk",
    operation_id="add_perk_codes",
)
@rate_limited
def add_perk_codes(request: HttpRequest, slug: str, perk_id: int, payload: CodesIn) -> dict[str, int]:
    """Add codes to a code perk's pool (owners and community managers); codes already in it are skipped."""
    user = user_of(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RECOGNITION, community)
    added = perks.add_codes(actor=user, perk=perks.get_perk(community, perk_id, managing=True), codes=payload.codes)
    perk = perks.get_perk(community, perk_id, managing=True)
    return {"added": added, "codes_issued": perk.codes_issued, "codes_left": perk.codes_left}  # type: ignore[attr-defined]


@router.post(
    PERK + "/claim",
    response={200: ClaimOut, **WRITE_ERRORS},
    summary="Claim a perk's code",
    operation_id="claim_perk",
)
@rate_limited
def claim_perk(request: HttpRequest, slug: str, perk_id: int) -> PerkCode:
    """Return your code of a code perk, issued once: claiming again returns the same code. Refused with 403 saying
    which rank or role unlocks it when you do not have the perk, and 409 when no codes are left."""
    return perks.claim_perk(user=user_of(request), perk=perks.get_perk(community_queries.get_community(slug), perk_id))


@router.get(
    PERK + "/claims",
    response={200: list[ClaimRecordOut], **READ_ERRORS},
    summary="List who claimed a perk",
    operation_id="list_perk_claims",
)
@paginate(KeysetPagination, ordering=("-issued_at", "-id"))
def list_perk_claims(request: HttpRequest, slug: str, perk_id: int) -> QuerySet[PerkCode]:
    """List the codes given out, latest first, with who has each (owners and community managers)."""
    community = community_queries.get_community(slug)
    check(user_of(request), Can.MANAGE_RECOGNITION, community)
    return perks.claims_of(perks.get_perk(community, perk_id, managing=True))
