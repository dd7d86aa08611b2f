"""Fixtures of the moderation tests: people by role and trust, threads written through the actions,
and `refused`, which proves a refused action wrote nothing and announced nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from belong.accounts.models import ApiToken, User
from belong.communities.models import Membership, Role
from belong.conversations.models import Follow, Post, PostRevision, Reaction, Thread
from belong.core.errors import BelongError
from belong.core.events import Event
from belong.core.models import Activity, ModerationEntry
from belong.moderation.models import (
    Appeal,
    Flag,
    MemberNote,
    ModerationSettings,
    ReviewItem,
    Rule,
    RuleAcceptance,
)
from belong.moderation.tests.factories import reply_to, start_thread
from conftest import collect_events

WATCHED: list[type[Any]] = [
    User,
    ApiToken,
    Membership,
    Thread,
    Post,
    PostRevision,
    Follow,
    Reaction,
    Activity,
    ModerationEntry,
    ModerationSettings,
    Rule,
    RuleAcceptance,
    ReviewItem,
    Flag,
    Appeal,
    MemberNote,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a moderation action may write, to prove a refusal wrote nothing."""
    return {model.__name__: sorted(model._default_manager.values_list(), key=lambda row: row[0]) for model in WATCHED}


@pytest.fixture
def published(monkeypatch) -> list[Event]:
    return collect_events(monkeypatch)


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """Run the block, then the on-commit callbacks (events, and the tasks their subscribers enqueue)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refused(commit, published) -> Callable[[type[BelongError]], AbstractContextManager[Any]]:
    """Expect the block to raise `error` (exactly that class), write nothing and publish nothing."""

    @contextmanager
    def expect(error: type[BelongError]) -> Iterator[Any]:
        before, seen = snapshot(), len(published)
        with commit(), pytest.raises(error) as info:
            yield info
        assert type(info.value) is error
        assert snapshot() == before
        assert published[seen:] == []

    return expect


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    """A user with an active membership of the community (role, trust level, any other field)."""

    def make(role: str = Role.MEMBER, **fields: Any) -> User:
        user: User = make_member(role, **fields).user
        return user

    return make


@pytest.fixture
def author(person):
    return person(Role.MEMBER, trust_level=1)


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


@pytest.fixture
def boss(person):
    """A community manager."""
    return person(Role.MANAGER)


@pytest.fixture
def thread(author, space, commit) -> Thread:
    with commit():
        return start_thread(author, space)


@pytest.fixture
def post(thread, person, commit) -> Post:
    """A reply by another member, in the thread."""
    with commit():
        return reply_to(thread, person(Role.MEMBER, trust_level=1), "I descale it every month with citric acid.")
