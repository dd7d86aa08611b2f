from django.urls import URLPattern

from belong.recognition.views import badges, celebrations, perks, points, profile, programme, trust

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    *points.urlpatterns,
    *badges.urlpatterns,
    *trust.urlpatterns,
    *perks.urlpatterns,
    *celebrations.urlpatterns,
    *programme.urlpatterns,
    *profile.urlpatterns,
]
