"""Who may do what with recognition: rules registered into `communities.permissions.can`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.models import Membership, Role
from belong.communities.permissions import MANAGERS, Who, rule


class RecognitionAction(StrEnum):
    VIEW_RECOGNITION = "view_recognition"  # leaderboards, badges, celebrations, members' recognition
    VIEW_LEDGER = "view_ledger"  # a member's points history (obj: their Membership)
    MANAGE_RECOGNITION = "manage_recognition"  # rules, caps, ranks, perks, badges
    AWARD = "award"  # give badges or points by hand (obj: the receiver's Membership)
    PIN_TRUST = "pin_trust"  # set a member's trust level by hand (obj: their Membership)
    CLAIM_PERK = "claim_perk"  # obj: the Perk; eligibility is the action's own clear error
    MANAGE_PROGRAMME = "manage_programme"  # candidates, nominations, expert areas
    ANSWER_NOMINATION = "answer_nomination"  # obj: the Nomination


def _on_someone_else(who: Who, membership: Membership) -> bool:
    return who.membership is None or who.membership.pk != membership.pk


@rule(RecognitionAction.VIEW_RECOGNITION)
def view_recognition(who: Who, community: Any) -> bool:
    return True


@rule(RecognitionAction.VIEW_LEDGER)
def view_ledger(who: Who, membership: Membership) -> bool:
    """Members see their own points history; managers see everyone's."""
    if who.role in MANAGERS:
        return True
    return who.is_member and membership.user_id == getattr(who.user, "pk", None)


@rule(RecognitionAction.MANAGE_RECOGNITION)
def manage_recognition(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(RecognitionAction.AWARD)
def award(who: Who, membership: Membership) -> bool:
    """Managers recognise others by hand, never themselves."""
    return who.role in MANAGERS and _on_someone_else(who, membership)


@rule(RecognitionAction.PIN_TRUST)
def pin_trust(who: Who, membership: Membership) -> bool:
    return who.role in MANAGERS and _on_someone_else(who, membership) and membership.role != Role.OWNER


@rule(RecognitionAction.CLAIM_PERK)
def claim_perk(who: Who, perk: Any) -> bool:
    return who.is_member


@rule(RecognitionAction.MANAGE_PROGRAMME)
def manage_programme(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(RecognitionAction.ANSWER_NOMINATION)
def answer_nomination(who: Who, nomination: Any) -> bool:
    return who.is_member and nomination.user_id == getattr(who.user, "pk", None)
