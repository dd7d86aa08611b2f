"""Every read of the moderation pages and endpoints, with access checked and a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from belong.accounts.models import User
from belong.communities.models import Community, Membership
from belong.communities.permissions import check
from belong.core.errors import NotFound
from belong.core.models import ModerationEntry
from belong.moderation.actions import settings_for
from belong.moderation.models import (
    Appeal,
    AppealState,
    Flag,
    MemberNote,
    ReviewItem,
    ReviewState,
    Rule,
    RuleAcceptance,
)
from belong.moderation.permissions import ModerationAction as Can


def rules_of(community: Community) -> list[Rule]:
    return list(Rule.objects.filter(community=community).order_by("position", "id"))


def needs_to_accept_rules(user: Any, community: Community) -> bool:
    """Whether a signed-in member has not accepted the rules as they stand now (and there are rules)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not Rule.objects.filter(community=community).exists():
        return False
    revision = settings_for(community).rules_revision
    return not RuleAcceptance.objects.filter(community=community, user=user, revision=revision).exists()


DECIDED = "decided"


def queue(
    viewer: Any, community: Community, *, state: str = ReviewState.PENDING, source: str = ""
) -> QuerySet[ReviewItem]:
    """The review queue, oldest first when pending, newest decisions first otherwise."""
    check(viewer, Can.REVIEW, community)
    # DECIDED stands for every state but pending: the queue's "decided" tab.
    states = Q(state=state) if state != DECIDED else ~Q(state=ReviewState.PENDING)
    items = (
        ReviewItem.objects.filter(states, community=community)
        .select_related("post", "post__thread", "post__thread__space", "post__author", "claimed_by", "decided_by")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.select_related("flagger").order_by("created_at")))
    )
    if source:
        # The JSON text holds each source quoted: a match that works on SQLite and PostgreSQL alike.
        items = items.filter(sources__icontains=f'"{source}"')
    return items.order_by("created_at", "id") if state == ReviewState.PENDING else items.order_by("-decided_at", "-id")


def pending_count(community: Community) -> int:
    return ReviewItem.objects.filter(community=community, state=ReviewState.PENDING).count()


def review_item(viewer: Any, community: Community, item_id: int) -> ReviewItem:
    check(viewer, Can.REVIEW, community)
    item = (
        ReviewItem.objects.filter(community=community, pk=item_id)
        .select_related("post", "post__thread", "post__thread__space", "post__author", "claimed_by", "decided_by")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.select_related("flagger").order_by("created_at")))
        .first()
    )
    if item is None:
        raise NotFound()
    return item


def _day_start(day: date | datetime, *, end: bool = False) -> datetime:
    if isinstance(day, datetime):
        return day
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def moderation_log(
    viewer: Any,
    community: Community,
    *,
    action: str = "",
    actor: str = "",
    subject: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[ModerationEntry]:
    """The moderation log, newest first, filtered by action (or its prefix: "member"), moderator, member and dates."""
    check(viewer, Can.READ_MODERATION_LOG, community)
    entries = ModerationEntry.objects.filter(community=community).select_related("actor", "subject", "appeal")
    if action:
        entries = entries.filter(action=action) if "." in action else entries.filter(action__startswith=f"{action}.")
    if actor:
        entries = entries.filter(actor__handle__iexact=actor.lstrip("@"))
    if subject:
        entries = entries.filter(subject__handle__iexact=subject.lstrip("@"))
    if since:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until:
        entries = entries.filter(created_at__lte=_day_start(until, end=True))
    return entries.order_by("-created_at", "-id")


def log_entry(viewer: Any, community: Community, entry_id: int) -> ModerationEntry:
    entry = moderation_log(viewer, community).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def record_of(user: Any, community: Community) -> QuerySet[ModerationEntry]:
    """What moderators did concerning the signed-in person here, newest first, with their appeals."""
    if not getattr(user, "is_authenticated", False):
        return ModerationEntry.objects.none()
    return (
        ModerationEntry.objects.filter(community=community, subject=user)
        .select_related("actor", "appeal")
        .order_by("-created_at", "-id")
    )


def own_entry(user: Any, community: Community, entry_id: int) -> ModerationEntry:
    entry = record_of(user, community).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def appeals(viewer: Any, community: Community, *, state: str = AppealState.OPEN) -> QuerySet[Appeal]:
    check(viewer, Can.DECIDE_APPEAL, community)
    found = Appeal.objects.filter(community=community).select_related(
        "entry", "entry__actor", "appellant", "decided_by"
    )
    if state:
        found = found.filter(state=state)
    return found.order_by("created_at", "id") if state == AppealState.OPEN else found.order_by("-created_at", "-id")


def appeal_for(viewer: Any, community: Community, appeal_id: int) -> Appeal:
    found = appeals(viewer, community, state="").filter(pk=appeal_id).first()
    if found is None:
        raise NotFound()
    return found


def moderated_member(viewer: Any, community: Community, handle: str) -> Membership:
    """A member as the moderators see them; the page is theirs only."""
    check(viewer, Can.NOTE_MEMBER, community)
    membership = (
        Membership.objects.filter(community=community, user__handle__iexact=handle.lstrip("@"))
        .select_related("user", "community")
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def notes_on(viewer: Any, community: Community, subject: User) -> QuerySet[MemberNote]:
    check(viewer, Can.NOTE_MEMBER, community)
    return MemberNote.objects.filter(community=community, subject=subject).select_related("author")


def flags_against(viewer: Any, community: Community, subject: User) -> QuerySet[Flag]:
    """Flags on the member's posts, newest first (moderators)."""
    check(viewer, Can.REVIEW, community)
    return (
        Flag.objects.filter(community=community, post__author=subject)
        .select_related("flagger", "post", "post__thread", "item")
        .order_by("-created_at", "-id")
    )


def entries_about(viewer: Any, community: Community, subject: User) -> QuerySet[ModerationEntry]:
    return moderation_log(viewer, community).filter(Q(subject=subject))
