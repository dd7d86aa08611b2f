"""`detect_language(text, languages)`: which of a community's languages a text is in, or "unknown".

lingua keeps a model in memory per language it may answer, so a detector is built only over the
community's enabled languages plus the languages they are usually confused with (Dutch for
Afrikaans, Russian and Macedonian for Bulgarian...). A text detected as a confuser that the
community does not use is reported as "unknown" rather than as a language nobody enabled.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from belong.insights.engine.text import letter_count

UNKNOWN = "unknown"

# Languages a detector must be able to answer so that it does not pick one of the community's
# languages for a text that is really in a close neighbour.
CONFUSERS: dict[str, tuple[str, ...]] = {
    "af": ("nl",),
    "nl": ("af",),
    "bg": ("ru", "mk", "uk", "sr"),
    "ru": ("uk", "bg", "be"),
    "mk": ("bg", "sr"),
    "pt": ("es",),
    "es": ("pt", "ca", "it"),
    "it": ("es",),
    "fr": ("ca",),
    "zu": ("xh", "st"),
    "xh": ("zu",),
    "en": (),
}
# Shorter than this, a guess is a coin toss: such texts are "unknown" unless lingua is very sure.
MIN_LETTERS = 8
MIN_CONFIDENCE = 0.5
SHORT_TEXT_CONFIDENCE = 0.8


def _language(code: str) -> Language | None:
    iso = getattr(IsoCode639_1, code.upper(), None)
    if iso is None:
        return None
    return Language.from_iso_code_639_1(iso)


def detector_languages(languages: Iterable[str]) -> frozenset[str]:
    """The codes a detector for these community languages is built over (the languages and confusers)."""
    wanted = {code.split("-")[0].lower() for code in languages if code}
    if not wanted:
        wanted = {"en"}
    for code in list(wanted):
        wanted.update(CONFUSERS.get(code, ()))
    return frozenset(code for code in wanted if _language(code) is not None)


@lru_cache(maxsize=16)
def _detector(codes: frozenset[str]) -> LanguageDetector:
    languages = [language for code in sorted(codes) if (language := _language(code)) is not None]
    if len(languages) < 2:  # lingua needs two to choose between; English is the usual second
        languages.append(Language.ENGLISH if Language.ENGLISH not in languages else Language.SPANISH)
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.05).build()


def detect_language(text: str, languages: Iterable[str]) -> tuple[str, float]:
    """(ISO 639-1 code or "unknown", confidence 0–1) among the community's `languages`."""
    enabled = {code.split("-")[0].lower() for code in languages if code} or {"en"}
    letters = letter_count(text)
    if letters < 2:
        return UNKNOWN, 0.0
    values = _detector(detector_languages(enabled)).compute_language_confidence_values(text)
    if not values:
        return UNKNOWN, 0.0
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    confidence = round(float(best.value), 3)
    needed = SHORT_TEXT_CONFIDENCE if letters < MIN_LETTERS else MIN_CONFIDENCE
    if confidence < needed or code not in enabled:
        return UNKNOWN, confidence
    return code, confidence
