"""What a data export holds from the accounts app: the profile and personal API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import exporter, rows
from belong.accounts.models import ApiToken, DataExport, User


@exporter("profile", description=_("Your profile: handle, name, e-mail address, language, time zone, about you."))
def profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "handle": user.handle,
        "display_name": user.display_name,
        "email": user.email,
        "locale": user.locale,
        "time_zone": user.time_zone,
        "bio": user.bio,
        "avatar": user.avatar.name or None,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "has_password": user.has_usable_password(),
    }


@exporter(
    "api_tokens",
    description=_("Your personal API tokens: name, first characters, scopes and dates (never the tokens themselves)."),
)
def api_tokens(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "name", "hint", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at")
    return rows(ApiToken.objects.filter(user=user).order_by("created_at", "id").values(*fields))


@exporter("data_exports", description=_("The exports of your data you asked for, this one included."))
def data_exports(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "state", "created_at", "completed_at", "expires_at", "size")
    return rows(DataExport.objects.filter(user=user).order_by("created_at", "id").values(*fields))
