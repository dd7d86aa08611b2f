"""Domain events: who receives them, and that they only leave once the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from belong.core import events
from belong.core.events import Event, on_commit_publish, publish


@dataclass(frozen=True, kw_only=True)
class ThingHappened(Event):
    thing_id: int


@dataclass(frozen=True, kw_only=True)
class SpecialThingHappened(ThingHappened):
    special: bool = True


@dataclass(frozen=True, kw_only=True)
class UnrelatedHappened(Event):
    pass


class Abort(Exception):
    pass


@pytest.fixture
def listen() -> Iterator[Callable[..., list[Event]]]:
    """Subscribe a recording handler (or a given one) for the test only."""
    registered: list[tuple[type[Event], Any]] = []

    def listen(event_type: type[Event], handler: Any = None) -> list[Event]:
        seen: list[Event] = []
        handler = handler or seen.append
        events.subscribe(event_type)(handler)
        registered.append((event_type, handler))
        return seen

    yield listen
    for event_type, handler in registered:
        events.unsubscribe(event_type, handler)


def test_subscribers_of_a_base_class_receive_subclass_events(listen):
    all_events = listen(Event)
    things = listen(ThingHappened)
    special = listen(SpecialThingHappened)
    unrelated = listen(UnrelatedHappened)
    event = SpecialThingHappened(thing_id=1, community_id=2, actor_id=3)
    publish(event)
    assert all_events == things == special == [event]
    assert unrelated == []


def test_subscribers_of_a_subclass_do_not_receive_base_events(listen):
    special = listen(SpecialThingHappened)
    publish(ThingHappened(thing_id=1))
    assert special == []


def test_a_failing_subscriber_is_logged_and_does_not_stop_the_others(listen, caplog):
    def broken(event: Event) -> None:
        raise RuntimeError("subscriber bug")

    before = listen(ThingHappened)
    listen(ThingHappened, broken)
    after = listen(ThingHappened)
    base = listen(Event)
    event = ThingHappened(thing_id=1)
    with caplog.at_level(logging.ERROR, logger="belong.core.events"):
        publish(event)  # does not raise
    assert before == after == base == [event]
    [record] = caplog.records
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)


def test_subscribing_twice_registers_once(listen):
    seen: list[Event] = []
    listen(ThingHappened, seen.append)
    listen(ThingHappened, seen.append)
    publish(ThingHappened(thing_id=1))
    assert len(seen) == 1


def test_an_unsubscribed_handler_hears_nothing(listen):
    seen = listen(ThingHappened)
    events.unsubscribe(ThingHappened, seen.append)
    events.unsubscribe(ThingHappened, seen.append)  # a second time is harmless
    publish(ThingHappened(thing_id=1))
    assert seen == []


def test_events_are_frozen():
    event = ThingHappened(thing_id=1)
    with pytest.raises(AttributeError):
        event.thing_id = 2  # type: ignore[misc]


@pytest.mark.django_db
def test_an_event_is_published_only_after_commit(listen, django_capture_on_commit_callbacks):
    seen = listen(ThingHappened)
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_publish(ThingHappened(thing_id=1))
        assert seen == []
    assert seen == [ThingHappened(thing_id=1)]


@pytest.mark.django_db
def test_nothing_is_published_when_the_transaction_rolls_back(listen, django_capture_on_commit_callbacks):
    seen = listen(Event)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort), transaction.atomic():
        on_commit_publish(ThingHappened(thing_id=1))
        raise Abort
    assert seen == []


@pytest.mark.django_db(transaction=True)
def test_real_commits_and_rollbacks(listen):
    seen = listen(Event)
    with transaction.atomic():
        on_commit_publish(ThingHappened(thing_id=1))
        assert seen == []
    assert seen == [ThingHappened(thing_id=1)]
    with pytest.raises(Abort), transaction.atomic():
        on_commit_publish(ThingHappened(thing_id=2))
        raise Abort
    assert seen == [ThingHappened(thing_id=1)]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_event_is_published_at_once(listen):
    seen = listen(Event)
    on_commit_publish(UnrelatedHappened())
    assert seen == [UnrelatedHappened()]
