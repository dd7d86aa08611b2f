"""`score_sentiment(vectors)`: negative / neutral / positive with a score, from sentence vectors.

The head is a multinomial logistic regression over the embedding, trained by
`scripts/train_sentiment.py` on labelled public data (docs/insights.md lists the sources and
their licences) and shipped as `belong/insights/data/sentiment_head.npz`: a few kilobytes, read
with numpy. A community whose managers corrected enough posts gets a `Calibration`: a 3×4 map of
the head's logits fitted to their corrections (see calibration.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ImproperlyConfigured

LABELS = ("negative", "neutral", "positive")
HEAD_PATH = Path(__file__).resolve().parent.parent / "data" / "sentiment_head.npz"


class HeadUnavailable(ImproperlyConfigured):
    """The sentiment head file is missing or corrupt: raised once, at start-up or first use."""


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float  # p(positive) - p(negative), from -1 to 1
    probabilities: tuple[float, float, float]  # negative, neutral, positive


@dataclass(frozen=True)
class Head:
    coef: np.ndarray  # (3, dimensions)
    intercept: np.ndarray  # (3,)
    metadata: dict[str, Any]

    @property
    def dimensions(self) -> int:
        return int(self.coef.shape[1])

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unknown"))

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        return np.asarray(np.asarray(vectors, dtype=np.float32) @ self.coef.T + self.intercept)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            labels=np.array(LABELS),
            metadata=np.array(json.dumps(self.metadata, sort_keys=True)),
        )


def load_head(path: Path | None = None) -> Head:
    """Read and check a head file (the shipped one by default); any fault is one `HeadUnavailable`."""
    path = path or HEAD_PATH  # read at call time, so the start-up check sees a replaced HEAD_PATH
    if not path.is_file():
        raise HeadUnavailable(f"The sentiment head {path} is missing: run scripts/train_sentiment.py.")
    try:
        # Opened here, not by np.load: it leaves its own handle open when the file is not a zip.
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            coef = np.asarray(data["coef"], dtype=np.float32)
            intercept = np.asarray(data["intercept"], dtype=np.float32)
            labels = tuple(str(label) for label in data["labels"])
            metadata = json.loads(str(data["metadata"]))
    except Exception as error:  # zip, key, value and JSON errors all mean a damaged file
        raise HeadUnavailable(f"The sentiment head {path} is corrupt: {error}") from error
    if labels != LABELS or coef.ndim != 2 or coef.shape[0] != 3 or intercept.shape != (3,):
        raise HeadUnavailable(f"The sentiment head {path} has the wrong shape or labels.")
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        raise HeadUnavailable(f"The sentiment head {path} holds non-finite weights.")
    return Head(coef=coef, intercept=intercept, metadata=metadata)


@lru_cache(maxsize=1)
def head() -> Head:
    return load_head()


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def from_logits(logits: np.ndarray) -> list[Sentiment]:
    results = []
    for row in softmax(np.atleast_2d(logits)):
        negative, neutral, positive = (round(float(p), 4) for p in row)
        results.append(
            Sentiment(
                label=LABELS[int(np.argmax(row))],
                score=round(positive - negative, 4),
                probabilities=(negative, neutral, positive),
            )
        )
    return results


def score_sentiment(vectors: np.ndarray, calibration: np.ndarray | None = None) -> list[Sentiment]:
    """A Sentiment per row of `vectors`; `calibration` is a community's (3, 4) logit map, if any."""
    if len(vectors) == 0:
        return []
    logits = head().logits(vectors)
    if calibration is not None:
        logits = logits @ calibration[:, :3].T + calibration[:, 3]
    return from_logits(logits)
