"""Events the insights app publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class PostAnalysed(Event):
    """A post's language, sentiment and flags are (re)computed; moderation reads `flag_reasons`."""

    post_id: int
    language: str
    sentiment: str
    flag_reasons: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AlertRaised(Event):
    alert_id: int
    kind: str


@dataclass(frozen=True, kw_only=True)
class SentimentCorrected(Event):
    post_id: int
    label: str
