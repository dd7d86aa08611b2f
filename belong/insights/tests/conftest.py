"""Fixtures of the insights tests: analysis switched on, a four-language community, posts made
through the conversations actions (so the events and the pipeline run as in production)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from belong.communities.models import Community, Membership, Role, Space
from belong.conversations import actions
from belong.conversations.models import Post, Thread
from belong.insights.engine import embeddings, sentiment
from belong.insights.models import DailyRollup

# Clearly polar sentences in the four languages of the seeds; the models read all of them right.
POSITIVE = {
    "en": "I love this product, the battery lasts for days and the support team was wonderful.",
    "pt": "Adoro este produto, a bateria dura imenso e o apoio ao cliente foi excelente.",
    "bg": "Много съм доволен от новата версия, работи бързо и надеждно.",
    "af": "Ek is baie gelukkig met hierdie foon, dit werk uitstekend en die battery hou lank.",
}
NEGATIVE = {
    "en": "This is the worst phone I have ever bought. It broke after two days and support ignored me.",
    "pt": "O produto chegou partido e ninguém responde aos meus emails. Que desilusão terrível.",
    "bg": "Ужасно обслужване, телефонът се счупи след два дни и никой не отговаря.",
    "af": "Die battery is baie swak en die toestel raak heeltyd warm. Ek is teleurgesteld.",
}


@pytest.fixture
def insights_on(settings: Any) -> None:
    """Analyse posts from their events, as a deployment does (the test settings turn it off)."""
    settings.BELONG_INSIGHTS_ENABLED = True


@pytest.fixture
def multilingual_community(community: Community) -> Community:
    community.languages = ["en", "pt", "bg", "af"]
    community.save(update_fields=["languages"])
    return community


@pytest.fixture
def writer(make_member: Callable[..., Membership], multilingual_community: Community) -> Membership:
    """A member who writes the posts of a test."""
    membership: Membership = make_member(Role.MEMBER, community=multilingual_community)
    return membership


@pytest.fixture
def brand(make_member: Callable[..., Membership], multilingual_community: Community) -> Membership:
    """A staff member: their replies are official and time the brand's first response."""
    membership: Membership = make_member(Role.STAFF, community=multilingual_community)
    return membership


@pytest.fixture
def start_thread(django_capture_on_commit_callbacks: Any, space: Space) -> Callable[..., Post]:
    """Open a thread through the action, run its after-commit events; return the opening post."""

    def start(
        author: Any, body: str, *, title: str = "A thread", kind: str = "discussion", in_space: Space | None = None
    ) -> Post:
        with django_capture_on_commit_callbacks(execute=True):
            thread = actions.create_thread(author=author, space=in_space or space, kind=kind, title=title, body=body)
        return Post.objects.get(thread=thread, is_opening=True)

    return start


@pytest.fixture
def reply(django_capture_on_commit_callbacks: Any) -> Callable[..., Post]:
    """Reply through the action and run its after-commit events; return the reply."""

    def answer(author: Any, thread: Thread, body: str) -> Post:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.create_reply(author=author, thread=thread, body=body)

    return answer


@pytest.fixture
def reload_models() -> Iterator[None]:
    """Tests that break a model file load the real ones again afterwards."""
    embeddings.backend.cache_clear()
    sentiment.head.cache_clear()
    yield
    embeddings.backend.cache_clear()
    sentiment.head.cache_clear()


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def backdate(posts: list[Post], when: datetime) -> None:
    """Move posts (and threads they open) to another time, as if written then."""
    ids = [post.pk for post in posts]
    Post.objects.filter(pk__in=ids).update(created_at=when)
    Thread.objects.filter(posts__pk__in=ids, posts__is_opening=True).update(created_at=when)


def rollup_history(
    community: Community,
    space: Space,
    last: date,
    days: int,
    *,
    posts: int,
    negative: int,
    changed: dict[date, tuple[int, int]] | None = None,
) -> None:
    """`days` days of rollups before `last` (excluded), `posts` a day and `negative` of them negative;
    `changed` gives other (posts, negative) counts for some days."""
    rows = []
    for n in range(1, days + 1):
        day = last - timedelta(days=n)
        total, bad = (changed or {}).get(day, (posts, negative))
        rows.append(rollup(community, space, day, total, bad))
    DailyRollup.objects.bulk_create(rows)


def rollup(community: Community, space: Space, day: date, posts: int, negative: int) -> DailyRollup:
    """One day's rollup row: `negative` negative posts, the rest positive."""
    return DailyRollup(
        community=community,
        space=space,
        day=day,
        language="en",
        kind="discussion",
        posts=posts,
        negative=negative,
        positive=posts - negative,
        score_sum=float(posts - 2 * negative) * 0.8,
    )
