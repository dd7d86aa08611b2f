"""Moderation on the thread page: flag a post, hide or show one, move, merge or split a thread."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from belong.communities import queries as community_queries
from belong.communities.permissions import check
from belong.conversations import moderation as conversation_moderation
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Post, Thread
from belong.conversations.permissions import ConversationAction
from belong.conversations.views import thread_url
from belong.core.errors import NotAllowed
from belong.moderation import actions, queries
from belong.moderation.forms_members import FlagForm, MergeForm, MoveForm, ReasonForm, SplitForm
from belong.moderation.permissions import ModerationAction
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, posted, render_partial, signed_in


def _done(request: HttpRequest, message: str, url: str) -> HttpResponse:
    """Say it worked and go back to the thread (htmx follows with a full page load)."""
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


def _page(request: HttpRequest, template: str, context: dict[str, Any], form: Any) -> HttpResponse:
    """The form's page, or for htmx only its form (`{% partialdef form %}`), swapped in place."""
    if is_htmx(request):
        return render_partial(request, template, "form", context, status=form_status(form))
    return TemplateResponse(request, template, context, status=form_status(form))


def _check_flaggable(user: Any, post: Post) -> None:
    if post.author_id is not None and post.author_id == user.pk:
        raise NotAllowed(_("You cannot flag your own post; edit or delete it instead."))
    check(user, ModerationAction.FLAG_POST, post)


@web_view
def flag_post(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Flag a post for the moderators: a reason, the rule it breaks, or a few words."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = conversation_queries.get_post(user, community, post_id)
    if request.method != "POST":
        _check_flaggable(user, post)
    form = FlagForm(posted(request), rules=queries.rules_of(community), auto_id=f"flag-{post.pk}-%s")
    context = {"community": community, "thread": post.thread, "post": post, "form": form}
    flag = None
    if form.is_bound and form.is_valid():
        flag = attempt(form, actions.flag_post, flagger=user, post=post, **form.arguments())
    if flag is not None:
        if is_htmx(request):
            return render_partial(request, "moderation/thread_flag.html", "flagged", context)
        messages.success(request, _("Thanks, the moderators will look at it."))
        return redirect(thread_url(post.thread, post))
    return _page(request, "moderation/thread_flag.html", context, form)


def _show_or_hide(request: HttpRequest, slug: str, post_id: int, *, hide: bool) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = conversation_queries.get_post(user, community, post_id)
    check(user, ConversationAction.MODERATE_THREAD, post.thread)
    form = ReasonForm(posted(request), required=hide, auto_id=f"hide-{post.pk}-%s")
    if form.is_bound and form.is_valid():
        change = conversation_moderation.hide_post if hide else conversation_moderation.unhide_post
        if attempt(form, change, actor=user, post=post, reason=form.cleaned_data["reason"]) is not None:
            done = _("The post is hidden.") if hide else _("The post is shown again.")
            return _done(request, done, thread_url(post.thread, post))
    context = {"community": community, "thread": post.thread, "post": post, "form": form, "hide": hide}
    return _page(request, "moderation/thread_post_visibility.html", context, form)


@web_view
def hide_post(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Hide one post, with the reason its author is told; it is kept, not deleted."""
    return _show_or_hide(request, slug, post_id, hide=True)


@web_view
def show_post(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    return _show_or_hide(request, slug, post_id, hide=False)


def _moderated_thread(request: HttpRequest, slug: str, thread_id: int) -> tuple[Any, Thread]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = conversation_queries.get_thread(user, community, thread_id)
    check(user, ConversationAction.MODERATE_THREAD, thread)
    return user, thread


def _other_spaces(user: Any, thread: Thread) -> Any:
    return community_queries.spaces_visible_to(user, thread.community).exclude(pk=thread.space_id)


@web_view
def move_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    user, thread = _moderated_thread(request, slug, thread_id)
    form = MoveForm(posted(request), spaces=_other_spaces(user, thread))
    if form.is_bound and form.is_valid():
        moved = attempt(form, conversation_moderation.move_thread, actor=user, thread=thread, **form.cleaned_data)
        if moved is not None:
            done = _("The thread is moved to %(space)s.") % {"space": form.cleaned_data["space"].name}
            return _done(request, done, thread_url(moved))
    context = {"community": thread.community, "thread": thread, "form": form}
    return _page(request, "moderation/thread_move.html", context, form)


@web_view
def merge_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    user, thread = _moderated_thread(request, slug, thread_id)
    form = MergeForm(posted(request), user=user, community=thread.community)
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        merged = attempt(form, conversation_moderation.merge_threads, actor=user, source=thread, target=target,
                         reason=form.cleaned_data["reason"])  # fmt: skip
        if merged is not None:
            return _done(request, _("The threads are merged."), thread_url(merged))
    context = {"community": thread.community, "thread": thread, "form": form}
    return _page(request, "moderation/thread_merge.html", context, form)


@web_view
def split_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Pick replies to move into a new thread, with its title and the reason."""
    user, thread = _moderated_thread(request, slug, thread_id)
    replies = [post for post in conversation_queries.posts_of(user, thread) if not post.is_opening]
    form = SplitForm(posted(request), replies=replies, spaces=_other_spaces(user, thread))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        made = attempt(form, conversation_moderation.split_thread, actor=user, thread=thread, post_ids=data["posts"],
                       title=data["title"], reason=data["reason"], space=data["space"])  # fmt: skip
        if made is not None:
            return _done(request, _("The replies are in a new thread."), thread_url(made))
    chosen = {str(pk) for pk in form["posts"].value() or []}
    context = {"community": thread.community, "thread": thread, "form": form, "replies": replies, "chosen": chosen}
    return _page(request, "moderation/thread_split.html", context, form)
