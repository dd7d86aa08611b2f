"""Rich text: Markdown rendering, mentions, quoting, body cleaning, and the XSS corpus."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from belong.core.errors import Invalid
from belong.core.richtext import (
    MAX_BODY_CHARS,
    clean_body,
    extract_mentions,
    plain_text,
    quote_markdown,
    render_markdown,
    sanitize_html,
)

CORPUS_PATH = Path(__file__).with_name("xss_corpus.txt")
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "object", "embed", "form", "meta", "base", "svg", "math",
    "link", "frame", "frameset", "applet", "input", "button", "textarea", "select", "noscript", "template",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "dynsrc", "lowsrc"}
SAFE_URL_RE = re.compile(r"^(?:(?:https?|mailto):|/u/[A-Za-z0-9_.-]+/$)", re.IGNORECASE)


def load_corpus() -> list[tuple[int, str]]:
    """Read the payloads with their line numbers, unescaping {U+XXXX}."""
    payloads = []
    for number, line in enumerate(CORPUS_PATH.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        payloads.append((number, re.sub(r"\{U\+([0-9A-Fa-f]{4,6})\}", lambda m: chr(int(m.group(1), 16)), line)))
    return payloads


CORPUS = load_corpus()


class Audit(HTMLParser):
    """Collect every way a piece of HTML breaks the safety rules."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        names = {name for name, _ in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in URL_ATTRIBUTES and (name not in {"href", "src"} or not SAFE_URL_RE.match(value or "")):
                self.problems.append(f"unsafe {name}={value!r} on <{tag}>")
            if value and re.search(r"(?:java|vb)script:|data:", re.sub(r"[\s\x00-\x1f]", "", value), re.IGNORECASE):
                self.problems.append(f"script URL in {name}={value!r} on <{tag}>")
        if tag == "a":
            rel = (dict(attrs).get("rel") or "").split()
            if "nofollow" not in rel or "ugc" not in rel:
                self.problems.append(f"<a> without rel nofollow ugc: {attrs!r}")
            if "target" in names:
                self.problems.append("<a> with a target")
        if tag == "img" and dict(attrs).get("loading") != "lazy":
            self.problems.append(f"<img> without loading=lazy: {attrs!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data!r}")


def audit(markup: str) -> list[str]:
    """Return the safety problems in some HTML, none when it is safe."""
    parser = Audit()
    parser.feed(markup)
    parser.close()
    return parser.problems


class Shape(HTMLParser):
    """Record a document as events with sorted attributes, so attribute order does not matter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *sorted(f"{name}={value}" for name, value in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", data))


def shape(markup: str) -> list[tuple[str, ...]]:
    """Return the parsed shape of some HTML."""
    parser = Shape()
    parser.feed(markup)
    parser.close()
    return parser.events


def assert_safe(payload: str, markup: str, stage: str) -> None:
    """Fail loudly, showing the payload and its output, when the output is unsafe."""
    problems = audit(markup)
    assert not problems, f"\n{stage} let through {problems}\n  payload: {payload!r}\n  output:  {markup!r}"
    # Re-sanitising must change nothing: output that parses differently the second time is how
    # mutation XSS starts.
    assert shape(sanitize_html(markup)) == shape(markup), (
        f"\n{stage} is not stable\n  payload: {payload!r}\n  output:  {markup!r}"
    )


# The corpus


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 80


@pytest.mark.parametrize(("line", "payload"), CORPUS, ids=[f"line-{number}" for number, _ in CORPUS])
def test_a_corpus_payload_renders_harmless(line, payload):
    assert_safe(payload, render_markdown(payload), f"render_markdown (corpus line {line})")


@pytest.mark.parametrize(("line", "payload"), CORPUS, ids=[f"line-{number}" for number, _ in CORPUS])
def test_a_corpus_payload_is_harmless_to_the_sanitiser_alone(line, payload):
    # As though the Markdown stage had passed raw HTML through: the sanitiser must hold on its own.
    assert_safe(payload, sanitize_html(payload), f"sanitize_html (corpus line {line})")


def test_the_audit_catches_what_it_looks_for():
    assert audit('<a href="javascript:alert(1)" rel="nofollow ugc">x</a>')
    assert audit('<p onclick="x">x</p>')
    assert audit("<svg></svg>")
    assert audit('<a href="https://ok.example">x</a>')
    assert audit('<img src="https://ok.example/a.png">')
    assert not audit('<a href="/u/maria/" class="mention" rel="nofollow ugc noopener">@maria</a>')


# Rendering


def test_emphasis_strong_and_strikethrough_render():
    assert render_markdown("*a* **b** ~~c~~") == "<p><em>a</em> <strong>b</strong> <s>c</s></p>\n"


def test_lists_render():
    assert render_markdown("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    assert render_markdown("1. one\n2. two") == "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"


def test_code_blocks_keep_their_content_escaped():
    html = render_markdown('```python\n<b>if</b> a < b and "x" & y:\n```')
    assert html == '<pre><code>&lt;b&gt;if&lt;/b&gt; a &lt; b and "x" &amp; y:\n</code></pre>\n'


def test_inline_code_keeps_its_content_escaped():
    assert render_markdown("`<i>x</i>`") == "<p><code>&lt;i&gt;x&lt;/i&gt;</code></p>\n"


def test_raw_html_is_shown_not_obeyed():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_tables_render_with_alignment_as_an_attribute():
    html = render_markdown("| a | b |\n|:-:|--:|\n| 1 | 2 |")
    assert '<th align="center">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


def test_headings_are_demoted_below_the_page_title():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six")
    assert html == "<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Six</h6>\n"


def test_a_newline_is_a_line_break():
    assert render_markdown("one\ntwo") == "<p>one<br>\ntwo</p>\n"


def test_blockquotes_and_rules_render():
    assert render_markdown("> said\n\n---") == "<blockquote>\n<p>said</p>\n</blockquote>\n<hr>\n"


def test_bare_urls_become_nofollow_links():
    html = render_markdown("see https://example.com/a?b=1 and www.example.org")
    assert '<a href="https://example.com/a?b=1" rel="nofollow ugc noopener">https://example.com/a?b=1</a>' in html
    assert '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html


def test_markdown_links_and_autolinks_get_rel_and_no_target():
    html = render_markdown('[docs](https://example.com "Docs") <https://example.org> <mailto:a@example.com>')
    assert '<a href="https://example.com" title="Docs" rel="nofollow ugc noopener">docs</a>' in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a>' in html
    assert '<a href="mailto:a@example.com" rel="nofollow ugc noopener">' in html
    assert "target" not in html


def test_links_other_than_http_https_and_mailto_stay_as_typed():
    assert render_markdown("[x](/relative/path)") == "<p>[x](/relative/path)</p>\n"
    assert render_markdown("[x](ftp://example.com)") == "<p>[x](ftp://example.com)</p>\n"


def test_images_load_lazily_from_http_urls_only():
    assert render_markdown("![a cat](https://example.com/cat.png)") == (
        '<p><img src="https://example.com/cat.png" alt="a cat" loading="lazy"></p>\n'
    )
    assert "<img" not in render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)")
    assert render_markdown("![a cat](mailto:cat@example.com)") == "<p>a cat</p>\n"


@pytest.mark.parametrize(
    "text",
    [
        "Здравейте, приятели! Как сте днес? Ще се видим в „Общността“.",
        "Olá! A sessão de informação começa às três; não se esqueça do pão.",
        "Hoe gaan dit? Ek sê, dis ’n skê, wêreld, hê, môre, ons sien mekaar; reën en geëet.",
    ],
)
def test_multilingual_text_is_untouched(text):
    assert render_markdown(text) == f"<p>{text}</p>\n"
    assert plain_text(render_markdown(text)) == text


# Mentions


def test_a_mention_links_to_the_profile():
    assert render_markdown("hi @maria") == (
        '<p>hi <a href="/u/maria/" class="mention" rel="nofollow ugc noopener">@maria</a></p>\n'
    )


@pytest.mark.parametrize(
    ("source", "handles"),
    [
        ("@maria", ["maria"]),
        ("thanks @Maria_S and @joão", ["Maria_S"]),
        (
            "@maria. Then @bob, then @carol! and @dave? (@erin) @frank: @grace…",
            ["maria", "bob", "carol", "dave", "erin", "frank", "grace"],
        ),
        ("@maria.silva and @jo-ann_b", ["maria.silva", "jo-ann_b"]),
        ("@maria @bob @maria", ["maria", "bob"]),
        ("**@maria** *@bob* > @carol", ["maria", "bob", "carol"]),
        ("> quoted @maria\n\n- listed @bob\n\n| t |\n|---|\n| @carol |", ["maria", "bob", "carol"]),
        ("write to maria@example.com or bob@localhost", []),
        ("`@maria` and\n\n    @bob\n\n```\n@carol\n```", []),
        ("[see @maria](https://example.com) and https://example.com/@bob", []),
        ("![photo of @maria](https://example.com/a.png)", []),
        ("@мария and @Мария", []),
        ("@mariaб is not @maria", ["maria"]),
        ("@ab is too short, @abc is not", ["abc"]),
        ("@" + "a" * 30 + " fits, @" + "b" * 31 + " does not", ["a" * 30]),
        ("@.maria and @-maria and @maria-", ["maria"]),
        (r"\@maria is escaped", []),
        ("email@maria and a/@bob", []),
    ],
)
def test_mentions_are_found_by_the_rules(source, handles):
    assert extract_mentions(source) == handles
    rendered = re.findall(r'<a href="/u/([^/]+)/" class="mention"', render_markdown(source))
    assert list(dict.fromkeys(rendered)) == handles


def test_a_mention_in_code_is_left_as_code():
    assert render_markdown("`@maria`") == "<p><code>@maria</code></p>\n"


def test_an_email_address_is_a_mail_link_not_a_mention():
    assert render_markdown("maria@example.com") == (
        '<p><a href="mailto:maria@example.com" rel="nofollow ugc noopener">maria@example.com</a></p>\n'
    )


# Quoting


def test_a_quote_is_a_blockquote_headed_by_its_author():
    quoted = quote_markdown("First line\n\nSecond line  \r\n", "maria")
    assert quoted == "> @maria wrote:\n>\n> First line\n>\n> Second line\n\n"
    html = render_markdown(quoted + "I agree.")
    assert html.startswith('<blockquote>\n<p><a href="/u/maria/" class="mention"')
    assert "<p>I agree.</p>" in html
    assert extract_mentions(quoted) == ["maria"]


def test_a_quoted_blockquote_stays_inside_the_quote():
    html = render_markdown(quote_markdown("> earlier\n\ntext", "bob"))
    assert html.count("<blockquote>") == 2
    assert html.endswith("</blockquote>\n")


# Cleaning bodies


@pytest.mark.parametrize("source", ["", "   ", "\n\t\r\n ", "\x00\x01\x1f"])
def test_an_empty_body_is_refused(source):
    with pytest.raises(Invalid) as caught:
        clean_body(source)
    assert caught.value.errors == {"body": [caught.value.detail]}


def test_an_oversized_body_is_refused():
    with pytest.raises(Invalid) as caught:
        clean_body("a" * (MAX_BODY_CHARS + 1))
    assert list(caught.value.errors) == ["body"]
    assert str(MAX_BODY_CHARS) in caught.value.detail


def test_a_body_at_the_limit_is_accepted():
    assert clean_body("  " + "a" * MAX_BODY_CHARS + "\n") == "a" * MAX_BODY_CHARS


def test_control_characters_are_removed_and_newlines_normalised():
    assert clean_body("  a\x00b\x07c\r\nd\re\tf\x0b\x0c\x1b\x7fg  \n") == "abc\nd\ne\tfg"


# Plain text


def test_plain_text_strips_tags_and_collapses_whitespace():
    html = render_markdown("# Title\n\nSome **bold** & <odd> text.\n\n- one\n- two\n\n```\n<code>\n```")
    assert plain_text(html) == "Title Some bold & <odd> text. one two <code>"


def test_plain_text_drops_script_content():
    assert plain_text("<p>a</p><script>alert(1)</script><p>b</p>") == "ab"
