"""How recognition reacts to events: celebrations of milestones, badges, ranks and trust levels, in tasks.

Anniversaries have no event: the daily command (`recognition_anniversaries`, or `recognition_daily`)
celebrates them.
"""

from __future__ import annotations

from belong.conversations.events import AnswerAccepted, PostCreated
from belong.core.events import subscribe
from belong.core.tasks import enqueue_on_commit, retrying_task
from belong.ideas.events import IdeaStatusChanged
from belong.recognition import celebrations
from belong.recognition.events import BadgeAwarded, RankChanged, TrustLevelChanged


@retrying_task(max_attempts=5, base_delay=30)
def run_celebration(moment: str, community_id: int, subject_id: int, value: int = 0) -> bool:
    """Celebrate one moment for its subject, once; return whether it was new."""
    return celebrations.run_moment(moment, community_id=community_id, subject_id=subject_id, value=value) is not None


def _run(moment: str, community_id: int | None, subject_id: int | None, value: int = 0) -> None:
    if community_id is not None and subject_id is not None:
        enqueue_on_commit(run_celebration, moment, community_id, subject_id, value)


@subscribe(PostCreated)
def on_post_created(event: PostCreated) -> None:
    _run("posts", event.community_id, event.actor_id)


@subscribe(AnswerAccepted)
def on_answer_accepted(event: AnswerAccepted) -> None:
    _run("first-answer", event.community_id, event.answerer_id)


@subscribe(IdeaStatusChanged)
def on_idea_status_changed(event: IdeaStatusChanged) -> None:
    if event.shipped:
        _run("first-idea-shipped", event.community_id, event.idea_id)


@subscribe(BadgeAwarded)
def on_badge_awarded(event: BadgeAwarded) -> None:
    _run("badge", event.community_id, event.award_id)


@subscribe(RankChanged)
def on_rank_changed(event: RankChanged) -> None:
    if event.up and event.rank_id is not None:
        _run("rank", event.community_id, event.user_id, event.rank_id)


@subscribe(TrustLevelChanged)
def on_trust_level_changed(event: TrustLevelChanged) -> None:
    if event.new_level > event.old_level:
        _run("trust", event.community_id, event.user_id, event.new_level)
