"""A community ban signs the person out everywhere and revokes their tokens; nothing else does."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from belong.accounts.models import ApiToken
from belong.accounts.sessions import end_sessions_and_tokens
from belong.api.tests.helpers import API, session_client, token_for
from belong.communities import actions as community_actions
from belong.communities.models import MembershipState, Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations.tests.factories import ThreadFactory
from belong.core.errors import NotAllowed

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
SESSION_ENGINES = [
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.signed_cookies",
]


def djangos_own_hash(user) -> str:
    """What Django's AbstractBaseUser stores in a session: an HMAC of the password hash alone."""
    key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
    return salted_hmac(key_salt, user.password, algorithm="sha256").hexdigest()


def signed_in_on_next_request(client: Client) -> bool:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return bool(response.wsgi_request.user.is_authenticated)


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


@pytest.mark.parametrize("engine", SESSION_ENGINES)
def test_a_banned_members_session_is_anonymous_on_its_next_request(settings, engine, manager, member, community):
    settings.SESSION_ENGINE = engine
    client = session_client(member.user)
    assert signed_in_on_next_request(client)

    community_actions.ban_member(actor=manager.user, membership=member, reason="Spam")

    assert not signed_in_on_next_request(client)


def test_every_session_of_the_banned_member_ends_not_only_one(manager, member, community):
    phone, laptop = session_client(member.user), session_client(member.user)

    community_actions.ban_member(actor=manager.user, membership=member, reason="Abuse")

    assert not signed_in_on_next_request(phone)
    assert not signed_in_on_next_request(laptop)


def test_a_banned_members_token_gets_401(manager, member, community):
    raw = token_for(member.user)
    assert bearer(raw).get(f"{API}/me").status_code == 200

    community_actions.ban_member(actor=manager.user, membership=member, reason="Spam")

    response = bearer(raw).get(f"{API}/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    token = ApiToken.objects.get(user=member.user)
    assert token.revoked_at is not None


def test_a_ban_through_the_web_leaves_the_moderators_session_and_tokens_alone(manager, member, community):
    manager_client = session_client(manager.user)
    manager_token = token_for(manager.user)
    banned = session_client(member.user)

    url = reverse("communities:member_ban", args=[community.slug, member.pk])
    assert manager_client.post(url, {"reason": "Abuse"}).status_code == 302

    member.refresh_from_db()
    assert member.state == MembershipState.BANNED
    assert signed_in_on_next_request(manager_client)
    assert bearer(manager_token).get(f"{API}/me").status_code == 200
    assert not signed_in_on_next_request(banned)


def test_a_ban_through_the_api_ends_the_members_sessions(manager, member, community):
    banned = session_client(member.user)
    raw = token_for(member.user)
    response = bearer(token_for(manager.user)).post(
        f"{API}/communities/{community.slug}/members/{member.pk}/ban",
        data={"reason": "Spam"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert not signed_in_on_next_request(banned)
    assert bearer(raw).get(f"{API}/me").status_code == 401


def test_suspension_does_not_sign_the_member_out(moderator, member, community):
    client = session_client(member.user)
    raw = token_for(member.user)

    community_actions.suspend_member(
        actor=moderator.user, membership=member, until=timezone.now() + timedelta(days=3), reason="Cool down"
    )

    assert signed_in_on_next_request(client)
    assert bearer(raw).get(f"{API}/me").status_code == 200
    member.user.refresh_from_db()
    assert member.user.session_epoch == 0


def test_a_refused_ban_signs_nobody_out(moderator, member, community):
    client = session_client(member.user)
    with pytest.raises(NotAllowed):
        community_actions.ban_member(actor=moderator.user, membership=member, reason="Spam")
    assert signed_in_on_next_request(client)


def test_a_banned_person_can_sign_in_again_and_use_other_communities_but_not_the_one_that_banned_them(
    manager, member, community
):
    elsewhere = CommunityFactory()
    MembershipFactory(community=elsewhere, user=member.user)
    own_space = SpaceFactory(community=community)
    other_space = SpaceFactory(community=elsewhere)
    community_actions.ban_member(actor=manager.user, membership=member, reason="Spam")

    client = Client()
    assert client.login(email=member.user.email, password=PASSWORD)
    assert signed_in_on_next_request(client)

    allowed = client.post(
        reverse("conversations:new_thread", args=[elsewhere.slug, other_space.slug]),
        {"kind": "discussion", "title": "Olá de novo", "body": "Ainda aqui, obrigado."},
    )
    assert allowed.status_code == 302
    refused = client.post(
        reverse("conversations:new_thread", args=[community.slug, own_space.slug]),
        {"kind": "discussion", "title": "Back again", "body": "Let me in."},
    )
    assert refused.status_code == 403


def test_only_usable_tokens_are_revoked_and_revoked_ones_keep_their_date(member):
    long_ago = timezone.now() - timedelta(days=30)
    old = ApiToken.objects.create(user=member.user, name="old", token_hash="a" * 64, hint="blg_a", revoked_at=long_ago)
    expired = ApiToken.objects.create(
        user=member.user, name="expired", token_hash="b" * 64, hint="blg_b", expires_at=long_ago
    )
    live = ApiToken.objects.create(user=member.user, name="live", token_hash="c" * 64, hint="blg_c")
    someone_elses = ApiToken.objects.create(
        user=MembershipFactory().user, name="theirs", token_hash="d" * 64, hint="blg_d"
    )

    end_sessions_and_tokens(member.user, reason="test")

    for token in (old, expired, live, someone_elses):
        token.refresh_from_db()
    assert old.revoked_at == long_ago
    assert expired.revoked_at is None
    assert live.revoked_at is not None
    assert someone_elses.revoked_at is None


def test_the_epoch_rises_by_one_each_time_and_the_instance_sees_it(member):
    end_sessions_and_tokens(member.user, reason="first")
    end_sessions_and_tokens(member.user, reason="second")
    assert member.user.session_epoch == 2
    member.user.refresh_from_db()
    assert member.user.session_epoch == 2


def test_epoch_zero_keeps_djangos_default_hash_so_existing_sessions_survive_an_upgrade(member):
    user = member.user
    assert user.session_epoch == 0
    assert user.get_session_auth_hash() == djangos_own_hash(user)

    end_sessions_and_tokens(user, reason="ban")

    assert user.get_session_auth_hash() != djangos_own_hash(user)


def test_a_session_from_before_the_upgrade_still_authenticates(member, community):
    """A session whose stored hash is Django's own (what every session held before the epoch existed)."""
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["_auth_user_hash"] = djangos_own_hash(member.user)
    session.save()
    thread = ThreadFactory(space=SpaceFactory(community=community))
    response = client.get(reverse("conversations:thread", args=[community.slug, thread.pk]))
    assert response.status_code == 200
    assert response.wsgi_request.user == member.user
