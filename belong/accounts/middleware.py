"""Use the signed-in member's time zone and language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class MemberPreferencesMiddleware:
    """Activate the member's time zone, and their locale unless the language switcher chose one.

    Runs after Django's LocaleMiddleware and AuthenticationMiddleware: the switcher's cookie is an
    explicit choice and wins; otherwise the profile's locale beats the browser's Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and user.locale:
                translation.activate(user.locale)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        return self.get_response(request)
