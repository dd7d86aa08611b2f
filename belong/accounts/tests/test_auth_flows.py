"""Sign-up, e-mail verification, sign-in, sign-out and password reset through django-allauth."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "thandi@example.com",
    "username": "thandi",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "display_name": "Thandi Mokoena",
    "locale": "af",
}


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_signing_up_creates_the_person_with_a_handle_and_asks_to_verify_the_address():
    client = Client()
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302
    person = User.objects.get(email="thandi@example.com")
    assert (person.handle, person.display_name, person.locale) == ("thandi", "Thandi Mokoena", "af")
    assert not EmailAddress.objects.get(user=person).verified
    [message] = mail.outbox
    confirm_url = link_in(message)
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=person).verified


def test_signing_up_with_a_taken_handle_shows_the_form_again_and_creates_nobody():
    UserFactory(handle="Thandi")
    response = Client().post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="thandi@example.com").exists()


def test_a_person_signs_in_with_their_email_and_signs_out_with_a_post():
    person = UserFactory(email="ana@example.com")
    client = Client()
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/settings/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/settings/profile/").status_code == 302
    assert person.pk


def test_a_forgotten_password_is_reset_through_the_emailed_link():
    UserFactory(email="georgi@example.com")
    client = Client()
    client.post("/accounts/password/reset/", {"email": "georgi@example.com"})
    [message] = mail.outbox
    reset_page = client.get(link_in(message), follow=True)
    form_url = reset_page.redirect_chain[-1][0] if reset_page.redirect_chain else link_in(message)
    new_password = "another long passphrase"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert Client().login(email="georgi@example.com", password=new_password)
