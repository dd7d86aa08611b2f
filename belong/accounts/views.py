"""HTML pages of people: public profiles, the profile editor, personal API tokens, your data and deleting the account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.accounts import actions, queries
from belong.accounts.export import zip_response
from belong.accounts.forms import DeleteAccountForm, ProfileForm, TokenForm
from belong.accounts.models import EXPORT_LIFETIME_DAYS
from belong.communities.models import MembershipState
from belong.communities.queries import communities_of
from belong.core.errors import Conflict
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import page_of, posted, signed_in
from belong.web.visitor_cache import cached_for_visitors

NEW_TOKEN_SESSION_KEY = "belong.new_token"
PAGE_SIZE = 50


@cached_for_visitors
@require_safe
@web_view
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    person = queries.get_user_by_handle(handle)
    memberships = communities_of(person).filter(state=MembershipState.ACTIVE)
    context = {"person": person, "memberships": memberships, "is_self": person.pk == request.user.pk}
    return TemplateResponse(request, "accounts/profile.html", context)


@web_view
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    posted: tuple[Any, Any] = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ProfileForm(*posted, initial=ProfileForm.initial_for(user))
    if form.is_bound and form.is_valid():
        changes = {field: value for field, value in form.changes().items() if field in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect("accounts:edit_profile")
        if attempt(form, actions.update_profile, user=user, **changes) is not None:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:edit_profile")
    return TemplateResponse(request, "accounts/profile_form.html", {"form": form}, status=form_status(form))


@web_view
def tokens(request: HttpRequest) -> HttpResponse:
    """List the person's tokens and issue new ones; a new token is shown once, after the redirect."""
    user = signed_in(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        created = attempt(form, actions.create_api_token, user=user, **form.arguments())
        if created is not None:
            token, raw = created
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "raw": raw}
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return redirect("accounts:tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    page = Paginator(queries.tokens_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "new_token": new_token}
    return TemplateResponse(request, "accounts/tokens.html", context, status=form_status(form))


@require_POST
@web_view
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = signed_in(request)
    token = actions.revoke_api_token(user=user, token_id=token_id)
    messages.success(
        request, _("Token “%(name)s” is revoked; programs using it are refused from now on.") % {"name": token.name}
    )
    return redirect("accounts:tokens")


@web_view
def data(request: HttpRequest) -> HttpResponse:
    """Your data: ask for a copy of it (POST) and download the exports made."""
    user = signed_in(request)
    if request.method == "POST":
        try:
            actions.request_export(user=user)
        except Conflict as refusal:  # already asked today: say so on the page itself
            messages.warning(request, refusal.detail)
        else:
            messages.success(request, _("We are preparing your data and will e-mail you when it is ready."))
        return redirect("accounts:data")
    page = page_of(request, queries.exports_of(user), PAGE_SIZE)
    return TemplateResponse(request, "accounts/data.html", {"page": page, "lifetime_days": EXPORT_LIFETIME_DAYS})


@require_safe
@web_view
def download_export(request: HttpRequest, export_id: int) -> HttpResponse:
    user = signed_in(request)
    return zip_response(queries.downloadable_export(user, export_id), user)


@web_view
def delete_account(request: HttpRequest) -> HttpResponse:
    """Explain what deleting the account does and do it once the person confirms."""
    user = signed_in(request)
    form = DeleteAccountForm(posted(request), user=user)
    if form.is_bound and form.is_valid():
        attempt(form, actions.delete_account, user=user, **form.arguments())
        if not form.errors:
            logout(request)
            messages.success(request, _("Your account is deleted. Goodbye, and thank you for taking part."))
            return redirect("/")
    return TemplateResponse(request, "accounts/delete_account.html", {"form": form}, status=form_status(form))
