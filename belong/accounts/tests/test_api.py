"""The /me API: the signed-in person's profile and personal tokens."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.accounts.models import ApiToken
from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, queries_for, session_client, token_client, token_for

pytestmark = pytest.mark.django_db

ME = f"{API}/me"
TOKENS = f"{API}/me/tokens"


@pytest.fixture
def client(user):
    return session_client(user)


def test_me_returns_the_private_profile(client, user):
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["handle"], body["email"], body["locale"]) == (user.pk, user.handle, user.email, "en")


def test_me_needs_a_signed_in_person():
    assert_problem(Client().get(ME), 401)


def test_a_person_changes_their_profile(user):
    response = token_client(user).patch(
        ME,
        {"display_name": "Maria", "handle": "maria", "bio": "Hi", "locale": "pt", "time_zone": "Europe/Lisbon"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.display_name, user.handle, user.bio, user.locale, user.time_zone) == (
        "Maria",
        "maria",
        "Hi",
        "pt",
        "Europe/Lisbon",
    )
    assert response.json()["name"] == "Maria"


def test_fields_left_out_of_a_patch_keep_their_value(client, user):
    client.patch(ME, {"bio": "Only this"}, content_type="application/json")
    before = user.display_name
    user.refresh_from_db()
    assert (user.bio, user.display_name) == ("Only this", before)


def test_taking_someone_elses_handle_is_a_409_problem(client):
    UserFactory(handle="maria")
    body = assert_problem(client.patch(ME, {"handle": "Maria"}, content_type="application/json"), 409)
    assert "handle" in body["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"locale": "xx"}, "locale"),
        ({"handle": "no spaces allowed"}, "handle"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"email": "new@example.com"}, "email"),
    ],
)
def test_invalid_profile_fields_are_a_422_problem(client, payload, field):
    body = assert_problem(client.patch(ME, payload, content_type="application/json"), 422)
    assert field in body["errors"]


def test_a_malformed_json_body_is_a_400_problem(client):
    assert_problem(client.patch(ME, "{not json", content_type="application/json"), 400)


def test_creating_a_token_shows_it_once_and_it_works(client, user):
    response = client.post(TOKENS, {"name": "CRM sync", "scopes": ["write"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"].startswith("blg_") and body["token"].startswith(body["hint"])
    assert (body["name"], body["scopes"], body["is_usable"]) == ("CRM sync", ["write"], True)
    listed = client.get(TOKENS).json()["results"]
    assert [t["id"] for t in listed] == [body["id"]] and "token" not in listed[0]
    assert Client(headers={"Authorization": f"Bearer {body['token']}"}).get(ME).json()["id"] == user.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "  "}, "name"),
        ({}, "name"),
        ({"name": "x", "scopes": ["admin"]}, "scopes.0"),
        ({"name": "x", "expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "expires_at": "2999-01-01T00:00:00"}, "expires_at"),
    ],
)
def test_an_invalid_token_request_is_a_422_problem(client, payload, field):
    body = assert_problem(client.post(TOKENS, payload, content_type="application/json"), 422)
    assert field in body["errors"]


def test_revoking_a_token_stops_it_at_once(client, user):
    raw = token_for(user)
    token = ApiToken.objects.get()
    response = client.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["revoked_at"] is not None
    assert response.json()["is_usable"] is False
    assert_problem(Client(headers={"Authorization": f"Bearer {raw}"}).get(ME), 401)
    assert_problem(client.delete(f"{TOKENS}/{token.pk}"), 409)


def test_someone_elses_token_is_a_404_problem(client):
    token_for(UserFactory())
    assert_problem(client.delete(f"{TOKENS}/{ApiToken.objects.get().pk}"), 404)


def test_the_token_list_costs_the_same_queries_for_30_as_for_3(client, user, django_assert_max_num_queries):
    for _ in range(3):
        token_for(user)
    few = queries_for(client, f"{TOKENS}?page_size=50")
    for _ in range(27):
        token_for(user, expires_at=timezone.now() + timedelta(days=1))
    with django_assert_max_num_queries(few):
        assert len(client.get(f"{TOKENS}?page_size=50").json()["results"]) == 30
