"""Ranking by meaning, for apps that must not import insights (insights depends on them).

`rank(community_id, query, candidates, limit=...)` orders candidates, each a (key, post id), by how
close the post's stored embedding is to the query's, across languages. It answers None when no
semantic ranker is available (insights switched off with `BELONG_INSIGHTS_ENABLED`, or its model
cannot load), so callers keep their lexical ranking as the fallback. The ranker is looked up by
name at call time, which keeps the import graph pointing one way.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

K = TypeVar("K", bound=Hashable)

RANKER = "belong.insights.similarity.rank_posts"


@dataclass
class Ranking(Generic[K]):
    """Candidates ranked by meaning (best first, scores 0–1) and those with no embedding yet."""

    ranked: list[tuple[K, float]] = field(default_factory=list)
    unranked: list[K] = field(default_factory=list)


class Ranker(Protocol):
    def __call__(
        self, community_id: int, query: str, candidates: Sequence[tuple[K, int]], *, limit: int
    ) -> Ranking[K] | None: ...


def available() -> bool:
    return bool(getattr(settings, "BELONG_INSIGHTS_ENABLED", False)) and apps.is_installed("belong.insights")


def rank(community_id: int, query: str, candidates: Sequence[tuple[K, int]], *, limit: int) -> Ranking[K] | None:
    """The candidates ranked by meaning, or None when the caller should rank them lexically."""
    if not available() or not candidates or limit <= 0:
        return None
    ranker: Ranker = import_string(RANKER)
    return ranker(community_id, query, candidates, limit=limit)


class Lexical(Protocol):
    def __call__(self, query: str, candidates: Sequence[tuple[int, str]], *, limit: int) -> list[tuple[int, float]]: ...


def with_fallback(
    ranking: Ranking[int] | None,
    query: str,
    candidates: Sequence[tuple[int, int | None, str]],
    *,
    limit: int,
    lexical: Lexical,
) -> list[tuple[int, float]]:
    """Meaning first; the lexical ranking for candidates without an embedding, or for all when `ranking` is None.

    `candidates` are (key, post id or None, text for the lexical ranker). A post written seconds
    ago has no embedding yet: it is matched on its words and listed after the matches by meaning.
    """
    if ranking is None:
        return lexical(query, [(key, text) for key, _post, text in candidates], limit=limit)
    ranked = list(ranking.ranked[:limit])
    pending = set(ranking.unranked) | {key for key, post, _text in candidates if post is None}
    if pending and len(ranked) < limit:
        rest = [(key, text) for key, _post, text in candidates if key in pending]
        ranked += lexical(query, rest, limit=limit - len(ranked))
    return ranked
