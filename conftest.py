"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Community, Membership, Role, Space
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core import events


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets its own cache namespace, so rate-limit counters never leak between tests."""
    import uuid

    from django.core.cache import cache

    settings.CACHES = {name: {**conf, "KEY_PREFIX": f"t{uuid.uuid4().hex}"} for name, conf in settings.CACHES.items()}
    yield
    cache.clear() if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache") else None


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request of a member whose profile says "pt" leaves
    Portuguese active in the thread (the locale middleware activates it), which would leak into the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def community(db) -> Community:
    return CommunityFactory()


@pytest.fixture
def space(community) -> Space:
    return SpaceFactory(community=community)


@pytest.fixture
def make_member(community) -> Callable[..., Membership]:
    def make(role: str = Role.MEMBER, **kwargs) -> Membership:
        membership: Membership = MembershipFactory(community=kwargs.pop("community", community), role=role, **kwargs)
        return membership

    return make


@pytest.fixture
def user(db) -> User:
    return UserFactory()


@pytest.fixture
def member(make_member) -> Membership:
    membership: Membership = make_member(Role.MEMBER)
    return membership


@pytest.fixture
def manager(make_member) -> Membership:
    membership: Membership = make_member(Role.MANAGER)
    return membership


@pytest.fixture
def owner(make_member) -> Membership:
    membership: Membership = make_member(Role.OWNER)
    return membership


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager.user)
    return client


@pytest.fixture
def published(monkeypatch) -> list[events.Event]:
    """Collect every event published during the test (after commit)."""
    return collect_events(monkeypatch)


def collect_events(monkeypatch, *, only_from: str | None = None) -> list[events.Event]:
    """Spy on `events.publish`; with `only_from` (a module like "belong.conversations.events"), keep
    only that app's own events, so its tests ignore what other apps' subscribers publish in turn."""
    seen: list[events.Event] = []
    original = events.publish

    def spy(event: events.Event) -> None:
        if only_from is None or type(event).__module__ == only_from:
            seen.append(event)
        original(event)

    monkeypatch.setattr(events, "publish", spy)
    return seen
