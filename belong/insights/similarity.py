"""Similar threads and ideas by meaning: the opening posts' embeddings, compared across languages.

`similar_threads()` ranks the threads a person can see by the cosine between the query's vector
and each thread's opening-post vector; `rank_posts()` is the ranker the idea board reaches through
`belong.core.semantic` (ideas cannot import insights). Vectors are compared after taking away the
community's mean vector per language (`themes.Frame`): raw multilingual-e5 cosines are 0.8–0.9 for
any two texts and favour texts in the same language, while centred ones put "recyclable coffee
capsules" next to "cápsulas de café recicláveis" and leave unrelated texts near 0. When posts
have no embeddings yet (analysis off, or not run), the lexical ranker of the idea board is used.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
from django.core.cache import cache
from django.db.models import OuterRef, Subquery

from belong.communities.models import Community
from belong.conversations.models import Post, Thread
from belong.core import semantic
from belong.core.semantic import Ranking
from belong.ideas import similarity as lexical
from belong.insights.engine.embeddings import ModelUnavailable, embed, from_bytes, model_name, stack
from belong.insights.engine.language import detect_language
from belong.insights.engine.text import has_words, plain_text
from belong.insights.models import PostAnalysis
from belong.insights.themes import Frame

K = TypeVar("K", bound=Hashable)

# Threads compared per query, the most recently active first: bounds the vectors read (768 bytes each).
CANDIDATES = 1000
# Centred cosine from which a text counts as similar: unrelated texts measured below 0.17, texts
# about the same thing (in any of the seed languages) from 0.25 up.
MIN_SIMILARITY = 0.2
# The per-language means come from the community's most recent analysed posts, cached a while.
FRAME_POSTS = 2000
FRAME_SECONDS = 600
# Below this many analysed posts the means are those of a handful of topics, and centring would
# erase the very topic being looked for: a young community is ranked on raw cosines, where any two
# texts score 0.75-0.9, so only the order means much there.
FRAME_MIN_POSTS = 30
RAW_MIN_SIMILARITY = 0.8


def community_frame(community_id: int) -> Frame | None:
    """The mean vector of the community's recent posts, overall and per language (cached); None if too few."""
    model = model_name()
    key = f"insights:frame:{community_id}:{model}"
    cached = cache.get(key)
    if isinstance(cached, Frame) or cached == "too-few":
        return cached if isinstance(cached, Frame) else None
    rows = list(
        PostAnalysis.objects.filter(community_id=community_id, embedding__isnull=False, embedding_model=model)
        .order_by("-posted_at")
        .values_list("language", "embedding")[:FRAME_POSTS]
    )
    vectors = [(language, embedding) for language, embedding in rows if embedding is not None]
    if len(vectors) < FRAME_MIN_POSTS:
        cache.set(key, "too-few", FRAME_SECONDS // 10)
        return None
    frame = Frame.of(stack([embedding for _language, embedding in vectors]), [language for language, _e in vectors])
    cache.set(key, frame, FRAME_SECONDS)
    return frame


def _query_vector(community_id: int, query: str) -> tuple[np.ndarray, str] | None:
    text = plain_text(query)
    if not has_words(text):
        return None
    languages = Community.objects.filter(pk=community_id).values_list("languages", flat=True).first() or []
    language, _confidence = detect_language(text, languages)
    return embed([text])[0], language


def rank_posts(
    community_id: int,
    query: str,
    candidates: Sequence[tuple[K, int]],
    *,
    limit: int,
    query_post: int | None = None,
    min_similarity: float = MIN_SIMILARITY,
) -> Ranking[K] | None:
    """Candidates (key, post id) ranked by meaning against the query text (or a post's stored vector).

    None when no candidate has an embedding or the model cannot load: the caller ranks lexically.
    A community with too few analysed posts to centre on (FRAME_MIN_POSTS) is ranked on raw cosines.
    """
    try:
        model = model_name()
    except ModelUnavailable:
        return None
    ids = [post_id for _key, post_id in candidates]
    if query_post is not None:
        ids.append(query_post)
    stored = {
        post_id: (language, embedding)
        for post_id, language, embedding in PostAnalysis.objects.filter(
            post_id__in=ids, embedding__isnull=False, embedding_model=model
        ).values_list("post_id", "language", "embedding")
        if embedding is not None
    }
    known = [(key, post_id) for key, post_id in candidates if post_id in stored]
    if not known:
        return None
    if query_post is not None and query_post in stored:
        language, blob = stored[query_post]
        target: tuple[np.ndarray, str] | None = (from_bytes(blob), language)
    else:
        target = _query_vector(community_id, query)
    if target is None:
        return Ranking()
    matrix = stack([stored[post_id][1] for _key, post_id in known])
    frame = community_frame(community_id)
    if frame is None:
        scores = matrix @ (target[0] / (np.linalg.norm(target[0]) or 1.0))
        min_similarity = max(min_similarity, RAW_MIN_SIMILARITY)
    else:
        matrix = frame.centre(matrix, [stored[post_id][0] for _key, post_id in known])
        scores = matrix @ frame.centre(target[0][None, :], [target[1]])[0]
    order = sorted(range(len(known)), key=lambda i: (-scores[i], i))
    ranked = [(known[i][0], round(min(float(scores[i]), 1.0), 3)) for i in order if scores[i] >= min_similarity]
    unranked = [key for key, post_id in candidates if post_id not in stored]
    return Ranking(ranked[:limit], unranked)


def _opening_post() -> Subquery:
    return Subquery(Post.objects.filter(thread=OuterRef("pk"), is_opening=True).values("pk")[:1])


def similar_threads(user: Any, community: Community, text_or_thread: str | Thread, *, limit: int = 5) -> list[Thread]:
    """Threads the person can see most like a text or another thread, best first, each with a `similarity`."""
    from belong.conversations.queries import visible_threads

    threads = visible_threads(user, community)
    query_post = None
    if isinstance(text_or_thread, Thread):
        opening = Post.objects.filter(thread=text_or_thread, is_opening=True).values_list("pk", "body").first()
        query = f"{text_or_thread.title}\n\n{opening[1] if opening else ''}"
        query_post = opening[0] if opening else None
        threads = threads.exclude(pk=text_or_thread.pk)
    else:
        query = text_or_thread
    if len(query.strip()) < 3 or limit <= 0:
        return []
    rows = list(
        threads.annotate(opening=_opening_post())
        .order_by("-last_activity_at", "-id")
        .values_list("pk", "opening", "title")[:CANDIDATES]
    )
    ranking = None
    if semantic.available():
        ranking = rank_posts(
            community.pk,
            query,
            [(pk, opening) for pk, opening, _title in rows if opening is not None],
            limit=limit,
            query_post=query_post,
        )
    ranked = semantic.with_fallback(ranking, query, rows, limit=limit, lexical=lexical.rank)
    found = Thread.objects.select_related("space", "author").in_bulk([pk for pk, _score in ranked])
    result = []
    for pk, score in ranked:
        thread = found[pk]
        thread.similarity = score  # type: ignore[attr-defined]
        result.append(thread)
    return result
