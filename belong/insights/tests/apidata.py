"""Data for the insights API tests: real posts in four languages, analysed by the real models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from belong.accounts.models import User
from belong.communities.models import Community, Role, Space
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations.models import Post, ThreadKind
from belong.conversations.tests.factories import ThreadFactory
from belong.insights import engine, pipeline, rollups
from belong.insights.models import PostAnalysis, Theme, ThemePost

# What members write, by language: complaints first, then praise and plain questions.
NEGATIVE = [
    "The battery died after two days and support never answered my emails. Terrible experience.",
    "O produto chegou partido e ninguém responde aos meus emails. Que desilusão terrível.",
    "Приложението постоянно се срива и губя всичките си данни. Много съм разочарован.",
    "Die battery is baie swak en die toestel raak heeltyd warm. Ek is teleurgesteld.",
]
POSITIVE = [
    "I love this product, the battery lasts for days and support was wonderful.",
    "Adorei o novo modelo, é rápido, bonito e o apoio ao cliente foi excelente.",
    "Много съм доволен от новата версия, работи бързо и надеждно.",
    "Ek is baie gelukkig met die nuwe weergawe, dit werk vinnig en betroubaar.",
]
MIXED = NEGATIVE + POSITIVE


def write_posts(
    space: Space,
    texts: Sequence[str],
    *,
    when: datetime | None = None,
    kind: str = ThreadKind.DISCUSSION,
) -> list[Post]:
    """One thread per text (its opening post holds the text), written at `when` (now by default)."""
    posts = []
    for text in texts:
        thread = ThreadFactory(space=space, kind=kind, title=text[:40], opening=text)
        posts.append(thread.posts.get())
    if when is not None:
        Post.objects.filter(pk__in=[post.pk for post in posts]).update(created_at=when)
    return posts


# The real models' reading of each (text, languages) seen by these tests: the same texts recur from
# test to test, and the models are the slow part. No test here has a calibration, which would change it.
_READINGS: dict[tuple[str, tuple[str, ...]], engine.Analysis] = {}


def analyse(posts: Sequence[Post]) -> list[PostAnalysis]:
    """Analyse the posts as the pipeline does (its own saving), and re-roll the days they fall on."""
    loaded = list(
        Post.objects.filter(pk__in=[post.pk for post in posts]).select_related("thread", "community").order_by("pk")
    )
    keys = [(pipeline.text_of(post), tuple(pipeline.languages_of(post.community))) for post in loaded]
    for languages in {languages for _text, languages in keys}:
        missing = list(
            dict.fromkeys(text for text, lang in keys if lang == languages and (text, lang) not in _READINGS)
        )
        for text, reading in zip(missing, engine.analyse(missing, languages), strict=True):
            _READINGS[text, languages] = reading
    chunk = [(post, pipeline.content_hash(post, key[1])) for post, key in zip(loaded, keys, strict=True)]
    analyses = pipeline._save(chunk, [_READINGS[key] for key in keys])
    for community_id, day in {(a.community_id, a.posted_at.date()) for a in analyses}:
        rollups.refresh(community_id, day)
    return analyses


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def manager_elsewhere() -> tuple[Community, User]:
    """Another community and its manager (who must see nothing of the first one)."""
    other = CommunityFactory()
    SpaceFactory(community=other)
    manager: User = MembershipFactory(community=other, role=Role.MANAGER).user
    return other, manager


# Complaints about two things, in the four languages (pain material: they go into criticism threads).
BATTERY = [
    "The battery drains in two hours, even when the phone sits idle on the desk.",
    "Since the update my battery drains overnight, I wake up to a dead phone.",
    "Батерията се изтощава за няколко часа, дори когато не използвам телефона.",
    "A bateria descarrega muito rápido, em poucas horas fica sem carga.",
    "Die battery loop pap binne 'n paar uur, selfs as ek die foon nie gebruik nie.",
]
SHIPPING = [
    "My order was shipped two weeks late and the tracking never updated.",
    "Shipping took forever, the package arrived a month after I paid.",
    "Поръчката ми пристигна с две седмици закъснение, доставката е ужасно бавна.",
    "A encomenda chegou com três semanas de atraso, a entrega é muito lenta.",
    "My bestelling het weke laat aangekom, die aflewering is baie stadig.",
]


def make_themes(space: Space, count: int, *, per_theme: int = 2) -> list[Theme]:
    """`count` themes of `per_theme` analysed complaints each, written as a rebuild would leave them."""
    texts = [MIXED[n % len(MIXED)] for n in range(count * per_theme)]
    analyses = analyse(write_posts(space, texts, kind=ThreadKind.CRITICISM))
    made = []
    for n in range(count):
        members = analyses[n * per_theme : (n + 1) * per_theme]
        theme = Theme.objects.create(
            community_id=space.community_id,
            terms=[f"term{n}", "battery", "support"],
            centroid=members[0].embedding,
            size=len(members),
            first_seen=min(a.posted_at for a in members),
            last_seen=max(a.posted_at for a in members),
        )
        ThemePost.objects.bulk_create(
            ThemePost(theme=theme, post_id=a.post_id, similarity=0.9 - 0.1 * i, posted_at=a.posted_at)
            for i, a in enumerate(members)
        )
        made.append(theme)
    return made
