from django.urls import URLPattern

from belong.recognition.views import badges, celebrations, home, perks, points, profile, programme, trust

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    *home.urlpatterns,
    *points.urlpatterns,
    *badges.urlpatterns,
    *trust.urlpatterns,
    *perks.urlpatterns,
    *celebrations.urlpatterns,
    *programme.urlpatterns,
    *profile.urlpatterns,
]
