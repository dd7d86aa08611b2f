from django.urls import path

from belong.communities import views

app_name = "communities"

member = "c/<slug:slug>/members/<int:membership_id>/"

urlpatterns = [
    path("c/new/", views.new_community, name="new"),
    path("c/<slug:slug>/", views.community_detail, name="detail"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/settings/", views.community_settings, name="settings"),
    path("c/<slug:slug>/spaces/new/", views.new_space, name="new_space"),
    path("c/<slug:slug>/s/<slug:space_slug>/", views.space_detail, name="space"),
    path("c/<slug:slug>/s/<slug:space_slug>/edit/", views.edit_space, name="edit_space"),
    path("c/<slug:slug>/members/", views.members, name="members"),
    *[
        path(f"{member}{verb}/", views.member_action, {"verb": verb}, name=f"member_{verb}")
        for verb in views.MEMBER_VERBS
    ],
    path("c/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("c/<slug:slug>/invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
