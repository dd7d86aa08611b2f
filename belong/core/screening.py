"""One hook between the apps that write posts and the one that moderates them.

Conversations asks `screen_post()` before it writes a post: the moderation app's screener may
refuse it (a blocked word: `Invalid`, nothing written) or ask that it wait for a moderator
(the reasons it returns). The writer then hides the post and calls `hold_post()`, which puts it
in the review queue in the same transaction. With no screener registered every post passes, so
conversations works without the moderation app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Screening:
    """Why a post waits for a moderator before others see it; no reasons means it is published."""

    reasons: tuple[str, ...] = field(default=())

    @property
    def held(self) -> bool:
        return bool(self.reasons)


class Screener(Protocol):
    def screen(
        self, *, author: Any, community: Any, source: str, html: str, title: str = "", post: Any = None
    ) -> Screening: ...

    def hold(self, *, post: Any, screening: Screening) -> None: ...


_screener: Screener | None = None
PASSED = Screening()


def register_screener(screener: Screener | None) -> None:
    global _screener
    _screener = screener


def screen_post(*, author: Any, community: Any, source: str, html: str, title: str = "", post: Any = None) -> Screening:
    """Check a new text (or an edit of `post`): may raise Invalid; returns why it must wait, if it must."""
    if _screener is None:
        return PASSED
    return _screener.screen(author=author, community=community, source=source, html=html, title=title, post=post)


def hold_post(*, post: Any, screening: Screening) -> None:
    """Put a hidden post in front of the moderators, in the caller's transaction."""
    if _screener is not None and screening.held:
        _screener.hold(post=post, screening=screening)
