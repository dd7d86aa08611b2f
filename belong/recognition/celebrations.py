"""Celebrations: anniversaries and milestones, each kept once per member and announced by an event."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from belong.core.events import on_commit_publish
from belong.recognition import events
from belong.recognition.models import Celebration


def celebrate(
    *, community_id: int, user_id: int, kind: str, key: str, data: dict[str, Any] | None = None
) -> Celebration | None:
    """Record the moment once (`key` is unique per member) and publish `Celebrated`; None if already kept."""
    try:
        with transaction.atomic():
            celebration = Celebration.objects.create(
                community_id=community_id, user_id=user_id, kind=kind, key=key, data=data or {}
            )
    except IntegrityError:
        return None
    on_commit_publish(
        events.Celebrated(community_id=community_id, user_id=user_id, celebration_id=celebration.pk, kind=kind, key=key)
    )
    return celebration
