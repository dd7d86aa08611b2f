"""Labels beside a person's name on posts (rank, trust, expert areas), from apps the pages never import.

An app registers a provider with `@label_provider`; a page that lists posts asks `labels_for`
once for all the authors it shows. Providers answer for many people at once, so a page with
fifty posts costs each provider one query, not fifty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Label:
    """A short text shown beside a name; `kind` becomes a CSS class, `title` a tooltip."""

    text: str | Promise
    kind: str
    title: str | Promise = ""


Provider = Callable[[int, frozenset[int]], dict[int, list[Label]]]
_providers: list[Provider] = []


def label_provider(func: Provider) -> Provider:
    """Register `func(community_id, user_ids) -> {user_id: [Label, ...]}`."""
    if func not in _providers:
        _providers.append(func)
    return func


def labels_for(community_id: int, user_ids: Iterable[int | None]) -> dict[int, list[Label]]:
    """Every provider's labels for these people, in registration order."""
    ids = frozenset(pk for pk in user_ids if pk is not None)
    found: dict[int, list[Label]] = {}
    if not ids:
        return found
    for provider in _providers:
        for user_id, labels in provider(community_id, ids).items():
            found.setdefault(user_id, []).extend(labels)
    return found
