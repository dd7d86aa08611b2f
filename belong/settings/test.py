"""Settings for the test suite: fast hashing, in-memory mail, tasks run inline."""

from belong.settings.base import *  # noqa: F403
from belong.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
ACCOUNT_RATE_LIMITS = {}  # allauth: no login or sign-up limits inside tests
BELONG_WRITE_RATE = "1000/m"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Threads of the live server (browser tests) must not keep connections open past their request,
# or PostgreSQL refuses to drop the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# The rest of the suite does not load the models; belong/insights/tests turn analysis on.
BELONG_INSIGHTS_ENABLED = False
# Tests see every change at once; belong/web/tests/test_visitor_cache.py turns the visitor cache on.
BELONG_VISITOR_CACHE_SECONDS = 0
