"""Reads of people and their tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from belong.accounts.models import ApiToken, User
from belong.core.errors import NotFound


def get_user_by_handle(handle: str) -> User:
    user = User.objects.filter(handle__iexact=handle, is_active=True).first()
    if user is None:
        raise NotFound(_("No one with this handle."))
    return user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")
