"""Once a day (cron or a systemd timer): anniversaries, and trust levels of members active lately."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from belong.communities.models import Community
from belong.recognition import celebrations, trust


class Command(BaseCommand):
    help = "Celebrate anniversaries and recompute trust levels (run once a day)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=1, help="recompute members active in the last N days")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        today = timezone.localdate()
        celebrated = celebrations.celebrate_anniversaries(today)
        changed = sum(
            trust.recompute_community(community_id, days)
            for community_id in Community.objects.values_list("pk", flat=True)
        )
        self.stdout.write(f"anniversaries celebrated: {celebrated}; trust levels changed: {changed}")
