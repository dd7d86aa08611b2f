"""The signed-in person's own account: profile, personal API tokens, data exports and deletion (mounted at /me)."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from django.contrib.auth import logout
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.accounts import actions, queries
from belong.accounts.export import zip_response
from belong.accounts.models import ApiToken, DataExport, User
from belong.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    DataExportOut,
    DeleteMeIn,
    MeOut,
    MePatch,
)
from belong.api.auth import user_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.core.errors import NotAllowed
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


@router.delete(
    "",
    response={204: None, **WRITE_ERRORS},
    summary="Delete your account",
    operation_id="delete_me",
)
@rate_limited
def delete_me(request: HttpRequest, payload: DeleteMeIn) -> Status[None]:
    """Delete your account and personal data for good; what you wrote stays as a former member's unless
    `remove_content` is true. Confirm with your `password`, or, for an account without one (signed up
    through another service), with your handle in `confirm`. 409 while you are the only owner of a
    community; 422 when the confirmation is wrong. An account without a password can only be deleted
    from the browser session, not with a token (a token and a public handle are not proof enough).
    """
    user = user_of(request)
    if getattr(request, "api_token", None) is not None and not user.has_usable_password():
        raise NotAllowed(_("Sign in on the website to delete an account that has no password."))
    actions.delete_account(
        user=user, password=payload.password, confirm=payload.confirm, remove_content=payload.remove_content
    )
    if getattr(request, "api_token", None) is None:
        logout(request)
    return Status(204, None)


@router.post(
    "/exports",
    response={202: DataExportOut, **WRITE_ERRORS},
    summary="Ask for a copy of your data",
    operation_id="request_data_export",
)
@rate_limited
def request_data_export(request: HttpRequest) -> Status[DataExport]:
    """Start preparing a ZIP of everything you wrote and everything held about you; you are e-mailed when it
    is ready. Once a day (a failed export does not count); 409 while one is being prepared or after one today.
    """
    return Status(202, actions.request_export(user=user_of(request)))


@router.get(
    "/exports",
    response={200: list[DataExportOut], **READ_ERRORS},
    summary="Your data exports",
    operation_id="list_data_exports",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_data_exports(request: HttpRequest) -> QuerySet[DataExport]:
    """List the exports of your data, newest first, expired ones included."""
    return queries.exports_of(user_of(request))


@router.get(
    "/exports/{export_id}",
    response={200: DataExportOut, **READ_ERRORS},
    summary="One of your data exports",
    operation_id="get_data_export",
)
def get_data_export(request: HttpRequest, export_id: int) -> DataExport:
    """Return one of your exports, to see whether it is ready; anyone else's is 404."""
    return queries.get_export(user_of(request), export_id)


@router.get(
    "/exports/{export_id}/download",
    response={200: None, **READ_ERRORS},
    summary="Download a data export",
    operation_id="download_data_export",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The ZIP: a README.txt and one JSON file per kind of data.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_data_export(request: HttpRequest, export_id: int) -> HttpResponse:
    """Download the ZIP of a ready export; 404 while it is being prepared, once it has expired, or if it is not yours."""
    user = user_of(request)
    return zip_response(queries.downloadable_export(user, export_id), user)
