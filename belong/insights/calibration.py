"""Recalibration: a community's own map of the sentiment head's logits, fitted to its managers' corrections.

The shipped head was trained on public tweets; a community's posts (its products, its slang, its
irony) may be read differently by its managers. When they correct enough posts, the head's three
logits are mapped through a 3×4 affine map fitted to their latest correction of each post:

    calibrated = logits @ W[:, :3].T + W[:, 3]

The map is a multinomial logistic regression over the head's logits, penalised towards the
identity (W = [I | 0], the head unchanged) rather than towards zero as scikit-learn's would be: a
few dozen corrections should nudge the head, not replace it, and a label the managers never used
keeps the head's own evidence. A fit is accepted only when its cross-validated accuracy on the
corrections beats the uncalibrated head's; otherwise the community keeps what it had.

Corrected posts keep their managers' labels: the map changes the model's reading (`model_sentiment`,
score, probabilities) and the shown label of uncorrected posts only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import transaction
from scipy.optimize import minimize

from belong.insights import rollups
from belong.insights.engine.embeddings import model_name, stack
from belong.insights.engine.sentiment import LABELS, from_logits, head
from belong.insights.models import Calibration, PostAnalysis, SentimentCorrection

logger = logging.getLogger(__name__)

MIN_CORRECTIONS = 20  # fewer corrections than this say more about chance than about the community
MIN_LABELS = 2  # corrections all of one label cannot teach where the boundary lies
CORRECTIONS_PER_RECALIBRATION = 10  # the subscriber enqueues a recalibration every this many corrections
PENALTY = 1.0  # strength of the pull towards the identity map (in "examples' worth" of evidence)
FOLDS = 10  # cross-validation folds (leave-one-out when there are fewer corrections)
RESCORE_CHUNK = 1000  # stored analyses re-scored per query and bulk update

IDENTITY = np.hstack([np.eye(3), np.zeros((3, 1))])


@dataclass(frozen=True)
class Outcome:
    """What a recalibration did: the new calibration, or None and the reason it was refused."""

    calibration: Calibration | None
    corrections: int
    labels: tuple[str, ...]
    accuracy_before: float | None = None
    accuracy_after: float | None = None
    rescored: int = 0
    reason: str = ""


def apply_map(logits: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The calibrated logits, as `engine.sentiment.score_sentiment(..., calibration)` computes them."""
    return np.asarray(logits @ weights[:, :3].T + weights[:, 3])


def fit_map(logits: np.ndarray, labels: np.ndarray, *, penalty: float = PENALTY) -> np.ndarray:
    """The (3, 4) map minimising cross-entropy on (logits, labels) + penalty · ‖W − [I | 0]‖²."""
    features = np.hstack([logits, np.ones((len(logits), 1))]).astype(np.float64)
    onehot = np.eye(3)[labels]

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        weights = flat.reshape(3, 4)
        scores = features @ weights.T
        scores -= scores.max(axis=1, keepdims=True)
        log_probabilities = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        difference = weights - IDENTITY
        value = -float((onehot * log_probabilities).sum()) + penalty * float((difference**2).sum())
        gradient = (np.exp(log_probabilities) - onehot).T @ features + 2 * penalty * difference
        return value, gradient.ravel()

    result = minimize(loss, IDENTITY.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return np.asarray(result.x.reshape(3, 4), dtype=np.float64)


def cross_validated_accuracy(logits: np.ndarray, labels: np.ndarray, *, penalty: float = PENALTY) -> float:
    """Accuracy of maps fitted without each fold, on that fold: an honest estimate for small sets."""
    from sklearn.model_selection import KFold

    folds = KFold(n_splits=min(FOLDS, len(labels)), shuffle=True, random_state=0)
    correct = 0
    for train, test in folds.split(logits):
        weights = fit_map(logits[train], labels[train], penalty=penalty)
        correct += int((apply_map(logits[test], weights).argmax(axis=1) == labels[test]).sum())
    return correct / len(labels)


def latest_corrections(community_id: int) -> dict[int, str]:
    """{post id: label} of the community's managers' latest correction of each post."""
    latest: dict[int, str] = {}
    rows = (
        SentimentCorrection.objects.filter(community_id=community_id, post__deleted_at__isnull=True)
        .order_by("post_id", "-created_at", "-id")
        .values_list("post_id", "label")
    )
    for post_id, label in rows:
        latest.setdefault(post_id, label)
    return latest


def training_set(community_id: int) -> tuple[np.ndarray, np.ndarray]:
    """(head logits, label indices) of the corrected posts whose stored vector the current model made."""
    corrections = latest_corrections(community_id)
    rows = list(
        PostAnalysis.objects.filter(
            post_id__in=list(corrections), embedding__isnull=False, embedding_model=model_name()
        )
        .order_by("post_id")
        .values_list("post_id", "embedding")
    )
    blobs = [embedding for _post_id, embedding in rows if embedding is not None]  # all, by the filter
    vectors = stack(blobs)
    labels = np.asarray([LABELS.index(corrections[post_id]) for post_id, _embedding in rows], dtype=np.int64)
    return head().logits(vectors).astype(np.float64), labels


def attempt(community_id: int) -> Outcome:
    """Fit, judge and (when it helps) store the community's calibration, then re-score its analyses."""
    logits, labels = training_set(community_id)
    used = tuple(LABELS[i] for i in sorted(set(labels.tolist())))
    if len(labels) < MIN_CORRECTIONS:
        return Outcome(
            None,
            len(labels),
            used,
            reason=f"{len(labels)} corrected posts with vectors; at least {MIN_CORRECTIONS} are needed.",
        )
    if len(used) < MIN_LABELS:
        return Outcome(None, len(labels), used, reason=f"every correction says {used[0]}; two labels are needed.")
    before = float((logits.argmax(axis=1) == labels).mean())
    after = cross_validated_accuracy(logits, labels)
    if after <= before:
        return Outcome(
            None,
            len(labels),
            used,
            round(before, 4),
            round(after, 4),
            reason=(
                f"the map would not help: cross-validated accuracy {after:.3f} against {before:.3f} "
                "for the head alone; the current calibration (if any) is kept."
            ),
        )
    weights = fit_map(logits, labels)
    with transaction.atomic():
        calibration, _created = Calibration.objects.update_or_create(
            community_id=community_id,
            defaults={
                "weights": [[round(float(value), 6) for value in row] for row in weights],
                "head_version": head().version,
                "corrections": len(labels),
                "accuracy_before": round(before, 4),
                "accuracy_after": round(after, 4),
            },
        )
    rescored = rescore(community_id, np.asarray(calibration.weights, dtype=np.float32))
    logger.info(
        "Community %s recalibrated on %d corrections (accuracy %.3f → %.3f); %d analyses re-scored",
        community_id,
        len(labels),
        before,
        after,
        rescored,
    )
    return Outcome(calibration, len(labels), used, round(before, 4), round(after, 4), rescored)


def recalibrate(community_id: int) -> Calibration | None:
    """The community's new calibration, or None when refused (too few corrections, one label, no gain)."""
    outcome = attempt(community_id)
    if outcome.calibration is None:
        logger.info("Community %s not recalibrated: %s", community_id, outcome.reason)
    return outcome.calibration


def _chunks(community_id: int) -> Iterator[list[PostAnalysis]]:
    """The community's analyses with a current-model vector, `RESCORE_CHUNK` at a time (bounded memory)."""
    last = 0
    while True:
        chunk = list(
            PostAnalysis.objects.filter(
                community_id=community_id, post_id__gt=last, embedding__isnull=False, embedding_model=model_name()
            )
            .order_by("post_id")
            .only("post_id", "embedding", "sentiment", "model_sentiment", "corrected", "score", "posted_at")[
                :RESCORE_CHUNK
            ]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1].post_id


def rescore(community_id: int, weights: np.ndarray) -> int:
    """Re-apply head and map to the stored vectors (no re-embedding); refresh the days that changed."""
    version = head().version
    days: set[date] = set()
    rescored = 0
    for chunk in _chunks(community_id):
        logits = head().logits(stack([analysis.embedding or b"" for analysis in chunk]))
        for analysis, sentiment in zip(chunk, from_logits(apply_map(logits, weights)), strict=True):
            shown = analysis.sentiment if analysis.corrected else sentiment.label
            if shown != analysis.sentiment or sentiment.score != analysis.score:
                days.add(analysis.posted_at.date())
            analysis.model_sentiment = sentiment.label
            analysis.sentiment = shown
            analysis.score = sentiment.score
            analysis.probabilities = list(sentiment.probabilities)
            analysis.head_version = version
        with transaction.atomic():
            PostAnalysis.objects.bulk_update(
                chunk, ["model_sentiment", "sentiment", "score", "probabilities", "head_version"]
            )
        rescored += len(chunk)
    for day in sorted(days):
        rollups.refresh(community_id, day)
    return rescored
