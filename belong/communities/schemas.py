"""API shapes of communities, spaces, memberships and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime, EmailStr

from belong.accounts.schemas import PersonOut
from belong.api.auth import viewer_of
from belong.api.schemas import InSchema, PatchSchema
from belong.communities.models import (
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    SpaceVisibility,
)
from belong.communities.permissions import Action, can


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    purpose: str
    goals: str
    languages: list[str]
    join_policy: JoinPolicy
    member_count: int = Field(0, description="Active members.")
    created_at: datetime


class CommunitySummaryOut(Schema):
    id: int
    slug: str
    name: str


class CommunityIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    slug: str = Field(min_length=1, max_length=60, description="The community's address: letters, digits, dashes.")
    description: str = Field("", max_length=4000)
    purpose: str = Field("", max_length=4000)
    goals: str = Field("", max_length=4000)
    languages: list[str] = Field(
        default_factory=list, description="Language codes members write in; your own language if left out."
    )
    join_policy: JoinPolicy = JoinPolicy.OPEN


class CommunityPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    slug: str | None = Field(None, min_length=1, max_length=60)
    description: str | None = Field(None, max_length=4000)
    purpose: str | None = Field(None, max_length=4000)
    goals: str | None = Field(None, max_length=4000)
    languages: list[str] | None = None
    join_policy: JoinPolicy | None = None


class CommunityFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the community's name or address.")


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    visibility: SpaceVisibility
    allowed_roles: list[str]
    position: int
    is_archived: bool


class SpaceIn(InSchema):
    name: str = Field(min_length=1, max_length=100)
    slug: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=2000)
    visibility: SpaceVisibility = SpaceVisibility.PUBLIC
    allowed_roles: list[Role] = Field(default_factory=list, description="Who may enter a restricted space.")
    position: int = Field(0, ge=0)


class SpacePatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    slug: str | None = Field(None, min_length=1, max_length=60)
    description: str | None = Field(None, max_length=2000)
    visibility: SpaceVisibility | None = None
    allowed_roles: list[Role] | None = None
    position: int | None = Field(None, ge=0)
    is_archived: bool | None = None


class MemberOut(Schema):
    id: int
    user: PersonOut
    role: Role
    state: MembershipState
    trust_level: int
    joined_at: datetime | None
    invited_by: PersonOut | None
    state_reason: str = Field(description="Why the member is suspended, banned or was declined.")
    suspended_until: datetime | None

    @staticmethod
    def resolve_state_reason(obj: Membership) -> str:
        # A reinstatement's reason stays on the row; it is the member's business, not everyone's.
        return "" if obj.state == MembershipState.ACTIVE else obj.state_reason


class MyMembershipOut(Schema):
    id: int
    community: CommunitySummaryOut
    role: Role
    state: MembershipState
    trust_level: int
    joined_at: datetime | None
    suspended_until: datetime | None


class MemberFilter(Schema):
    state: MembershipState = Field(
        MembershipState.ACTIVE, description="Members in other states than active are listed for managers only."
    )
    role: Role | None = None
    q: str | None = Field(None, max_length=100, description="Part of the member's handle or display name.")


class RoleIn(InSchema):
    role: Role


class ReasonIn(InSchema):
    reason: str = Field("", max_length=500, description="Told to the member.")


class RequiredReasonIn(InSchema):
    reason: str = Field(min_length=1, max_length=500, description="Told to the member.")


class SuspendIn(RequiredReasonIn):
    until: AwareDatetime = Field(description="When the suspension ends, with its time zone.")


class InvitationIn(InSchema):
    email: EmailStr | None = Field(None, description="Invite one person (one use); leave out for a shareable link.")
    role: Role = Role.MEMBER
    max_uses: int | None = Field(None, ge=1, le=10000, description="1 for an e-mail, 100 for a link if left out.")
    expires_in_days: int = Field(14, ge=1, le=365)


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    max_uses: int
    uses: int
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime
    inviter: PersonOut | None
    is_usable: bool
    token: str | None = Field(
        description="Accept with POST /invitations/{token}/accept; only shown to those who may give its role."
    )

    @staticmethod
    def resolve_token(obj: Invitation, context: dict[str, Any] | None) -> str | None:
        request = (context or {}).get("request")
        return obj.token if request is not None and can(viewer_of(request), Action.INVITE, obj) else None
