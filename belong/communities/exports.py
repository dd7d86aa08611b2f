"""What a data export holds from the communities app: memberships, invitations sent, spaces let into."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import exporter, rows
from belong.accounts.models import User
from belong.communities.models import Invitation, Membership, SpaceAccess


@exporter(
    "memberships",
    description=_("The communities you belong or belonged to: role, state, trust level, when you joined."),
)
def memberships(user: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "community__slug", "role", "state", "trust_level", "joined_at", "state_reason",
        "suspended_until", "silenced_until", "created_at",
    )  # fmt: skip
    values = Membership.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community")


@exporter(
    "invitations_sent",
    description=_("Invitations you made: community, role, uses and dates (not the addresses of those invited)."),
)
def invitations_sent(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "role", "max_uses", "uses", "created_at", "expires_at", "revoked_at", "email")
    values = Invitation.objects.filter(inviter=user).order_by("created_at", "id").values(*fields)
    for row in rows(values, community__slug="community"):
        by_email = bool(row.pop("email"))
        yield {**row, "by_email": by_email}


@exporter("space_accesses", description=_("Restricted spaces you were let into by name."))
def space_accesses(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "space__community__slug", "space__slug", "via", "created_at")
    values = SpaceAccess.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, space__community__slug="community", space__slug="space")
