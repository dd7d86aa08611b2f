from django.contrib import admin

from belong.communities.models import Community, Invitation, Membership, Space


class SpaceInline(admin.TabularInline[Space, Community]):
    model = Space
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin[Community]):
    list_display = ("name", "slug", "join_policy", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SpaceInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "community", "role", "state", "trust_level", "joined_at", "invited_by")
    list_filter = ("role", "state", "community")
    search_fields = ("user__handle", "user__email")
    list_select_related = ("user", "community", "invited_by")
    raw_id_fields = ("user", "invited_by", "invitation")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("community", "inviter", "email", "role", "uses", "max_uses", "expires_at", "revoked_at")
    list_filter = ("community",)
    readonly_fields = ("token",)
