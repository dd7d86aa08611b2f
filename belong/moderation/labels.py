"""Words for what the moderation log records, translated when shown."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "post.hidden": _("Post hidden"),
    "post.unhidden": _("Post shown again"),
    "thread.hidden": _("Thread hidden"),
    "thread.unhidden": _("Thread shown again"),
    "thread.locked": _("Thread locked"),
    "thread.unlocked": _("Thread unlocked"),
    "thread.pinned": _("Thread pinned"),
    "thread.unpinned": _("Thread unpinned"),
    "thread.moved": _("Thread moved"),
    "thread.merged": _("Threads merged"),
    "thread.split": _("Thread split"),
    "member.warned": _("Member warned"),
    "member.silenced": _("Member silenced"),
    "member.unsilenced": _("Silence lifted"),
    "member.suspended": _("Member suspended"),
    "member.banned": _("Member banned"),
    "member.reinstated": _("Member reinstated"),
    "review.approved": _("Post approved"),
    "review.rejected": _("Post rejected"),
    "review.edited": _("Post edited and approved"),
    "review.hidden": _("Post hidden after review"),
    "appeal.granted": _("Appeal granted"),
    "appeal.denied": _("Appeal denied"),
    "rule.added": _("Rule added"),
    "rule.changed": _("Rule changed"),
    "rule.removed": _("Rule removed"),
    "settings.changed": _("Moderation settings changed"),
}

SIGNAL_LABELS: dict[str, Promise] = {
    "repeated": _("The same text was posted again within a day"),
    "links": _("Many links from a new member"),
    "approval": _("A new member's first post"),
    "profanity": _("Profanity"),
    "toxic": _("Toxic language"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def signal_label(code: str) -> str:
    return str(SIGNAL_LABELS.get(code, code))
