"""The community tabs' moderation link: `{% moderation_pending community as pending %}`."""

from __future__ import annotations

from django import template

from belong.communities.models import Community
from belong.communities.permissions import can
from belong.moderation.permissions import ModerationAction
from belong.moderation.queries import pending_count

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_pending(context: template.Context, community: Community) -> int | None:
    """How many items wait in the review queue, for people who review it; None for everyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if community is None or user is None or not user.is_authenticated:
        return None
    if not can(user, ModerationAction.REVIEW, community):
        return None
    # The tabs and the moderation subnav both ask: count once per request.
    cache: dict[int, int] = request.__dict__.setdefault("_belong_pending_reviews", {})
    if community.pk not in cache:
        cache[community.pk] = pending_count(community)
    return cache[community.pk]
