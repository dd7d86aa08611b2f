"""API shapes of badges: the catalogue, a community's own badges, awards and a member's badges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.recognition.badges import MAX_REASON_CHARS, MAX_SOURCE_CHARS
from belong.recognition.catalogue import BADGES
from belong.recognition.models import Badge, BadgeTier


class BadgeSummaryOut(Schema):
    """A badge as lists of awards show it."""

    key: str
    name: str = Field(description="Its name in the reader's language (the built-in one unless renamed).")
    description: str
    icon: str
    tier: BadgeTier

    @staticmethod
    def resolve_name(obj: Badge) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_description(obj: Badge) -> str:
        return str(obj.explanation)


class BadgeOut(BadgeSummaryOut):
    """A badge of the community, with how many members hold it."""

    repeatable: bool = Field(description="It can be earned (or given) more than once.")
    builtin: bool = Field(description="From the built-in catalogue: it cannot be deleted, only switched off.")
    automatic: bool = Field(description="Its rule gives it; otherwise managers give it by hand.")
    is_enabled: bool = Field(description="A badge switched off is given to no one; managers only see these.")
    holder_count: int = Field(description="How many members hold it.")

    @staticmethod
    def resolve_automatic(obj: Badge) -> bool:
        spec = BADGES.get(obj.key) if obj.builtin else None
        return spec is not None and spec.automatic

    @staticmethod
    def resolve_holder_count(obj: Any) -> int:
        return int(getattr(obj, "holder_count", 0))


class BadgeIn(InSchema):
    key: str = Field(
        min_length=1, max_length=60, description="Its address: letters, digits and dashes (made into one otherwise)."
    )
    name: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=300)
    icon: str = Field("🏅", min_length=1, max_length=8, description="An emoji.")
    tier: BadgeTier = BadgeTier.BRONZE
    repeatable: StrictBool = False
    is_enabled: StrictBool = True


class BadgePatch(PatchSchema):
    name: str | None = Field(None, max_length=60, description="Empty brings a built-in badge's name back.")
    description: str | None = Field(None, max_length=300)
    icon: str | None = Field(None, min_length=1, max_length=8)
    tier: BadgeTier | None = None
    repeatable: StrictBool | None = Field(None, description="Only for the community's own badges.")
    is_enabled: StrictBool | None = None


class AwardIn(InSchema):
    handle: str = Field(min_length=1, max_length=31, description="The member's handle (with or without @).")
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="Why: the member sees it.")
    source: str | None = Field(
        None,
        max_length=MAX_SOURCE_CHARS,
        description="For a repeatable badge: what this award is for (e.g. `meetup-2025-05`), so the same one is not "
        "given twice; a fresh id if left out. Ignored by once-only badges.",
    )


class BadgeAwardOut(Schema):
    """One award of a badge to a member."""

    id: int
    badge: BadgeSummaryOut
    person: PersonOut = Field(description="Who holds it.")
    source: str = Field(description="What it was given for: `once`, `post:12`, `idea:7`, `manual:…`.")
    reason: str
    awarded_by: PersonOut | None = Field(description="The manager who gave it by hand; null when its rule did.")
    created_at: datetime

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user


class MemberBadgeOut(BadgeSummaryOut):
    """A badge a member holds, once however often they earned it."""

    times: int = Field(description="How many times they hold it (more than one for repeatable badges).")
    last_awarded_at: datetime
