"""The one error family every action raises; mapped once for the API and once for HTML."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BelongError(Exception):
    """A refusal the member can understand; `status` is the HTTP status it maps to."""

    status = 400
    title: str | Promise = _("Bad request")
    code = "bad-request"

    def __init__(self, detail: str | Promise | None = None, *, errors: dict[str, list[str]] | None = None) -> None:
        self.detail = str(detail) if detail is not None else str(self.title)
        self.errors = errors or {}
        super().__init__(self.detail)


class Invalid(BelongError):
    status = 422
    title = _("Invalid input")
    code = "invalid"


class NotAuthenticated(BelongError):
    status = 401
    title = _("Not signed in")
    code = "not-authenticated"


class NotAllowed(BelongError):
    status = 403
    title = _("Not allowed")
    code = "not-allowed"


class NotFound(BelongError):
    status = 404
    title = _("Not found")
    code = "not-found"


class Conflict(BelongError):
    status = 409
    title = _("Conflict")
    code = "conflict"


class RateLimited(BelongError):
    status = 429
    title = _("Too many requests")
    code = "rate-limited"
