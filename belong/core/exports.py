"""What a data export holds from the activity log: what the person did, and what was done to or for them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import CHUNK, exporter
from belong.accounts.models import User
from belong.core.models import Activity


def _activity(**who: Any) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "verb", "community__slug", "target_type__app_label", "target_type__model", "target_id", "data",
        "created_at",
    )  # fmt: skip
    values = Activity.objects.filter(**who).order_by("created_at", "id").values(*fields)
    for row in values.iterator(chunk_size=CHUNK):
        app, model = row["target_type__app_label"], row["target_type__model"]
        yield {
            "id": row["id"],
            "verb": row["verb"],
            "community": row["community__slug"],
            "target": f"{app}.{model}" if app else None,
            "target_id": row["target_id"] or None,
            "data": row["data"],
            "created_at": row["created_at"],
        }


@exporter("activity", description=_("The activity log of what you did: each action, where, on what, when."))
def activity(user: User) -> Iterator[dict[str, Any]]:
    return _activity(actor=user)


@exporter(
    "activity_received",
    description=_("Actions of others that concerned you (a reaction to your post, an accepted answer), without who."),
)
def activity_received(user: User) -> Iterator[dict[str, Any]]:
    for row in _activity(recipient=user):
        yield {**row, "data": None}
