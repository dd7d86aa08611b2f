"""How recognition reacts to other apps' events: trust."""

from __future__ import annotations
