import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations import actions, search
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.search import fold, search_posts, search_terms, snippet

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_member):
    return make_member(Role.MEMBER).user


@pytest.fixture
def reader(make_member):
    return make_member(Role.MEMBER).user


@pytest.fixture
def start(space, author, django_capture_on_commit_callbacks):
    """Start a thread through the action, publishing its events so the index is written."""

    def make(title, body, *, by=None, in_space=None, kind=ThreadKind.DISCUSSION, tags=()):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.create_thread(
                author=by or author, space=in_space or space, kind=kind, title=title, body=body, tags=tags
            )

    return make


@pytest.fixture
def reply(author, django_capture_on_commit_callbacks):
    def make(thread, body, *, by=None):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.create_reply(author=by or author, thread=thread, body=body)

    return make


def found(user, community, text, **filters):
    return [post.pk for post in search_posts(user, community, text, **filters)]


def opening(thread):
    return Post.objects.get(thread=thread, is_opening=True)


def indexed_ids():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search.engine().key} FROM {search.SEARCH_TABLE}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


# Words in the community's languages


@pytest.mark.parametrize(
    "query",
    ["кафе", "КАФЕ", "кафето", "мелене", "мел", "Кафето мелене", "кафе мелене"],
)
def test_bulgarian_words_are_found_whole_in_any_case_and_by_their_start(start, community, reader, query):
    thread = start("Въпрос за мелене", "Как да меля **кафето** за еспресо? Финото мелене помага ли?")
    start("Друго", "Нещо съвсем различно")
    assert found(reader, community, query) == [opening(thread).pk]


def test_cyrillic_letters_with_marks_are_not_folded_into_others(start, community, reader):
    thread = start("Йога", "Кафе и йога сутрин")
    assert found(reader, community, "йога") == [opening(thread).pk]
    assert found(reader, community, "иога") == []


@pytest.mark.parametrize("query", ["café", "cafe", "CAFÉ", "ação", "acao", "moagem"])
def test_portuguese_is_found_with_and_without_accents_on_both_engines(start, community, reader, query):
    thread = start("Moagem do café", "Qual é a melhor ação para o café da manhã?")
    assert found(reader, community, query) == [opening(thread).pk]


def test_text_written_without_accents_is_found_by_accented_words(start, community, reader):
    thread = start("Sem acentos", "O cafe da acao")
    assert found(reader, community, "café ação") == [opening(thread).pk]


@pytest.mark.parametrize("query", ["koffie", "lekker", "Lekker koffie", "koffieb"])
def test_afrikaans_words_are_found(start, community, reader, query):
    thread = start("Koffiebone", "Hierdie koffie is baie lekker! Ons koffiebone is vars.")
    assert found(reader, community, query) == [opening(thread).pk]


def test_english_replies_are_found_and_every_word_must_appear(start, reply, community, reader):
    thread = start("Grinders", "Which grinder do you use?")
    answer = reply(thread, "A burr grinder gives an even grind for espresso.")
    assert found(reader, community, "espresso") == [answer.pk]
    assert set(found(reader, community, "grinder")) == {opening(thread).pk, answer.pk}
    assert found(reader, community, "grinder tea") == []


def test_a_short_word_matches_only_whole(start, community, reader):
    start("Tea", "It is ok to brew at home")
    assert found(reader, community, "ok") != []
    assert found(reader, community, "o") == []


def test_the_title_ranks_the_opening_post_above_a_reply(start, reply, community, reader):
    thread = start("Aeropress recipes", "Share what works for you.")
    answer = reply(thread, "My aeropress likes a coarse grind.")
    results = list(search_posts(reader, community, "aeropress"))
    assert [post.pk for post in results] == [opening(thread).pk, answer.pk]
    assert results[0].rank > results[1].rank


def test_an_exact_word_ranks_above_a_longer_word_it_starts(start, community, reader):
    longer = start("One", "cafeteria cafeteria")
    exact = start("Two", "cafe cafe")
    assert found(reader, community, "cafe") == [opening(exact).pk, opening(longer).pk]


# Filters


def test_results_narrow_to_a_space(start, community, reader):
    other_space = SpaceFactory(community=community)
    here = start("Beans", "Roast beans")
    start("Beans too", "Roast beans", in_space=other_space)
    assert found(reader, community, "roast", space=here.space) == [opening(here).pk]


def test_results_narrow_to_a_kind(start, community, reader):
    question = start("Beans?", "Roast beans", kind=ThreadKind.QUESTION)
    start("Beans", "Roast beans")
    assert found(reader, community, "roast", kind=ThreadKind.QUESTION) == [opening(question).pk]


def test_results_narrow_to_a_tag(start, community, reader, manager):
    actions.create_tag(actor=manager.user, community=community, name="espresso")
    tagged = start("Shots", "Pull a shot", tags=["espresso"])
    start("Shots again", "Pull a shot")
    assert found(reader, community, "shot", tag="espresso") == [opening(tagged).pk]
    assert found(reader, community, "shot", tag="nothing") == []


def test_results_narrow_to_an_author_by_handle(start, reply, community, reader, make_member):
    other = make_member(Role.MEMBER).user
    thread = start("Milk", "Steam the milk")
    theirs = reply(thread, "Steam it less", by=other)
    assert found(reader, community, "steam", author=other.handle.upper()) == [theirs.pk]


def test_results_narrow_to_dates(start, community, reader):
    old = start("Old", "Kettle talk")
    new = start("New", "Kettle talk")
    week_ago = timezone.now() - timedelta(days=7)
    Post.objects.filter(thread=old).update(created_at=week_ago - timedelta(days=1))
    assert found(reader, community, "kettle", since=week_ago) == [opening(new).pk]
    assert found(reader, community, "kettle", until=week_ago) == [opening(old).pk]
    assert found(reader, community, "kettle", until=week_ago.date()) == [opening(old).pk]
    assert found(reader, community, "kettle", since=timezone.localdate()) == [opening(new).pk]


def test_results_narrow_to_a_language_of_the_post_or_else_its_thread(start, reply, community, reader):
    bulgarian = start("Чаша", "кафе чаша")
    Thread.objects.filter(pk=bulgarian.pk).update(language="bg")
    portuguese_post = reply(bulgarian, "xícara de кафе")
    Post.objects.filter(pk=portuguese_post.pk).update(language="pt")
    assert found(reader, community, "кафе", language="bg") == [opening(bulgarian).pk]
    assert found(reader, community, "кафе", language="pt") == [portuguese_post.pk]
    assert found(reader, community, "кафе", language="af") == []


def test_another_community_is_never_searched(start, community, reader, make_member):
    from belong.communities.tests.factories import CommunityFactory

    elsewhere = SpaceFactory(community=CommunityFactory())
    outsider_author = make_member(Role.MEMBER, community=elsewhere.community).user
    start("Elsewhere", "Filter papers", by=outsider_author, in_space=elsewhere)
    assert found(reader, community, "filter") == []


# Who sees what


def test_a_restricted_space_is_searched_only_by_those_let_in(start, community, reader, make_member):
    staff = make_member(Role.STAFF).user
    restricted = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.STAFF])
    secret = start("Roadmap", "Secret grinder launch", by=staff, in_space=restricted)
    assert found(reader, community, "secret") == []
    assert found(None, community, "secret") == []
    assert found(staff, community, "secret") == [opening(secret).pk]


def test_a_members_space_is_not_searched_by_visitors(start, community, reader):
    members_only = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    thread = start("Lounge", "Members lounge chatter", in_space=members_only)
    assert found(None, community, "lounge") == []
    assert found(reader, community, "lounge") == [opening(thread).pk]


def test_a_hidden_thread_is_found_only_by_its_author_and_moderators(
    start, community, reader, author, make_member, django_capture_on_commit_callbacks
):
    moderator = make_member(Role.MODERATOR).user
    thread = start("Spam", "Cheap watches here")
    with django_capture_on_commit_callbacks(execute=True):
        actions.moderate_thread(actor=moderator, thread=thread, hidden=True)
    assert found(reader, community, "watches") == []
    assert found(moderator, community, "watches") == [opening(thread).pk]
    assert found(author, community, "watches") == [opening(thread).pk]


def test_a_hidden_post_is_found_by_nobody(start, reply, community, reader, make_member):
    moderator = make_member(Role.MODERATOR).user
    thread = start("Kettles", "Which kettle?")
    rude = reply(thread, "Rude kettle words")
    Post.objects.filter(pk=rude.pk).update(is_hidden=True)
    assert found(reader, community, "rude") == []
    assert found(moderator, community, "rude") == []


def test_a_deleted_post_is_not_found_and_leaves_the_index(
    start, reply, community, reader, author, django_capture_on_commit_callbacks
):
    thread = start("Scales", "Do you weigh beans?")
    gone = reply(thread, "Scales are overrated")
    assert gone.pk in indexed_ids()
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(actor=author, post=gone)
    assert found(reader, community, "overrated") == []
    assert gone.pk not in indexed_ids()


def test_an_edited_post_is_found_by_its_new_words_only(
    start, community, reader, author, django_capture_on_commit_callbacks
):
    thread = start("Brewing", "I use a moka pot")
    post = opening(thread)
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(editor=author, post=post, body="I use a chemex", title="Pour over")
    assert found(reader, community, "moka") == []
    assert found(reader, community, "brewing") == []
    assert found(reader, community, "chemex") == [post.pk]
    assert found(reader, community, "pour") == [post.pk]


# Hostile or odd input


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"coffee',
        "coffee*",
        "*",
        "co*ffee",
        "coffee NEAR beans",
        "NEAR(coffee beans, 2)",
        "coffee -beans",
        "-coffee",
        "coffee OR",
        "OR",
        "AND NOT",
        "(coffee",
        "coffee)",
        "title:coffee",
        "{title}: coffee",
        "^coffee",
        "coffee & beans | !tea",
        "'coffee'",
        "coffee:*",
        "\\",
        "'; DROP TABLE conversations_post; --",
        "<->",
        "a" * 5000,
        "кафе " * 50,
        "\x00coffee",
        "☕ 🙂",
        "   ",
        "",
    ],
)
def test_query_syntax_in_what_people_type_is_taken_as_words(start, community, reader, query):
    thread = start("Coffee", "coffee beans and tea")
    results = found(reader, community, query)
    assert results in ([], [opening(thread).pk])


def test_operators_typed_as_words_do_not_widen_the_search(start, community, reader):
    start("Coffee", "coffee only")
    start("Tea", "tea only")
    assert found(reader, community, "coffee OR tea") == []
    assert found(reader, community, "coffee -only") != []


def test_a_query_without_words_runs_no_query(community, reader, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(search_posts(reader, community, " *-\"' ")) == []


def test_the_number_of_queries_does_not_grow_with_the_results(
    start, reply, community, make_member, django_assert_max_num_queries
):
    thread = start("Roasting", "roasting at home")
    for _ in range(6):
        reply(thread, "roasting darker")

    def run(viewer, text):
        with CaptureQueriesContext(connection) as queries:
            shown = [
                (p.thread.space.name, p.author and p.author.handle, p.rank)
                for p in search_posts(viewer, community, text)
            ]
        return len(shown), len(queries)

    # Fresh people each time, so no membership is cached on them.
    few, few_queries = run(make_member(Role.MEMBER).user, "home")
    many, many_queries = run(make_member(Role.MEMBER).user, "roasting")
    assert (few, many) == (1, 7)
    assert few_queries == many_queries
    viewer = make_member(Role.MEMBER).user
    with django_assert_max_num_queries(3):
        run(viewer, "roasting")


# The index itself


def test_fold_lowers_and_strips_latin_accents_only():
    assert fold("Café AÇÃO Ñandú Über") == "cafe acao nandu uber"
    assert fold("Йога ЁЖ ѝ") == "йога ёж ѝ"
    assert len(fold("İstanbul ß")) == len("İstanbul ß")


def test_search_terms_are_words_of_letters_and_digits_only():
    assert search_terms('"Café" NEAR(v60, -tea*) e-mail o\'clock') == [
        "cafe",
        "near",
        "v60",
        "tea",
        "e",
        "mail",
        "o",
        "clock",
    ]
    assert len(search_terms(" ".join(f"w{n}" for n in range(50)))) == search.MAX_TERMS


def test_a_snippet_marks_matches_and_escapes_the_text(start, community, reader):
    filler = "word " * 80
    thread = start("Tags", f"{filler}<b>Cafés</b> are great & so is the café near me")
    post = opening(thread)
    html = snippet(post, "cafe")
    assert "<mark>Cafés</mark>" in html and "<mark>café</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html
    assert html.startswith("…")
    assert snippet(post, "").startswith("word")


def test_reindexing_rebuilds_the_index_and_drops_stale_rows(start, community, reader, space):
    thread = start("Rebuild", "rebuilt words")
    search.engine().remove([opening(thread).pk])
    search.engine().store([search.Document(post_id=10**9, title="", body="rebuilt ghost")])
    assert found(reader, community, "rebuilt") == []
    call_command("reindex_search", "--community", community.slug, "--batch-size", "1", stdout=io.StringIO())
    assert found(reader, community, "rebuilt") == [opening(thread).pk]
    assert 10**9 not in indexed_ids()


def test_reindexing_an_unknown_community_is_refused():
    with pytest.raises(CommandError):
        call_command("reindex_search", "--community", "nowhere")
