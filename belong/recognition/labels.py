"""Labels beside authors' names on posts: their rank, and an expert's areas."""

from __future__ import annotations
