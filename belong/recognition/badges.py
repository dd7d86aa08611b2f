"""Badges: awarding (by the catalogue's rules, or by managers), revoking, the community's own badges, and who holds what.

The rules run in tasks (see `subscribers/badges.py`) and are idempotent: `grant_badge` gives a
badge once per member and source (`once` for once-only badges, `post:12` or `idea:7` for
repeatable ones), so an event delivered twice, or a rule run again, awards nothing twice. A badge a
manager revoked is not given back by its rule (only by hand).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.communities.models import Community, Membership, MembershipState
from belong.communities.permissions import can, check
from belong.conversations.models import CollectionItem, Post, Reaction, ReactionKind, Thread, ThreadKind
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import on_commit_publish
from belong.core.models import Activity
from belong.core.validation import validate_instance
from belong.ideas.models import BetaInvitation, BetaInvitationState, Idea, IdeaVote
from belong.recognition import events, ledger
from belong.recognition.catalogue import BADGES
from belong.recognition.defaults import badges_of
from belong.recognition.models import (
    Badge,
    BadgeAward,
    BadgeTier,
    Celebration,
    Nomination,
    NominationState,
    Programme,
    RuleKey,
)
from belong.recognition.permissions import RecognitionAction as Can


class Verb:
    BADGE_AWARDED = "badge.awarded"
    BADGE_REVOKED = "badge.revoked"
    BADGE_CREATED = "badge.created"
    BADGE_UPDATED = "badge.updated"
    BADGE_DELETED = "badge.deleted"


# How many of a thing earn a once-only badge.
THRESHOLDS: dict[str, int] = {
    "first-answer": 1,
    "problem-solver": 10,
    "helpful": 10,
    "very-helpful": 50,
    "storyteller": 3,
    "reviewer": 1,
    "collector": 10,
    "supporter": 10,
}
APPRECIATED_REACTIONS = 10  # reactions from others on one post
CONVERSATION_REPLIES = 10  # replies from others in one thread
REGULAR_TRUST_LEVEL = 3
BADGE_FIELDS = ("name", "description", "icon", "tier", "repeatable", "is_enabled")
# Addresses under /badges/ that are pages, not badges.
RESERVED_KEYS = frozenset({"new"})
MAX_REASON_CHARS = 300
MAX_SOURCE_CHARS = 100


def grant_badge(
    *,
    community_id: int,
    user_id: int,
    key: str,
    source: str = "once",
    awarded_by: Any = None,
    reason: str = "",
) -> BadgeAward | None:
    """Give the badge `key` to the member for `source`, once; None if they hold it for that source already
    or the badge is switched off. A once-only badge always uses the source `once`.

    No permission check: the rules call it from tasks, `award_badge` calls it after its checks.
    """
    badge = badges_of(community_id).get(key)
    if badge is None or not badge.is_enabled:
        return None
    if not badge.repeatable:
        source = "once"
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(
                community_id=community_id,
                badge=badge,
                user_id=user_id,
                source=source,
                awarded_by=awarded_by if getattr(awarded_by, "pk", None) else None,
                reason=reason,
            )
            record_activity(
                actor=awarded_by,
                verb=Verb.BADGE_AWARDED,
                target=award,
                community=community_id,
                recipient=user_id,
                data={"badge": badge.key, "source": source},
            )
            ledger.award(
                community_id=community_id,
                user_id=user_id,
                rule=RuleKey.BADGE_EARNED,
                source=f"badge:{badge.key}:{source}",
            )
    except IntegrityError:
        return None
    on_commit_publish(
        events.BadgeAwarded(
            community_id=community_id,
            actor_id=getattr(awarded_by, "pk", None),
            award_id=award.pk,
            badge_id=badge.pk,
            badge_key=badge.key,
            user_id=user_id,
            manual=awarded_by is not None,
        )
    )
    return award


# ---------------------------------------------------------------------------------------------
# The rules: each takes the community and its subject's id (a member, a post, a thread or an idea)
# and returns the awards it made, none when everything due was given already.

Rule = Callable[[int, int], list[BadgeAward]]


def _is_active_member(community_id: int, user_id: int) -> bool:
    return Membership.objects.filter(community_id=community_id, user_id=user_id, state=MembershipState.ACTIVE).exists()


def _was_revoked(community_id: int, user_id: int, key: str, source: str) -> bool:
    """Whether a manager took this award back: the rule then leaves it to managers."""
    return Activity.objects.filter(
        community_id=community_id,
        recipient_id=user_id,
        verb=Verb.BADGE_REVOKED,
        data__badge=key,
        data__source=source,
    ).exists()


def grant_by_rule(community_id: int, user_id: int | None, key: str, source: str = "once") -> BadgeAward | None:
    """Give an automatic badge to an active member, unless they hold it for `source` or a manager revoked it."""
    if user_id is None:
        return None
    badge = badges_of(community_id).get(key)
    if badge is None or not badge.is_enabled:
        return None
    source = source if badge.repeatable else "once"
    # Most runs find the badge held already (every post asks for “first post”): answer that first.
    if BadgeAward.objects.filter(badge=badge, user_id=user_id, source=source).exists():
        return None
    if not _is_active_member(community_id, user_id) or _was_revoked(community_id, user_id, key, source):
        return None
    return grant_badge(community_id=community_id, user_id=user_id, key=key, source=source)


def _granted(awards: Iterable[BadgeAward | None]) -> list[BadgeAward]:
    return [award for award in awards if award is not None]


def _held(community_id: int, user_id: int, keys: Iterable[str]) -> set[str]:
    return set(
        BadgeAward.objects.filter(community_id=community_id, user_id=user_id, badge__key__in=list(keys)).values_list(
            "badge__key", flat=True
        )
    )


def _by_count(
    community_id: int, user_id: int | None, keys: tuple[str, ...], count: Callable[[], int]
) -> list[BadgeAward]:
    """Give each once-only badge of `keys` whose threshold `count()` reaches; count only if one is missing."""
    if user_id is None:
        return []
    missing = [key for key in keys if key not in _held(community_id, user_id, keys)]
    if not missing:
        return []
    reached = count()
    return _granted(grant_by_rule(community_id, user_id, key) for key in missing if reached >= THRESHOLDS[key])


def _live_posts(community_id: int) -> QuerySet[Post]:
    return Post.objects.filter(community_id=community_id, deleted_at__isnull=True)


def welcome_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Welcome: joined the community."""
    return _granted([grant_by_rule(community_id, user_id, "welcome")])


def first_post_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """First post: wrote a thread or a reply that still stands."""
    if not _live_posts(community_id).filter(author_id=user_id).exists():
        return []
    return _granted([grant_by_rule(community_id, user_id, "first-post")])


def answers_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """First accepted answer (1) and Problem solver (10): replies accepted as answers now."""

    def accepted() -> int:
        return Thread.objects.filter(
            community_id=community_id, accepted_answer__author_id=user_id, accepted_answer__deleted_at__isnull=True
        ).count()

    return _by_count(community_id, user_id, ("first-answer", "problem-solver"), accepted)


def helpful_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Helpful (10) and Very helpful (50): “Helpful” reactions from others on posts that still stand."""

    def received() -> int:
        return (
            Reaction.objects.filter(
                kind=ReactionKind.HELPFUL,
                post__community_id=community_id,
                post__author_id=user_id,
                post__deleted_at__isnull=True,
            )
            .exclude(user_id=user_id)
            .count()
        )

    return _by_count(community_id, user_id, ("helpful", "very-helpful"), received)


def appreciated_rule(community_id: int, post_id: int) -> list[BadgeAward]:
    """Appreciated (repeatable, per post): a post that still stands drew ten reactions from others."""
    post = _live_posts(community_id).filter(pk=post_id).only("pk", "author_id").first()
    if post is None or post.author_id is None:
        return []
    reactions = Reaction.objects.filter(post=post).exclude(user_id=post.author_id).count()
    if reactions < APPRECIATED_REACTIONS:
        return []
    return _granted([grant_by_rule(community_id, post.author_id, "appreciated", f"post:{post.pk}")])


def conversation_rule(community_id: int, thread_id: int) -> list[BadgeAward]:
    """Conversation starter (repeatable, per thread): ten replies from others that still stand."""
    thread = Thread.objects.filter(community_id=community_id, pk=thread_id).only("pk", "author_id").first()
    if thread is None or thread.author_id is None:
        return []
    replies = (
        _live_posts(community_id)
        .filter(thread=thread, is_opening=False, author__isnull=False)
        .exclude(author_id=thread.author_id)
        .count()
    )
    if replies < CONVERSATION_REPLIES:
        return []
    return _granted([grant_by_rule(community_id, thread.author_id, "conversation-starter", f"thread:{thread.pk}")])


def stories_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Storyteller (3 experience stories) and Reviewer (1 review), whose opening posts still stand."""
    threads = Thread.objects.filter(
        community_id=community_id,
        author_id=user_id,
        posts__is_opening=True,
        posts__deleted_at__isnull=True,
    )
    return [
        *_by_count(community_id, user_id, ("storyteller",), lambda: threads.filter(kind=ThreadKind.STORY).count()),
        *_by_count(community_id, user_id, ("reviewer",), lambda: threads.filter(kind=ThreadKind.REVIEW).count()),
    ]


def collector_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Collector: ten different threads in the member's own collections."""

    def collected() -> int:
        return (
            CollectionItem.objects.filter(collection__community_id=community_id, collection__owner_id=user_id)
            .values("thread_id")
            .distinct()
            .count()
        )

    return _by_count(community_id, user_id, ("collector",), collected)


def voice_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Voice: proposed an idea."""
    if not Idea.objects.filter(community_id=community_id, thread__author_id=user_id).exists():
        return []
    return _granted([grant_by_rule(community_id, user_id, "voice")])


def supporter_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Supporter: voted for ten ideas of others (one's own idea's vote does not count)."""

    def votes() -> int:
        return (
            IdeaVote.objects.filter(user_id=user_id, idea__community_id=community_id)
            .exclude(idea__thread__author_id=user_id)
            .count()
        )

    return _by_count(community_id, user_id, ("supporter",), votes)


def shipped_rule(community_id: int, idea_id: int) -> list[BadgeAward]:
    """Idea shipped for its author, and Critic for every member whose reply on it helped it ship (per idea).

    Critics are the people other than the author with a reply that still stands on the idea's
    discussion; the brand's official replies are its answers, not feedback, and do not count.
    """
    idea = Idea.objects.filter(community_id=community_id, pk=idea_id).select_related("thread").first()
    if idea is None or idea.shipped_at is None:
        return []
    source = f"idea:{idea.pk}"
    author_id = idea.thread.author_id
    critics = (
        _live_posts(community_id)
        .filter(thread_id=idea.pk, is_opening=False, is_official=False, author__isnull=False)
        .exclude(author_id=author_id)
        .values_list("author_id", flat=True)
        .distinct()
    )
    return _granted([
        grant_by_rule(community_id, author_id, "idea-shipped", source),
        *(grant_by_rule(community_id, critic, "critic", source) for critic in sorted(set(critics))),
    ])  # fmt: skip


def beta_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Beta tester: accepted an invitation into a private beta group."""
    accepted = BetaInvitation.objects.filter(
        group__community_id=community_id, user_id=user_id, state=BetaInvitationState.ACCEPTED
    ).exists()
    return _granted([grant_by_rule(community_id, user_id, "beta-tester")]) if accepted else []


def regular_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Regular: reached trust level 3 (earned or pinned)."""
    trusted = Membership.objects.filter(
        community_id=community_id, user_id=user_id, trust_level__gte=REGULAR_TRUST_LEVEL
    ).exists()
    return _granted([grant_by_rule(community_id, user_id, "regular")]) if trusted else []


def programme_rule(community_id: int, user_id: int) -> list[BadgeAward]:
    """Ambassador and Expert: accepted a nomination into the programme."""
    joined = set(
        Nomination.objects.filter(
            community_id=community_id, user_id=user_id, state=NominationState.ACCEPTED
        ).values_list("programme", flat=True)
    )
    return _granted(
        grant_by_rule(community_id, user_id, programme) for programme in Programme.values if programme in joined
    )


# Rules by name, as tasks name them; the subject is a member's id unless the name says otherwise.
RULES: dict[str, Rule] = {
    "welcome": welcome_rule,
    "first-post": first_post_rule,
    "answers": answers_rule,
    "helpful": helpful_rule,
    "appreciated": appreciated_rule,  # subject: a post
    "conversation-starter": conversation_rule,  # subject: a thread
    "stories": stories_rule,
    "collector": collector_rule,
    "voice": voice_rule,
    "supporter": supporter_rule,
    "shipped": shipped_rule,  # subject: an idea
    "beta": beta_rule,
    "regular": regular_rule,
    "programme": programme_rule,
}
MEMBER_RULES = tuple(name for name in RULES if name not in ("appreciated", "conversation-starter", "shipped"))


def run_rule(rule: str, *, community_id: int, subject_id: int) -> list[BadgeAward]:
    """Run one rule by name (tasks store the name); an unknown name is a programming error."""
    return RULES[rule](community_id, subject_id)


def check_member(community_id: int, user_id: int) -> list[BadgeAward]:
    """Run every rule for one member, e.g. after importing data: gives what is due and nothing twice."""
    awards = [award for name in MEMBER_RULES for award in RULES[name](community_id, user_id)]
    reacted = (
        _live_posts(community_id)
        .filter(author_id=user_id)
        .annotate(others=Count("reactions", filter=~Q(reactions__user_id=user_id)))
        .filter(others__gte=APPRECIATED_REACTIONS)
        .values_list("pk", flat=True)
    )
    for post_id in reacted:
        awards += appreciated_rule(community_id, post_id)
    for thread_id in Thread.objects.filter(community_id=community_id, author_id=user_id).values_list("pk", flat=True):
        awards += conversation_rule(community_id, thread_id)
    shipped = Idea.objects.filter(community_id=community_id, shipped_at__isnull=False).filter(
        Q(thread__author_id=user_id) | Q(thread__posts__author_id=user_id, thread__posts__is_opening=False)
    )
    for idea_id in shipped.values_list("pk", flat=True).distinct():
        awards += shipped_rule(community_id, idea_id)
    return awards


# ---------------------------------------------------------------------------------------------
# Awards by hand and revocations (managers)


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise Invalid(_("Say why the member gets the badge."), errors={"reason": [_("This field is required.")]})
    if len(reason) > MAX_REASON_CHARS:
        message = _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_CHARS}
        raise Invalid(message, errors={"reason": [message]})
    return reason


def _manual_source(source: str | None) -> str:
    """A repeatable award by hand is told apart by `manual:<what the manager named>`, or a fresh id."""
    if source is None or not source.strip():
        return f"manual:{uuid.uuid4().hex}"
    source = source.strip()
    if len(source) > MAX_SOURCE_CHARS:
        message = _("Keep the source under %(count)d characters.") % {"count": MAX_SOURCE_CHARS}
        raise Invalid(message, errors={"source": [message]})
    return f"manual:{source}"


@transaction.atomic
def award_badge(*, actor: Any, membership: Membership, key: str, reason: str, source: str | None = None) -> BadgeAward:
    """Give a badge by hand to an active member (managers, never to themselves), with the reason they are told.

    A once-only badge is refused to someone who holds it; a repeatable one is given again, each
    award told apart by `source` (e.g. the event attended) or a fresh id.
    """
    community = membership.community
    if membership.user_id == getattr(actor, "pk", None) and can(actor, Can.MANAGE_RECOGNITION, community):
        raise NotAllowed(_("You cannot give yourself a badge; ask another manager."))
    check(actor, Can.AWARD, membership)
    badge = badges_of(community.pk).get(key)
    if badge is None:
        message = _("There is no badge “%(key)s” in this community.") % {"key": key}
        raise Invalid(message, errors={"key": [message]})
    if not membership.is_active:
        message = _("%(name)s is not an active member of this community.") % {"name": membership.user.name}
        raise Invalid(message, errors={"handle": [message]})
    if not badge.is_enabled:
        raise Conflict(_("The badge “%(badge)s” is switched off; switch it on first.") % {"badge": badge.label})
    reason = _clean_reason(reason, required=True)
    held = BadgeAward.objects.filter(badge=badge, user_id=membership.user_id)
    if badge.repeatable:
        source = _manual_source(source)
        held = held.filter(source=source)
    else:
        source = "once"
    if held.exists():
        raise Conflict(
            _("%(name)s already has the badge “%(badge)s”.") % {"name": membership.user.name, "badge": badge.label}
        )
    award = grant_badge(
        community_id=community.pk,
        user_id=membership.user_id,
        key=badge.key,
        source=source,
        awarded_by=actor,
        reason=reason,
    )
    if award is None:  # given at the same moment by someone else
        raise Conflict(
            _("%(name)s already has the badge “%(badge)s”.") % {"name": membership.user.name, "badge": badge.label}
        )
    return award


@transaction.atomic
def revoke_badge(*, actor: Any, award: BadgeAward, reason: str = "") -> None:
    """Take a badge back (managers): its points are reversed and its celebration leaves the feed.

    The rule that gave it does not give it again; a manager may award it again by hand.
    """
    check(actor, Can.MANAGE_RECOGNITION, award.community)
    reason = _clean_reason(reason, required=False)
    locked = BadgeAward.objects.select_for_update().select_related("badge").filter(pk=award.pk).first()
    if locked is None:
        raise NotFound(_("This badge was already taken back."))
    key, source = locked.badge.key, locked.source
    ledger.reverse(community_id=locked.community_id, source=f"badge:{key}:{source}", user_id=locked.user_id)
    Celebration.objects.filter(
        community_id=locked.community_id, user_id=locked.user_id, key=f"badge:{key}:{source}"
    ).delete()
    record_activity(
        actor=actor,
        verb=Verb.BADGE_REVOKED,
        target=locked.badge,
        community=locked.community_id,
        recipient=locked.user_id,
        data={"badge": key, "source": source, "award": locked.pk, "reason": reason},
    )
    locked.delete()
    on_commit_publish(
        events.BadgeRevoked(
            community_id=locked.community_id, actor_id=actor.pk, badge_id=locked.badge_id, user_id=locked.user_id
        )
    )


# ---------------------------------------------------------------------------------------------
# The community's own badges (managers)


def _clean_key(community: Community, key: str) -> str:
    cleaned = slugify(key or "", allow_unicode=True)[:60].strip("-")
    if not cleaned:
        message = _("Give the badge a key: letters, digits and dashes.")
        raise Invalid(message, errors={"key": [message]})
    if cleaned in RESERVED_KEYS:
        message = _("“%(key)s” is reserved; pick another key.") % {"key": cleaned}
        raise Invalid(message, errors={"key": [message]})
    if cleaned in BADGES or Badge.objects.filter(community=community, key=cleaned).exists():
        message = _("The community already has a badge “%(key)s”.") % {"key": cleaned}
        raise Conflict(message, errors={"key": [message]})
    return cleaned


def _clean_badge(badge: Badge) -> None:
    badge.name = " ".join(badge.name.split())
    badge.description = " ".join(badge.description.split())
    badge.icon = badge.icon.strip()
    if not badge.builtin and not badge.name:
        message = _("Give the badge a name.")
        raise Invalid(message, errors={"name": [message]})
    if not badge.icon:
        message = _("Give the badge an icon, e.g. an emoji.")
        raise Invalid(message, errors={"icon": [message]})
    if badge.tier not in BadgeTier.values:
        message = _("Pick bronze, silver or gold.")
        raise Invalid(message, errors={"tier": [message]})
    validate_instance(badge)


def _refuse_unknown(fields: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(BADGE_FIELDS))
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


@transaction.atomic
def create_badge(*, actor: Any, community: Community, key: str, name: str, **fields: Any) -> Badge:
    """Add a badge of the community's own, given by hand (e.g. for speaking at a meetup)."""
    check(actor, Can.MANAGE_RECOGNITION, community)
    _refuse_unknown(fields)
    badges_of(community.pk)  # the built-in keys exist before a new key is compared with them
    badge = Badge(community=community, key=_clean_key(community, key), name=name or "", **fields)
    _clean_badge(badge)
    badge.save()
    record_activity(actor=actor, verb=Verb.BADGE_CREATED, target=badge, community=community, data={"key": badge.key})
    return badge


@transaction.atomic
def update_badge(*, actor: Any, badge: Badge, **changes: Any) -> Badge:
    """Rename, redraw, re-tier, switch on or off; a built-in badge keeps its rule, so it stays once-only or repeatable."""
    check(actor, Can.MANAGE_RECOGNITION, badge.community)
    _refuse_unknown(changes)
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.builtin and "repeatable" in changes and changes["repeatable"] != badge.repeatable:
        message = _("A built-in badge’s rule decides whether it can be earned again.")
        raise Invalid(message, errors={"repeatable": [message]})
    for field, value in changes.items():
        setattr(badge, field, value)
    _clean_badge(badge)
    badge.save()
    record_activity(
        actor=actor,
        verb=Verb.BADGE_UPDATED,
        target=badge,
        community=badge.community_id,
        data={"changed": sorted(changes)},
    )
    return badge


@transaction.atomic
def delete_badge(*, actor: Any, badge: Badge) -> None:
    """Remove a badge of the community's own that nobody holds; built-in ones are switched off instead."""
    check(actor, Can.MANAGE_RECOGNITION, badge.community)
    if badge.builtin:
        raise Conflict(_("Built-in badges cannot be deleted; switch them off instead."))
    if BadgeAward.objects.filter(badge=badge).exists():
        raise Conflict(_("Members hold this badge; switch it off instead, or take it back from them first."))
    record_activity(
        actor=actor, verb=Verb.BADGE_DELETED, target=None, community=badge.community_id, data={"key": badge.key}
    )
    badge.delete()


# ---------------------------------------------------------------------------------------------
# Reads (a fixed number of queries each)


def _with_holders(badges: QuerySet[Badge]) -> QuerySet[Badge]:
    return badges.annotate(holder_count=Count("awards__user", distinct=True))


def catalogue_of(community: Community, *, include_disabled: bool = False) -> QuerySet[Badge]:
    """The community's badges, built-in ones first, each with `holder_count` (people holding it)."""
    badges_of(community.pk)
    badges = Badge.objects.filter(community=community).select_related("community")
    if not include_disabled:
        badges = badges.filter(is_enabled=True)
    return _with_holders(badges).order_by("-builtin", "id")


def get_badge(community: Community, key: str) -> Badge:
    """One badge by key, with `holder_count`; NotFound names the key."""
    badge = catalogue_of(community, include_disabled=True).filter(key=key).first()
    if badge is None:
        raise NotFound(_("There is no badge “%(key)s” in this community.") % {"key": key})
    return badge


def holders_of(badge: Badge) -> QuerySet[BadgeAward]:
    """Every award of the badge, newest first, with the member and who gave it by hand."""
    return (
        BadgeAward.objects.filter(badge=badge)
        .select_related("user", "awarded_by", "badge")
        .order_by("-created_at", "-id")
    )


def get_award(community: Community, award_id: int) -> BadgeAward:
    award = (
        BadgeAward.objects.select_related("badge", "user", "community").filter(community=community, pk=award_id).first()
    )
    if award is None:
        raise NotFound(_("No such badge award."))
    return award


def badges_of_member(community_id: int, user_id: int) -> QuerySet[Badge]:
    """The badges a member holds, each once, latest first, with `times` (how often) and `last_awarded_at`."""
    return (
        Badge.objects.filter(community_id=community_id, awards__user_id=user_id)
        .annotate(times=Count("awards"), last_awarded_at=Max("awards__created_at"))
        .order_by("-last_awarded_at", "-id")
    )
