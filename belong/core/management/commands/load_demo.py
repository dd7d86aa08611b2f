"""`belong load_demo`: fill the database with the demo community; running it again adds nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from belong.core.errors import BelongError
from belong.demo.loader import load_demo, sign_in_lines, summary_line


class Command(BaseCommand):
    help = "Load the demo community (Ponte Coffee Roasters) and print how to sign in; idempotent."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo even though the database already holds other accounts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ctx = load_demo(write=self.stdout.write, force=options["force"])
        except BelongError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(self.style.SUCCESS(summary_line(ctx)))
        for line in sign_in_lines(ctx, base_url=settings.BELONG_BASE_URL):
            self.stdout.write(line)
