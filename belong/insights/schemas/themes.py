"""API shapes of pain-point themes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from belong.api.schemas import InSchema
from belong.insights.actions import MAX_THEME_NAME
from belong.insights.models import Theme
from belong.insights.schemas.posts import QuotedPostOut


class ThemeIdeaOut(Schema):
    """The idea a theme is linked to (its id is its thread's id, as on the idea board)."""

    id: int
    title: str

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.thread.title)


class ThemeQuoteOut(QuotedPostOut):
    """A post of the theme, with how close it is to the theme's centre."""

    similarity: float = Field(description="Cosine similarity to the theme's centroid, up to 1.")


class ThemeOut(Schema):
    """A pain point: negative and critical posts that say much the same thing."""

    id: int
    title: str = Field(description="Its name, or its first three distinctive terms when it has none.")
    name: str = Field(description="The name a manager gave it; empty when none.")
    terms: list[str] = Field(description="Words that set it apart from the community's other posts.")
    size: int = Field(description="How many posts it holds.")
    first_seen: datetime | None
    last_seen: datetime | None
    idea: ThemeIdeaOut | None = Field(description="The idea that answers it.")
    quotes: list[ThemeQuoteOut] = Field(description="Two posts closest to its centre.")

    @staticmethod
    def resolve_quotes(obj: Theme) -> list[Any]:
        return list(getattr(obj, "quotes", ()))


class WeekOut(Schema):
    week: date = Field(description="The Monday the week starts on.")
    posts: int = Field(description="Posts of the theme written that week.")


class ThemeDetailOut(ThemeOut):
    merged_into_id: int | None = Field(description="The theme it was merged into; read that one instead.")
    trend: list[WeekOut] = Field(description="Posts per week over the last weeks, oldest first (zeros included).")
    posts: list[ThemeQuoteOut] = Field(description="Its posts, closest to its centre first.")

    @staticmethod
    def resolve_trend(obj: Theme) -> list[Any]:
        return list(getattr(obj, "trend", ()))

    @staticmethod
    def resolve_posts(obj: Theme) -> list[Any]:
        return list(getattr(obj, "theme_posts", ()))


class ThemePatch(InSchema):
    """Fields left out keep their value."""

    name: str | None = Field(
        None, max_length=MAX_THEME_NAME, description="A name people recognise; empty goes back to its terms."
    )
    idea_id: int | None = Field(None, description="Link it to this idea of the community; null unlinks it.")

    @field_validator("name", mode="before")
    @classmethod
    def _name_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("The name cannot be null; send an empty name to go back to the terms."))
        return value


class ThemeMergeIn(InSchema):
    into_id: int = Field(description="The theme that stays: this theme's posts move into it.")


class RebuildOut(Schema):
    themes: int = Field(description="How many themes hold posts after the rebuild.")
