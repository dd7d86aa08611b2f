"""HTML pages of the ambassador and expert programme: the managers' page (candidates, nominating,
nominations, members), a nominee's page to answer, and the public page of experts and ambassadors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.accounts.queries import get_user_by_handle
from belong.communities import queries as community_queries
from belong.communities.models import Community
from belong.communities.permissions import can, check, membership_for
from belong.conversations.models import Tag
from belong.core.errors import Conflict, Invalid, NotFound
from belong.recognition import programme
from belong.recognition.forms.programme import AreasForm, CandidateFilterForm, NominationForm
from belong.recognition.members import member_by_handle, recognition_community
from belong.recognition.models import NominationState, Programme
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import FORM_ERROR_STATUS, add_form_errors, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, signed_in

PAGE_SIZE = 30
MANAGE = "recognition/programme/manage.html"


def _tags(community: Community) -> Any:
    return Tag.objects.filter(community=community).order_by("-is_official", "name", "id")


def _manage_page(
    request: HttpRequest, community: Community, form: NominationForm | None = None, status: int = 200
) -> HttpResponse:
    tags = _tags(community)
    filters = CandidateFilterForm(request.GET, tags=tags)
    tag = filters.cleaned_data["tag"] if filters.is_valid() else None
    context = {
        "community": community,
        "filters": filters,
        "tag": tag,
        "expert_candidates": programme.candidates(community, Programme.EXPERT, tag=tag),
    }
    if is_htmx(request) and request.method == "GET":
        return render_partial(request, MANAGE, "expert-candidates", context)
    initial: dict[str, Any] = {key: request.GET.get(key, "") for key in ("member", "programme")}
    initial["areas"] = request.GET.getlist("areas")
    context |= {
        "ambassador_candidates": programme.candidates(community, Programme.AMBASSADOR),
        "form": form or NominationForm(initial=initial, tags=tags, auto_id="nominate-%s"),
        "nominations": page_of(request, programme.nominations_of(community), PAGE_SIZE),
        "members": list(programme.programme_members(community)),
    }
    return TemplateResponse(request, MANAGE, context, status=status)


@require_safe
@web_view
def programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Candidates for both programmes (experts by tag), the nomination form, nominations and members (managers)."""
    community = community_queries.get_community(slug)
    check(request.user, Can.MANAGE_PROGRAMME, community)
    return _manage_page(request, community)


@require_POST
@web_view
def nominate(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_PROGRAMME, community)
    form = NominationForm(request.POST, tags=_tags(community), auto_id="nominate-%s")
    status = FORM_ERROR_STATUS
    if form.is_valid():
        data = form.cleaned_data
        try:
            nominee = get_user_by_handle(data["member"])
            nomination = programme.nominate(actor=user, community=community, user=nominee,
                                            programme=data["programme"], areas=data["areas"],
                                            message=data["message"])  # fmt: skip
        except NotFound:
            form.add_error("member", _("No one has this handle."))
        except (Invalid, Conflict) as error:
            if error.errors:
                form.add_error(None, error.detail)
            add_form_errors(form, error)
            status = error.status
        else:
            messages.success(request, _("%(name)s is invited: they answer from the e-mail.") % {"name": nominee.name})
            return redirect("recognition:nomination", community.slug, nomination.pk)
    return _manage_page(request, community, form=form, status=status)


@require_safe
@web_view
def nomination(request: HttpRequest, slug: str, nomination_id: int) -> HttpResponse:
    """A nomination: its nominee accepts or declines it; the managers see its state and may withdraw it."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = programme.get_nomination(user, community, nomination_id)
    pending = found.state == NominationState.PENDING
    context = {
        "community": community,
        "nomination": found,
        "may_answer": pending and can(user, Can.ANSWER_NOMINATION, found),
        "may_withdraw": pending and can(user, Can.MANAGE_PROGRAMME, community),
    }
    return TemplateResponse(request, "recognition/programme/nomination.html", context)


@require_POST
@web_view
def answer_nomination(request: HttpRequest, slug: str, nomination_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = programme.get_nomination(user, community, nomination_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        raise Invalid(_("Answer with accept or decline."), errors={"answer": [_("Pick an answer.")]})
    try:
        programme.answer_nomination(user=user, nomination=found, accept=answer == "accept")
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("recognition:nomination", community.slug, found.pk)
    if answer == "accept":
        messages.success(request, _("Welcome to the programme: your role is now “%(role)s”.")
                         % {"role": found.get_programme_display()})  # fmt: skip
        return redirect("recognition:experts", community.slug)
    messages.success(request, _("You declined the nomination."))
    return redirect("recognition:nomination", community.slug, found.pk)


@require_POST
@web_view
def withdraw_nomination(request: HttpRequest, slug: str, nomination_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = programme.get_nomination(user, community, nomination_id)
    try:
        programme.withdraw_nomination(actor=user, nomination=found)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The nomination of %(name)s is withdrawn.") % {"name": found.user.name})
    return redirect("recognition:programme", community.slug)


@require_safe
@web_view
def experts(request: HttpRequest, slug: str) -> HttpResponse:
    """Who to ask about what: the experts of each area, then every ambassador and expert."""
    community = recognition_community(request.user, slug)
    filters = CandidateFilterForm(request.GET, tags=_tags(community))
    tag = filters.cleaned_data["tag"] if filters.is_valid() else None
    mine = membership_for(request.user, community)
    context = {
        "community": community,
        "tag": tag,
        "areas": programme.who_to_ask(community),
        "members": page_of(request, programme.programme_members(community, tag=tag), PAGE_SIZE),
        "in_programme": mine is not None and mine.is_active and mine.role in programme.PROGRAMME_ROLES,
        "may_manage": can(request.user, Can.MANAGE_PROGRAMME, community),
    }
    return TemplateResponse(request, "recognition/programme/experts.html", context)


@web_view
def expert_areas(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Set the areas an expert is known for (managers)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_PROGRAMME, community)
    membership = member_by_handle(community, handle)
    current = programme.areas_of(community.pk, membership.user_id)
    form = AreasForm(posted(request), tags=_tags(community), initial={"areas": current})
    if form.is_bound and form.is_valid():
        try:
            programme.set_areas(actor=user, membership=membership, tags=form.cleaned_data["areas"])
        except Invalid as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The areas of %(name)s are saved.") % {"name": membership.user.name})
            return redirect("recognition:programme", community.slug)
    context = {"community": community, "membership": membership, "form": form, "areas": current}
    status = FORM_ERROR_STATUS if form.is_bound and form.errors else 200
    return TemplateResponse(request, "recognition/programme/areas.html", context, status=status)


@require_POST
@web_view
def leave_programme(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Take a member out of the programme (managers), or leave it yourself."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    membership = member_by_handle(community, handle)
    programme.leave_programme(actor=user, membership=membership)
    if membership.user_id == user.pk:
        messages.success(request, _("You left the programme; thank you for all you did."))
        return redirect("recognition:experts", community.slug)
    messages.success(request, _("%(name)s is out of the programme.") % {"name": membership.user.name})
    return redirect("recognition:programme", community.slug)


c = "c/<slug:slug>/"
base = f"{c}programme/"
one = f"{base}nominations/<int:nomination_id>/"
member = f"{base}members/<str:handle>/"

urlpatterns: list[URLPattern] = [
    path(base, programme_page, name="programme"),
    path(f"{base}nominate/", nominate, name="nominate"),
    path(one, nomination, name="nomination"),
    path(f"{one}answer/", answer_nomination, name="answer_nomination"),
    path(f"{one}withdraw/", withdraw_nomination, name="withdraw_nomination"),
    path(f"{member}areas/", expert_areas, name="expert_areas"),
    path(f"{member}leave/", leave_programme, name="leave_programme"),
    path(f"{c}experts/", experts, name="experts"),
]
