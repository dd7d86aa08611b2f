"""The demo's recognition: Ponte's history replayed into points, badges, celebrations and trust; badges and points
given by hand; an exclusive space and a discount code as perks; the ambassador and expert programme; a pinned level.

Everything goes through the actions and the backfill (`recognition_backfill`), like an upgraded
community. The one thing no action does is date memberships: Ponte was founded years ago, so its
early people joined long before the demo is loaded, and their anniversaries are due (`_date_the_memberships`).
Each step finds what an earlier run made and adds only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from belong.communities.models import Membership, Role, Space
from belong.conversations import actions as conversations
from belong.conversations.models import Thread, ThreadKind
from belong.demo import data
from belong.demo.loader import DemoContext, demo_step
from belong.recognition import badges, perks, points, programme, trust
from belong.recognition.backfill import backfill_community
from belong.recognition.defaults import ranks_of
from belong.recognition.models import (
    BadgeAward,
    EntryKind,
    Nomination,
    Perk,
    PerkKind,
    PointsEntry,
    Programme,
)

MANAGER = data.SHOWCASE_MANAGER

# --- The data -----------------------------------------------------------------------------------

# How many years ago the early people joined (Ponte was founded in 2016); a few weeks past the day,
# so the anniversary has just been reached.
JOINED_YEARS_AGO: dict[str, int] = {
    "marta": 8,
    "joao.torra": 7,
    "hannah": 5,
    "camila.origem": 4,
    "zoe.vdm": 3,
    "lucas.brew": 3,
    "georgi": 2,
    "nadya": 2,
    "annelie": 2,
    "tom.h": 1,
    "mariana.q": 1,
    "priya.n": 1,
    "maria.g": 1,
}
PAST_THE_DAY = timedelta(days=23)


@dataclass(frozen=True)
class AttendeeData:
    """The manual badge `event-attendee`, given by `by` for `event` with a reason in the member's language."""

    handle: str
    by: str
    event: str
    reason: str


ATTENDEES: tuple[AttendeeData, ...] = (
    AttendeeData(
        "lucas.brew",
        "hannah",
        "cupping-porto",
        "Esteve na prova de cafés no Porto e ajudou a servir as chávenas a quem chegou pela primeira vez.",
    ),
    AttendeeData(
        "bia.almeida",
        "hannah",
        "cupping-porto",
        "Veio à prova de cafés no Porto e trouxe as melhores perguntas da noite sobre a torra clara.",
    ),
    AttendeeData(
        "marike",
        "zoe.vdm",
        "proe-aand-kaapstad",
        "Was by die proe-aand in Kaapstad en het die moerkoffie vir almal gemaak.",
    ),
    AttendeeData(
        "nadya",
        "hannah",
        "degustatsia-sofia",
        "Беше на дегустацията в София и преведе на всички гости историята на фермата.",
    ),
)

POINTS_TO = data.SHOWCASE_MEMBER
POINTS_REASON = "For the grinder guide you wrote for newcomers: the most bookmarked post of the month."
# The smallest gift, topped up so the showcase member reaches the rank of the code perk.
POINTS_AT_LEAST = 20

# The demo's restricted space for ambassadors and experts: a perk opens it to members of rank Regular too.
SPACE_SLUG = "behind-the-scenes"


@dataclass(frozen=True)
class StaffThreadData:
    title: str
    author: str
    kind: str
    body: str
    # (who, what): the members who answer, in the thread's language.
    replies: tuple[tuple[str, str], ...] = ()


STAFF_THREADS: tuple[StaffThreadData, ...] = (
    StaffThreadData(
        "Diário de torra: o novo lote de Minas antes de chegar à loja",
        "joao.torra",
        ThreadKind.DISCUSSION,
        "Esta semana fizemos seis torras de teste do novo lote de Minas Gerais. A terceira, com um "
        "desenvolvimento mais curto, tem notas de avelã e laranja; a quinta é mais doce mas perde a acidez. "
        "Qual das duas querem provar primeiro? Deixo aqui as curvas e conto convosco antes de decidirmos.",
        replies=(
            (
                "lucas.brew",
                "A terceira, sem dúvida. Avelã e laranja num café de Minas é exatamente o que falta na loja.",
            ),
        ),
    ),
    StaffThreadData(
        "Why the Christmas blend is late this year",
        "liam.byrne",
        ThreadKind.ANNOUNCEMENT,
        "The container with our Colombian lot is stuck in Rotterdam for another ten days, so the Christmas "
        "blend ships on 5 December instead of 20 November. You are hearing it here first: we would rather "
        "wait for the right coffee than change the recipe. Tell us if a smaller early batch would help you.",
        replies=(("tom.h", "Thanks for telling us first. A small early batch for gifts would be lovely, yes please."),),
    ),
)

PERK_SPACE_NAME = "Behind the scenes"
PERK_SPACE_DESCRIPTION = "Read and join the roasters' own conversations before anything is announced."
PERK_CODE_NAME = "10% off your next bag"
PERK_CODE_DESCRIPTION = "One code per member, for any bag in the Ponte shop. Thank you for helping here."
PERK_CODES = tuple(f"PONTE10-{n:02d}{letter}" for n, letter in zip(range(1, 11), "KQWRTZPLMX", strict=True))
# The built-in ladder's thresholds (the names are written in the community's language).
CONTRIBUTOR_POINTS = 50
REGULAR_POINTS = 250


@dataclass(frozen=True)
class NominationData:
    handle: str
    programme: str
    areas: tuple[str, ...]
    message: str
    accepted: bool


NOMINATIONS: tuple[NominationData, ...] = (
    NominationData(
        "priya.n",
        Programme.AMBASSADOR,
        (),
        "Your refill idea and the way you welcome new people make you the ambassador we hoped for.",
        accepted=True,
    ),
    NominationData(
        "rafa.souza",
        Programme.EXPERT,
        ("espresso", "filter"),
        "As tuas respostas sobre espresso e filtro são as que mais gente marca como úteis. Queres ser especialista?",
        accepted=True,
    ),
    NominationData(
        data.SHOWCASE_MEMBER,
        Programme.EXPERT,
        ("grinders", "filter"),
        "Your grinder guide answered questions we get every week. Would you be our expert on grinders and filter?",
        accepted=False,
    ),
)

PINNED = "maria.g"
PINNED_LEVEL = 3


# --- The steps ----------------------------------------------------------------------------------


def _date_the_memberships(ctx: DemoContext) -> None:
    """Move the early people's joining into the past the story tells, once."""
    now = timezone.now()
    for handle, years in JOINED_YEARS_AGO.items():
        joined = now - timedelta(days=365 * years) - PAST_THE_DAY
        Membership.objects.filter(community=ctx.community, user__handle=handle, joined_at__gt=joined).update(
            joined_at=joined
        )


def _backfill(ctx: DemoContext) -> None:
    summary = backfill_community(ctx.community)
    for what, number in (
        ("points entries", summary.entries),
        ("badges", summary.badges),
        ("anniversaries", summary.anniversaries),
    ):
        if number:
            ctx.count(what, number)


@demo_step("recognition: history replayed into points, badges and trust", order=400)
def history(ctx: DemoContext) -> None:
    _date_the_memberships(ctx)
    _backfill(ctx)


@demo_step("recognition: badges and points given by hand", order=410)
def by_hand(ctx: DemoContext) -> None:
    for spec in ATTENDEES:
        membership = ctx.membership(spec.handle)
        source = f"manual:{spec.event}"
        if not BadgeAward.objects.filter(badge__key="event-attendee", user=membership.user, source=source).exists():
            badges.award_badge(
                actor=ctx.user(spec.by),
                membership=membership,
                key="event-attendee",
                reason=spec.reason,
                source=spec.event,
            )
            ctx.count("badges")
    membership = ctx.membership(POINTS_TO)
    given = PointsEntry.objects.filter(community=ctx.community, user=membership.user, kind=EntryKind.MANUAL)
    if not given.filter(reason=POINTS_REASON).exists():
        total, _rank = points.standing_of(ctx.community.pk, membership.user_id)
        points.give_points(
            actor=ctx.user(MANAGER),
            membership=membership,
            points=max(POINTS_AT_LEAST, CONTRIBUTOR_POINTS - total),
            reason=POINTS_REASON,
        )
        ctx.count("points entries")


def _space(ctx: DemoContext) -> Space:
    return Space.objects.get(community=ctx.community, slug=SPACE_SLUG)


def _staff_threads(ctx: DemoContext, space: Space) -> None:
    """What the roasters share there, and members' first answers (once the perk let them in)."""
    have = set(Thread.objects.filter(space=space).values_list("title", flat=True))
    for spec in STAFF_THREADS:
        if spec.title not in have:
            thread = conversations.create_thread(
                author=ctx.user(spec.author), space=space, kind=spec.kind, title=spec.title, body=spec.body
            )
            for handle, body in spec.replies:
                conversations.create_reply(author=ctx.user(handle), thread=thread, body=body)
            ctx.count("threads")


@demo_step("recognition: ranks and perks", order=420)
def ranks_and_perks(ctx: DemoContext) -> None:
    """The built-in ladder stays; an exclusive space for Regulars, ambassadors and experts; a code for Contributors."""
    community, manager = ctx.community, ctx.user(MANAGER)
    space = _space(ctx)
    ladder = {rank.min_points: rank for rank in ranks_of(community.pk)}
    offered = {perk.name: perk for perk in Perk.objects.filter(community=community)}
    if PERK_SPACE_NAME not in offered:
        perk = perks.create_perk(
            actor=manager,
            community=community,
            name=PERK_SPACE_NAME,
            kind=PerkKind.SPACE,
            description=PERK_SPACE_DESCRIPTION,
            min_rank=ladder.get(REGULAR_POINTS),
            roles=[Role.AMBASSADOR, Role.EXPERT],
            space=space,
        )
        # Open the space now rather than when the worker gets to it: the demo is read right after loading.
        perks.sync_space_perk(perk)
        ctx.count("perks")
    code = offered.get(PERK_CODE_NAME)
    if code is None:
        code = perks.create_perk(
            actor=manager,
            community=community,
            name=PERK_CODE_NAME,
            kind=PerkKind.CODE,
            description=PERK_CODE_DESCRIPTION,
            min_rank=ladder.get(CONTRIBUTOR_POINTS),
            codes=PERK_CODES,
        )
        ctx.count("perks")
    _staff_threads(ctx, space)
    showcase = ctx.membership(data.SHOWCASE_MEMBER)
    if perks.is_eligible(showcase, code) and not code.codes.filter(user=showcase.user).exists():
        perks.claim_perk(user=showcase.user, perk=code)
        ctx.count("perk codes claimed")


@demo_step("recognition: the ambassador and expert programme", order=430)
def the_programme(ctx: DemoContext) -> None:
    community, manager = ctx.community, ctx.user(MANAGER)
    for spec in NOMINATIONS:
        user = ctx.user(spec.handle)
        if Nomination.objects.filter(community=community, user=user, programme=spec.programme).exists():
            continue
        nomination = programme.nominate(
            actor=manager,
            community=community,
            user=user,
            programme=spec.programme,
            areas=programme.tags_by_slug(community, spec.areas),
            message=spec.message,
        )
        ctx.count("nominations")
        if spec.accepted:
            programme.answer_nomination(user=ctx.user(spec.handle), nomination=nomination, accept=True)


@demo_step("recognition: a trust level pinned by a manager", order=440)
def pinned_trust(ctx: DemoContext) -> None:
    membership = ctx.membership(PINNED)
    if not membership.trust_level_pinned:
        trust.pin_trust_level(actor=ctx.user(MANAGER), membership=membership, level=PINNED_LEVEL)
        ctx.count("trust levels pinned")


@demo_step("recognition: what the demo's own moves earned", order=490)
def caught_up(ctx: DemoContext) -> None:
    """Replay again: the staff threads, the pinned Regular and the new programme members earn now what the
    worker would give them after loading, so a second load finds everything due already given."""
    _backfill(ctx)
    for perk in Perk.objects.filter(community=ctx.community, kind=PerkKind.SPACE, is_active=True):
        perks.sync_space_perk(perk)  # the new ambassador and expert enter the exclusive space
