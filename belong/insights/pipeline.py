"""Analysing posts: language, vector, sentiment and flags, written once per version of a post.

`analyse_posts(ids)` is idempotent. Each analysis stores a hash of what it was made from (the
text, the community's languages, the embedding model and the sentiment head); a post whose hash
is unchanged is skipped, so a replayed task or a second backfill costs one query. Analyses are
batched through the model (`BATCH` posts at a time) because the embedding model is much faster
per text in batches.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from belong.communities.models import Community
from belong.conversations.models import Post
from belong.core.events import on_commit_publish
from belong.insights import engine
from belong.insights.engine.embeddings import model_name, to_bytes
from belong.insights.engine.language import UNKNOWN
from belong.insights.engine.sentiment import head
from belong.insights.events import PostAnalysed
from belong.insights.models import Calibration, PostAnalysis, ThemePost

BATCH = 32
# How far back a task looks for other unanalysed posts to fill its batch (an index range scan).
BACKLOG_WINDOW = timedelta(hours=6)


def text_of(post: Post) -> str:
    """What is analysed: a thread's title with its opening post, or a reply's body."""
    if post.is_opening:
        return f"{post.thread.title}\n\n{post.body}"
    return post.body


def content_hash(post: Post, languages: Sequence[str]) -> str:
    parts = [model_name(), head().version, ",".join(sorted(languages)), text_of(post)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def languages_of(community: Community) -> list[str]:
    """The languages a community's posts are detected among (the site's default when none are set)."""
    return list(community.languages or [settings.LANGUAGE_CODE])


def calibration_for(community_id: int) -> np.ndarray | None:
    calibration = Calibration.objects.filter(community_id=community_id, head_version=head().version).first()
    return np.asarray(calibration.weights, dtype=np.float32) if calibration is not None else None


def _posts(ids: Iterable[int]) -> list[Post]:
    return list(
        Post.objects.filter(pk__in=list(ids), deleted_at__isnull=True)
        .select_related("thread", "community", "analysis")
        .order_by("pk")
    )


def _stale(posts: list[Post]) -> list[tuple[Post, str]]:
    stale = []
    for post in posts:
        digest = content_hash(post, languages_of(post.community))
        existing = getattr(post, "analysis", None) if hasattr(post, "analysis") else None
        if existing is None or existing.content_hash != digest:
            stale.append((post, digest))
    return stale


def analyse_posts(ids: Iterable[int]) -> list[PostAnalysis]:
    """Analyse the posts that changed since their last analysis; return the new analyses."""
    written: list[PostAnalysis] = []
    stale = _stale(_posts(ids))
    by_community: dict[int, list[tuple[Post, str]]] = defaultdict(list)
    for post, digest in stale:
        by_community[post.community_id].append((post, digest))
    for community_id, items in by_community.items():
        languages = languages_of(items[0][0].community)
        calibration = calibration_for(community_id)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            results = engine.analyse([text_of(post) for post, _digest in chunk], languages, calibration=calibration)
            written.extend(_save(chunk, results))
    return written


def _save(chunk: list[tuple[Post, str]], results: list[engine.Analysis]) -> list[PostAnalysis]:
    now = timezone.now()
    saved = []
    with transaction.atomic():
        for (post, digest), result in zip(chunk, results, strict=True):
            previous = PostAnalysis.objects.select_for_update().filter(post=post).first()
            label = result.sentiment.label if result.sentiment else ""
            analysis = previous or PostAnalysis(post=post)
            analysis.community_id = post.community_id
            analysis.space_id = post.thread.space_id
            analysis.kind = post.thread.kind
            analysis.is_official = post.is_official
            analysis.posted_at = post.created_at
            analysis.language = result.language
            analysis.language_confidence = result.language_confidence
            analysis.model_sentiment = label
            if not analysis.corrected:
                analysis.sentiment = label
            analysis.score = result.sentiment.score if result.sentiment else None
            analysis.probabilities = list(result.sentiment.probabilities) if result.sentiment else []
            analysis.flags = result.flags
            analysis.flagged = bool(result.flags.get("reasons"))
            analysis.embedding = to_bytes(result.vector) if result.vector is not None else None
            analysis.embedding_model = model_name() if result.vector is not None else ""
            analysis.head_version = head().version
            analysis.content_hash = digest
            analysis.analysed_at = now
            analysis.save()
            if post.language != result.language and result.language != UNKNOWN:
                Post.objects.filter(pk=post.pk).update(language=result.language)
            on_commit_publish(
                PostAnalysed(
                    community_id=post.community_id,
                    post_id=post.pk,
                    language=analysis.language,
                    sentiment=analysis.sentiment,
                    flag_reasons=tuple(result.flags.get("reasons", ())),
                )
            )
            saved.append(analysis)
    return saved


def forget_post(post_id: int) -> tuple[int, date] | None:
    """Drop a deleted post's analysis and theme membership; (community id, day) to re-roll, if any."""
    analysis = PostAnalysis.objects.filter(post_id=post_id).values_list("community_id", "posted_at").first()
    ThemePost.objects.filter(post_id=post_id).delete()
    PostAnalysis.objects.filter(post_id=post_id).delete()
    if analysis is None:
        return None
    return analysis[0], analysis[1].date()


def backlog(community_id: int, *, exclude: Iterable[int] = (), limit: int = BATCH) -> list[int]:
    """Recent posts of the community that have no analysis yet (to fill a task's batch)."""
    since = timezone.now() - BACKLOG_WINDOW
    return list(
        Post.objects.filter(
            community_id=community_id, created_at__gte=since, deleted_at__isnull=True, analysis__isnull=True
        )
        .exclude(pk__in=list(exclude))
        .order_by("-created_at")
        .values_list("pk", flat=True)[:limit]
    )


def unanalysed(community_id: int | None = None) -> list[int]:
    """Every post (of one community, or all) whose analysis is missing; for the backfill."""
    posts = Post.objects.filter(deleted_at__isnull=True, analysis__isnull=True)
    if community_id is not None:
        posts = posts.filter(community_id=community_id)
    return list(posts.order_by("pk").values_list("pk", flat=True))


def all_posts(community_id: int | None = None) -> list[int]:
    posts = Post.objects.filter(deleted_at__isnull=True)
    if community_id is not None:
        posts = posts.filter(community_id=community_id)
    return list(posts.order_by("pk").values_list("pk", flat=True))


def community_of_post(post_id: int) -> int | None:
    return Post.objects.filter(pk=post_id, deleted_at__isnull=True).values_list("community_id", flat=True).first()
