"""Settings for production: a SECRET_KEY is required and cookies are HTTPS-only.

The browser protections (HttpOnly and SameSite cookies, nosniff, referrer and opener policies,
no framing) come from base. HTTPS redirect and HSTS are the operator's choice: behind a proxy
that redirects and sends HSTS itself they stay off here (docs/security.md).
"""

from belong.settings import env
from belong.settings.base import *  # noqa: F403

SECRET_KEY = env.secret_key(required=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(env.env_str("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", False)
