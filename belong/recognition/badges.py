"""Badges: awarding (by the catalogue's rules, or by managers), revoking, and who holds what."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from belong.core.activity import record_activity
from belong.core.events import on_commit_publish
from belong.recognition import events, ledger
from belong.recognition.defaults import badges_of
from belong.recognition.models import BadgeAward, RuleKey


class Verb:
    BADGE_AWARDED = "badge.awarded"
    BADGE_REVOKED = "badge.revoked"


def grant_badge(
    *,
    community_id: int,
    user_id: int,
    key: str,
    source: str = "once",
    awarded_by: Any = None,
    reason: str = "",
) -> BadgeAward | None:
    """Give the badge `key` to the member for `source`, once; None if they hold it for that source already
    or the badge is switched off. A once-only badge always uses the source `once`.

    No permission check: the rules call it from tasks, `award_badge` calls it after its checks.
    """
    badge = badges_of(community_id).get(key)
    if badge is None or not badge.is_enabled:
        return None
    if not badge.repeatable:
        source = "once"
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(
                community_id=community_id,
                badge=badge,
                user_id=user_id,
                source=source,
                awarded_by=awarded_by if getattr(awarded_by, "pk", None) else None,
                reason=reason,
            )
            record_activity(
                actor=awarded_by,
                verb=Verb.BADGE_AWARDED,
                target=award,
                community=community_id,
                recipient=user_id,
                data={"badge": badge.key, "source": source},
            )
            ledger.award(
                community_id=community_id,
                user_id=user_id,
                rule=RuleKey.BADGE_EARNED,
                source=f"badge:{badge.key}:{source}",
            )
    except IntegrityError:
        return None
    on_commit_publish(
        events.BadgeAwarded(
            community_id=community_id,
            actor_id=getattr(awarded_by, "pk", None),
            award_id=award.pk,
            badge_id=badge.pk,
            badge_key=badge.key,
            user_id=user_id,
            manual=awarded_by is not None,
        )
    )
    return award



