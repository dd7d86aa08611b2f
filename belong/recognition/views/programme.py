"""HTML pages of recognition: programme."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
