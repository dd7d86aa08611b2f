"""Reads of people, their tokens and their data exports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from belong.accounts.models import ApiToken, DataExport, User
from belong.core.errors import NotFound


def get_user_by_handle(handle: str) -> User:
    user = User.objects.filter(handle__iexact=handle, is_active=True).first()
    if user is None:
        raise NotFound(_("No one with this handle."))
    return user


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def exports_of(user: User) -> QuerySet[DataExport]:
    """The person's own exports, newest first, without their content."""
    return DataExport.objects.filter(user=user).defer("content").order_by("-created_at", "-id")


def get_export(user: User, export_id: int, *, with_content: bool = False) -> DataExport:
    """One of the person's own exports; anyone else's, staff included, is not found."""
    exports = DataExport.objects.filter(user=user) if with_content else exports_of(user)
    export = exports.filter(pk=export_id).first()
    if export is None:
        raise NotFound(_("No such export."))
    return export


def downloadable_export(user: User, export_id: int) -> DataExport:
    """One of the person's exports with its ZIP, or NotFound while it is not ready or once it has expired."""
    export = get_export(user, export_id, with_content=True)
    if not export.is_downloadable or export.content is None:
        raise NotFound(_("This export cannot be downloaded: it is not ready yet, or it has expired."))
    return export
