"""Every change to a person's account: profile and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import available_timezones

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.accounts import events
from belong.accounts.models import ApiToken, TokenScope, User, hash_token
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.events import on_commit_publish
from belong.core.validation import reject_unknown_fields, validate_instance


class Verb:
    PROFILE_UPDATED = "profile.updated"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"


PROFILE_FIELDS = ("display_name", "handle", "bio", "locale", "time_zone", "avatar")
MAX_TOKENS_PER_USER = 50
# Writing last_used_at on every request would turn each API read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def check_time_zone(name: str) -> str:
    if name not in available_timezones():
        raise Invalid(
            _("Unknown time zone: %(zone)s") % {"zone": name},
            errors={"time_zone": [_("Pick a time zone from the list.")]},
        )
    return name


@transaction.atomic
def update_profile(*, user: User, **changes: Any) -> User:
    """Change the person's own profile fields."""
    reject_unknown_fields(changes, PROFILE_FIELDS)
    if "time_zone" in changes:
        check_time_zone(changes["time_zone"])
    if "handle" in changes and User.objects.filter(handle__iexact=changes["handle"]).exclude(pk=user.pk).exists():
        raise Conflict(_("This handle is taken."), errors={"handle": [_("This handle is taken.")]})
    user = User.objects.select_for_update().get(pk=user.pk)
    for field, value in changes.items():
        setattr(user, field, value)
    validate_instance(user, exclude=["password"])
    user.save()
    record_activity(actor=user, verb=Verb.PROFILE_UPDATED, target=user, data={"changed": sorted(changes)})
    on_commit_publish(events.ProfileUpdated(actor_id=user.pk, user_id=user.pk, changed=tuple(sorted(changes))))
    return user


@transaction.atomic
def create_api_token(
    *, user: User, name: str, scopes: list[str], expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a personal token; the raw token is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the token a name."), errors={"name": [_("This field is required.")]})
    scopes = list(dict.fromkeys(scopes or [TokenScope.READ]))
    if any(scope not in TokenScope.values for scope in scopes):
        raise Invalid(_("Unknown scope."), errors={"scopes": [_("Use read or write.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid(_("The expiry date must be in the future."), errors={"expires_at": [_("Pick a later date.")]})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS_PER_USER:
        raise Conflict(_("You have too many tokens; revoke some first."))
    raw = ApiToken.generate()
    token = ApiToken(
        user=user, name=name, scopes=scopes, expires_at=expires_at, token_hash=hash_token(raw), hint=raw[:10]
    )
    validate_instance(token)
    token.save()
    record_activity(actor=user, verb=Verb.TOKEN_CREATED, target=token)
    on_commit_publish(events.ApiTokenCreated(actor_id=user.pk, token_id=token.pk))
    return token, raw


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens; it stops working at once."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is not None:
        raise Conflict(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    record_activity(actor=user, verb=Verb.TOKEN_REVOKED, target=token)
    on_commit_publish(events.ApiTokenRevoked(actor_id=user.pk, token_id=token.pk))
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """Return the usable token matching `raw`, noting when it was last used."""
    if not raw or not raw.startswith("blg_"):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
