"""How alike two short texts are, in any language, without a model: word stems weighted by rarity
(TF-IDF cosine) blended with character trigrams, which catch inflections (ideia/ideias,
идея/идеи) that whole words miss.

`similar_ideas()` in queries.py ranks candidate titles with `rank()`; when embeddings exist
(the insights issue), that query is the one place to switch to them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

WORD_RE = re.compile(r"\w+", re.UNICODE)
STEM_CHARS = 6  # a crude, language-free stemmer: the first six letters of longer words
WORD_WEIGHT = 0.6
TRIGRAM_WEIGHT = 0.4
MIN_SCORE = 0.2


def words(text: str) -> list[str]:
    return [word[:STEM_CHARS] for word in WORD_RE.findall(text.casefold()) if len(word) > 1 and not word.isdigit()]


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in WORD_RE.findall(text.casefold()):
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _idf(documents: Sequence[list[str]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(set(document))
    total = len(documents) + 1
    return {word: math.log(total / (count + 1)) + 1.0 for word, count in frequency.items()}


def _vector(tokens: list[str], idf: dict[str, float], default: float) -> dict[str, float]:
    counts = Counter(tokens)
    return {word: count * idf.get(word, default) for word, count in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b.get(word, 0.0) for word, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def rank(
    query: str, candidates: Iterable[tuple[int, str]], *, limit: int, min_score: float = MIN_SCORE
) -> list[tuple[int, float]]:
    """The ids of the candidates most like the query, best first, with scores from 0 to 1."""
    candidates = list(candidates)
    query_words = words(query)
    query_grams = trigrams(query)
    if not candidates or not (query_words or query_grams):
        return []
    documents = [words(text) for _id, text in candidates]
    idf = _idf(documents)
    rarest = math.log(len(documents) + 1) + 1.0
    query_vector = _vector(query_words, idf, rarest)
    scored = []
    for (candidate_id, text), document in zip(candidates, documents, strict=True):
        score = WORD_WEIGHT * _cosine(query_vector, _vector(document, idf, rarest)) + TRIGRAM_WEIGHT * _jaccard(
            query_grams, trigrams(text)
        )
        if score >= min_score:
            scored.append((candidate_id, round(score, 3)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
