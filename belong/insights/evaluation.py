"""Labelled sentiment data: reading it, training the shipped head on it and scoring the head against it.

A data folder holds data sets in one of two layouts (those of ../shared/data/sentiment/):
- `<set>/<language>/{train,val}_text.txt` with `{train,val}_labels.txt` (0 negative, 1 neutral,
  2 positive; line i labels line i), as in XLM-T;
- `<set>/*_train.tsv` and `<set>/*_dev.tsv` with columns ID, tweet, label (negative, neutral,
  positive), as in AfriSenti. The language is the file name's prefix (`pt_dev.tsv`).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from belong.insights.engine.embeddings import embed, model_name
from belong.insights.engine.sentiment import LABELS, Head, head, score_sentiment
from belong.insights.engine.text import plain_text

LANGUAGE_CODES = {
    "arabic": "ar",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "portuguese": "pt",
    "spanish": "es",
    "bulgarian": "bg",
    "afrikaans": "af",
}
SPLIT_FILES = {"train": ("train", "train"), "val": ("val", "dev")}  # XLM-T name, AfriSenti name


class DataError(ValueError):
    """A data folder that is missing, empty or not in either layout."""


@dataclass
class Split:
    name: str  # "xlm-t/english"
    language: str  # "en"
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)


def _lines(path: Path) -> list[str]:
    # The XLM-T files have no final newline: every line counts, an empty last one included.
    return path.read_text(encoding="utf-8").split("\n")


def load_splits(data_dir: Path, split: str) -> list[Split]:
    """Every data set's `split` ("train" or "val") in the folder, sorted by name."""
    if not data_dir.is_dir():
        raise DataError(f"{data_dir} is not a folder.")
    xlmt_name, tsv_name = SPLIT_FILES[split]
    found: list[Split] = []
    for text_file in sorted(data_dir.glob(f"*/*/{xlmt_name}_text.txt")):
        found.append(_read_xlmt(text_file, xlmt_name))
    for tsv in sorted(data_dir.glob(f"*/*_{tsv_name}.tsv")):
        found.append(_read_tsv(tsv))
    if not found:
        raise DataError(f"No {split} data in {data_dir}: expected <set>/<language>/{xlmt_name}_text.txt or *.tsv.")
    return found


def _read_xlmt(text_file: Path, xlmt_name: str) -> Split:
    label_file = text_file.with_name(f"{xlmt_name}_labels.txt")
    try:
        labels = _lines(label_file)
        texts = _lines(text_file)
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"Cannot read {text_file.parent}: {error}") from error
    if len(texts) != len(labels):
        raise DataError(f"{text_file} has {len(texts)} lines but its labels file has {len(labels)}.")
    language = text_file.parent.name
    try:
        numbers = [int(label) for label in labels]
    except ValueError as error:
        raise DataError(f"{label_file} must hold one label (0, 1 or 2) per line: {error}") from error
    if any(number not in (0, 1, 2) for number in numbers):
        raise DataError(f"{label_file} must hold one label (0, 1 or 2) per line.")
    return Split(
        name=f"{text_file.parent.parent.name}/{language}",
        language=LANGUAGE_CODES.get(language, language),
        texts=texts,
        labels=numbers,
    )


def _read_tsv(tsv: Path) -> Split:
    try:
        with tsv.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        texts = [row["tweet"] for row in rows]
        labels = [LABELS.index(row["label"]) for row in rows]
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"Cannot read {tsv}: {error}") from error
    except (KeyError, ValueError) as error:
        raise DataError(f"{tsv} needs columns ID, tweet and label (negative, neutral or positive).") from error
    language = tsv.name.split("_")[0]
    return Split(name=f"{tsv.parent.name}/{language}", language=language, texts=texts, labels=labels)


def vectors_for(texts: list[str], cache_dir: Path | None = None) -> np.ndarray:
    """Embeddings of the texts, cached on disk by content so training can be re-run cheaply."""
    cleaned = [plain_text(text) or text for text in texts]
    cache = None
    if cache_dir is not None:
        digest = hashlib.sha256("\x00".join([model_name(), *cleaned]).encode()).hexdigest()[:24]
        cache = cache_dir / f"vectors-{digest}.npy"
        if cache.is_file():
            return np.asarray(np.load(cache), dtype=np.float32)
    vectors = np.concatenate([embed(cleaned[i : i + 64]) for i in range(0, len(cleaned), 64)] or [embed([])])
    if cache is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        np.save(cache, vectors)
    return vectors


def macro_f1(truth: list[int], predicted: list[int]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=[0, 1, 2], average="macro", zero_division=0))


@dataclass(frozen=True)
class Score:
    name: str
    language: str
    examples: int
    macro_f1: float
    accuracy: float


def evaluate(data_dir: Path, *, cache_dir: Path | None = None, the_head: Head | None = None) -> list[Score]:
    """Macro-F1 and accuracy of the head (the shipped one by default) on each validation split."""
    scores = []
    for split in load_splits(data_dir, "val"):
        vectors = vectors_for(split.texts, cache_dir)
        if the_head is None:
            predicted = [LABELS.index(s.label) for s in score_sentiment(vectors)]
        else:
            predicted = [int(i) for i in np.argmax(the_head.logits(vectors), axis=1)]
        correct = sum(int(p == t) for p, t in zip(predicted, split.labels, strict=True))
        scores.append(
            Score(
                name=split.name,
                language=split.language,
                examples=len(split.labels),
                macro_f1=round(macro_f1(split.labels, predicted), 4),
                accuracy=round(correct / max(len(split.labels), 1), 4),
            )
        )
    return scores


def train(data_dir: Path, *, cache_dir: Path | None = None, regularisation: float = 3.0) -> Head:
    """Fit the multinomial logistic-regression head on every training split (deterministic)."""
    from sklearn.linear_model import LogisticRegression

    splits = load_splits(data_dir, "train")
    matrix = np.concatenate([vectors_for(split.texts, cache_dir) for split in splits])
    labels = np.concatenate([np.asarray(split.labels) for split in splits])
    model = LogisticRegression(C=regularisation, max_iter=2000, class_weight="balanced")
    model.fit(matrix, labels)
    return Head(
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        metadata={
            "version": hashlib.sha256(model.coef_.tobytes()).hexdigest()[:12],
            "embedding_model": model_name(),
            "regularisation": regularisation,
            "trained_on": {split.name: len(split.labels) for split in splits},
        },
    )


def current_head_version() -> str:
    return head().version
