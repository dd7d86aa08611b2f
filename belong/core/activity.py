"""Write to the append-only activity log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from belong.core.models import Activity


def record_activity(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    community: Any = None,
    recipient: Any = None,
    data: dict[str, Any] | None = None,
) -> Activity:
    """Append one entry; `community` defaults to the target's own community.

    `recipient` is the person the action concerns when that is not the actor (whose post was
    reacted to): trust levels and recognition count what members received by it.
    """
    if community is None and target is not None:
        community = getattr(target, "community", None)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return Activity.objects.create(
        actor_id=actor_id,
        verb=verb,
        recipient_id=getattr(recipient, "pk", recipient),
        community_id=getattr(community, "pk", community),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
