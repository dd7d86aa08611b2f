from django.urls import path

from belong.accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:handle>/", views.profile, name="profile"),
    path("settings/profile/", views.edit_profile, name="edit_profile"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("settings/data/", views.data, name="data"),
    path("settings/data/<int:export_id>/download/", views.download_export, name="download_export"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
