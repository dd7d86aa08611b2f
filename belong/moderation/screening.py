"""The checks every new or edited post passes: blocked words, spam heuristics, first-post approval.

Registered as the one screener of `belong.core.screening`, which conversations calls before it
writes a post. Blocked words refuse the post outright (the writer sees which word and keeps
their text); the other checks let it be written hidden, waiting in the review queue.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Community, Role
from belong.communities.permissions import membership_for
from belong.conversations.actions import link_targets
from belong.conversations.models import Post
from belong.core.errors import Invalid
from belong.core.screening import Screening
from belong.moderation.actions import hold_for_review, settings_for

# The same text again within this time is spam, in the same thread or another.
REPEAT_WINDOW = timedelta(hours=24)
# Shorter texts may repeat: answers such as "Thanks, that fixed it!" are said again and again.
MIN_REPEAT_CHARS = 50
# Below this trust level a member's posts with many links wait for review.
LINKS_TRUST_LEVEL = 2

_WORD = re.compile(r"\w+", re.UNICODE)


def blocked_word_in(text: str, blocked: list[str]) -> str | None:
    """The first blocked word or phrase the text holds as whole words, case-insensitively."""
    if not blocked:
        return None
    words = " " + " ".join(_WORD.findall(text.casefold())) + " "
    for entry in blocked:
        phrase = " ".join(_WORD.findall(entry.casefold()))
        if phrase and f" {phrase} " in words:
            return entry
    return None


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class ModerationScreener:
    def screen(
        self, *, author: Any, community: Community, source: str, html: str, title: str = "", post: Any = None
    ) -> Screening:
        moderation = settings_for(community)
        word = blocked_word_in(f"{title}\n{source}", moderation.blocked_words)
        if word is not None:
            message = _("This community does not allow the word “%(word)s”. Change it and post again.") % {"word": word}
            raise Invalid(message, errors={"body": [message]})
        membership = membership_for(author, community)
        if getattr(author, "is_superuser", False) or membership is None or membership.role != Role.MEMBER:
            return Screening()  # the brand's people and the community's trusted roles are not screened
        reasons = []
        if membership.trust_level < LINKS_TRUST_LEVEL and len(link_targets(html)) > moderation.max_links:
            reasons.append("links")
        if post is None and self._repeats(author, community, source, title):
            reasons.append("repeated")
        if post is None and moderation.require_approval and self._is_new(author, community, moderation.approval_posts):
            reasons.append("approval")
        return Screening(tuple(reasons))

    def hold(self, *, post: Any, screening: Screening) -> None:
        hold_for_review(post=post, screening=screening)

    @staticmethod
    def _repeats(author: Any, community: Community, source: str, title: str) -> bool:
        """The same reply again, or the same thread (title and text) again, within a day."""
        text = _normalised(source)
        if len(text) < MIN_REPEAT_CHARS:
            return False  # the same short answer in two threads ("Grind it finer, please.") is not spam
        recent = (
            Post.objects.filter(
                author=author,
                community=community,
                created_at__gte=timezone.now() - REPEAT_WINDOW,
                deleted_at__isnull=True,
            )
            .order_by("-created_at")
            .values_list("body", "is_opening", "thread__title")[:50]
        )
        wanted = (text, bool(title), _normalised(title))
        return any(
            (_normalised(body), opening, _normalised(name) if opening else "") == wanted
            for body, opening, name in recent
        )

    @staticmethod
    def _is_new(author: Any, community: Community, approval_posts: int) -> bool:
        published = Post.objects.filter(author=author, community=community, is_hidden=False, deleted_at__isnull=True)
        return published.count() < approval_posts
