"""What a data export holds from conversations: threads, posts, revisions and what the person did with them.

Threads of others appear by id only (a bookmark, a follow, a read): their titles are other members' words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import CHUNK, exporter, rows
from belong.accounts.models import User
from belong.conversations.models import (
    Bookmark,
    Collection,
    CollectionItem,
    Follow,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadRead,
    ThreadTag,
)


@exporter("threads", description=_("Threads you started: kind, title, where, tags and state."))
def threads(user: User) -> Iterator[dict[str, Any]]:
    tags: dict[int, list[str]] = defaultdict(list)
    for thread_id, slug in (
        ThreadTag.objects.filter(thread__author=user)
        .order_by("thread_id", "tag__slug")
        .values_list("thread_id", "tag__slug")
    ):
        tags[thread_id].append(slug)
    fields = (
        "id", "community__slug", "space__slug", "kind", "title", "product__slug", "rating", "is_locked",
        "is_hidden", "is_pinned", "accepted_answer_id", "reply_count", "language", "created_at", "last_activity_at",
    )  # fmt: skip
    values = Thread.objects.filter(author=user).order_by("created_at", "id").values(*fields)
    for row in rows(values, community__slug="community", space__slug="space", product__slug="product"):
        yield {**row, "tags": tags.get(row["id"], [])}


@exporter(
    "posts",
    description=_("Every post you wrote (opening posts and replies), with its Markdown text, deleted ones included."),
)
def posts(user: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "community__slug", "thread_id", "is_opening", "reply_to_id", "body", "language", "is_official",
        "is_hidden", "is_wiki", "created_at", "edited_at", "deleted_at",
    )  # fmt: skip
    values = Post.objects.filter(author=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community", thread_id="thread", reply_to_id="reply_to")


@exporter("post_revisions", description=_("Earlier versions of your posts, kept when they were edited."))
def post_revisions(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "post_id", "body", "title", "created_at")
    values = PostRevision.objects.filter(post__author=user).order_by("created_at", "id").values(*fields)
    return rows(values, post_id="post")


@exporter("reactions", description=_("Your reactions to posts: which post, which reaction, when."))
def reactions(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "post__community__slug", "post_id", "kind", "created_at")
    values = Reaction.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, post__community__slug="community", post_id="post")


@exporter("follows", description=_("The threads, spaces and tags you follow."))
def follows(user: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "thread_id", "thread__community__slug", "space__slug", "space__community__slug", "tag__slug",
        "tag__community__slug", "created_at",
    )  # fmt: skip
    for row in Follow.objects.filter(user=user).order_by("created_at", "id").values(*fields).iterator(CHUNK):
        community = row["thread__community__slug"] or row["space__community__slug"] or row["tag__community__slug"]
        yield {
            "id": row["id"],
            "community": community,
            "thread": row["thread_id"],
            "space": row["space__slug"],
            "tag": row["tag__slug"],
            "created_at": row["created_at"],
        }


@exporter("bookmarks", description=_("Threads you bookmarked."))
def bookmarks(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "thread__community__slug", "thread_id", "created_at")
    values = Bookmark.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, thread__community__slug="community", thread_id="thread")


@exporter("collections", description=_("Your collections of threads, with the threads and notes in each."))
def collections(user: User) -> list[dict[str, Any]]:
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in (
        CollectionItem.objects.filter(collection__owner=user)
        .order_by("collection_id", "position", "id")
        .values("collection_id", "thread_id", "note", "position", "created_at")
    ):
        entry = {"thread": item["thread_id"], "note": item["note"], "position": item["position"]}
        items[item["collection_id"]].append({**entry, "created_at": item["created_at"]})
    fields = ("id", "community__slug", "title", "description", "is_public", "created_at", "updated_at")
    values = Collection.objects.filter(owner=user).order_by("created_at", "id").values(*fields)
    return [{**row, "items": items.get(row["id"], [])} for row in rows(values, community__slug="community")]


@exporter("thread_reads", description=_("Threads you read: when first and last, and how many times."))
def thread_reads(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "thread_id", "first_read_at", "last_read_at", "times")
    values = ThreadRead.objects.filter(user=user).order_by("first_read_at", "id").values(*fields)
    return rows(values, community__slug="community", thread_id="thread")
