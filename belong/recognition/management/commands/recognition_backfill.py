"""`belong recognition_backfill [--community SLUG]`: replay existing history into points, badges, anniversaries and trust."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from belong.communities.models import Community
from belong.recognition.backfill import backfill_community


class Command(BaseCommand):
    help = (
        "Replay each community's existing threads, replies, reactions, accepted answers, ideas, votes and shipped "
        "ideas into the points ledger (dated when they happened), then give the badges due, celebrate anniversaries "
        "and recompute trust levels. Safe to run again: it adds nothing twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--community", metavar="SLUG", help="only this community")

    def handle(self, *args: Any, **options: Any) -> None:
        communities = Community.objects.order_by("pk")
        if options["community"]:
            communities = communities.filter(slug=options["community"])
            if not communities.exists():
                raise CommandError(f"No community with the address {options['community']!r}.")
        for community in communities:
            summary = backfill_community(community)
            self.stdout.write(f"{community.slug}: {summary}")
        self.stdout.write(self.style.SUCCESS("Backfill done."))
