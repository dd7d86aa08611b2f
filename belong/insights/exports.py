"""What a data export holds from insights: the sentiment corrections the person made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import exporter, rows
from belong.accounts.models import User
from belong.insights.models import SentimentCorrection


@exporter("sentiment_corrections", description=_("Sentiment labels you corrected on posts."))
def sentiment_corrections(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "post_id", "label", "model_label", "created_at")
    values = SentimentCorrection.objects.filter(corrected_by=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community", post_id="post")
