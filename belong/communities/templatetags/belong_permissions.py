"""Ask communities.permissions from templates: `{% can "manage_community" community as may_manage %}`."""

from __future__ import annotations

from typing import Any

from django import template

from belong.communities import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any) -> bool:
    """Whether the viewing person may do `action` on `obj` (the same rule every view applies)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return obj is not None and permissions.can(user, action, obj)
