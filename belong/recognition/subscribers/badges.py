"""How recognition reacts to other apps' events: badges, each rule run in a task after commit.

The task takes the rule's name and its subject's id (a member, a post, a thread or an idea) and
reads the data again, so running it twice, late or out of order gives what is due once.
"""

from __future__ import annotations

from belong.communities.events import MemberJoined
from belong.conversations.events import AnswerAccepted, CollectionChanged, PostCreated, ReactionAdded, ThreadStarted
from belong.conversations.models import ReactionKind, ThreadKind
from belong.core.events import subscribe
from belong.core.tasks import enqueue_on_commit, retrying_task
from belong.ideas.events import BetaInvitationAnswered, IdeaProposed, IdeaStatusChanged, IdeaVoted
from belong.recognition import badges
from belong.recognition.events import NominationAnswered, TrustLevelChanged


@retrying_task(max_attempts=5, base_delay=30)
def run_badge_rule(rule: str, community_id: int, subject_id: int) -> int:
    """Run one badge rule for its subject; return how many badges it gave."""
    return len(badges.run_rule(rule, community_id=community_id, subject_id=subject_id))


def _run(rule: str, community_id: int | None, subject_id: int | None) -> None:
    if community_id is not None and subject_id is not None:
        enqueue_on_commit(run_badge_rule, rule, community_id, subject_id)


@subscribe(MemberJoined)
def on_member_joined(event: MemberJoined) -> None:
    _run("welcome", event.community_id, event.user_id)


@subscribe(PostCreated)
def on_post_created(event: PostCreated) -> None:
    _run("first-post", event.community_id, event.actor_id)
    if not event.is_opening:
        _run("conversation-starter", event.community_id, event.thread_id)


@subscribe(ThreadStarted)
def on_thread_started(event: ThreadStarted) -> None:
    if event.kind in (ThreadKind.STORY, ThreadKind.REVIEW):
        _run("stories", event.community_id, event.actor_id)


@subscribe(AnswerAccepted)
def on_answer_accepted(event: AnswerAccepted) -> None:
    _run("answers", event.community_id, event.answerer_id)


@subscribe(ReactionAdded)
def on_reaction_added(event: ReactionAdded) -> None:
    if event.kind == ReactionKind.HELPFUL:
        _run("helpful", event.community_id, event.post_author_id)
    _run("appreciated", event.community_id, event.post_id)


@subscribe(CollectionChanged)
def on_collection_changed(event: CollectionChanged) -> None:
    if event.change == "added":
        _run("collector", event.community_id, event.actor_id)


@subscribe(IdeaProposed)
def on_idea_proposed(event: IdeaProposed) -> None:
    _run("voice", event.community_id, event.actor_id)


@subscribe(IdeaVoted)
def on_idea_voted(event: IdeaVoted) -> None:
    if event.actor_id != event.idea_author_id:  # a vote for one's own idea supports no one
        _run("supporter", event.community_id, event.actor_id)


@subscribe(IdeaStatusChanged)
def on_idea_status_changed(event: IdeaStatusChanged) -> None:
    if event.shipped:
        _run("shipped", event.community_id, event.idea_id)


@subscribe(BetaInvitationAnswered)
def on_beta_invitation_answered(event: BetaInvitationAnswered) -> None:
    if event.accepted:
        _run("beta", event.community_id, event.actor_id)


@subscribe(TrustLevelChanged)
def on_trust_level_changed(event: TrustLevelChanged) -> None:
    if event.new_level >= badges.REGULAR_TRUST_LEVEL:
        _run("regular", event.community_id, event.user_id)


@subscribe(NominationAnswered)
def on_nomination_answered(event: NominationAnswered) -> None:
    if event.accepted:
        _run("programme", event.community_id, event.user_id)
