"""Events the accounts app publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class ProfileUpdated(Event):
    user_id: int
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ApiTokenCreated(Event):
    token_id: int


@dataclass(frozen=True, kw_only=True)
class ApiTokenRevoked(Event):
    token_id: int


@dataclass(frozen=True, kw_only=True)
class DataExportRequested(Event):
    export_id: int


@dataclass(frozen=True, kw_only=True)
class AccountDeleted(Event):
    """A person deleted their account; `user_id` no longer exists. `removed_content`: they asked to erase their posts."""

    user_id: int
    community_ids: tuple[int, ...] = ()
    removed_content: bool = False
