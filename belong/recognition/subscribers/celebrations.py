"""How recognition reacts to other apps' events: celebrations."""

from __future__ import annotations
