"""Settings read from the environment: the embedded defaults and the production URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from belong.settings import env

VARIABLES = ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SOME_FLAG"]


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
