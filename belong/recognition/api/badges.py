"""API endpoints of recognition: badges."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from ninja import Router

router = Router(tags=["recognition"])
