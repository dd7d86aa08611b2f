"""Events the conversations app publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class ThreadStarted(Event):
    thread_id: int
    post_id: int
    kind: str


@dataclass(frozen=True, kw_only=True)
class PostCreated(Event):
    """A reply (or, with is_opening, a thread's first post): insights and recognition react to it."""

    thread_id: int
    post_id: int
    is_opening: bool = False
    is_official: bool = False
    reply_to_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class PostEdited(Event):
    thread_id: int
    post_id: int


@dataclass(frozen=True, kw_only=True)
class PostDeleted(Event):
    thread_id: int
    post_id: int


@dataclass(frozen=True, kw_only=True)
class AnswerAccepted(Event):
    thread_id: int
    post_id: int
    answerer_id: int | None
    previous_post_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReactionAdded(Event):
    post_id: int
    kind: str
    post_author_id: int | None


@dataclass(frozen=True, kw_only=True)
class ReactionRemoved(Event):
    post_id: int
    kind: str
    post_author_id: int | None


@dataclass(frozen=True, kw_only=True)
class MembersMentioned(Event):
    """People @mentioned in a post, for notifications."""

    post_id: int
    thread_id: int
    user_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class ThreadFollowed(Event):
    thread_id: int | None = None
    space_id: int | None = None
    tag_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ThreadModerated(Event):
    thread_id: int
    change: str


@dataclass(frozen=True, kw_only=True)
class Unfollowed(Event):
    thread_id: int | None = None
    space_id: int | None = None
    tag_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class BookmarkChanged(Event):
    thread_id: int
    bookmarked: bool


@dataclass(frozen=True, kw_only=True)
class ThreadTagged(Event):
    thread_id: int
    tags: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TagCreated(Event):
    tag_id: int
    official: bool


@dataclass(frozen=True, kw_only=True)
class ProductCreated(Event):
    product_id: int


@dataclass(frozen=True, kw_only=True)
class CollectionChanged(Event):
    """A collection was created, or a thread added to or removed from it (collectors, seed 004)."""

    collection_id: int
    change: str  # "created", "added" or "removed"
    thread_id: int | None = None
