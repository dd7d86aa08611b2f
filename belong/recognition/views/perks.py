"""HTML pages of recognition: the ranks ladder and perks (claiming codes; managers keep both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.communities import queries as community_queries
from belong.communities.models import Community
from belong.communities.permissions import can, check, membership_for
from belong.core.errors import Conflict
from belong.recognition import perks, ranks
from belong.recognition.defaults import ranks_of
from belong.recognition.forms.perks import CodesForm, PerkForm, RankForm
from belong.recognition.models import Perk
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, signed_in

CLAIMS_PAGE_SIZE = 50


def _manager(request: HttpRequest, slug: str) -> tuple[Any, Community]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RECOGNITION, community)
    return user, community


def _attempt(form: forms.BaseForm, action: Any, /, **kwargs: Any) -> Any:
    """`attempt`, with a conflict (a rank perks use) shown on the form rather than as an error page."""
    try:
        return attempt(form, action, **kwargs)
    except Conflict as error:
        form.add_error(None, error.detail)
        return None


# The ladder


@dataclass
class Failed:
    """A rank form that was refused, shown again in its place with its errors."""

    rank_id: int | None
    form: RankForm


def _ranks_page(request: HttpRequest, community: Community, failed: Failed | None = None) -> HttpResponse:
    managing = can(request.user, Can.MANAGE_RECOGNITION, community)

    def form_for(rank_id: int | None, blank: RankForm) -> RankForm:
        return failed.form if failed is not None and failed.rank_id == rank_id else blank

    ladder = list(ranks.ladder(community))
    context = {
        "community": community,
        "managing": managing,
        "rows": [(rank, form_for(rank.pk, RankForm(rank=rank)) if managing else None) for rank in ladder],
        "role_perks": perks.rows_for(list(perks.perks_of(community).filter(min_rank__isnull=True)), None),
        "new_form": form_for(None, RankForm()) if managing else None,
    }
    status = form_status(failed.form) if failed is not None else 200
    return TemplateResponse(request, "recognition/perks/ranks.html", context, status=status)


def _to_ranks(community: Community, anchor: str = "") -> HttpResponse:
    return redirect(reverse("recognition:ranks", args=[community.slug]) + (f"#{anchor}" if anchor else ""))


@require_safe
@web_view
def ranks_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The ladder: every rank, its threshold, how many hold it and what it unlocks (managers edit it here)."""
    return _ranks_page(request, community_queries.get_community(slug))


@require_POST
@web_view
def new_rank(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    form = RankForm(request.POST)
    rank = (
        _attempt(form, ranks.create_rank, actor=user, community=community, **form.changes())
        if form.is_valid()
        else None
    )
    if rank is None:
        return _ranks_page(request, community, Failed(None, form))
    messages.success(request, _("The rank “%(rank)s” is added; members are ranked again.") % {"rank": rank.name})
    return _to_ranks(community, f"rank-{rank.pk}")


@require_POST
@web_view
def edit_rank(request: HttpRequest, slug: str, rank_id: int) -> HttpResponse:
    user, community = _manager(request, slug)
    rank = ranks.get_rank(community, rank_id)
    form = RankForm(request.POST, rank=rank)
    saved = _attempt(form, ranks.update_rank, actor=user, rank=rank, **form.changes()) if form.is_valid() else None
    if saved is None:
        return _ranks_page(request, community, Failed(rank.pk, form))
    messages.success(request, _("The rank “%(rank)s” is saved.") % {"rank": saved.name})
    return _to_ranks(community, f"rank-{rank.pk}")


@require_POST
@web_view
def delete_rank(request: HttpRequest, slug: str, rank_id: int) -> HttpResponse:
    user, community = _manager(request, slug)
    rank = ranks.get_rank(community, rank_id)
    try:
        ranks.delete_rank(actor=user, rank=rank)
    except Conflict as error:
        messages.error(request, error.detail)
        return _to_ranks(community, f"rank-{rank.pk}")
    messages.success(request, _("The rank “%(rank)s” is deleted.") % {"rank": rank.name})
    return _to_ranks(community)


# Perks


def _perk_rows(request: HttpRequest, community: Community, managing: bool) -> list[perks.PerkRow]:
    membership = membership_for(request.user, community)
    return perks.rows_for(list(perks.perks_of(community, managing=managing)), membership)


@require_safe
@web_view
def perks_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every perk offered, what unlocks each, a claim button and the member's code (managers: all perks, codes left)."""
    community = community_queries.get_community(slug)
    managing = can(request.user, Can.MANAGE_RECOGNITION, community)
    context = {
        "community": community,
        "managing": managing,
        "may_claim": can(request.user, Can.CLAIM_PERK, community),
        "rows": _perk_rows(request, community, managing),
    }
    return TemplateResponse(request, "recognition/perks/perks.html", context)


def _perk_url(community: Community, perk: Perk) -> str:
    return reverse("recognition:perks", args=[community.slug]) + f"#perk-{perk.pk}"


@require_POST
@web_view
def claim_perk(request: HttpRequest, slug: str, perk_id: int) -> HttpResponse:
    """Claim a code perk: the member's code, the same one every time (htmx gets the perk's card back)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    perk = perks.get_perk(community, perk_id)
    code = perks.claim_perk(user=user, perk=perk)
    if is_htmx(request):
        row = perks.rows_for([perk], membership_for(user, community))[0]
        context = {"community": community, "row": row, "may_claim": True, "managing": False, "claimed": True}
        return render_partial(request, "recognition/perks/perks.html", "perk-card", context)
    messages.success(request, _("Your code for “%(perk)s”: %(code)s") % {"perk": perk.name, "code": code.code})
    return redirect(_perk_url(community, perk))


def _perk_form_page(request: HttpRequest, community: Community, form: PerkForm, perk: Perk | None) -> HttpResponse:
    context = {"community": community, "form": form, "perk": perk}
    return TemplateResponse(request, "recognition/perks/perk_form.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@web_view
def new_perk(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    ranks_of(community.pk)  # the rank choices of a new community
    form = PerkForm(posted(request), community=community)
    if request.method == "POST" and form.is_valid():
        perk = _attempt(form, perks.create_perk, actor=user, community=community, **form.changes())
        if perk is not None:
            messages.success(request, _("The perk “%(perk)s” is offered.") % {"perk": perk.name})
            return redirect(_perk_url(community, perk))
    return _perk_form_page(request, community, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
@web_view
def edit_perk(request: HttpRequest, slug: str, perk_id: int) -> HttpResponse:
    user, community = _manager(request, slug)
    perk = perks.get_perk(community, perk_id, managing=True)
    form = PerkForm(posted(request), community=community, perk=perk)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(form, perks.update_perk, actor=user, perk=perk, **form.changes())
        if saved is not None:
            messages.success(request, _("The perk “%(perk)s” is saved.") % {"perk": saved.name})
            return redirect(_perk_url(community, perk))
    return _perk_form_page(request, community, form, perk)


@require_http_methods(["GET", "HEAD", "POST"])
@web_view
def perk_codes(request: HttpRequest, slug: str, perk_id: int) -> HttpResponse:
    """A perk's codes for its managers: who has which, how many are left, and a box to add more."""
    user, community = _manager(request, slug)
    perk = perks.get_perk(community, perk_id, managing=True)
    form = CodesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        added = _attempt(form, perks.add_codes, actor=user, perk=perk, codes=form.cleaned_data["codes"])
        if added is not None:
            if added:
                text = ngettext("%(count)d code added.", "%(count)d codes added.", added) % {"count": added}
                messages.success(request, text)
            else:
                messages.warning(request, _("No new codes: every one was in the pool already."))
            return redirect(reverse("recognition:perk_codes", args=[community.slug, perk.pk]))
    context = {
        "community": community,
        "perk": perk,
        "form": form,
        "page": page_of(request, perks.claims_of(perk), CLAIMS_PAGE_SIZE),
    }
    return TemplateResponse(request, "recognition/perks/perk_codes.html", context, status=form_status(form))


c = "c/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    path(f"{c}ranks/", ranks_page, name="ranks"),
    path(f"{c}ranks/new/", new_rank, name="new_rank"),
    path(f"{c}ranks/<int:rank_id>/", edit_rank, name="edit_rank"),
    path(f"{c}ranks/<int:rank_id>/delete/", delete_rank, name="delete_rank"),
    path(f"{c}perks/", perks_page, name="perks"),
    path(f"{c}perks/new/", new_perk, name="new_perk"),
    path(f"{c}perks/<int:perk_id>/edit/", edit_perk, name="edit_perk"),
    path(f"{c}perks/<int:perk_id>/claim/", claim_perk, name="claim_perk"),
    path(f"{c}perks/<int:perk_id>/codes/", perk_codes, name="perk_codes"),
]
