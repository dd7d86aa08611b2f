"""The "Your data" and "Delete your account" pages, and pages showing what a deleted member wrote."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.accounts import actions
from belong.accounts.models import DataExport, ExportState, User
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Role
from belong.conversations import actions as conversations
from belong.conversations.models import Post, ThreadKind
from belong.ideas.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
DATA = reverse("accounts:data")
DELETE = reverse("accounts:delete_account")


@pytest.fixture
def person(member):
    return member.user


@pytest.fixture
def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def ready_export(person, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        the_export = actions.request_export(user=person)
    the_export.refresh_from_db()
    assert the_export.state == ExportState.READY
    return the_export


def download(export_id: int) -> str:
    return reverse("accounts:download_export", args=[export_id])


# Your data


def test_the_settings_navigation_links_both_pages(signed_in):
    page = signed_in.get(reverse("accounts:edit_profile")).content.decode()
    assert f'href="{DATA}"' in page and f'href="{DELETE}"' in page


def test_asking_for_your_data_prepares_it_and_says_so(signed_in, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(DATA)
    assert (response.status_code, response["Location"]) == (302, DATA)
    the_export = DataExport.objects.get(user=person)
    assert the_export.state == ExportState.READY
    page = signed_in.get(DATA).content.decode()
    assert "We are preparing your data" in page
    assert download(the_export.pk) in page


def test_asking_twice_in_a_day_is_refused_on_the_page(signed_in, person, ready_export):
    response = signed_in.post(DATA, follow=True)
    assert response.status_code == 200
    assert "once a day" in response.content.decode()
    assert DataExport.objects.filter(user=person).count() == 1


def test_downloading_your_export_gives_the_zip(signed_in, person, ready_export):
    response = signed_in.get(download(ready_export.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    day = ready_export.created_at.date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="belong-export-{person.handle}-{day}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert json.loads(archive.read("profile.json"))["email"] == person.email


@pytest.mark.parametrize("staff", [False, True])
def test_someone_elses_export_is_not_found(ready_export, staff):
    stranger = Client()
    stranger.force_login(UserFactory(is_staff=staff, is_superuser=staff))
    assert stranger.get(download(ready_export.pk)).status_code == 404
    page = stranger.get(DATA).content.decode()
    assert download(ready_export.pk) not in page and "You have not asked for your data yet." in page


def test_an_export_being_prepared_or_expired_is_not_downloadable(signed_in, person, ready_export):
    DataExport.objects.filter(pk=ready_export.pk).update(state=ExportState.PENDING)
    assert signed_in.get(download(ready_export.pk)).status_code == 404
    DataExport.objects.filter(pk=ready_export.pk).update(
        state=ExportState.READY, expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert signed_in.get(download(ready_export.pk)).status_code == 404


def test_visitors_are_sent_to_sign_in(ready_export):
    for address in (DATA, download(ready_export.pk), DELETE):
        response = Client().get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_data_page_runs_a_fixed_number_of_queries(signed_in, person, django_assert_max_num_queries):
    DataExport.objects.bulk_create([DataExport(user=person, state=ExportState.FAILED) for _ in range(25)])
    with django_assert_max_num_queries(8):
        assert signed_in.get(DATA).status_code == 200


# Delete your account


def test_the_delete_page_explains_and_asks_for_the_password(signed_in):
    page = signed_in.get(DELETE).content.decode()
    assert 'name="password"' in page and 'name="remove_content"' in page and 'name="confirm"' not in page
    assert "former member" in page


def test_an_account_without_a_password_is_asked_for_its_handle(signed_in, person):
    person.set_unusable_password()
    person.save()
    signed_in.force_login(person)
    page = signed_in.get(DELETE).content.decode()
    assert 'name="confirm"' in page and 'name="password"' not in page
    response = signed_in.post(DELETE, {"confirm": person.handle})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_wrong_password_is_refused_on_the_form_and_nothing_changes(signed_in, person):
    response = signed_in.post(DELETE, {"password": "nope", "remove_content": "on"})
    assert response.status_code == 422
    assert "The password is not right." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert signed_in.session.get(SESSION_KEY) == str(person.pk)


def test_deleting_signs_out_and_goes_home_with_a_message(signed_in, person):
    response = signed_in.post(DELETE, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "Your account is deleted." in response.content.decode()
    assert SESSION_KEY not in signed_in.session
    assert not User.objects.filter(pk=person.pk).exists()


def test_the_only_owner_is_refused_with_the_communities_named(owner, community):
    client = Client()
    client.force_login(owner.user)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 409
    assert community.name in response.content.decode()
    assert User.objects.filter(pk=owner.user_id).exists()


def test_deleting_with_everything_i_wrote_erases_the_posts(signed_in, person, space):
    thread = conversations.create_thread(author=person, space=space, kind=ThreadKind.DISCUSSION, title="Mine",
                                         body="Ek het dit geskryf.")  # fmt: skip
    signed_in.post(DELETE, {"password": PASSWORD, "remove_content": "on"})
    assert Post.objects.get(thread=thread).body == ""


# What a deleted member wrote still shows


@pytest.fixture
def orphaned_thread(make_member, space):
    """A thread with a reply, both by a member who then deleted their account."""
    gone = make_member(Role.MEMBER).user
    thread = conversations.create_thread(
        author=gone, space=space, kind=ThreadKind.QUESTION, title="Питане", body="Как се чисти кафемашината?"
    )
    conversations.create_reply(author=gone, thread=thread, body="Намерих отговора.")
    actions.delete_account(user=gone, password=PASSWORD)
    thread.refresh_from_db()
    assert thread.author_id is None
    return thread


def test_a_thread_of_a_deleted_member_still_renders(client, orphaned_thread, community):
    response = client.get(reverse("conversations:thread", args=[community.slug, orphaned_thread.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Намерих отговора." in page and "A former member" in page
    listing = client.get(reverse("conversations:threads", args=[community.slug]))
    assert listing.status_code == 200 and "by a former member" in listing.content.decode()


def test_an_idea_of_a_deleted_member_still_renders(client, make_member, space, community):
    gone = make_member(Role.MEMBER).user
    idea = IdeaFactory(thread__space=space, thread__author=gone)
    actions.delete_account(user=gone, password=PASSWORD)
    response = client.get(reverse("ideas:detail", args=[community.slug, idea.pk]))
    assert response.status_code == 200
    assert "Proposed by a former member" in response.content.decode()
    assert client.get(reverse("ideas:board", args=[community.slug])).status_code == 200
