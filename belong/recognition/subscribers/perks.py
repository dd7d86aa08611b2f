"""How recognition reacts to other apps' events: perks."""

from __future__ import annotations
