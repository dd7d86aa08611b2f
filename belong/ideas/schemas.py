"""API shapes of the idea board: ideas, votes, statuses, categories, the roadmap and beta groups."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.conversations.models import MAX_TITLE_CHARS
from belong.conversations.schemas import BODY_DESCRIPTION, ProductSummaryOut, SpaceSummaryOut
from belong.core.richtext import MAX_BODY_CHARS
from belong.ideas.models import BetaInvitationState, Idea, Importance

MAX_INVITEES = 50
# Ids as the database stores them (64-bit), so an absurd id is invalid input rather than a server error.
IdeaId = Annotated[int, Field(ge=1, le=2**63 - 1, description="An idea's id.")]

# Statuses and categories


class StatusSummaryOut(Schema):
    """An idea's place in the workflow, as rows show it."""

    key: str
    label: str = Field(description="The status's name in the reader's language (the built-in one unless renamed).")
    is_open: bool = Field(description="Ideas in this status take votes.")
    is_shipped: bool


class StatusOut(StatusSummaryOut):
    """One step of the community's workflow."""

    id: int
    name: str = Field(description="The name the managers gave it; empty keeps the built-in name.")
    description: str
    position: int
    on_roadmap: bool
    is_initial: bool = Field(description="New ideas start here.")


class StatusIn(InSchema):
    key: str = Field(
        min_length=1,
        max_length=40,
        description="Its address: ASCII letters, digits and underscores (spaces become _, other characters are dropped).",
    )
    name: str = Field("", max_length=60)
    description: str = Field("", max_length=300)
    position: StrictInt | None = Field(
        None, ge=0, description="Where it goes in the workflow; after the others if left out."
    )
    is_open: StrictBool = True
    on_roadmap: StrictBool = False
    is_shipped: StrictBool = Field(
        False, description="Ideas here are in the changelog; a shipped status takes no votes."
    )
    is_initial: StrictBool = Field(False, description="Start new ideas here instead of in the current initial status.")


class StatusPatch(PatchSchema):
    name: str | None = Field(None, max_length=60, description="Empty brings the built-in name back.")
    description: str | None = Field(None, max_length=300)
    position: StrictInt | None = Field(None, ge=0)
    is_open: StrictBool | None = None
    on_roadmap: StrictBool | None = None
    is_shipped: StrictBool | None = None
    is_initial: StrictBool | None = None


class CategorySummaryOut(Schema):
    id: int
    slug: str
    name: str


class CategoryOut(CategorySummaryOut):
    position: int


class CategoryIn(InSchema):
    name: str = Field(min_length=1, max_length=60)
    slug: str | None = Field(None, max_length=60, description="The category's address; made from the name if left out.")


class CategoryPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=60)
    position: StrictInt | None = Field(None, ge=0)


# Ideas


class MyVoteOut(Schema):
    importance: Importance | None = Field(description="How much the idea matters to you; null if you did not say.")


class IdeaOut(Schema):
    """An idea as the board, the roadmap and the changelog show it."""

    id: int = Field(description="The idea's id, which is also its discussion thread's id.")
    thread_id: int = Field(description="Its discussion: use the thread and post endpoints with this id.")
    title: str
    status: StatusSummaryOut
    category: CategorySummaryOut | None
    product: ProductSummaryOut | None
    space: SpaceSummaryOut
    author: PersonOut | None
    vote_count: int
    recent_votes: int = Field(description="Votes in the trending window (BELONG_IDEA_TRENDING_DAYS, 14 by default).")
    my_vote: MyVoteOut | None = Field(description="Your vote; null if you have not voted (or are not signed in).")
    reply_count: int
    is_hidden: bool = Field(description="Hidden ideas are shown to moderators and their authors only.")
    is_locked: bool = Field(description="Locked ideas take no votes and no replies but from moderators.")
    merged_into_id: int | None = Field(description="The idea this duplicate was merged into; read that one instead.")
    created_at: datetime
    status_changed_at: datetime | None
    shipped_at: datetime | None

    @staticmethod
    def resolve_id(obj: Idea) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_title(obj: Idea) -> str:
        return obj.thread.title

    @staticmethod
    def resolve_space(obj: Idea) -> Any:
        return obj.thread.space

    @staticmethod
    def resolve_author(obj: Idea) -> Any:
        return obj.thread.author

    @staticmethod
    def resolve_reply_count(obj: Idea) -> int:
        return obj.thread.reply_count

    @staticmethod
    def resolve_is_hidden(obj: Idea) -> bool:
        return obj.thread.is_hidden

    @staticmethod
    def resolve_is_locked(obj: Idea) -> bool:
        return obj.thread.is_locked

    @staticmethod
    def resolve_recent_votes(obj: Idea) -> int:
        return int(getattr(obj, "recent_votes", 0) or 0)

    @staticmethod
    def resolve_my_vote(obj: Idea) -> Any:
        return getattr(obj, "my_vote", None)


class IdeaLinksOut(Schema):
    page: str = Field(description="The idea's page in the web interface.")
    thread: str = Field(description="Its discussion thread in this API.")
    posts: str = Field(description="Its replies in this API: list them, and reply with POST.")


class IdeaDetailOut(IdeaOut):
    """One idea with its description, and the importance breakdown for the brand."""

    description: str = Field(description="The Markdown source; empty once deleted.")
    description_html: str = Field(description="The sanitised rendering of description.")
    importance_counts: dict[str, int] | None = Field(
        description="How many voters gave each importance ('' for none); for the brand and moderators, "
        "null for everyone else."
    )
    links: IdeaLinksOut


class IdeaFilter(Schema):
    status: str | None = Field(None, max_length=40, description="A status key, e.g. planned.")
    category: str | None = Field(None, max_length=60, description="A category's address.")
    product: str | None = Field(None, max_length=60, description="A product's address.")
    space: str | None = Field(None, max_length=60, description="A space's address.")
    author: str | None = Field(None, max_length=30, description="The author's handle.")
    q: str | None = Field(None, max_length=200, description="Words in the title.")
    voted: Literal["me"] | None = Field(None, description="me: the ideas you voted for (sign in).")
    sort: Literal["trending", "top", "new", "active"] = Field(
        "trending",
        description="trending: most votes in the trending window, then top; top: most votes; new: newest; "
        "active: latest reply first.",
    )


class IdeaIn(InSchema):
    space: str = Field(min_length=1, max_length=60, description="The address of the space to propose it in.")
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    description: str = Field(min_length=1, max_length=MAX_BODY_CHARS, description=BODY_DESCRIPTION)
    category: str | None = Field(None, max_length=60, description="A category's address.")
    product: str | None = Field(None, max_length=60, description="A product's address.")


class IdeaPatch(PatchSchema):
    """Fields left out keep their value; is_hidden and is_locked are for moderators."""

    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE_CHARS)
    description: str | None = Field(None, min_length=1, max_length=MAX_BODY_CHARS, description=BODY_DESCRIPTION)
    category: str | None = Field(None, max_length=60, description="A category's address; empty removes it.")
    product: str | None = Field(None, max_length=60, description="A product's address; empty removes it.")
    is_hidden: StrictBool | None = Field(None, description="Hide the idea and its discussion (moderators).")
    is_locked: StrictBool | None = Field(None, description="Close it to votes and replies (moderators).")


class SimilarFilter(Schema):
    text: str = Field(min_length=1, max_length=200, description="A title being written; 3 characters or more.")
    exclude: IdeaId | None = Field(None, description="An idea to leave out (the one being edited).")
    limit: int = Field(5, ge=1, le=20)


class SimilarIdeaOut(IdeaOut):
    similarity: float = Field(description="From 0 to 1; higher is more alike.")


# Votes


class VoteIn(InSchema):
    importance: Importance | None = Field(None, description="How much the idea matters to you; optional.")


class VoterOut(Schema):
    person: PersonOut
    importance: Importance | None
    created_at: datetime

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user

    @staticmethod
    def resolve_importance(obj: Any) -> str | None:
        return obj.importance or None


# Status changes, merging, the roadmap and the changelog


class StatusChangeIn(InSchema):
    status: str = Field(min_length=1, max_length=40, description="The key of the status to move the idea to.")
    note: str = Field(
        "", max_length=MAX_BODY_CHARS, description="A public note (Markdown), e-mailed to voters and followers."
    )


class StatusChangeOut(Schema):
    id: int
    idea_id: int
    from_status: StatusSummaryOut | None
    to_status: StatusSummaryOut
    note: str
    note_html: str
    changed_by: PersonOut | None
    created_at: datetime


class MergeIn(InSchema):
    target: StrictInt = Field(
        ge=1, le=2**63 - 1, description="The id of the idea that stands; if it was merged itself, the one it went to."
    )


class RoadmapColumnOut(Schema):
    status: StatusOut
    total: int = Field(description="Ideas in this status; the column shows the most voted.")
    ideas: list[IdeaOut]


class ChangelogEntryOut(IdeaOut):
    shipped_note_html: str | None = Field(description="The note the brand shipped it with.")


# Private beta groups


class IdeaSummaryOut(Schema):
    id: int
    title: str

    @staticmethod
    def resolve_id(obj: Idea) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_title(obj: Idea) -> str:
        return obj.thread.title


class BetaGroupSummaryOut(Schema):
    id: int
    name: str
    space: SpaceSummaryOut


class BetaGroupOut(BetaGroupSummaryOut):
    description: str
    idea: IdeaSummaryOut | None
    product: ProductSummaryOut | None
    member_count: int = Field(0, description="Members who accepted.")
    created_at: datetime


class BetaInvitationOut(Schema):
    id: int
    group: BetaGroupSummaryOut
    person: PersonOut
    invited_by: PersonOut | None
    message: str
    state: BetaInvitationState
    created_at: datetime
    responded_at: datetime | None

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user


class BetaGroupDetailOut(BetaGroupOut):
    invitations: list[BetaInvitationOut] | None = Field(
        description="Everyone invited, with their answer; for the group's managers, null for its members."
    )

    @staticmethod
    def resolve_invitations(obj: Any) -> list[Any] | None:
        return getattr(obj, "shown_invitations", None)


class BetaGroupIn(InSchema):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=2000)
    idea: StrictInt | None = Field(None, ge=1, le=2**63 - 1, description="The id of the idea the group refines.")
    product: str | None = Field(None, max_length=60, description="The address of the product it tries out.")


class InvitationsIn(InSchema):
    members: list[str] = Field(
        min_length=1, max_length=MAX_INVITEES, description="Handles of active members to invite."
    )
    message: str = Field("", max_length=2000, description="A personal note sent with the invitation.")


class CandidateOut(Schema):
    person: PersonOut
    reason: str = Field(description="Why the data suggests them.")

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.user
