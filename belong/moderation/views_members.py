"""The member moderation page: a member's standing, history, flags and private notes, with the sanctions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from belong.communities import actions as community_actions
from belong.communities import queries as community_queries
from belong.communities.models import Membership, MembershipState, Role
from belong.communities.permissions import Action, can
from belong.core.errors import BelongError, NotAuthenticated, NotFound
from belong.moderation import actions, queries
from belong.moderation.forms_members import BanForm, NoteForm, OptionalReasonForm, UntilForm, WarnForm
from belong.moderation.permissions import ModerationAction
from belong.web.errors import add_form_errors, web_view
from belong.web.shortcuts import is_htmx, render_partial, signed_in

TEMPLATE = "moderation/member_detail.html"
HISTORY = 50  # the page shows the latest entries, flags and notes; the log has the rest

CURRENT = (MembershipState.ACTIVE, MembershipState.SUSPENDED)
Runner = Callable[[Any, Membership, dict[str, Any]], object]


def _silenced(membership: Membership) -> bool:
    return membership.silenced_until is not None and membership.silenced_until > timezone.now()


def _may_reinstate(user: Any, membership: Membership) -> bool:
    by = Action.MANAGE_MEMBERS if membership.state == MembershipState.BANNED else Action.SUSPEND_MEMBERS
    return membership.state in (MembershipState.SUSPENDED, MembershipState.BANNED) and can(user, by, membership)


@dataclass(frozen=True)
class Sanction:
    """One form of the page: who sees it, what it calls, what it says when done."""

    form_class: type[forms.Form]
    label: str | Promise
    done: str | Promise
    shown: Callable[[Any, Membership], bool]
    run: Runner
    danger: bool = False


SANCTIONS: dict[str, Sanction] = {
    "warn": Sanction(
        WarnForm, gettext_lazy("Warn"), gettext_lazy("%(name)s is warned."),
        lambda user, m: m.state in CURRENT and can(user, ModerationAction.WARN_MEMBER, m),
        lambda actor, m, data: actions.warn_member(actor=actor, membership=m, reason=data["reason"]),
    ),
    "silence": Sanction(
        UntilForm, gettext_lazy("Silence"), gettext_lazy("%(name)s is silenced."),
        lambda user, m: m.state in CURRENT and m.role != Role.OWNER and can(user, ModerationAction.SILENCE_MEMBER, m),
        lambda actor, m, data: actions.silence_member(actor=actor, membership=m, **data),
    ),
    "unsilence": Sanction(
        OptionalReasonForm, gettext_lazy("Lift the silence"), gettext_lazy("%(name)s may post again."),
        lambda user, m: _silenced(m) and can(user, ModerationAction.SILENCE_MEMBER, m),
        lambda actor, m, data: actions.unsilence_member(actor=actor, membership=m, reason=data["reason"]),
    ),
    "suspend": Sanction(
        UntilForm, gettext_lazy("Suspend"), gettext_lazy("%(name)s is suspended."),
        lambda user, m: m.state in CURRENT and m.role != Role.OWNER and can(user, Action.SUSPEND_MEMBERS, m),
        lambda actor, m, data: community_actions.suspend_member(actor=actor, membership=m, **data),
        danger=True,
    ),
    "ban": Sanction(
        BanForm, gettext_lazy("Ban"), gettext_lazy("%(name)s is banned."),
        lambda user, m: m.state != MembershipState.BANNED and m.role != Role.OWNER
        and can(user, Action.MANAGE_MEMBERS, m),
        lambda actor, m, data: community_actions.ban_member(actor=actor, membership=m, reason=data["reason"]),
        danger=True,
    ),
    "reinstate": Sanction(
        OptionalReasonForm, gettext_lazy("Reinstate"), gettext_lazy("%(name)s is reinstated."),
        _may_reinstate,
        lambda actor, m, data: community_actions.reinstate_member(actor=actor, membership=m, reason=data["reason"]),
    ),
}  # fmt: skip


@dataclass
class SanctionForm:
    verb: str
    sanction: Sanction
    form: forms.Form
    url: str


def _member_url(membership: Membership, verb: str = "") -> str:
    args = [membership.community.slug, membership.user.handle]
    return reverse("moderation:member_action", args=[*args, verb]) if verb else reverse("moderation:member", args=args)


def _context(
    request: HttpRequest, membership: Membership, *, failed: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    user, community, subject = request.user, membership.community, membership.user
    sanctions = []
    for verb, sanction in SANCTIONS.items():
        if failed is not None and failed[0] == verb:
            sanctions.append(SanctionForm(verb, sanction, failed[1], _member_url(membership, verb)))
        elif sanction.shown(user, membership):
            form = sanction.form_class(prefix=verb)
            sanctions.append(SanctionForm(verb, sanction, form, _member_url(membership, verb)))
    may_review = can(user, ModerationAction.REVIEW, community)
    note_form = failed[1] if failed is not None and failed[0] == "note" else NoteForm(prefix="note")
    return {
        "community": community,
        "membership": membership,
        "subject": subject,
        "silenced": _silenced(membership),
        "is_self": subject.pk == user.pk,
        "sanctions": sanctions,
        "entries": list(queries.entries_about(user, community, subject)[:HISTORY]),
        "flags": list(queries.flags_against(user, community, subject)[:HISTORY]) if may_review else [],
        "notes": list(queries.notes_on(user, community, subject)[:HISTORY]),
        "note_form": note_form,
    }


def _member(request: HttpRequest, slug: str, handle: str) -> tuple[Any, Membership]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    return user, queries.moderated_member(user, community, handle)


@require_safe
@web_view
def member_detail(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """A member as the moderators see them: standing, history, flags on their posts, private notes."""
    _user, membership = _member(request, slug, handle)
    return TemplateResponse(request, TEMPLATE, _context(request, membership))


def _attempt(form: forms.Form, run: Callable[[], object]) -> tuple[object | None, int]:
    """Run an action; any refusal but "sign in" and "not found" goes on the form, with its status."""
    try:
        return run(), 200
    except (NotAuthenticated, NotFound):
        raise
    except BelongError as error:
        add_form_errors(form, error)
        return None, error.status


@require_POST
@web_view
def member_action(request: HttpRequest, slug: str, handle: str, verb: str) -> HttpResponse:
    """Warn, silence, suspend, ban, reinstate or lift a silence; a refusal shows on the page, nothing written."""
    user, membership = _member(request, slug, handle)
    sanction = SANCTIONS.get(verb)
    if sanction is None:
        raise NotFound()
    form = sanction.form_class(request.POST, prefix=verb)
    status = 422
    if form.is_valid():
        if membership.user_id == user.pk:
            form.add_error(None, _("You cannot take moderation actions on yourself."))
        else:
            done, status = _attempt(form, lambda: sanction.run(user, membership, form.cleaned_data))
            if done is not None:
                messages.success(request, str(sanction.done) % {"name": membership.user.name})
                return redirect(_member_url(membership))
    context = _context(request, membership, failed=(verb, form))
    return TemplateResponse(request, TEMPLATE, context, status=status)


@require_POST
@web_view
def add_note(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Keep a private note on the member; htmx gets the notes again."""
    user, membership = _member(request, slug, handle)
    form = NoteForm(request.POST, prefix="note")
    status = 422
    if form.is_valid():
        note, status = _attempt(
            form,
            lambda: actions.add_note(
                author=user, community=membership.community, subject=membership.user, body=form.cleaned_data["body"]
            ),
        )
        if note is not None:
            if is_htmx(request):
                context = _context(request, membership) | {"noted": True}
                return render_partial(request, TEMPLATE, "notes", context)
            messages.success(request, _("The note is kept."))
            return redirect(_member_url(membership) + "#notes")
    context = _context(request, membership, failed=("note", form))
    if is_htmx(request):
        return render_partial(request, TEMPLATE, "notes", context, status=status)
    return TemplateResponse(request, TEMPLATE, context, status=status)
