"""API shapes of the ambassador and expert programme: candidates, nominations, members and their areas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema
from belong.conversations.schemas import TagOut
from belong.recognition.models import NominationState, Programme
from belong.recognition.programme import ACCEPTED_ANSWER_WEIGHT, CANDIDATE_WINDOW, MAX_AREAS, MAX_MESSAGE_CHARS

AREAS_DESCRIPTION = f"Addresses (slugs) of the community's tags, at most {MAX_AREAS}."


class CandidateFilter(Schema):
    programme: Programme = Field(description="ambassador or expert.")
    tag: str | None = Field(None, max_length=50, description="Expert candidates of this tag only (its address).")
    limit: int = Field(20, ge=1, le=100, description="At most this many candidates.")


class CandidateOut(Schema):
    """A member the data suggests for a programme."""

    person: PersonOut
    programme: Programme
    helpful: int = Field(
        description=f"“Helpful” reactions received on replies in the last {CANDIDATE_WINDOW.days} days "
        "(ambassador candidates; 0 for experts)."
    )
    accepted: int = Field(
        description=f"Accepted answers: written in the last {CANDIDATE_WINDOW.days} days for ambassadors, "
        "on the tag's threads for experts."
    )
    points: int = Field(description="Points balance in the community.")
    score: int = Field(description=f"helpful + {ACCEPTED_ANSWER_WEIGHT} × accepted.")
    tag: TagOut | None = Field(description="The tag an expert candidate answers on; null for ambassadors.")
    reason: str = Field(description="Why the data suggests them, in the caller's language.")

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user


class NominationIn(InSchema):
    member: str = Field(min_length=1, max_length=31, description="The nominee's handle (an active member).")
    programme: Programme
    areas: list[str] = Field(default_factory=list, max_length=50, description=AREAS_DESCRIPTION + " Experts need one.")
    message: str = Field("", max_length=MAX_MESSAGE_CHARS, description="A personal note sent with the invitation.")


class NominationFilter(Schema):
    state: NominationState | None = None
    programme: Programme | None = None


class NominationOut(Schema):
    id: int
    programme: Programme
    person: PersonOut
    nominated_by: PersonOut | None
    areas: list[TagOut]
    message: str
    state: NominationState = Field(description="pending (waiting for the answer), accepted, declined or withdrawn.")
    created_at: datetime
    answered_at: datetime | None = Field(description="When it was accepted, declined or withdrawn.")

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user

    @staticmethod
    def resolve_areas(obj: Any) -> list[Any]:
        return list(obj.areas.all())


class ProgrammeMemberFilter(Schema):
    programme: Programme | None = None
    tag: str | None = Field(None, max_length=50, description="Experts of this tag only (its address).")


class ProgrammeMemberOut(Schema):
    """An ambassador or an expert, with the areas an expert is known for."""

    person: PersonOut
    programme: Programme
    areas: list[TagOut]

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user

    @staticmethod
    def resolve_programme(obj: Any) -> str:
        return str(obj.role)

    @staticmethod
    def resolve_areas(obj: Any) -> list[Any]:
        return [area.tag for area in getattr(obj.user, "areas_here", [])]


class AreasIn(InSchema):
    areas: list[str] = Field(max_length=50, description=AREAS_DESCRIPTION + " At least one.")
