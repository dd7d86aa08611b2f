"""How recognition reacts to other apps' events: points."""

from __future__ import annotations
