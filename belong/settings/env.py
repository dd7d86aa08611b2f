"""Read settings from the environment, with defaults for the embedded set-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("BELONG_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config() -> dict[str, Any]:
    """Return the default database: DATABASE_URL, or a SQLite file under ./var/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "belong.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A web server and a worker write at once: WAL lets readers go on while one writes,
        # IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks), the timeout waits for it.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    return config


def uses_embedded_database() -> bool:
    return not os.environ.get("DATABASE_URL")


def secret_key(*, required: bool) -> str:
    """Return SECRET_KEY, generating one into ./var/ for the embedded default."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if required:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def email_config() -> dict[str, Any]:
    """Return Django's e-mail settings from EMAIL_URL (console by default)."""
    url = os.environ.get("EMAIL_URL", "console://")
    if url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parsed = dj_email_url.parse(url)
    return {
        "EMAIL_BACKEND": parsed.get("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed["EMAIL_HOST"],
        "EMAIL_PORT": parsed["EMAIL_PORT"],
        "EMAIL_HOST_USER": parsed["EMAIL_HOST_USER"],
        "EMAIL_HOST_PASSWORD": parsed["EMAIL_HOST_PASSWORD"],
        "EMAIL_USE_TLS": parsed["EMAIL_USE_TLS"],
        "EMAIL_USE_SSL": parsed["EMAIL_USE_SSL"],
    }


def cache_config() -> dict[str, Any]:
    """Return the default cache: Redis when REDIS_URL is set, local memory otherwise."""
    url = os.environ.get("REDIS_URL")
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "belong"}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "belong"}


TASK_BACKENDS = ("database", "rq")
# The queues the app's tasks name (belong.core.tasks): RQ gets each under the deployment's prefix.
TASK_QUEUES = ["default"]


def tasks_backend() -> str:
    """Return BELONG_TASKS_BACKEND: "database" (the embedded default) or "rq" (Redis)."""
    name = os.environ.get("BELONG_TASKS_BACKEND", "").strip().lower() or "database"
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"BELONG_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {name!r}.")
    return name


def tasks_redis_url() -> str:
    """Return the Redis of the task queue: TASKS_REDIS_URL, or REDIS_URL (shared with the cache)."""
    url = os.environ.get("TASKS_REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        raise ImproperlyConfigured("BELONG_TASKS_BACKEND=rq needs a Redis: set TASKS_REDIS_URL or REDIS_URL.")
    return url


def rq_queue_prefix() -> str:
    """Return BELONG_RQ_QUEUE_PREFIX: deployments (and test runs) sharing a Redis each need their own."""
    return os.environ.get("BELONG_RQ_QUEUE_PREFIX", "belong-").strip()


def tasks_config() -> dict[str, Any]:
    """Return TASKS: the database queue, or RQ with the app's queues under the deployment's prefix."""
    if tasks_backend() == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
    tasks_redis_url()  # fail here, with the variable to set, rather than at the first enqueue
    return {
        "default": {
            "BACKEND": "belong.core.rq.RQBackend",
            "QUEUES": TASK_QUEUES,
            "OPTIONS": {"QUEUE_PREFIX": rq_queue_prefix()},
        }
    }


def rq_queues_config() -> dict[str, Any]:
    """Return django-rq's RQ_QUEUES: the deployment's queues in Redis (none without RQ)."""
    if tasks_backend() != "rq":
        return {}
    # RQ stops a job after this many seconds (its own default, 180, is short for a big data export).
    queue = {"URL": tasks_redis_url(), "DEFAULT_TIMEOUT": int(env_str("BELONG_RQ_JOB_TIMEOUT", "600"))}
    return {rq_queue_prefix() + name: queue for name in TASK_QUEUES}
