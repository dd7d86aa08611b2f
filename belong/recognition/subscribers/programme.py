"""How recognition reacts to events for the programme: e-mail nominees, and tidy up when roles or memberships change."""

from __future__ import annotations

from belong.communities.events import MemberLeft, MembershipStateChanged, RoleChanged
from belong.communities.models import MembershipState, Role
from belong.core.events import subscribe
from belong.recognition import events, programme
from belong.recognition.models import ExpertArea


@subscribe(events.MemberNominated)
def email_the_nominee(event: events.MemberNominated) -> None:
    programme.send_nomination_email.enqueue(event.nomination_id)


@subscribe(RoleChanged)
def forget_areas_of_former_experts(event: RoleChanged) -> None:
    """Areas belong to experts: a manager who changes an expert's role takes the areas away with it."""
    if event.old_role == Role.EXPERT and event.new_role != Role.EXPERT and event.community_id is not None:
        ExpertArea.objects.filter(community_id=event.community_id, user_id=event.user_id).delete()


@subscribe(MemberLeft)
def withdraw_nominations_of_leavers(event: MemberLeft) -> None:
    if event.community_id is not None:
        programme.close_nominations_of(community_id=event.community_id, user_id=event.user_id)


@subscribe(MembershipStateChanged)
def withdraw_nominations_of_the_excluded(event: MembershipStateChanged) -> None:
    if event.community_id is not None and event.new_state in (
        MembershipState.SUSPENDED,
        MembershipState.BANNED,
        MembershipState.LEFT,
    ):
        programme.close_nominations_of(community_id=event.community_id, user_id=event.user_id)
