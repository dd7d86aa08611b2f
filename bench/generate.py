"""Fill a benchmark database with one realistic community: members, conversations, ideas, votes.

    createdb -h 127.0.0.1 -U postgres belong_bench
    DJANGO_SETTINGS_MODULE=belong.settings.base \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/belong_bench \\
        .venv/bin/python bench/generate.py

By default: 100,000 members, 50,000 threads (2,000 of them ideas), 1,000,000 posts (opening
posts included), 400,000 reactions and 60,000 idea votes, with their follows, activity log and
search index, in English, Portuguese, Bulgarian and Afrikaans. Everything follows from --seed.
On PostgreSQL the conversations are written with COPY (bench/writer.py); without DATABASE_URL
it fills the embedded SQLite file with executemany, which suits small sizes. It migrates the
database first. It refuses to fill a community slug that already exists unless `--reset` is
given, which deletes that community and the people the generator made for it first, with one
SQL DELETE per table (bench/reset.py), never TRUNCATE: other communities may share the database.

Rows are written in bulk (members with `bulk_create`), not through the actions in `actions.py`. The
actions are how the app behaves (validation, permissions, the activity log, events), and the
tests check them; this script only fills a database for the benchmark, where 100,000 calls of
`join_community` would take far longer and measure nothing we want. For the same reason it sets
`created_at`, `updated_at` and `date_joined` itself, spread over three years, instead of letting
Django stamp every row with the same moment. bench/discussions.py says which fields of the
actions it mirrors; the few rows the app has a function for (the board's statuses, its
categories, the products) are made by that function.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belong.settings.base")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from belong.accounts.models import User  # noqa: E402
from belong.communities.actions import recount_members  # noqa: E402
from belong.communities.models import (  # noqa: E402
    Community,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Space,
    SpaceVisibility,
)
from belong.conversations.actions import create_product  # noqa: E402
from belong.conversations.models import Product  # noqa: E402
from belong.ideas.actions import create_category  # noqa: E402
from belong.ideas.defaults import statuses_of  # noqa: E402
from bench.content import SEARCH_TERM  # noqa: E402
from bench.discussions import CATEGORIES as IDEA_CATEGORIES  # noqa: E402
from bench.discussions import Counts, Generator, Member, Sizes  # noqa: E402
from bench.reset import delete_community  # noqa: E402

# Every generated person can sign in with this password (one hash, computed once).
BENCH_PASSWORD = "belong-bench"
SPAN = timedelta(days=3 * 365)


@dataclass(frozen=True)
class Culture:
    """Names as people write them, with the Latin spelling their handle is made from."""

    locale: str
    time_zones: tuple[str, ...]
    first: tuple[tuple[str, str], ...]
    last: tuple[tuple[str, str], ...]


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


CULTURES: tuple[tuple[Culture, int], ...] = (
    (
        Culture(
            "pt",
            ("Europe/Lisbon", "America/Sao_Paulo", "Africa/Maputo"),
            (
                ("João", "joao"),
                ("Inês", "ines"),
                ("Conceição", "conceicao"),
                ("Sebastião", "sebastiao"),
                ("Mariana", "mariana"),
                ("Gonçalo", "goncalo"),
                ("Letícia", "leticia"),
                ("Tiago", "tiago"),
                ("Beatriz", "beatriz"),
                ("Vitória", "vitoria"),
                ("Raimundo", "raimundo"),
                ("Lúcia", "lucia"),
            ),
            (
                ("Araújo", "araujo"),
                ("Gonçalves", "goncalves"),
                ("Magalhães", "magalhaes"),
                ("Simões", "simoes"),
                ("Conceição", "conceicao"),
                ("Fernandes", "fernandes"),
                ("Brandão", "brandao"),
                ("Lopes", "lopes"),
                ("Assunção", "assuncao"),
                ("Pereira", "pereira"),
            ),
        ),
        30,
    ),
    (
        Culture(
            "bg",
            ("Europe/Sofia",),
            (
                ("Димитър", "dimitar"),
                ("Йорданка", "yordanka"),
                ("Цветелина", "tsvetelina"),
                ("Живко", "zhivko"),
                ("Щилиян", "shtiliyan"),
                ("Радослава", "radoslava"),
                ("Ангел", "angel"),
                ("Мария", "maria"),
                ("Кирил", "kiril"),
                ("Юлияна", "yuliyana"),
            ),
            (
                ("Петров", "petrov"),
                ("Христова", "hristova"),
                ("Жеков", "zhekov"),
                ("Цанкова", "tsankova"),
                ("Щерев", "shterev"),
                ("Йорданов", "yordanov"),
                ("Иванова", "ivanova"),
                ("Чакъров", "chakarov"),
                ("Мишева", "misheva"),
            ),
        ),
        20,
    ),
    (
        Culture(
            "af",
            ("Africa/Johannesburg", "Africa/Windhoek"),
            (
                *_same("Pieter", "Anri", "Wikus", "Marelize", "Jan-Hendrik", "Riaan", "Lize"),
                ("Elsabé", "elsabe"),
                ("Zandré", "zandre"),
            ),
            (
                ("van der Merwe", "vdmerwe"),
                ("Botha", "botha"),
                ("du Plessis", "duplessis"),
                ("Pretorius", "pretorius"),
                ("Nel", "nel"),
                ("Coetzee", "coetzee"),
                ("le Roux", "leroux"),
                ("Steenkamp", "steenkamp"),
            ),
        ),
        15,
    ),
    (
        Culture(
            "en",
            ("Europe/London", "America/New_York", "Australia/Sydney", "Africa/Lagos", "Asia/Kolkata"),
            (
                *_same("Oliver", "Amelia", "Siobhan", "Chidi", "Priya", "Liam", "Grace", "Aroha", "Noah"),
                ("Zoë", "zoe"),
                ("Søren", "soren"),
                ("José", "jose"),
                ("Nguyễn Thảo", "thao"),
                ("Łukasz", "lukasz"),
            ),
            (
                *_same("Smith", "O'Connor", "Okafor", "Sharma", "Taylor", "Ngata", "Walker", "MacLeod"),
                ("Müller", "muller"),
                ("Ødegård", "odegard"),
                ("Kowalczyk", "kowalczyk"),
                ("Nguyễn", "nguyen"),
            ),
        ),
        35,
    ),
)


def slugish(text: str) -> str:
    """Lower-case letters and digits only, for handles (which allow a few more characters)."""
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def pick_culture(rng: random.Random) -> Culture:
    return rng.choices([culture for culture, _w in CULTURES], weights=[weight for _c, weight in CULTURES])[0]


def person(rng: random.Random, number: int, domain: str, moment: datetime, password: str) -> User:
    """One person; `number` (unique in the database) keeps handles and e-mail addresses unique."""
    culture = pick_culture(rng)
    (first, first_latin), (last, last_latin) = rng.choice(culture.first), rng.choice(culture.last)
    handle = f"{slugish(first_latin)[:9]}.{slugish(last_latin)[:9]}.{number}"[:30]
    style = rng.random()
    if style < 0.7:
        display = f"{first} {last}"
    elif style < 0.85:
        display = first
    elif style < 0.95:
        display = f"{first} {last[0]}."
    else:
        display = ""  # falls back to the handle
    return User(
        handle=handle,
        email=f"{handle}@{domain}",
        password=password,
        display_name=display[:80],
        locale=culture.locale,
        time_zone=rng.choice(culture.time_zones),
        date_joined=moment,
    )


def role_of(index: int, rng: random.Random) -> str:
    if index == 0:
        return Role.OWNER
    if index <= 3:
        return Role.MANAGER
    if index <= 9:
        return Role.STAFF
    draw = rng.random()
    if draw < 0.002:
        return Role.MODERATOR
    if draw < 0.012:
        return Role.AMBASSADOR
    if draw < 0.022:
        return Role.EXPERT
    return Role.MEMBER


def state_of(index: int, rng: random.Random) -> str:
    if index <= 9:
        return MembershipState.ACTIVE
    draw = rng.random()
    if draw < 0.02:
        return MembershipState.PENDING
    if draw < 0.03:
        return MembershipState.SUSPENDED
    if draw < 0.035:
        return MembershipState.BANNED
    if draw < 0.06:
        return MembershipState.LEFT
    return MembershipState.ACTIVE


SPACES = (
    ("general", "General", SpaceVisibility.PUBLIC, ()),
    ("announcements", "From the brand", SpaceVisibility.PUBLIC, ()),
    ("help", "Help & how-to", SpaceVisibility.PUBLIC, ()),
    ("ideas", "Ideas & co-creation", SpaceVisibility.MEMBERS, ()),
    ("reviews", "Reviews", SpaceVisibility.PUBLIC, ()),
    ("portugues", "Em português", SpaceVisibility.PUBLIC, ()),
    ("balgarski", "На български", SpaceVisibility.PUBLIC, ()),
    ("afrikaans", "In Afrikaans", SpaceVisibility.PUBLIC, ()),
    ("events", "Events & meet-ups", SpaceVisibility.MEMBERS, ()),
    ("ambassadors", "Ambassadors' lounge", SpaceVisibility.RESTRICTED, (Role.AMBASSADOR, Role.EXPERT)),
    ("moderation", "Moderators", SpaceVisibility.RESTRICTED, (Role.MODERATOR,)),
    ("archive", "Old forum (archived)", SpaceVisibility.PUBLIC, ()),
)


@contextmanager
def own_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let the generator set created_at / updated_at itself (auto_now would stamp every row alike)."""
    changed: list[tuple[Any, bool, bool]] = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def domain_for(slug: str) -> str:
    return f"{slug}.bench.example"


def reset(slug: str) -> None:
    """Delete the community, everything in it and its generated people (bench/reset.py: SQL, not the ORM)."""
    started = time.monotonic()
    _deleted, people = delete_community(slug, domain_for(slug))
    print(f"Reset: deleted '{slug}' and {people:,} people in {time.monotonic() - started:.1f} s")


def generate_members(
    *, slug: str, members: int, invitations: int, batch_size: int, seed: int, now: datetime
) -> Community:
    """The community, its spaces and link invitations, and its people with their memberships."""
    rng = random.Random(seed)  # noqa: S311 -- made-up names, not secrets
    password = make_password(BENCH_PASSWORD)
    domain = domain_for(slug)
    start_at = now - SPAN
    step = SPAN / max(members, 1)
    # Numbers that no existing handle uses, so that several generated communities can share a database.
    first_number = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def moment(index: int) -> datetime:
        return start_at + step * index + timedelta(seconds=rng.uniform(0, step.total_seconds()))

    started = time.monotonic()
    with own_timestamps(Community, Space, Invitation, Membership):
        community: Community | None = None
        links: list[Invitation] = []
        for batch_start in range(0, members, batch_size):
            indexes = range(batch_start, min(batch_start + batch_size, members))
            moments = [moment(i) for i in indexes]
            with transaction.atomic():
                people = User.objects.bulk_create(
                    [
                        person(rng, first_number + i, domain, at, password)
                        for i, at in zip(indexes, moments, strict=True)
                    ]
                )
                if community is None:
                    community, links = _community(slug, people, start_at, invitations, rng)
                rows = []
                for i, user, at in zip(indexes, people, moments, strict=True):
                    role, state = role_of(i, rng), state_of(i, rng)
                    link = rng.choice(links) if i > 9 and links and rng.random() < 0.2 else None
                    if link is not None:
                        link.uses += 1
                    rows.append(
                        Membership(
                            community=community,
                            user=user,
                            role=role,
                            state=state,
                            trust_level=min(4, int(rng.expovariate(1.2))),
                            joined_at=None if state == MembershipState.PENDING else at,
                            invited_by_id=link.inviter_id if link else None,
                            invitation=link,
                            state_reason="Spam links in replies." if state == MembershipState.BANNED else "",
                            suspended_until=now + timedelta(days=rng.randint(1, 30))
                            if state == MembershipState.SUSPENDED
                            else None,
                            created_at=at,
                            updated_at=at,
                        )
                    )
                Membership.objects.bulk_create(rows)
            done = indexes.stop
            if done == members or done // batch_size % 10 == 0:
                print(f"  {done:,} / {members:,} members ({time.monotonic() - started:.1f} s)", flush=True)
        for link in links:
            link.max_uses = max(link.max_uses, link.uses)
        Invitation.objects.bulk_update(links, ["uses", "max_uses"])
    print(
        f"Members: {members:,} members, {len(SPACES)} spaces, {len(links)} link invitations "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    assert community is not None  # members >= 1
    recount_members(community.pk)
    return community


PRODUCTS = (
    ("Aurora grinder", "aurora"),
    ("Kestrel kettle", "kestrel"),
    ("Nimbus espresso machine", "nimbus"),
    ("Duo scale", "duo"),
    ("Vela milk frother", "vela"),
    ("Orbit app", "orbit"),
)


def prepare_board(community: Community) -> None:
    """The board's statuses, categories and the products, made by the app's own functions."""
    owner = community.created_by
    statuses_of(community)
    for name in IDEA_CATEGORIES:
        create_category(actor=owner, community=community, name=name)
    for name, product_slug in PRODUCTS:
        create_product(actor=owner, community=community, name=name, slug=product_slug)


def active_members(community: Community) -> list[Member]:
    rows = Membership.objects.filter(community=community, state=MembershipState.ACTIVE).values_list(
        "user_id", "joined_at", "role", "user__locale"
    )
    # Active members have joined (only pending ones have no date).
    return [
        Member(user_id, joined_at or community.created_at, role, locale) for user_id, joined_at, role, locale in rows
    ]


def generate(
    *,
    slug: str,
    members: int,
    sizes: Sizes,
    invitations: int = 200,
    batch_size: int = 5000,
    seed: int = 1,
    now: datetime | None = None,
) -> Counts:
    """Generate the whole community; return what the conversations phase wrote."""
    now = now or timezone.now()
    started = time.monotonic()
    community = generate_members(
        slug=slug, members=members, invitations=invitations, batch_size=batch_size, seed=seed, now=now
    )
    phase = time.monotonic()
    prepare_board(community)
    generator = Generator(
        community=community,
        spaces={space.slug: space for space in Space.objects.filter(community=community)},
        members=active_members(community),
        products=list(Product.objects.filter(community=community)),
        sizes=sizes,
        seed=seed,
        start_at=now - SPAN,
        now=now,
        languages=[(culture.locale, weight) for culture, weight in CULTURES],
        say=lambda line: print(line, flush=True),
    )
    counts = generator.run()
    print(
        f"Conversations: {counts.threads:,} threads ({counts.fifty_one:,} of 51 posts in open spaces), "
        f"{counts.posts:,} posts, {counts.reactions:,} reactions, {counts.follows:,} follows, "
        f"{counts.ideas:,} ideas, {counts.votes:,} votes, {counts.activities:,} activity entries "
        f"in {time.monotonic() - phase:.1f} s",
        flush=True,
    )
    share = counts.searchable / max(counts.posts, 1)
    print(f"Search term: '{SEARCH_TERM}' in {counts.searchable:,} posts ({share:.1%})")
    if connection.vendor == "postgresql":
        phase = time.monotonic()
        # Fresh statistics, so that the planner sees a million rows and not the empty tables of the migration.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Analyze: {time.monotonic() - phase:.1f} s")
    print(f"Generated '{slug}' in {time.monotonic() - started:.1f} s")
    return counts


def _community(
    slug: str, people: list[User], at: datetime, invitations: int, rng: random.Random
) -> tuple[Community, list[Invitation]]:
    owner = people[0]
    community = Community.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        description="A generated community for the benchmark: many members, many languages.",
        purpose="Measure how Belong behaves with a large community.",
        goals="- Keep every list fast.",
        languages=["en", "pt", "bg", "af"],
        join_policy=JoinPolicy.OPEN,
        created_by=owner,
        created_at=at,
        updated_at=at,
    )
    Space.objects.bulk_create(
        [
            Space(
                community=community,
                slug=space_slug,
                name=name,
                description=f"{name}: a generated space.",
                visibility=visibility,
                allowed_roles=list(roles),
                position=position,
                is_archived=space_slug == "archive",
                created_at=at,
                updated_at=at,
            )
            for position, (space_slug, name, visibility, roles) in enumerate(SPACES)
        ]
    )
    inviters = people[: min(10, len(people))]
    links = Invitation.objects.bulk_create(
        [
            Invitation(
                community=community,
                inviter=rng.choice(inviters),
                role=Role.MEMBER,
                max_uses=1000,
                uses=0,
                expires_at=timezone.now() + timedelta(days=rng.randint(1, 365)),
                created_at=at,
                updated_at=at,
            )
            for _ in range(invitations)
        ]
    )
    return community, links


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000, help="members of the community (default 100,000)")
    parser.add_argument("--threads", type=int, default=50_000, help="threads, ideas included (default 50,000)")
    parser.add_argument(
        "--posts", type=int, default=1_000_000, help="posts, opening posts included (default 1,000,000)"
    )
    parser.add_argument("--ideas", type=int, default=None, help="ideas, among the threads (default threads / 25)")
    parser.add_argument("--reactions", type=int, default=None, help="about how many reactions (default posts × 0.4)")
    parser.add_argument("--votes", type=int, default=None, help="about how many idea votes (default ideas × 30)")
    parser.add_argument("--slug", default="bench", help="the community's address (default bench)")
    parser.add_argument("--invitations", type=int, default=200, help="link invitations (default 200)")
    parser.add_argument("--batch-size", type=int, default=5000, help="members per bulk_create (default 5,000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--reset", action="store_true", help="delete the community and its people first")
    args = parser.parse_args(argv)
    if args.members < 1:
        parser.error("--members must be at least 1")
    if args.threads < 0 or args.posts < args.threads:
        parser.error("--posts counts the opening posts: give at least as many posts as threads")
    ideas = args.threads // 25 if args.ideas is None else min(args.ideas, args.threads)
    sizes = Sizes(
        threads=args.threads,
        posts=args.posts,
        ideas=ideas,
        reactions=round(args.posts * 0.4) if args.reactions is None else args.reactions,
        votes=ideas * 30 if args.votes is None else args.votes,
    )
    call_command("migrate", interactive=False, verbosity=0)
    if Community.objects.filter(slug=args.slug).exists():
        if not args.reset:
            sys.exit(f"The community '{args.slug}' exists already; pass --reset to delete and generate it again.")
        reset(args.slug)
    generate(
        slug=args.slug,
        members=args.members,
        sizes=sizes,
        invitations=args.invitations,
        batch_size=args.batch_size,
        seed=args.seed,
    )


if __name__ == "__main__":
    main()
