from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from belong.core.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    """The activity log is append-only: operators can read and filter it, never change it."""

    list_display = ("created_at", "actor", "verb", "community", "target_type", "target_id")
    list_filter = ("verb", "community")
    search_fields = ("verb", "actor__handle", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "community", "target_type")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
