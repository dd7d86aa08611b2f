"""CSRF protection on every form and on the API's cookie sessions.

Pages are protected by Django's CsrfViewMiddleware: no view may opt out. The API's operations are
exempt from the middleware because django-ninja checks CSRF itself, in SessionAuth(csrf=True),
for requests that authenticate with the session cookie; Bearer tokens are not sent by browsers on
their own, so they need no CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.security import APIKeyCookie

from belong.accounts.models import User
from belong.api.api import api, unknown_api_path
from belong.api.tests.helpers import token_for
from belong.communities.models import Membership, Role, Space
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions as conversation_actions
from belong.conversations.models import Draft, Post, Thread, ThreadKind

API = "/api/v1"


def url_patterns(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def is_ninja_operation(view: Any) -> bool:
    return getattr(view, "__module__", "") == "ninja.operation"


def test_no_view_is_csrf_exempt_but_the_apis():
    exempt = [
        route for route, pattern in url_patterns() if getattr(pattern.callback, "csrf_exempt", False)
    ]  # fmt: skip
    outside_the_api = [
        route
        for route, pattern in url_patterns()
        if getattr(pattern.callback, "csrf_exempt", False)
        and not (is_ninja_operation(pattern.callback) or pattern.callback is unknown_api_path)
    ]
    assert outside_the_api == []
    assert all(route.startswith("api/v1/") for route in exempt), exempt
    assert any(pattern.callback is unknown_api_path for _route, pattern in url_patterns())


def test_every_api_operation_checks_csrf_for_cookie_sessions():
    checked = 0
    for router in api._get_bound_routers():  # the operations as mounted, with the API's default auth applied
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                assert not operation.csrf_exempt, operation.operation_id
                cookies = [auth for auth in operation.auth_callbacks if isinstance(auth, APIKeyCookie)]
                assert cookies, f"{operation.operation_id} has no session authentication"
                assert all(auth.csrf for auth in cookies), operation.operation_id
                checked += 1
    assert checked > 100


# The API


@pytest.fixture
def member(db) -> Membership:
    return MembershipFactory()


@pytest.fixture
def space(member) -> Space:
    return SpaceFactory(community=member.community)


@pytest.fixture
def thread(member, space) -> Thread:
    return conversation_actions.create_thread(
        author=member.user, space=space, kind=ThreadKind.DISCUSSION, title="Grind", body="How fine?"
    )


def strict_session(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def api_post(client: Client, url: str, payload: dict[str, Any], **headers: str) -> Any:
    return client.post(url, payload, content_type="application/json", headers=headers)


def test_a_session_reply_through_the_api_without_the_csrf_token_is_refused(member, thread):
    url = f"{API}/communities/{member.community.slug}/threads/{thread.pk}/posts"
    response = api_post(strict_session(member.user), url, {"body": "Obrigado!"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
    assert Post.objects.filter(thread=thread).count() == 1


def test_a_session_draft_through_the_api_without_the_csrf_token_is_refused(member, thread):
    url = f"{API}/communities/{member.community.slug}/threads/{thread.pk}/draft"
    client = strict_session(member.user)
    response = client.put(url, {"body": "Dankie"}, content_type="application/json")
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_a_session_reply_through_the_api_with_the_csrf_token_is_accepted(member, thread):
    client = strict_session(member.user)
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"  # the cookie's secret, sent back in the header
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    url = f"{API}/communities/{member.community.slug}/threads/{thread.pk}/posts"
    response = api_post(client, url, {"body": "Благодаря!"}, **{"X-CSRFToken": secret})
    assert response.status_code == 201, response.content


def test_a_token_client_needs_no_csrf_token(member, thread):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token_for(member.user)}"})
    url = f"{API}/communities/{member.community.slug}/threads/{thread.pk}/posts"
    response = api_post(client, url, {"body": "Thanks!"})
    assert response.status_code == 201, response.content


def test_a_session_write_to_an_unknown_api_address_is_a_404_problem_not_a_csrf_page(member):
    response = api_post(strict_session(member.user), f"{API}/no/such/thing", {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# Forms


def with_csrf(client: Client, page: str) -> dict[str, str]:
    """Open the form's page, as a browser would, and return the token the form carries."""
    assert client.get(page).status_code == 200
    return {"csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value}


def test_starting_a_thread_without_the_csrf_token_is_refused(member, space):
    client = strict_session(member.user)
    url = reverse("conversations:new_thread", args=[member.community.slug, space.slug])
    data = {"kind": "discussion", "title": "Olá", "body": "Obrigado pela ajuda."}
    assert client.post(url, data).status_code == 403
    assert not Thread.objects.exists()
    assert client.post(url, data | with_csrf(client, url)).status_code == 302
    assert Thread.objects.count() == 1


def test_replying_without_the_csrf_token_is_refused(member, thread):
    client = strict_session(member.user)
    url = reverse("conversations:reply", args=[member.community.slug, thread.pk])
    assert client.post(url, {"body": "Dankie, ná ete."}).status_code == 403
    assert thread.posts.count() == 1
    page = reverse("conversations:thread", args=[member.community.slug, thread.pk])
    assert client.post(url, {"body": "Dankie, ná ete."} | with_csrf(client, page)).status_code == 302
    assert thread.posts.count() == 2


def test_joining_a_community_without_the_csrf_token_is_refused(user):
    community = CommunityFactory()
    client = strict_session(user)
    url = reverse("communities:join", args=[community.slug])
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(user=user).exists()
    page = reverse("communities:detail", args=[community.slug])
    assert client.post(url, with_csrf(client, page)).status_code == 302
    assert Membership.objects.filter(user=user, community=community).exists()


def test_editing_the_profile_without_the_csrf_token_is_refused(member):
    client = strict_session(member.user)
    url = reverse("accounts:edit_profile")
    data = {"display_name": "Мария", "handle": member.user.handle, "bio": "", "locale": "bg", "time_zone": "UTC"}
    assert client.post(url, data).status_code == 403
    member.user.refresh_from_db()
    assert member.user.display_name != "Мария"
    assert client.post(url, data | with_csrf(client, url)).status_code == 302
    member.user.refresh_from_db()
    assert member.user.display_name == "Мария"


def test_saving_a_draft_without_the_csrf_token_is_refused(member, thread):
    client = strict_session(member.user)
    url = reverse("conversations:save_reply_draft", args=[member.community.slug, thread.pk])
    assert client.post(url, {"body": "Rascunho"}, HTTP_HX_REQUEST="true").status_code == 403
    assert not Draft.objects.exists()


def test_banning_without_the_csrf_token_is_refused(member):
    manager = MembershipFactory(community=member.community, role=Role.MANAGER)
    client = strict_session(manager.user)
    url = reverse("communities:member_ban", args=[member.community.slug, member.pk])
    assert client.post(url, {"reason": "Spam"}).status_code == 403
    member.refresh_from_db()
    assert member.state == "active"
