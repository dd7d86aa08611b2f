"""Every app's router and where it is mounted under /api/v1/."""

from __future__ import annotations

from ninja import Router

ROUTERS: list[tuple[str, Router]] = []
