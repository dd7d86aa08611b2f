"""Template helpers of the insights pages: language names and moderation reasons in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from belong.insights.forms import language_label

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return language_label(code)


@register.filter
def flag_reasons(flags: Any) -> list[str]:
    """Why the post was put in front of moderators, as words ("profanity", "toxic language")."""
    names = {"profanity": _("profanity"), "toxic": _("toxic language")}
    reasons = flags.get("reasons", []) if isinstance(flags, dict) else []
    return [names.get(reason, reason) for reason in reasons]


@register.filter
def signed(value: float | None) -> str:
    """A score from −1 to +1 with its sign, or a dash when there is none."""
    return "—" if value is None else f"{value:+.2f}"
