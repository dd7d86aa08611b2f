"""Write to the moderation log: every moderator action, with its reason, in the action's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from belong.core.events import Event, on_commit_publish
from belong.core.models import ModerationEntry


@dataclass(frozen=True, kw_only=True)
class ModerationRecorded(Event):
    """A moderation log entry was written; the moderation app tells the member concerned why."""

    entry_id: int
    action: str
    subject_id: int | None = None


def record_moderation(
    *,
    actor: Any,
    action: str,
    community: Any,
    subject: Any = None,
    target: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> ModerationEntry:
    """Append one entry; `actor` None means the system acted (members' flags hid a post)."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    subject_id = getattr(subject, "pk", subject)
    entry = ModerationEntry.objects.create(
        community_id=getattr(community, "pk", community),
        actor_id=actor_id,
        action=action,
        subject_id=subject_id,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        reason=reason,
        data=data or {},
    )
    on_commit_publish(
        ModerationRecorded(
            community_id=entry.community_id,
            actor_id=actor_id,
            entry_id=entry.pk,
            action=action,
            subject_id=subject_id,
        )
    )
    return entry
