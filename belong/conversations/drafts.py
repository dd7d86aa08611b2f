"""Members' unsent threads and replies (Discourse-style drafts): saving, discarding and reading them.

Drafts are private. Every read here is keyed on the person asking, so nobody else (no moderator,
manager or operator) ever sees one. Saving a draft leaves no trace in the activity log either:
the log feeds recognition and the managers' insights, and an unsent text is nobody's business.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from belong.communities.models import Community, Space
from belong.communities.permissions import check
from belong.communities.queries import spaces_visible_to
from belong.conversations.models import BOARD_KINDS, MAX_TITLE_CHARS, Draft, Thread, ThreadKind
from belong.conversations.permissions import ConversationAction as Can
from belong.conversations.queries import visible_threads
from belong.core.errors import Invalid, NotFound
from belong.core.richtext import MAX_BODY_CHARS


def _check_text(title: str, body: str, kind: str) -> None:
    if len(title) > MAX_TITLE_CHARS:
        message = _("Keep the title under %(limit)d characters.") % {"limit": MAX_TITLE_CHARS}
        raise Invalid(message, errors={"title": [message]})
    if len(body) > MAX_BODY_CHARS:
        message = _("Keep the text under %(limit)d characters.") % {"limit": MAX_BODY_CHARS}
        raise Invalid(message, errors={"body": [message]})
    if kind and (kind not in ThreadKind.values or kind in BOARD_KINDS):
        raise Invalid(_("Unknown kind of thread."), errors={"kind": [_("Pick one of the listed kinds.")]})


@transaction.atomic
def save_draft(
    *,
    user: Any,
    space: Space | None = None,
    thread: Thread | None = None,
    title: str = "",
    body: str = "",
    kind: str = "",
) -> Draft | None:
    """Keep the person's draft of a new thread in `space`, or of a reply to `thread` (one of each at most).

    Only someone who may start a thread there, or reply, may keep a draft of it. A draft with
    neither title nor text is discarded, and None returned.
    """
    if (space is None) == (thread is None):
        raise ValueError("A draft is for a space or for a thread, not both")
    target: dict[str, Any]
    if thread is not None:
        check(user, Can.REPLY, thread)
        title, kind = "", ""  # a reply has neither
        community_id, target = thread.community_id, {"thread": thread}
    elif space is not None:
        check(user, Can.START_THREAD, space)
        community_id, target = space.community_id, {"space": space}
    title, body, kind = title or "", body or "", kind or ""
    _check_text(title, body, kind)
    if not title.strip() and not body.strip():
        Draft.objects.filter(user=user, **target).delete()
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, **target, defaults={"community_id": community_id, "title": title, "body": body, "kind": kind}
    )
    return draft


@transaction.atomic
def discard_draft(*, user: Any, draft: Draft) -> None:
    """Throw away one of the person's own drafts; someone else's is as good as missing."""
    if draft.user_id != getattr(user, "pk", None):
        raise NotFound(_("No such draft."))
    Draft.objects.filter(pk=draft.pk, user=user).delete()


def drafts_of(user: Any, community: Community) -> QuerySet[Draft]:
    """The person's own drafts in the community, latest first, for the spaces and threads they may still see."""
    if not getattr(user, "is_authenticated", False):
        return Draft.objects.none()
    still_visible = Q(space__in=spaces_visible_to(user, community).values("pk")) | Q(
        thread__in=visible_threads(user, community).values("pk")
    )
    return (
        Draft.objects.filter(still_visible, user=user, community=community)
        .select_related("space", "thread", "thread__space")
        .order_by("-updated_at", "-id")
    )


def draft_for(user: Any, *, space: Space | None = None, thread: Thread | None = None) -> Draft | None:
    """The person's draft of a new thread in the space, or of a reply to the thread, if they kept one."""
    if not getattr(user, "is_authenticated", False) or (space is None) == (thread is None):
        return None
    target: dict[str, Any] = {"thread": thread} if thread is not None else {"space": space}
    return Draft.objects.filter(user=user, **target).first()


def get_draft(user: Any, community: Community, draft_id: int) -> Draft:
    """One of the person's own drafts in the community; anyone else's is not found.

    Unlike the list, this finds drafts of spaces the person may no longer see, so they can still
    throw them away.
    """
    draft = None
    if getattr(user, "is_authenticated", False):
        draft = Draft.objects.filter(pk=draft_id, user=user, community=community).first()
    if draft is None:
        raise NotFound(_("No such draft."))
    return draft
