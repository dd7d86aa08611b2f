"""Replay a community's history into recognition: the upgrade path for communities older than the feature.

The points are awarded by the very functions the event subscribers' tasks call
(`subscribers/points.py`), dated when each thing happened and taken in the order it happened, so
the daily caps count per historical day and week and month leaderboards differ from all time.
Every award is keyed by its source, so running the backfill twice, or the worker delivering the
original events afterwards, adds nothing. Badges are then checked per member, anniversaries
celebrated, and trust levels recomputed over the whole history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from django.db.models import F, Sum

from belong.communities.models import Community, Membership, MembershipState
from belong.conversations.actions import Verb as ConversationVerb
from belong.conversations.models import Post, Reaction, Thread, ThreadKind
from belong.core.models import Activity
from belong.ideas.models import Idea, IdeaVote
from belong.recognition import badges, celebrations, trust
from belong.recognition.models import PointsEntry
from belong.recognition.subscribers import points

# Enough days for `trust.recompute_community` to look at everyone who ever did anything.
ALL_HISTORY_DAYS = 36500


@dataclass(frozen=True)
class Moment:
    """One thing that earned points, when it happened; `then` awards them."""

    at: dt.datetime
    order: int
    then: Callable[[], None]


@dataclass(frozen=True)
class Summary:
    entries: int
    points: int
    badges: int
    anniversaries: int
    trust_changed: int

    def __str__(self) -> str:
        return (
            f"points entries: {self.entries} ({self.points:+d} points); badges: {self.badges}; "
            f"anniversaries: {self.anniversaries}; trust levels changed: {self.trust_changed}"
        )


def _posts(community_id: int) -> Iterator[Moment]:
    live = Post.objects.filter(community_id=community_id, deleted_at__isnull=True, author__isnull=False)
    for post_id, at, is_opening, kind in live.values_list("pk", "created_at", "is_opening", "thread__kind"):
        if not is_opening:
            yield Moment(at, post_id, partial(points.reply_points, post_id, at=at))
        elif kind != ThreadKind.IDEA:  # ideas earn by being proposed, below
            yield Moment(at, post_id, partial(points.thread_points, post_id, at=at))


def _reactions(community_id: int) -> Iterator[Moment]:
    found = (
        Reaction.objects.filter(post__community_id=community_id, post__deleted_at__isnull=True)
        .exclude(user_id=F("post__author_id"))
        .values_list("pk", "post_id", "user_id", "kind", "created_at")
    )
    for pk, post_id, user_id, kind, at in found:
        yield Moment(at, pk, partial(points.reaction_points, post_id, user_id, kind, at=at))


def _answers(community_id: int) -> Iterator[Moment]:
    """Accepted answers, dated and given by the latest acceptance in the activity log (else the reply's date)."""
    accepted = dict(
        Thread.objects.filter(community_id=community_id, accepted_answer__isnull=False).values_list(
            "pk", "accepted_answer_id"
        )
    )
    if not accepted:
        return
    when: dict[int, tuple[dt.datetime, int | None]] = {}
    log = Activity.objects.filter(community_id=community_id, verb=ConversationVerb.ANSWER_ACCEPTED).order_by(
        "created_at", "pk"
    )
    for target_id, data, at, actor_id in log.values_list("target_id", "data", "created_at", "actor_id"):
        thread_id = int(target_id) if str(target_id).isdigit() else None
        if thread_id is not None and accepted.get(thread_id) == (data or {}).get("post"):
            when[thread_id] = (at, actor_id)
    replies = dict(Post.objects.filter(pk__in=accepted.values()).values_list("pk", "created_at"))
    authors = dict(Thread.objects.filter(pk__in=accepted).values_list("pk", "author_id"))
    for thread_id, post_id in accepted.items():
        at, giver_id = when.get(thread_id) or (replies[post_id], authors.get(thread_id))
        yield Moment(at, post_id, partial(points.answer_points, thread_id, post_id, giver_id, None, at=at))


def _ideas(community_id: int) -> Iterator[Moment]:
    ideas = Idea.objects.filter(community_id=community_id).values_list("pk", "created_at", "shipped_at")
    for idea_id, at, shipped_at in ideas:
        yield Moment(at, idea_id, partial(points.idea_points, idea_id, at=at))
        if shipped_at is not None:
            yield Moment(shipped_at, idea_id, partial(points.shipped_points, idea_id, at=shipped_at))
    votes = (
        IdeaVote.objects.filter(idea__community_id=community_id)
        .exclude(user_id=F("idea__thread__author_id"))
        .values_list("pk", "idea_id", "user_id", "created_at")
    )
    for pk, idea_id, user_id, at in votes:
        yield Moment(at, pk, partial(points.vote_points, idea_id, user_id, at=at))


def history_of(community_id: int) -> list[Moment]:
    """Everything that earned points in the community, oldest first."""
    moments = [
        *_posts(community_id),
        *_reactions(community_id),
        *_answers(community_id),
        *_ideas(community_id),
    ]
    return sorted(moments, key=lambda moment: (moment.at, moment.order))


def replay_points(community_id: int) -> None:
    """Award what the history earned, in order, each dated when it was earned."""
    for moment in history_of(community_id):
        moment.then()


def check_badges(community_id: int) -> int:
    """Run every badge rule for every active member; return how many badges were given."""
    members = Membership.objects.filter(community_id=community_id, state=MembershipState.ACTIVE).order_by("pk")
    return sum(len(badges.check_member(community_id, user_id)) for user_id in members.values_list("user_id", flat=True))


def backfill_community(community: Community, *, today: dt.date | None = None) -> Summary:
    """Replay the community's history into points, badges, anniversaries and trust levels; idempotent."""
    ledger = PointsEntry.objects.filter(community=community)
    entries_before = ledger.count()
    points_before = int(ledger.aggregate(total=Sum("delta"))["total"] or 0)
    replay_points(community.pk)
    given = check_badges(community.pk)
    anniversaries = celebrations.celebrate_anniversaries(today, community_id=community.pk)
    changed = trust.recompute_community(community.pk, days=ALL_HISTORY_DAYS)
    return Summary(
        entries=ledger.count() - entries_before,
        points=int(ledger.aggregate(total=Sum("delta"))["total"] or 0) - points_before,
        badges=given,
        anniversaries=anniversaries,
        trust_changed=changed,
    )
