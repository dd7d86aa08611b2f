"""API shapes of rules, moderation settings, flags, the review queue, the moderation log, sanctions and appeals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Schema
from pydantic import AwareDatetime

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.communities.schemas import MemberOut
from belong.conversations.models import MAX_TITLE_CHARS, Post
from belong.conversations.moderation import MAX_REASON_CHARS
from belong.conversations.schemas import SpaceSummaryOut
from belong.core.models import ModerationEntry
from belong.core.richtext import MAX_BODY_CHARS
from belong.moderation.actions import APPEALABLE, MAX_BLOCKED_WORDS
from belong.moderation.labels import action_label, signal_label
from belong.moderation.models import (
    Appeal,
    AppealState,
    Decision,
    FlagReason,
    ReviewItem,
    ReviewSource,
    ReviewState,
)

REASON_DESCRIPTION = f"Why, in up to {MAX_REASON_CHARS} characters: the member concerned is told and the log keeps it."


def _appeal_of(entry: ModerationEntry) -> Appeal | None:
    """The entry's appeal, read from select_related's cache (None when there is none)."""
    return getattr(entry, "appeal", None)


# Rules


class RuleOut(Schema):
    """One rule of the community, in the order members read them."""

    id: int
    position: int = Field(description="1 for the first rule; lower comes first.")
    title: str = Field(description="The rule itself, in one line.")
    description: str = Field(description="What it means, with examples; may be empty.")
    created_at: datetime
    updated_at: datetime


class RuleIn(InSchema):
    title: str = Field(min_length=1, max_length=200, description="The rule itself, in one line.")
    description: str = Field("", max_length=2000, description="What it means, with examples.")


class RulePatch(PatchSchema):
    """Fields left out keep their value; any change asks members to accept the rules again."""

    title: str | None = Field(None, min_length=1, max_length=200, description="The rule itself, in one line.")
    description: str | None = Field(None, max_length=2000, description="What it means; an empty text removes it.")


class RuleMoveIn(InSchema):
    direction: Literal["up", "down"] = Field(
        description="up swaps the rule with the one above it, down with the one below; at either end nothing moves."
    )


class RulesAcceptedOut(Schema):
    """You accepted the rules as they stand now."""

    revision: int = Field(description="The revision of the rules you accepted; it rises with every change.")
    accepted_at: datetime


# Settings


class ModerationSettingsOut(Schema):
    require_approval: bool = Field(description="A new member's first posts wait in the review queue for approval.")
    approval_posts: int = Field(description="How many of a new member's posts wait for approval (1 to 20).")
    hide_weight: float = Field(
        description="The weight of flags that hides a post until review. A flag weighs 1 at trust level 1, 1.5 at "
        "level 2, 2 at level 3 and 3 at level 4; a moderator's flag hides at once."
    )
    blocked_words: list[str] = Field(description="Whole words (any case) that make a post be refused.")
    max_links: int = Field(description="Members below trust level 2 posting more links than this wait for review.")
    rules_revision: int = Field(description="Rises with every change to the rules.")


class ModerationSettingsPatch(PatchSchema):
    """Fields left out keep their value."""

    require_approval: bool | None = None
    approval_posts: int | None = Field(None, ge=1, le=20)
    hide_weight: float | None = Field(None, ge=1.0, le=50.0)
    blocked_words: list[str] | None = Field(
        None,
        max_length=MAX_BLOCKED_WORDS,
        description=f"The whole list (it replaces the old one): up to {MAX_BLOCKED_WORDS} words of at most 60 "
        "characters; stored lower-cased, sorted and without repeats.",
    )
    max_links: int | None = Field(None, ge=0, le=100)


# Flags


class FlagIn(InSchema):
    reason: FlagReason = Field(
        description="spam, off_topic, abusive, rule (name the `rule`) or other (say what in `text`)."
    )
    rule: int | None = Field(None, description="The id of the rule of this community the post breaks, for `rule`.")
    text: str = Field("", max_length=1000, description="Details for the moderators; required for `other`.")


class FlagOut(Schema):
    """Your flag: the moderators will look at the post."""

    id: int
    post_id: int
    reason: FlagReason
    rule_id: int | None
    rule_title: str = Field(description="The rule's words when you flagged.")
    text: str
    created_at: datetime


class FlagDetailOut(FlagOut):
    """A member's flag as moderators see it."""

    flagger: PersonOut
    weight: float = Field(description="How much the flag weighs, by the flagger's trust level.")


# The review queue


class SignalOut(Schema):
    code: str = Field(description="repeated, links, approval, profanity or toxic.")
    label: str = Field(description="What it means, in the reader's language.")


class QueuedPostOut(Schema):
    """The post under review, as moderators see it (hidden or removed ones included)."""

    id: int
    thread_id: int
    thread_title: str
    space: SpaceSummaryOut
    author: PersonOut | None
    is_opening: bool
    is_hidden: bool
    deleted: bool
    body: str = Field(description="The Markdown source.")
    body_html: str
    created_at: datetime

    @staticmethod
    def resolve_thread_title(obj: Post) -> str:
        return obj.thread.title

    @staticmethod
    def resolve_space(obj: Post) -> Any:
        return obj.thread.space

    @staticmethod
    def resolve_deleted(obj: Post) -> bool:
        return obj.is_deleted


class ReviewItemOut(Schema):
    """A post waiting for a moderator (or decided already), with why it is here and the members' flags."""

    id: int
    post: QueuedPostOut
    state: ReviewState
    sources: list[str] = Field(
        description="flags (members flagged it), spam, signal (toxicity or profanity), approval (a new member)."
    )
    signals: list[SignalOut] = Field(description="Why the checks held it.")
    flag_weight: float = Field(description="The flags' total weight; the post is hidden from hide_weight on.")
    flags: list[FlagDetailOut] = Field(description="The members' flags, oldest first.")
    claimed_by: PersonOut | None = Field(description="The moderator working on it (a claim lapses after 30 minutes).")
    claimed_at: datetime | None
    decided_by: PersonOut | None
    decided_at: datetime | None
    reason: str = Field(description="The decision's reason.")
    created_at: datetime

    @staticmethod
    def resolve_signals(obj: ReviewItem) -> list[dict[str, str]]:
        return [{"code": code, "label": signal_label(code)} for code in obj.signals]

    @staticmethod
    def resolve_flags(obj: ReviewItem) -> list[Any]:
        return list(obj.flags.all())


class ReviewFilter(Schema):
    state: ReviewState = Field(ReviewState.PENDING, description="pending (oldest first) or a decided state (latest).")
    source: ReviewSource | None = Field(None, description="Only items that came from this source.")


class DecisionIn(InSchema):
    decision: Decision = Field(
        description="approve (show it), reject (remove it), edit (replace its text with `body` and show it) or "
        "hide (keep it hidden)."
    )
    reason: str = Field(
        "", max_length=MAX_REASON_CHARS, description=REASON_DESCRIPTION + " Required except to approve."
    )
    body: str | None = Field(
        None, min_length=1, max_length=MAX_BODY_CHARS, description="The corrected Markdown text, for edit."
    )


# The moderation log


class TargetOut(Schema):
    type: str = Field(description="What the entry is about: conversations.post, conversations.thread, …")
    id: str


class AppealSummaryOut(Schema):
    id: int
    state: AppealState
    text: str = Field(description="Why the member asked for the action to be undone.")
    decision_reason: str = Field(description="The moderators' answer; empty while open.")
    created_at: datetime
    decided_at: datetime | None


class ModerationEntryOut(Schema):
    """One moderator action (or one the system took), with its reason; the log is never changed."""

    id: int
    action: str = Field(description="What was done, like post.hidden, member.silenced or review.rejected.")
    action_label: str = Field(description="The action in the reader's language.")
    actor: PersonOut | None = Field(description="The moderator; null when the system acted (members' flags).")
    subject: PersonOut | None = Field(description="The member concerned.")
    target: TargetOut | None
    reason: str
    data: dict[str, Any] = Field(description="Details of the action (the thread, its title, dates, …).")
    appeal: AppealSummaryOut | None = Field(description="The member's appeal against it, if any.")
    created_at: datetime

    @staticmethod
    def resolve_action_label(obj: ModerationEntry) -> str:
        return action_label(obj.action)

    @staticmethod
    def resolve_target(obj: ModerationEntry) -> dict[str, str] | None:
        if obj.target_type_id is None:
            return None
        kind = ContentType.objects.get_for_id(obj.target_type_id)  # cached: no query per row
        return {"type": f"{kind.app_label}.{kind.model}", "id": obj.target_id}

    @staticmethod
    def resolve_appeal(obj: ModerationEntry) -> Appeal | None:
        return _appeal_of(obj)


class LogFilter(Schema):
    action: str | None = Field(
        None, max_length=40, description="An action (member.silenced) or a group of them (member)."
    )
    actor: str | None = Field(None, max_length=30, description="The moderator's handle.")
    subject: str | None = Field(None, max_length=30, description="The handle of the member concerned.")
    since: date | None = Field(None, description="Entries from this day on.")
    until: date | None = Field(None, description="Entries up to this day, included.")


# Members


class ReasonIn(InSchema):
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description=REASON_DESCRIPTION)


class OptionalReasonIn(InSchema):
    reason: str = Field("", max_length=MAX_REASON_CHARS, description=REASON_DESCRIPTION)


class SilenceIn(ReasonIn):
    until: AwareDatetime = Field(description="When the member may post again, with its time zone; in the future.")


class ModeratedMemberOut(MemberOut):
    silenced_until: datetime | None = Field(
        description="Until then the member reads and reacts but cannot post; null when not silenced."
    )


class NoteIn(InSchema):
    body: str = Field(min_length=1, max_length=4000, description="Only the community's moderators read it.")


class NoteOut(Schema):
    """A private note on a member: never shown to the member or to other members."""

    id: int
    author: PersonOut | None
    body: str
    created_at: datetime


# Appeals


class RecordEntryOut(Schema):
    """Something moderators did concerning you, and your appeal against it."""

    id: int
    action: str
    action_label: str = Field(description="The action in your language.")
    reason: str
    thread_id: int | None = Field(description="The thread concerned, when there is one.")
    title: str = Field(description="The title of the thread concerned; empty when none.")
    appealable: bool = Field(description="You may appeal it (once), and have not yet.")
    appeal: AppealSummaryOut | None
    created_at: datetime

    @staticmethod
    def resolve_action_label(obj: ModerationEntry) -> str:
        return action_label(obj.action)

    @staticmethod
    def resolve_thread_id(obj: ModerationEntry) -> int | None:
        thread = obj.data.get("thread") if isinstance(obj.data, dict) else None
        return thread if isinstance(thread, int) else None

    @staticmethod
    def resolve_title(obj: ModerationEntry) -> str:
        title = obj.data.get("title") if isinstance(obj.data, dict) else None
        return title if isinstance(title, str) else ""

    @staticmethod
    def resolve_appealable(obj: ModerationEntry) -> bool:
        return obj.action in APPEALABLE and obj.actor_id != obj.subject_id and _appeal_of(obj) is None

    @staticmethod
    def resolve_appeal(obj: ModerationEntry) -> Appeal | None:
        return _appeal_of(obj)


class AppealIn(InSchema):
    text: str = Field(min_length=1, max_length=2000, description="Why the action should be undone.")


class AppealEntryOut(Schema):
    id: int
    action: str
    action_label: str
    actor: PersonOut | None
    reason: str
    data: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_action_label(obj: ModerationEntry) -> str:
        return action_label(obj.action)


class AppealOut(AppealSummaryOut):
    """A member's appeal against one moderation log entry."""

    entry: AppealEntryOut = Field(description="The action appealed against.")
    appellant: PersonOut
    decided_by: PersonOut | None


class MyAppealOut(AppealSummaryOut):
    """Your appeal: the moderators will answer it."""

    entry_id: int


class AppealFilter(Schema):
    state: Literal["open", "granted", "denied", "all"] = Field(
        "open", description="open (oldest first), granted, denied or all (latest first)."
    )


class AppealDecisionIn(InSchema):
    grant: bool = Field(description="true undoes the action where it can; false lets it stand.")
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="The answer the member reads.")


# Threads and posts


class ModeratedPostOut(Schema):
    id: int
    thread_id: int
    author: PersonOut | None
    is_opening: bool
    is_hidden: bool = Field(description="Hidden posts are shown to moderators and their authors only.")
    deleted: bool
    created_at: datetime

    @staticmethod
    def resolve_deleted(obj: Post) -> bool:
        return obj.is_deleted


class MoveThreadIn(ReasonIn):
    space: str = Field(min_length=1, max_length=60, description="The address of the space to move it to.")


class MergeThreadIn(ReasonIn):
    target: int = Field(description="The id of the thread of this community to move every post into.")


class SplitThreadIn(ReasonIn):
    posts: list[int] = Field(
        min_length=1, max_length=500, description="Ids of replies of this thread; the earliest opens the new thread."
    )
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS, description="The new thread's title.")
    space: str | None = Field(None, max_length=60, description="A space's address; the same space when left out.")
