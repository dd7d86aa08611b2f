"""The signed-in person's own account: profile and personal API tokens (mounted at /me)."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.accounts import actions, queries
from belong.accounts.models import ApiToken, User
from belong.accounts.schemas import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut, MeOut, MePatch
from belong.api.auth import user_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.core.ratelimit import rate_limited

router = Router(tags=["me"])


@router.get("", response={200: MeOut, **READ_ERRORS}, summary="Your profile", operation_id="get_me")
def get_me(request: HttpRequest) -> User:
    """Return the signed-in person's profile, including private fields such as the e-mail address."""
    return user_of(request)


@router.patch("", response={200: MeOut, **WRITE_ERRORS}, summary="Change your profile", operation_id="update_me")
@rate_limited
def update_me(request: HttpRequest, payload: MePatch) -> User:
    """Change display name, handle, bio, language or time zone; fields left out keep their value."""
    return actions.update_profile(user=user_of(request), **payload.changes())


@router.get(
    "/tokens",
    response={200: list[ApiTokenOut], **READ_ERRORS},
    summary="Your API tokens",
    operation_id="list_my_tokens",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_my_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """List your personal tokens, newest first, revoked ones included; the tokens themselves are never shown again."""
    return queries.tokens_of(user_of(request))


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, **WRITE_ERRORS},
    summary="Create an API token",
    operation_id="create_my_token",
)
@rate_limited
def create_my_token(request: HttpRequest, payload: ApiTokenIn) -> Status[ApiTokenCreatedOut]:
    """Issue a personal token; the response carries the token itself, which is shown only this once."""
    token, raw = actions.create_api_token(
        user=user_of(request),
        name=payload.name,
        scopes=[str(scope.value) for scope in payload.scopes],
        expires_at=payload.expires_at,
    )
    return Status(201, ApiTokenCreatedOut(**ApiTokenOut.model_validate(token).model_dump(), token=raw))


@router.delete(
    "/tokens/{token_id}",
    response={200: ApiTokenOut, **WRITE_ERRORS},
    summary="Revoke an API token",
    operation_id="revoke_my_token",
)
@rate_limited
def revoke_my_token(request: HttpRequest, token_id: int) -> ApiToken:
    """Revoke one of your tokens; it stops working at once and stays listed as revoked."""
    return actions.revoke_api_token(user=user_of(request), token_id=token_id)
