"""Every change to a person's account: profile, API tokens, data exports and deleting the account."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from belong.accounts import deletion, events
from belong.accounts.export import build_archive
from belong.accounts.models import (
    EXPORT_LIFETIME_DAYS,
    ApiToken,
    DataExport,
    ExportState,
    TokenScope,
    User,
    hash_token,
)
from belong.communities.actions import recount_members
from belong.communities.models import Membership
from belong.conversations.events import PostDeleted
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.events import on_commit_publish
from belong.core.tasks import enqueue_on_commit
from belong.core.validation import reject_unknown_fields, validate_instance

logger = logging.getLogger(__name__)


class Verb:
    PROFILE_UPDATED = "profile.updated"
    TOKEN_CREATED = "token.created"
    TOKEN_REVOKED = "token.revoked"
    EXPORT_REQUESTED = "data_export.requested"
    ACCOUNT_DELETED = "account.deleted"


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


# ---------------------------------------------------------------------------------------------
# Data exports

# A person may ask for their data once a day (a failed export does not count).
EXPORT_INTERVAL = timedelta(hours=24)
EXPORT_LIFETIME = timedelta(days=EXPORT_LIFETIME_DAYS)
MAX_ERROR_CHARS = 2000


@transaction.atomic
def request_export(*, user: User) -> DataExport:
    """Ask for a ZIP of everything about the person; it is built by a task, which e-mails them when ready."""
    from belong.accounts.tasks import build_data_export

    User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time per person
    latest = (
        DataExport.objects.filter(user=user)
        .exclude(state=ExportState.FAILED)
        .defer("content")
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None and latest.state == ExportState.PENDING:
        raise Conflict(_("Your data is already being prepared; we will e-mail you when it is ready."))
    if latest is not None and latest.created_at > timezone.now() - EXPORT_INTERVAL:
        again = formats.date_format(timezone.localtime(latest.created_at + EXPORT_INTERVAL), "SHORT_DATETIME_FORMAT")
        raise Conflict(
            _("You can ask for your data once a day; ask again after %(time)s, or download the last export.")
            % {"time": again}
        )
    export = DataExport.objects.create(user=user)
    record_activity(actor=user, verb=Verb.EXPORT_REQUESTED, target=export)
    on_commit_publish(events.DataExportRequested(actor_id=user.pk, export_id=export.pk))
    enqueue_on_commit(build_data_export, export.pk)
    return export


def build_export(export_id: int) -> DataExport | None:
    """Build a pending export's ZIP, mark it ready (or failed) and e-mail the person; a second run does nothing.

    The archive is built outside any transaction; only a run that still finds the export pending
    stores it, so two workers racing on one export write it and e-mail the person once.
    """
    export = DataExport.objects.defer("content").select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.PENDING:
        return export
    pending = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING)
    try:
        content = build_archive(export.user)
    except Exception as error:
        logger.exception("Building data export %s failed", export_id)
        pending.update(state=ExportState.FAILED, completed_at=timezone.now(), error=repr(error)[:MAX_ERROR_CHARS])
        export.refresh_from_db(fields=["state", "completed_at"])
        return export
    now = timezone.now()
    stored = pending.update(
        state=ExportState.READY, content=content, size=len(content), completed_at=now, expires_at=now + EXPORT_LIFETIME
    )
    export.refresh_from_db(fields=["state", "completed_at", "expires_at", "size"])
    if stored:
        _send_export_ready(export)
    return export


def _send_export_ready(export: DataExport) -> None:
    """Tell the person their data is ready, in their language and time zone, with a link to the download page."""
    user = export.user
    if not user.email:
        return
    url = settings.BELONG_BASE_URL + reverse("accounts:data")
    with translation.override(user.locale or settings.LANGUAGE_CODE), timezone.override(user.time_zone):
        subject = _("Your data is ready to download")
        body = render_to_string("accounts/email/export_ready.txt", {"export": export, "person": user, "url": url})
    send_mail(subject, body, None, [user.email])


def purge_expired_exports(*, now: datetime | None = None) -> int:
    """Drop the content of exports past their expiry, keeping the rows as a record; return how many."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    return expired.update(state=ExportState.EXPIRED, content=None)


# ---------------------------------------------------------------------------------------------
# Deleting an account


def _check_confirmation(user: User, password: str | None, confirm: str | None) -> None:
    """The current password, or for an account without one (social sign-in) the handle typed out."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            message = _("The password is not right.")
            raise Invalid(message, errors={"password": [message]})
        return
    typed = (confirm or "").strip().removeprefix("@")
    if typed.lower() != user.handle.lower():
        message = _("Type your handle, %(handle)s, to confirm.") % {"handle": user.handle}
        raise Invalid(message, errors={"confirm": [message]})


@transaction.atomic
def delete_account(
    *, user: User, password: str | None = None, remove_content: bool = False, confirm: str | None = None
) -> None:
    """Delete the person and their personal data; what they wrote stays as a former member's unless they ask.

    `password` confirms an account that has one; an account signed up through another service has
    none and confirms with its handle in `confirm`. The only owner of a community must hand it over
    first. With `remove_content` every post they wrote is deleted and its text erased, and the
    threads they opened lose their titles. One activity row per community they belonged to records
    that an account went, without saying whose.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_confirmation(user, password, confirm)
    deletion.refuse_if_sole_owner(user)
    now = timezone.now()
    community_ids = sorted(set(Membership.objects.filter(user=user).values_list("community_id", flat=True)))
    removed = deletion.remove_content(user, now=now) if remove_content else []
    voted = deletion.ideas_voted_by(user)
    deletion.withdraw_invitations_to(user, now=now)
    deletion.clear_protected_ledger_lines(user)
    avatar, storage = user.avatar.name, user.avatar.storage
    user_id = user.pk
    user.delete()
    deletion.recount_votes(voted)
    for community_id in community_ids:
        recount_members(community_id)
        record_activity(
            actor=None, verb=Verb.ACCOUNT_DELETED, community=community_id, data={"removed_content": remove_content}
        )
    if avatar:
        transaction.on_commit(lambda: storage.delete(avatar))
    for post in removed:
        on_commit_publish(
            PostDeleted(community_id=post.community_id, actor_id=None, thread_id=post.thread_id, post_id=post.post_id)
        )
    on_commit_publish(
        events.AccountDeleted(user_id=user_id, community_ids=tuple(community_ids), removed_content=remove_content)
    )
