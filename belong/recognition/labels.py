"""Labels beside authors' names on posts: their rank, and "Ambassador" or "Expert · their areas".

One provider for every author on a page: one query for their roles and ranks, and one more for
experts' areas when an expert is among them.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from belong.communities.models import Membership, MembershipState, Role
from belong.core.labels import Label, label_provider
from belong.recognition.models import ExpertArea, PointsBalance


@label_provider
def rank_and_programme(community_id: int, user_ids: frozenset[int]) -> dict[int, list[Label]]:
    """`{user_id: [programme label, rank label]}` for the authors who have either."""
    rank_name = PointsBalance.objects.filter(community_id=community_id, user_id=OuterRef("user_id")).values(
        "rank__name"
    )[:1]
    rows = list(
        Membership.objects.filter(community_id=community_id, user_id__in=user_ids)
        .annotate(rank_name=Subquery(rank_name))
        .values_list("user_id", "role", "state", "rank_name")
    )
    experts = [
        user_id for user_id, role, state, _rank in rows if role == Role.EXPERT and state == MembershipState.ACTIVE
    ]
    areas: dict[int, list[str]] = {}
    if experts:
        for user_id, name in (
            ExpertArea.objects.filter(community_id=community_id, user_id__in=experts)
            .order_by("tag__name", "tag_id")
            .values_list("user_id", "tag__name")
        ):
            areas.setdefault(user_id, []).append(name)
    found: dict[int, list[Label]] = {}
    for user_id, role, state, rank in rows:
        labels = found.setdefault(user_id, [])
        if state == MembershipState.ACTIVE and role == Role.AMBASSADOR:
            labels.append(Label(_("Ambassador"), "ambassador", _("A member of the ambassador programme.")))
        elif state == MembershipState.ACTIVE and role == Role.EXPERT:
            labels.append(_expert_label(areas.get(user_id, [])))
        if rank:
            labels.append(Label(rank, "rank", _("Rank in this community")))
    return {user_id: labels for user_id, labels in found.items() if labels}


def _expert_label(areas: list[str]) -> Label:
    if not areas:
        return Label(_("Expert"), "expert", _("A member of the expert programme."))
    names = ", ".join(areas)
    return Label(
        _("Expert · %(areas)s") % {"areas": names},
        "expert",
        _("Ask them about %(areas)s.") % {"areas": names},
    )
