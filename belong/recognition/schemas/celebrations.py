"""API shapes of celebrations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.recognition.celebrations import describe, icon_of
from belong.recognition.models import Celebration, CelebrationKind


class CelebrationFilter(Schema):
    member: str | None = Field(None, max_length=31, description="Only this member's celebrations (a handle).")


class CelebrationOut(Schema):
    """A moment of a member worth celebrating."""

    id: int
    kind: CelebrationKind
    key: str = Field(description="What it is, once per member: `posts:100`, `anniversary:2`, `badge:helpful:once`, …")
    text: str = Field(description="The moment in the reader's language, to put after the person's name.")
    icon: str
    person: PersonOut
    data: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_text(obj: Celebration) -> str:
        return describe(obj)

    @staticmethod
    def resolve_icon(obj: Celebration) -> str:
        return icon_of(obj)

    @staticmethod
    def resolve_person(obj: Celebration) -> Any:
        return obj.user
