"""Trust levels 0–4, earned from the activity log like Discourse's, and the privileges they unlock.

A member's level is computed from what they did in the community (`stats_of`): days visited,
threads read, threads replied to, reactions given and received, answers accepted, flags upheld
against them, suspensions. Levels 1 and 2, once reached, are kept; 3 and 4 are judged on the
last WINDOW_DAYS days and lapse (to 2 at the lowest) when that window no longer meets them. A
manager may pin a level by hand, which activity then leaves alone until it is unpinned.

The privileges themselves are granted by the one `can()` (communities.permissions.TRUST_ACTIONS);
this module only decides the number it reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.communities.actions import Verb as CommunityVerb
from belong.communities.models import Membership
from belong.communities.permissions import TRUST_ACTIONS, Action, check, forget_memberships
from belong.conversations.actions import Verb as ConversationVerb
from belong.core.activity import record_activity
from belong.core.errors import Invalid
from belong.core.events import on_commit_publish
from belong.core.models import Activity
from belong.core.tasks import retrying_task
from belong.recognition import events
from belong.recognition.permissions import RecognitionAction


class Verb:
    TRUST_CHANGED = "trust.changed"  # recomputed from activity (no actor)
    TRUST_PINNED = "trust.pinned"  # set or unpinned by a manager
    # Written by moderation when a flag on the member's post is upheld (recipient: the post's author).
    FLAG_UPHELD = "flag.upheld"


MIN_LEVEL, MAX_LEVEL = 0, 4
LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)
# Levels up to this one, once reached, are never taken away by activity.
KEPT_LEVEL = 2
# Levels 3 and 4 are judged on this many days, so a regular who drifts away is one no longer.
WINDOW_DAYS = 100

LEVEL_NAMES: dict[int, Promise] = {
    0: gettext_lazy("New"),
    1: gettext_lazy("Basic"),
    2: gettext_lazy("Member"),
    3: gettext_lazy("Regular"),
    4: gettext_lazy("Leader"),
}
LEVEL_DESCRIPTIONS: dict[int, Promise] = {
    0: gettext_lazy("Just arrived: reads, posts and reacts, while the community gets to know them."),
    1: gettext_lazy("Has read around and come back: may post links and images, add new tags and flag posts."),
    2: gettext_lazy("Takes part over weeks, replying and reacting: may close their own threads."),
    3: gettext_lazy("Among the most active of the last 100 days: may edit wiki posts. Kept while the activity lasts."),
    4: gettext_lazy("A regular for a long time whose help others value: answers accepted, reactions received."),
}

# What each privilege lets a member do, for the explainer and the API.
PRIVILEGE_LABELS: dict[Action, Promise] = {
    Action.POST_LINKS: gettext_lazy("Post links and images"),
    Action.ADD_FREE_TAGS: gettext_lazy("Add new tags to their threads"),
    Action.FLAG: gettext_lazy("Flag posts for the moderators"),
    Action.CLOSE_OWN_THREAD: gettext_lazy("Close and reopen their own threads"),
    Action.EDIT_WIKI: gettext_lazy("Edit wiki posts"),
}

STAT_LABELS: dict[str, Promise] = {
    "days_visited": gettext_lazy("Days visited"),
    "threads_read": gettext_lazy("Threads read"),
    "threads_replied": gettext_lazy("Threads replied to"),
    "threads_started": gettext_lazy("Threads started"),
    "reactions_given": gettext_lazy("Reactions given"),
    "reactions_received": gettext_lazy("Reactions received"),
    "answers_accepted": gettext_lazy("Answers accepted"),
    "flags_upheld": gettext_lazy("Flags upheld against their posts"),
    "suspensions": gettext_lazy("Suspensions and bans"),
}


@dataclass(frozen=True)
class TrustStats:
    """What a member did in a community, over their lifetime or since a moment."""

    days_visited: int = 0  # distinct days with any activity of theirs
    threads_read: int = 0  # threads opened for the first time
    threads_replied: int = 0  # distinct threads they replied in
    threads_started: int = 0
    reactions_given: int = 0  # net of reactions taken back
    reactions_received: int = 0  # net of reactions taken back
    answers_accepted: int = 0  # threads where a reply of theirs was accepted
    flags_upheld: int = 0  # flags on their posts that moderators upheld
    suspensions: int = 0  # times they were suspended or banned


@dataclass(frozen=True)
class Requirement:
    """One condition of a level: a stat reaching `need` (or, with `at_most`, staying at or under it)."""

    stat: str
    need: int
    at_most: bool = False
    window: bool = False  # counted over the last WINDOW_DAYS days, not the member's whole life

    @property
    def label(self) -> Promise:
        return STAT_LABELS[self.stat]

    def met_by(self, stats: TrustStats) -> bool:
        have = int(getattr(stats, self.stat))
        return have <= self.need if self.at_most else have >= self.need


def _window(stat: str, need: int, *, at_most: bool = False) -> Requirement:
    return Requirement(stat, need, at_most=at_most, window=True)


# Discourse's defaults, scaled for a brand community (fewer threads to read, reactions for likes).
# A level needs its own requirements and every lower level's; level 4 needs level 3 *now*.
REQUIREMENTS: dict[int, tuple[Requirement, ...]] = {
    1: (Requirement("threads_read", 5), Requirement("days_visited", 2)),
    2: (
        Requirement("days_visited", 15),
        Requirement("threads_read", 20),
        Requirement("threads_replied", 3),
        Requirement("reactions_given", 1),
        Requirement("reactions_received", 1),
    ),
    3: (
        _window("days_visited", 50),
        _window("threads_read", 50),
        _window("threads_replied", 10),
        _window("reactions_received", 20),
        _window("reactions_given", 30),
        _window("flags_upheld", 5, at_most=True),
        _window("suspensions", 0, at_most=True),
    ),
    4: (
        Requirement("days_visited", 200),
        Requirement("reactions_received", 100),
        Requirement("answers_accepted", 10),
    ),
}


# Reading the activity log


def stats_of(community_id: int, user_id: int, since: dt.datetime | None = None) -> TrustStats:
    """Count what the member did in the community (since `since`, or ever) in three aggregate queries.

    The first reads the member's own actions (index on actor and time), the second what others did
    to them (index on community, recipient and verb), the third their suspensions and bans.
    """
    when = Q(created_at__gte=since) if since is not None else Q()
    done = Activity.objects.filter(when, community_id=community_id, actor_id=user_id).aggregate(
        days_visited=Count(TruncDate("created_at"), distinct=True),
        threads_read=Count("target_id", filter=Q(verb=ConversationVerb.READ), distinct=True),
        threads_replied=Count(KT("data__thread"), filter=Q(verb=ConversationVerb.REPLIED), distinct=True),
        threads_started=Count("id", filter=Q(verb=ConversationVerb.THREAD_STARTED)),
        reacted=Count("id", filter=Q(verb=ConversationVerb.REACTED)),
        unreacted=Count("id", filter=Q(verb=ConversationVerb.UNREACTED)),
    )
    received_verbs = [
        ConversationVerb.REACTED,
        ConversationVerb.UNREACTED,
        ConversationVerb.ANSWER_ACCEPTED,
        Verb.FLAG_UPHELD,
    ]
    got = Activity.objects.filter(
        when, community_id=community_id, recipient_id=user_id, verb__in=received_verbs
    ).aggregate(
        reacted=Count("id", filter=Q(verb=ConversationVerb.REACTED)),
        unreacted=Count("id", filter=Q(verb=ConversationVerb.UNREACTED)),
        answers=Count("target_id", filter=Q(verb=ConversationVerb.ANSWER_ACCEPTED), distinct=True),
        flags=Count("id", filter=Q(verb=Verb.FLAG_UPHELD)),
    )
    memberships = Membership.objects.filter(community_id=community_id, user_id=user_id).values_list("pk", flat=True)
    suspensions = Activity.objects.filter(
        when,
        community_id=community_id,
        verb__in=[CommunityVerb.SUSPENDED, CommunityVerb.BANNED],
        target_type=ContentType.objects.get_for_model(Membership),
        target_id__in=[str(pk) for pk in memberships],
    ).count()
    return TrustStats(
        days_visited=done["days_visited"],
        threads_read=done["threads_read"],
        threads_replied=done["threads_replied"],
        threads_started=done["threads_started"],
        reactions_given=max(done["reacted"] - done["unreacted"], 0),
        reactions_received=max(got["reacted"] - got["unreacted"], 0),
        answers_accepted=got["answers"],
        flags_upheld=got["flags"],
        suspensions=suspensions,
    )


def window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=WINDOW_DAYS)


class _Stats:
    """A member's lifetime and window stats, each read once and only when a level needs it."""

    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        self._read: dict[bool, TrustStats] = {}

    def get(self, window: bool) -> TrustStats:
        if window not in self._read:
            since = window_start() if window else None
            self._read[window] = stats_of(self.membership.community_id, self.membership.user_id, since)
        return self._read[window]

    def met(self, requirement: Requirement) -> bool:
        return requirement.met_by(self.get(requirement.window))


def earned_level(membership: Membership, stats: _Stats | None = None) -> int:
    """The highest level whose requirements, and every lower level's, the member's activity meets now."""
    stats = stats or _Stats(membership)
    level = MIN_LEVEL
    for candidate in LEVELS[1:]:
        if not all(stats.met(requirement) for requirement in REQUIREMENTS[candidate]):
            break
        level = candidate
    return level


def _with_kept(earned: int, current: int) -> int:
    """Levels 1 and 2 once reached are kept; 3 and 4 lapse to 2 when no longer earned."""
    return max(earned, min(current, KEPT_LEVEL))


def compute_level(membership: Membership) -> int:
    """The level the member should hold: the pinned one, or what activity earns (keeping 1 and 2)."""
    if membership.trust_level_pinned:
        return membership.trust_level
    return _with_kept(earned_level(membership), membership.trust_level)


# Changing levels


def _save_level(
    membership: Membership, *, level: int, pinned: bool, actor: Any, verb: str, data: dict[str, Any] | None = None
) -> None:
    """Write the locked membership's level and pin, log it, and announce a change of level."""
    old = membership.trust_level
    membership.trust_level = level
    membership.trust_level_pinned = pinned
    membership.save(update_fields=["trust_level", "trust_level_pinned", "updated_at"])
    forget_memberships(membership.user)
    record_activity(
        actor=actor,
        verb=verb,
        target=membership,
        community=membership.community_id,
        recipient=membership.user_id,
        data={"from": old, "to": level, "pinned": pinned, **(data or {})},
    )
    if level != old:
        on_commit_publish(
            events.TrustLevelChanged(
                community_id=membership.community_id,
                actor_id=getattr(actor, "pk", None),
                membership_id=membership.pk,
                user_id=membership.user_id,
                old_level=old,
                new_level=level,
                pinned=pinned,
            )
        )


def _queued_key(membership_id: int) -> str:
    return f"recognition:trust-queued:{membership_id}"


def recompute_trust(membership_id: int) -> int | None:
    """Bring the member's level in line with their activity; return it (None for no such membership).

    A pinned level is left alone. The stats are read before the row is locked, so the lock is held
    only for the write; the level kept (1 and 2 are never lost) is judged on the locked row.
    """
    cache.delete(_queued_key(membership_id))
    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return None
    if membership.trust_level_pinned:
        return membership.trust_level
    earned = earned_level(membership)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership_id)
        if locked.trust_level_pinned:
            return locked.trust_level
        level = _with_kept(earned, locked.trust_level)
        if level != locked.trust_level:
            _save_level(locked, level=level, pinned=False, actor=None, verb=Verb.TRUST_CHANGED)
        return level


@retrying_task(max_attempts=5, base_delay=30)
def recompute_trust_task(membership_id: int) -> int | None:
    """The task form of `recompute_trust`: idempotent, so running it twice does no harm."""
    return recompute_trust(membership_id)


# A burst of activity (a member replying five times in a minute) becomes one recomputation.
DEBOUNCE_SECONDS = 60


def schedule_recompute(membership_id: int) -> None:
    """Enqueue a recomputation of the member's level, at most one waiting at a time when the
    backend can run it a little later; right away otherwise."""
    backend = recompute_trust_task.get_backend()
    if not backend.supports_defer:
        recompute_trust_task.enqueue(membership_id)
        return
    if not cache.add(_queued_key(membership_id), 1, timeout=DEBOUNCE_SECONDS * 10):
        return
    later = timezone.now() + dt.timedelta(seconds=DEBOUNCE_SECONDS)
    recompute_trust_task.using(run_after=later).enqueue(membership_id)


def recompute_community(community_id: int, days: int = 1) -> int:
    """Recompute the members active in the last `days` days and every level 3 and 4 (which may lapse);
    return how many levels changed. The daily command runs it for every community."""
    since = timezone.now() - dt.timedelta(days=days)
    active = Activity.objects.filter(community_id=community_id, created_at__gte=since, actor__isnull=False)
    memberships = (
        Membership.objects.filter(community_id=community_id, trust_level_pinned=False)
        .filter(Q(user_id__in=active.values("actor_id")) | Q(trust_level__gt=KEPT_LEVEL))
        .order_by("pk")
        .values_list("pk", "trust_level")
    )
    changed = 0
    for membership_id, before in memberships:
        if recompute_trust(membership_id) not in (None, before):
            changed += 1
    return changed


@transaction.atomic
def pin_trust_level(*, actor: Any, membership: Membership, level: int | None) -> Membership:
    """Set a member's level by hand and keep it there (managers), or with None unpin and recompute it."""
    membership = Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)
    check(actor, RecognitionAction.PIN_TRUST, membership)
    if level is None:
        earned = earned_level(membership)
        _save_level(
            membership,
            level=_with_kept(earned, membership.trust_level),
            pinned=False,
            actor=actor,
            verb=Verb.TRUST_PINNED,
        )
        return membership
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        message = _("Pick a trust level from %(low)d to %(high)d, or automatic.") % {
            "low": MIN_LEVEL,
            "high": MAX_LEVEL,
        }
        raise Invalid(message, errors={"level": [message]})
    _save_level(membership, level=level, pinned=True, actor=actor, verb=Verb.TRUST_PINNED)
    return membership


# What pages and the API show


@dataclass(frozen=True)
class Privilege:
    action: str
    label: Promise
    level: int


def privileges_at(level: int) -> list[Privilege]:
    """The privileges a level unlocks (those of lower levels not repeated)."""
    return [
        Privilege(str(action), PRIVILEGE_LABELS.get(action, gettext_lazy(str(action))), needed)
        for action, needed in TRUST_ACTIONS.items()
        if needed == level
    ]


def privileges_up_to(level: int) -> list[Privilege]:
    """Every privilege a member at `level` holds."""
    return [privilege for lower in LEVELS if lower <= level for privilege in privileges_at(lower)]


@dataclass(frozen=True)
class LevelInfo:
    level: int
    name: Promise
    description: Promise
    requirements: tuple[Requirement, ...]
    privileges: list[Privilege]


def levels() -> list[LevelInfo]:
    """Every level with what it takes and what it unlocks, for the explainer."""
    return [
        LevelInfo(
            level, LEVEL_NAMES[level], LEVEL_DESCRIPTIONS[level], REQUIREMENTS.get(level, ()), privileges_at(level)
        )
        for level in LEVELS
    ]


@dataclass(frozen=True)
class RequirementProgress:
    stat: str
    label: Promise
    have: int
    need: int
    at_most: bool
    window: bool
    met: bool


@dataclass(frozen=True)
class TrustProgress:
    """Where a member stands: their level, the next one, and each requirement with what they have."""

    handle: str
    level: int
    name: Promise
    pinned: bool
    earned: int  # what activity alone earns today
    next_level: int | None
    next_name: Promise | None
    requirements: list[RequirementProgress]  # for the next level
    keep: list[RequirementProgress]  # for levels 3 and 4: what the last 100 days must go on meeting
    privileges: list[Privilege]


def _progress(stats: _Stats, requirements: tuple[Requirement, ...]) -> list[RequirementProgress]:
    rows = []
    for requirement in requirements:
        have = int(getattr(stats.get(requirement.window), requirement.stat))
        rows.append(
            RequirementProgress(
                stat=requirement.stat,
                label=requirement.label,
                have=have,
                need=requirement.need,
                at_most=requirement.at_most,
                window=requirement.window,
                met=requirement.met_by(stats.get(requirement.window)),
            )
        )
    return rows


def progress_of(membership: Membership) -> TrustProgress:
    """The member's level and how far they are from the next, for their trust page and the API."""
    stats = _Stats(membership)
    level = membership.trust_level
    next_level = level + 1 if level < MAX_LEVEL else None
    upcoming = REQUIREMENTS[next_level] if next_level is not None else ()
    return TrustProgress(
        handle=membership.user.handle,
        level=level,
        name=LEVEL_NAMES[level],
        pinned=membership.trust_level_pinned,
        earned=earned_level(membership, stats),
        next_level=next_level,
        next_name=LEVEL_NAMES[next_level] if next_level is not None else None,
        requirements=_progress(stats, upcoming),
        keep=_progress(stats, REQUIREMENTS[3]) if level > KEPT_LEVEL else [],
        privileges=privileges_up_to(level),
    )
