"""HTML pages of recognition: a member's recognition profile."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
