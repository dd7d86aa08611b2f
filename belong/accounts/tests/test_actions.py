"""Changes to a person's own account: the profile and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from belong.accounts import actions, events
from belong.accounts.actions import Verb
from belong.accounts.models import ApiToken, TokenScope, User, hash_token
from belong.accounts.tests.factories import UserFactory
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def logged(verb: str, target) -> Activity:
    entry = Activity.objects.get(verb=verb)
    assert entry.target_type == ContentType.objects.get_for_model(target)
    assert entry.target_id == str(target.pk)
    assert entry.community_id is None
    return entry


# --- Profile --------------------------------------------------------------------------------


def test_a_person_updates_their_profile(user, commit, published):
    with commit():
        actions.update_profile(
            user=user, display_name="Ana Lima", bio="Hello", locale="pt", time_zone="Europe/Lisbon", handle="ana.lima"
        )
        assert published == []
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.locale, user.time_zone, user.handle) == (
        "Ana Lima",
        "Hello",
        "pt",
        "Europe/Lisbon",
        "ana.lima",
    )
    entry = logged(Verb.PROFILE_UPDATED, user)
    assert entry.actor == user
    assert entry.data == {"changed": ["bio", "display_name", "handle", "locale", "time_zone"]}
    assert published == [
        events.ProfileUpdated(
            actor_id=user.pk, user_id=user.pk, changed=("bio", "display_name", "handle", "locale", "time_zone")
        )
    ]


def test_a_person_may_change_the_case_of_their_own_handle(user):
    actions.update_profile(user=user, handle=user.handle.upper())
    user.refresh_from_db()
    assert user.handle == user.handle.upper()


@pytest.mark.parametrize("taken", ["maria", "MARIA", "Maria"])
def test_a_handle_taken_in_any_case_is_refused(user, taken):
    UserFactory(handle="Maria")
    with pytest.raises(Conflict) as info:
        actions.update_profile(user=user, handle=taken, bio="changed")
    assert "handle" in info.value.errors
    user.refresh_from_db()
    assert user.bio == ""
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"locale": "xx"}, "locale"),
        ({"handle": "admin"}, "handle"),
        ({"handle": "Settings"}, "handle"),
        ({"handle": "no spaces"}, "handle"),
        ({"handle": "ab"}, "handle"),
        ({"handle": ".dot"}, "handle"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
    ids=str,
)
def test_invalid_profile_values_are_refused(user, changes, field, commit, published):
    before = User.objects.values().get(pk=user.pk)
    with commit(), pytest.raises(Invalid) as info:
        actions.update_profile(user=user, **changes)
    assert field in info.value.errors
    assert User.objects.values().get(pk=user.pk) == before
    assert not Activity.objects.exists()
    assert published == []


def test_unknown_profile_fields_are_refused(user):
    with pytest.raises(Invalid):
        actions.update_profile(user=user, is_superuser=True)
    user.refresh_from_db()
    assert not user.is_superuser


# --- API tokens ---------------------------------------------------------------------------------


def test_creating_a_token_returns_it_once_and_stores_only_its_hash(user, commit, published):
    with commit():
        token, raw = actions.create_api_token(user=user, name=" CI ", scopes=[TokenScope.WRITE, TokenScope.WRITE])
    assert raw.startswith("blg_") and len(raw) > 40
    token.refresh_from_db()
    assert (token.user, token.name, token.scopes) == (user, "CI", ["write"])
    assert token.token_hash == hash_token(raw)
    assert token.hint == raw[:10]
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(raw in value for value in stored)
    entry = logged(Verb.TOKEN_CREATED, token)
    assert entry.actor == user
    assert published == [events.ApiTokenCreated(actor_id=user.pk, token_id=token.pk)]


def test_a_token_reads_by_default(user):
    token, _ = actions.create_api_token(user=user, name="CI", scopes=[])
    assert token.scopes == [TokenScope.READ]


def test_two_tokens_never_share_a_secret(user):
    (first, raw1), (second, raw2) = (actions.create_api_token(user=user, name=n, scopes=["read"]) for n in "ab")
    assert raw1 != raw2 and first.token_hash != second.token_hash


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "CI", "scopes": ["admin"]},
        {"name": "CI", "scopes": ["read", "delete"]},
        {"name": "  ", "scopes": ["read"]},
        {"name": "CI", "scopes": ["read"], "expires_at": "past"},
        {"name": "x" * 101, "scopes": ["read"]},
    ],
    ids=str,
)
def test_invalid_tokens_are_refused(user, fields):
    if fields.get("expires_at") == "past":
        fields["expires_at"] = timezone.now() - timedelta(seconds=1)
    with pytest.raises(Invalid):
        actions.create_api_token(user=user, **fields)
    assert not ApiToken.objects.exists()
    assert not Activity.objects.exists()


def test_a_person_cannot_hold_too_many_tokens(user):
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"t{i}", token_hash=f"{i:064}", hint="blg_", scopes=["read"])
        for i in range(actions.MAX_TOKENS_PER_USER)
    )
    with pytest.raises(Conflict):
        actions.create_api_token(user=user, name="one more", scopes=["read"])
    ApiToken.objects.filter(name="t0").update(revoked_at=timezone.now())
    actions.create_api_token(user=user, name="one more", scopes=["read"])


def test_revoking_a_token_stops_it_at_once(user, commit, published):
    token, raw = actions.create_api_token(user=user, name="CI", scopes=["read"])
    assert actions.authenticate_token(raw) == token
    with commit():
        actions.revoke_api_token(user=user, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert logged(Verb.TOKEN_REVOKED, token).actor == user
    assert published == [events.ApiTokenRevoked(actor_id=user.pk, token_id=token.pk)]
    assert actions.authenticate_token(raw) is None


def test_revoking_a_token_twice_is_a_conflict(user):
    token, _ = actions.create_api_token(user=user, name="CI", scopes=["read"])
    actions.revoke_api_token(user=user, token_id=token.pk)
    with pytest.raises(Conflict):
        actions.revoke_api_token(user=user, token_id=token.pk)
    assert Activity.objects.filter(verb=Verb.TOKEN_REVOKED).count() == 1


def test_nobody_revokes_someone_elses_token(user):
    token, raw = actions.create_api_token(user=UserFactory(), name="CI", scopes=["read"])
    with pytest.raises(NotFound):
        actions.revoke_api_token(user=user, token_id=token.pk)
    assert actions.authenticate_token(raw) == token


def test_an_expired_token_does_not_authenticate(user):
    token, raw = actions.create_api_token(
        user=user, name="CI", scopes=["read"], expires_at=timezone.now() + timedelta(days=1)
    )
    assert actions.authenticate_token(raw) == token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert actions.authenticate_token(raw) is None


def test_the_token_of_an_inactive_person_is_refused(user):
    _, raw = actions.create_api_token(user=user, name="CI", scopes=["read"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert actions.authenticate_token(raw) is None


@pytest.mark.parametrize("raw", ["", "blg_", "blg_unknown", "Bearer something", "x" * 200])
def test_unknown_tokens_do_not_authenticate(user, raw):
    actions.create_api_token(user=user, name="CI", scopes=["read"])
    assert actions.authenticate_token(raw) is None


def test_a_token_must_match_exactly(user):
    _, raw = actions.create_api_token(user=user, name="CI", scopes=["read"])
    assert actions.authenticate_token(raw[:-1]) is None
    assert actions.authenticate_token(raw.upper()) is None


def test_last_use_is_noted_at_most_once_a_minute(user, django_assert_num_queries):
    token, raw = actions.create_api_token(user=user, name="CI", scopes=["read"])
    assert token.last_used_at is None
    with django_assert_num_queries(2):  # read, then note the use
        first = actions.authenticate_token(raw)
    assert first is not None and first.last_used_at is not None
    token.refresh_from_db()
    assert token.last_used_at == first.last_used_at
    with django_assert_num_queries(1):  # within the minute: a read only
        actions.authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == first.last_used_at

    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)
    again = actions.authenticate_token(raw)
    assert again is not None and again.last_used_at is not None and again.last_used_at > an_hour_ago
    token.refresh_from_db()
    assert token.last_used_at == again.last_used_at


def test_authenticating_carries_the_person(user, django_assert_num_queries):
    _, raw = actions.create_api_token(user=user, name="CI", scopes=["read"])
    actions.authenticate_token(raw)
    with django_assert_num_queries(1):
        token = actions.authenticate_token(raw)
        assert token is not None and token.user.handle == user.handle
