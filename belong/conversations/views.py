"""HTML pages of threads, posts, tags, products, bookmarks and collections: parse, call one action, render."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities import queries as community_queries
from belong.communities.permissions import can, check
from belong.conversations import actions, drafts, queries
from belong.conversations.forms import (
    CollectForm,
    CollectionForm,
    EditPostForm,
    ProductForm,
    ReplyForm,
    SearchForm,
    TagForm,
    ThreadFilterForm,
    ThreadForm,
)
from belong.conversations.models import (
    BOARD_KINDS,
    BRAND_KINDS,
    Collection,
    CollectionItem,
    Post,
    Reaction,
    ReactionKind,
    Thread,
    ThreadKind,
)
from belong.conversations.permissions import ConversationAction as Can
from belong.conversations.search import search_posts, snippet
from belong.core.errors import Conflict, NotFound
from belong.core.labels import Label, labels_for
from belong.core.richtext import MAX_BODY_CHARS, quote_markdown, render_markdown
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, signed_in
from belong.web.visitor_cache import cached_for_visitors

PAGE_SIZE = 30
SEARCH_CAP = 1000  # matches counted and paged through; a reader narrows a search rather than read on


def thread_url(thread: Thread, post: Post | None = None) -> str:
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    return f"{url}#post-{post.pk}" if post is not None else url


# Thread lists


@cached_for_visitors
@require_safe
@web_view
def threads(request: HttpRequest, slug: str) -> HttpResponse:
    """Latest, top or unanswered threads, narrowed by kind, tag and space; htmx gets the list only."""
    community = community_queries.get_community(slug)
    filters = ThreadFilterForm(request.GET, spaces=community_queries.spaces_visible_to(request.user, community))
    chosen = filters.values()
    narrowed = queries.ThreadFilter(
        space=chosen["space"], kind=chosen["kind"] or None, tag=chosen["tag"] or None,
        unanswered=chosen["tab"] == "unanswered",
    )  # fmt: skip
    if chosen["tab"] == "top":
        found = queries.top(request.user, community, chosen["period"], narrowed)
    else:
        found = queries.latest(request.user, community, narrowed)
    context = {"community": community, "filters": filters, "chosen": chosen, "page": page_of(request, found, PAGE_SIZE)}
    if is_htmx(request):
        return render_partial(request, "conversations/threads.html", "thread-list", context)
    return TemplateResponse(request, "conversations/threads.html", context)


@require_safe
@web_view
def bookmarks(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    page = page_of(request, queries.bookmarks_of(user, community), PAGE_SIZE)
    return TemplateResponse(request, "conversations/bookmarks.html", {"community": community, "page": page})


# Starting a thread


@web_view
def new_thread(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    space = community_queries.get_space(community, space_slug)
    check(user, Can.START_THREAD, space)
    brand = can(user, Can.START_BRAND_THREAD, space)
    kinds = [kind for kind in ThreadKind.values if (brand or kind not in BRAND_KINDS) and kind not in BOARD_KINDS]
    draft = drafts.draft_for(user, space=space) if request.method == "GET" else None
    initial = {"kind": request.GET.get("kind", ThreadKind.DISCUSSION)}
    if draft is not None:
        initial.update({"title": draft.title, "body": draft.body, **({"kind": draft.kind} if draft.kind else {})})
    form = ThreadForm(posted(request), kinds=kinds, products=queries.products_of(community), initial=initial)
    if form.is_bound and form.is_valid():
        thread = attempt(form, actions.create_thread, author=user, space=space, **form.arguments())
        if thread is not None:
            messages.success(request, _("Your thread is started."))
            return redirect(thread_url(thread))
    context = {"community": community, "space": space, "form": form, "max_body": MAX_BODY_CHARS, "draft": draft}
    return TemplateResponse(request, "conversations/thread_form.html", context, status=form_status(form))


# The thread page


@dataclass
class ReactionButton:
    kind: str
    label: str | Promise
    count: int
    pressed: bool


@dataclass
class PostRow:
    """A post and what the viewer may do with it."""

    post: Post
    reactions: list[ReactionButton] = field(default_factory=list)
    may_react: bool = False
    may_edit: bool = False
    may_delete: bool = False
    may_accept: bool = False
    may_reply: bool = False
    may_wiki: bool = False  # make it a wiki, or a plain post again
    labels: list[Label] = field(default_factory=list)  # beside the author's name: rank, expert areas


def reaction_counts(posts: list[Post]) -> dict[int, dict[str, int]]:
    """How many reactions of each kind every post has, in one query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Reaction.objects.filter(post__in=[p.pk for p in posts])
        .values_list("post_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for post_id, kind, n in rows:
        counts.setdefault(post_id, {})[kind] = n
    return counts


def post_rows(request: HttpRequest, thread: Thread, posts: list[Post]) -> list[PostRow]:
    """Rows for the posts of one thread, with a fixed number of queries however many posts."""
    user = request.user
    thread.space.community = thread.community
    for post in posts:  # the rules read these; sharing the loaded objects saves a query per post
        post.thread = thread
        post.community = thread.community
    mine = queries.reactions_by(user, posts)
    counts = reaction_counts(posts)
    may_reply = can(user, Can.REPLY, thread)
    may_accept = can(user, Can.ACCEPT_ANSWER, thread)
    labels = labels_for(thread.community_id, (post.author_id for post in posts))
    rows = []
    for post in posts:
        gone = post.is_deleted or post.is_hidden
        row = PostRow(
            post,
            may_react=can(user, Can.REACT, post),
            may_edit=can(user, Can.EDIT_POST, post),
            may_delete=can(user, Can.DELETE_POST, post),
            may_wiki=can(user, Can.SET_WIKI, post),
            may_accept=may_accept and not post.is_opening and not gone and post.pk != thread.accepted_answer_id,
            may_reply=may_reply and not gone,
            labels=labels.get(post.author_id, []) if post.author_id else [],
        )
        row.reactions = [
            ReactionButton(kind, label, counts.get(post.pk, {}).get(kind, 0), kind in mine.get(post.pk, set()))
            for kind, label in ReactionKind.choices
        ]
        rows.append(row)
    return rows


def _post_in_thread(thread: Thread, post_id: Any) -> Post | None:
    try:
        pk = int(post_id)
    except (TypeError, ValueError):
        return None
    return (
        Post.objects.filter(thread=thread, pk=pk, deleted_at__isnull=True, is_hidden=False)
        .select_related("author")
        .first()
    )


def reply_form_for(request: HttpRequest, thread: Thread) -> tuple[ReplyForm, Post | None]:
    """A reply form filled from the member's draft, answering (`?reply_to=`) or quoting (`?quote=`) a post."""
    quoted = _post_in_thread(thread, request.GET.get("quote"))
    target = quoted or _post_in_thread(thread, request.GET.get("reply_to"))
    draft = drafts.draft_for(request.user, thread=thread)
    initial: dict[str, Any] = {"body": draft.body} if draft is not None else {}
    if target is not None:
        initial["reply_to"] = target.pk
    if quoted is not None:
        handle = quoted.author.handle if quoted.author else _("someone")
        initial["body"] = "\n\n".join(filter(None, [initial.get("body"), quote_markdown(quoted.body, handle)]))
    form = ReplyForm(initial=initial)
    form.draft = draft
    if target is not None:  # htmx focuses it after the swap, so the reader lands in the text box
        form.fields["body"].widget.attrs["autofocus"] = True
    return form, target


def thread_context(
    request: HttpRequest, thread: Thread, *, reply_form: ReplyForm, reply_target: Post | None
) -> dict[str, Any]:
    user = request.user
    posts = list(queries.posts_of(user, thread))
    may_collect = can(user, Can.COLLECT, thread.community)
    own = queries.collections_of(thread.community, owner=user) if may_collect else Collection.objects.none()
    return {
        "community": thread.community,
        "thread": thread,
        "rows": post_rows(request, thread, posts),
        "reply_form": reply_form,
        "reply_target": reply_target,
        "may_reply": can(user, Can.REPLY, thread),
        "may_moderate": can(user, Can.MODERATE_THREAD, thread),
        "may_close": can(user, Can.CLOSE_THREAD, thread),
        "may_follow": can(user, Can.FOLLOW, thread),
        "may_bookmark": can(user, Can.BOOKMARK, thread),
        "following": queries.is_following(user, thread),
        "bookmarked": queries.is_bookmarked(user, thread),
        "may_collect": may_collect,
        "collect_form": CollectForm(collections=own, auto_id="collect-%s"),
        "max_body": MAX_BODY_CHARS,
    }


# The page that shows a board's thread (by URL name, so conversations never imports the board's app).
BOARD_PAGES: dict[str, str] = {ThreadKind.IDEA: "ideas:detail"}


@cached_for_visitors(on_hit=lambda kwargs: actions.count_visitor_view(kwargs["thread_id"]))
@require_safe
@web_view
def thread_detail(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """The thread with its posts; htmx asking with ?quote= or ?reply_to= gets the prefilled reply form."""
    community = community_queries.get_community(slug)
    thread = queries.get_thread(request.user, community, thread_id)
    reply_form, target = reply_form_for(request, thread)
    if thread.kind in BOARD_PAGES and not is_htmx(request):
        # An idea's discussion is shown on the idea's page, whose id is the thread's.
        # Keep ?reply_to= and ?quote=, so the Reply and Quote links work there without JavaScript too.
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse(BOARD_PAGES[thread.kind], args=[community.slug, thread.pk]) + query)
    if is_htmx(request):
        context = {"community": community, "thread": thread, "reply_form": reply_form, "reply_target": target,
                   "may_reply": can(request.user, Can.REPLY, thread), "max_body": MAX_BODY_CHARS}  # fmt: skip
        return render_partial(request, "conversations/thread.html", "reply-form", context)
    actions.record_view(user=request.user, thread=thread)
    context = thread_context(request, thread, reply_form=reply_form, reply_target=target)
    return TemplateResponse(request, "conversations/thread.html", context)


@require_POST
@web_view
def reply(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Add a reply; htmx gets a fresh form and the new post appended out of band."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = queries.get_thread(user, community, thread_id, to_show=False)
    check(user, Can.REPLY, thread)
    form = ReplyForm(request.POST)
    target = _post_in_thread(thread, request.POST.get("reply_to"))
    post = None
    if form.is_valid():
        post = attempt(form, actions.create_reply, author=user, thread=thread, body=form.cleaned_data["body"],
                       reply_to=target)  # fmt: skip
    if post is not None and is_htmx(request):
        fresh = list(queries.posts_of(user, thread).filter(pk=post.pk))
        context = {"community": community, "thread": thread, "reply_form": ReplyForm(), "may_reply": True,
                   "row": post_rows(request, thread, fresh)[0], "posted": True, "max_body": MAX_BODY_CHARS}  # fmt: skip
        return TemplateResponse(request, "conversations/includes/reply_posted.html", context)
    if post is not None:
        messages.success(request, _("Your reply is posted."))
        return redirect(thread_url(thread, post))
    if is_htmx(request):
        context = {"community": community, "thread": thread, "reply_form": form, "reply_target": target,
                   "may_reply": True, "max_body": MAX_BODY_CHARS}  # fmt: skip
        return render_partial(request, "conversations/thread.html", "reply-form", context, status=form_status(form))
    thread = queries.get_thread(user, community, thread_id)  # with all the page shows
    context = thread_context(request, thread, reply_form=form, reply_target=target)
    return TemplateResponse(request, "conversations/thread.html", context, status=form_status(form))


def _toggle(request: HttpRequest, add: Callable[[], object], take_back: Callable[[], object]) -> None:
    """Do what a toggle button asks (on=1 to add, on=0 to take back).

    A double click finds the thing already added or gone; that is not an error, the re-rendered
    button shows how things stand.
    """
    change = add if request.POST.get("on", "1") == "1" else take_back
    with suppress(Conflict, NotFound):
        change()


@require_POST
@web_view
def react(request: HttpRequest, slug: str, post_id: int, kind: str) -> HttpResponse:
    """Give or take back a reaction; htmx gets the post's reaction bar again."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = queries.get_post(user, community, post_id)
    _toggle(
        request,
        lambda: actions.add_reaction(user=user, post=post, kind=kind),
        lambda: actions.remove_reaction(user=user, post=post, kind=kind),
    )
    if is_htmx(request):
        fresh = list(queries.posts_of(user, post.thread).filter(pk=post.pk))
        context = {"community": community, "thread": post.thread, "row": post_rows(request, post.thread, fresh)[0]}
        return render_partial(request, "conversations/includes/post.html", "reactions", context)
    return redirect(thread_url(post.thread, post))


@require_POST
@web_view
def accept(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Accept a reply as the answer; htmx gets the reordered posts."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = queries.get_post(user, community, post_id)
    actions.accept_answer(actor=user, thread=post.thread, post=post)
    if is_htmx(request):
        thread = queries.get_thread(user, community, post.thread_id)
        context = {
            "community": community,
            "thread": thread,
            "rows": post_rows(request, thread, list(queries.posts_of(user, thread))),
        }
        return render_partial(request, "conversations/thread.html", "posts", context)
    messages.success(request, _("The reply is marked as the answer."))
    return redirect(thread_url(post.thread, post))


@require_POST
@web_view
def follow(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = queries.get_thread(user, community, thread_id)
    _toggle(
        request, lambda: actions.follow(user=user, target=thread), lambda: actions.unfollow(user=user, target=thread)
    )
    if is_htmx(request):
        context = {"community": community, "thread": thread, "following": queries.is_following(user, thread)}
        return render_partial(request, "conversations/thread.html", "follow-button", context)
    return redirect(thread_url(thread))


@require_POST
@web_view
def bookmark(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = queries.get_thread(user, community, thread_id)
    _toggle(
        request,
        lambda: actions.bookmark(user=user, thread=thread),
        lambda: actions.remove_bookmark(user=user, thread=thread),
    )
    if is_htmx(request):
        context = {"community": community, "thread": thread, "bookmarked": queries.is_bookmarked(user, thread)}
        return render_partial(request, "conversations/thread.html", "bookmark-button", context)
    return redirect(thread_url(thread))


def _flag(value: str | None) -> bool | None:
    return None if value is None else value == "1"


@require_POST
@web_view
def moderate(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Lock, hide or pin a thread (each field, when sent, is "1" or "0"), with an optional reason for the log."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = queries.get_thread(user, community, thread_id)
    flags = {name: _flag(request.POST.get(name)) for name in ("locked", "hidden", "pinned")}
    reason = request.POST.get("reason", "")[:2000]
    actions.moderate_thread(actor=user, thread=thread, reason=reason, **flags)
    messages.success(request, _("The thread is updated."))
    return redirect(thread_url(thread))


@require_POST
@web_view
def close_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Close the thread to new replies (its author from trust level 2, or moderators)."""
    user = signed_in(request)
    thread = queries.get_thread(user, community_queries.get_community(slug), thread_id)
    actions.close_thread(actor=user, thread=thread)
    messages.success(request, _("The thread is closed: it takes no new replies."))
    return redirect(thread_url(thread))


@require_POST
@web_view
def reopen_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    user = signed_in(request)
    thread = queries.get_thread(user, community_queries.get_community(slug), thread_id)
    actions.reopen_thread(actor=user, thread=thread)
    messages.success(request, _("The thread is open again."))
    return redirect(thread_url(thread))


# Editing and deleting posts


@require_POST
@web_view
def set_wiki(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Make the post a wiki (on=1) or a plain post again (on=0)."""
    user = signed_in(request)
    post = queries.get_post(user, community_queries.get_community(slug), post_id)
    wiki = request.POST.get("on", "1") == "1"
    actions.set_wiki(actor=user, post=post, wiki=wiki)
    messages.success(request, _("The post is a wiki now.") if wiki else _("The post is no longer a wiki."))
    return redirect(thread_url(post.thread, post))


@web_view
def edit_post(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = queries.get_post(user, community, post_id)
    check(user, Can.EDIT_POST, post)
    initial = {"title": post.thread.title, "body": post.body}
    form = EditPostForm(posted(request), opening=post.is_opening, initial=initial)
    if form.is_bound and form.is_valid():
        done = attempt(form, actions.edit_post, editor=user, post=post, body=form.cleaned_data["body"],
                       title=form.cleaned_data.get("title"))  # fmt: skip
        if done is not None:
            messages.success(request, _("Your changes are saved."))
            return redirect(thread_url(post.thread, post))
    context = {"community": community, "post": post, "thread": post.thread, "form": form, "max_body": MAX_BODY_CHARS}
    return TemplateResponse(request, "conversations/post_form.html", context, status=form_status(form))


@require_safe
@web_view
def revisions(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Earlier versions of a post, newest first (a removed post's history only for moderators)."""
    community = community_queries.get_community(slug)
    post = queries.get_post(request.user, community, post_id)
    if post.is_deleted and not can(request.user, Can.MODERATE_THREAD, post.thread):
        raise NotFound(_("This post was removed."))
    versions = [(revision, render_markdown(revision.body)) for revision in post.revisions.select_related("edited_by")]
    context = {"community": community, "post": post, "thread": post.thread, "versions": versions}
    return TemplateResponse(request, "conversations/revisions.html", context)


@web_view
def delete_post(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Ask to confirm, then remove the post (its text stays in the history)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    post = queries.get_post(user, community, post_id)
    check(user, Can.DELETE_POST, post)
    if request.method == "POST":
        actions.delete_post(actor=user, post=post)
        messages.success(request, _("The post is removed."))
        return redirect(thread_url(post.thread, post))
    context = {"community": community, "post": post, "thread": post.thread}
    return TemplateResponse(request, "conversations/post_delete.html", context)


# Tags and products


@web_view
def tags(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's tags; managers and moderators define official ones here."""
    community = community_queries.get_community(slug)
    form = TagForm(posted(request))
    if form.is_bound:
        user = signed_in(request)
        check(user, Can.MANAGE_TAGS, community)
        if form.is_valid() and attempt(form, actions.create_tag, actor=user, community=community,
                                       name=form.cleaned_data["name"]) is not None:  # fmt: skip
            messages.success(request, _("The tag is created."))
            return redirect("conversations:tags", slug=community.slug)
    context = {"community": community, "tags": queries.tags_of(community), "form": form}
    return TemplateResponse(request, "conversations/tags.html", context, status=form_status(form))


@web_view
def products(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's products, which reviews name; the brand adds them here."""
    community = community_queries.get_community(slug)
    form = ProductForm(posted(request))
    if form.is_bound:
        user = signed_in(request)
        check(user, Can.MANAGE_PRODUCTS, community)
        if form.is_valid() and attempt(form, actions.create_product, actor=user, community=community,
                                       **form.cleaned_data) is not None:  # fmt: skip
            messages.success(request, _("The product is added."))
            return redirect("conversations:products", slug=community.slug)
    context = {"community": community, "products": queries.products_of(community), "form": form}
    return TemplateResponse(request, "conversations/products.html", context, status=form_status(form))


# Collections


@require_safe
@web_view
def collections(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_queries.get_community(slug)
    mine = queries.collections_of(community, owner=request.user) if request.user.is_authenticated else None
    context = {
        "community": community,
        "page": page_of(request, queries.collections_of(community), PAGE_SIZE),
        "mine": mine,
    }
    return TemplateResponse(request, "conversations/collections.html", context)


@web_view
def new_collection(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.COLLECT, community)
    form = CollectionForm(posted(request))
    if form.is_bound and form.is_valid():
        made = attempt(form, actions.create_collection, owner=user, community=community, **form.cleaned_data)
        if made is not None:
            messages.success(request, _("The collection is created."))
            return redirect("conversations:collection", slug=community.slug, collection_id=made.pk)
    context = {"community": community, "form": form}
    return TemplateResponse(request, "conversations/collection_form.html", context, status=form_status(form))


@require_safe
@web_view
def collection_detail(request: HttpRequest, slug: str, collection_id: int) -> HttpResponse:
    """A collection's threads in the owner's order (those the viewer can see)."""
    community = community_queries.get_community(slug)
    collection = queries.get_collection(request.user, community, collection_id)
    items = {item.thread_id: item for item in CollectionItem.objects.filter(collection=collection)}
    found = list(queries.thread_list(request.user, community).filter(pk__in=list(items)))
    found.sort(key=lambda thread: (items[thread.pk].position, items[thread.pk].pk))
    for thread in found:
        thread.collection_note = items[thread.pk].note  # type: ignore[attr-defined]
    context = {
        "community": community,
        "collection": collection,
        "page": page_of(request, found, PAGE_SIZE),
        "is_owner": collection.owner_id == getattr(request.user, "pk", None),
    }
    return TemplateResponse(request, "conversations/collection_detail.html", context)


@require_POST
@web_view
def collect(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    """Add the thread to one of the member's collections."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    thread = queries.get_thread(user, community, thread_id)
    check(user, Can.COLLECT, community)
    form = CollectForm(request.POST, collections=queries.collections_of(community, owner=user))
    if form.is_valid():
        collection = form.cleaned_data["collection"]
        actions.add_to_collection(owner=user, collection=collection, thread=thread, note=form.cleaned_data["note"])
        messages.success(request, _("The thread is added to “%(title)s”.") % {"title": collection.title})
    else:
        messages.error(request, _("Pick one of your collections."))
    return redirect(thread_url(thread))


@require_POST
@web_view
def uncollect(request: HttpRequest, slug: str, collection_id: int, thread_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    collection = queries.get_collection(user, community, collection_id)
    thread = queries.get_thread(user, community, thread_id)
    actions.remove_from_collection(owner=user, collection=collection, thread=thread)
    messages.success(request, _("The thread is taken out of the collection."))
    return redirect("conversations:collection", slug=community.slug, collection_id=collection.pk)


# Search


@cached_for_visitors
@require_safe
@web_view
def search(request: HttpRequest, slug: str) -> HttpResponse:
    """Posts matching the words, best first, narrowed by the filters; htmx gets the results only."""
    community = community_queries.get_community(slug)
    form = SearchForm(request.GET or None, spaces=community_queries.spaces_visible_to(request.user, community))
    data = form.cleaned_data if form.is_valid() else {}
    text = (data.get("q") or "").strip()
    page, results = None, []
    if text:
        found = search_posts(
            request.user, community, text,
            space=form.spaces.get(data["space"]), kind=data["kind"] or None, tag=data["tag"] or None,
            author=data["author"] or None, since=data["since"], until=data["until"],
        )  # fmt: skip
        page = page_of(request, found, PAGE_SIZE, cap=SEARCH_CAP)
        results = [(post, snippet(post, text)) for post in page]
    context = {"community": community, "form": form, "text": text, "page": page, "results": results}
    if is_htmx(request):
        return render_partial(request, "conversations/search.html", "results", context)
    return TemplateResponse(request, "conversations/search.html", context)
