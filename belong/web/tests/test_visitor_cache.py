"""Visitors' pages come from the cache until their community changes; members always get their own."""

from __future__ import annotations

import gzip
import time

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.conversations import actions
from belong.conversations.models import Thread, ThreadKind
from belong.ideas import actions as idea_actions
from belong.web.visitor_cache import VisitorCacheMiddleware

pytestmark = pytest.mark.django_db

HIT = "X-Visitor-Cache"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.BELONG_VISITOR_CACHE_SECONDS = 60


@pytest.fixture
def thread(member, space, django_capture_on_commit_callbacks) -> Thread:
    with django_capture_on_commit_callbacks(execute=True):
        return actions.create_thread(
            author=member.user,
            space=space,
            kind=ThreadKind.QUESTION,
            title="Кафемашината не се включва",
            body="След обновяването екранът остава тъмен.",
        )


def visit(client: Client, url: str, **headers: str):
    response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, url
    return response


def page_urls(community, thread, member) -> list[str]:
    slug = community.slug
    return [
        reverse("web:home"),
        reverse("communities:detail", args=[slug]),
        reverse("conversations:threads", args=[slug]),
        reverse("conversations:thread", args=[slug, thread.pk]),
        reverse("conversations:search", args=[slug]) + "?q=кафемашината",
        reverse("ideas:board", args=[slug]),
        reverse("ideas:roadmap", args=[slug]),
        reverse("ideas:changelog", args=[slug]),
        reverse("accounts:profile", args=[member.user.handle]),
    ]


def test_every_cached_page_is_served_to_the_next_visitor_from_the_cache(
    community, thread, member, django_assert_num_queries
):
    visitor = Client()
    for url in page_urls(community, thread, member):
        first = visit(visitor, url)
        assert HIT not in first and not first.cookies, f"{url} set a cookie, so it cannot be shared"
        with django_assert_num_queries(0):
            again = Client().get(url)
        assert again[HIT] == "hit", url
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]


def test_a_reply_is_shown_to_the_next_visitor_at_once(thread, member, django_capture_on_commit_callbacks):
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    visit(Client(), url)
    assert visit(Client(), url)[HIT] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(author=member.user, thread=thread, body="Probeer om dit af en aan te skakel.")
    fresh = visit(Client(), url)
    assert HIT not in fresh
    assert "Probeer om dit af en aan te skakel." in fresh.content.decode()
    list_url = reverse("conversations:threads", args=[thread.community.slug])
    visit(Client(), list_url)
    assert visit(Client(), list_url)[HIT] == "hit"


def test_a_change_in_another_community_keeps_this_communitys_copies(
    thread, member, make_member, django_capture_on_commit_callbacks
):
    url = reverse("conversations:threads", args=[thread.community.slug])
    profile = reverse("accounts:profile", args=[member.user.handle])
    visit(Client(), url)
    visit(Client(), profile)
    other = CommunityFactory()
    author = make_member(community=other).user
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_thread(
            author=author, space=SpaceFactory(community=other), kind=ThreadKind.DISCUSSION,
            title="Olá a todos", body="Acabei de chegar à comunidade.",
        )  # fmt: skip
    assert visit(Client(), url)[HIT] == "hit"
    assert HIT not in visit(Client(), profile)  # pages of no community change with any event


def test_members_get_their_own_page_and_leave_nothing_in_the_cache(thread, member_client):
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    for _ in range(2):
        response = member_client.get(url)
        assert HIT not in response
        assert 'name="body"' in response.content.decode()  # the reply form a visitor never sees
    assert HIT not in visit(Client(), url)


def test_a_copy_is_kept_per_language_and_per_htmx_fragment(community, thread):
    url = reverse("conversations:threads", args=[community.slug])
    portuguese = visit(Client(), url, HTTP_ACCEPT_LANGUAGE="pt")
    assert portuguese["Content-Language"] == "pt"
    english = visit(Client(), url, HTTP_ACCEPT_LANGUAGE="en")
    assert HIT not in english and english["Content-Language"] == "en"
    assert visit(Client(), url, HTTP_ACCEPT_LANGUAGE="pt").content == portuguese.content
    afrikaans = Client(HTTP_ACCEPT_LANGUAGE="en")
    afrikaans.cookies["django_language"] = "af"
    assert visit(afrikaans, url)["Content-Language"] == "af"
    fragment = visit(Client(), url, HTTP_HX_REQUEST="true")
    assert HIT not in fragment and b"<html" not in fragment.content
    assert visit(Client(), url, HTTP_HX_REQUEST="true")[HIT] == "hit"


def test_requests_that_carry_a_session_a_message_or_credentials_are_never_answered_from_the_cache(community, thread):
    url = reverse("conversations:threads", args=[community.slug])
    visit(Client(), url)
    for cookie in ("sessionid", "messages"):
        client = Client()
        client.cookies[cookie] = "anything"
        assert HIT not in visit(client, url)
    assert HIT not in visit(Client(), url, HTTP_AUTHORIZATION="Bearer nothing")


def test_cached_thread_pages_still_count_visitors_views(thread):
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    for _ in range(actions.VIEW_BATCH):
        visit(Client(), url)
    assert Thread.objects.get(pk=thread.pk).view_count == actions.VIEW_BATCH


def test_an_idea_page_is_cached_and_counts_its_views(community, space, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_actions.propose_idea(
            author=member.user, space=space, title="Donker modus", description="Dit sal snags help."
        )
    url = reverse("ideas:detail", args=[community.slug, idea.pk])
    for _ in range(actions.VIEW_BATCH):
        visit(Client(), url)
    assert visit(Client(), url)[HIT] == "hit"
    assert Thread.objects.get(pk=idea.pk).view_count == actions.VIEW_BATCH


def test_nothing_is_cached_when_the_setting_is_zero(settings, community, thread):
    settings.BELONG_VISITOR_CACHE_SECONDS = 0
    url = reverse("conversations:threads", args=[community.slug])
    visit(Client(), url)
    assert HIT not in visit(Client(), url)


def test_visitors_switch_language_with_a_link_that_only_sets_a_cookie():
    language = reverse("web:language")
    response = Client().get(language, {"language": "bg", "next": "/c/brand/threads/?tab=top"})
    assert response.status_code == 302 and response["Location"] == "/c/brand/threads/?tab=top"
    assert response.cookies["django_language"].value == "bg"
    elsewhere = Client().get(language, {"language": "pt", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/" and elsewhere.cookies["django_language"].value == "pt"
    unknown = Client().get(language, {"language": "xx"})
    assert unknown.status_code == 302 and "django_language" not in unknown.cookies
    assert Client().post(language, {"language": "pt"}).status_code == 405


def test_the_visitors_language_form_carries_no_csrf_token_and_the_members_does(community, member_client):
    url = reverse("communities:detail", args=[community.slug])
    visitor = visit(Client(), url).content.decode()
    assert f'action="{reverse("web:language")}" method="get"' in visitor
    assert "csrfmiddlewaretoken" not in visitor and "X-CSRFToken" not in visitor
    member = member_client.get(url).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in member and "csrfmiddlewaretoken" in member


def renewing_lock(url: str, **headers: str) -> str:
    """The key a request holds while it renders the page at this address again."""
    request = RequestFactory().get(url, **headers)  # type: ignore[arg-type]
    return VisitorCacheMiddleware.key(request) + ":renewing"


def test_while_one_request_renders_a_changed_page_again_the_others_get_the_stale_copy(
    thread, member, django_capture_on_commit_callbacks
):
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    visit(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(author=member.user, thread=thread, body="Опитайте с друг кабел, при мен помогна.")
    lock = renewing_lock(url)
    cache.add(lock, 1)  # another process is rendering it
    stale = visit(Client(), url)
    assert stale[HIT] == "stale" and "Опитайте с друг кабел" not in stale.content.decode()
    cache.delete(lock)
    fresh = visit(Client(), url)
    assert HIT not in fresh and "Опитайте с друг кабел" in fresh.content.decode()
    assert visit(Client(), url)[HIT] == "hit"
    assert cache.get(lock) is None  # the renderer let go


def test_a_copy_older_than_the_setting_is_rendered_again(settings, community, thread, monkeypatch):
    url = reverse("conversations:threads", args=[community.slug])
    visit(Client(), url)
    assert visit(Client(), url)[HIT] == "hit"
    later = time.time() + settings.BELONG_VISITOR_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert HIT not in visit(Client(), url)
    assert visit(Client(), url)[HIT] == "hit"


def test_copies_are_kept_gzipped_and_given_as_they_are_to_browsers_that_accept_it(community, thread):
    url = reverse("conversations:thread", args=[community.slug, thread.pk])
    first = visit(Client(), url)
    packed = visit(Client(), url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed[HIT] == "hit" and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Language" in packed["Vary"]
    assert gzip.decompress(packed.content) == first.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(first.content) / 2
    plain = visit(Client(), url)
    assert "Content-Encoding" not in plain and plain.content == first.content
