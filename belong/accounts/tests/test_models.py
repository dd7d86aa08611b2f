"""The user model and API tokens: rules that hold whoever writes the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from belong.accounts.models import TOKEN_PREFIX, ApiToken, TokenScope, User, hash_token
from belong.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_is_created_with_a_handle_and_a_normalised_email():
    user = User.objects.create_user("maria", "maria@EXAMPLE.com", "s3cret-pass")
    assert (user.handle, user.email) == ("maria", "maria@example.com")
    assert user.check_password("s3cret-pass")
    assert not user.is_staff and not user.is_superuser and user.is_active


def test_a_user_needs_an_email():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("maria", "", "pw")


def test_a_superuser_is_an_operator():
    operator = User.objects.create_superuser("root", "root@example.com", "pw")
    assert operator.is_staff and operator.is_superuser


def test_handles_are_unique_whatever_their_case():
    UserFactory(handle="Maria")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(handle="maria")


def test_emails_are_unique():
    UserFactory(email="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="a@example.com")


def test_a_person_is_shown_by_display_name_or_handle():
    assert str(UserFactory(handle="maria", display_name="Maria S.")) == "Maria S."
    nameless = UserFactory(handle="maria2", display_name="")
    assert (nameless.name, nameless.get_full_name(), nameless.get_short_name()) == ("maria2", "maria2", "maria2")


def test_generated_tokens_are_long_random_and_prefixed():
    tokens = {ApiToken.generate() for _ in range(50)}
    assert len(tokens) == 50
    assert all(token.startswith(TOKEN_PREFIX) and len(token) >= 40 for token in tokens)


def test_the_token_hash_is_sha256_hex():
    digest = hash_token("blg_abc")
    assert len(digest) == 64 and digest == hash_token("blg_abc") != hash_token("blg_abd")


@pytest.mark.parametrize(
    ("revoked", "expires_in", "usable"),
    [
        (False, None, True),
        (False, timedelta(days=1), True),
        (False, timedelta(seconds=-1), False),
        (True, None, False),
        (True, timedelta(days=1), False),
    ],
)
def test_a_token_is_usable_until_revoked_or_expired(user, revoked, expires_in, usable):
    token = ApiToken(
        user=user,
        revoked_at=timezone.now() if revoked else None,
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
    )
    assert token.is_usable is usable


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [([TokenScope.READ], True, False), ([TokenScope.WRITE], True, True), ([], False, False)],
)
def test_writing_implies_reading(scopes, read, write):
    token = ApiToken(scopes=scopes)
    assert (token.allows(TokenScope.READ), token.allows(TokenScope.WRITE)) == (read, write)


def test_a_token_shows_only_its_hint(user):
    token = ApiToken(user=user, name="CI", hint="blg_abcdef")
    assert str(token) == "CI (blg_abcdef…)"
