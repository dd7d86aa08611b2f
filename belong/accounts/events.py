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
