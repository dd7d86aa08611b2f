"""API shapes of analysed posts: a post as a quote, its analysis, the managers' list and corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema
from belong.conversations.models import Post, ThreadKind
from belong.conversations.schemas import SpaceSummaryOut
from belong.insights import themes
from belong.insights.models import PostAnalysis, SentimentLabel

EXCERPT_CHARS = themes.QUOTE_CHARS
LABELS = tuple(SentimentLabel.values)  # the order of PostAnalysis.probabilities


def post_url(post: Post) -> str:
    """The post's place in its thread's web page (the post needs `thread__community` loaded)."""
    return reverse("conversations:thread", args=[post.thread.community.slug, post.thread_id]) + f"#post-{post.pk}"


def excerpt(post: Post) -> str:
    """The post's opening words, as the insights page quotes them."""
    return themes.excerpt(post, EXCERPT_CHARS)


class QuotedPostOut(Schema):
    """A post behind an alert or a theme: where it is, its opening words and how it reads."""

    id: int
    thread_id: int
    title: str = Field(description="Its thread's title.")
    excerpt: str = Field(description=f"Its opening words as plain text, at most {EXCERPT_CHARS} characters.")
    language: str = Field(description="The detected language (ISO 639-1), or `unknown`.")
    sentiment: SentimentLabel | None = Field(description="As shown: a manager's correction, else the model's.")
    score: float | None = Field(description="p(positive) − p(negative), from −1 to 1; null when not judged.")
    url: str = Field(description="The post in the web interface.")
    posted_at: datetime

    @staticmethod
    def resolve_id(obj: PostAnalysis) -> int:
        return obj.post_id

    @staticmethod
    def resolve_thread_id(obj: PostAnalysis) -> int:
        return obj.post.thread_id

    @staticmethod
    def resolve_title(obj: PostAnalysis) -> str:
        return obj.post.thread.title

    @staticmethod
    def resolve_excerpt(obj: PostAnalysis) -> str:
        return excerpt(obj.post)

    @staticmethod
    def resolve_sentiment(obj: PostAnalysis) -> str | None:
        return obj.sentiment or None

    @staticmethod
    def resolve_url(obj: PostAnalysis) -> str:
        return post_url(obj.post)


def probabilities_of(analysis: PostAnalysis) -> dict[str, float] | None:
    if len(analysis.probabilities or ()) != len(LABELS):
        return None
    return {label: round(float(p), 4) for label, p in zip(LABELS, analysis.probabilities, strict=True)}


class AnalysisOut(Schema):
    """What the models make of one post, and whether a manager corrected its sentiment."""

    post_id: int
    thread_id: int
    language: str = Field(description="The detected language (ISO 639-1), or `unknown` when unsure.")
    language_confidence: float = Field(description="How sure the language detector is, 0 to 1.")
    sentiment: SentimentLabel | None = Field(
        description="The sentiment shown: a manager's correction, else the model's; null for text without words."
    )
    model_sentiment: SentimentLabel | None = Field(description="What the model said, whatever the correction.")
    corrected: bool = Field(description="A manager set `sentiment` by hand.")
    score: float | None = Field(description="p(positive) − p(negative) from the model, −1 to 1.")
    probabilities: dict[str, float] | None = Field(
        description="The model's probability of each label (negative, neutral, positive)."
    )
    flags: dict[str, Any] = Field(
        description="Moderation signals: `reasons` (e.g. `profanity`, `toxicity`) and their details. "
        "A flag never hides anything by itself."
    )
    flagged: bool = Field(description="The post is in front of moderators because of its flags.")
    posted_at: datetime
    analysed_at: datetime

    @staticmethod
    def resolve_thread_id(obj: PostAnalysis) -> int:
        return obj.post.thread_id

    @staticmethod
    def resolve_sentiment(obj: PostAnalysis) -> str | None:
        return obj.sentiment or None

    @staticmethod
    def resolve_model_sentiment(obj: PostAnalysis) -> str | None:
        return obj.model_sentiment or None

    @staticmethod
    def resolve_probabilities(obj: PostAnalysis) -> dict[str, float] | None:
        return probabilities_of(obj)


class AnalysedPostOut(AnalysisOut):
    """An analysed post as the managers' list shows it."""

    title: str = Field(description="Its thread's title.")
    excerpt: str = Field(description=f"Its opening words as plain text, at most {EXCERPT_CHARS} characters.")
    url: str = Field(description="The post in the web interface.")
    space: SpaceSummaryOut
    kind: ThreadKind = Field(description="Its thread's kind.")
    author: PersonOut | None
    is_official: bool = Field(description="Written by the brand's people.")

    @staticmethod
    def resolve_title(obj: PostAnalysis) -> str:
        return obj.post.thread.title

    @staticmethod
    def resolve_excerpt(obj: PostAnalysis) -> str:
        return excerpt(obj.post)

    @staticmethod
    def resolve_url(obj: PostAnalysis) -> str:
        return post_url(obj.post)

    @staticmethod
    def resolve_space(obj: PostAnalysis) -> Any:
        return obj.post.thread.space

    @staticmethod
    def resolve_kind(obj: PostAnalysis) -> str:
        return obj.post.thread.kind

    @staticmethod
    def resolve_author(obj: PostAnalysis) -> Any:
        return obj.post.author


class AnalysisFilter(Schema):
    sentiment: SentimentLabel | None = Field(None, description="Only posts shown with this sentiment.")
    language: str | None = Field(None, max_length=12, description="Only posts detected in this language.")
    flagged: bool | None = Field(None, description="true: only flagged posts; false: only unflagged ones.")


class SentimentIn(InSchema):
    label: SentimentLabel = Field(description="The sentiment the post really has.")
