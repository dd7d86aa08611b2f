"""Moderation reacts to other apps: insights' signals join the queue, members hear why, joiners accept the rules."""

from __future__ import annotations

from belong.accounts.models import User
from belong.communities.events import MemberJoined
from belong.communities.models import Community
from belong.core.audit import ModerationRecorded
from belong.core.events import subscribe
from belong.insights.events import PostAnalysed
from belong.moderation import tasks
from belong.moderation.actions import ACTIONS_TOLD, accept_rules


@subscribe(PostAnalysed)
def queue_flagged_post(event: PostAnalysed) -> None:
    """The one hook from insights: profanity and toxicity put a post in front of the moderators."""
    if event.flag_reasons:
        tasks.queue_signals.enqueue(event.post_id, list(event.flag_reasons))


@subscribe(ModerationRecorded)
def tell_the_member(event: ModerationRecorded) -> None:
    """The member an action concerns is told what was done and why (not for the moderator's own doings)."""
    if event.subject_id is not None and event.subject_id != event.actor_id and event.action in ACTIONS_TOLD:
        tasks.tell_member.enqueue(event.entry_id)


@subscribe(MemberJoined)
def accept_rules_on_joining(event: MemberJoined) -> None:
    """Joining is accepting the rules shown on the join page (and in the API's description of joining)."""
    if event.user_id is None or event.community_id is None:
        return
    user = User.objects.filter(pk=event.user_id).first()
    community = Community.objects.filter(pk=event.community_id).first()
    if user is not None and community is not None:
        accept_rules(user=user, community=community)
