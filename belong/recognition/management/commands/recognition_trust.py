"""`belong recognition_trust [--community SLUG] [--days N]`: recompute trust levels from the activity log."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from belong.communities.models import Community
from belong.recognition.trust import recompute_community


class Command(BaseCommand):
    help = (
        "Recompute the trust levels of members active in the last N days, and of every member at "
        "level 3 or 4 (whose level lapses when the last 100 days no longer earn it). Pinned levels stay."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--community", metavar="SLUG", help="only this community")
        parser.add_argument("--days", type=int, default=1, help="members active in the last N days (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        communities = Community.objects.order_by("pk")
        if options["community"]:
            communities = communities.filter(slug=options["community"])
            if not communities.exists():
                raise CommandError(f"No community with the address {options['community']!r}.")
        changed = 0
        for community_id in communities.values_list("pk", flat=True):
            changed += recompute_community(community_id, days)
        self.stdout.write(self.style.SUCCESS(f"Trust levels changed: {changed}."))
