"""API shapes of similar threads."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.conversations.models import ThreadKind
from belong.conversations.schemas import SpaceSummaryOut


class SimilarFilter(Schema):
    limit: int = Field(5, ge=1, le=20, description="How many threads at most.")


class SimilarThreadOut(Schema):
    """A thread that talks about much the same thing, in any language."""

    id: int
    title: str
    kind: ThreadKind
    space: SpaceSummaryOut
    author: PersonOut | None
    language: str
    reply_count: int
    created_at: datetime
    last_activity_at: datetime
    similarity: float = Field(description="How close in meaning, up to 1; comparable within one answer only.")
