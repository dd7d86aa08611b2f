"""Threads, posts, reactions, following, bookmarks, tags, products and collections of a community."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.accounts.models import User
from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Space
from belong.communities.permissions import Action, check
from belong.conversations import actions, drafts, queries, search
from belong.conversations.models import Collection, Draft, Post, PostRevision, Product, ReactionKind, Tag, Thread
from belong.conversations.schemas import (
    AcceptIn,
    BookmarkedOut,
    CollectionDetailOut,
    CollectionFilter,
    CollectionIn,
    CollectionOut,
    DraftOut,
    FollowingOut,
    PostIn,
    PostOut,
    PostPatch,
    ProductIn,
    ProductOut,
    ReplyDraftIn,
    RevisionOut,
    SearchFilter,
    SearchHitOut,
    TagCountOut,
    TagIn,
    TagOut,
    TagsIn,
    ThreadDetailOut,
    ThreadDraftIn,
    ThreadFilter,
    ThreadIn,
    ThreadOut,
    ThreadPatch,
)
from belong.core.errors import Invalid, NotFound
from belong.core.ratelimit import rate_limited

router = Router(tags=["conversations"])

COMMUNITY = "/communities/{slug}"
THREAD = COMMUNITY + "/threads/{thread_id}"
POST = COMMUNITY + "/posts/{post_id}"
COLLECTION = COMMUNITY + "/collections/{collection_id}"

Viewer = User | AnonymousUser


# Pagination in the order queries.py gives


class QueryOrderPagination(KeysetPagination):
    """Keyset pagination in the order the query itself ends with, so the order stays queries.py's.

    Conversation lists are ordered by annotations (the accepted answer after the opening post, top
    threads by reactions) and one endpoint offers two orders, so the ordering is read per request.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=("-id",), **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        ordering = tuple(str(name) for name in queryset.query.order_by)
        page = KeysetPagination(ordering=ordering, annotations=dict(queryset.query.annotations))
        return page.paginate_queryset(queryset, pagination, request)


class PostPagination(QueryOrderPagination):
    """Pages of posts, each with the caller's own reactions (one query per page)."""

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        _with_my_reactions(viewer_of(request), page["results"])
        return page


# Lookups


def _community(slug: str) -> Community:
    return community_queries.get_community(slug)


def _thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    return queries.get_thread(viewer_of(request), _community(slug), thread_id)


def _post(request: HttpRequest, slug: str, post_id: int) -> Post:
    """A post of a thread the caller may see; hidden posts only for moderators."""
    return queries.get_post(viewer_of(request), _community(slug), post_id)


def _space_field(community: Community, space_slug: str) -> Space:
    """A space named in a body or a filter: unknown is invalid input, not a missing page."""
    try:
        return community_queries.get_space(community, space_slug)
    except NotFound as error:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]}) from error


def _collection(request: HttpRequest, community: Community, collection_id: int) -> Collection:
    """A public collection, or the caller's own."""
    viewer = viewer_of(request)
    collection = queries.collections_of(community).filter(pk=collection_id).first()
    if collection is None and viewer.is_authenticated:
        collection = queries.collections_of(community, owner=viewer).filter(pk=collection_id).first()
    if collection is None:
        raise NotFound(_("No such collection."))
    return collection


def _with_my_reactions(viewer: Viewer, posts: list[Post]) -> None:
    mine = queries.reactions_by(viewer, posts)
    for post in posts:
        vars(post)["my_reactions"] = mine.get(post.pk, set())


def _post_out(viewer: Viewer, post: Post) -> Post:
    """A single post with its reaction counts and the caller's reactions, as lists show it."""
    counted = queries.posts_of(viewer, post.thread).filter(pk=post.pk).first() or post
    _with_my_reactions(viewer, [counted])
    return counted


def _thread_out(viewer: Viewer, thread: Thread) -> Thread:
    """The thread with what the caller does with it (and whether the brand started it)."""
    vars(thread).update(
        is_official=thread.posts.filter(is_opening=True, is_official=True).exists(),
        is_following=queries.is_following(viewer, thread),
        is_bookmarked=queries.is_bookmarked(viewer, thread),
    )
    return thread


def _fresh_thread(viewer: Viewer, thread: Thread) -> Thread:
    return _thread_out(viewer, queries.get_thread(viewer, thread.community, thread.pk))


# Threads


@router.get(
    COMMUNITY + "/threads",
    response={200: list[ThreadOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List threads",
    operation_id="list_threads",
)
@paginate(QueryOrderPagination)
def list_threads(request: HttpRequest, slug: str, filters: Query[ThreadFilter]) -> QuerySet[Thread]:
    """List the threads you may see, latest activity first (pinned on top) or top in a period, narrowed by the filters."""
    viewer = viewer_of(request)
    community = _community(slug)
    narrowed = queries.ThreadFilter(
        space=_space_field(community, filters.space) if filters.space else None,
        kind=filters.kind,
        tag=filters.tag,
        author=filters.author,
        unanswered=filters.unanswered,
        language=filters.language,
    )
    if filters.order == "top":
        return queries.top(viewer, community, filters.period, narrowed)
    return queries.latest(viewer, community, narrowed)


@router.post(
    COMMUNITY + "/threads",
    response={201: ThreadDetailOut, **WRITE_ERRORS},
    summary="Start a thread",
    operation_id="create_thread",
)
@rate_limited
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn) -> Status[Thread]:
    """Start a thread of a kind (a question, a review with a rating, …) in a space you may post in."""
    user = user_of(request)
    community = _community(slug)
    product = None
    if payload.product:
        product = queries.products_of(community).filter(slug=payload.product).first()
        if product is None:
            raise Invalid(_("Pick a product of this community."), errors={"product": [_("Unknown product.")]})
    thread = actions.create_thread(
        author=user,
        space=_space_field(community, payload.space),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        product=product,
        rating=payload.rating,
        tags=payload.tags,
    )
    return Status(201, _fresh_thread(user, thread))


@router.get(
    THREAD,
    response={200: ThreadDetailOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a thread",
    operation_id="get_thread",
)
def get_thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    """Return one thread, counting your view; its posts are listed separately."""
    viewer = viewer_of(request)
    thread = _thread(request, slug, thread_id)
    actions.record_view(user=viewer, thread=thread)
    thread.view_count += 1
    return _thread_out(viewer, thread)


@router.patch(
    THREAD,
    response={200: ThreadDetailOut, **WRITE_ERRORS},
    summary="Moderate a thread",
    operation_id="moderate_thread",
)
@rate_limited
def moderate_thread(request: HttpRequest, slug: str, thread_id: int, payload: ThreadPatch) -> Thread:
    """Lock, hide or pin a thread, or undo it (moderators, staff and managers); fields left out keep their value."""
    user = user_of(request)
    changes = payload.changes()
    thread = actions.moderate_thread(
        actor=user,
        thread=_thread(request, slug, thread_id),
        locked=changes.get("is_locked"),
        hidden=changes.get("is_hidden"),
        pinned=changes.get("is_pinned"),
    )
    return _fresh_thread(user, thread)


@router.post(
    THREAD + "/close",
    response={200: ThreadDetailOut, **WRITE_ERRORS},
    summary="Close a thread",
    operation_id="close_thread",
)
@rate_limited
def close_thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    """Close the thread to new replies: its author (members from trust level 2) or moderators. 409 if it is closed already."""
    user = user_of(request)
    return _fresh_thread(user, actions.close_thread(actor=user, thread=_thread(request, slug, thread_id)))


@router.post(
    THREAD + "/reopen",
    response={200: ThreadDetailOut, **WRITE_ERRORS},
    summary="Reopen a thread",
    operation_id="reopen_thread",
)
@rate_limited
def reopen_thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    """Open a closed thread again: moderators, or the author who closed it. 409 if it is open already."""
    user = user_of(request)
    return _fresh_thread(user, actions.reopen_thread(actor=user, thread=_thread(request, slug, thread_id)))


@router.put(
    THREAD + "/tags",
    response={200: list[TagOut], **WRITE_ERRORS},
    summary="Set a thread's tags",
    operation_id="set_thread_tags",
)
@rate_limited
def set_thread_tags(request: HttpRequest, slug: str, thread_id: int, payload: TagsIn) -> list[Tag]:
    """Replace the thread's tags (its author and moderators); an empty list removes them all."""
    return actions.set_tags(actor=user_of(request), thread=_thread(request, slug, thread_id), names=payload.tags)


# Posts


@router.get(
    THREAD + "/posts",
    response={200: list[PostOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List a thread's posts",
    operation_id="list_posts",
)
@paginate(PostPagination)
def list_posts(request: HttpRequest, slug: str, thread_id: int) -> QuerySet[Post]:
    """List the thread's posts: the opening post, then the accepted answer, then the replies as written."""
    return queries.posts_of(viewer_of(request), _thread(request, slug, thread_id))


@router.post(
    THREAD + "/posts",
    response={201: PostOut, **WRITE_ERRORS},
    summary="Reply to a thread",
    operation_id="create_post",
)
@rate_limited
def create_post(request: HttpRequest, slug: str, thread_id: int, payload: PostIn) -> Status[Post]:
    """Reply to the thread, or to one of its posts; locked threads take replies from moderators only."""
    user = user_of(request)
    thread = _thread(request, slug, thread_id)
    reply_to = None
    if payload.reply_to is not None:
        reply_to = thread.posts.filter(pk=payload.reply_to, is_hidden=False).first()
        if reply_to is None:
            raise Invalid(_("You can only reply to a post of this thread."), errors={"reply_to": [_("Unknown post.")]})
    post = actions.create_reply(author=user, thread=thread, body=payload.body, reply_to=reply_to)
    return Status(201, _post_out(user, post))


@router.patch(
    POST,
    response={200: PostOut, **WRITE_ERRORS},
    summary="Edit a post",
    operation_id="update_post",
)
@rate_limited
def update_post(request: HttpRequest, slug: str, post_id: int, payload: PostPatch) -> Post:
    """Change a post's text, and the thread's title through its opening post (the author, or moderators); the old version is kept."""
    user = user_of(request)
    post = _post(request, slug, post_id)
    if payload.title is not None and not post.is_opening:
        raise Invalid(_("Only the opening post carries the title."), errors={"title": [_("Not for replies.")]})
    body = payload.body if payload.body is not None else post.body
    return _post_out(user, actions.edit_post(editor=user, post=post, body=body, title=payload.title))


@router.delete(
    POST,
    response={200: PostOut, **WRITE_ERRORS},
    summary="Delete a post",
    operation_id="delete_post",
)
@rate_limited
def delete_post(request: HttpRequest, slug: str, post_id: int) -> Post:
    """Remove a post (its author, or moderators): it keeps its place in the thread without its text."""
    user = user_of(request)
    return _post_out(user, actions.delete_post(actor=user, post=_post(request, slug, post_id)))


@router.put(
    POST + "/wiki",
    response={200: PostOut, **WRITE_ERRORS},
    summary="Make a post a wiki",
    operation_id="make_wiki",
)
@rate_limited
def make_wiki(request: HttpRequest, slug: str, post_id: int) -> Post:
    """Make the post a wiki (its author or moderators): members from trust level 3 who may reply in the thread can then edit it."""
    user = user_of(request)
    return _post_out(user, actions.set_wiki(actor=user, post=_post(request, slug, post_id), wiki=True))


@router.delete(
    POST + "/wiki",
    response={200: PostOut, **WRITE_ERRORS},
    summary="Make a wiki a plain post",
    operation_id="remove_wiki",
)
@rate_limited
def remove_wiki(request: HttpRequest, slug: str, post_id: int) -> Post:
    """Make the wiki a plain post again, editable by its author and moderators only."""
    user = user_of(request)
    return _post_out(user, actions.set_wiki(actor=user, post=_post(request, slug, post_id), wiki=False))


@router.get(
    POST + "/revisions",
    response={200: list[RevisionOut], **READ_ERRORS},
    summary="List a post's earlier versions",
    operation_id="list_post_revisions",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_post_revisions(request: HttpRequest, slug: str, post_id: int) -> QuerySet[PostRevision]:
    """List what the post said before each edit, newest first (its author and moderators)."""
    user = user_of(request)
    post = _post(request, slug, post_id)
    if post.author_id != user.pk:
        check(user, Action.MODERATE, post.thread)
    return post.revisions.select_related("edited_by")


@router.post(
    THREAD + "/accept",
    response={200: ThreadDetailOut, **WRITE_ERRORS},
    summary="Accept an answer",
    operation_id="accept_answer",
)
@rate_limited
def accept_answer(request: HttpRequest, slug: str, thread_id: int, payload: AcceptIn) -> Thread:
    """Mark a reply as the answer to a question (the asker or moderators); another reply can be accepted later."""
    user = user_of(request)
    thread = _thread(request, slug, thread_id)
    post = thread.posts.filter(pk=payload.post).first()
    if post is None:
        raise Invalid(_("Pick a reply of this question."), errors={"post": [_("Unknown reply.")]})
    return _fresh_thread(user, actions.accept_answer(actor=user, thread=thread, post=post))


@router.put(
    POST + "/reactions/{kind}",
    response={200: PostOut, **WRITE_ERRORS},
    summary="React to a post",
    operation_id="add_reaction",
)
@rate_limited
def add_reaction(request: HttpRequest, slug: str, post_id: int, kind: ReactionKind) -> Post:
    """React to someone else's post, once per kind of reaction; returns the post's new counts."""
    user = user_of(request)
    post = _post(request, slug, post_id)
    actions.add_reaction(user=user, post=post, kind=kind)
    return _post_out(user, post)


@router.delete(
    POST + "/reactions/{kind}",
    response={200: PostOut, **WRITE_ERRORS},
    summary="Take back a reaction",
    operation_id="remove_reaction",
)
@rate_limited
def remove_reaction(request: HttpRequest, slug: str, post_id: int, kind: ReactionKind) -> Post:
    """Take back your reaction of this kind; returns the post's new counts."""
    user = user_of(request)
    post = _post(request, slug, post_id)
    actions.remove_reaction(user=user, post=post, kind=kind)
    return _post_out(user, post)


# Following and bookmarks


@router.put(
    THREAD + "/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Follow a thread",
    operation_id="follow_thread",
)
@rate_limited
def follow_thread(request: HttpRequest, slug: str, thread_id: int) -> FollowingOut:
    """Hear about new replies to the thread (you follow threads you start or reply to already)."""
    actions.follow(user=user_of(request), target=_thread(request, slug, thread_id))
    return FollowingOut(following=True)


@router.delete(
    THREAD + "/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Stop following a thread",
    operation_id="unfollow_thread",
)
@rate_limited
def unfollow_thread(request: HttpRequest, slug: str, thread_id: int) -> FollowingOut:
    """Stop hearing about the thread."""
    actions.unfollow(user=user_of(request), target=_thread(request, slug, thread_id))
    return FollowingOut(following=False)


@router.put(
    COMMUNITY + "/spaces/{space_slug}/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Follow a space",
    operation_id="follow_space",
)
@rate_limited
def follow_space(request: HttpRequest, slug: str, space_slug: str) -> FollowingOut:
    """Hear about new threads in a space you may see."""
    space = community_queries.get_space(_community(slug), space_slug)
    actions.follow(user=user_of(request), target=space)
    return FollowingOut(following=True)


@router.delete(
    COMMUNITY + "/spaces/{space_slug}/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Stop following a space",
    operation_id="unfollow_space",
)
@rate_limited
def unfollow_space(request: HttpRequest, slug: str, space_slug: str) -> FollowingOut:
    """Stop hearing about the space."""
    space = community_queries.get_space(_community(slug), space_slug)
    actions.unfollow(user=user_of(request), target=space)
    return FollowingOut(following=False)


@router.put(
    COMMUNITY + "/tags/{tag}/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Follow a tag",
    operation_id="follow_tag",
)
@rate_limited
def follow_tag(request: HttpRequest, slug: str, tag: str) -> FollowingOut:
    """Hear about new threads with the tag."""
    actions.follow(user=user_of(request), target=queries.get_tag(_community(slug), tag))
    return FollowingOut(following=True)


@router.delete(
    COMMUNITY + "/tags/{tag}/follow",
    response={200: FollowingOut, **WRITE_ERRORS},
    summary="Stop following a tag",
    operation_id="unfollow_tag",
)
@rate_limited
def unfollow_tag(request: HttpRequest, slug: str, tag: str) -> FollowingOut:
    """Stop hearing about the tag."""
    actions.unfollow(user=user_of(request), target=queries.get_tag(_community(slug), tag))
    return FollowingOut(following=False)


@router.put(
    THREAD + "/bookmark",
    response={200: BookmarkedOut, **WRITE_ERRORS},
    summary="Bookmark a thread",
    operation_id="bookmark_thread",
)
@rate_limited
def bookmark_thread(request: HttpRequest, slug: str, thread_id: int) -> BookmarkedOut:
    """Keep the thread in your bookmarks."""
    actions.bookmark(user=user_of(request), thread=_thread(request, slug, thread_id))
    return BookmarkedOut(bookmarked=True)


@router.delete(
    THREAD + "/bookmark",
    response={200: BookmarkedOut, **WRITE_ERRORS},
    summary="Remove a bookmark",
    operation_id="remove_bookmark",
)
@rate_limited
def remove_bookmark(request: HttpRequest, slug: str, thread_id: int) -> BookmarkedOut:
    """Take the thread out of your bookmarks."""
    actions.remove_bookmark(user=user_of(request), thread=_thread(request, slug, thread_id))
    return BookmarkedOut(bookmarked=False)


@router.get(
    COMMUNITY + "/bookmarks",
    response={200: list[ThreadOut], **READ_ERRORS},
    summary="Your bookmarks",
    operation_id="list_bookmarks",
)
@paginate(QueryOrderPagination)
def list_bookmarks(request: HttpRequest, slug: str) -> QuerySet[Thread]:
    """List the threads of the community you bookmarked, most recently bookmarked first."""
    bookmarks = queries.bookmarks_of(user_of(request), _community(slug))
    # Keyed on an annotation rather than on `bookmarks__created_at`, which a cursor cannot read back.
    return bookmarks.annotate(bookmarked_at=F("bookmarks__created_at")).order_by("-bookmarked_at", "-id")


# Tags and products


@router.get(
    COMMUNITY + "/tags",
    response={200: list[TagCountOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List tags",
    operation_id="list_tags",
)
@paginate(KeysetPagination, ordering=("-is_official", "name", "id"))
def list_tags(request: HttpRequest, slug: str) -> QuerySet[Tag]:
    """List the community's tags, official ones first, with how many threads carry each."""
    return queries.tags_of(_community(slug))


@router.post(
    COMMUNITY + "/tags",
    response={201: TagOut, **WRITE_ERRORS},
    summary="Create a tag",
    operation_id="create_tag",
)
@rate_limited
def create_tag(request: HttpRequest, slug: str, payload: TagIn) -> Status[Tag]:
    """Define a tag (the brand's people and moderators), or make a free tag official."""
    tag = actions.create_tag(
        actor=user_of(request), community=_community(slug), name=payload.name, official=payload.official
    )
    return Status(201, tag)


@router.get(
    COMMUNITY + "/products",
    response={200: list[ProductOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List products",
    operation_id="list_products",
)
@paginate(KeysetPagination, ordering=("name", "id"))
def list_products(request: HttpRequest, slug: str) -> QuerySet[Product]:
    """List the community's active products by name, the ones reviews can be about."""
    return queries.products_of(_community(slug))


@router.post(
    COMMUNITY + "/products",
    response={201: ProductOut, **WRITE_ERRORS},
    summary="Add a product",
    operation_id="create_product",
)
@rate_limited
def create_product(request: HttpRequest, slug: str, payload: ProductIn) -> Status[Product]:
    """Add a product to the community's list (the brand's people: owners, managers, staff)."""
    product = actions.create_product(actor=user_of(request), community=_community(slug), **payload.model_dump())
    return Status(201, product)


# Collections


@router.get(
    COMMUNITY + "/collections",
    response={200: list[CollectionOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List collections",
    operation_id="list_collections",
)
@paginate(KeysetPagination, ordering=("-updated_at", "-id"))
def list_collections(request: HttpRequest, slug: str, filters: Query[CollectionFilter]) -> QuerySet[Collection]:
    """List the community's public collections, recently changed first; or, with mine, your own."""
    community = _community(slug)
    if filters.mine:
        return queries.collections_of(community, owner=user_of(request))
    return queries.collections_of(community)


@router.post(
    COMMUNITY + "/collections",
    response={201: CollectionOut, **WRITE_ERRORS},
    summary="Create a collection",
    operation_id="create_collection",
)
@rate_limited
def create_collection(request: HttpRequest, slug: str, payload: CollectionIn) -> Status[Collection]:
    """Start a list of threads you curate (members); public ones are listed for everyone."""
    user = user_of(request)
    collection = actions.create_collection(owner=user, community=_community(slug), **payload.model_dump())
    return Status(201, _collection(request, collection.community, collection.pk))


def _collection_out(request: HttpRequest, community: Community, collection_id: int) -> Collection:
    """The collection with the threads the caller may see, in the owner's order."""
    collection = _collection(request, community, collection_id)
    order = list(collection.items.values_list("thread_id", flat=True))
    threads = queries.thread_list(viewer_of(request), community).filter(pk__in=order)
    position = {thread_id: index for index, thread_id in enumerate(order)}
    vars(collection)["shown_threads"] = sorted(threads, key=lambda thread: position[thread.pk])
    return collection


@router.get(
    COLLECTION,
    response={200: CollectionDetailOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get a collection",
    operation_id="get_collection",
)
def get_collection(request: HttpRequest, slug: str, collection_id: int) -> Collection:
    """Return a public collection (or your own) with its threads."""
    return _collection_out(request, _community(slug), collection_id)


@router.put(
    COLLECTION + "/threads/{thread_id}",
    response={200: CollectionDetailOut, **WRITE_ERRORS},
    summary="Add a thread to a collection",
    operation_id="add_to_collection",
)
@rate_limited
def add_to_collection(request: HttpRequest, slug: str, collection_id: int, thread_id: int) -> Collection:
    """Add a thread you may see at the end of your collection (its owner)."""
    community = _community(slug)
    actions.add_to_collection(
        owner=user_of(request),
        collection=_collection(request, community, collection_id),
        thread=queries.get_thread(viewer_of(request), community, thread_id),
    )
    return _collection_out(request, community, collection_id)


@router.delete(
    COLLECTION + "/threads/{thread_id}",
    response={200: CollectionDetailOut, **WRITE_ERRORS},
    summary="Remove a thread from a collection",
    operation_id="remove_from_collection",
)
@rate_limited
def remove_from_collection(request: HttpRequest, slug: str, collection_id: int, thread_id: int) -> Collection:
    """Take a thread out of your collection (its owner), even one you may no longer see."""
    community = _community(slug)
    thread = Thread.objects.filter(community=community, pk=thread_id).first()
    if thread is None:
        raise NotFound(_("No such thread."))
    actions.remove_from_collection(
        owner=user_of(request), collection=_collection(request, community, collection_id), thread=thread
    )
    return _collection_out(request, community, collection_id)


# Search


@router.get(
    COMMUNITY + "/search",
    response={200: list[SearchHitOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Search posts",
    operation_id="search_posts",
)
@paginate(QueryOrderPagination)
def search_posts(request: HttpRequest, slug: str, filters: Query[SearchFilter]) -> QuerySet[Post]:
    """Find the posts you may see that contain every word of q (word starts count), best match first."""
    community = _community(slug)
    hits = search.search_posts(
        viewer_of(request),
        community,
        filters.q,
        space=_space_field(community, filters.space) if filters.space else None,
        kind=filters.kind,
        tag=filters.tag,
        author=filters.author,
        since=filters.since,
        until=filters.until,
        language=filters.language,
    )
    # PostgreSQL's ts_rank is a 4-byte real, which a cursor cannot carry back exactly; as double
    # precision the value read is the value compared, so pages neither skip nor repeat equal ranks.
    return hits.annotate(score=Cast("rank", FloatField())).order_by("-score", "-created_at", "-id")


# Drafts (private: every operation reads and writes the caller's own only)


@router.get(
    COMMUNITY + "/drafts",
    response={200: list[DraftOut], **READ_ERRORS},
    summary="Your drafts",
    operation_id="list_drafts",
)
@paginate(KeysetPagination, ordering=("-updated_at", "-id"))
def list_drafts(request: HttpRequest, slug: str) -> QuerySet[Draft]:
    """List your unsent threads and replies in the community, latest saved first; nobody else can see them."""
    return drafts.drafts_of(user_of(request), _community(slug))


@router.put(
    COMMUNITY + "/spaces/{space_slug}/draft",
    response={200: DraftOut, 204: None, **WRITE_ERRORS},
    summary="Save the draft of a new thread",
    operation_id="save_thread_draft",
)
@rate_limited
def save_thread_draft(request: HttpRequest, slug: str, space_slug: str, payload: ThreadDraftIn) -> Any:
    """Keep your draft of a new thread in a space you may post in (one per space); without title and body it is discarded (204)."""
    space = community_queries.get_space(_community(slug), space_slug)
    kind = str(payload.kind.value) if payload.kind else ""
    draft = drafts.save_draft(user=user_of(request), space=space, title=payload.title, body=payload.body, kind=kind)
    return draft if draft is not None else Status(204, None)


@router.put(
    THREAD + "/draft",
    response={200: DraftOut, 204: None, **WRITE_ERRORS},
    summary="Save the draft of a reply",
    operation_id="save_reply_draft",
)
@rate_limited
def save_reply_draft(request: HttpRequest, slug: str, thread_id: int, payload: ReplyDraftIn) -> Any:
    """Keep your draft of a reply to a thread you may reply to (one per thread); an empty body discards it (204)."""
    thread = _thread(request, slug, thread_id)
    draft = drafts.save_draft(user=user_of(request), thread=thread, body=payload.body)
    return draft if draft is not None else Status(204, None)


@router.delete(
    COMMUNITY + "/drafts/{draft_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Discard a draft",
    operation_id="discard_draft",
)
@rate_limited
def discard_draft(request: HttpRequest, slug: str, draft_id: int) -> Status[None]:
    """Throw away one of your drafts; anyone else's draft is not found (404)."""
    user = user_of(request)
    drafts.discard_draft(user=user, draft=drafts.get_draft(user, _community(slug), draft_id))
    return Status(204, None)
