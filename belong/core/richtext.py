"""Markdown in, sanitised HTML out: the only way member-written text becomes HTML.

The pipeline is markdown-it-py (CommonMark, raw HTML escaped, tables, strikethrough, linkify)
followed, always and last, by the nh3 allow-list sanitiser. Two deliberate choices:

- Headings are demoted by two levels (``#`` renders as ``<h3>``, ``######`` as ``<h6>``) so a
  post never outranks the page's own ``<h1>``/``<h2>``; only h3–h6 are on the allow-list.
- Images are allowed, but only with an http(s) ``src``, and always get ``loading="lazy"``.

Links may point only at http, https or mailto URLs, plus the ``/u/<handle>/`` paths that
mentions produce; anything else renders as the Markdown the member typed. Every link gets
``rel="nofollow ugc noopener"`` and no ``target``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Final

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from belong.core.errors import Invalid

MAX_BODY_CHARS: Final = 20_000

ALLOWED_TAGS: Final = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "img", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
ALIGNMENTS: Final = {"left", "center", "right"}
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
LINK_REL: Final = "nofollow ugc noopener"

# A handle as belong.accounts.validators.handle_format spells it, limited to 3 to 30 characters.
# The lookahead refuses to stop early: `@maria.` ends at "maria", but a handle running into a
# non-Latin letter or a 31st character is not shortened into some other member's handle.
HANDLE_RE: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{1,28}[A-Za-z0-9_](?![\w]|[.-]\w)")
MENTION_HREF_RE: Final = re.compile(r"/u/[A-Za-z0-9_][A-Za-z0-9_.-]{1,28}[A-Za-z0-9_]/")
# Characters that, just before "@", make it part of a word or an address (maria@example.com).
NOT_BEFORE_MENTION: Final = frozenset(".-_+@/`\\")
SCHEME_RE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WHITESPACE_RE: Final = re.compile(r"\s+")


class _Markdown(MarkdownIt):
    """CommonMark that lets link and image destinations be http, https or mailto URLs only."""

    def validateLink(self, url: str) -> bool:
        """Accept only an absolute URL with an allowed scheme; the rest stays literal text."""
        match = SCHEME_RE.match(url)
        return match is not None and match.group(1).lower() in URL_SCHEMES


def _mention(state: StateInline, silent: bool) -> bool:
    """Turn `@handle` into a link to the member's profile, outside links and code."""
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in NOT_BEFORE_MENTION):
        return False
    match = HANDLE_RE.match(state.src, pos + 1, state.posMax)
    if match is None:
        return False
    handle = match.group()
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": f"/u/{handle}/", "class": "mention"}
        token.markup = "mention"
        token.meta = {"handle": handle}
        token = state.push("text", "", 0)
        token.content = f"@{handle}"
        token = state.push("link_close", "a", -1)
        token.markup = "mention"
    state.pos = match.end()
    return True


def _adjust_blocks(state: StateCore) -> None:
    """Demote headings, move table alignment from style to align, and keep images http(s)."""
    for token in state.tokens:
        if token.children:
            _keep_images_on_the_web(token.children)
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
        elif token.type in {"th_open", "td_open"}:
            style = str(token.attrs.pop("style", ""))
            align = style.removeprefix("text-align:")
            if align in ALIGNMENTS:
                token.attrs["align"] = align


def _keep_images_on_the_web(tokens: list[Token]) -> None:
    """Show an image whose source is not an http(s) URL (mailto passes validateLink) as its alt text."""
    for index, token in enumerate(tokens):
        if token.type == "image" and not str(token.attrs.get("src", "")).lower().startswith(("http:", "https:")):
            text = Token("text", "", 0)
            text.content = token.content
            tokens[index] = text
        elif token.children:
            _keep_images_on_the_web(token.children)


def _build_markdown() -> MarkdownIt:
    """Configure the one Markdown parser every body goes through."""
    md = _Markdown("commonmark", {"html": False, "linkify": True, "breaks": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.inline.ruler.before("emphasis", "mention", _mention)
    md.core.ruler.push("belong_blocks", _adjust_blocks)
    return md


_MD: Final = _build_markdown()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop URLs nh3 would pass as relative, except the profile links mentions make."""
    if attribute not in {"href", "src"}:
        return value
    match = SCHEME_RE.match(value)
    if match is not None:
        scheme = match.group(1).lower()
        allowed = {"http", "https"} if tag == "img" else URL_SCHEMES
        return value if scheme in allowed else None
    if tag == "a" and MENTION_HREF_RE.fullmatch(value):
        return value
    return None


def sanitize_html(markup: str) -> str:
    """Reduce HTML to the allow-list; the last step of every render."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values={"th": {"align": set(ALIGNMENTS)}, "td": {"align": set(ALIGNMENTS)}},
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        allowed_classes={"a": {"mention"}},
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Render a member's Markdown as sanitised HTML."""
    return sanitize_html(_MD.render(source))


def _mention_tokens(tokens: list[Token]) -> Iterator[Token]:
    """Yield the link tokens the mention rule made, in document order."""
    for token in tokens:
        if token.type == "link_open" and token.markup == "mention":
            yield token
        if token.children and token.type != "image":
            yield from _mention_tokens(token.children)


def extract_mentions(source: str) -> list[str]:
    """List the handles mentioned in the source, once each, in the order written."""
    handles: dict[str, None] = {}
    for token in _mention_tokens(_MD.parse(source)):
        handles.setdefault(str(token.meta["handle"]), None)
    return list(handles)


def quote_markdown(source: str, author_handle: str) -> str:
    """Quote a post as a Markdown blockquote headed by who wrote it, for a reply."""
    attribution = _("@%(handle)s wrote:") % {"handle": author_handle}
    lines = [attribution, "", *source.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def clean_body(source: str) -> str:
    """Normalise a body for storage, or raise Invalid when it is empty or too long."""
    body = CONTROL_RE.sub("", source.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not body:
        message = _("Write something first.")
        raise Invalid(message, errors={"body": [message]})
    if len(body) > MAX_BODY_CHARS:
        message = _("Keep it to %(limit)d characters; this is %(length)d.") % {
            "limit": MAX_BODY_CHARS,
            "length": len(body),
        }
        raise Invalid(message, errors={"body": [message]})
    return body


def plain_text(markup: str) -> str:
    """Reduce rendered HTML to its text, for search and excerpts (escape it again to display)."""
    text = html.unescape(nh3.clean(markup, tags=set(), clean_content_tags={"script", "style"}))
    return WHITESPACE_RE.sub(" ", text).strip()
