"""The /me/exports API and DELETE /me, and the API's view of what a deleted member wrote."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from belong.accounts import actions
from belong.accounts.models import DataExport, ExportState, User
from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, send, session_client, token_client
from belong.communities.models import Role
from belong.conversations import actions as conversations
from belong.conversations.models import Post, ThreadKind

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ME = f"{API}/me"
EXPORTS = f"{API}/me/exports"


@pytest.fixture
def person(member):
    return member.user


@pytest.fixture
def client(person) -> Client:
    return session_client(person)


@pytest.fixture
def ready_export(person, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        the_export = actions.request_export(user=person)
    the_export.refresh_from_db()
    return the_export


# Exports


def test_asking_for_an_export_is_accepted_and_then_ready(person, django_capture_on_commit_callbacks):
    client = token_client(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORTS)
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["state"], body["download_url"]) == ("pending", None)
    ready = client.get(f"{EXPORTS}/{body['id']}").json()
    assert ready["state"] == "ready" and ready["size"] > 0
    assert ready["download_url"] == f"{EXPORTS}/{body['id']}/download"


def test_asking_again_the_same_day_is_a_409_problem(client, ready_export):
    body = assert_problem(client.post(EXPORTS), 409)
    assert "once a day" in body["detail"]


def test_a_read_only_token_cannot_ask_for_an_export(person):
    assert_problem(token_client(person, scopes=("read",)).post(EXPORTS), 403)
    assert not DataExport.objects.filter(user=person).exists()


def test_downloading_gives_the_zip(person, ready_export):
    response = token_client(person, scopes=("read",)).get(f"{EXPORTS}/{ready_export.pk}/download")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(f'attachment; filename="belong-export-{person.handle}-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert json.loads(archive.read("profile.json"))["handle"] == person.handle


@pytest.mark.parametrize("staff", [False, True])
def test_someone_elses_export_is_a_404_problem(ready_export, staff):
    stranger = token_client(UserFactory(is_staff=staff, is_superuser=staff))
    assert_problem(stranger.get(f"{EXPORTS}/{ready_export.pk}"), 404)
    assert_problem(stranger.get(f"{EXPORTS}/{ready_export.pk}/download"), 404)
    assert stranger.get(EXPORTS).json()["results"] == []


def test_an_export_being_prepared_is_a_404_to_download(client, person):
    pending = actions.request_export(user=person)
    assert_problem(client.get(f"{EXPORTS}/{pending.pk}/download"), 404)


def test_the_export_list_costs_the_same_queries_for_30_as_for_3(client, person, django_assert_max_num_queries):
    DataExport.objects.bulk_create([DataExport(user=person, state=ExportState.FAILED) for _ in range(30)])
    with django_assert_max_num_queries(5):
        response = client.get(EXPORTS)
    assert len(response.json()["results"]) == 25
    assert "content" not in response.json()["results"][0]


# DELETE /me


def test_deleting_me_with_the_password_is_a_204(person):
    response = send(token_client(person), "delete", ME, {"password": PASSWORD})
    assert response.status_code == 204, response.content
    assert not User.objects.filter(pk=person.pk).exists()


def test_deleting_me_in_the_browser_signs_out(client, person):
    response = send(client, "delete", ME, {"password": PASSWORD, "remove_content": True})
    assert response.status_code == 204
    assert SESSION_KEY not in client.session


def test_a_wrong_password_is_a_422_problem_and_nothing_changes(client, person):
    body = assert_problem(send(client, "delete", ME, {"password": "nope"}), 422)
    assert "password" in body["errors"]
    assert User.objects.filter(pk=person.pk).exists()


def test_unknown_fields_are_a_422_problem(client, person):
    assert_problem(send(client, "delete", ME, {"password": PASSWORD, "keep_my_points": True}), 422)
    assert User.objects.filter(pk=person.pk).exists()


def test_the_only_owner_gets_a_409_problem(owner, community):
    body = assert_problem(send(token_client(owner.user), "delete", ME, {"password": PASSWORD}), 409)
    assert community.name in body["detail"]
    assert User.objects.filter(pk=owner.user_id).exists()


def test_a_read_only_token_cannot_delete_the_account(person):
    assert_problem(send(token_client(person, scopes=("read",)), "delete", ME, {"password": PASSWORD}), 403)
    assert User.objects.filter(pk=person.pk).exists()


def test_an_account_without_a_password_is_deleted_only_from_the_browser(person):
    person.set_unusable_password()
    person.save()
    token = token_client(person)
    assert_problem(send(token, "delete", ME, {"confirm": person.handle}), 403)
    assert User.objects.filter(pk=person.pk).exists()
    response = send(session_client(person), "delete", ME, {"confirm": person.handle})
    assert response.status_code == 204
    assert not User.objects.filter(pk=person.pk).exists()


# What a deleted member wrote, through the API


def test_a_thread_of_a_deleted_member_still_serialises(make_member, space, community):
    gone = make_member(Role.MEMBER).user
    thread = conversations.create_thread(
        author=gone, space=space, kind=ThreadKind.DISCUSSION, title="Resenha", body="O café é ótimo."
    )
    conversations.create_reply(author=gone, thread=thread, body="Ainda é.")
    actions.delete_account(user=gone, password=PASSWORD)
    reader = token_client(make_member(Role.MEMBER).user)
    address = f"{API}/communities/{community.slug}/threads/{thread.pk}"
    response = reader.get(address)
    assert response.status_code == 200, response.content
    assert response.json()["author"] is None
    posts = reader.get(f"{address}/posts").json()["results"]
    assert [(post["author"], post["body"]) for post in posts] == [(None, "O café é ótimo."), (None, "Ainda é.")]
    listing = reader.get(f"{API}/communities/{community.slug}/threads")
    assert listing.status_code == 200 and listing.json()["results"][0]["author"] is None
    assert Post.objects.filter(thread=thread, author__isnull=True).count() == 2
