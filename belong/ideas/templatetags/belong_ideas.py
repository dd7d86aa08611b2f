"""Template helpers of the idea board: `{% sees_beta_groups community as show_beta %}` for the community's tabs."""

from __future__ import annotations

from typing import Any

from django import template

from belong.communities.models import Community
from belong.communities.permissions import can
from belong.ideas.permissions import IdeaAction
from belong.ideas.queries import beta_groups_of, pending_invitations

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_beta_groups(context: template.Context, community: Community) -> bool:
    """Whether the viewer has a beta group to see or an invitation to answer (managers always)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if can(user, IdeaAction.MANAGE_BETA, community):
        return True
    cache: dict[int, bool] = user.__dict__.setdefault("_belong_sees_beta", {})
    if community.pk not in cache:
        cache[community.pk] = _has_beta_groups(user, community)
    return cache[community.pk]


def _has_beta_groups(user: Any, community: Community) -> bool:
    return beta_groups_of(user, community).exists() or pending_invitations(user, community).exists()
