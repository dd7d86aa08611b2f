from django.urls import URLPattern

from belong.insights.views import alerts, overview, posts, themes

app_name = "insights"

urlpatterns: list[URLPattern] = [
    *overview.urlpatterns,
    *alerts.urlpatterns,
    *themes.urlpatterns,
    *posts.urlpatterns,
]
