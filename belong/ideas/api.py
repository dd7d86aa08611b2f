"""The idea board: ideas, votes, statuses, merging, the roadmap, the changelog and private beta groups.

An idea's discussion is its thread's: replies, reactions and edits of replies go through the
conversations endpoints with the idea's id as the thread id.
"""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime, through
# decorators whose module cannot resolve string annotations.

from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
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
from belong.communities.permissions import can, check
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Product
from belong.core.errors import Invalid, NotFound
from belong.core.ratelimit import rate_limited
from belong.ideas import actions, queries
from belong.ideas.models import BetaGroup, BetaInvitation, Idea, IdeaCategory, IdeaStatus, IdeaVote, StatusChange
from belong.ideas.permissions import IdeaAction as Can
from belong.ideas.queries import Candidate, RoadmapColumn
from belong.ideas.schemas import (
    BetaGroupDetailOut,
    BetaGroupIn,
    BetaGroupOut,
    BetaInvitationOut,
    CandidateOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    ChangelogEntryOut,
    IdeaDetailOut,
    IdeaFilter,
    IdeaId,
    IdeaIn,
    IdeaOut,
    IdeaPatch,
    InvitationsIn,
    MergeIn,
    RoadmapColumnOut,
    SimilarFilter,
    SimilarIdeaOut,
    StatusChangeIn,
    StatusChangeOut,
    StatusIn,
    StatusOut,
    StatusPatch,
    VoteIn,
    VoterOut,
)

router = Router(tags=["ideas"])

COMMUNITY = "/communities/{slug}"
BOARD = COMMUNITY + "/ideas"
IDEA = BOARD + "/{idea_id}"
STATUS = BOARD + "/statuses/{key}"
CATEGORY = BOARD + "/categories/{category_slug}"
GROUP = COMMUNITY + "/beta-groups/{group_id}"
INVITATION = COMMUNITY + "/beta-invitations/{invitation_id}"

Viewer = User | AnonymousUser


# Pagination in the order queries.py gives


class BoardPagination(KeysetPagination):
    """Keyset pagination in the order the board's query ends with, each idea with the caller's vote.

    The board offers four orders, one of them by an annotation (votes in the trending window), and
    ideas are keyed by their thread, so the ordering is read per request and its `thread_id` tie
    breaker becomes `pk`.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=("-pk",), **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        ordering = tuple(_keyed(str(name)) for name in queryset.query.order_by)
        page = KeysetPagination(ordering=ordering, annotations=dict(queryset.query.annotations)).paginate_queryset(
            queryset, pagination, request
        )
        _with_my_votes(viewer_of(request), page["results"])
        return page


def _keyed(name: str) -> str:
    return name.replace("thread_id", "pk") if name.lstrip("-") == "thread_id" else name


# Lookups


def _community(slug: str) -> Community:
    return community_queries.get_community(slug)


def _idea(request: HttpRequest, slug: str, idea_id: int) -> Idea:
    return queries.get_idea(viewer_of(request), _community(slug), idea_id)


def _space_field(community: Community, space_slug: str) -> Space:
    """A space named in a body or a filter: unknown is invalid input, not a missing page."""
    try:
        return community_queries.get_space(community, space_slug)
    except NotFound as error:
        raise Invalid(_("No space at this address."), errors={"space": [_("Unknown space.")]}) from error


def _category_field(community: Community, category_slug: str | None) -> IdeaCategory | None:
    """The category a body names; empty means none."""
    if not category_slug:
        return None
    category = queries.categories_of(community).filter(slug=category_slug).first()
    if category is None:
        raise Invalid(_("Pick a category of this board."), errors={"category": [_("Unknown category.")]})
    return category


def _product_field(community: Community, product_slug: str | None) -> Product | None:
    """The product a body names; empty means none."""
    if not product_slug:
        return None
    product = conversation_queries.products_of(community).filter(slug=product_slug).first()
    if product is None:
        raise Invalid(_("Pick a product of this community."), errors={"product": [_("Unknown product.")]})
    return product


def _idea_field(viewer: Viewer, community: Community, idea_id: int, field: str) -> Idea:
    """An idea a body names by id: one the caller may not see is invalid input, not a missing page."""
    try:
        return queries.get_idea(viewer, community, idea_id)
    except NotFound as error:
        raise Invalid(_("No such idea."), errors={field: [_("Unknown idea.")]}) from error


def _members_field(handles: list[str]) -> list[User]:
    """The people behind the handles (any case), each once; an unknown handle is invalid input."""
    wanted = list(dict.fromkeys(handle.strip().lstrip("@").casefold() for handle in handles))
    query = reduce(or_, (Q(handle__iexact=handle) for handle in wanted), Q(pk__in=[]))
    found = {user.handle.casefold(): user for user in User.objects.filter(query, is_active=True)}
    unknown = [handle for handle in wanted if handle not in found]
    if unknown:
        raise Invalid(
            _("No one with these handles: %(handles)s") % {"handles": ", ".join(unknown)},
            errors={"members": [_("Unknown handle: %(handle)s") % {"handle": handle} for handle in unknown]},
        )
    return [found[handle] for handle in wanted]


def _with_my_votes(viewer: Viewer, ideas: list[Idea]) -> None:
    mine = queries.votes_by(viewer, ideas)
    for idea in ideas:
        vars(idea)["my_vote"] = {"importance": mine[idea.pk] or None} if idea.pk in mine else None


def _detail(request: HttpRequest, idea: Idea) -> Idea:
    """The idea with its description, the caller's vote, and the importance breakdown for the brand."""
    viewer = viewer_of(request)
    opening = idea.thread.posts.filter(is_opening=True).only("body", "body_html", "deleted_at").first()
    shown = opening is not None and not opening.is_deleted
    description, description_html = (opening.body, opening.body_html) if opening and shown else ("", "")
    slug = idea.community.slug
    thread = {"slug": slug, "thread_id": idea.pk}
    _with_my_votes(viewer, [idea])
    vars(idea).update(
        description=description,
        description_html=description_html,
        importance_counts=queries.importance_of(idea) if can(viewer, Can.VIEW_VOTERS, idea) else None,
        links={
            "page": reverse("ideas:detail", args=[slug, idea.pk]),
            "thread": reverse("api:get_thread", kwargs=thread),
            "posts": reverse("api:list_posts", kwargs=thread),
        },
    )
    return idea


def _fresh(request: HttpRequest, idea: Idea) -> Idea:
    return _detail(request, queries.get_idea(viewer_of(request), idea.community, idea.pk))


# The board (its addresses come before the ideas', so /ideas/similar or /ideas/statuses/vote is not read as an idea)


@router.get(
    BOARD,
    response={200: list[IdeaOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List ideas",
    operation_id="list_ideas",
)
@paginate(BoardPagination)
def list_ideas(request: HttpRequest, slug: str, filters: Query[IdeaFilter]) -> QuerySet[Idea]:
    """List the standing ideas you may see (merged duplicates left out), narrowed by the filters, in the sort asked.

    trending and top rank by live vote counts: a vote cast while you page can move an idea between pages.
    """
    community = _community(slug)
    narrowed = queries.IdeaFilter(
        status=filters.status,
        category=filters.category,
        product=filters.product,
        space=_space_field(community, filters.space) if filters.space else None,
        author=filters.author,
        text=filters.q,
        voted_by=user_of(request) if filters.voted == "me" else None,
        sort=filters.sort,
    )
    return queries.board(viewer_of(request), community, narrowed)


@router.post(
    BOARD,
    response={201: IdeaDetailOut, **WRITE_ERRORS},
    summary="Propose an idea",
    operation_id="create_idea",
)
@rate_limited
def create_idea(request: HttpRequest, slug: str, payload: IdeaIn) -> Status[Idea]:
    """Propose an idea in a space you may post in; your vote comes with it."""
    community = _community(slug)
    idea = actions.propose_idea(
        author=user_of(request),
        space=_space_field(community, payload.space),
        title=payload.title,
        description=payload.description,
        category=_category_field(community, payload.category),
        product=_product_field(community, payload.product),
    )
    return Status(201, _fresh(request, idea))


@router.get(
    BOARD + "/similar",
    response={200: list[SimilarIdeaOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Find similar ideas",
    operation_id="find_similar_ideas",
)
def find_similar_ideas(request: HttpRequest, slug: str, filters: Query[SimilarFilter]) -> list[Idea]:
    """Return the standing ideas most like a title being written, best first, so duplicates get votes instead."""
    viewer = viewer_of(request)
    ideas = queries.similar_ideas(viewer, _community(slug), filters.text, exclude=filters.exclude, limit=filters.limit)
    _with_my_votes(viewer, ideas)
    return ideas


# Statuses and categories


@router.get(
    BOARD + "/statuses",
    response={200: list[StatusOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the board's statuses",
    operation_id="list_idea_statuses",
)
@paginate(KeysetPagination, ordering=("position", "id"))
def list_idea_statuses(request: HttpRequest, slug: str) -> QuerySet[IdeaStatus]:
    """List the steps of the community's workflow in order; a new board starts with the built-in six."""
    community = _community(slug)
    queries.statuses(community)
    return IdeaStatus.objects.filter(community=community)


@router.post(
    BOARD + "/statuses",
    response={201: StatusOut, **WRITE_ERRORS},
    summary="Add a status",
    operation_id="create_idea_status",
)
@rate_limited
def create_idea_status(request: HttpRequest, slug: str, payload: StatusIn) -> Status[IdeaStatus]:
    """Add a step to the workflow (owners and community managers)."""
    fields = payload.model_dump(exclude={"key"}, exclude_none=True)
    status = actions.create_status(actor=user_of(request), community=_community(slug), key=payload.key, **fields)
    return Status(201, status)


@router.patch(
    STATUS,
    response={200: StatusOut, **WRITE_ERRORS},
    summary="Change a status",
    operation_id="update_idea_status",
)
@rate_limited
def update_idea_status(request: HttpRequest, slug: str, key: str, payload: StatusPatch) -> IdeaStatus:
    """Rename, reorder or change what a status means (owners and community managers); fields left out keep their value."""
    status = queries.get_status(_community(slug), key)
    return actions.update_status(actor=user_of(request), status=status, **payload.changes())


@router.delete(
    STATUS,
    response={200: list[StatusOut], **WRITE_ERRORS},
    summary="Delete a status",
    operation_id="delete_idea_status",
)
@rate_limited
def delete_idea_status(request: HttpRequest, slug: str, key: str) -> list[IdeaStatus]:
    """Remove a status no idea was ever in (owners and community managers); returns the workflow left."""
    community = _community(slug)
    actions.delete_status(actor=user_of(request), status=queries.get_status(community, key))
    return queries.statuses(community)


@router.get(
    BOARD + "/categories",
    response={200: list[CategoryOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List the board's categories",
    operation_id="list_idea_categories",
)
@paginate(KeysetPagination, ordering=("position", "name", "id"))
def list_idea_categories(request: HttpRequest, slug: str) -> QuerySet[IdeaCategory]:
    """List the product areas ideas are sorted into, in the managers' order."""
    return queries.categories_of(_community(slug))


@router.post(
    BOARD + "/categories",
    response={201: CategoryOut, **WRITE_ERRORS},
    summary="Add a category",
    operation_id="create_idea_category",
)
@rate_limited
def create_idea_category(request: HttpRequest, slug: str, payload: CategoryIn) -> Status[IdeaCategory]:
    """Add a category at the end of the list (owners and community managers)."""
    category = actions.create_category(
        actor=user_of(request), community=_community(slug), name=payload.name, slug=payload.slug
    )
    return Status(201, category)


@router.patch(
    CATEGORY,
    response={200: CategoryOut, **WRITE_ERRORS},
    summary="Change a category",
    operation_id="update_idea_category",
)
@rate_limited
def update_idea_category(request: HttpRequest, slug: str, category_slug: str, payload: CategoryPatch) -> IdeaCategory:
    """Rename or move a category (owners and community managers); its address stays."""
    category = queries.get_category(_community(slug), category_slug)
    return actions.update_category(actor=user_of(request), category=category, **payload.changes())


@router.delete(
    CATEGORY,
    response={200: list[CategoryOut], **WRITE_ERRORS},
    summary="Delete a category",
    operation_id="delete_idea_category",
)
@rate_limited
def delete_idea_category(request: HttpRequest, slug: str, category_slug: str) -> list[IdeaCategory]:
    """Remove a category (owners and community managers); its ideas stay without one. Returns the categories left."""
    community = _community(slug)
    actions.delete_category(actor=user_of(request), category=queries.get_category(community, category_slug))
    return list(queries.categories_of(community))


# One idea


@router.get(
    IDEA,
    response={200: IdeaDetailOut, **READ_ERRORS},
    auth=ANYONE,
    summary="Get an idea",
    operation_id="get_idea",
)
def get_idea(request: HttpRequest, slug: str, idea_id: IdeaId) -> Idea:
    """Return one idea with its description and your vote; a merged one names the idea it went into."""
    return _detail(request, _idea(request, slug, idea_id))


@router.patch(
    IDEA,
    response={200: IdeaDetailOut, **WRITE_ERRORS},
    summary="Change an idea",
    operation_id="update_idea",
)
@rate_limited
def update_idea(request: HttpRequest, slug: str, idea_id: IdeaId, payload: IdeaPatch) -> Idea:
    """Edit an idea's words, category or product (its author while it is open, moderators and the brand always),
    or hide or lock it (moderators); all of it or nothing changes."""
    user = user_of(request)
    community = _community(slug)
    idea = queries.get_idea(user, community, idea_id)
    changes = payload.changes()
    moderation = {name: changes.pop(name) for name in ("is_hidden", "is_locked") if name in changes}
    if "category" in changes:
        changes["category"] = _category_field(community, changes["category"])
    if "product" in changes:
        changes["product"] = _product_field(community, changes["product"])
    with transaction.atomic():
        if changes or not moderation:
            idea = actions.edit_idea(editor=user, idea=idea, **changes)
        if moderation:
            idea = actions.moderate_idea(
                actor=user, idea=idea, hidden=moderation.get("is_hidden"), locked=moderation.get("is_locked")
            )
    return _fresh(request, idea)


@router.put(
    IDEA + "/vote",
    response={200: IdeaDetailOut, **WRITE_ERRORS},
    summary="Vote for an idea",
    operation_id="vote_for_idea",
)
@rate_limited
def vote_for_idea(request: HttpRequest, slug: str, idea_id: IdeaId, payload: VoteIn | None = None) -> Idea:
    """Vote once for an idea that takes votes, or change how important it is to you (the body is optional);
    returns the idea."""
    idea = _idea(request, slug, idea_id)
    actions.vote(user=user_of(request), idea=idea, importance=(payload.importance if payload else None) or "")
    return _fresh(request, idea)


@router.delete(
    IDEA + "/vote",
    response={200: IdeaDetailOut, **WRITE_ERRORS},
    summary="Withdraw a vote",
    operation_id="withdraw_vote",
)
@rate_limited
def withdraw_vote(request: HttpRequest, slug: str, idea_id: IdeaId) -> Idea:
    """Take your vote back while the idea still takes votes; returns the idea."""
    idea = _idea(request, slug, idea_id)
    actions.withdraw_vote(user=user_of(request), idea=idea)
    return _fresh(request, idea)


@router.get(
    IDEA + "/voters",
    response={200: list[VoterOut], **READ_ERRORS},
    summary="List an idea's voters",
    operation_id="list_idea_voters",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_idea_voters(request: HttpRequest, slug: str, idea_id: IdeaId) -> QuerySet[IdeaVote]:
    """List who voted, with the importance each gave, latest first (the brand and moderators)."""
    user = user_of(request)
    idea = _idea(request, slug, idea_id)
    check(user, Can.VIEW_VOTERS, idea)
    return queries.voters_of(idea)


@router.post(
    IDEA + "/status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    summary="Change an idea's status",
    operation_id="change_idea_status",
)
@rate_limited
def change_idea_status(
    request: HttpRequest, slug: str, idea_id: IdeaId, payload: StatusChangeIn
) -> Status[StatusChange]:
    """Move an idea to another status with a public note (the brand); its voters and followers are e-mailed."""
    change = actions.change_status(
        actor=user_of(request), idea=_idea(request, slug, idea_id), status=payload.status, note=payload.note
    )
    return Status(201, change)


@router.get(
    IDEA + "/history",
    response={200: list[StatusChangeOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List an idea's status changes",
    operation_id="list_idea_history",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_idea_history(request: HttpRequest, slug: str, idea_id: IdeaId) -> QuerySet[StatusChange]:
    """List every move of the idea between statuses, latest first, with the brand's notes."""
    return queries.history_of(_idea(request, slug, idea_id))


@router.post(
    IDEA + "/merge",
    response={200: IdeaDetailOut, **WRITE_ERRORS},
    summary="Merge a duplicate into another idea",
    operation_id="merge_idea",
)
@rate_limited
def merge_idea(request: HttpRequest, slug: str, idea_id: IdeaId, payload: MergeIn) -> Idea:
    """Merge this idea into the target (moderators and the brand): votes, replies and followers move.
    Returns the idea that stands (the target, or the idea the target itself was merged into)."""
    user = user_of(request)
    community = _community(slug)
    source = queries.get_idea(user, community, idea_id)
    target = _idea_field(user, community, payload.target, "target")
    return _fresh(request, actions.merge_ideas(actor=user, source=source, target=target))


# The roadmap and the changelog


@router.get(
    COMMUNITY + "/roadmap",
    response={200: list[RoadmapColumnOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Get the roadmap",
    operation_id="get_roadmap",
)
def get_roadmap(request: HttpRequest, slug: str) -> list[RoadmapColumn]:
    """Return one column per roadmap status, in the workflow's order, each with its most voted ideas and its total."""
    viewer = viewer_of(request)
    columns = queries.roadmap(viewer, _community(slug))
    _with_my_votes(viewer, [idea for column in columns for idea in column.ideas])
    return columns


@router.get(
    COMMUNITY + "/changelog",
    response={200: list[ChangelogEntryOut], **READ_ERRORS},
    auth=ANYONE,
    summary="List shipped ideas",
    operation_id="list_changelog",
)
@paginate(BoardPagination)
def list_changelog(request: HttpRequest, slug: str) -> QuerySet[Idea]:
    """List the shipped ideas, latest first, each with the note the brand shipped it with."""
    return queries.changelog(viewer_of(request), _community(slug))


# Private beta groups


def _group_detail(user: User, group: BetaGroup) -> BetaGroup:
    """The group with everyone invited to it, for those who manage it."""
    managing = can(user, Can.MANAGE_BETA, group.community)
    invitations = queries.invitations_of(group).select_related("group__space")
    vars(group)["shown_invitations"] = list(invitations) if managing else None
    return group


def _group(request: HttpRequest, slug: str, group_id: int) -> BetaGroup:
    return queries.get_beta_group(user_of(request), _community(slug), group_id)


def _invitation(request: HttpRequest, slug: str, invitation_id: int) -> BetaInvitation:
    return queries.get_invitation(user_of(request), _community(slug), invitation_id)


@router.get(
    COMMUNITY + "/beta-groups",
    response={200: list[BetaGroupOut], **READ_ERRORS},
    summary="List private beta groups",
    operation_id="list_beta_groups",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_beta_groups(request: HttpRequest, slug: str) -> QuerySet[BetaGroup]:
    """List the groups you are in, newest first; the brand and moderators see all of them."""
    return queries.beta_groups_of(user_of(request), _community(slug))


@router.post(
    COMMUNITY + "/beta-groups",
    response={201: BetaGroupDetailOut, **WRITE_ERRORS},
    summary="Open a private beta group",
    operation_id="create_beta_group",
)
@rate_limited
def create_beta_group(request: HttpRequest, slug: str, payload: BetaGroupIn) -> Status[BetaGroup]:
    """Open a group with its own restricted space, tied to an idea or a product (owners and community managers)."""
    user = user_of(request)
    community = _community(slug)
    group = actions.create_beta_group(
        actor=user,
        community=community,
        name=payload.name,
        description=payload.description,
        idea=_idea_field(user, community, payload.idea, "idea") if payload.idea is not None else None,
        product=_product_field(community, payload.product),
    )
    return Status(201, _group_detail(user, queries.get_beta_group(user, community, group.pk)))


@router.get(
    GROUP,
    response={200: BetaGroupDetailOut, **READ_ERRORS},
    summary="Get a private beta group",
    operation_id="get_beta_group",
)
def get_beta_group(request: HttpRequest, slug: str, group_id: int) -> BetaGroup:
    """Return a group you are in; its managers also get everyone invited and their answers."""
    return _group_detail(user_of(request), _group(request, slug, group_id))


@router.post(
    GROUP + "/invitations",
    response={201: list[BetaInvitationOut], **WRITE_ERRORS},
    summary="Invite members to a beta group",
    operation_id="invite_to_beta_group",
)
@rate_limited
def invite_to_beta_group(
    request: HttpRequest, slug: str, group_id: int, payload: InvitationsIn
) -> Status[list[BetaInvitation]]:
    """Invite active members by handle (owners and community managers); each is e-mailed and answers later."""
    group = _group(request, slug, group_id)
    invitations = actions.invite_to_beta(
        actor=user_of(request), group=group, users=_members_field(payload.members), message=payload.message
    )
    invited = queries.invitations_of(group).select_related("group__space").filter(pk__in=[i.pk for i in invitations])
    return Status(201, list(invited))


@router.get(
    GROUP + "/candidates",
    response={200: list[CandidateOut], **READ_ERRORS},
    summary="Suggest members to invite",
    operation_id="suggest_beta_candidates",
)
def suggest_beta_candidates(request: HttpRequest, slug: str, group_id: int) -> list[Candidate]:
    """Suggest members worth inviting, with why: who said the idea matters, the product's reviewers, experts."""
    group = _group(request, slug, group_id)
    check(user_of(request), Can.MANAGE_BETA, group.community)
    return queries.beta_candidates(group)


@router.get(
    COMMUNITY + "/beta-invitations",
    response={200: list[BetaInvitationOut], **READ_ERRORS},
    summary="Your beta invitations",
    operation_id="list_my_beta_invitations",
)
@paginate(KeysetPagination, ordering=("-created_at", "-id"))
def list_my_beta_invitations(request: HttpRequest, slug: str) -> QuerySet[BetaInvitation]:
    """List the invitations to the community's beta groups waiting for your answer, newest first."""
    return queries.pending_invitations(user_of(request), _community(slug)).select_related("user")


@router.post(
    INVITATION + "/accept",
    response={200: BetaInvitationOut, **WRITE_ERRORS},
    summary="Accept a beta invitation",
    operation_id="accept_beta_invitation",
)
@rate_limited
def accept_beta_invitation(request: HttpRequest, slug: str, invitation_id: int) -> BetaInvitation:
    """Join the group you were invited to, and its space."""
    invitation = actions.answer_beta_invitation(
        user=user_of(request), invitation=_invitation(request, slug, invitation_id), accept=True
    )
    return _invitation(request, slug, invitation.pk)


@router.post(
    INVITATION + "/decline",
    response={200: BetaInvitationOut, **WRITE_ERRORS},
    summary="Decline a beta invitation",
    operation_id="decline_beta_invitation",
)
@rate_limited
def decline_beta_invitation(request: HttpRequest, slug: str, invitation_id: int) -> BetaInvitation:
    """Say no to an invitation; the group's managers may invite you again later."""
    invitation = actions.answer_beta_invitation(
        user=user_of(request), invitation=_invitation(request, slug, invitation_id), accept=False
    )
    return _invitation(request, slug, invitation.pk)


@router.delete(
    INVITATION,
    response={200: BetaInvitationOut, **WRITE_ERRORS},
    summary="Remove someone from a beta group",
    operation_id="remove_from_beta_group",
)
@rate_limited
def remove_from_beta_group(request: HttpRequest, slug: str, invitation_id: int) -> BetaInvitation:
    """Withdraw an invitation, or take a member out of the group and its space (owners and community managers)."""
    invitation = actions.remove_from_beta(actor=user_of(request), invitation=_invitation(request, slug, invitation_id))
    return _invitation(request, slug, invitation.pk)
