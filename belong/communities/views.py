"""HTML pages of communities, spaces, members and invitations: parse, call one action, render."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from belong.communities import actions, queries
from belong.communities.forms import (
    BanForm,
    CommunityForm,
    InvitationForm,
    MemberFilterForm,
    OptionalReasonForm,
    RoleForm,
    SpaceForm,
    SuspendForm,
)
from belong.communities.models import Community, Invitation, Membership, MembershipState, Role
from belong.communities.permissions import Action, can, check, membership_for
from belong.core.errors import BelongError, NotAuthenticated, NotFound
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, safe_next, signed_in
from belong.web.visitor_cache import cached_for_visitors

PAGE_SIZE = 50


@web_view
def new_community(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = CommunityForm(posted(request), initial={"languages": user.locale})
    if form.is_bound and form.is_valid():
        community = attempt(form, actions.create_community, creator=user, **form.cleaned_data)
        if community is not None:
            messages.success(request, _("Your community “%(name)s” is ready.") % {"name": community.name})
            return redirect("communities:detail", slug=community.slug)
    return TemplateResponse(request, "communities/community_form.html", {"form": form}, status=form_status(form))


@cached_for_visitors
@require_safe
@web_view
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.get_community(slug)
    actions.record_visit(user=request.user, community_id=community.pk)
    context = {
        "community": community,
        "membership": membership_for(request.user, community),
        "spaces": queries.spaces_visible_to(request.user, community),
        "staff": queries.staff_of(community),
        "States": MembershipState,
    }
    return TemplateResponse(request, "communities/community_detail.html", context)


@require_POST
@web_view
def join(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    membership = actions.join_community(user=user, community=community)
    if membership.state == MembershipState.PENDING:
        messages.success(request, _("Your request to join is sent; a manager will look at it."))
    else:
        messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
    return redirect("communities:detail", slug=community.slug)


@require_POST
@web_view
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    actions.leave_community(user=user, community=community)
    messages.success(request, _("You have left %(name)s.") % {"name": community.name})
    return redirect("communities:detail", slug=community.slug)


@web_view
def community_settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    check(user, Action.MANAGE_COMMUNITY, community)
    form = CommunityForm(posted(request), initial=CommunityForm.initial_for(community))
    if form.is_bound and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        updated = attempt(form, actions.update_community, actor=user, community=community, **changes)
        if updated is not None:
            messages.success(request, _("The community’s settings are saved."))
            return redirect("communities:settings", slug=updated.slug)
    context = {"community": community, "form": form}
    return TemplateResponse(request, "communities/community_form.html", context, status=form_status(form))


@web_view
def new_space(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    check(user, Action.MANAGE_SPACES, community)
    form = SpaceForm(posted(request))
    if form.is_bound and form.is_valid():
        space = attempt(form, actions.create_space, actor=user, community=community, **form.cleaned_data)
        if space is not None:
            messages.success(request, _("The space “%(name)s” is created.") % {"name": space.name})
            return redirect("communities:space", slug=community.slug, space_slug=space.slug)
    context = {"community": community, "form": form}
    return TemplateResponse(request, "communities/space_form.html", context, status=form_status(form))


@web_view
def edit_space(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    space = queries.get_space(community, space_slug)
    check(user, Action.MANAGE_SPACES, community)
    form = SpaceForm(posted(request), initial=SpaceForm.initial_for(space))
    if form.is_bound and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        updated = attempt(form, actions.update_space, actor=user, space=space, **changes)
        if updated is not None:
            messages.success(request, _("The space is saved."))
            return redirect("communities:space", slug=community.slug, space_slug=updated.slug)
    context = {"community": community, "space": space, "form": form}
    return TemplateResponse(request, "communities/space_form.html", context, status=form_status(form))


@require_safe
@web_view
def space_detail(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    community = queries.get_community(slug)
    space = queries.get_space(community, space_slug)
    check(request.user, Action.VIEW_SPACE, space)
    return TemplateResponse(request, "communities/space_detail.html", {"community": community, "space": space})


@require_safe
@web_view
def members(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.get_community(slug)
    check(request.user, Action.VIEW_MEMBERS, community)
    context = members_context(request, community, request.GET)
    return TemplateResponse(request, "communities/members.html", context)


@require_POST
@web_view
def member_action(request: HttpRequest, slug: str, membership_id: int, verb: str) -> HttpResponse:
    """Approve, decline, change the role of, suspend, ban or reinstate one member; htmx gets the row."""
    actor = signed_in(request)
    community = queries.get_community(slug)
    membership = queries.get_membership(community, membership_id)
    spec = MEMBER_VERBS[verb]
    roles = grantable_roles(actor, community)
    form = RoleForm(request.POST, roles=roles) if verb == "role" else spec.form_class(request.POST)
    form.auto_id = f"m{membership.pk}-{verb}-%s"
    done = attempt(form, spec.run, actor=actor, membership=membership, form=form) if form.is_valid() else None
    return_to = safe_next(request, reverse("communities:members", args=[community.slug]))
    if done is not None:
        notice = str(spec.done) % {"name": membership.user.name}
        if is_htmx(request):
            fresh = queries.get_membership(community, membership.pk)
            row = member_rows(request, community, [fresh], notice=notice)[0]
            return _member_row(request, community, row, return_to)
        messages.success(request, notice)
        return redirect(return_to)
    if is_htmx(request):
        row = member_rows(request, community, [membership], failed=(membership.pk, verb, form))[0]
        return _member_row(request, community, row, return_to, status=form_status(form))
    query = {"state": membership.state}
    context = members_context(request, community, query, failed=(membership.pk, verb, form))
    return TemplateResponse(request, "communities/members.html", context, status=form_status(form))


def _member_row(
    request: HttpRequest, community: Any, row: MemberRow, return_to: str, status: int = 200
) -> HttpResponse:
    context = {"community": community, "row": row, "return_to": return_to}
    return render_partial(request, "communities/members.html", "member-row", context, status=status)


@web_view
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    check(user, Action.INVITE, community)
    roles = [role for role in Role.values if can(user, Action.INVITE, Invitation(community=community, role=role))]
    form = InvitationForm(posted(request), roles=roles)
    if form.is_bound and form.is_valid():
        invitation = attempt(form, actions.create_invitation, actor=user, community=community, **form.arguments())
        if invitation is not None:
            if invitation.email:
                messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": invitation.email})
            else:
                messages.success(request, _("The invitation link is ready: copy it from the list below."))
            return redirect(reverse("communities:invitations", args=[community.slug]) + f"#invitation-{invitation.pk}")
    page = page_of(request, queries.invitations_of(community), PAGE_SIZE)
    rows = [
        (invitation, request.build_absolute_uri(reverse("communities:invitation", args=[invitation.token])))
        for invitation in page
    ]
    context = {
        "community": community,
        "form": form,
        "page": page,
        "rows": rows,
        "may_revoke_any": can(user, Action.MANAGE_MEMBERS, community),
    }
    return TemplateResponse(request, "communities/invitations.html", context, status=form_status(form))


@require_POST
@web_view
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    user = signed_in(request)
    community = queries.get_community(slug)
    invitation = queries.invitations_of(community).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    actions.revoke_invitation(actor=user, invitation=invitation)
    messages.success(request, _("The invitation is revoked; its link no longer works."))
    return redirect("communities:invitations", slug=community.slug)


@web_view
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation and let the signed-in person accept it."""
    invitation = queries.get_invitation_by_token(token)
    problem, status = "", 200
    if request.method == "POST":
        user = signed_in(request)
        try:
            membership = actions.accept_invitation(user=user, token=token)
        except (NotAuthenticated, NotFound):
            raise
        except BelongError as error:
            problem, status = error.detail, error.status
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": membership.community.name})
            return redirect("communities:detail", slug=membership.community.slug)
    if request.method == "GET" and not invitation.is_usable:
        status = 410
    context = {"invitation": invitation, "community": invitation.community, "problem": problem}
    return TemplateResponse(request, "communities/invitation.html", context, status=status)


# The member list: one row per membership, with the actions the viewer may take on it.

CURRENT = (MembershipState.ACTIVE, MembershipState.SUSPENDED)


@dataclass
class MemberVerb:
    form_class: type[forms.Form]
    run: Callable[..., Membership]
    label: str | Promise
    done: str | Promise
    danger: bool = False


def _approve(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    return actions.approve_membership(actor=actor, membership=membership)


def _decline(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    return actions.decline_membership(actor=actor, membership=membership, reason=form.cleaned_data["reason"])


def _change_role(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    return actions.change_role(actor=actor, membership=membership, role=form.cleaned_data["role"])


def _suspend(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    assert isinstance(form, SuspendForm)
    return actions.suspend_member(actor=actor, membership=membership, **form.arguments())


def _ban(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    return actions.ban_member(actor=actor, membership=membership, reason=form.cleaned_data["reason"])


def _reinstate(*, actor: Any, membership: Membership, form: forms.Form) -> Membership:
    return actions.reinstate_member(actor=actor, membership=membership, reason=form.cleaned_data["reason"])


class ApproveForm(forms.Form):
    """Approving takes no input beyond the button."""


MEMBER_VERBS: dict[str, MemberVerb] = {
    "approve": MemberVerb(ApproveForm, _approve, gettext_lazy("Approve"), gettext_lazy("%(name)s is now a member.")),
    "decline": MemberVerb(
        OptionalReasonForm, _decline, gettext_lazy("Decline"), gettext_lazy("The request of %(name)s is declined.")
    ),
    "role": MemberVerb(
        RoleForm, _change_role, gettext_lazy("Change role"), gettext_lazy("The role of %(name)s is changed.")
    ),
    "suspend": MemberVerb(
        SuspendForm, _suspend, gettext_lazy("Suspend"), gettext_lazy("%(name)s is suspended."), danger=True
    ),
    "ban": MemberVerb(BanForm, _ban, gettext_lazy("Ban"), gettext_lazy("%(name)s is banned."), danger=True),
    "reinstate": MemberVerb(
        OptionalReasonForm, _reinstate, gettext_lazy("Reinstate"), gettext_lazy("%(name)s is reinstated.")
    ),
}


@dataclass
class RowAction:
    verb: str
    spec: MemberVerb
    form: forms.Form
    url: str


@dataclass
class MemberRow:
    """A membership and what the viewer may do to it, with one form per action."""

    membership: Membership
    actions: list[RowAction] = field(default_factory=list)
    failed: str = ""
    notice: str = ""


def grantable_roles(user: Any, community: Community) -> list[str]:
    """The roles the viewer may give: asked of permissions with a probe membership per role."""
    return [role for role in Role.values if can(user, Action.CHANGE_ROLE, Membership(community=community, role=role))]


def _allowed_verbs(user: Any, membership: Membership, roles: list[str]) -> list[str]:
    state = membership.state
    verbs = []
    if state == MembershipState.PENDING and can(user, Action.MANAGE_MEMBERS, membership):
        verbs += ["approve", "decline"]
    if state in CURRENT and roles and can(user, Action.CHANGE_ROLE, membership):
        verbs.append("role")
    if state in CURRENT and can(user, Action.SUSPEND_MEMBERS, membership):
        verbs.append("suspend")
    if state != MembershipState.BANNED and can(user, Action.MANAGE_MEMBERS, membership):
        verbs.append("ban")
    reinstate_by = Action.MANAGE_MEMBERS if state == MembershipState.BANNED else Action.SUSPEND_MEMBERS
    if state in (MembershipState.SUSPENDED, MembershipState.BANNED) and can(user, reinstate_by, membership):
        verbs.append("reinstate")
    return verbs


def _blank_form(verb: str, membership: Membership, roles: list[str]) -> forms.Form:
    auto_id = f"m{membership.pk}-{verb}-%s"
    if verb == "role":
        return RoleForm(roles=roles, initial={"role": membership.role}, auto_id=auto_id)
    return MEMBER_VERBS[verb].form_class(auto_id=auto_id)


def member_rows(
    request: HttpRequest,
    community: Community,
    memberships: Iterable[Membership],
    *,
    failed: tuple[int, str, forms.Form] | None = None,
    notice: str = "",
) -> list[MemberRow]:
    """Rows for the member list; `failed` puts a rejected form back on its row, errors and all."""
    roles = grantable_roles(request.user, community)
    rows = []
    for membership in memberships:
        row = MemberRow(membership, notice=notice)
        if failed is not None and failed[0] == membership.pk:
            row.failed = failed[1]
        for verb in _allowed_verbs(request.user, membership, roles):
            form = failed[2] if failed is not None and row.failed == verb else _blank_form(verb, membership, roles)
            url = reverse(f"communities:member_{verb}", args=[community.slug, membership.pk])
            row.actions.append(RowAction(verb, MEMBER_VERBS[verb], form, url))
        rows.append(row)
    return rows


def members_context(
    request: HttpRequest,
    community: Community,
    query: Mapping[str, Any],
    *,
    failed: tuple[int, str, forms.Form] | None = None,
) -> dict[str, Any]:
    user = request.user
    may_moderate = can(user, Action.MANAGE_MEMBERS, community) or can(user, Action.SUSPEND_MEMBERS, community)
    filters = MemberFilterForm(query)
    state, role, search = filters.values(may_see_all_states=may_moderate)
    found = queries.members_of(community, state=state, role=role or None, search=search)
    page = Paginator(found, PAGE_SIZE).get_page(query.get("page"))
    return {
        "community": community,
        "filters": filters,
        "state": state,
        "role": role,
        "search": search,
        "page": page,
        "rows": member_rows(request, community, page, failed=failed),
        "may_moderate": may_moderate,
        "tabs": MembershipState.choices if may_moderate else [],
        "return_to": request.get_full_path()
        if request.method == "GET"
        else reverse("communities:members", args=[community.slug]) + f"?state={state}",
    }
