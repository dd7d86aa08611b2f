"""Text as the models see it: plain, bounded and checked for meaning before any model runs.

Posts are stored as Markdown; the models want prose. Markup, links and code are dropped, and the
text is cut to `MAX_CHARS` characters. multilingual-e5-small reads 512 tokens at a time; 2,000
characters are about 400–600 tokens in the languages we serve, so a long post is judged by its
opening (where people say what they mean) and the cost of a post is bounded whatever its size.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 2000
# The raw Markdown is cut to this before any pattern runs: stripping markup only shortens a text,
# and an unclosed link or fence repeated over a megabyte would otherwise cost quadratic time.
RAW_LIMIT = 10 * MAX_CHARS

_FENCED_CODE = re.compile(r"```.*?```", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`]*`")
_IMAGE = re.compile(r"!\[([^\]]{0,300})\]\([^)]{0,1000}\)")
_LINK = re.compile(r"\[([^\]]{0,300})\]\([^)]{0,1000}\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]{0,200}>")
_MARKUP = re.compile(r"(^|\s)[#>*_~-]+|[*_~]{1,3}(?=\S)|(?<=\S)[*_~]{1,3}")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str, *, limit: int = MAX_CHARS) -> str:
    """The words of a Markdown text, without markup, control characters or more than `limit` chars."""
    text = "".join(ch for ch in markdown[: max(limit, RAW_LIMIT)] if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = _FENCED_CODE.sub(" ", text)
    text = _INLINE_CODE.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _MARKUP.sub(r"\1", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    return text


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def has_words(text: str) -> bool:
    """Whether a text has enough letters to judge its language and tone (not emoji or digits only)."""
    return letter_count(text) >= 2
