"""API shapes of people, profiles and personal tokens."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime

from belong.accounts.models import DataExport, ExportState, TokenScope, User
from belong.api.schemas import InSchema, PatchSchema


class PersonOut(Schema):
    """Someone as other members see them."""

    id: int
    handle: str
    display_name: str
    name: str
    avatar_url: str | None

    @staticmethod
    def resolve_avatar_url(obj: User) -> str | None:
        return obj.avatar.url if obj.avatar else None


class MeOut(PersonOut):
    """The signed-in person's own profile, with the private fields."""

    email: str
    bio: str
    locale: str
    time_zone: str
    date_joined: datetime


class MePatch(PatchSchema):
    """Profile fields to change; leave a field out to keep it."""

    display_name: str | None = Field(None, max_length=80)
    handle: str | None = Field(None, min_length=1, max_length=30)
    bio: str | None = Field(None, max_length=2000)
    locale: str | None = Field(None, description="A language code such as en, pt, bg or af.")
    time_zone: str | None = Field(None, description="An IANA time zone such as Europe/Lisbon.")


class ApiTokenIn(InSchema):
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. 'CRM sync'.")
    scopes: list[TokenScope] = Field(
        default_factory=lambda: [TokenScope.READ], description="read, or write (which includes read)."
    )
    expires_at: AwareDatetime | None = Field(
        None, description="When the token stops working, with its time zone; never if left out."
    )


class ApiTokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The first characters of the token, to recognise it.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_usable: bool


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="The token itself. It is shown only this once: store it safely.")


class DataExportOut(Schema):
    """A copy of your data: a ZIP of JSON files, downloadable for seven days once ready."""

    id: int
    state: ExportState = Field(description="pending (being prepared), ready, failed, or expired (content dropped).")
    created_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None = Field(description="When the ZIP is deleted; null until ready.")
    size: int = Field(description="Size of the ZIP in bytes; 0 until ready.")
    download_url: str | None = Field(description="Where to GET the ZIP while it is ready; null otherwise.")

    @staticmethod
    def resolve_download_url(obj: DataExport) -> str | None:
        if not obj.is_downloadable:
            return None
        return reverse("api:download_data_export", kwargs={"export_id": obj.pk})


class DeleteMeIn(InSchema):
    password: str | None = Field(None, description="Your current password.")
    confirm: str | None = Field(
        None, description="Accounts without a password (signed up through another service): your handle."
    )
    remove_content: bool = Field(
        False,
        description="Also delete every post you wrote and erase its text; otherwise it stays as a former member's.",
    )
