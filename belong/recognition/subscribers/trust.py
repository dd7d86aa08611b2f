"""How recognition reacts to other apps' events: trust.

Whatever may raise a member's level (a visit, a post, a reaction given or received, an accepted
answer) schedules a recomputation of that member's level; the task reads the activity log. Reads
of threads have no event: the daily visit and the daily command (`recognition_trust`) catch them.
"""

from __future__ import annotations

from collections.abc import Iterable

from belong.communities.events import MemberVisited
from belong.communities.models import Membership
from belong.conversations.events import AnswerAccepted, PostCreated, ReactionAdded, ThreadStarted
from belong.core.events import subscribe
from belong.recognition.trust import schedule_recompute


def _recompute(community_id: int | None, user_ids: Iterable[int | None]) -> None:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if community_id is None or not wanted:
        return
    memberships = Membership.objects.filter(community_id=community_id, user_id__in=wanted).order_by("pk")
    for membership_id in memberships.values_list("pk", flat=True):
        schedule_recompute(membership_id)


@subscribe(MemberVisited)
def trust_after_a_visit(event: MemberVisited) -> None:
    _recompute(event.community_id, [event.actor_id])


@subscribe(ThreadStarted)
def trust_after_a_thread(event: ThreadStarted) -> None:
    _recompute(event.community_id, [event.actor_id])


@subscribe(PostCreated)
def trust_after_a_reply(event: PostCreated) -> None:
    if not event.is_opening:  # a thread's first post: ThreadStarted has it
        _recompute(event.community_id, [event.actor_id])


@subscribe(ReactionAdded)
def trust_after_a_reaction(event: ReactionAdded) -> None:
    _recompute(event.community_id, [event.actor_id, event.post_author_id])


@subscribe(AnswerAccepted)
def trust_after_an_accepted_answer(event: AnswerAccepted) -> None:
    _recompute(event.community_id, [event.answerer_id])
