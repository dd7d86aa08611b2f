"""Pain-point themes on real embeddings: complaints in four languages about three things, and noise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import lru_cache

import pytest
from django.urls import reverse
from django.utils import timezone

from belong.communities.models import Community, Space
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.ideas.tests.factories import IdeaFactory
from belong.insights import engine, themes
from belong.insights.engine.embeddings import to_bytes
from belong.insights.models import PostAnalysis, Theme, ThemePost

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "pt", "bg", "af")

BATTERY = [
    "The battery drains in two hours, even when the phone sits idle on the desk.",
    "Since the update my battery drains overnight, I wake up to a dead phone.",
    "Battery life is awful, it drains from full to empty before lunch.",
    "Батерията се изтощава за няколко часа, дори когато не използвам телефона.",
    "Батерията на телефона се изтощава много бързо след последното обновяване.",
    "A bateria descarrega muito rápido, em poucas horas fica sem carga.",
    "A bateria do telemóvel descarrega durante a noite, é péssimo.",
    "Die battery loop pap binne 'n paar uur, selfs as ek die foon nie gebruik nie.",
]
SHIPPING = [
    "My order was shipped two weeks late and the tracking never updated.",
    "Shipping took forever, the package arrived a month after I paid.",
    "Delivery is painfully slow, my parcel is still not here after three weeks.",
    "Поръчката ми пристигна с две седмици закъснение, доставката е ужасно бавна.",
    "A encomenda chegou com três semanas de atraso, a entrega é muito lenta.",
    "My bestelling het weke laat aangekom, die aflewering is baie stadig.",
]
CRASHES = [
    "The app crashes every time I open the settings screen.",
    "Since the update the app keeps crashing on startup, I cannot use it at all.",
    "The app crashed three times today while I was paying.",
    "Приложението се срива всеки път, когато отворя настройките.",
    "A aplicação fecha sozinha sempre que abro as definições, está sempre a crashar.",
    "Die app crash elke keer as ek die instellings oopmaak.",
]
NOISE = [
    "The colour of the box is ugly and cheap looking.",
    "Customer service was rude to me on the phone.",
    "I hate the new logo, it looks like a bank.",
    "Prices went up again, this is far too expensive now.",
    "O manual de instruções está mal traduzido.",
]
PRAISE = [
    "The battery is amazing, it lasts three days on a single charge. Love it!",
    "A bateria é excelente, dura o dia todo sem problemas. Adoro!",
    "Батерията е страхотна, издържа два дни. Много съм доволен!",
]


@lru_cache(maxsize=1)
def _analyses() -> dict[str, engine.Analysis]:
    """Every text of this module through the real models once (the models are the slow part)."""
    texts = [*BATTERY, *SHIPPING, *CRASHES, *NOISE, *PRAISE, NEW_BATTERY, NEW_SHIPPING]
    return dict(zip(texts, engine.analyse(texts, LANGUAGES), strict=True))


NEW_BATTERY = "Die battery van my foon is heeltyd pap, dit hou nie eers 'n dag nie."
NEW_SHIPPING = "Terrible delivery again: my package is three weeks late and nobody answers. Never ordering again."


@pytest.fixture
def community(community: Community) -> Community:
    community.languages = list(LANGUAGES)
    community.save(update_fields=["languages"])
    return community


@pytest.fixture
def thread(community: Community, space: Space) -> Thread:
    # Complaints go into a criticism thread: all its posts are pain material whatever the sentiment
    # head makes of them, so these tests are about clustering, not about sentiment accuracy.
    thread: Thread = ThreadFactory(space=space, kind=ThreadKind.CRITICISM, title="Problems", opening="What bugs you?")
    return thread


@pytest.fixture
def chat(community: Community, space: Space) -> Thread:
    thread: Thread = ThreadFactory(space=space, kind=ThreadKind.DISCUSSION, title="Chat", opening="Say hello")
    return thread


Write = Callable[..., list[Post]]


@pytest.fixture
def write(thread: Thread) -> Write:
    """Replies (to the criticism thread unless told) with their analyses from the real models."""

    def write(
        texts: Sequence[str], *, days_ago: float = 1, official: bool = False, into: Thread | None = None
    ) -> list[Post]:
        posts: list[Post] = []
        target = into or thread
        for text in texts:
            result = _analyses()[text]
            assert result.vector is not None and result.sentiment is not None
            posted_at = timezone.now() - timedelta(days=days_ago)
            post = PostFactory(thread=target, body=text, is_official=official)
            Post.objects.filter(pk=post.pk).update(created_at=posted_at)
            PostAnalysis.objects.create(
                post=post,
                community_id=target.community_id,
                space_id=target.space_id,
                kind=target.kind,
                is_official=official,
                posted_at=posted_at,
                language=result.language,
                language_confidence=result.language_confidence,
                sentiment=result.sentiment.label,
                model_sentiment=result.sentiment.label,
                score=result.sentiment.score,
                probabilities=list(result.sentiment.probabilities),
                embedding=to_bytes(result.vector),
                embedding_model="test",
                content_hash=str(post.pk),
                analysed_at=timezone.now(),
            )
            posts.append(post)
        return posts

    return write


Groups = dict[str, list[Post]]


@pytest.fixture
def groups(write: Write, chat: Thread) -> Groups:
    written = {"battery": write(BATTERY), "shipping": write(SHIPPING, days_ago=9), "crashes": write(CRASHES)}
    written["noise"] = write(NOISE)
    written["praise"] = write(PRAISE, into=chat)
    return written


def members(theme: Theme) -> set[int]:
    return set(ThemePost.objects.filter(theme=theme).values_list("post_id", flat=True))


def theme_of(posts: list[Post]) -> Theme:
    """The theme holding most of these posts."""
    ids = [post.pk for post in posts]
    theme_ids = list(ThemePost.objects.filter(post_id__in=ids).values_list("theme_id", flat=True))
    assert theme_ids, "none of the posts is in a theme"
    return Theme.objects.get(pk=max(set(theme_ids), key=theme_ids.count))


def themed(posts: list[Post]) -> set[int]:
    return set(ThemePost.objects.filter(post__in=posts).values_list("post_id", flat=True))


def test_rebuild_finds_each_complaint_across_languages_and_leaves_noise_alone(community, groups):
    assert themes.rebuild(community.pk) == 3
    found = {name: theme_of(groups[name]) for name in ("battery", "shipping", "crashes")}
    assert len({theme.pk for theme in found.values()}) == 3
    for name, theme in found.items():
        ids = {post.pk for post in groups[name]}
        # Most of each group, in at least three languages, and nothing from another group.
        assert len(members(theme) & ids) >= len(ids) - 1
        assert members(theme) <= ids
        languages = set(PostAnalysis.objects.filter(post_id__in=members(theme)).values_list("language", flat=True))
        assert len(languages) >= 3
        assert theme.size == len(members(theme))
        assert theme.first_seen is not None and theme.last_seen is not None
        assert 0 < min(ThemePost.objects.filter(theme=theme).values_list("similarity", flat=True)) <= 1
    assert not themed(groups["noise"])
    assert not themed(groups["praise"])


def test_terms_are_distinctive_and_free_of_stop_words(community, groups):
    themes.rebuild(community.pk)
    terms = {name: theme_of(groups[name]).terms for name in ("battery", "shipping", "crashes")}
    stops = themes.stop_words(LANGUAGES)
    for labels in terms.values():
        assert themes.MIN_TERMS <= len(labels) <= themes.MAX_TERMS
        assert not any(word in stops for label in labels for word in label.split())
    assert "battery" in terms["battery"][:3]
    assert "app" in terms["crashes"][:3]
    assert {"delivery", "late", "weeks", "shipping"} & set(terms["shipping"][:4])
    # A theme's leading terms are its own.
    for name, labels in terms.items():
        others = {term for other, more in terms.items() if other != name for term in more}
        assert not set(labels[:3]) & others


def test_names_idea_links_and_history_survive_a_rebuild(community, space, groups, write):
    themes.rebuild(community.pk)
    battery = theme_of(groups["battery"])
    idea = IdeaFactory(thread__space=space)
    Theme.objects.filter(pk=battery.pk).update(name="Battery life", idea=idea)
    first_seen = battery.first_seen
    write([NEW_BATTERY])
    themes.rebuild(community.pk)
    battery.refresh_from_db()
    assert theme_of(groups["battery"]).pk == battery.pk
    assert (battery.name, battery.idea_id, battery.first_seen) == ("Battery life", idea.pk, first_seen)
    assert Theme.objects.filter(community=community).count() == 3


def test_a_theme_left_without_posts_goes_unless_a_manager_named_or_linked_it(community, groups):
    themes.rebuild(community.pk)
    praise = _analyses()[PRAISE[0]].vector
    assert praise is not None
    stale = Theme.objects.create(community=community, centroid=to_bytes(-praise), size=4, terms=["old"])
    named = Theme.objects.create(community=community, centroid=to_bytes(-praise), size=4, name="Old pain")
    themes.rebuild(community.pk)
    assert not Theme.objects.filter(pk=stale.pk).exists()
    named.refresh_from_db()
    assert named.size == 0 and not members(named)


def test_merge_moves_the_posts_and_a_rebuild_keeps_them_together(community, space, groups):
    themes.rebuild(community.pk)
    battery, shipping = theme_of(groups["battery"]), theme_of(groups["shipping"])
    idea = IdeaFactory(thread__space=space)
    Theme.objects.filter(pk=shipping.pk).update(idea=idea)
    shipping.refresh_from_db()
    expected = members(battery) | members(shipping)
    old_terms = battery.terms

    themes.merge(shipping, battery)

    battery.refresh_from_db()
    shipping.refresh_from_db()
    assert members(battery) == expected and battery.size == len(expected)
    assert (shipping.merged_into_id, shipping.size, members(shipping)) == (battery.pk, 0, set())
    assert battery.idea_id == idea.pk  # the link moved with the posts
    assert battery.terms != old_terms
    assert battery.first_seen == min(ThemePost.objects.filter(theme=battery).values_list("posted_at", flat=True))

    assert themes.rebuild(community.pk) == 2
    assert members(battery) >= expected
    assert not members(shipping)
    assert Theme.objects.get(pk=shipping.pk).merged_into_id == battery.pk


def test_new_complaints_are_filed_under_their_theme_and_others_are_not(community, groups, write, chat):
    themes.rebuild(community.pk)
    battery = theme_of(groups["battery"])
    before = battery.size
    [complaint] = write([NEW_BATTERY])
    [shipping] = write([NEW_SHIPPING], into=chat)
    [praise] = write([PRAISE[0]], into=chat)
    [official] = write([BATTERY[1]], official=True)
    analyses = list(PostAnalysis.objects.filter(post__in=[complaint, shipping, praise, official]))
    assert PostAnalysis.objects.get(post=shipping).sentiment == "negative"

    assert themes.file_new_posts(analyses) == 2

    battery.refresh_from_db()
    assert complaint.pk in members(battery) and battery.size == before + 1
    assert shipping.pk in members(theme_of(groups["shipping"]))
    assert not themed([praise, official])


def test_a_post_that_is_no_longer_pain_leaves_its_theme(community, groups):
    themes.rebuild(community.pk)
    battery = theme_of(groups["battery"])
    post = next(post for post in groups["battery"] if post.pk in members(battery))
    analysis = PostAnalysis.objects.get(post=post)
    # Moved out of the criticism thread's kind and read as positive (say, after an edit).
    PostAnalysis.objects.filter(pk=analysis.pk).update(kind=ThreadKind.DISCUSSION, sentiment="positive")
    themes.file_new_posts([PostAnalysis.objects.get(pk=analysis.pk)])
    battery.refresh_from_db()
    assert post.pk not in members(battery) and battery.size == len(members(battery))


def test_official_old_hidden_and_deleted_posts_are_not_themed(community, write):
    official = write(BATTERY, official=True)
    old = write(SHIPPING, days_ago=themes.WINDOW_DAYS + 5)
    gone = write(CRASHES)
    Post.objects.filter(pk__in=[post.pk for post in gone[:3]]).update(is_hidden=True)
    Post.objects.filter(pk__in=[post.pk for post in gone[3:]]).update(deleted_at=timezone.now())
    assert themes.rebuild(community.pk) == 0
    assert not themed([*official, *old, *gone])


def test_rebuild_of_a_community_without_pain_is_empty(community):
    assert themes.rebuild(community.pk) == 0
    assert not Theme.objects.exists()


def test_rebuild_runs_a_bounded_number_of_queries(community, groups, django_assert_max_num_queries):
    # Reads in one query each, one write per theme, bulk writes for the posts: ~20 whatever the posts.
    with django_assert_max_num_queries(20):
        themes.rebuild(community.pk)


def test_quotes_are_the_posts_closest_to_the_centre_in_one_query(community, groups, django_assert_num_queries):
    themes.rebuild(community.pk)
    standing = list(Theme.objects.filter(community=community))
    with django_assert_num_queries(1):
        quotes = themes.quotes_of(standing, 2)
        for theme in standing:
            for quote in quotes[theme.pk]:
                assert quote.post.thread.space.name and quote.excerpt
    for theme in standing:
        best = list(ThemePost.objects.filter(theme=theme).order_by("-similarity").values_list("post_id", flat=True)[:2])
        assert [quote.post.pk for quote in quotes[theme.pk]] == best
    battery = theme_of(groups["battery"])
    assert [quote.post.pk for quote in themes.quotes(battery, 1)] == [quotes[battery.pk][0].post.pk]


def test_long_posts_are_quoted_as_short_excerpts(write):
    [post] = write([BATTERY[0]])
    post.body = "**Battery** " + "drains and drains " * 40
    text = themes.excerpt(post)
    assert len(text) <= themes.QUOTE_CHARS and text.endswith("…") and "**" not in text


def test_trend_counts_posts_per_iso_week_in_one_query(community, groups, django_assert_num_queries):
    themes.rebuild(community.pk)
    shipping = theme_of(groups["shipping"])
    with django_assert_num_queries(1):
        weeks = themes.trend(shipping, weeks=4)
    assert len(weeks) == 4
    assert all(week.weekday() == 0 for week, _count in weeks)
    assert sum(count for _week, count in weeks) == shipping.size
    posted = timezone.localdate(ThemePost.objects.filter(theme=shipping).first().posted_at)  # type: ignore[union-attr]
    monday = posted - timedelta(days=posted.weekday())
    assert dict(weeks)[monday] == shipping.size


def test_the_idea_page_shows_the_pain_points_it_answers(community, space, groups, member_client):
    themes.rebuild(community.pk)
    battery, shipping = theme_of(groups["battery"]), theme_of(groups["shipping"])
    idea = IdeaFactory(thread__space=space, thread__title="A bigger battery")
    Theme.objects.filter(pk__in=[battery.pk, shipping.pk]).update(idea=idea)
    Theme.objects.filter(pk=battery.pk).update(name="Battery life")
    themes.merge(shipping, battery)  # a merged theme is shown through the theme it went into
    battery.refresh_from_db()
    page = member_client.get(reverse("ideas:detail", args=[community.slug, idea.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pain points this idea answers" in html
    assert "Battery life" in html and f"{battery.size} posts" in html
    assert html.count("<li><strong>") >= 1 and shipping.title not in html
    # Without a manager's name, members see no automatic terms (they may come from restricted spaces).
    Theme.objects.filter(pk=battery.pk).update(name="")
    html = member_client.get(reverse("ideas:detail", args=[community.slug, idea.pk])).content.decode()
    assert "A pain point members raised" in html
    battery.refresh_from_db()
    assert battery.title not in html
