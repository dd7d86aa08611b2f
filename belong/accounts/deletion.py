"""The steps of deleting an account that reach into other apps' tables; `actions.delete_account` runs them.

Deleting the User row does most of the work: every relation to a person either cascades (their
memberships, tokens, reactions, follows, bookmarks, votes, ledger lines, exports) or is set to
NULL (the author of a post, the actor of an activity), which pages show as a former member. What
a cascade cannot do is here: refuse while the person is the only owner of a community, erase the
text of what they wrote when they ask, clear the one protected relation in the way (a reversal in
the points ledger points at the line it cancels), and keep counters right afterwards.

Every function runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import translation
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import Community, Invitation, Membership, MembershipState, Role
from belong.conversations.models import Post, PostRevision, Thread
from belong.core.errors import Conflict
from belong.ideas.models import Idea, IdeaVote
from belong.recognition.models import PointsEntry


@dataclass(frozen=True)
class RemovedPost:
    post_id: int
    community_id: int
    thread_id: int


def refuse_if_sole_owner(user: User) -> None:
    """Refuse, naming them, while the person is the only active owner of some communities."""
    owned = Membership.objects.filter(user=user, role=Role.OWNER, state=MembershipState.ACTIVE).values("community_id")
    shared = (
        Membership.objects.filter(community_id__in=owned, role=Role.OWNER, state=MembershipState.ACTIVE)
        .exclude(user=user)
        .values("community_id")
    )
    names = list(
        Community.objects.filter(pk__in=owned)
        .exclude(pk__in=shared)
        .order_by("name", "id")
        .values_list("name", flat=True)
    )
    if names:
        raise Conflict(
            _(
                "You are the only owner of %(communities)s. Make someone else owner there first, "
                "then delete your account."
            )
            % {"communities": ", ".join(f"“{name}”" for name in names)}
        )


def removed_title(community: Community | None) -> str:
    """The title a removed thread gets, in its community's first language."""
    languages = community.languages if community is not None else []
    language = languages[0] if languages else settings.LANGUAGE_CODE
    with translation.override(language):
        return _("Removed by its author")


def remove_content(user: User, *, now: datetime) -> list[RemovedPost]:
    """Soft-delete every post of the person and erase its text, revisions and the titles of their threads.

    Reply counts lose the replies that were still shown, and an accepted answer of theirs is
    unmarked, as `conversations.actions.delete_post` does one post at a time. Returns the posts
    newly deleted, for the events the caller publishes after commit.
    """
    posts = Post.objects.filter(author=user)
    live = posts.filter(deleted_at__isnull=True)
    live_replies = live.filter(is_opening=False)
    replies_in_thread = (
        live_replies.filter(thread=OuterRef("pk")).order_by().values("thread").annotate(n=Count("id")).values("n")
    )
    Thread.objects.filter(pk__in=live_replies.values("thread_id")).update(
        reply_count=Greatest(F("reply_count") - Coalesce(Subquery(replies_in_thread), Value(0)), Value(0))
    )
    Thread.objects.filter(accepted_answer__in=posts).update(accepted_answer=None)
    removed = [
        RemovedPost(post_id=pk, community_id=community_id, thread_id=thread_id)
        for pk, community_id, thread_id in live.values_list("pk", "community_id", "thread_id").iterator(chunk_size=2000)
    ]
    live.update(deleted_at=now)
    posts.update(body="", body_html="")
    PostRevision.objects.filter(post__author=user).delete()
    communities = Community.objects.filter(threads__author=user).distinct()
    for community in communities:
        Thread.objects.filter(author=user, community=community).update(title=removed_title(community))
    return removed


def withdraw_invitations_to(user: User, *, now: datetime) -> None:
    """Forget the person's address on invitations sent to it; one still usable is revoked first."""
    sent_to = Invitation.objects.filter(email__iexact=user.email)
    sent_to.filter(revoked_at__isnull=True, uses__lt=F("max_uses")).update(revoked_at=now)
    sent_to.update(email="")


def clear_protected_ledger_lines(user: User) -> None:
    """Delete the person's reversing ledger lines before the cascade reaches the lines they cancel.

    `PointsEntry.reverses` is PROTECT (a reversal must not lose what it cancels), so the cascade
    from the User would refuse to delete a reversed award while its reversal exists. Both go with
    the person; the ledger's append-only guards are on the model and its queryset, which an erasure
    steps around on purpose, as Django's own cascade does.
    """
    reversals = PointsEntry.objects.filter(user=user, reverses__isnull=False)
    reversals._raw_delete(reversals.db)


def ideas_voted_by(user: User) -> list[int]:
    return list(IdeaVote.objects.filter(user=user).values_list("idea_id", flat=True))


def recount_votes(idea_ids: list[int]) -> None:
    """Refresh the vote counts of ideas that lost a vote with the person."""
    if not idea_ids:
        return
    votes = IdeaVote.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("id")).values("n")
    Idea.objects.filter(pk__in=idea_ids).update(vote_count=Coalesce(Subquery(votes), Value(0)))
