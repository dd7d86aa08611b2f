from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from belong.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # stubs expect AbstractUser
    ordering = ("handle",)
    list_display = ("handle", "email", "display_name", "locale", "is_staff", "is_active", "date_joined")
    search_fields = ("handle", "email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "handle", "password")}),
        ("Profile", {"fields": ("display_name", "avatar", "bio", "locale", "time_zone")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "handle", "password1", "password2")}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "hint", "scopes", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("token_hash", "hint", "last_used_at")
    search_fields = ("name", "user__handle")
