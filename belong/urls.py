from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from belong.api.api import api, unknown_api_path
from belong.core.health import healthz

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_api_path),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("", include("belong.accounts.urls")),
    path("", include("belong.communities.urls")),
    path("", include("belong.conversations.urls")),
    path("", include("belong.ideas.urls")),
    path("", include("belong.recognition.urls")),
    path("", include("belong.insights.urls")),
    path("", include("belong.moderation.urls")),
    path("", include("belong.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
