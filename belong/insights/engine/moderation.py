"""`moderation_flags(text, language)`: signals that put a post in front of moderators.

Two sources, both offline: alt-profanity-check (a linear model trained on English toxic
comments) gives a toxicity probability for English; glin-profanity's word lists find profanity
in the languages it has lists for. A flag never hides or deletes anything by itself: moderation
(issue 7) reads `PostAnalysis.flags` through one hook.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

TOXICITY_THRESHOLD = 0.8

# Belong's language codes → glin-profanity's dictionary names (the languages it has lists for).
PROFANITY_LISTS = {
    "en": "english",
    "pt": "portuguese",
    "nl": "dutch",
    "de": "german",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
    "ru": "russian",
    "pl": "polish",
}


@lru_cache(maxsize=16)
def _filter(language: str) -> Any:
    from glin_profanity import Filter

    names = sorted({"english", PROFANITY_LISTS.get(language, "english")})
    return Filter({"languages": names, "detect_leetspeak": True, "normalize_unicode": True})


def toxicity(text: str) -> float:
    from profanity_check import predict_prob

    return round(float(predict_prob([text])[0]), 4)


def moderation_flags(text: str, language: str) -> dict[str, Any]:
    """{"profanity": [words], "toxicity": p (English only), "reasons": ["profanity", "toxic"]}."""
    flags: dict[str, Any] = {"reasons": []}
    if not text.strip():
        return flags
    found = _filter(language).check_profanity(text)
    words = sorted({str(word).lower() for word in found.get("profane_words", [])})
    if words:
        flags["profanity"] = words[:10]
        flags["reasons"].append("profanity")
    if language in ("en", "unknown"):
        score = toxicity(text)
        flags["toxicity"] = score
        if score >= TOXICITY_THRESHOLD:
            flags["reasons"].append("toxic")
    return flags
