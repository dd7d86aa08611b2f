"""Pain-point themes: negative and critical posts clustered on their embeddings.

`rebuild(community_id)` clusters the community's recent negative and critical posts and matches
the clusters to the existing themes by centroid, so a theme keeps its name, its idea link and its
history across rebuilds. Between rebuilds, `file_new_posts()` puts each newly analysed negative
post under the nearest theme when it is close enough.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.db import transaction

from belong.conversations.models import ThreadKind
from belong.insights.engine.embeddings import from_bytes, stack
from belong.insights.models import PostAnalysis, Theme, ThemePost

# A post joins a theme when its cosine similarity to the theme's centroid is at least this.
JOIN_SIMILARITY = 0.86
CRITICAL_KINDS = frozenset({ThreadKind.CRITICISM})


def is_pain(analysis: PostAnalysis) -> bool:
    """Negative posts and criticism threads' posts (not the brand's own) are pain-point material."""
    if analysis.is_official or analysis.embedding is None:
        return False
    return analysis.sentiment == "negative" or analysis.kind in CRITICAL_KINDS


def standing_themes(community_id: int) -> list[Theme]:
    return list(Theme.objects.filter(community_id=community_id, merged_into__isnull=True))


def file_new_posts(analyses: Iterable[PostAnalysis]) -> int:
    """File each pain post under its nearest standing theme; return how many were filed."""
    filed = 0
    by_community: dict[int, list[PostAnalysis]] = {}
    for analysis in analyses:
        if is_pain(analysis):
            by_community.setdefault(analysis.community_id, []).append(analysis)
    for community_id, pains in by_community.items():
        themes = standing_themes(community_id)
        if not themes:
            continue
        centroids = stack([theme.centroid for theme in themes])
        with transaction.atomic():
            for analysis in pains:
                similarities = centroids @ from_bytes(analysis.embedding)  # type: ignore[arg-type]
                best = int(np.argmax(similarities))
                if similarities[best] < JOIN_SIMILARITY:
                    continue
                theme = themes[best]
                ThemePost.objects.update_or_create(
                    post_id=analysis.post_id,
                    defaults={"theme": theme, "similarity": float(similarities[best]), "posted_at": analysis.posted_at},
                )
                theme.size = theme.memberships.count()
                theme.last_seen = max(filter(None, [theme.last_seen, analysis.posted_at]))
                theme.save(update_fields=["size", "last_seen", "updated_at"])
                filed += 1
    return filed
