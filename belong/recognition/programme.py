"""The ambassador and expert programme: candidates suggested from the data, nominations by managers,
the nominee's answer, and the areas (tags) experts are known for.

A nominee joins by accepting: their role becomes the programme's through `communities.actions.grant_role`
(so `RoleChanged` is published as for any role change) and an expert's areas are written then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.actions import grant_role
from belong.communities.models import Community, Membership, MembershipState, Role
from belong.communities.permissions import can, check
from belong.conversations.models import Post, Reaction, ReactionKind, Tag, ThreadTag
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import on_commit_publish
from belong.core.tasks import retrying_task
from belong.recognition import events
from belong.recognition.models import ExpertArea, Nomination, NominationState, PointsBalance, Programme
from belong.recognition.permissions import RecognitionAction as Can


class Verb:
    NOMINATED = "programme.nominated"
    ACCEPTED = "programme.accepted"
    DECLINED = "programme.declined"
    WITHDRAWN = "programme.withdrawn"
    AREAS_SET = "programme.areas_set"
    LEFT = "programme.left"


# Candidates count what members did in this window.
CANDIDATE_WINDOW = timedelta(days=90)
# An accepted answer weighs as much as this many "Helpful" reactions when ranking ambassadors.
ACCEPTED_ANSWER_WEIGHT = 5
# Without a tag filter, expert candidates are the best few answerers of each tag.
EXPERT_CANDIDATES_PER_TAG = 3
MAX_AREAS = 10
MAX_MESSAGE_CHARS = 2000

# The roles a programme recruits from; anyone else holds the programme's role already or one above it.
RECRUITS_FROM: dict[str, frozenset[str]] = {
    Programme.AMBASSADOR: frozenset({Role.MEMBER, Role.EXPERT}),
    Programme.EXPERT: frozenset({Role.MEMBER, Role.AMBASSADOR}),
}
PROGRAMME_ROLES = frozenset({Role.AMBASSADOR, Role.EXPERT})


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass
class Candidate:
    """A member the data suggests for a programme, with what earned the suggestion."""

    user: User
    programme: str
    helpful: int = 0
    accepted: int = 0
    points: int = 0
    tag: Tag | None = None

    @property
    def score(self) -> int:
        return self.helpful + ACCEPTED_ANSWER_WEIGHT * self.accepted

    @property
    def reason(self) -> str:
        if self.programme == Programme.EXPERT and self.tag is not None:
            return _("%(count)d accepted answers on “%(tag)s”") % {"count": self.accepted, "tag": self.tag.name}
        return _("%(helpful)d “Helpful” reactions and %(accepted)d accepted answers in %(days)d days") % {
            "helpful": self.helpful,
            "accepted": self.accepted,
            "days": CANDIDATE_WINDOW.days,
        }


def _check_programme(programme: str) -> str:
    if programme not in Programme.values:
        raise Invalid(
            _("Pick the ambassador or the expert programme."), errors={"programme": [_("Unknown programme.")]}
        )
    return programme


def _pending(community: Community, programme: str) -> QuerySet[Nomination]:
    return Nomination.objects.filter(community=community, programme=programme, state=NominationState.PENDING)


def _points_of(community: Community, user_ref: str) -> Coalesce:
    balance = PointsBalance.objects.filter(community=community, user_id=OuterRef(user_ref)).values("total")[:1]
    return Coalesce(Subquery(balance), Value(0))


def _live_answers(community: Community) -> QuerySet[Post]:
    return Post.objects.filter(
        community=community, is_opening=False, deleted_at__isnull=True, is_hidden=False, thread__is_hidden=False
    )


def candidates(community: Community, programme: str, tag: Tag | None = None, limit: int = 20) -> list[Candidate]:
    """Members worth inviting, best first, in a fixed number of queries.

    Ambassadors: the most helpful answerers of the last 90 days ("Helpful" reactions received on
    their replies, plus their accepted answers written then, weighted), then the most points; active
    members and experts only. Experts: the members with the most accepted answers (of all time) on
    threads carrying a tag (the best few of each tag, or of `tag` only); active members and
    ambassadors only. Removed and hidden replies do not count; nobody with a pending nomination to
    the programme is suggested for it.
    """
    _check_programme(programme)
    if programme == Programme.AMBASSADOR:
        return _ambassador_candidates(community, limit)
    return _expert_candidates(community, tag, limit)


def _ambassador_candidates(community: Community, limit: int) -> list[Candidate]:
    since = timezone.now() - CANDIDATE_WINDOW
    answers = _live_answers(community)
    helpful = Reaction.objects.filter(
        kind=ReactionKind.HELPFUL, created_at__gte=since, post__in=answers.values("pk")
    ).exclude(user_id=F("post__author_id"))
    accepted = answers.filter(created_at__gte=since, thread__accepted_answer=F("pk"))
    helpful_count = helpful.filter(post__author_id=OuterRef("user_id")).values("post__author_id")
    accepted_count = accepted.filter(author_id=OuterRef("user_id")).values("author_id")
    rows = (
        Membership.objects.filter(
            Q(user_id__in=helpful.values("post__author_id")) | Q(user_id__in=accepted.values("author_id")),
            community=community,
            state=MembershipState.ACTIVE,
            role__in=RECRUITS_FROM[Programme.AMBASSADOR],
            user__is_active=True,
        )
        .exclude(user_id__in=_pending(community, Programme.AMBASSADOR).values("user_id"))
        .annotate(
            helpful=Coalesce(Subquery(helpful_count.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
            accepted=Coalesce(Subquery(accepted_count.annotate(n=Count("pk")).values("n")[:1]), Value(0)),
            points=_points_of(community, "user_id"),
        )
        .annotate(score=F("helpful") + ACCEPTED_ANSWER_WEIGHT * F("accepted"))
        .order_by("-score", "-points", "user_id")
        .select_related("user")[:limit]
    )
    return [
        Candidate(row.user, Programme.AMBASSADOR, helpful=row.helpful, accepted=row.accepted, points=row.points)
        for row in rows
    ]


def _expert_candidates(community: Community, tag: Tag | None, limit: int) -> list[Candidate]:
    eligible = Membership.objects.filter(
        community=community,
        state=MembershipState.ACTIVE,
        role__in=RECRUITS_FROM[Programme.EXPERT],
        user__is_active=True,
    )
    answer = "thread__accepted_answer"
    pairs = ThreadTag.objects.filter(
        tag__community=community,
        thread__community=community,
        thread__is_hidden=False,
        **{f"{answer}__in": _live_answers(community).values("pk")},
        **{f"{answer}__author_id__in": eligible.values("user_id")},
    ).exclude(**{f"{answer}__author_id__in": _pending(community, Programme.EXPERT).values("user_id")})
    if tag is not None:
        pairs = pairs.filter(tag=tag)
    rows = list(
        pairs.values("tag_id", author_id=F(f"{answer}__author_id"))
        .annotate(accepted=Count("thread_id"), points=_points_of(community, f"{answer}__author_id"))
        .order_by("-accepted", "-points", "tag_id", "author_id")
    )
    per_tag = limit if tag is not None else EXPERT_CANDIDATES_PER_TAG
    chosen: list[dict[str, Any]] = []
    taken: dict[int, int] = {}
    for row in rows:
        if taken.get(row["tag_id"], 0) < per_tag:
            taken[row["tag_id"]] = taken.get(row["tag_id"], 0) + 1
            chosen.append(row)
            if len(chosen) >= limit:
                break
    users = User.objects.in_bulk([row["author_id"] for row in chosen])
    tags = Tag.objects.in_bulk([row["tag_id"] for row in chosen])
    return [
        Candidate(
            users[row["author_id"]],
            Programme.EXPERT,
            accepted=row["accepted"],
            points=row["points"],
            tag=tags[row["tag_id"]],
        )
        for row in chosen
    ]


# ---------------------------------------------------------------------------------------------
# Nominations


def _locked_membership(community: Community, user: Any) -> Membership | None:
    return Membership.objects.select_for_update().filter(community=community, user=user).first()


def _member_to_nominate(community: Community, user: Any) -> Membership:
    membership = _locked_membership(community, user)
    if membership is None:
        raise Invalid(
            _("%(handle)s is not a member of this community: only its active members can be nominated.")
            % {"handle": user.handle},
            errors={"member": [_("Not a member of this community.")]},
        )
    if not membership.is_active:
        raise Invalid(
            _("Only active members can be nominated; the membership of %(handle)s is “%(state)s”.")
            % {"handle": user.handle, "state": membership.get_state_display()},
            errors={"member": [_("Not an active member.")]},
        )
    return membership


def _refuse_role(membership: Membership, programme: str) -> None:
    """Conflict unless the member's role is one the programme recruits from."""
    if membership.role in RECRUITS_FROM[programme]:
        return
    name, role = membership.user.name, membership.get_role_display()
    if membership.role == programme:
        raise Conflict(_("%(name)s is already in this programme.") % {"name": name})
    raise Conflict(
        _("%(name)s has the role “%(role)s”; the programme is for members, experts and ambassadors.")
        % {"name": name, "role": role}
    )


def _clean_areas(community: Community, tags: Iterable[Tag], *, required: bool) -> list[Tag]:
    areas = list({tag.pk: tag for tag in tags}.values())
    if any(tag.community_id != community.pk for tag in areas):
        raise Invalid(_("Areas are tags of this community."), errors={"areas": [_("Unknown tag.")]})
    if required and not areas:
        raise Invalid(
            _("Choose at least one area (a tag) the expert is known for."),
            errors={"areas": [_("Choose at least one tag.")]},
        )
    if len(areas) > MAX_AREAS:
        raise Invalid(
            _("An expert has at most %(count)d areas.") % {"count": MAX_AREAS},
            errors={"areas": [_("Too many tags.")]},
        )
    return areas


def tags_by_slug(community: Community, slugs: Iterable[str]) -> list[Tag]:
    """The community's tags with these addresses, in order; an unknown address is invalid input."""
    wanted = list(dict.fromkeys(slug.strip() for slug in slugs if slug and slug.strip()))
    found = {tag.slug: tag for tag in Tag.objects.filter(community=community, slug__in=wanted)}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise Invalid(
            _("No tag with these addresses: %(slugs)s") % {"slugs": ", ".join(unknown)},
            errors={"areas": [_("Unknown tag: %(slug)s") % {"slug": slug} for slug in unknown]},
        )
    return [found[slug] for slug in wanted]


@transaction.atomic
def nominate(
    *,
    actor: Any,
    community: Community,
    user: Any,
    programme: str,
    areas: Iterable[Tag] = (),
    message: str = "",
) -> Nomination:
    """Invite an active member into the ambassador or the expert programme (experts with their areas);
    they are e-mailed and answer on their nomination's page."""
    check(actor, Can.MANAGE_PROGRAMME, community)
    _check_programme(programme)
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_CHARS:
        raise Invalid(
            _("The message is too long (at most %(count)d characters).") % {"count": MAX_MESSAGE_CHARS},
            errors={"message": [_("Too long.")]},
        )
    areas = list(areas)
    if programme == Programme.AMBASSADOR and areas:
        raise Invalid(_("Only experts have areas."), errors={"areas": [_("Leave empty for ambassadors.")]})
    tags = _clean_areas(community, areas, required=programme == Programme.EXPERT)
    membership = _member_to_nominate(community, user)
    _refuse_role(membership, programme)
    if _pending(community, programme).filter(user=user).exists():
        raise Conflict(
            _("%(name)s already has an invitation to this programme waiting for an answer.") % {"name": user.name}
        )
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                community=community, user=user, programme=programme, message=message, nominated_by=actor
            )
    except IntegrityError as error:  # a concurrent nomination got there first
        raise Conflict(
            _("%(name)s already has an invitation to this programme waiting for an answer.") % {"name": user.name}
        ) from error
    nomination.areas.set(tags)
    record_activity(
        actor=actor,
        verb=Verb.NOMINATED,
        target=nomination,
        community=community,
        recipient=user,
        data={"programme": programme, "areas": [tag.slug for tag in tags]},
    )
    on_commit_publish(
        events.MemberNominated(
            community_id=community.pk,
            actor_id=actor.pk,
            nomination_id=nomination.pk,
            user_id=user.pk,
            programme=programme,
        )
    )
    return nomination


def _locked_nomination(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("community", "user", "nominated_by")
        .get(pk=nomination.pk)
    )


def _drop_areas(community_id: int, user_id: int) -> None:
    ExpertArea.objects.filter(community_id=community_id, user_id=user_id).delete()


@transaction.atomic
def answer_nomination(*, user: Any, nomination: Nomination, accept: bool) -> Nomination:
    """Accept (and take the programme's role, an expert with their areas) or decline a nomination addressed to you."""
    nomination = _locked_nomination(nomination)
    check(user, Can.ANSWER_NOMINATION, nomination)
    if nomination.state != NominationState.PENDING:
        raise Conflict(_("This nomination was already answered or withdrawn."))
    community = nomination.community
    if accept:
        membership = _locked_membership(community, user)
        if membership is None or not membership.is_active:
            raise NotAllowed(_("Only active members can join the programme."))
        _refuse_role(membership, nomination.programme)
        # Whoever nominated them grants the role; if their account is gone, the nominee's own "yes" does.
        grant_role(membership=membership, role=nomination.programme, granted_by=nomination.nominated_by or user)
        _drop_areas(community.pk, user.pk)
        if nomination.programme == Programme.EXPERT:
            ExpertArea.objects.bulk_create(
                [ExpertArea(community=community, user=user, tag=tag) for tag in nomination.areas.all()],
                ignore_conflicts=True,
            )
    nomination.state = NominationState.ACCEPTED if accept else NominationState.DECLINED
    nomination.answered_at = timezone.now()
    nomination.save(update_fields=["state", "answered_at", "updated_at"])
    record_activity(
        actor=user,
        verb=Verb.ACCEPTED if accept else Verb.DECLINED,
        target=nomination,
        community=community,
        recipient=nomination.nominated_by_id,
        data={"programme": nomination.programme},
    )
    on_commit_publish(
        events.NominationAnswered(
            community_id=community.pk,
            actor_id=user.pk,
            nomination_id=nomination.pk,
            user_id=user.pk,
            programme=nomination.programme,
            accepted=accept,
        )
    )
    return nomination


@transaction.atomic
def withdraw_nomination(*, actor: Any, nomination: Nomination) -> Nomination:
    """Take back a nomination that is still waiting for its answer (managers)."""
    nomination = _locked_nomination(nomination)
    check(actor, Can.MANAGE_PROGRAMME, nomination.community)
    if nomination.state != NominationState.PENDING:
        raise Conflict(_("Only a nomination waiting for an answer can be withdrawn."))
    nomination.state = NominationState.WITHDRAWN
    nomination.answered_at = timezone.now()
    nomination.save(update_fields=["state", "answered_at", "updated_at"])
    record_activity(
        actor=actor,
        verb=Verb.WITHDRAWN,
        target=nomination,
        community=nomination.community,
        recipient=nomination.user_id,
        data={"programme": nomination.programme},
    )
    on_commit_publish(
        events.NominationWithdrawn(
            community_id=nomination.community_id,
            actor_id=getattr(actor, "pk", None),
            nomination_id=nomination.pk,
            user_id=nomination.user_id,
        )
    )
    return nomination


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)


@transaction.atomic
def set_areas(*, actor: Any, membership: Membership, tags: Iterable[Tag]) -> list[Tag]:
    """Replace the areas an expert is known for (managers); returns them by name."""
    membership = _locked(membership)
    community = membership.community
    check(actor, Can.MANAGE_PROGRAMME, community)
    if membership.role != Role.EXPERT or not membership.is_active:
        raise Conflict(_("Only experts have areas; %(name)s is not one.") % {"name": membership.user.name})
    areas = _clean_areas(community, tags, required=True)
    kept = ExpertArea.objects.filter(community=community, user_id=membership.user_id)
    kept.exclude(tag__in=areas).delete()
    ExpertArea.objects.bulk_create(
        [ExpertArea(community=community, user_id=membership.user_id, tag=tag) for tag in areas],
        ignore_conflicts=True,
    )
    record_activity(
        actor=actor,
        verb=Verb.AREAS_SET,
        target=membership,
        community=community,
        recipient=membership.user_id,
        data={"areas": sorted(tag.slug for tag in areas)},
    )
    return areas_of(community.pk, membership.user_id)


@transaction.atomic
def leave_programme(*, actor: Any, membership: Membership) -> Membership:
    """Take an ambassador or expert out of the programme (managers, or the member themselves): back to member."""
    membership = _locked(membership)
    community = membership.community
    if getattr(actor, "pk", None) != membership.user_id:
        check(actor, Can.MANAGE_PROGRAMME, community)
    if membership.role not in PROGRAMME_ROLES:
        raise Conflict(_("%(name)s is not in the programme.") % {"name": membership.user.name})
    programme = membership.role
    grant_role(membership=membership, role=Role.MEMBER, granted_by=actor)
    _drop_areas(community.pk, membership.user_id)
    record_activity(
        actor=actor,
        verb=Verb.LEFT,
        target=membership,
        community=community,
        recipient=membership.user_id,
        data={"programme": programme},
    )
    return membership


@retrying_task(max_attempts=5, base_delay=30)
def send_nomination_email(nomination_id: int) -> None:
    """E-mail a nomination once, in the nominee's language, with the link to answer it."""
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("community", "user", "nominated_by")
            .filter(pk=nomination_id)
            .first()
        )
        if nomination is None or nomination.emailed_at is not None or nomination.state != NominationState.PENDING:
            return
        community = nomination.community
        url = settings.BELONG_BASE_URL + reverse("recognition:nomination", args=[community.slug, nomination.pk])
        with translation.override(nomination.user.locale or settings.LANGUAGE_CODE):
            if nomination.programme == Programme.EXPERT:
                subject = _("You are invited to be an expert of %(community)s") % {"community": community.name}
            else:
                subject = _("You are invited to be an ambassador of %(community)s") % {"community": community.name}
            context = {"nomination": nomination, "community": community, "areas": list(nomination.areas.all())}
            body = render_to_string("recognition/programme/email/nomination.txt", {**context, "url": url})
        if nomination.user.email and nomination.user.is_active:
            EmailMessage(subject, body, None, [nomination.user.email]).send()
        nomination.emailed_at = timezone.now()
        nomination.save(update_fields=["emailed_at"])


@transaction.atomic
def close_nominations_of(*, community_id: int, user_id: int) -> int:
    """Withdraw the pending nominations of someone who left or was suspended or banned; returns how many."""
    pending = list(
        Nomination.objects.select_for_update()
        .filter(community_id=community_id, user_id=user_id, state=NominationState.PENDING)
        .order_by("pk")
    )
    for nomination in pending:
        nomination.state = NominationState.WITHDRAWN
        nomination.answered_at = timezone.now()
        nomination.save(update_fields=["state", "answered_at", "updated_at"])
        record_activity(
            actor=None,
            verb=Verb.WITHDRAWN,
            target=nomination,
            community=community_id,
            recipient=user_id,
            data={"programme": nomination.programme, "why": "membership"},
        )
        on_commit_publish(
            events.NominationWithdrawn(community_id=community_id, nomination_id=nomination.pk, user_id=user_id)
        )
    return len(pending)


# ---------------------------------------------------------------------------------------------
# Reads


def areas_of(community_id: int, user_id: int) -> list[Tag]:
    """The tags an expert is known for in the community, by name."""
    return list(Tag.objects.filter(experts__community_id=community_id, experts__user_id=user_id).order_by("name", "id"))


def nominations_of(community: Community, *, user: Any = None) -> QuerySet[Nomination]:
    """The community's nominations, newest first (only `user`'s when given), with their people and areas."""
    nominations = Nomination.objects.filter(community=community)
    if user is not None:
        nominations = nominations.filter(user=user)
    return (
        nominations.select_related("user", "nominated_by", "community")
        .prefetch_related(Prefetch("areas", queryset=Tag.objects.order_by("name", "id")))
        .order_by("-created_at", "-id")
    )


def get_nomination(viewer: Any, community: Community, nomination_id: int) -> Nomination:
    """A nomination its nominee or the community's managers may see; anyone else is told it does not exist."""
    nomination = nominations_of(community).filter(pk=nomination_id).first()
    if nomination is None:
        raise NotFound(_("No such nomination."))
    if nomination.user_id != getattr(viewer, "pk", None) and not can(viewer, Can.MANAGE_PROGRAMME, community):
        raise NotFound(_("No such nomination."))
    return nomination


def programme_members(
    community: Community, *, programme: str | None = None, tag: Tag | None = None
) -> QuerySet[Membership]:
    """Active ambassadors and experts (or those of one programme, or the experts of one tag), each with
    `areas` (their tags by name): one query for the page and one for all their areas."""
    members = Membership.objects.filter(
        community=community, state=MembershipState.ACTIVE, role__in=PROGRAMME_ROLES, user__is_active=True
    )
    if programme:
        members = members.filter(role=_check_programme(programme))
    if tag is not None:
        members = members.filter(
            role=Role.EXPERT, user__in=ExpertArea.objects.filter(community=community, tag=tag).values("user_id")
        )
    areas = ExpertArea.objects.filter(community=community).select_related("tag").order_by("tag__name", "tag_id")
    return (
        members.select_related("user")
        .prefetch_related(Prefetch("user__expert_areas", queryset=areas, to_attr="areas_here"))
        .order_by("role", "id")
    )


@dataclass
class Area:
    """A tag and the experts to ask about it."""

    tag: Tag
    experts: list[User] = field(default_factory=list)


def who_to_ask(community: Community) -> list[Area]:
    """Every tag with experts, by name, with its experts by name: one query."""
    rows = (
        ExpertArea.objects.filter(
            community=community,
            user__in=Membership.objects.filter(
                community=community, state=MembershipState.ACTIVE, role=Role.EXPERT, user__is_active=True
            ).values("user_id"),
        )
        .select_related("tag", "user")
        .order_by("tag__name", "tag_id", "user__handle")
    )
    found: dict[int, Area] = {}
    for row in rows:
        found.setdefault(row.tag_id, Area(row.tag)).experts.append(row.user)
    return list(found.values())
