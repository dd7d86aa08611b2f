"""Start-up checks: a missing or corrupt model file is one clear error, not a failure per post.

`manage.py check`, `migrate`, `runserver` and `belong serve` run Django's system checks; the
worker and `belong insights` commands call `engine.check()` before their first post.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register("insights")
def models_load(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "BELONG_INSIGHTS_ENABLED", True):
        return []
    from belong.insights.engine import embeddings, sentiment

    errors: list[checks.CheckMessage] = []
    try:
        sentiment.load_head()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="insights.E001"))
    try:
        embeddings.backend()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), hint="See docs/insights.md, “Models”.", id="insights.E002"))
    return errors
