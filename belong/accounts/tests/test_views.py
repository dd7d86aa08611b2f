"""Profiles, the profile editor and personal API tokens, through their pages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from belong.accounts.actions import authenticate_token
from belong.accounts.models import ApiToken, TokenScope
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import MembershipState, Role
from belong.communities.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_data(user, **overrides):
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": user.bio,
        "locale": user.locale,
        "time_zone": user.time_zone,
    }
    data.update(overrides)
    return data


def png(size=(8, 8), fmt="PNG", name="me.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


# Public profile


def test_a_profile_shows_the_person_and_their_communities_with_roles(client, make_member):
    membership = make_member(Role.EXPERT)
    MembershipFactory(user=membership.user, state=MembershipState.LEFT)
    person = membership.user
    person.bio = "Climbs things."
    person.save()
    response = client.get(reverse("accounts:profile", args=[person.handle]))
    html = response.content.decode()
    assert response.status_code == 200
    assert person.name in html
    assert f"@{person.handle}" in html
    assert "Climbs things." in html
    assert membership.community.name in html
    assert "Expert" in html
    assert len(response.context["memberships"]) == 1


def test_a_profile_is_found_whatever_the_case_of_the_handle(client, user):
    assert client.get(reverse("accounts:profile", args=[user.handle.upper()])).status_code == 200


def test_an_unknown_handle_is_a_404(client, db):
    assert client.get(reverse("accounts:profile", args=["nobody-here"])).status_code == 404


# Editing the profile


def test_anonymous_visitors_are_sent_to_sign_in_for_settings(client, db):
    for name in ("accounts:edit_profile", "accounts:tokens"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_profile_form_offers_languages_and_time_zones(signed_in):
    response = signed_in.get(reverse("accounts:edit_profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="Europe/Sofia"' in html
    assert '<option value="bg"' in html
    assert 'enctype="multipart/form-data"' in html


def test_saving_the_profile(signed_in, user):
    data = profile_data(user, display_name="Maria", bio="Hello", locale="pt", time_zone="Europe/Lisbon")
    response = signed_in.post(reverse("accounts:edit_profile"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.locale, user.time_zone) == ("Maria", "Hello", "pt", "Europe/Lisbon")


def test_a_taken_handle_is_refused_and_nothing_is_written(signed_in, user):
    other = UserFactory()
    response = signed_in.post(
        reverse("accounts:edit_profile"), profile_data(user, handle=other.handle.upper(), bio="x")
    )
    assert response.status_code == 422
    assert "This handle is taken." in response.content.decode()
    user.refresh_from_db()
    assert user.bio == ""


def test_an_unknown_time_zone_and_a_reserved_handle_are_refused(signed_in, user):
    response = signed_in.post(
        reverse("accounts:edit_profile"), profile_data(user, handle="admin", time_zone="Mars/Base")
    )
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"handle", "time_zone"}


def test_uploading_an_avatar(signed_in, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = profile_data(user, avatar=png())
    assert signed_in.post(reverse("accounts:edit_profile"), data).status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")


def test_an_avatar_that_is_not_a_picture_is_refused(signed_in, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("me.png", b"not a picture", content_type="image/png")
    response = signed_in.post(reverse("accounts:edit_profile"), profile_data(user, avatar=fake))
    assert response.status_code == 422
    assert "avatar" in response.context["form"].errors
    user.refresh_from_db()
    assert not user.avatar


def test_an_avatar_over_one_megabyte_is_refused(signed_in, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = png(size=(1200, 1200), fmt="BMP", name="big.png")
    assert (big.size or 0) > 1024 * 1024
    response = signed_in.post(reverse("accounts:edit_profile"), profile_data(user, avatar=big))
    assert response.status_code == 422
    assert "avatar" in response.context["form"].errors
    user.refresh_from_db()
    assert not user.avatar


def test_an_avatar_of_another_image_type_is_refused(signed_in, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = signed_in.post(
        reverse("accounts:edit_profile"), profile_data(user, avatar=png(fmt="TIFF", name="me.tiff"))
    )
    assert response.status_code == 422
    assert "avatar" in response.context["form"].errors


# API tokens


def test_creating_a_token_shows_it_once(signed_in, user):
    url = reverse("accounts:tokens")
    response = signed_in.post(url, {"name": "CRM sync", "scopes": "read_write", "expires_at": ""})
    assert response.status_code == 302
    token = ApiToken.objects.get(user=user)
    assert token.scopes == [TokenScope.READ, TokenScope.WRITE]
    html = signed_in.get(url).content.decode()
    assert "Copy your new token now" in html
    raw = html.split('id="new-token" value="', 1)[1].split('"', 1)[0]
    assert authenticate_token(raw) == token
    again = signed_in.get(url).content.decode()
    assert raw not in again
    assert token.hint in again


def test_a_token_can_expire_on_a_chosen_day(signed_in, user):
    day = timezone.localdate() + timedelta(days=30)
    signed_in.post(reverse("accounts:tokens"), {"name": "Temp", "scopes": "read", "expires_at": day.isoformat()})
    token = ApiToken.objects.get(user=user)
    assert token.scopes == [TokenScope.READ]
    assert timezone.localtime(token.expires_at).date() == day


def test_a_token_with_bad_input_is_not_created(signed_in, user):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = signed_in.post(reverse("accounts:tokens"), {"name": "Old", "scopes": "read", "expires_at": yesterday})
    assert response.status_code == 422
    assert "Pick a later date." in response.content.decode()
    response = signed_in.post(reverse("accounts:tokens"), {"name": "", "scopes": "admin"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(signed_in, user):
    signed_in.post(reverse("accounts:tokens"), {"name": "CI", "scopes": "read"})
    html = signed_in.get(reverse("accounts:tokens")).content.decode()
    raw = html.split('id="new-token" value="', 1)[1].split('"', 1)[0]
    token = ApiToken.objects.get(user=user)
    response = signed_in.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 302
    assert authenticate_token(raw) is None
    assert "Revoked" in signed_in.get(reverse("accounts:tokens")).content.decode()


def test_someone_elses_token_cannot_be_revoked(signed_in):
    other = UserFactory()
    token = ApiToken.objects.create(user=other, name="Theirs", token_hash="x" * 64, hint="blg_abc", scopes=["read"])
    assert signed_in.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_is_a_conflict(signed_in, user):
    token = ApiToken.objects.create(
        user=user, name="Mine", token_hash="y" * 64, hint="blg_abc", scopes=["read"], revoked_at=timezone.now()
    )
    assert signed_in.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 409


def test_the_token_list_runs_a_fixed_number_of_queries(signed_in, user, django_assert_max_num_queries):
    for n in range(20):
        ApiToken.objects.create(user=user, name=f"t{n}", token_hash=f"{n:064d}", hint="blg_abc", scopes=["read"])
    with django_assert_max_num_queries(6):
        assert signed_in.get(reverse("accounts:tokens")).status_code == 200
