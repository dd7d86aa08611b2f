"""How recognition reacts to other apps' events: points, earned only through the ledger.

Each subscriber enqueues a task with ids, so the request that replied or reacted does not pay for
the award. Every task compares the ledger with the state of the content *now* (does the reaction
still exist, is the post deleted, is the idea shipped) and awards or reverses to match, so a task
that runs twice, late, or after the opposite event leaves the same ledger. Sources name what
earned the points (see `PointsEntry.source`), which makes awards idempotent and reversals findable.

Each task calls a plain function that takes `at=`: `recognition_backfill` replays history through
the same functions, dated when things happened, so the daily caps count the day they were earned.
"""

from __future__ import annotations

import datetime as dt

from belong.communities import events as community_events
from belong.conversations import events as conversation_events
from belong.conversations.models import Post, Reaction, ReactionKind, Thread, ThreadKind
from belong.core.events import subscribe
from belong.core.tasks import retrying_task
from belong.ideas import events as idea_events
from belong.ideas.models import Idea, IdeaVote
from belong.recognition import ledger
from belong.recognition.models import EntryKind, PointsEntry, RuleKey

# What starting a thread of each kind earns; ideas earn by IdeaProposed instead.
THREAD_RULES: dict[str, str | None] = {ThreadKind.REVIEW: RuleKey.REVIEW_WRITTEN, ThreadKind.IDEA: None}


def post_source(post_id: int, what: str) -> str:
    return f"post:{post_id}:{what}"


def reaction_source(post_id: int, reactor_id: int, kind: str) -> str:
    return post_source(post_id, f"reaction:{reactor_id}:{kind}")


def idea_source(idea_id: int, what: str) -> str:
    return f"idea:{idea_id}:{what}"


def _post(post_id: int) -> Post | None:
    return Post.objects.select_related("thread").filter(pk=post_id).first()


def _standing(post: Post | None) -> bool:
    """Whether the post still earns: it exists and was not deleted."""
    return post is not None and post.deleted_at is None


# Tasks: ids in, the ledger brought in line with the content


@retrying_task(max_attempts=5, base_delay=10)
def points_for_thread(post_id: int) -> None:
    thread_points(post_id)


def thread_points(post_id: int, *, at: dt.datetime | None = None) -> None:
    """Points for starting a thread (a review earns its own rule), for its opening post."""
    post = _post(post_id)
    if post is None or not _standing(post) or not post.is_opening:
        return
    rule = THREAD_RULES.get(post.thread.kind, RuleKey.THREAD_STARTED)
    if rule is None:
        return
    ledger.award(
        community_id=post.community_id,
        user_id=post.author_id,
        rule=rule,
        source=post_source(post.pk, "thread"),
        space_id=post.thread.space_id,
        at=at,
    )


@retrying_task(max_attempts=5, base_delay=10)
def points_for_reply(post_id: int) -> None:
    reply_points(post_id)


def reply_points(post_id: int, *, at: dt.datetime | None = None) -> None:
    post = _post(post_id)
    if post is None or not _standing(post) or post.is_opening:
        return
    ledger.award(
        community_id=post.community_id,
        user_id=post.author_id,
        rule=RuleKey.REPLY,
        source=post_source(post.pk, "reply"),
        space_id=post.thread.space_id,
        at=at,
    )


@retrying_task(max_attempts=5, base_delay=10)
def points_for_answer(thread_id: int, post_id: int, giver_id: int | None, previous_post_id: int | None) -> None:
    answer_points(thread_id, post_id, giver_id, previous_post_id)


def answer_points(
    thread_id: int, post_id: int, giver_id: int | None, previous_post_id: int | None, *, at: dt.datetime | None = None
) -> None:
    """Points to the accepted answer's author (given by whoever accepted it); a replaced answer loses its points."""
    thread = Thread.objects.filter(pk=thread_id).only("pk", "community_id", "space_id", "accepted_answer_id").first()
    if thread is None:
        return
    if previous_post_id is not None and thread.accepted_answer_id != previous_post_id:
        ledger.reverse(community_id=thread.community_id, source=post_source(previous_post_id, "accepted"))
    post = _post(post_id)
    if thread.accepted_answer_id != post_id or post is None or not _standing(post):
        return
    ledger.award(
        community_id=thread.community_id,
        user_id=post.author_id,
        rule=RuleKey.ANSWER_ACCEPTED,
        source=post_source(post_id, "accepted"),
        giver_id=giver_id,
        space_id=thread.space_id,
        at=at,
    )


@retrying_task(max_attempts=5, base_delay=10)
def sync_reaction_points(post_id: int, reactor_id: int, kind: str) -> None:
    reaction_points(post_id, reactor_id, kind)


def reaction_points(post_id: int, reactor_id: int, kind: str, *, at: dt.datetime | None = None) -> None:
    """Points to the post's author while the reaction stands, reversed once it is taken back."""
    post = _post(post_id)
    if post is None:
        return
    source = reaction_source(post_id, reactor_id, kind)
    reacted = Reaction.objects.filter(post_id=post_id, user_id=reactor_id, kind=kind).exists()
    if not reacted or not _standing(post):
        ledger.reverse(community_id=post.community_id, source=source)
        return
    ledger.award(
        community_id=post.community_id,
        user_id=post.author_id,
        rule=RuleKey.HELPFUL_RECEIVED if kind == ReactionKind.HELPFUL else RuleKey.REACTION_RECEIVED,
        source=source,
        giver_id=reactor_id,
        space_id=post.thread.space_id,
        at=at,
    )


@retrying_task(max_attempts=5, base_delay=10)
def reverse_post_points(community_id: int, post_id: int) -> None:
    """Take back everything a deleted post earned anyone (its reply, reactions, accepted answer)."""
    post = _post(post_id)
    if post is not None and post.deleted_at is None:
        return  # not deleted after all (a stale event): nothing to take back
    ledger.reverse(community_id=community_id, source=post_source(post_id, ""), prefix=True)
    if post is not None and post.is_opening and post.thread.kind == ThreadKind.IDEA:
        ledger.reverse(community_id=community_id, source=idea_source(post.thread_id, "proposed"))


def _idea(idea_id: int) -> Idea | None:
    return Idea.objects.select_related("thread").filter(pk=idea_id).first()


@retrying_task(max_attempts=5, base_delay=10)
def points_for_idea(idea_id: int) -> None:
    idea_points(idea_id)


def idea_points(idea_id: int, *, at: dt.datetime | None = None) -> None:
    idea = _idea(idea_id)
    if idea is None or idea.thread.posts.filter(is_opening=True, deleted_at__isnull=False).exists():
        return
    ledger.award(
        community_id=idea.community_id,
        user_id=idea.thread.author_id,
        rule=RuleKey.IDEA_PROPOSED,
        source=idea_source(idea.pk, "proposed"),
        space_id=idea.thread.space_id,
        at=at,
    )


def _sync_vote(idea: Idea, voter_id: int, voted: bool, at: dt.datetime | None = None) -> None:
    source = idea_source(idea.pk, f"vote:{voter_id}")
    if not voted:
        ledger.reverse(community_id=idea.community_id, source=source)
        return
    ledger.award(
        community_id=idea.community_id,
        user_id=idea.thread.author_id,
        rule=RuleKey.IDEA_VOTE_RECEIVED,
        source=source,
        giver_id=voter_id,
        space_id=idea.thread.space_id,
        at=at,
    )


@retrying_task(max_attempts=5, base_delay=10)
def sync_vote_points(idea_id: int, voter_id: int) -> None:
    vote_points(idea_id, voter_id)


def vote_points(idea_id: int, voter_id: int, *, at: dt.datetime | None = None) -> None:
    """Points to the idea's author while the vote stands (their own vote earns nothing), reversed when withdrawn."""
    idea = _idea(idea_id)
    if idea is not None:
        _sync_vote(idea, voter_id, IdeaVote.objects.filter(idea=idea, user_id=voter_id).exists(), at)


@retrying_task(max_attempts=5, base_delay=10)
def sync_idea_votes(idea_id: int) -> None:
    """Bring every vote of an idea in line with the ledger (after a merge moved votes between ideas)."""
    idea = _idea(idea_id)
    if idea is None:
        return
    voters = set(IdeaVote.objects.filter(idea=idea).values_list("user_id", flat=True))
    prefix = idea_source(idea.pk, "vote:")
    live = PointsEntry.objects.filter(
        community_id=idea.community_id, source__startswith=prefix, kind=EntryKind.AWARD, reversal__isnull=True
    ).values_list("source", flat=True)
    earning = {int(source.removeprefix(prefix)) for source in live}
    for voter_id in sorted(earning - voters):
        _sync_vote(idea, voter_id, False)
    for voter_id in sorted(voters - earning):
        _sync_vote(idea, voter_id, True)


@retrying_task(max_attempts=5, base_delay=10)
def sync_shipped_points(idea_id: int) -> None:
    shipped_points(idea_id)


def shipped_points(idea_id: int, *, at: dt.datetime | None = None) -> None:
    """Points to the idea's author while it is shipped, reversed if it moves back out."""
    idea = _idea(idea_id)
    if idea is None:
        return
    source = idea_source(idea.pk, "shipped")
    if idea.shipped_at is None:
        ledger.reverse(community_id=idea.community_id, source=source)
        return
    ledger.award(
        community_id=idea.community_id,
        user_id=idea.thread.author_id,
        rule=RuleKey.IDEA_SHIPPED,
        source=source,
        space_id=idea.thread.space_id,
        at=at,
    )


# Subscribers


@subscribe(conversation_events.ThreadStarted)
def thread_started(event: conversation_events.ThreadStarted) -> None:
    if THREAD_RULES.get(event.kind, RuleKey.THREAD_STARTED) is not None:
        points_for_thread.enqueue(event.post_id)


@subscribe(conversation_events.PostCreated)
def post_created(event: conversation_events.PostCreated) -> None:
    if not event.is_opening:
        points_for_reply.enqueue(event.post_id)


@subscribe(conversation_events.AnswerAccepted)
def answer_accepted(event: conversation_events.AnswerAccepted) -> None:
    points_for_answer.enqueue(event.thread_id, event.post_id, event.actor_id, event.previous_post_id)


@subscribe(conversation_events.ReactionAdded)
def reaction_added(event: conversation_events.ReactionAdded) -> None:
    if event.actor_id is not None and event.actor_id != event.post_author_id:
        sync_reaction_points.enqueue(event.post_id, event.actor_id, event.kind)


@subscribe(conversation_events.ReactionRemoved)
def reaction_removed(event: conversation_events.ReactionRemoved) -> None:
    if event.actor_id is not None and event.actor_id != event.post_author_id:
        sync_reaction_points.enqueue(event.post_id, event.actor_id, event.kind)


@subscribe(conversation_events.PostDeleted)
def post_deleted(event: conversation_events.PostDeleted) -> None:
    if event.community_id is not None:
        reverse_post_points.enqueue(event.community_id, event.post_id)


@subscribe(idea_events.IdeaProposed)
def idea_proposed(event: idea_events.IdeaProposed) -> None:
    points_for_idea.enqueue(event.idea_id)


@subscribe(idea_events.IdeaVoted)
def idea_voted(event: idea_events.IdeaVoted) -> None:
    if event.actor_id is not None and event.actor_id != event.idea_author_id:
        sync_vote_points.enqueue(event.idea_id, event.actor_id)


@subscribe(idea_events.IdeaVoteWithdrawn)
def idea_vote_withdrawn(event: idea_events.IdeaVoteWithdrawn) -> None:
    if event.actor_id is not None and event.actor_id != event.idea_author_id:
        sync_vote_points.enqueue(event.idea_id, event.actor_id)


@subscribe(idea_events.IdeasMerged)
def ideas_merged(event: idea_events.IdeasMerged) -> None:
    if event.votes_moved:
        sync_idea_votes.enqueue(event.source_id)
        sync_idea_votes.enqueue(event.target_id)


@subscribe(idea_events.IdeaStatusChanged)
def idea_status_changed(event: idea_events.IdeaStatusChanged) -> None:
    sync_shipped_points.enqueue(event.idea_id)


# Who appears on leaderboards changed: cached boards must be read again.
@subscribe(community_events.MembershipChanged)
def membership_changed(event: community_events.MembershipChanged) -> None:
    if event.community_id is not None:
        ledger.ledger_changed(event.community_id)
