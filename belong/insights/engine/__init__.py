"""The models behind community intelligence, one interface per signal, so a deployment can swap one.

- `detect_language(text, languages)` (lingua), `embed(texts)` (multilingual-e5-small),
  `score_sentiment(vectors)` (a logistic-regression head), `moderation_flags(text, language)`.
- `analyse(texts, languages)` runs all four on a batch: what the pipeline and the CLI call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from belong.insights.engine.embeddings import embed, model_name
from belong.insights.engine.language import UNKNOWN, detect_language
from belong.insights.engine.moderation import moderation_flags
from belong.insights.engine.sentiment import Sentiment, head, score_sentiment
from belong.insights.engine.text import has_words, plain_text

__all__ = ["Analysis", "analyse", "check", "detect_language", "embed", "moderation_flags", "score_sentiment"]


@dataclass
class Analysis:
    text: str  # the plain, truncated text the models saw
    language: str
    language_confidence: float
    vector: np.ndarray | None  # None when the text has no words to judge
    sentiment: Sentiment | None
    flags: dict[str, Any] = field(default_factory=dict)


def analyse(
    raw_texts: Sequence[str], languages: Sequence[str], *, calibration: np.ndarray | None = None
) -> list[Analysis]:
    """Language, vector, sentiment and flags for each Markdown text, in one batch through the model."""
    texts = [plain_text(raw) for raw in raw_texts]
    judged = [i for i, text in enumerate(texts) if has_words(text)]
    vectors = embed([texts[i] for i in judged])
    sentiments = score_sentiment(vectors, calibration)
    by_index = {i: (vectors[n], sentiments[n]) for n, i in enumerate(judged)}
    results = []
    for i, text in enumerate(texts):
        language, confidence = detect_language(text, languages) if i in by_index else (UNKNOWN, 0.0)
        vector, sentiment = by_index.get(i, (None, None))
        flags = moderation_flags(text, language) if i in by_index else {"reasons": []}
        results.append(Analysis(text, language, confidence, vector, sentiment, flags))
    return results


def check() -> list[str]:
    """Load every model once; the names of what loaded. Raises ImproperlyConfigured on the first fault."""
    head()
    embed(["ok"])
    return [model_name(), f"sentiment-head {head().version}"]
