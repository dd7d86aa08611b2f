"""API shapes of threads, posts, reactions, tags, products, bookmarks and collections."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.conversations.actions import MAX_TAGS_PER_THREAD
from belong.conversations.models import MAX_TITLE_CHARS, Post, ReactionKind, ThreadKind
from belong.conversations.search import snippet
from belong.core.richtext import MAX_BODY_CHARS

BODY_DESCRIPTION = (
    f"Markdown (CommonMark with tables and strikethrough; raw HTML is shown as text), "
    f"1 to {MAX_BODY_CHARS} characters; `@handle` mentions the member. Links and images need trust level 1 "
    "(or any role above member): without it a body with them is refused (422, on `body`)."
)
TAG_DESCRIPTION = (
    f"Tag names or addresses, at most {MAX_TAGS_PER_THREAD}. A tag that does not exist yet is created, "
    "if you may add free tags (trust level 1, or any role above member)."
)


# Threads


class SpaceSummaryOut(Schema):
    id: int
    slug: str
    name: str


class ProductSummaryOut(Schema):
    id: int
    slug: str
    name: str


class TagOut(Schema):
    id: int
    slug: str
    name: str
    is_official: bool = Field(description="Defined by the community's managers; listed first.")


class ThreadOut(Schema):
    """A thread as lists show it."""

    id: int
    space: SpaceSummaryOut
    author: PersonOut | None
    kind: ThreadKind
    title: str
    product: ProductSummaryOut | None = Field(description="What a review is about.")
    rating: int | None = Field(description="A review's rating, 1 to 5; null for other kinds.")
    tags: list[TagOut]
    language: str
    is_locked: bool
    is_hidden: bool = Field(description="Hidden threads are shown to moderators and their authors only.")
    is_pinned: bool
    answered_by_brand: bool = Field(description="The brand's people have replied.")
    brand_response_seconds: int | None = Field(description="Seconds from the thread's start to the brand's reply.")
    accepted_answer_id: int | None = Field(description="The reply the asker (or a moderator) accepted.")
    reply_count: int
    view_count: int
    created_at: datetime
    last_activity_at: datetime


class ThreadDetailOut(ThreadOut):
    """A thread with what only a single read tells: who started it and what the caller does with it."""

    is_official: bool = Field(description="Started by the brand's people (owners, managers, staff).")
    is_following: bool = Field(description="You hear about new replies.")
    is_bookmarked: bool


class ThreadFilter(Schema):
    space: str | None = Field(None, max_length=60, description="A space's address.")
    kind: ThreadKind | None = None
    tag: str | None = Field(None, max_length=50, description="A tag's address.")
    author: str | None = Field(None, max_length=30, description="The author's handle.")
    language: str | None = Field(None, max_length=12)
    unanswered: bool = Field(False, description="Questions with no reply and no accepted answer.")
    order: Literal["latest", "top"] = Field(
        "latest", description="latest: pinned first, then by last activity; top: by reactions and replies."
    )
    period: Literal["day", "week", "month", "year"] = Field(
        "week", description="With order=top, threads started in this period."
    )


class ThreadIn(InSchema):
    space: str = Field(min_length=1, max_length=60, description="The address of the space to start it in.")
    kind: ThreadKind = Field(
        ThreadKind.DISCUSSION, description="announcement and call_to_action are for the brand's people."
    )
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, description=BODY_DESCRIPTION)
    product: str | None = Field(None, max_length=60, description="A product's address, for reviews.")
    rating: int | None = Field(None, ge=1, le=5, description="Required for reviews, refused for other kinds.")
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS_PER_THREAD, description=TAG_DESCRIPTION)


class ThreadPatch(PatchSchema):
    """Moderation (moderators, staff and managers); fields left out keep their value."""

    is_locked: bool | None = Field(None, description="Locked threads take no new replies but from moderators.")
    is_hidden: bool | None = None
    is_pinned: bool | None = None


class TagsIn(InSchema):
    tags: list[str] = Field(max_length=MAX_TAGS_PER_THREAD, description=TAG_DESCRIPTION)


# Posts


def _reaction_counts(post: Post) -> dict[str, int]:
    return {kind: int(getattr(post, f"{kind}_count", 0) or 0) for kind in ReactionKind.values}


class PostOut(Schema):
    """The opening post or a reply; a deleted post keeps its place but shows no text."""

    id: int
    thread_id: int
    author: PersonOut | None
    is_opening: bool
    is_official: bool = Field(description="Written by the brand's people.")
    is_accepted: bool = Field(description="The accepted answer of a question.")
    is_hidden: bool = Field(description="Hidden by a moderator; shown to moderators only.")
    is_wiki: bool = Field(description="A wiki: members from trust level 3 who may reply can edit it too.")
    deleted: bool
    reply_to_id: int | None
    body: str | None = Field(
        description="The Markdown source, for quoting and editing. It says nothing body_html does not, "
        "so it is shown to everyone who may read the post; null once the post is deleted."
    )
    body_html: str | None = Field(description="The sanitised rendering of body; null once the post is deleted.")
    reactions: dict[str, int] = Field(description="How many reactions of each kind the post has.")
    my_reactions: list[ReactionKind] = Field(description="The kinds you reacted with.")
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_deleted(obj: Post) -> bool:
        return obj.is_deleted

    @staticmethod
    def resolve_body(obj: Post) -> str | None:
        return None if obj.is_deleted else obj.body

    @staticmethod
    def resolve_body_html(obj: Post) -> str | None:
        return None if obj.is_deleted else obj.body_html

    @staticmethod
    def resolve_is_accepted(obj: Post) -> bool:
        accepted = getattr(obj, "is_accepted", None)
        return bool(accepted) if accepted is not None else obj.thread.accepted_answer_id == obj.pk

    @staticmethod
    def resolve_reactions(obj: Post) -> dict[str, int]:
        return _reaction_counts(obj)

    @staticmethod
    def resolve_my_reactions(obj: Post) -> list[str]:
        return sorted(getattr(obj, "my_reactions", ()))


class PostIn(InSchema):
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS, description=BODY_DESCRIPTION)
    reply_to: int | None = Field(None, description="The id of the post of this thread you answer.")


class PostPatch(PatchSchema):
    body: str | None = Field(None, min_length=1, max_length=MAX_BODY_CHARS, description=BODY_DESCRIPTION)
    title: str | None = Field(
        None, min_length=1, max_length=MAX_TITLE_CHARS, description="The thread's title; opening posts only."
    )


class RevisionOut(Schema):
    """A post's text as it was before an edit."""

    id: int
    body: str
    title: str = Field(description="The thread's title at the time, for opening posts; empty for replies.")
    edited_by: PersonOut | None
    created_at: datetime


class AcceptIn(InSchema):
    post: int = Field(description="The id of the reply to accept.")


# Following and bookmarks


class FollowingOut(Schema):
    following: bool


class BookmarkedOut(Schema):
    bookmarked: bool


# Tags and products


class TagCountOut(TagOut):
    thread_count: int


class TagIn(InSchema):
    name: str = Field(min_length=1, max_length=40)
    official: bool = Field(True, description="Official tags are listed first; free tags can be made official.")


class ProductOut(Schema):
    id: int
    slug: str
    name: str
    description: str


class ProductIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    slug: str = Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$", description="Letters, digits, dashes.")
    description: str = Field("", max_length=2000)


# Collections


class CollectionOut(Schema):
    id: int
    title: str
    description: str
    is_public: bool
    owner: PersonOut
    thread_count: int = Field(0, description="Threads in it, including ones you may not see.")
    created_at: datetime
    updated_at: datetime


class CollectionDetailOut(CollectionOut):
    threads: list[ThreadOut] = Field(description="The threads you may see, in the owner's order.")

    @staticmethod
    def resolve_threads(obj: Any) -> list[Any]:
        return list(obj.shown_threads)


class CollectionFilter(Schema):
    mine: bool = Field(False, description="Your own collections, private ones included (sign in).")


class CollectionIn(InSchema):
    title: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    is_public: bool = True


# Search


class SearchFilter(Schema):
    q: str = Field(min_length=1, max_length=200, description="Words to find in posts.")
    space: str | None = Field(None, max_length=60, description="A space's address.")
    kind: ThreadKind | None = None
    tag: str | None = Field(None, max_length=50, description="A tag's address.")
    author: str | None = Field(None, max_length=30, description="The author's handle.")
    since: AwareDatetime | None = Field(None, description="Posts written at or after this time.")
    until: AwareDatetime | None = Field(None, description="Posts written before this time.")
    language: str | None = Field(None, max_length=12)


class SearchHitOut(Schema):
    """A post that matches, with the text around the first matching word."""

    id: int
    thread_id: int
    thread_title: str
    thread_kind: ThreadKind
    space: SpaceSummaryOut
    author: PersonOut | None
    is_opening: bool
    is_official: bool
    snippet: str = Field(description="Escaped plain text around the match, the matching words in <mark>.")
    rank: float = Field(description="Higher is better; comparable within one search only.")
    created_at: datetime

    @staticmethod
    def resolve_thread_title(obj: Post) -> str:
        return obj.thread.title

    @staticmethod
    def resolve_thread_kind(obj: Post) -> str:
        return obj.thread.kind

    @staticmethod
    def resolve_space(obj: Post) -> Any:
        return obj.thread.space

    @staticmethod
    def resolve_snippet(obj: Post, context: dict[str, Any] | None) -> str:
        request = (context or {}).get("request")
        return str(snippet(obj, request.GET.get("q", "") if request is not None else ""))


# Drafts


class DraftThreadOut(Schema):
    id: int
    title: str


class DraftOut(Schema):
    """Your unsent thread (with `space`) or reply (with `thread`); nobody else ever sees it."""

    id: int
    space: SpaceSummaryOut | None = Field(description="Set for the draft of a new thread.")
    thread: DraftThreadOut | None = Field(description="Set for the draft of a reply.")
    title: str
    body: str
    kind: str = Field(description="The kind of thread drafted; empty for replies, or when not chosen yet.")
    updated_at: datetime


class ThreadDraftIn(InSchema):
    """Send the whole draft each time; with neither title nor body, the draft is discarded (204)."""

    title: str = Field("", max_length=MAX_TITLE_CHARS)
    body: str = Field("", max_length=MAX_BODY_CHARS)
    kind: ThreadKind | None = None


class ReplyDraftIn(InSchema):
    """Send the whole text each time; an empty body discards the draft (204)."""

    body: str = Field("", max_length=MAX_BODY_CHARS)
