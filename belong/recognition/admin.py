"""Operators read the ledger and awards in the admin; the product's pages and API change them, through actions."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from belong.recognition.models import BadgeAward, Celebration, Nomination, PointsBalance, PointsEntry


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    """The ledger is append-only: a wrong entry is cancelled by a reversal from the member's points page."""

    list_display = ("created_at", "community", "user", "delta", "kind", "rule", "source")
    list_filter = ("kind", "rule", "community")
    search_fields = ("user__handle", "source")
    list_select_related = ("community", "user")


@admin.register(PointsBalance)
class PointsBalanceAdmin(ReadOnlyAdmin):
    list_display = ("community", "user", "total", "rank", "updated_at")
    list_filter = ("community",)
    search_fields = ("user__handle",)
    list_select_related = ("community", "user", "rank")


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "community", "badge", "user", "source", "awarded_by")
    list_filter = ("community",)
    search_fields = ("user__handle", "badge__key")
    list_select_related = ("community", "badge", "user", "awarded_by")


@admin.register(Celebration)
class CelebrationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "community", "user", "kind", "key")
    list_filter = ("kind", "community")
    list_select_related = ("community", "user")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "community", "user", "programme", "state", "nominated_by")
    list_filter = ("programme", "state", "community")
    list_select_related = ("community", "user", "nominated_by")
