"""Data for the insights pages' tests: posts in four languages through the real pipeline, or rows made directly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from belong.communities.models import Community, Space
from belong.conversations.models import Post, ThreadKind
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.insights import pipeline, rollups
from belong.insights.engine.embeddings import to_bytes
from belong.insights.models import Alert, AlertKind, PostAnalysis, Theme, ThemePost

# (language, kind, days ago, text): complaints and praise in the seeds' four languages.
TEXTS: list[tuple[str, str, int, str]] = [
    ("en", ThreadKind.CRITICISM, 0, "The battery drains in two hours and support never answers. Terrible experience."),
    ("en", ThreadKind.PRAISE, 1, "I love the new update, the app is fast and the design is beautiful. Thank you!"),
    ("en", ThreadKind.QUESTION, 3, "How do I export my data to a spreadsheet? I looked in the settings."),
    (
        "pt",
        ThreadKind.CRITICISM,
        0,
        "A bateria acaba em duas horas e o suporte nunca responde. Que desilusão terrível.",
    ),
    ("pt", ThreadKind.PRAISE, 2, "Adorei a nova versão, está muito rápida e bonita. Parabéns à equipa!"),
    (
        "bg",
        ThreadKind.CRITICISM,
        0,
        "Батерията се изтощава за два часа, а поддръжката никога не отговаря. Ужасно разочарование.",
    ),
    ("bg", ThreadKind.PRAISE, 4, "Много съм доволен от новата версия, работи бързо и надеждно."),
    (
        "af",
        ThreadKind.CRITICISM,
        1,
        "Die battery is baie swak en die toestel raak heeltyd warm. Ek is baie teleurgesteld.",
    ),
    ("af", ThreadKind.PRAISE, 5, "Ek is baie gelukkig met die nuwe weergawe, dit werk vinnig en mooi."),
]


def posts_in_four_languages(community: Community, space: Space) -> list[Post]:
    """One thread per text (opening post dated days ago), analysed by the real models, days rolled up."""
    community.languages = ["en", "pt", "bg", "af"]
    community.save(update_fields=["languages"])
    posts = []
    now = timezone.now()
    for _language, kind, days_ago, text in TEXTS:
        thread = ThreadFactory(space=space, kind=kind, opening=text, title=text[:40])
        post = thread.posts.get()
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=days_ago, minutes=5))
        posts.append(post)
    analyses = pipeline.analyse_posts([post.pk for post in posts])
    for day in {analysis.posted_at.date() for analysis in analyses}:
        rollups.refresh(community.pk, day)
    return posts


def analysed_post(
    space: Space, *, sentiment: str = "negative", language: str = "en", flagged: bool = False, **post: Any
) -> Post:
    """A post with an analysis row written directly (for lists where the model's reading does not matter)."""
    made: Post = PostFactory(thread=ThreadFactory(space=space), **post)
    score = {"negative": -0.8, "neutral": 0.0, "positive": 0.8}[sentiment]
    PostAnalysis.objects.create(
        post=made,
        community=space.community,
        space=space,
        kind=made.thread.kind,
        posted_at=made.created_at,
        language=language,
        sentiment=sentiment,
        model_sentiment=sentiment,
        score=score,
        probabilities=[0.8, 0.1, 0.1],
        flags={"reasons": ["profanity"]} if flagged else {"reasons": []},
        flagged=flagged,
        content_hash="x",
        analysed_at=timezone.now(),
    )
    return made


def alert_of(
    community: Community, posts: list[Post], *, days_ago: int = 0, kind: str = AlertKind.NEGATIVE_SHARE
) -> Alert:
    alert = Alert.objects.create(
        community=community,
        kind=kind,
        day=timezone.now().date() - timedelta(days=days_ago),
        total=20,
        negative=14,
        baseline_share=0.2,
        baseline_negative=3.5,
        p_value=0.00002,
    )
    alert.posts.set(posts)
    return alert


def theme_of(community: Community, posts: list[Post], *, name: str = "", terms: list[str] | None = None) -> Theme:
    import numpy as np

    vector = np.zeros(384, dtype=np.float32)
    vector[0] = 1.0
    theme = Theme.objects.create(
        community=community,
        name=name,
        terms=terms or ["battery", "drains", "support"],
        centroid=to_bytes(vector),
        size=len(posts),
        first_seen=min((post.created_at for post in posts), default=None),
        last_seen=max((post.created_at for post in posts), default=None),
    )
    for rank, post in enumerate(posts):
        ThemePost.objects.create(theme=theme, post=post, similarity=0.99 - rank / 100, posted_at=post.created_at)
    return theme
