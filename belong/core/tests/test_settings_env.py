"""Settings read from the environment: the embedded defaults and the production URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from belong.settings import env

VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SOME_FLAG",
    "BELONG_TASKS_BACKEND",
    "TASKS_REDIS_URL",
    "BELONG_RQ_QUEUE_PREFIX",
    "BELONG_RQ_JOB_TIMEOUT",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path) -> Path:
    """Start each test from an empty environment and its own var/ directory."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    var_dir: Path = tmp_path / "var"
    monkeypatch.setattr(env, "VAR_DIR", var_dir)
    return var_dir


def test_the_embedded_database_is_a_sqlite_file_tuned_for_a_web_server_and_a_worker(clean_environment):
    config = env.database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(clean_environment / "belong.sqlite3")
    assert clean_environment.is_dir()
    assert config["CONN_MAX_AGE"] == 0
    options = config["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=" in options["init_command"]
    assert "foreign_keys=ON" in options["init_command"]
    assert env.uses_embedded_database()


def test_a_sqlite_url_gets_the_same_tuning(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    config = env.database_config()
    assert config["NAME"] == f"{tmp_path}/other.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["CONN_MAX_AGE"] == 0
    assert not env.uses_embedded_database()


def test_a_postgres_url_keeps_connections_and_checks_them(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://belong:s3cret@db.example.com:5433/belong")
    config = env.database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "belong",
        "belong",
        "s3cret",
        "db.example.com",
        5433,
    )
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in config.get("OPTIONS", {})


def test_without_redis_the_cache_is_local_memory():
    assert env.cache_config()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_the_redis_cache(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.example.com:6379/2")
    assert env.cache_config() == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example.com:6379/2",
        "KEY_PREFIX": "belong",
    }


def test_tasks_go_to_the_database_by_default():
    assert env.tasks_backend() == "database"
    assert env.tasks_config() == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert env.rq_queues_config() == {}


def test_rq_takes_the_redis_url_and_names_its_queue_under_a_prefix(monkeypatch):
    monkeypatch.setenv("BELONG_TASKS_BACKEND", "RQ")
    monkeypatch.setenv("REDIS_URL", "redis://redis.example.com:6379/0")
    assert env.tasks_config() == {
        "default": {
            "BACKEND": "belong.core.rq.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"QUEUE_PREFIX": "belong-"},
        }
    }
    assert env.rq_queues_config() == {
        "belong-default": {"URL": "redis://redis.example.com:6379/0", "DEFAULT_TIMEOUT": 600}
    }


def test_rq_can_have_its_own_redis_prefix_and_timeout(monkeypatch):
    monkeypatch.setenv("BELONG_TASKS_BACKEND", "rq")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example.com:6379/0")
    monkeypatch.setenv("TASKS_REDIS_URL", "redis://queue.example.com:6379/1")
    monkeypatch.setenv("BELONG_RQ_QUEUE_PREFIX", "shop-a:")
    monkeypatch.setenv("BELONG_RQ_JOB_TIMEOUT", "1800")
    assert env.tasks_config()["default"]["OPTIONS"] == {"QUEUE_PREFIX": "shop-a:"}
    assert env.rq_queues_config() == {
        "shop-a:default": {"URL": "redis://queue.example.com:6379/1", "DEFAULT_TIMEOUT": 1800}
    }


def test_rq_without_a_redis_url_is_refused_with_what_to_set(monkeypatch):
    monkeypatch.setenv("BELONG_TASKS_BACKEND", "rq")
    with pytest.raises(ImproperlyConfigured, match="TASKS_REDIS_URL or REDIS_URL"):
        env.tasks_config()
    with pytest.raises(ImproperlyConfigured, match="TASKS_REDIS_URL or REDIS_URL"):
        env.rq_queues_config()


def test_an_unknown_task_backend_is_refused(monkeypatch):
    monkeypatch.setenv("BELONG_TASKS_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match="database, rq"):
        env.tasks_backend()


def settings_of(environment: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Load belong.settings.base in a fresh interpreter with these variables and run `code` there."""
    clean = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-c", f"from belong.settings import base; {code}"],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_rq_backend_installs_django_rq_and_a_missing_redis_stops_the_settings(tmp_path):
    var = {"BELONG_VAR_DIR": str(tmp_path)}
    code = "print(base.BELONG_TASKS_BACKEND, 'django_rq' in base.INSTALLED_APPS, list(base.RQ_QUEUES))"
    assert settings_of(var, code).stdout.split() == ["database", "False", "[]"]
    on_rq = {**var, "BELONG_TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/9"}
    assert settings_of(on_rq, code).stdout.split() == ["rq", "True", "['belong-default']"]
    refused = settings_of({**var, "BELONG_TASKS_BACKEND": "rq"}, code)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: BELONG_TASKS_BACKEND=rq needs a Redis" in refused.stderr


def test_mail_goes_to_the_console_by_default():
    assert env.email_config() == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_email_url_console_and_locmem(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "console://")
    assert env.email_config()["EMAIL_BACKEND"].endswith("console.EmailBackend")
    monkeypatch.setenv("EMAIL_URL", "locmem://")
    assert env.email_config()["EMAIL_BACKEND"].endswith("locmem.EmailBackend")


def test_email_url_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mailer:p%40ss@mail.example.com:587/?tls=True")
    assert env.email_config() == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_a_secret_key_is_generated_once_and_kept(clean_environment):
    first = env.secret_key(required=False)
    key_file = clean_environment / "secret_key"
    assert key_file.read_text() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert env.secret_key(required=False) == first


def test_the_environment_secret_key_wins(monkeypatch, clean_environment):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert env.secret_key(required=True) == "from-the-environment"
    assert not (clean_environment / "secret_key").exists()


def test_production_requires_a_secret_key(clean_environment):
    with pytest.raises(ImproperlyConfigured):
        env.secret_key(required=True)
    assert not (clean_environment / "secret_key").exists()


def test_belong_var_dir_chooses_where_files_go(tmp_path):
    code = "from belong.settings import env; print(env.VAR_DIR)"
    environment = {**os.environ, "BELONG_VAR_DIR": str(tmp_path / "elsewhere")}
    output = subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == str(tmp_path / "elsewhere")


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), (" Yes ", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env.env_bool("SOME_FLAG") is expected


@pytest.mark.parametrize("value", [None, ""])
def test_env_bool_default(monkeypatch, value):
    if value is not None:
        monkeypatch.setenv("SOME_FLAG", value)
    assert env.env_bool("SOME_FLAG", default=True) is True


def test_env_list(monkeypatch):
    assert env.env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.com, ,b.example.com ")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example.com", "b.example.com"]
