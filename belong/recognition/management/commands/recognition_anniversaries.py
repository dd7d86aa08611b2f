"""`belong recognition_anniversaries [--date YYYY-MM-DD]`: celebrate the anniversaries due, once a day."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from belong.recognition.celebrations import celebrate_anniversaries


class Command(BaseCommand):
    help = (
        "Celebrate every member's completed years of membership not celebrated yet, in every community, "
        "with the 1-, 2- and 5-year badges (safe to run again; catches up missed days)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day to count up to (today by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"Not a date: {options['date']!r} (use YYYY-MM-DD).") from error
        celebrated = celebrate_anniversaries(today)
        self.stdout.write(self.style.SUCCESS(f"Celebrated {celebrated} anniversaries up to {today.isoformat()}."))
