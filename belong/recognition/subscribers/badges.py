"""How recognition reacts to other apps' events: badges."""

from __future__ import annotations
