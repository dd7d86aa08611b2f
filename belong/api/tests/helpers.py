"""Helpers shared by the API tests of every app."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from belong.accounts import actions as account_actions
from belong.accounts.models import User

API = "/api/v1"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert body["type"].startswith("urn:belong:problem:")
    assert body["title"] and body["detail"]
    return body


def session_client(user: User, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def token_for(user: User, *, scopes: tuple[str, ...] = ("read", "write"), expires_at: datetime | None = None) -> str:
    _token, raw = account_actions.create_api_token(user=user, name="tests", scopes=list(scopes), expires_at=expires_at)
    return raw


def token_client(user: User, **kwargs: Any) -> Client:
    """A client that authenticates with a fresh personal token (no session, no CSRF)."""
    return Client(headers={"Authorization": f"Bearer {token_for(user, **kwargs)}"})


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries one GET of `url` costs (the response must succeed)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def send(client: Client, method: str, address: str, payload: Any = None) -> Any:
    """A JSON request with any method."""
    data = json.dumps(payload) if payload is not None else None
    return getattr(client, method)(address, data=data, content_type="application/json")
