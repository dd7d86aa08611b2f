"""Settings for production: a SECRET_KEY is required and cookies are HTTPS-only."""

from belong.settings import env
from belong.settings.base import *  # noqa: F403

SECRET_KEY = env.secret_key(required=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(env.env_str("SECURE_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", False)
