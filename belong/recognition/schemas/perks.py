"""API shapes of ranks and perks: the ladder, perks with the caller's standing, codes and claims."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, ValidationInfo, field_validator

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.conversations.schemas import SpaceSummaryOut
from belong.recognition.perks import MAX_CODES_AT_ONCE, MAX_DESCRIPTION_CHARS
from belong.recognition.ranks import MAX_THRESHOLD

PerkKindName = Literal["space", "code"]

# Ranks


class PerkSummaryOut(Schema):
    id: int
    name: str
    kind: PerkKindName


class RankSummaryOut(Schema):
    id: int
    name: str
    min_points: int


class RankOut(RankSummaryOut):
    """A rank of the ladder, with how many hold it and what it unlocks."""

    min_points: int = Field(description="Members hold the highest rank whose threshold their points reach.")
    description: str
    member_count: int = Field(description="Active members holding the rank now (those without points hold the 0 rank).")
    perks: list[PerkSummaryOut] = Field(description="The active perks this rank (and every higher one) unlocks.")

    @staticmethod
    def resolve_member_count(obj: Any) -> int:
        return int(getattr(obj, "member_count", 0))

    @staticmethod
    def resolve_perks(obj: Any) -> list[Any]:
        return list(obj.perks.all())


class RankIn(InSchema):
    name: str = Field(min_length=1, max_length=60)
    min_points: StrictInt = Field(
        ge=0,
        le=MAX_THRESHOLD,
        description="Where the rank starts; no two ranks of a community start at the same number.",
    )
    description: str = Field("", max_length=300)


class RankPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=60)
    min_points: StrictInt | None = Field(None, ge=0, le=MAX_THRESHOLD, description="Members are re-ranked at once.")
    description: str | None = Field(None, max_length=300)


# Perks


class PerkOut(Schema):
    """A perk, with where the caller stands: whether they have it, what unlocks it, their code."""

    id: int
    name: str
    description: str
    kind: PerkKindName = Field(description="`space` opens a restricted space; `code` gives each member one code.")
    min_rank: RankSummaryOut | None = Field(description="Members of this rank and higher have the perk.")
    roles: list[str] = Field(description="Members with these roles have it whatever their rank.")
    space: SpaceSummaryOut | None = Field(description="The restricted space a space perk opens.")
    is_active: bool = Field(description="A perk switched off is offered to no one (managers only see these).")
    eligible: bool = Field(description="Whether you have the perk now.")
    unlock: str = Field(description="What unlocks the perk, in words, in your language.")
    my_code: str | None = Field(description="Your code once claimed (code perks); claim it with POST …/claim.")
    codes_issued: int | None = Field(description="Codes given out so far; for managers only, null for others.")
    codes_left: int | None = Field(description="Codes left in the pool; for managers only, null for others.")

    @staticmethod
    def resolve_eligible(obj: Any) -> bool:
        return bool(getattr(obj, "eligible", False))

    @staticmethod
    def resolve_unlock(obj: Any) -> str:
        return str(getattr(obj, "unlock", ""))

    @staticmethod
    def resolve_my_code(obj: Any) -> str | None:
        return getattr(obj, "my_code", None)

    @staticmethod
    def resolve_codes_issued(obj: Any) -> int | None:
        return getattr(obj, "codes_issued", None) if getattr(obj, "managing", False) else None

    @staticmethod
    def resolve_codes_left(obj: Any) -> int | None:
        return getattr(obj, "codes_left", None) if getattr(obj, "managing", False) else None


class PerkIn(InSchema):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=MAX_DESCRIPTION_CHARS)
    kind: PerkKindName
    min_rank: int | None = Field(None, ge=1, le=2**63 - 1, description="The id of the rank that unlocks it.")
    roles: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Roles that have it: owner, manager, staff, moderator, ambassador, expert, member.",
    )
    space: str | None = Field(None, max_length=60, description="A space perk's restricted space, by its address.")
    codes: list[str] = Field(
        default_factory=list,
        max_length=MAX_CODES_AT_ONCE,
        description="A code perk's pool, each at most 100 characters, given one per member; "
        "leave empty to generate a code for each member who claims it.",
    )


# Fields a patch may set to null (the others refuse it, as in every patch).
NULLABLE_IN_PATCH = frozenset({"min_rank"})


class PerkPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION_CHARS)
    min_rank: int | None = Field(None, ge=1, le=2**63 - 1, description="A rank's id; null leaves it to the roles.")
    roles: list[str] | None = Field(None, max_length=20)
    space: str | None = Field(None, max_length=60, description="Move a space perk to another restricted space.")
    is_active: StrictBool | None = Field(None, description="False switches the perk off (and closes its space).")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:  # type: ignore[override]
        if value is None and info.field_name not in NULLABLE_IN_PATCH:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value


class CodesIn(InSchema):
    codes: list[str] = Field(
        min_length=1, max_length=MAX_CODES_AT_ONCE, description="Codes to add, each at most 100 characters."
    )


class CodesAddedOut(Schema):
    added: int = Field(description="How many were new (codes already in the pool are skipped).")
    codes_issued: int
    codes_left: int


class ClaimOut(Schema):
    """Your code of a perk: the same one however often you claim it."""

    perk_id: int
    code: str
    issued_at: datetime | None


class ClaimRecordOut(Schema):
    """A code given out, and to whom."""

    id: int
    code: str
    member: PersonOut | None = Field(description="Null when the member has since deleted their account.")
    issued_at: datetime | None

    @staticmethod
    def resolve_member(obj: Any) -> Any:
        return obj.user
