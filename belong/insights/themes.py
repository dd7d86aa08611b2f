"""Pain-point themes: negative and critical posts clustered on their embeddings.

`rebuild(community_id)` clusters the community's recent negative and critical posts and matches
the clusters to the existing themes by centroid, so a theme keeps its name, its idea link and its
history across rebuilds. Between rebuilds, `file_new_posts()` puts each newly analysed negative
post under the nearest theme when it is close enough. `merge(theme, into)` folds one theme into
another for good: the merged theme's centroid stays as an alias, so later rebuilds send the posts
near it to the target.

Why vectors are centred per language: multilingual-e5-small puts every text in a narrow cone
(any two complaints have a cosine of 0.8–0.9) and a text's language is a large part of where it
lands, so raw cosines group "Portuguese complaints" before "battery complaints". Subtracting the
mean vector of each language's pain posts (Libovický et al., 2020, "On the language neutrality of
pre-trained multilingual representations") removes both effects: what is left is the topic, and a
battery complaint in Bulgarian lands next to one in Afrikaans. Theme centroids and ThemePost
similarities are stored in that centred space; `Frame` is the set of means.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from belong.conversations.models import Post, ThreadKind
from belong.insights.engine.embeddings import DIMENSIONS, stack, to_bytes
from belong.insights.engine.text import plain_text
from belong.insights.models import PostAnalysis, SentimentLabel, Theme, ThemePost

# Pain posts of this many recent days are clustered, at most MAX_POSTS of them (the newest):
# agglomerative clustering holds an n-by-n distance matrix, so n is bounded (3,000 posts: 72 MB, ~2 s).
WINDOW_DAYS = 180
MAX_POSTS = 3000
# Clusters smaller than this are not themes: two similar complaints are a coincidence.
MIN_SIZE = 3
# Average-linkage cosine distance in the centred space under which clusters merge. Centred,
# unrelated complaints have cosines around 0 and complaints about one thing 0.1 to 0.5 (measured on
# mixed-language complaints with multilingual-e5-small in tests/test_themes.py: 0.9 already lets
# noise join clusters, 0.83 splits a topic by language).
CLUSTER_DISTANCE = 0.87
# A new cluster takes over an old theme (its id, name, idea, first_seen) at this centroid cosine.
MATCH_SIMILARITY = 0.8
# A post analysed between rebuilds joins its nearest theme at this cosine to the centroid (centred
# space): new complaints about a theme's subject measured 0.28 to 0.45, unrelated ones below 0.1.
JOIN_SIMILARITY = 0.25
# The means of a language with few posts lean on the global mean, as if it had this many posts more.
LANGUAGE_PRIOR = 2
# Filing new posts centres them with the means of this many recent pain posts (a bounded read).
FRAME_POSTS = 1000
MIN_TERMS = 5
MAX_TERMS = 8
QUOTE_CHARS = 280
# Languages whose stop words are always removed: Belong's seed languages; a community's own are added.
BASE_STOP_LANGUAGES = ("en", "pt", "bg", "af")
CRITICAL_KINDS = frozenset({ThreadKind.CRITICISM})
# The fields of a theme that clustering computes (name, idea and merges are the managers').
DESCRIBED = ["terms", "centroid", "size", "first_seen", "last_seen", "updated_at"]

_WORD = re.compile(r"\w+", re.UNICODE)


def is_pain(analysis: PostAnalysis) -> bool:
    """Negative posts and criticism threads' posts (not the brand's own) are pain-point material."""
    if analysis.is_official or analysis.embedding is None:
        return False
    return analysis.sentiment == "negative" or analysis.kind in CRITICAL_KINDS


def standing_themes(community_id: int) -> list[Theme]:
    return list(Theme.objects.filter(community_id=community_id, merged_into__isnull=True))


# The centred space -----------------------------------------------------------------------------


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return np.asarray(matrix / np.where(norms == 0, 1.0, norms), dtype=np.float32)


@dataclass
class Frame:
    """The mean pain-post vector overall and per language, which `centre` subtracts."""

    overall: np.ndarray
    languages: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, vectors: np.ndarray, languages: Sequence[str]) -> Frame:
        if not len(vectors):
            return cls(np.zeros(vectors.shape[1], dtype=np.float32))
        overall = vectors.mean(axis=0)
        by_language: dict[str, list[int]] = {}
        for index, language in enumerate(languages):
            by_language.setdefault(language, []).append(index)
        means = {
            language: (vectors[rows].sum(axis=0) + LANGUAGE_PRIOR * overall) / (len(rows) + LANGUAGE_PRIOR)
            for language, rows in by_language.items()
        }
        return cls(overall, means)

    def centre(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Unit vectors with their language's mean (the overall mean for a new language) taken away."""
        if not len(vectors) or vectors.shape[1] != len(self.overall):
            return _unit(vectors)
        means = np.stack([self.languages.get(language, self.overall) for language in languages])
        return _unit(vectors - means)


# Reading pain posts ----------------------------------------------------------------------------


@dataclass
class PainPost:
    post_id: int
    language: str
    posted_at: datetime
    vector: np.ndarray
    text: str = ""


def _pain_analyses(community_id: int) -> QuerySet[PostAnalysis]:
    """The community's recent pain posts (see `is_pain`) that are still standing, newest first."""
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    return (
        PostAnalysis.objects.filter(
            community_id=community_id,
            posted_at__gte=since,
            is_official=False,
            embedding__isnull=False,
            post__deleted_at__isnull=True,
            post__is_hidden=False,
        )
        .filter(Q(sentiment=SentimentLabel.NEGATIVE) | Q(kind__in=CRITICAL_KINDS))
        .order_by("-posted_at", "-post_id")
    )


def _post_text(body: str, is_opening: bool, title: str) -> str:
    # What the terms are drawn from is what the models saw (pipeline.text_of), without markup.
    return plain_text(f"{title}\n\n{body}" if is_opening else body)


def pain_posts(community_id: int, *, limit: int = MAX_POSTS, with_text: bool = True) -> list[PainPost]:
    """Recent pain posts with their vectors (and plain texts), in one query."""
    fields = ["post_id", "language", "posted_at", "embedding"]
    if with_text:
        fields += ["post__body", "post__is_opening", "post__thread__title"]
    rows = list(_pain_analyses(community_id).values_list(*fields)[:limit])
    vectors = stack([row[3] for row in rows])
    return [
        PainPost(row[0], row[1], row[2], vectors[i], _post_text(row[4], row[5], row[6]) if with_text else "")
        for i, row in enumerate(rows)
    ]


def _matrix(posts: Sequence[PainPost]) -> np.ndarray:
    if not posts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([post.vector for post in posts])


def frame_of(posts: Sequence[PainPost]) -> Frame:
    return Frame.of(_matrix(posts), [post.language for post in posts])


# Distinctive terms -----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def stop_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Stop words (stopwords-iso lists) of Belong's seed languages and the community's languages."""
    import stopwordsiso

    codes = {code.split("-")[0].lower() for code in (*BASE_STOP_LANGUAGES, *languages)}
    words: set[str] = set()
    for code in codes:
        if stopwordsiso.has_lang(code):
            words.update(word.casefold() for word in stopwordsiso.stopwords(code))
    return frozenset(words)


def tokens(text: str, stops: frozenset[str]) -> list[str]:
    """Word unigrams and bigrams of a text; a stop word, a number or a one-letter word breaks a bigram."""
    grams: list[str] = []
    previous: str | None = None
    for word in _WORD.findall(text.casefold()):
        if len(word) < 2 or word.isdigit() or word in stops:
            previous = None
            continue
        grams.append(word)
        if previous is not None:
            grams.append(f"{previous} {word}")
        previous = word
    return grams


def distinctive_terms(
    groups: Sequence[Sequence[str]], background: Sequence[str], *, languages: Sequence[str] = (), classes: int = 0
) -> list[list[str]]:
    """The MIN_TERMS–MAX_TERMS most distinctive terms of each group of texts (class-based TF-IDF).

    Each group is a class; `background` (all the pain posts) gives each term's overall frequency,
    and `classes` how many classes it is spread over (the groups and the unthemed rest by default).
    A term's weight in a class is its frequency there times log(1 + A / its frequency overall),
    A being the average number of terms per class (BERTopic's c-TF-IDF). Terms used by only one
    post of a group come last, so one talkative post cannot label a theme.
    """
    stops = stop_words(tuple(languages))
    overall: Counter[str] = Counter()
    for text in background:
        overall.update(tokens(text, stops))
    total = sum(overall.values())
    average = total / max(classes or len(groups) + 1, 1)
    labelled = []
    for texts in groups:
        counts: Counter[str] = Counter()
        posts_using: Counter[str] = Counter()
        for text in texts:
            grams = tokens(text, stops)
            counts.update(grams)
            posts_using.update(set(grams))
        size = sum(counts.values()) or 1
        scored = sorted(
            (
                (
                    posts_using[term] < min(2, len(texts)),
                    -(count / size) * math.log(1 + average / overall.get(term, count)),
                    term,
                )
                for term, count in counts.items()
            )
        )
        labelled.append(_pick_terms([term for _rare, _score, term in scored]))
    return labelled


def _pick_terms(ranked: Iterable[str]) -> list[str]:
    """The best terms, skipping one whose words are all in terms already picked (no "battery" after "battery drains")."""
    picked: list[str] = []
    covered: set[str] = set()
    for term in ranked:
        words = set(term.split())
        if words <= covered:
            continue
        picked.append(term)
        covered |= words
        if len(picked) == MAX_TERMS:
            break
    return picked


# Rebuild ---------------------------------------------------------------------------------------


def _clusters(vectors: np.ndarray) -> list[list[int]]:
    """Groups of row indexes at least MIN_SIZE strong, biggest first; the rest stay unthemed."""
    if len(vectors) < MIN_SIZE:
        return []
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=CLUSTER_DISTANCE, metric="cosine", linkage="average"
    ).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    found = [rows for rows in groups.values() if len(rows) >= MIN_SIZE]
    return sorted(found, key=lambda rows: (-len(rows), rows[0]))


def _target(theme: Theme, by_id: dict[int, Theme]) -> Theme | None:
    """The standing theme a merged theme was folded into (following chains), None if it is gone."""
    seen = set()
    while theme.merged_into_id is not None:
        if theme.pk in seen or theme.merged_into_id not in by_id:
            return None
        seen.add(theme.pk)
        theme = by_id[theme.merged_into_id]
    return theme


def _match(
    clusters: list[list[int]], centroids: np.ndarray, previous: list[int | None], themes: list[Theme]
) -> dict[int, Theme]:
    """Cluster index → the old theme it continues.

    First by membership: a cluster most of whose posts were in a theme continues it. One cluster
    per theme, except for a theme others were merged into: a manager said those posts belong
    together, so every cluster drawn from it stays in it. Then by centroid, best pairs first, each
    old centroid used once; a merged theme's centroid hands its cluster to the merge target, so
    posts near a merged theme land in the target even when they are new.
    """
    by_id = {theme.pk: theme for theme in themes}
    targets = {theme.pk: target for theme in themes if (target := _target(theme, by_id)) is not None}
    merge_targets = {target.pk for theme in themes if theme.merged_into_id and (target := targets.get(theme.pk))}
    matched: dict[int, Theme] = {}
    taken: set[int] = set()
    votes = []
    for index, rows in enumerate(clusters):
        held = Counter(targets[pk].pk for row in rows if (pk := previous[row]) is not None and pk in targets)
        if held:
            target_id, count = held.most_common(1)[0]
            if count * 2 > len(rows):
                votes.append((-count, index, target_id))
    for _count, index, target_id in sorted(votes):
        if target_id in taken and target_id not in merge_targets:
            continue
        matched[index] = by_id[target_id]
        taken.add(target_id)
    width = centroids.shape[1] * 2  # float16 bytes of a centroid
    usable = [
        theme
        for theme in themes
        if theme.pk in targets
        and len(theme.centroid or b"") == width
        and (theme.merged_into_id or theme.pk not in taken)
    ]
    free = [index for index in range(len(clusters)) if index not in matched]
    if not usable or not free:
        return matched
    similarities = centroids[free] @ stack([theme.centroid for theme in usable]).T
    used: set[int] = set()
    for flat in np.argsort(-similarities, axis=None):
        row, candidate = divmod(int(flat), len(usable))
        if similarities[row, candidate] < MATCH_SIMILARITY:
            break
        if free[row] in matched or candidate in used:
            continue
        target = targets[usable[candidate].pk]
        if target.pk in taken and target.pk not in merge_targets:
            continue
        matched[free[row]] = target
        used.add(candidate)
        taken.add(target.pk)
    return matched


def _describe(theme: Theme, members: Sequence[PainPost], centred: np.ndarray) -> np.ndarray:
    """Set a theme's centroid, size and dates from its members; their similarities to the centroid."""
    centroid = _unit(centred.mean(axis=0))
    theme.centroid = to_bytes(centroid)
    theme.size = len(members)
    first = min(post.posted_at for post in members)
    theme.first_seen = min(first, theme.first_seen) if theme.first_seen else first
    theme.last_seen = max(post.posted_at for post in members)
    return np.asarray(centred @ centroid)


def rebuild(community_id: int) -> int:
    """Re-cluster the community's pain posts into themes; return how many themes have posts."""
    from belong.communities.models import Community

    languages = tuple(Community.objects.filter(pk=community_id).values_list("languages", flat=True).first() or ())
    posts = pain_posts(community_id)
    frame = frame_of(posts)
    centred = frame.centre(_matrix(posts), [p.language for p in posts])
    clusters = _clusters(centred)
    with transaction.atomic():
        themes = list(Theme.objects.select_for_update().filter(community_id=community_id).order_by("pk"))
        centroids = np.stack([_unit(centred[rows].mean(axis=0)) for rows in clusters]) if clusters else np.zeros((0, 1))
        held = dict(ThemePost.objects.filter(theme__community_id=community_id).values_list("post_id", "theme_id"))
        matched = _match(clusters, centroids, [held.get(post.post_id) for post in posts], themes)
        # Clusters continuing one theme (itself and the themes merged into it) become one group.
        groups: dict[int, list[int]] = {}
        owners: dict[int, Theme] = {}
        for index, rows in enumerate(clusters):
            theme = matched.get(index)
            key = theme.pk if theme is not None else -1 - index
            groups.setdefault(key, []).extend(rows)
            owners[key] = theme or Theme(community_id=community_id)
        terms = distinctive_terms(
            [[posts[row].text for row in rows] for rows in groups.values()],
            [post.text for post in posts],
            languages=languages,
        )
        ThemePost.objects.filter(theme__community_id=community_id).delete()
        memberships = []
        for (key, rows), labels in zip(groups.items(), terms, strict=True):
            theme = owners[key]
            theme.terms = labels
            similarities = _describe(theme, [posts[row] for row in rows], centred[rows])
            # Only what clustering computes: a manager's rename or link made meanwhile stays.
            theme.save(update_fields=DESCRIBED if theme.pk else None)
            memberships += [
                ThemePost(
                    theme=theme,
                    post_id=posts[row].post_id,
                    similarity=round(float(sim), 4),
                    posted_at=posts[row].posted_at,
                )
                for row, sim in zip(rows, similarities, strict=True)
            ]
        ThemePost.objects.bulk_create(memberships)
        _retire(themes, kept={theme.pk for theme in owners.values()})
    return len(groups)


def _retire(themes: list[Theme], *, kept: set[int | None]) -> None:
    """Old standing themes no cluster continued: deleted, unless a manager named, linked or merged into them."""
    targets = {theme.merged_into_id for theme in themes if theme.merged_into_id is not None}
    for theme in themes:
        if theme.pk in kept or theme.merged_into_id is not None:
            continue
        if theme.name or theme.idea_id is not None or theme.pk in targets:
            theme.size = 0
            theme.save(update_fields=["size", "updated_at"])
        else:
            theme.delete()


# Merge, filing, quotes, trend -------------------------------------------------------------------


def merge(theme: Theme, into: Theme) -> Theme:
    """Fold `theme` into `into`: its posts move, `into` is re-described, `theme` stays as an alias.

    The caller (actions.merge_themes) checks permission and locks both rows. The merged theme
    keeps its centroid so that rebuilds send the posts near it to `into`; themes merged into it
    before now point at `into`. Its idea link moves over when `into` has none.
    """
    with transaction.atomic():
        ThemePost.objects.filter(theme=theme).update(theme=into)
        Theme.objects.filter(merged_into=theme).update(merged_into=into, updated_at=timezone.now())
        moved = ["merged_into", "size", "updated_at"]
        if theme.idea_id is not None and into.idea_id is None:
            into.idea_id = theme.idea_id
            Theme.objects.filter(pk=into.pk).update(idea_id=theme.idea_id)
            theme.idea = None
            moved.append("idea")
        starts = [seen for seen in (theme.first_seen, into.first_seen) if seen is not None]
        into.first_seen = min(starts) if starts else None
        theme.merged_into = into
        theme.size = 0
        theme.save(update_fields=moved)
        refresh(into)
    return into


def refresh(theme: Theme) -> None:
    """Recompute a theme's centroid, similarities, size, dates and terms from its current posts."""
    from belong.communities.models import Community

    posts = pain_posts(theme.community_id)
    frame = frame_of(posts)
    rows = list(
        ThemePost.objects.filter(theme=theme)
        .order_by("pk")
        .values_list(
            "pk",
            "post_id",
            "posted_at",
            "post__analysis__embedding",
            "post__analysis__language",
            "post__body",
            "post__is_opening",
            "post__thread__title",
        )
    )
    rows = [row for row in rows if row[3] is not None]
    if not rows:
        theme.size = 0
        theme.save(update_fields=["size", "updated_at"])
        return
    members = [
        PainPost(row[1], row[4], row[2], vector)
        for row, vector in zip(rows, stack([r[3] for r in rows if r[3] is not None]), strict=True)
    ]
    centred = frame.centre(np.stack([m.vector for m in members]), [m.language for m in members])
    similarities = _describe(theme, members, centred)
    languages = tuple(Community.objects.filter(pk=theme.community_id).values_list("languages", flat=True).first() or ())
    classes = Theme.objects.filter(community_id=theme.community_id, merged_into__isnull=True, size__gt=0).count() + 1
    theme.terms = distinctive_terms(
        [[_post_text(row[5], row[6], row[7]) for row in rows]],
        [post.text for post in posts],
        languages=languages,
        classes=classes,
    )[0]
    theme.save(update_fields=DESCRIBED)
    ThemePost.objects.bulk_update(
        [ThemePost(pk=row[0], similarity=round(float(sim), 4)) for row, sim in zip(rows, similarities, strict=True)],
        ["similarity"],
    )


def file_new_posts(analyses: Iterable[PostAnalysis]) -> int:
    """File each pain post under its nearest standing theme; return how many were filed.

    A post that is no longer pain material (edited, corrected to positive) leaves its theme.
    """
    filed = 0
    by_community: dict[int, list[PostAnalysis]] = {}
    cured: list[int] = []
    for analysis in analyses:
        if is_pain(analysis):
            by_community.setdefault(analysis.community_id, []).append(analysis)
        else:
            cured.append(analysis.post_id)
    touched: set[int] = set()
    if cured:
        touched.update(ThemePost.objects.filter(post_id__in=cured).values_list("theme_id", flat=True))
        ThemePost.objects.filter(post_id__in=cured).delete()
    for community_id, pains in by_community.items():
        themes = [theme for theme in standing_themes(community_id) if theme.size and theme.centroid]
        if not themes:
            continue
        frame = frame_of(pain_posts(community_id, limit=FRAME_POSTS, with_text=False))
        vectors = frame.centre(
            stack([a.embedding for a in pains if a.embedding is not None]), [a.language for a in pains]
        )
        similarities = vectors @ stack([theme.centroid for theme in themes]).T
        with transaction.atomic():
            for analysis, row in zip(pains, similarities, strict=True):
                best = int(np.argmax(row))
                if row[best] < JOIN_SIMILARITY:
                    continue
                previous = ThemePost.objects.filter(post_id=analysis.post_id).values_list("theme_id", flat=True).first()
                ThemePost.objects.update_or_create(
                    post_id=analysis.post_id,
                    defaults={
                        "theme": themes[best],
                        "similarity": round(float(row[best]), 4),
                        "posted_at": analysis.posted_at,
                    },
                )
                touched.update(pk for pk in (previous, themes[best].pk) if pk is not None)
                filed += 1
    _recount(touched)
    return filed


def _recount(theme_ids: set[int]) -> None:
    """Size and last_seen of the themes whose posts changed, from their memberships."""
    if not theme_ids:
        return
    stats = {
        row["theme_id"]: row
        for row in ThemePost.objects.filter(theme_id__in=theme_ids)
        .values("theme_id")
        .annotate(members=Count("pk"), newest=Max("posted_at"))
    }
    now = timezone.now()
    for theme_id in sorted(theme_ids):
        row = stats.get(theme_id)
        changes: dict[str, Any] = {"size": row["members"] if row else 0, "updated_at": now}
        if row:
            changes["last_seen"] = row["newest"]
        Theme.objects.filter(pk=theme_id).update(**changes)


@dataclass(frozen=True)
class Quote:
    theme_id: int
    post: Post
    excerpt: str
    similarity: float


def excerpt(post: Post, limit: int = QUOTE_CHARS) -> str:
    """A quote of a post: its plain text cut at a word boundary, with an ellipsis when cut."""
    text = plain_text(post.body)
    if len(text) <= limit:
        return text
    return plain_text(text, limit=limit - 1) + "…"


def quotes_of(themes: Iterable[Theme], n: int = 3) -> dict[int, list[Quote]]:
    """The n posts of each theme closest to its centroid (standing posts only), in one query."""
    ids = [theme.pk for theme in themes]
    result: dict[int, list[Quote]] = {pk: [] for pk in ids}
    if not ids or n <= 0:
        return result
    memberships = (
        ThemePost.objects.filter(theme_id__in=ids, post__deleted_at__isnull=True, post__is_hidden=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("theme_id"), order_by=[F("similarity").desc(), F("pk").asc()])
        )
        .filter(rank__lte=n)
        .select_related("post__thread__space", "post__author")
        .order_by("theme_id", "rank")
    )
    for membership in memberships:
        result[membership.theme_id].append(
            Quote(membership.theme_id, membership.post, excerpt(membership.post), membership.similarity)
        )
    return result


def quotes(theme: Theme, n: int = 3) -> list[Quote]:
    """The n posts closest to the theme's centroid, as short excerpts."""
    return quotes_of([theme], n)[theme.pk]


def trend(theme: Theme, weeks: int = 12) -> list[tuple[date, int]]:
    """(Monday of each ISO week, posts of the theme that week) for the last `weeks` weeks, oldest first."""
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    counts = {
        (week.date() if isinstance(week, datetime) else week): count
        for week, count in ThemePost.objects.filter(theme=theme, posted_at__gte=since)
        .annotate(week=TruncWeek("posted_at"))
        .values("week")
        .annotate(posts=Count("pk"))
        .values_list("week", "posts")
    }
    return [(start + timedelta(weeks=i), counts.get(start + timedelta(weeks=i), 0)) for i in range(weeks)]
