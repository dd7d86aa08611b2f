"""How recognition reacts to other apps' events: programme."""

from __future__ import annotations
