"""Domain events: small frozen records published after the transaction commits.

An app announces a change with `on_commit_publish(SomethingHappened(...))`; another app reacts
by decorating a function with `@subscribe(SomethingHappened)` in its `subscribers.py`, which its
AppConfig.ready() imports. A subscriber that needs time enqueues a task. A failing subscriber is
logged and never breaks the request or the other subscribers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event; subclasses carry ids, never model instances."""

    community_id: int | None = None
    actor_id: int | None = None


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]
_subscribers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register the decorated function to run for every published `event_type` (or subclass)."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        if handler not in _subscribers[event_type]:
            _subscribers[event_type].append(handler)
        return handler

    return register


def unsubscribe(event_type: type[Event], handler: Handler) -> None:
    if handler in _subscribers[event_type]:
        _subscribers[event_type].remove(handler)


def publish(event: Event) -> None:
    """Call every subscriber of the event's type and of its base types, now."""
    for event_type in type(event).__mro__:
        for handler in list(_subscribers.get(event_type, [])):
            try:
                handler(event)
            except Exception:
                logger.exception("Subscriber %r failed on %r", handler, event)


def on_commit_publish(event: Event) -> None:
    """Publish the event once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: publish(event))
