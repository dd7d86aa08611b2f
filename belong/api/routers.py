"""Every app's router and where it is mounted under /api/v1/."""

from __future__ import annotations

from ninja import Router

from belong.accounts.api import router as accounts_router
from belong.communities.api import router as communities_router
from belong.conversations.api import router as conversations_router
from belong.ideas.api import router as ideas_router
from belong.insights.api import router as insights_router
from belong.moderation.api import router as moderation_router
from belong.recognition.api import router as recognition_router

ROUTERS: list[tuple[str, Router]] = [
    ("/me", accounts_router),
    ("", communities_router),
    ("", conversations_router),
    ("", ideas_router),
    ("", recognition_router),
    ("", insights_router),
    ("", moderation_router),
]
