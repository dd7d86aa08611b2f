"""Moderation: rules, settings, flags, the review queue, the log, sanctions, notes, appeals and thread surgery.

Suspending, banning and reinstating members are the communities router's (`…/members/{member_id}/suspend`).
"""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from belong.api.auth import ANYONE, user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities import queries as community_queries
from belong.communities.models import Community, Membership, Space
from belong.communities.permissions import Action, check
from belong.conversations import moderation as thread_moderation
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Post, Thread
from belong.conversations.schemas import ThreadOut
from belong.core.errors import Invalid, NotFound
from belong.core.models import ModerationEntry
from belong.core.ratelimit import rate_limited
from belong.moderation import actions, queries
from belong.moderation.models import Appeal, MemberNote, ModerationSettings, ReviewItem, Rule, RuleAcceptance
from belong.moderation.permissions import ModerationAction as Can
from belong.moderation.schemas import (
    AppealDecisionIn,
    AppealFilter,
    AppealIn,
    AppealOut,
    DecisionIn,
    FlagIn,
    FlagOut,
    LogFilter,
    MergeThreadIn,
    ModeratedMemberOut,
    ModeratedPostOut,
    ModerationEntryOut,
    ModerationSettingsOut,
    ModerationSettingsPatch,
    MoveThreadIn,
    MyAppealOut,
    NoteIn,
    NoteOut,
    OptionalReasonIn,
    ReasonIn,
    RecordEntryOut,
    ReviewFilter,
    ReviewItemOut,
    RuleIn,
    RuleMoveIn,
    RuleOut,
    RulePatch,
    RulesAcceptedOut,
    SilenceIn,
    SplitThreadIn,
)

router = Router(tags=["moderation"])

COMMUNITY = "/communities/{slug}"
RULES = COMMUNITY + "/rules"
RULE = RULES + "/{rule_id}"
SETTINGS = COMMUNITY + "/moderation/settings"
LOG = COMMUNITY + "/moderation/log"
RECORD = COMMUNITY + "/moderation/record"
QUEUE = COMMUNITY + "/review-items"
ITEM = QUEUE + "/{item_id}"
MEMBER = COMMUNITY + "/members/{member_id}"
APPEALS = COMMUNITY + "/appeals"
POST = COMMUNITY + "/posts/{post_id}"
THREAD = COMMUNITY + "/threads/{thread_id}"


class QueryOrderPagination(KeysetPagination):
    """Keyset pagination in the order queries.py gives: the queue and appeals run oldest first while open,
    latest first once decided, so the ordering is read per request."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=("-id",), **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        ordering = tuple(str(name) for name in queryset.query.order_by)
        page = KeysetPagination(ordering=ordering, annotations=dict(queryset.query.annotations))
        return page.paginate_queryset(queryset, pagination, request)


# Lookups


def _community(slug: str) -> Community:
    return community_queries.get_community(slug)


def _rule(community: Community, rule_id: int) -> Rule:
    rule = Rule.objects.filter(community=community, pk=rule_id).select_related("community").first()
    if rule is None:
        raise NotFound(_("No such rule."))
    return rule


def _membership(community: Community, member_id: int) -> Membership:
    return community_queries.get_membership(community, member_id)


def _space_field(community: Community, space_slug: str) -> Space:
    """A space named in a body: unknown is invalid input, not a missing page."""
    try:
        return community_queries.get_space(community, space_slug)
    except NotFound as error:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]}) from error


def _thread_out(request: HttpRequest, community: Community, thread_id: int) -> Thread:
    return conversation_queries.get_thread(viewer_of(request), community, thread_id)


def _post_out(post_id: int) -> Post:
    return Post.objects.select_related("author").get(pk=post_id)


# Rules


@router.get(
    RULES,
    response={200: list[RuleOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the rules",
    operation_id="list_rules",
)
@paginate(KeysetPagination, ordering=("position", "id"))
def list_rules(request: HttpRequest, slug: str) -> QuerySet[Rule]:
    """List the community's rules in the order members read them; anyone who can see the community may."""
    community = _community(slug)
    check(viewer_of(request), Action.VIEW_COMMUNITY, community)
    return Rule.objects.filter(community=community)


@router.post(
    RULES,
    response={201: RuleOut, **WRITE_ERRORS},
    summary="Add a rule",
    operation_id="add_rule",
)
@rate_limited
def add_rule(request: HttpRequest, slug: str, payload: RuleIn) -> Status[Rule]:
    """Add a rule at the end of the list (owners and community managers); members are asked to accept the rules
    again. A community has at most 50 rules (409)."""
    rule = actions.add_rule(
        actor=user_of(request), community=_community(slug), title=payload.title, description=payload.description
    )
    return Status(201, rule)


@router.post(
    RULES + "/accept",
    response={200: RulesAcceptedOut, **WRITE_ERRORS},
    summary="Accept the rules",
    operation_id="accept_rules",
)
@rate_limited
def accept_rules(request: HttpRequest, slug: str) -> RuleAcceptance:
    """Say that you accept the rules as they stand now; accepting the same revision again changes nothing."""
    return actions.accept_rules(user=user_of(request), community=_community(slug))


@router.patch(
    RULE,
    response={200: RuleOut, **WRITE_ERRORS},
    summary="Change a rule",
    operation_id="update_rule",
)
@rate_limited
def update_rule(request: HttpRequest, slug: str, rule_id: int, payload: RulePatch) -> Rule:
    """Reword a rule (owners and community managers); fields left out keep their value."""
    rule = _rule(_community(slug), rule_id)
    changes = payload.changes()
    return actions.update_rule(
        actor=user_of(request),
        rule=rule,
        title=changes.get("title", rule.title),
        description=changes.get("description", rule.description),
    )


@router.delete(
    RULE,
    response={204: None, **WRITE_ERRORS},
    summary="Remove a rule",
    operation_id="remove_rule",
)
@rate_limited
def remove_rule(request: HttpRequest, slug: str, rule_id: int) -> Status[None]:
    """Remove a rule (owners and community managers); flags that cited it keep its words."""
    actions.remove_rule(actor=user_of(request), rule=_rule(_community(slug), rule_id))
    return Status(204, None)


@router.post(
    RULE + "/move",
    response={200: list[RuleOut], **WRITE_ERRORS},
    summary="Move a rule up or down",
    operation_id="move_rule",
)
@rate_limited
def move_rule(request: HttpRequest, slug: str, rule_id: int, payload: RuleMoveIn) -> list[Rule]:
    """Swap a rule with its neighbour above or below (owners and community managers); answers with every rule in
    the new order."""
    rule = _rule(_community(slug), rule_id)
    return actions.move_rule(actor=user_of(request), rule=rule, up=payload.direction == "up")


# Settings


@router.get(
    SETTINGS,
    response={200: ModerationSettingsOut, **READ_ERRORS},
    summary="Get the moderation settings",
    operation_id="get_moderation_settings",
)
def get_moderation_settings(request: HttpRequest, slug: str) -> ModerationSettings:
    """Return how the community is moderated: approval of new members, flag weight, blocked words, links (owners and
    community managers)."""
    community = _community(slug)
    check(user_of(request), Can.MANAGE_MODERATION_SETTINGS, community)
    return actions.settings_for(community)


@router.patch(
    SETTINGS,
    response={200: ModerationSettingsOut, **WRITE_ERRORS},
    summary="Change the moderation settings",
    operation_id="update_moderation_settings",
)
@rate_limited
def update_moderation_settings(request: HttpRequest, slug: str, payload: ModerationSettingsPatch) -> ModerationSettings:
    """Change how the community is moderated (owners and community managers); fields left out keep their value.
    The change is written to the moderation log."""
    return actions.update_settings(actor=user_of(request), community=_community(slug), **payload.changes())


# Flags


@router.post(
    POST + "/flags",
    response={201: FlagOut, **WRITE_ERRORS},
    summary="Flag a post",
    operation_id="flag_post",
)
@rate_limited
def flag_post(request: HttpRequest, slug: str, post_id: int, payload: FlagIn) -> Status[Any]:
    """Flag someone else's post for the moderators (members from trust level 1), once per post (409 the second
    time); enough flags hide it until a moderator decides. Your own post is 422."""
    community = _community(slug)
    post = conversation_queries.get_post(viewer_of(request), community, post_id)
    rule = None
    if payload.rule is not None:
        rule = Rule.objects.filter(community=community, pk=payload.rule).first()
        if rule is None:
            raise Invalid(_("Pick a rule of this community."), errors={"rule": [_("Unknown rule.")]})
    flag = actions.flag_post(flagger=user_of(request), post=post, reason=payload.reason, rule=rule, text=payload.text)
    return Status(201, flag)


# The review queue


@router.get(
    QUEUE,
    response={200: list[ReviewItemOut], **READ_ERRORS},
    summary="List the review queue",
    operation_id="list_review_items",
)
@paginate(QueryOrderPagination)
def list_review_items(request: HttpRequest, slug: str, filters: Query[ReviewFilter]) -> QuerySet[ReviewItem]:
    """List the posts waiting for review, oldest first, with their flags (moderators, staff and managers); with
    another `state`, the decided ones, latest decision first."""
    return queries.queue(
        user_of(request), _community(slug), state=filters.state, source=filters.source.value if filters.source else ""
    )


@router.get(
    ITEM,
    response={200: ReviewItemOut, **READ_ERRORS},
    summary="Get a review item",
    operation_id="get_review_item",
)
def get_review_item(request: HttpRequest, slug: str, item_id: int) -> ReviewItem:
    """Return one item of the queue with its post and flags (moderators, staff and managers)."""
    return queries.review_item(user_of(request), _community(slug), item_id)


@router.post(
    ITEM + "/claim",
    response={200: ReviewItemOut, **WRITE_ERRORS},
    summary="Claim a review item",
    operation_id="claim_review_item",
)
@rate_limited
def claim_review_item(request: HttpRequest, slug: str, item_id: int) -> ReviewItem:
    """Take an item so that no other moderator works on it for 30 minutes. Claimed by another moderator, or
    resolved already: 409."""
    user, community = user_of(request), _community(slug)
    actions.claim_item(moderator=user, item=queries.review_item(user, community, item_id))
    return queries.review_item(user, community, item_id)


@router.post(
    ITEM + "/release",
    response={200: ReviewItemOut, **WRITE_ERRORS},
    summary="Release a review item",
    operation_id="release_review_item",
)
@rate_limited
def release_review_item(request: HttpRequest, slug: str, item_id: int) -> ReviewItem:
    """Give an item you claimed back to the queue; one you have not claimed is 409."""
    user, community = user_of(request), _community(slug)
    actions.release_item(moderator=user, item=queries.review_item(user, community, item_id))
    return queries.review_item(user, community, item_id)


@router.post(
    ITEM + "/decision",
    response={200: ReviewItemOut, **WRITE_ERRORS},
    summary="Decide a review item",
    operation_id="decide_review_item",
)
@rate_limited
def decide_review_item(request: HttpRequest, slug: str, item_id: int, payload: DecisionIn) -> ReviewItem:
    """Approve, reject, edit or hide the post, with a reason the author is told (required except to approve).
    An item resolved already, or claimed by another moderator, is 409 and nothing changes."""
    user, community = user_of(request), _community(slug)
    actions.decide_item(
        moderator=user,
        item=queries.review_item(user, community, item_id),
        decision=payload.decision,
        reason=payload.reason,
        body=payload.body,
    )
    return queries.review_item(user, community, item_id)


# The moderation log


@router.get(
    LOG,
    response={200: list[ModerationEntryOut], **READ_ERRORS},
    summary="List the moderation log",
    operation_id="list_moderation_log",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_moderation_log(request: HttpRequest, slug: str, filters: Query[LogFilter]) -> QuerySet[ModerationEntry]:
    """List what moderators (and the system) did, latest first, narrowed by action, moderator, member and days
    (moderators, staff and managers)."""
    return queries.moderation_log(
        user_of(request),
        _community(slug),
        action=filters.action or "",
        actor=filters.actor or "",
        subject=filters.subject or "",
        since=filters.since,
        until=filters.until,
    )


@router.get(
    LOG + "/{entry_id}",
    response={200: ModerationEntryOut, **READ_ERRORS},
    summary="Get a moderation log entry",
    operation_id="get_moderation_log_entry",
)
def get_moderation_log_entry(request: HttpRequest, slug: str, entry_id: int) -> ModerationEntry:
    """Return one entry of the moderation log with its appeal (moderators, staff and managers)."""
    return queries.log_entry(user_of(request), _community(slug), entry_id)


# Members (suspend, ban and reinstate are in the communities router)


@router.post(
    MEMBER + "/warn",
    response={201: ModerationEntryOut, **WRITE_ERRORS},
    summary="Warn a member",
    operation_id="warn_member",
)
@rate_limited
def warn_member(request: HttpRequest, slug: str, member_id: int, payload: ReasonIn) -> Status[ModerationEntry]:
    """Warn a member on the record, with a reason they are told (moderators and up, on members they outrank);
    answers with the log entry."""
    user, community = user_of(request), _community(slug)
    entry = actions.warn_member(actor=user, membership=_membership(community, member_id), reason=payload.reason)
    return Status(201, queries.log_entry(user, community, entry.pk))


@router.post(
    MEMBER + "/silence",
    response={200: ModeratedMemberOut, **WRITE_ERRORS},
    summary="Silence a member",
    operation_id="silence_member",
)
@rate_limited
def silence_member(request: HttpRequest, slug: str, member_id: int, payload: SilenceIn) -> Membership:
    """Let a member read and react but not post until a date in the future, with a reason they are told
    (moderators and up, on members they outrank; never an owner)."""
    community = _community(slug)
    actions.silence_member(
        actor=user_of(request),
        membership=_membership(community, member_id),
        until=payload.until,
        reason=payload.reason,
    )
    return _membership(community, member_id)


@router.post(
    MEMBER + "/unsilence",
    response={200: ModeratedMemberOut, **WRITE_ERRORS},
    summary="Lift a silence",
    operation_id="unsilence_member",
)
@rate_limited
def unsilence_member(request: HttpRequest, slug: str, member_id: int, payload: OptionalReasonIn) -> Membership:
    """Let a silenced member post again before the silence ends; a member who is not silenced is 409."""
    community = _community(slug)
    actions.unsilence_member(
        actor=user_of(request), membership=_membership(community, member_id), reason=payload.reason
    )
    return _membership(community, member_id)


@router.get(
    MEMBER + "/notes",
    response={200: list[NoteOut], **READ_ERRORS},
    summary="List the notes on a member",
    operation_id="list_member_notes",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_member_notes(request: HttpRequest, slug: str, member_id: int) -> QuerySet[MemberNote]:
    """List the moderators' private notes on a member, latest first (moderators, staff and managers); the member
    never sees them."""
    user, community = user_of(request), _community(slug)
    check(user, Can.NOTE_MEMBER, community)
    return queries.notes_on(user, community, _membership(community, member_id).user)


@router.post(
    MEMBER + "/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Add a note on a member",
    operation_id="add_member_note",
)
@rate_limited
def add_member_note(request: HttpRequest, slug: str, member_id: int, payload: NoteIn) -> Status[MemberNote]:
    """Keep a private note on a member for the other moderators (moderators, staff and managers)."""
    user, community = user_of(request), _community(slug)
    check(user, Can.NOTE_MEMBER, community)
    subject = _membership(community, member_id).user
    note = actions.add_note(author=user, community=community, subject=subject, body=payload.body)
    return Status(201, note)


# Appeals


@router.get(
    RECORD,
    response={200: list[RecordEntryOut], **READ_ERRORS},
    summary="Your moderation record",
    operation_id="list_my_moderation_record",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_my_moderation_record(request: HttpRequest, slug: str) -> QuerySet[ModerationEntry]:
    """List what moderators did concerning you in the community, latest first, each with your appeal; nobody
    else's entries."""
    return queries.record_of(user_of(request), _community(slug))


@router.post(
    RECORD + "/{entry_id}/appeal",
    response={201: MyAppealOut, **WRITE_ERRORS},
    summary="Appeal a moderation action",
    operation_id="appeal_moderation_entry",
)
@rate_limited
def appeal_moderation_entry(request: HttpRequest, slug: str, entry_id: int, payload: AppealIn) -> Status[Appeal]:
    """Ask the moderators to undo an action taken against you, once per action (409 the second time). An entry
    that is not about you is 404; one that cannot be appealed (a lifted silence, …) is 422."""
    user = user_of(request)
    entry = queries.own_entry(user, _community(slug), entry_id)
    return Status(201, actions.appeal(user=user, entry=entry, text=payload.text))


@router.get(
    APPEALS,
    response={200: list[AppealOut], **READ_ERRORS},
    summary="List appeals",
    operation_id="list_appeals",
)
@paginate(QueryOrderPagination)
def list_appeals(request: HttpRequest, slug: str, filters: Query[AppealFilter]) -> QuerySet[Appeal]:
    """List members' appeals with the actions appealed (moderators, staff and managers): open ones oldest first,
    decided ones latest first."""
    state = "" if filters.state == "all" else filters.state
    return queries.appeals(user_of(request), _community(slug), state=state)


@router.post(
    APPEALS + "/{appeal_id}/decision",
    response={200: AppealOut, **WRITE_ERRORS},
    summary="Decide an appeal",
    operation_id="decide_appeal",
)
@rate_limited
def decide_appeal(request: HttpRequest, slug: str, appeal_id: int, payload: AppealDecisionIn) -> Appeal:
    """Grant an appeal (the action is undone where it can be) or deny it, with a reason the member reads
    (moderators, staff and managers). An appeal decided already is 409."""
    user, community = user_of(request), _community(slug)
    appeal = queries.appeal_for(user, community, appeal_id)
    actions.decide_appeal(moderator=user, appeal=appeal, grant=payload.grant, reason=payload.reason)
    return queries.appeal_for(user, community, appeal_id)


# Threads and posts


@router.post(
    POST + "/hide",
    response={200: ModeratedPostOut, **WRITE_ERRORS},
    summary="Hide a post",
    operation_id="hide_post",
)
@rate_limited
def hide_post(request: HttpRequest, slug: str, post_id: int, payload: ReasonIn) -> Post:
    """Hide one post from everyone but its author and the moderators, with a reason the author is told (hiding an
    opening post hides its thread). A hidden or deleted post is 409."""
    user = user_of(request)
    post = conversation_queries.get_post(user, _community(slug), post_id)
    return _post_out(thread_moderation.hide_post(actor=user, post=post, reason=payload.reason).pk)


@router.post(
    POST + "/unhide",
    response={200: ModeratedPostOut, **WRITE_ERRORS},
    summary="Show a hidden post again",
    operation_id="unhide_post",
)
@rate_limited
def unhide_post(request: HttpRequest, slug: str, post_id: int, payload: OptionalReasonIn) -> Post:
    """Show a hidden post again (moderators); a post that is not hidden is 409."""
    user = user_of(request)
    post = conversation_queries.get_post(user, _community(slug), post_id)
    return _post_out(thread_moderation.unhide_post(actor=user, post=post, reason=payload.reason).pk)


@router.post(
    THREAD + "/move",
    response={200: ThreadOut, **WRITE_ERRORS},
    summary="Move a thread",
    operation_id="move_thread",
)
@rate_limited
def move_thread(request: HttpRequest, slug: str, thread_id: int, payload: MoveThreadIn) -> Thread:
    """Move a thread to another space of the community, with a reason (moderators). Its own space is 409; an idea's
    thread is 422."""
    user, community = user_of(request), _community(slug)
    thread = conversation_queries.get_thread(user, community, thread_id)
    space = _space_field(community, payload.space)
    thread_moderation.move_thread(actor=user, thread=thread, space=space, reason=payload.reason)
    return _thread_out(request, community, thread_id)


@router.post(
    THREAD + "/merge",
    response={200: ThreadOut, **WRITE_ERRORS},
    summary="Merge a thread into another",
    operation_id="merge_thread",
)
@rate_limited
def merge_thread(request: HttpRequest, slug: str, thread_id: int, payload: MergeThreadIn) -> Thread:
    """Move every post of this thread into `target`, in date order, with a reason (moderators); this thread keeps
    its address, locked, and points there. Answers with the target."""
    user, community = user_of(request), _community(slug)
    source = conversation_queries.get_thread(user, community, thread_id)
    try:
        target = conversation_queries.get_thread(user, community, payload.target)
    except NotFound as error:
        raise Invalid(_("Pick a thread of this community."), errors={"target": [_("Unknown thread.")]}) from error
    merged = thread_moderation.merge_threads(actor=user, source=source, target=target, reason=payload.reason)
    return _thread_out(request, community, merged.pk)


@router.post(
    THREAD + "/split",
    response={201: ThreadOut, **WRITE_ERRORS},
    summary="Split replies into a new thread",
    operation_id="split_thread",
)
@rate_limited
def split_thread(request: HttpRequest, slug: str, thread_id: int, payload: SplitThreadIn) -> Status[Thread]:
    """Move chosen replies into a new thread, the earliest of them opening it, with a reason (moderators).
    Answers with the new thread."""
    user, community = user_of(request), _community(slug)
    thread = conversation_queries.get_thread(user, community, thread_id)
    space = _space_field(community, payload.space) if payload.space else None
    new_thread = thread_moderation.split_thread(
        actor=user, thread=thread, post_ids=payload.posts, title=payload.title, reason=payload.reason, space=space
    )
    return Status(201, _thread_out(request, community, new_thread.pk))
