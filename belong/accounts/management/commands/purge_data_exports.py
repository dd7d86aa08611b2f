"""`belong purge_data_exports`: drop the content of data exports past their expiry (cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from belong.accounts.actions import purge_expired_exports


class Command(BaseCommand):
    help = "Drop the ZIP of every data export past its expiry; the rows stay as a record."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_expired_exports()
        self.stdout.write(f"{purged} expired export(s) purged.")
