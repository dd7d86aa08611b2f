"""Perks: benefits for members of a rank or higher, or of chosen roles.

Two kinds. A *code* perk hands each eligible member one code, once: the first unissued code of
the pool its managers filled, or, for a perk that never had a pool, one generated on claiming.
A *space* perk opens a restricted space (behind-the-scenes content) to every eligible member
through `SpaceAccess`, and closes it again when they no longer qualify for any active space perk
of that space (points reversed below the rank, a role taken away, a membership ended).

Which accesses belong to the perks: those marked `via="perk"`. Accesses a manager or a beta group
granted (or an existing one a person granted again, which clears the mark) are never revoked here.

Whether a perk ever had a pool is read from the activity log too (`perk.created` or
`perk.codes_added` with codes), so a pool that ran dry says "no codes left" instead of
generating codes the brand never issued.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.actions import Verb as CommunityVerb
from belong.communities.models import Community, Membership, Role, Space, SpaceAccess, SpaceVisibility
from belong.communities.permissions import check, membership_for
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import on_commit_publish
from belong.core.models import Activity
from belong.core.tasks import enqueue_on_commit, retrying_task
from belong.core.validation import reject_unknown_fields, validate_instance
from belong.recognition import events
from belong.recognition.models import Perk, PerkCode, PerkKind, PointsBalance, Rank
from belong.recognition.permissions import RecognitionAction as Can
from belong.recognition.ranks import active_members

# The mark on the `SpaceAccess` rows the perks granted (and may take back).
PERK_ACCESS = "perk"

PERK_FIELDS = ("name", "description", "min_rank", "roles", "space", "is_active")
MAX_CODE_CHARS = 100
MAX_CODES_AT_ONCE = 5000
MAX_DESCRIPTION_CHARS = 2000
GENERATED_CODE_BYTES = 5  # ten hexadecimal characters: 2**40 codes, collisions retried


class Verb:
    PERK_CREATED = "perk.created"
    PERK_UPDATED = "perk.updated"
    CODES_ADDED = "perk.codes_added"
    CLAIMED = "perk.claimed"
    ACCESS_GRANTED = "perk.access_granted"
    ACCESS_REVOKED = "perk.access_revoked"


# Cleaning and checking


def clean_codes(codes: Iterable[str]) -> list[str]:
    """Codes stripped, blanks dropped, duplicates removed (first one kept); each at most 100 characters."""
    cleaned = list(dict.fromkeys(str(code).strip() for code in codes if code is not None and str(code).strip()))
    too_long = [code for code in cleaned if len(code) > MAX_CODE_CHARS]
    if too_long:
        message = _("A code has at most %(max)s characters: “%(code)s…” is longer.") % {
            "max": MAX_CODE_CHARS,
            "code": too_long[0][:20],
        }
        raise Invalid(message, errors={"codes": [message]})
    if len(cleaned) > MAX_CODES_AT_ONCE:
        message = _("Add at most %(max)s codes at a time.") % {"max": MAX_CODES_AT_ONCE}
        raise Invalid(message, errors={"codes": [message]})
    return cleaned


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = [str(role) for role in roles]
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        message = _("Unknown role: %(role)s") % {"role": unknown[0]}
        raise Invalid(message, errors={"roles": [_("Pick roles from the list.")]})
    return list(dict.fromkeys(roles))


def _check_perk(perk: Perk) -> None:
    """Refuse a perk that cannot work: a wrong kind, a rank or space of another community, nobody to unlock it."""
    if perk.kind not in PerkKind.values:
        raise Invalid(_("Unknown kind of perk."), errors={"kind": [_("Pick a code or a space.")]})
    if len(perk.description) > MAX_DESCRIPTION_CHARS:
        message = _("The description has at most %(max)s characters.") % {"max": MAX_DESCRIPTION_CHARS}
        raise Invalid(message, errors={"description": [message]})
    if perk.min_rank is not None and perk.min_rank.community_id != perk.community_id:
        raise Invalid(
            _("That rank belongs to another community."), errors={"min_rank": [_("Pick a rank of the list.")]}
        )
    if perk.kind == PerkKind.SPACE:
        if perk.space is None:
            message = _("Choose the restricted space the perk opens.")
            raise Invalid(message, errors={"space": [message]})
        if perk.space.community_id != perk.community_id:
            raise Invalid(_("That space belongs to another community."), errors={"space": [_("Pick a space.")]})
        if perk.space.visibility != SpaceVisibility.RESTRICTED:
            message = _("Only a restricted space can be exclusive: make “%(space)s” restricted first.") % {
                "space": perk.space.name
            }
            raise Invalid(message, errors={"space": [message]})
    elif perk.space is not None:
        message = _("Only space perks open a space.")
        raise Invalid(message, errors={"space": [message]})
    if perk.min_rank is None and not perk.roles:
        message = _("Choose the rank that unlocks the perk, or the roles it is for, or both.")
        raise Invalid(message, errors={"min_rank": [message], "roles": [message]})
    validate_instance(perk, exclude=["community", "min_rank", "space"])


def _locked(perk: Perk) -> Perk:
    return Perk.objects.select_for_update(of=("self",)).select_related("community", "min_rank", "space").get(pk=perk.pk)


# Managing perks


@transaction.atomic
def create_perk(
    *,
    actor: Any,
    community: Community,
    name: str,
    kind: str,
    description: str = "",
    min_rank: Rank | None = None,
    roles: Sequence[str] = (),
    space: Space | None = None,
    codes: Iterable[str] = (),
) -> Perk:
    """Offer a perk to a rank and up, or to roles: a restricted space, or codes (from a pool, or generated)."""
    check(actor, Can.MANAGE_RECOGNITION, community)
    perk = Perk(
        community=community,
        name=(name or "").strip(),
        description=(description or "").strip(),
        kind=kind,
        min_rank=min_rank,
        roles=_clean_roles(roles),
        space=space,
    )
    pool = clean_codes(codes)
    if pool and kind != PerkKind.CODE:
        message = _("Only code perks have codes.")
        raise Invalid(message, errors={"codes": [message]})
    _check_perk(perk)
    perk.save()
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=code) for code in pool])
    record_activity(actor=actor, verb=Verb.PERK_CREATED, target=perk, data={"kind": perk.kind, "codes": len(pool)})
    if perk.kind == PerkKind.SPACE and perk.space_id is not None:
        enqueue_on_commit(sync_space_task, perk.space_id)
    return perk


@transaction.atomic
def update_perk(*, actor: Any, perk: Perk, **changes: Any) -> Perk:
    """Change who a perk is for, its space, its words, or switch it off (`is_active`); its kind stays."""
    check(actor, Can.MANAGE_RECOGNITION, perk.community)
    reject_unknown_fields(changes, PERK_FIELDS)
    perk = _locked(perk)
    previous_space_id = perk.space_id
    if "roles" in changes:
        changes["roles"] = _clean_roles(changes["roles"])
    for field in ("name", "description"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    for field, value in changes.items():
        setattr(perk, field, value)
    _check_perk(perk)
    perk.save()
    record_activity(actor=actor, verb=Verb.PERK_UPDATED, target=perk, data={"changed": sorted(changes)})
    for space_id in {previous_space_id, perk.space_id} - {None}:
        enqueue_on_commit(sync_space_task, space_id)
    return perk


@transaction.atomic
def add_codes(*, actor: Any, perk: Perk, codes: Iterable[str]) -> int:
    """Add codes to a code perk's pool (those already in it are skipped); returns how many were added."""
    check(actor, Can.MANAGE_RECOGNITION, perk.community)
    perk = _locked(perk)
    if perk.kind != PerkKind.CODE:
        message = _("Only code perks have codes.")
        raise Invalid(message, errors={"codes": [message]})
    pool = clean_codes(codes)
    if not pool:
        message = _("Give at least one code, one a line.")
        raise Invalid(message, errors={"codes": [message]})
    known = set(PerkCode.objects.filter(perk=perk, code__in=pool).values_list("code", flat=True))
    new = [code for code in pool if code not in known]
    if new:
        PerkCode.objects.bulk_create([PerkCode(perk=perk, code=code) for code in new])
        record_activity(actor=actor, verb=Verb.CODES_ADDED, target=perk, data={"codes": len(new)})
    return len(new)


# Who may have a perk


def rank_floor(community_id: int, user_id: int) -> int | None:
    """The threshold of the rank the member holds; 0 for someone without points yet, None below every rank."""
    balance = PointsBalance.objects.filter(community_id=community_id, user_id=user_id).select_related("rank").first()
    if balance is None:
        return 0  # no points yet: whatever rank starts at 0, if any
    return balance.rank.min_points if balance.rank is not None else None


def _qualifies(membership: Membership | None, perk: Perk, floor: int | None) -> bool:
    if membership is None or not membership.is_active:
        return False
    if membership.role in perk.roles:
        return True
    return perk.min_rank is not None and floor is not None and floor >= perk.min_rank.min_points


def is_eligible(membership: Membership | None, perk: Perk) -> bool:
    """An active member whose role the perk names, or whose rank is the perk's rank or higher."""
    if membership is None:
        return False
    return _qualifies(membership, perk, rank_floor(membership.community_id, membership.user_id))


def _role_names(roles: Iterable[str]) -> str:
    return ", ".join(str(Role(role).label) for role in roles if role in Role.values)


def unlock_text(perk: Perk) -> str:
    """What unlocks the perk, in words: "Reach the rank “Champion” to unlock it." and the like."""
    if perk.min_rank is not None and perk.roles:
        return _("Reach the rank “%(rank)s” or hold one of these roles to unlock it: %(roles)s.") % {
            "rank": perk.min_rank.name,
            "roles": _role_names(perk.roles),
        }
    if perk.min_rank is not None:
        return _("Reach the rank “%(rank)s” to unlock it.") % {"rank": perk.min_rank.name}
    return _("Only for these roles: %(roles)s.") % {"roles": _role_names(perk.roles)}


@dataclass
class PerkRow:
    """A perk as one member sees it: whether they have it, what unlocks it, and their code once claimed."""

    perk: Perk
    eligible: bool
    code: PerkCode | None
    unlock: str

    @property
    def role_names(self) -> str:
        """The roles the perk is for, in the reader's language."""
        return _role_names(self.perk.roles)


def rows_for(perks: Sequence[Perk], membership: Membership | None) -> list[PerkRow]:
    """Rows for a list of perks (with `min_rank` loaded): two queries however many perks."""
    floor = rank_floor(membership.community_id, membership.user_id) if membership is not None else None
    codes: dict[int, PerkCode] = {}
    if membership is not None and perks:
        codes = {code.perk_id: code for code in PerkCode.objects.filter(perk__in=perks, user_id=membership.user_id)}
    return [
        PerkRow(
            perk=perk, eligible=_qualifies(membership, perk, floor), code=codes.get(perk.pk), unlock=unlock_text(perk)
        )
        for perk in perks
    ]


def perks_for(membership: Membership) -> list[PerkRow]:
    """Every active perk of the member's community, with their eligibility and code (the profile shows them)."""
    return rows_for(list(offered(membership.community)), membership)


# Reads


def perks_of(community: Community, *, managing: bool = False) -> QuerySet[Perk]:
    """The community's perks (active only, unless for its managers), with codes issued and left."""
    perks = (
        Perk.objects.filter(community=community)
        .select_related("min_rank", "space", "community")
        .annotate(
            codes_issued=Count("codes", filter=Q(codes__issued_at__isnull=False)),
            codes_left=Count("codes", filter=Q(codes__issued_at__isnull=True)),
        )
    )
    if not managing:
        perks = perks.filter(is_active=True)
    return perks.order_by("name", "id")


def offered(community: Community) -> QuerySet[Perk]:
    return perks_of(community)


def get_perk(community: Community, perk_id: int, *, managing: bool = False) -> Perk:
    perk = perks_of(community, managing=managing).filter(pk=perk_id).first()
    if perk is None:
        raise NotFound(_("No such perk."))
    return perk


def claims_of(perk: Perk) -> QuerySet[PerkCode]:
    """The codes given out, latest first, with who has each."""
    return (
        PerkCode.objects.filter(perk=perk, issued_at__isnull=False).select_related("user").order_by("-issued_at", "-id")
    )


# Claiming a code


def had_pool(perk: Perk) -> bool:
    """Whether managers ever put codes in the perk's pool (then an empty pool means none left)."""
    return Activity.objects.filter(
        community_id=perk.community_id,
        verb__in=(Verb.PERK_CREATED, Verb.CODES_ADDED),
        target_type=ContentType.objects.get_for_model(Perk),
        target_id=str(perk.pk),
        data__codes__gt=0,
    ).exists()


def _generate(perk: Perk, user: Any) -> PerkCode:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return PerkCode.objects.create(
                    perk=perk,
                    code=secrets.token_hex(GENERATED_CODE_BYTES).upper(),
                    user=user,
                    issued_at=timezone.now(),
                )
        except IntegrityError:
            continue  # the same code came up twice: draw again
    raise Conflict(_("No code could be made just now; try again."))


@transaction.atomic
def claim_perk(*, user: Any, perk: Perk) -> PerkCode:
    """Give the member their code of the perk: the one they already have, else the next of the pool,
    else (for a perk that never had a pool) a new one. NotAllowed says which rank or role unlocks it."""
    check(user, Can.CLAIM_PERK, perk)
    if perk.kind != PerkKind.CODE:
        raise Invalid(_("This perk opens a space; there is no code to claim."))
    perk = _locked(perk)  # claims of one perk go one at a time: each code is issued once
    if not perk.is_active:
        raise Conflict(_("This perk is no longer offered."))
    mine = PerkCode.objects.filter(perk=perk, user=user).first()
    if mine is not None:
        return mine
    if not is_eligible(membership_for(user, perk.community), perk):
        raise NotAllowed(unlock_text(perk))
    code = PerkCode.objects.filter(perk=perk, issued_at__isnull=True).order_by("id").first()
    if code is not None:
        code.user = user
        code.issued_at = timezone.now()
        code.save(update_fields=["user", "issued_at"])
    elif had_pool(perk):
        raise Conflict(_("No codes left: every code of this perk has been given out."))
    else:
        code = _generate(perk, user)
    record_activity(actor=user, verb=Verb.CLAIMED, target=perk, recipient=user, data={"code": code.pk})
    on_commit_publish(
        events.PerkClaimed(community_id=perk.community_id, actor_id=user.pk, perk_id=perk.pk, user_id=user.pk)
    )
    return code


# Exclusive spaces


def _rank_reached(community_id: int, floor: int) -> Q:
    """Members whose rank starts at `floor` points or more (at 0, those without points yet too)."""
    balances = PointsBalance.objects.filter(community_id=community_id, user_id=OuterRef("user_id"))
    reached = Q(Exists(balances.filter(rank__min_points__gte=floor)))
    if floor == 0:
        reached |= ~Q(Exists(balances))
    return reached


def _eligible_for(space: Space, perks: Sequence[Perk], user_id: int | None) -> set[int]:
    """Ids of the active members eligible for any of the perks (one query)."""
    condition = Q()
    for perk in perks:
        if perk.roles:
            condition |= Q(role__in=perk.roles)
        if perk.min_rank is not None:
            condition |= _rank_reached(space.community_id, perk.min_rank.min_points)
    if not condition:
        return set()
    members = active_members(space.community_id)
    if user_id is not None:
        members = members.filter(user_id=user_id)
    return set(members.filter(condition).values_list("user_id", flat=True))


def perk_held(space: Space) -> QuerySet[SpaceAccess]:
    """Accesses to the space the perk system granted, never anyone's by hand or a beta group's."""
    return SpaceAccess.objects.filter(space=space, via=PERK_ACCESS)


def _log(space: Space, user_ids: Iterable[int], verbs: tuple[str, str], data: dict[str, Any]) -> None:
    space_type = ContentType.objects.get_for_model(Space)
    Activity.objects.bulk_create(
        [
            Activity(
                verb=verb,
                community_id=space.community_id,
                recipient_id=user_id,
                target_type=space_type,
                target_id=str(space.pk),
                data={"user": user_id, **data} if verb == verbs[0] else {**data},
            )
            for user_id in sorted(user_ids)
            for verb in verbs
        ]
    )


@transaction.atomic
def sync_space(space: Space, *, user_id: int | None = None) -> tuple[int, int]:
    """Open the space to every member eligible for one of its active space perks, and close it to those
    the perks let in who no longer are (only `user_id` if given). Returns (granted, revoked)."""
    perks = list(
        Perk.objects.filter(space=space, kind=PerkKind.SPACE, is_active=True).select_related("min_rank").order_by("id")
    )
    eligible = _eligible_for(space, perks, user_id)
    accesses = SpaceAccess.objects.filter(space=space)
    held = perk_held(space)
    if user_id is not None:
        accesses = accesses.filter(user_id=user_id)
        held = held.filter(user_id=user_id)
    present = set(accesses.values_list("user_id", flat=True))
    to_grant = eligible - present
    to_revoke = set(held.values_list("user_id", flat=True)) - eligible
    perk_ids = [perk.pk for perk in perks]
    if to_grant:
        SpaceAccess.objects.bulk_create(
            [SpaceAccess(space=space, user_id=uid, via=PERK_ACCESS) for uid in sorted(to_grant)], ignore_conflicts=True
        )
        _log(space, to_grant, (CommunityVerb.SPACE_ACCESS_GRANTED, Verb.ACCESS_GRANTED), {"perks": perk_ids})
    if to_revoke:
        perk_held(space).filter(user_id__in=to_revoke).delete()
        _log(space, to_revoke, (CommunityVerb.SPACE_ACCESS_REVOKED, Verb.ACCESS_REVOKED), {"perks": perk_ids})
    return len(to_grant), len(to_revoke)


def sync_space_perk(perk: Perk) -> tuple[int, int]:
    """Bring the perk's space in line with who is eligible now (after the perk was made, changed or switched off)."""
    if perk.kind != PerkKind.SPACE or perk.space_id is None:
        return 0, 0
    return sync_space(Space.objects.get(pk=perk.space_id))


def sync_member(community_id: int, user_id: int) -> tuple[int, int]:
    """Open or close every perk space of the community for one member (after their rank, role or state moved)."""
    spaces = Space.objects.filter(community_id=community_id).filter(
        Q(perks__kind=PerkKind.SPACE) | Q(accesses__user_id=user_id, accesses__via=PERK_ACCESS)
    )
    granted = revoked = 0
    for space in spaces.distinct().order_by("id"):
        more, fewer = sync_space(space, user_id=user_id)
        granted, revoked = granted + more, revoked + fewer
    return granted, revoked


def has_space_perks(community_id: int) -> bool:
    return Perk.objects.filter(community_id=community_id, kind=PerkKind.SPACE).exists()


@retrying_task(max_attempts=5, base_delay=30)
def sync_space_task(space_id: int) -> None:
    """Task: `sync_space` for a space by id (gone spaces are nothing to do)."""
    space = Space.objects.filter(pk=space_id).first()
    if space is not None:
        sync_space(space)


@retrying_task(max_attempts=5, base_delay=30)
def sync_member_task(community_id: int, user_id: int) -> None:
    """Task: `sync_member` by ids."""
    sync_member(community_id, user_id)
