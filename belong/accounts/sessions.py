"""Sign a person out everywhere at once: every session and every personal API token."""

from __future__ import annotations

import logging

from django.db.models import F, Q
from django.utils import timezone

from belong.accounts.models import ApiToken, User

logger = logging.getLogger(__name__)


def end_sessions_and_tokens(user: User, *, reason: str) -> None:
    """Raise the person's session epoch and revoke their usable tokens, in the caller's transaction.

    The epoch is part of the session auth hash, so every session of the person, in whatever session
    backend it lives, stops authenticating on its next request; nothing has to find the sessions.
    The person can sign in again: what they may do then is for the permissions to decide.
    """
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    usable = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    revoked = ApiToken.objects.filter(usable, user=user, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    logger.info("Signed user %s out everywhere (%s); %d token(s) revoked", user.pk, reason, revoked)
