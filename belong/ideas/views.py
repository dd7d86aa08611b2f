"""HTML pages of the idea board, its roadmap and changelog, and private beta groups: parse, call one action, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from belong.accounts.queries import get_user_by_handle
from belong.communities import queries as community_queries
from belong.communities.models import Community
from belong.communities.permissions import can, check
from belong.conversations import actions as conversation_actions
from belong.conversations import queries as conversation_queries
from belong.conversations.models import MAX_TITLE_CHARS, Thread
from belong.conversations.views import reply_form_for, thread_context
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.richtext import MAX_BODY_CHARS
from belong.ideas import actions, queries
from belong.ideas.forms import (
    IMPORTANCE_CHOICES,
    BetaGroupForm,
    BetaInviteForm,
    CategoryForm,
    IdeaFilterForm,
    IdeaForm,
    ImportanceForm,
    MergeForm,
    StatusChangeForm,
    StatusForm,
)
from belong.ideas.models import BetaGroup, BetaInvitationState, Idea
from belong.ideas.permissions import IdeaAction as Can
from belong.web.errors import add_form_errors, attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, safe_next, signed_in
from belong.web.visitor_cache import cached_for_visitors

T = TypeVar("T")
PAGE_SIZE = 30
SIMILAR_SHOWN = 5


def idea_url(community: Community, idea_id: int) -> str:
    return reverse("ideas:detail", args=[community.slug, idea_id])


def _attempt(form: forms.BaseForm, action: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Like `attempt`, but the refusal's own sentence is shown above the field errors, and a
    conflict with the current state (already in that status, already invited) is shown on the
    form too (`_status` answers 409 for it)."""
    try:
        return action(**kwargs)
    except Invalid as error:
        if error.errors:
            form.add_error(None, error.detail)
        add_form_errors(form, error)
        return None
    except Conflict as error:
        form.add_error(None, error.detail)
        form.conflict = error  # type: ignore[attr-defined]
        return None


def _status(form: forms.BaseForm) -> int:
    return Conflict.status if getattr(form, "conflict", None) is not None else form_status(form)


def _idea_or_none(user: Any, community: Community, idea_id: int) -> Idea | None:
    try:
        return queries.get_idea(user, community, idea_id)
    except NotFound:
        return None


# Rows: an idea with the viewer's vote


@dataclass
class IdeaRow:
    """An idea and how the viewer stands with it: their vote, and whether (or why not) they may vote."""

    idea: Idea
    voted: bool = False
    importance: str = ""
    may_vote: bool = False
    closed_reason: str = ""


def idea_rows(request: HttpRequest, community: Community, ideas: list[Idea]) -> list[IdeaRow]:
    """Rows for a list of ideas, with one query for the viewer's votes however many ideas."""
    user = request.user
    for idea in ideas:  # the rules read these; sharing the loaded community saves a query per idea
        idea.community = community
        idea.thread.community = community
        idea.thread.space.community = community
    mine = queries.votes_by(user, ideas)
    return [
        IdeaRow(
            idea,
            voted=idea.pk in mine,
            importance=mine.get(idea.pk, ""),
            may_vote=can(user, Can.VOTE, idea),
            closed_reason=idea.closed_for_votes_because(),
        )
        for idea in ideas
    ]


# The board


@cached_for_visitors
@require_safe
@web_view
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """Standing ideas, sorted and filtered; htmx gets the list only."""
    community = community_queries.get_community(slug)
    filters = IdeaFilterForm(
        request.GET,
        statuses=queries.statuses(community),
        categories=queries.categories_of(community),
        products=conversation_queries.products_of(community),
        spaces=community_queries.spaces_visible_to(request.user, community),
    )
    chosen = filters.values()
    narrowed = queries.IdeaFilter(
        status=chosen["status"] or None, category=chosen["category"] or None, product=chosen["product"] or None,
        space=chosen["space"], text=chosen["q"] or None, voted_by=request.user if chosen["mine"] else None,
        sort=chosen["sort"],
    )  # fmt: skip
    page = page_of(request, queries.board(request.user, community, narrowed), PAGE_SIZE)
    keep = {"status": chosen["status"], "category": chosen["category"], "product": chosen["product"],
            "space": getattr(chosen["space"], "slug", ""), "q": chosen["q"], "mine": "1" if chosen["mine"] else ""}  # fmt: skip
    context = {
        "community": community,
        "filters": filters,
        "chosen": chosen,
        "keep": urlencode({name: value for name, value in keep.items() if value}),
        "page": page,
        "rows": idea_rows(request, community, list(page)),
        "may_propose": request.user.is_authenticated and bool(_proposal_spaces(request.user, community)),
    }
    if is_htmx(request):
        return render_partial(request, "ideas/board.html", "idea-list", context)
    return TemplateResponse(request, "ideas/board.html", context)


def _proposal_spaces(user: Any, community: Community) -> list[Any]:
    spaces = community_queries.spaces_visible_to(user, community)
    return [space for space in spaces if can(user, Can.PROPOSE_IDEA, space)]


def _similar_rows(request: HttpRequest, community: Community, title: str, description: str = "") -> list[IdeaRow]:
    """Ideas like the words typed so far: the title once it has a few letters, else the description."""
    text = title if len(title.strip()) >= 3 else description[:300]
    found = queries.similar_ideas(request.user, community, text, limit=SIMILAR_SHOWN)
    return idea_rows(request, community, found)


@web_view
def new_idea(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose an idea; the title field asks for similar ones as it is typed."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    spaces = _proposal_spaces(user, community)
    if not spaces:
        raise NotAllowed(_("Only members of the community can propose ideas."))
    initial = {"space": request.GET.get("space") or spaces[0].slug, "title": request.GET.get("title", "")}
    form = IdeaForm(
        posted(request),
        spaces=spaces,
        categories=queries.categories_of(community),
        products=conversation_queries.products_of(community),
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        idea = attempt(form, actions.propose_idea, author=user, **form.arguments())
        if idea is not None:
            messages.success(request, _("Your idea is on the board, with your vote."))
            return redirect(idea_url(community, idea.pk))
    form.fields["title"].widget.attrs.update({
        "hx-get": reverse("ideas:similar", args=[community.slug]),
        "hx-trigger": "keyup changed delay:400ms",
        "hx-target": "#similar-ideas",
        "hx-include": "[name=description]",
        "aria-controls": "similar-ideas",
        "autocomplete": "off",
    })  # fmt: skip
    typed = (form.data.get("title") if form.is_bound else initial["title"]) or ""
    context = {
        "community": community,
        "form": form,
        "similar": _similar_rows(request, community, str(typed)[:MAX_TITLE_CHARS]),
        "typed": typed,
        "next": request.get_full_path(),
        "max_body": MAX_BODY_CHARS,
    }
    return TemplateResponse(request, "ideas/idea_form.html", context, status=form_status(form))


@require_safe
@web_view
def similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The "already proposed?" hints for the words typed in the new-idea form."""
    community = community_queries.get_community(slug)
    title = request.GET.get("title", "")[:MAX_TITLE_CHARS]
    rows = _similar_rows(request, community, title, request.GET.get("description", ""))
    context = {"community": community, "similar": rows, "typed": title, "next": reverse("ideas:new", args=[slug])}
    return render_partial(request, "ideas/idea_form.html", "similar", context)


@cached_for_visitors
@require_safe
@web_view
def roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_queries.get_community(slug)
    context = {"community": community, "columns": queries.roadmap(request.user, community)}
    return TemplateResponse(request, "ideas/roadmap.html", context)


@cached_for_visitors
@require_safe
@web_view
def changelog(request: HttpRequest, slug: str) -> HttpResponse:
    """Shipped ideas, newest first: "you said, we did"."""
    community = community_queries.get_community(slug)
    context = {"community": community, "page": page_of(request, queries.changelog(request.user, community), PAGE_SIZE)}
    return TemplateResponse(request, "ideas/changelog.html", context)


# The idea page: the thread page with the idea's votes, status and the brand's tools


def _importance_breakdown(idea: Idea) -> list[tuple[str, int]]:
    counts = queries.importance_of(idea)
    return [(str(label), counts.get(key, 0)) for key, label in reversed(IMPORTANCE_CHOICES)]


def _idea_page(
    request: HttpRequest,
    community: Community,
    idea: Idea,
    thread: Thread | None = None,
    *,
    status_form: StatusChangeForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    idea.thread = thread or conversation_queries.get_thread(user, community, idea.pk)
    reply_form, target = reply_form_for(request, idea.thread)
    context = thread_context(request, idea.thread, reply_form=reply_form, reply_target=target)
    may_change_status = can(user, Can.CHANGE_STATUS, idea)
    may_merge = can(user, Can.MERGE_IDEAS, idea)
    may_view_voters = can(user, Can.VIEW_VOTERS, idea)
    context.update({
        "idea": idea,
        "row": idea_rows(request, community, [idea])[0],
        "importance_form": ImportanceForm(auto_id=f"vote-{idea.pk}-%s"),
        "history": list(queries.history_of(idea)),
        "duplicates": queries.merged_into_this(idea),
        "beta_groups": list(queries.beta_groups_of(user, community).filter(idea=idea)),
        "may_edit": can(user, Can.EDIT_IDEA, idea),
        "may_change_status": may_change_status,
        "status_form": status_form or StatusChangeForm(
            statuses=queries.statuses(community) if may_change_status else (),
            initial={"status": idea.status.key}, auto_id="status-%s",
        ),
        "may_merge": may_merge,
        "merge_form": merge_form or MergeForm(auto_id="merge-%s"),
        "merge_candidates": queries.similar_ideas(user, community, idea.title, exclude=idea.pk) if may_merge else [],
        "may_view_voters": may_view_voters,
        "importance": _importance_breakdown(idea) if may_view_voters else [],
        "may_start_beta": can(user, Can.MANAGE_BETA, community),
    })  # fmt: skip
    return TemplateResponse(request, "ideas/idea.html", context, status=status)


@cached_for_visitors(on_hit=lambda kwargs: conversation_actions.count_visitor_view(kwargs["idea_id"]))
@require_safe
@web_view
def idea_detail(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """The idea with its discussion; a merged duplicate sends the reader on to the idea that stands."""
    community = community_queries.get_community(slug)
    idea = queries.get_idea(request.user, community, idea_id)
    if idea.merged_into_id is not None:
        messages.info(request, _("“%(title)s” was merged into this idea: its votes and replies are here.")
                      % {"title": idea.title})  # fmt: skip
        return redirect(idea_url(community, idea.merged_into_id))
    thread = conversation_queries.get_thread(request.user, community, idea.pk)
    conversation_actions.record_view(user=request.user, thread=thread)
    return _idea_page(request, community, idea, thread)


@web_view
def edit_idea(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    idea = queries.get_idea(user, community, idea_id)
    check(user, Can.EDIT_IDEA, idea)
    opening = conversation_queries.posts_of(user, idea.thread).filter(is_opening=True).first()
    initial = {"title": idea.title, "description": opening.body if opening else "", "category": idea.category_id,
               "product": idea.product_id}  # fmt: skip
    form = IdeaForm(
        posted(request),
        categories=queries.categories_of(community),
        products=conversation_queries.products_of(community),
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if attempt(form, actions.edit_idea, editor=user, idea=idea, **changes) is not None:
            messages.success(request, _("Your changes are saved."))
            return redirect(idea_url(community, idea.pk))
    context = {"community": community, "idea": idea, "form": form, "max_body": MAX_BODY_CHARS}
    return TemplateResponse(request, "ideas/idea_edit.html", context, status=form_status(form))


def _cast(request: HttpRequest, slug: str, idea_id: int, *, withdraw: bool) -> HttpResponse:
    """Vote or withdraw; htmx gets the vote box again, with the reason when the idea takes no votes."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    idea = queries.get_idea(user, community, idea_id)
    problem: Conflict | Invalid | None = None
    try:
        if withdraw:
            actions.withdraw_vote(user=user, idea=idea)
        else:
            actions.vote(user=user, idea=idea, importance=request.POST.get("importance", ""))
    except (Conflict, Invalid) as error:
        problem = error
    back = safe_next(request, idea_url(community, idea.pk))
    done = _("Your vote is withdrawn.") if withdraw else _("Your vote is counted.")
    if is_htmx(request):
        fresh = queries.get_idea(user, community, idea.pk)
        context = {
            "community": community,
            "row": idea_rows(request, community, [fresh])[0],
            "compact": request.POST.get("compact") == "1",
            "next": back,
            "error": problem.detail if problem else "",
            "notice": "" if problem else done,
            "importance_form": ImportanceForm(auto_id=f"vote-{idea.pk}-%s"),
        }
        return TemplateResponse(
            request, "ideas/includes/vote_box.html", context, status=getattr(problem, "status", 200)
        )
    if problem is not None:
        messages.error(request, problem.detail)
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
@web_view
def vote(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _cast(request, slug, idea_id, withdraw=False)


@require_POST
@web_view
def unvote(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    return _cast(request, slug, idea_id, withdraw=True)


@require_POST
@web_view
def change_status(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """Move the idea to another status with a public note (the brand)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    idea = queries.get_idea(user, community, idea_id)
    check(user, Can.CHANGE_STATUS, idea)
    form = StatusChangeForm(request.POST, statuses=queries.statuses(community), auto_id="status-%s")
    change = (
        _attempt(form, actions.change_status, actor=user, idea=idea, **form.cleaned_data) if form.is_valid() else None
    )
    if change is not None:
        messages.success(request, _("The status is changed; voters and followers are told."))
        return redirect(idea_url(community, idea.pk))
    return _idea_page(request, community, idea, status_form=form, status=_status(form))


@require_POST
@web_view
def merge(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """Merge the idea, a duplicate, into another one: its votes, replies and followers move there."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    idea = queries.get_idea(user, community, idea_id)
    check(user, Can.MERGE_IDEAS, idea)
    form = MergeForm(request.POST, auto_id="merge-%s")
    final = None
    if form.is_valid():
        target = _idea_or_none(user, community, form.cleaned_data["target"])
        if target is None:
            form.add_error("target", _("No idea has this number."))
        else:
            final = _attempt(form, actions.merge_ideas, actor=user, source=idea, target=target)
    if final is not None:
        messages.success(request, _("The duplicate is merged into this idea."))
        return redirect(idea_url(community, final.pk))
    return _idea_page(request, community, idea, merge_form=form, status=_status(form))


@require_safe
@web_view
def voters(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    """Who voted and how important the idea is to them (the brand, weighing it)."""
    community = community_queries.get_community(slug)
    idea = queries.get_idea(request.user, community, idea_id)
    check(request.user, Can.VIEW_VOTERS, idea)
    context = {
        "community": community,
        "idea": idea,
        "page": page_of(request, queries.voters_of(idea), PAGE_SIZE),
        "importance": _importance_breakdown(idea),
    }
    return TemplateResponse(request, "ideas/voters.html", context)


# The board's settings: statuses and categories (managers)


@dataclass
class Failed:
    """A settings form that was refused, shown again with its errors in its place."""

    what: str
    key: Any
    form: forms.Form


def _settings_page(request: HttpRequest, community: Community, failed: Failed | None = None) -> HttpResponse:
    def shown(what: str, key: Any, blank: forms.Form) -> forms.Form:
        return failed.form if failed is not None and (failed.what, failed.key) == (what, key) else blank

    context = {
        "community": community,
        "statuses": [
            (status, shown("status", status.key, StatusForm(status=status))) for status in queries.statuses(community)
        ],
        "categories": [
            (category, shown("category", category.pk, CategoryForm(category=category)))
            for category in queries.categories_of(community)
        ],
        "new_status_form": shown("status", None, StatusForm()),
        "new_category_form": shown("category", None, CategoryForm()),
    }
    status = _status(failed.form) if failed is not None else 200
    return TemplateResponse(request, "ideas/board_settings.html", context, status=status)


def _manager(request: HttpRequest, slug: str) -> tuple[Any, Community]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_BOARD, community)
    return user, community


def _to_settings(community: Community, anchor: str = "") -> HttpResponse:
    return redirect(reverse("ideas:board_settings", args=[community.slug]) + (f"#{anchor}" if anchor else ""))


@require_safe
@web_view
def board_settings(request: HttpRequest, slug: str) -> HttpResponse:
    _user, community = _manager(request, slug)
    return _settings_page(request, community)


@require_POST
@web_view
def add_status(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    form = StatusForm(request.POST)
    if form.is_valid():
        status = _attempt(form, actions.create_status, actor=user, community=community, key=form.cleaned_data["key"],
                          **form.changes())  # fmt: skip
        if status is not None:
            messages.success(request, _("The status “%(status)s” is added.") % {"status": status.label})
            return _to_settings(community, f"status-{status.key}")
    return _settings_page(request, community, Failed("status", None, form))


@require_POST
@web_view
def update_status(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    user, community = _manager(request, slug)
    status = queries.get_status(community, key)
    form = StatusForm(request.POST, status=status)
    saved = (
        _attempt(form, actions.update_status, actor=user, status=status, **form.changes()) if form.is_valid() else None
    )
    if saved is not None:
        messages.success(request, _("The status is saved."))
        return _to_settings(community, f"status-{status.key}")
    return _settings_page(request, community, Failed("status", status.key, form))


@require_POST
@web_view
def delete_status(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    user, community = _manager(request, slug)
    status = queries.get_status(community, key)
    try:
        actions.delete_status(actor=user, status=status)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The status “%(status)s” is deleted.") % {"status": status.label})
    return _to_settings(community, "statuses")


@require_POST
@web_view
def add_category(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    form = CategoryForm(request.POST)
    if form.is_valid():
        category = _attempt(form, actions.create_category, actor=user, community=community,
                            name=form.cleaned_data["name"])  # fmt: skip
        if category is not None:
            messages.success(request, _("The category “%(name)s” is added.") % {"name": category.name})
            return _to_settings(community, "categories")
    return _settings_page(request, community, Failed("category", None, form))


@require_POST
@web_view
def update_category(request: HttpRequest, slug: str, category_slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    category = queries.get_category(community, category_slug)
    form = CategoryForm(request.POST, category=category)
    saved = (
        _attempt(form, actions.update_category, actor=user, category=category, **form.cleaned_data)
        if form.is_valid()
        else None
    )
    if saved is not None:
        messages.success(request, _("The category is saved."))
        return _to_settings(community, "categories")
    return _settings_page(request, community, Failed("category", category.pk, form))


@require_POST
@web_view
def delete_category(request: HttpRequest, slug: str, category_slug: str) -> HttpResponse:
    user, community = _manager(request, slug)
    category = queries.get_category(community, category_slug)
    actions.delete_category(actor=user, category=category)
    messages.success(request, _("The category “%(name)s” is deleted; its ideas stay.") % {"name": category.name})
    return _to_settings(community, "categories")


# Private beta groups


@require_safe
@web_view
def beta_groups(request: HttpRequest, slug: str) -> HttpResponse:
    """The groups the person can see, and the invitations waiting for their answer."""
    community = community_queries.get_community(slug)
    context = {
        "community": community,
        "groups": list(queries.beta_groups_of(request.user, community)),
        "invitations": list(queries.pending_invitations(request.user, community)),
        "may_manage": can(request.user, Can.MANAGE_BETA, community),
    }
    return TemplateResponse(request, "ideas/beta_groups.html", context)


@web_view
def new_beta_group(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_BETA, community)
    initial = {"idea": request.GET.get("idea", "")}
    form = BetaGroupForm(posted(request), products=conversation_queries.products_of(community), initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        idea = _idea_or_none(user, community, data["idea"]) if data["idea"] else None
        if data["idea"] and idea is None:
            form.add_error("idea", _("No idea has this number."))
        else:
            group = attempt(form, actions.create_beta_group, actor=user, community=community, name=data["name"],
                            description=data["description"], idea=idea, product=data["product"])  # fmt: skip
            if group is not None:
                messages.success(request, _("The group “%(name)s” is open: invite its members.") % {"name": group.name})
                return redirect("ideas:beta_group", community.slug, group.pk)
    context = {"community": community, "form": form}
    return TemplateResponse(request, "ideas/beta_group_form.html", context, status=form_status(form))


def _beta_group_page(
    request: HttpRequest, community: Community, group: BetaGroup, invite_form: BetaInviteForm | None = None
) -> HttpResponse:
    may_manage = can(request.user, Can.MANAGE_BETA, community)
    invitations = list(queries.invitations_of(group))
    context = {
        "community": community,
        "group": group,
        "members": [i for i in invitations if i.state == BetaInvitationState.ACCEPTED],
        "invitations": invitations if may_manage else [],
        "may_manage": may_manage,
        "invite_form": invite_form or BetaInviteForm(auto_id="invite-%s"),
        "candidates": queries.beta_candidates(group) if may_manage else [],
    }
    status = _status(invite_form) if invite_form is not None else 200
    return TemplateResponse(request, "ideas/beta_group.html", context, status=status)


@require_safe
@web_view
def beta_group(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    community = community_queries.get_community(slug)
    group = queries.get_beta_group(request.user, community, group_id)
    return _beta_group_page(request, community, group)


def _people(form: BetaInviteForm, handles: list[str]) -> list[Any] | None:
    """The people with these handles, or None with the unknown handles on the form."""
    people, unknown = [], []
    for handle in handles:
        try:
            people.append(get_user_by_handle(handle))
        except NotFound:
            unknown.append(handle)
    if unknown:
        form.add_error("members", _("No one has these handles: %(handles)s") % {"handles": ", ".join(unknown)})
        return None
    return people


@require_POST
@web_view
def beta_invite(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    group = queries.get_beta_group(user, community, group_id)
    check(user, Can.MANAGE_BETA, community)
    form = BetaInviteForm(request.POST, auto_id="invite-%s")
    people = _people(form, form.cleaned_data["members"]) if form.is_valid() else None
    if people is not None:
        sent = _attempt(form, actions.invite_to_beta, actor=user, group=group, users=people,
                        message=form.cleaned_data["message"])  # fmt: skip
        if sent is not None:
            messages.success(request, ngettext("%(count)d invitation is sent.", "%(count)d invitations are sent.",
                                               len(sent)) % {"count": len(sent)})  # fmt: skip
            return redirect("ideas:beta_group", community.slug, group.pk)
    return _beta_group_page(request, community, group, invite_form=form)


@web_view
def beta_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    """An invitation into a beta group: its invitee accepts (and enters the group's space) or declines."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    invitation = queries.get_invitation(user, community, invitation_id)
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            actions.answer_beta_invitation(user=user, invitation=invitation, accept=accept)
        except Conflict as error:
            messages.error(request, error.detail)
            return redirect("ideas:beta_invitation", community.slug, invitation.pk)
        if accept:
            messages.success(request, _("Welcome to “%(group)s”.") % {"group": invitation.group.name})
            return redirect("communities:space", community.slug, invitation.group.space.slug)
        messages.success(request, _("You declined the invitation."))
        return redirect("ideas:beta_groups", community.slug)
    context = {
        "community": community,
        "invitation": invitation,
        "may_answer": invitation.state == BetaInvitationState.INVITED and can(user, Can.RESPOND_TO_BETA, invitation),
    }
    return TemplateResponse(request, "ideas/beta_invitation.html", context)


@require_POST
@web_view
def beta_remove(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Withdraw an invitation, or take a member out of the group and its space."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    invitation = queries.get_invitation(user, community, invitation_id)
    try:
        actions.remove_from_beta(actor=user, invitation=invitation)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("%(name)s is out of the group.") % {"name": invitation.user.name})
    return redirect("ideas:beta_group", community.slug, invitation.group_id)
