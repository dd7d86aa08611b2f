"""API authentication: personal tokens for programs, the session (with CSRF) for the browser."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from belong.accounts.actions import authenticate_token
from belong.accounts.models import TokenScope, User
from belong.core.errors import NotAllowed, NotAuthenticated

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer blg_…`; a read-only token cannot change anything."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = authenticate_token(token)
        if api_token is None:
            raise NotAuthenticated(_("The token is unknown, expired or revoked."))
        if request.method not in SAFE_METHODS and not api_token.allows(TokenScope.WRITE):
            raise NotAllowed(_("This token may only read; create one with the write scope."))
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class AnonymousAuth:
    """Lets public reads through for visitors; permissions still decide what they see."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        return request.user if request.user.is_authenticated else AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
anonymous = AnonymousAuth()

# Endpoints that need a signed-in person, and endpoints anyone may read.
SIGNED_IN = [token_auth, session_auth]
ANYONE = [token_auth, session_auth, anonymous]


def viewer_of(request: HttpRequest) -> User | AnonymousUser:
    """Whoever makes the request: the token's or the session's person, or a visitor."""
    user = getattr(request, "user", None)
    if isinstance(user, AnonymousUser) or user is None or not user.is_authenticated:
        return AnonymousUser()
    return cast(User, user)


def user_of(request: HttpRequest) -> User:
    """The signed-in person behind a request that passed SIGNED_IN authentication."""
    user = viewer_of(request)
    if isinstance(user, AnonymousUser):
        raise NotAuthenticated(_("Sign in to do this."))
    return user
