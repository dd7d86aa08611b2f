from django.urls import path

from belong.moderation import views

app_name = "moderation"

c = "c/<slug:slug>/"

urlpatterns = [
    path(f"{c}my-record/", views.record, name="record"),
]
