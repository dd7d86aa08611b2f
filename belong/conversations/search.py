"""Full-text search over threads and posts: one interface, an engine per database.

The index is a table of its own, `conversations_search`, with one row per post keyed by the
post's id, so `Post` stays lean and each database keeps the index in its native form:

- PostgreSQL: `(post_id, vector tsvector)` with a GIN index. The vector is built with the
  `simple` configuration (lower-casing, no stemming, no stop words), so Bulgarian, Portuguese,
  Afrikaans and English are treated alike; the thread's title weighs A, the post's text B.
- SQLite: an FTS5 virtual table `(title, body)` whose rowid is the post's id, tokenised by
  `unicode61 remove_diacritics 2`; ranked by bm25 with the title weighing ten times the body.

Both engines see the same words: `fold()` lower-cases and strips accents from Latin letters
(café → cafe, ação → acao) before indexing and before querying, so "cafe" finds "café" on
PostgreSQL too without the `unaccent` extension, while Cyrillic letters such as й stay whole.
User input never reaches either query language: it is cut into words of letters and digits, each
quoted as a literal term. Every word must appear; words of three or more characters also match as
prefixes (кафе finds кафето, koffie finds koffiebone), the only help with inflection there is,
since no stemmer serves every community language. An exact match outranks a prefix one.

Only the match lives in raw SQL; visibility and filters stay in the ORM, and whether a post is
hidden, deleted or in a thread the person may see is decided when searching, never baked into
the index.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, TypedDict

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.utils.safestring import SafeString, mark_safe

from belong.communities.models import Community, Space
from belong.conversations.models import Post
from belong.conversations.queries import visible_threads
from belong.core.richtext import plain_text

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Ranked(TypedDict):
    """What search adds to each post it returns."""

    rank: float


SEARCH_TABLE: Final = "conversations_search"
TERM_RE: Final = re.compile(r"[^\W_]+")
MAX_TERMS: Final = 10
MAX_TERM_CHARS: Final = 64
PREFIX_MIN_CHARS: Final = 3
TITLE_WEIGHT: Final = 10.0  # bm25 column weight of the title against the body (1.0) on SQLite
SNIPPET_CHARS: Final = 200


def _fold_char(char: str) -> str:
    """Lower-case one character and drop the accents of a Latin letter, always giving one character."""
    lower = char.lower()
    if len(lower) != 1:
        return char
    if lower.isascii():
        return lower
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0]
    # Only Latin letters (up to Latin Extended-B, and Latin Extended Additional) lose their marks,
    # as SQLite's unicode61 tokenizer does: й, ѝ and ё are letters of their own in Cyrillic.
    if len(decomposed) > 1 and (ord(base) < 0x250 or 0x1E00 <= ord(base) <= 0x1EFF):
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(stripped) == 1:
            return stripped
    return lower


def fold(text: str) -> str:
    """Lower-case the text and strip accents from Latin letters, keeping its length."""
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text))


def search_terms(text: str) -> list[str]:
    """The words of a query as the index sees them, once each, at most MAX_TERMS of them."""
    terms = dict.fromkeys(term[:MAX_TERM_CHARS] for term in TERM_RE.findall(fold(text)))
    return list(terms)[:MAX_TERMS]


@dataclass(frozen=True)
class Document:
    """What the index holds for one post: the thread's title (opening posts only) and its text."""

    post_id: int
    title: str
    body: str


class _Rank(Func):
    """A correlated subquery giving the rank of the outer post; the post's column is relabelled like any other."""

    output_field = FloatField()

    def __init__(self, template_sql: str, params: Sequence[Any]) -> None:
        super().__init__(F("pk"))
        self.template_sql = template_sql
        self.sql_params = list(params)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        pk_sql, pk_params = compiler.compile(self.get_source_expressions()[0])
        return self.template_sql.replace("{pk}", pk_sql), [*self.sql_params, *pk_params]


class Engine:
    """How one database stores, updates and matches the index."""

    key = "post_id"  # the index column holding the post's id

    def store(self, documents: Sequence[Document]) -> None:
        raise NotImplementedError

    def remove(self, post_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def matching_ids(self, terms: Sequence[str]) -> RawSQL:
        raise NotImplementedError

    def rank(self, terms: Sequence[str]) -> _Rank:
        raise NotImplementedError

    def prune(self) -> int:
        """Remove rows of posts that no longer exist (hard-deleted with their community)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {SEARCH_TABLE} WHERE {self.key} NOT IN (SELECT id FROM {Post._meta.db_table})"  # noqa: S608 -- constant names
            )
            return int(cursor.rowcount)


def _quote_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresEngine(Engine):
    """A tsvector per post behind a GIN index, matched with to_tsquery on quoted lexemes, ranked by ts_rank."""

    def store(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        rows = ", ".join(
            ["(%s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B'))"]
            * len(documents)
        )
        params: list[Any] = []
        for document in documents:
            params += [document.post_id, fold(document.title), fold(document.body)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SEARCH_TABLE} (post_id, vector) VALUES {rows} "  # noqa: S608 -- placeholders only
                "ON CONFLICT (post_id) DO UPDATE SET vector = EXCLUDED.vector",
                params,
            )

    def remove(self, post_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SEARCH_TABLE} WHERE post_id = ANY(%s)", [list(post_ids)])  # noqa: S608

    @staticmethod
    def tsquery(terms: Sequence[str]) -> str:
        """`'ok' & ('koffie' | 'koffie':*)`: every term a quoted lexeme, so input never becomes syntax."""
        parts = []
        for term in terms:
            lexeme = _quote_lexeme(term)
            parts.append(f"({lexeme} | {lexeme}:*)" if len(term) >= PREFIX_MIN_CHARS else lexeme)
        return " & ".join(parts)

    def matching_ids(self, terms: Sequence[str]) -> RawSQL:
        return RawSQL(  # noqa: S611 -- constant SQL; the query is a parameter
            f"SELECT post_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery('simple', %s)",  # noqa: S608
            [self.tsquery(terms)],
        )

    def rank(self, terms: Sequence[str]) -> _Rank:
        return _Rank(
            f"(SELECT ts_rank(vector, to_tsquery('simple', %s)) FROM {SEARCH_TABLE} WHERE post_id = {{pk}})",  # noqa: S608
            [self.tsquery(terms)],
        )


class SqliteEngine(Engine):
    """An FTS5 table whose rowid is the post's id, matched on quoted terms, ranked by bm25."""

    key = "rowid"

    def store(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        # FTS5 has no upsert: delete and insert together, so a concurrent write cannot slip between.
        with transaction.atomic(), connection.cursor() as cursor:
            self._delete(cursor, [document.post_id for document in documents])
            cursor.executemany(
                f"INSERT INTO {SEARCH_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [(document.post_id, fold(document.title), fold(document.body)) for document in documents],
            )

    def remove(self, post_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            self._delete(cursor, list(post_ids))

    @staticmethod
    def _delete(cursor: Any, post_ids: list[int]) -> None:
        marks = ", ".join(["%s"] * len(post_ids))
        cursor.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN ({marks})", post_ids)  # noqa: S608

    @staticmethod
    def match(terms: Sequence[str]) -> str:
        """`"ok" AND ("koffie" OR "koffie"*)`: every term a quoted string, so NEAR, OR, * or - stay words."""
        parts = []
        for term in terms:
            quoted = '"' + term.replace('"', '""') + '"'
            parts.append(f"({quoted} OR {quoted}*)" if len(term) >= PREFIX_MIN_CHARS else quoted)
        return " AND ".join(parts)

    def matching_ids(self, terms: Sequence[str]) -> RawSQL:
        return RawSQL(  # noqa: S611 -- constant SQL; the query is a parameter
            f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s",  # noqa: S608
            [self.match(terms)],
        )

    def rank(self, terms: Sequence[str]) -> _Rank:
        # bm25 is lower for better matches; negated so both engines sort by rank descending.
        return _Rank(
            f"(SELECT -bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, 1.0) FROM {SEARCH_TABLE} "  # noqa: S608
            f"WHERE {SEARCH_TABLE} MATCH %s AND rowid = {{pk}})",
            [self.match(terms)],
        )


ENGINES: Final[dict[str, Engine]] = {"postgresql": PostgresEngine(), "sqlite": SqliteEngine()}


def engine() -> Engine:
    """The engine of the default database."""
    try:
        return ENGINES[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.") from None


def document_of(post: Post) -> Document:
    """The indexed text of a post whose thread is loaded."""
    return Document(
        post_id=post.pk, title=post.thread.title if post.is_opening else "", body=plain_text(post.body_html)
    )


def index_posts(posts: Iterable[Post]) -> int:
    """Write the index rows of these posts (their threads loaded); deleted ones are taken out instead."""
    documents, gone = [], []
    for post in posts:
        if post.is_deleted:
            gone.append(post.pk)
        else:
            documents.append(document_of(post))
    if gone:
        engine().remove(gone)
    engine().store(documents)
    return len(documents)


def index_post(post_id: int) -> None:
    """Bring one post's index row up to date with its text, title and deletion."""
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is None:
        unindex_post(post_id)
    else:
        index_posts([post])


def unindex_post(post_id: int) -> None:
    """Take a post out of the index."""
    engine().remove([post_id])


def prune_index() -> int:
    """Drop index rows left by posts deleted outright; return how many."""
    return engine().prune()


def search_posts(
    user: Any,
    community: Community,
    text: str,
    *,
    space: Space | None = None,
    kind: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    language: str | None = None,
) -> QuerySet[WithAnnotations[Post, Ranked]]:
    """Posts matching every word of the text that the person may see, best first, with `rank`.

    `tag` is a tag's slug and `author` a handle; a `date` bound covers the whole day, a
    `datetime` is exact. Hidden and deleted posts never appear, whoever searches. The result is
    one query (plus the membership lookups of `visible_threads`), ordered by rank, then newest,
    then id, so cursor pagination is stable.
    """
    terms = search_terms(text)
    if not terms:
        return Post.objects.none().annotate(rank=Value(0.0, output_field=FloatField()))
    search = engine()
    posts = Post.objects.filter(
        community=community,
        pk__in=search.matching_ids(terms),
        thread__in=visible_threads(user, community),
        is_hidden=False,
        deleted_at__isnull=True,
    )
    if space is not None:
        posts = posts.filter(thread__space=space)
    if kind:
        posts = posts.filter(thread__kind=kind)
    if tag:
        posts = posts.filter(thread__tags__community=community, thread__tags__slug=tag)
    if author:
        posts = posts.filter(author__handle__iexact=author)
    if since is not None:
        posts = posts.filter(**_bound("gte", since))
    if until is not None:
        posts = posts.filter(**_bound("lte", until))
    if language:
        posts = posts.filter(Q(language=language) | Q(language="", thread__language=language))
    return (
        posts.annotate(rank=search.rank(terms))
        .select_related("thread", "thread__space", "author")
        .order_by("-rank", "-created_at", "-id")
    )


def _bound(lookup: str, value: date | datetime) -> dict[str, date | datetime]:
    if isinstance(value, datetime):
        return {f"created_at__{lookup}": value}
    return {f"created_at__date__{lookup}": value}


def snippet(post: Post, text: str, *, width: int = SNIPPET_CHARS) -> SafeString:
    """The post's text around the first word of the query, escaped, with matches in <mark>."""
    body = plain_text(post.body_html)
    folded = fold(body)
    terms = search_terms(text)
    pattern = _highlighter(terms)
    first = pattern.search(folded) if pattern else None
    start = 0
    if first is not None and first.start() > width // 3:
        start = first.start() - width // 3
        start = body.rfind(" ", 0, start) + 1 or start
    end = min(len(body), start + width)
    if end < len(body) and (space_at := body.rfind(" ", start, end)) > start:
        end = space_at
    pieces = ["…" if start else ""]
    cursor = start
    for match in pattern.finditer(folded, start, end) if pattern else ():
        pieces += [html.escape(body[cursor : match.start()]), "<mark>", html.escape(body[match.start() : match.end()])]
        pieces.append("</mark>")
        cursor = match.end()
    pieces += [html.escape(body[cursor:end]), "…" if end < len(body) else ""]
    return mark_safe("".join(pieces))  # noqa: S308 -- every piece of member text is escaped above


def _highlighter(terms: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern finding the query's words in folded text: whole words, or word starts for prefix terms."""
    if not terms:
        return None
    alternatives = [
        re.escape(term) + (r"[^\W_]*" if len(term) >= PREFIX_MIN_CHARS else r"(?![^\W_])")
        for term in sorted(terms, key=len, reverse=True)
    ]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + ")")
