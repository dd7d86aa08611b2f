"""Settings for development and the demo: DEBUG on, everything else as in base."""

from belong.settings.base import *  # noqa: F403
from belong.settings.base import STORAGES

DEBUG = True
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
