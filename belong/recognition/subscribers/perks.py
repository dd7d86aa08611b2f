"""How recognition reacts to other apps' events: perks.

A member's perk spaces follow their rank (up, and down when points are reversed), their role and
their membership's state; a task re-reads the present state, so events arriving out of order or
twice leave the right accesses.
"""

from __future__ import annotations

from belong.communities.events import MembershipChanged
from belong.core.events import subscribe
from belong.recognition import perks
from belong.recognition.events import RankChanged


def _resync(community_id: int | None, user_id: int) -> None:
    if community_id is not None and perks.has_space_perks(community_id):
        perks.sync_member_task.enqueue(community_id, user_id)


@subscribe(RankChanged)
def follow_rank(event: RankChanged) -> None:
    _resync(event.community_id, event.user_id)


@subscribe(MembershipChanged)
def follow_membership(event: MembershipChanged) -> None:
    """Joining, leaving, a new role, a suspension or ban, a reinstatement: all may open or close perk spaces."""
    _resync(event.community_id, event.user_id)
