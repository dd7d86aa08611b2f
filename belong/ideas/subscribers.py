"""How the ideas app reacts to its own events: telling people, by e-mail in a task."""

from __future__ import annotations

from belong.core.events import subscribe
from belong.ideas import tasks
from belong.ideas.events import BetaMemberInvited, IdeaStatusChanged


@subscribe(IdeaStatusChanged)
def tell_voters_and_followers(event: IdeaStatusChanged) -> None:
    tasks.notify_status_change.enqueue(event.change_id)


@subscribe(BetaMemberInvited)
def email_beta_invitation(event: BetaMemberInvited) -> None:
    tasks.send_beta_invitation.enqueue(event.invitation_id)
