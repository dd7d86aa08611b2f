"""Every read of the idea board used by pages and the API, with a fixed number of queries per list.

An idea is visible exactly when its thread is (`conversations.queries.visible_threads`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import Community, Membership, MembershipState, Role, Space
from belong.communities.queries import spaces_visible_to
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.queries import visible_threads
from belong.core import semantic
from belong.core.errors import NotFound
from belong.ideas import similarity
from belong.ideas.defaults import statuses_of
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaVote,
    Importance,
    StatusChange,
)

SORTS = ("trending", "top", "new", "active")
ROADMAP_COLUMN_SIZE = 20
SIMILAR_CANDIDATES = 2000  # titles compared per keystroke, the most voted first


def trending_window() -> timedelta:
    return timedelta(days=settings.BELONG_IDEA_TRENDING_DAYS)


@dataclass(frozen=True)
class IdeaFilter:
    """What the board is narrowed to and how it is ordered; every field is optional."""

    status: str | None = None
    category: str | None = None
    product: str | None = None
    space: Space | None = None
    author: str | None = None
    text: str | None = None
    voted_by: Any = None
    sort: str = "trending"


def visible_ideas(user: Any, community: Community) -> QuerySet[Idea]:
    """Ideas whose threads the person can see (merged ones included, for their redirects)."""
    return Idea.objects.filter(community=community, thread__in=visible_threads(user, community).values("pk"))


def _with_row_data(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    recent = (
        IdeaVote.objects.filter(idea=OuterRef("pk"), created_at__gte=timezone.now() - trending_window())
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ideas.select_related("thread__author", "thread__space", "status", "category", "product").annotate(
        recent_votes=Coalesce(Subquery(recent), Value(0))
    )


ORDERINGS = {
    "trending": ("-recent_votes", "-vote_count", "-created_at", "-thread_id"),
    "top": ("-vote_count", "-created_at", "-thread_id"),
    "new": ("-created_at", "-thread_id"),
    "active": ("-thread__last_activity_at", "-thread_id"),
}


def board(user: Any, community: Community, filters: IdeaFilter | None = None) -> QuerySet[Idea]:
    """The board: standing (not merged) ideas, filtered and sorted, with what each row shows."""
    filters = filters or IdeaFilter()
    ideas = visible_ideas(user, community).filter(merged_into__isnull=True)
    if filters.status:
        ideas = ideas.filter(status__key=filters.status)
    if filters.category:
        ideas = ideas.filter(category__slug=filters.category)
    if filters.product:
        ideas = ideas.filter(product__slug=filters.product)
    if filters.space is not None:
        ideas = ideas.filter(thread__space=filters.space)
    if filters.author:
        ideas = ideas.filter(thread__author__handle__iexact=filters.author)
    if filters.text:
        ideas = ideas.filter(thread__title__icontains=filters.text.strip())
    if filters.voted_by is not None:
        ideas = ideas.filter(votes__user=filters.voted_by) if filters.voted_by.is_authenticated else ideas.none()
    return _with_row_data(ideas).order_by(*ORDERINGS.get(filters.sort, ORDERINGS["trending"]))


def _pain_points() -> Prefetch[Any]:
    """The standing pain-point themes linked to an idea, biggest first, as `idea.pain_points`.

    Themes live in insights, which depends on ideas: the model is reached through the reverse
    relation rather than imported.
    """
    theme: Any = Idea._meta.get_field("themes").related_model
    standing = theme.objects.filter(merged_into__isnull=True).order_by("-size", "-id")
    return Prefetch("themes", queryset=standing, to_attr="pain_points")


def get_idea(user: Any, community: Community, idea_id: int) -> Idea:
    idea = (
        _with_row_data(visible_ideas(user, community))
        .select_related("thread__community", "merged_into__thread", "community")
        .prefetch_related(_pain_points())
        .filter(pk=idea_id)
        .first()
    )
    if idea is None:
        raise NotFound(_("No such idea."))
    return idea


def votes_by(user: Any, ideas: list[Idea]) -> dict[int, str]:
    """The person's votes on these ideas as {idea id: importance} (one query)."""
    if not getattr(user, "is_authenticated", False) or not ideas:
        return {}
    votes = IdeaVote.objects.filter(user=user, idea__in=[idea.pk for idea in ideas])
    return dict(votes.values_list("idea_id", "importance"))


@dataclass
class RoadmapColumn:
    status: IdeaStatus
    ideas: list[Idea] = field(default_factory=list)
    total: int = 0


def roadmap(user: Any, community: Community, *, per_column: int = ROADMAP_COLUMN_SIZE) -> list[RoadmapColumn]:
    """One column per roadmap status with its most voted ideas, in three queries whatever the size."""
    columns = {status.pk: RoadmapColumn(status) for status in statuses_of(community) if status.on_roadmap}
    standing = visible_ideas(user, community).filter(merged_into__isnull=True, status__in=list(columns))
    for status_id, total in standing.values_list("status").annotate(n=Count("pk")).order_by():
        columns[status_id].total = total
    ranked = _with_row_data(standing).annotate(
        place=Window(
            RowNumber(), partition_by=[F("status_id")], order_by=[F("vote_count").desc(), F("created_at").desc()]
        )
    )
    for idea in ranked.filter(place__lte=per_column).order_by("status__position", "place"):
        columns[idea.status_id].ideas.append(idea)
    return list(columns.values())


def changelog(user: Any, community: Community) -> QuerySet[Idea]:
    """Shipped ideas, newest first, each with the note the brand shipped it with ("you said, we did")."""
    note = StatusChange.objects.filter(idea=OuterRef("pk"), to_status__is_shipped=True).order_by("-created_at")
    return (
        _with_row_data(visible_ideas(user, community).filter(merged_into__isnull=True, status__is_shipped=True))
        .annotate(shipped_note_html=Subquery(note.values("note_html")[:1]))
        .order_by("-shipped_at", "-thread_id")
    )


def history_of(idea: Idea) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(idea=idea).select_related("from_status", "to_status", "changed_by")


def voters_of(idea: Idea) -> QuerySet[IdeaVote]:
    return IdeaVote.objects.filter(idea=idea).select_related("user").order_by("-created_at", "-id")


def importance_of(idea: Idea) -> dict[str, int]:
    """How many voters gave each importance ("" for those who gave none)."""
    counts = dict(IdeaVote.objects.filter(idea=idea).values_list("importance").annotate(n=Count("pk")).order_by())
    return {key: counts.get(key, 0) for key in ["", *Importance.values]}


def merged_into_this(idea: Idea) -> list[Idea]:
    """Duplicates merged into the idea, each with its description as `description_html`."""
    opening = Post.objects.filter(thread_id=OuterRef("pk"), is_opening=True).values("body_html")[:1]
    return list(
        Idea.objects.filter(merged_into=idea)
        .select_related("thread__author")
        .annotate(description_html=Subquery(opening))
        .order_by("-merged_at")
    )


def similar_ideas(
    user: Any, community: Community, text: str, *, exclude: int | None = None, limit: int = 5
) -> list[Idea]:
    """Standing ideas most like the text, best first, each with a `similarity` from 0 to 1.

    By meaning (the opening posts' embeddings, so a duplicate in another language is found) when
    insights is on and the ideas have been analysed; by words otherwise (`similarity.rank`).
    """
    if len(text.strip()) < 3:
        return []
    candidates = visible_ideas(user, community).filter(merged_into__isnull=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    opening = Post.objects.filter(thread=OuterRef("thread_id"), is_opening=True).values("pk")[:1]
    rows = list(
        candidates.annotate(opening=Subquery(opening))
        .order_by("-vote_count", "-thread_id")
        .values_list("pk", "opening", "thread__title")[:SIMILAR_CANDIDATES]
    )
    by_meaning = semantic.rank(
        community.pk, text, [(pk, post) for pk, post, _title in rows if post is not None], limit=limit
    )
    ranked = semantic.with_fallback(by_meaning, text, rows, limit=limit, lexical=similarity.rank)
    found = _with_row_data(Idea.objects.filter(pk__in=[pk for pk, _score in ranked])).in_bulk()
    ideas = []
    for pk, score in ranked:
        idea = found[pk]
        idea.similarity = score  # type: ignore[attr-defined]
        ideas.append(idea)
    return ideas


def statuses(community: Community) -> list[IdeaStatus]:
    return statuses_of(community)


def categories_of(community: Community) -> QuerySet[IdeaCategory]:
    return IdeaCategory.objects.filter(community=community)


def get_category(community: Community, slug: str) -> IdeaCategory:
    category = IdeaCategory.objects.filter(community=community, slug=slug).select_related("community").first()
    if category is None:
        raise NotFound(_("No such category."))
    return category


def get_status(community: Community, key: str) -> IdeaStatus:
    status = next((status for status in statuses_of(community) if status.key == key), None)
    if status is None:
        raise NotFound(_("No such status."))
    status.community = community
    return status


def idea_threads(community: Community) -> QuerySet[Thread]:
    return Thread.objects.filter(community=community, kind=ThreadKind.IDEA)


# Private beta groups ----------------------------------------------------------------------------


def beta_groups_of(user: Any, community: Community) -> QuerySet[BetaGroup]:
    """The groups whose spaces the person can see (their own, or all of them for the brand)."""
    return (
        BetaGroup.objects.filter(community=community, space__in=spaces_visible_to(user, community).values("pk"))
        .select_related("space", "idea__thread", "product")
        .annotate(member_count=Count("invitations", filter=Q(invitations__state=BetaInvitationState.ACCEPTED)))
    )


def get_beta_group(user: Any, community: Community, group_id: int) -> BetaGroup:
    group = beta_groups_of(user, community).select_related("community", "space__community").filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("No such group."))
    return group


def invitations_of(group: BetaGroup) -> QuerySet[BetaInvitation]:
    return BetaInvitation.objects.filter(group=group).select_related("user", "invited_by").order_by("state", "-id")


def pending_invitations(user: Any, community: Community) -> QuerySet[BetaInvitation]:
    """Invitations waiting for the person's answer."""
    if not getattr(user, "is_authenticated", False):
        return BetaInvitation.objects.none()
    return BetaInvitation.objects.filter(
        user=user, group__community=community, state=BetaInvitationState.INVITED
    ).select_related("group__space", "group__idea__thread", "group__product", "invited_by")


def get_invitation(user: Any, community: Community, invitation_id: int) -> BetaInvitation:
    """An invitation, for the member it is addressed to or the brand managing the group."""
    invitation = (
        BetaInvitation.objects.filter(pk=invitation_id, group__community=community)
        .select_related("group__space__community", "group__community", "user", "invited_by")
        .first()
    )
    if invitation is None or not (
        invitation.user_id == getattr(user, "pk", None)
        or invitation.group.space_id in spaces_visible_to(user, community).values_list("pk", flat=True)
    ):
        raise NotFound(_("No such invitation."))
    return invitation


@dataclass(frozen=True)
class Candidate:
    user: User
    reason: str


def beta_candidates(group: BetaGroup, *, limit: int = 12) -> list[Candidate]:
    """Members worth inviting, from the data: those who said the idea matters most to them, the
    product's critics and reviewers, and the community's experts and ambassadors."""
    taken = BetaInvitation.objects.filter(
        group=group, state__in=[BetaInvitationState.INVITED, BetaInvitationState.ACCEPTED]
    ).values("user_id")
    active = Membership.objects.filter(community=group.community_id, state=MembershipState.ACTIVE).values("user_id")
    people = User.objects.filter(pk__in=active).exclude(pk__in=taken)
    found: dict[int, Candidate] = {}

    def add(users: QuerySet[User], reason: str) -> None:
        for user in users[: limit * 2]:
            if len(found) < limit:
                found.setdefault(user.pk, Candidate(user, reason))

    if group.idea_id is not None:
        add(
            people.filter(
                idea_votes__idea=group.idea_id, idea_votes__importance__in=[Importance.CRITICAL, Importance.IMPORTANT]
            ).order_by("idea_votes__importance"),
            _("Said the idea matters to them"),
        )
        add(people.filter(posts__thread=group.idea_id, posts__is_opening=False).distinct(), _("Discussed the idea"))
    if group.product_id is not None:
        add(
            people.filter(
                threads__product=group.product_id, threads__kind__in=[ThreadKind.REVIEW, ThreadKind.CRITICISM]
            ).distinct(),
            _("Reviewed or criticised the product"),
        )
        add(people.filter(threads__idea__product=group.product_id).distinct(), _("Proposed ideas for the product"))
    experts = Membership.objects.filter(
        community=group.community_id, state=MembershipState.ACTIVE, role__in=[Role.EXPERT, Role.AMBASSADOR]
    ).values("user_id")
    add(people.filter(pk__in=experts), _("Expert or ambassador"))
    return list(found.values())
