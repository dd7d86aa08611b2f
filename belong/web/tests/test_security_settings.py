"""Production security settings: Django's deployment checks pass but for the operator's own choices."""

from __future__ import annotations

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(django_settings.BASE_DIR)
CHECK_ID = re.compile(r"\(([a-z_]+\.[A-Z]\d{3})\)")
# Behind a reverse proxy that redirects to HTTPS and sends HSTS itself, Django doing it again is
# optional; docs/security.md tells operators when to turn these on.
OPERATOR_CHOICES = {"security.W004", "security.W008"}
PASSWORD = "correct horse battery"


def deploy_check(tmp_path: Path, **extra: str) -> set[str]:
    """Run `manage.py check --deploy` with the production settings; return the ids of what it reports."""
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("SECURE_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "belong.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite3",
        "BELONG_VAR_DIR": str(tmp_path / "var"),
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(CHECK_ID.findall(result.stderr + result.stdout))


def test_the_deployment_check_warns_only_about_the_operators_own_choices(tmp_path):
    assert deploy_check(tmp_path) == OPERATOR_CHOICES


def test_with_https_redirect_and_hsts_turned_on_the_deployment_check_is_clean(tmp_path):
    found = deploy_check(
        tmp_path,
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    assert found == set()


def test_turning_secure_cookies_off_is_reported(tmp_path):
    found = deploy_check(tmp_path, SECURE_COOKIES="false")
    assert {"security.W012", "security.W016"} <= found


@pytest.fixture
def prod(monkeypatch):
    """The production settings module, imported afresh with a secret key in the environment."""
    for name in ("SECURE_COOKIES", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(64))
    monkeypatch.delitem(sys.modules, "belong.settings.prod", raising=False)
    return importlib.import_module("belong.settings.prod")


def test_production_cookies_are_https_only_hidden_from_scripts_and_same_site(prod):
    assert prod.SESSION_COOKIE_SECURE is True
    assert prod.CSRF_COOKIE_SECURE is True
    assert prod.SESSION_COOKIE_HTTPONLY is True
    assert prod.SESSION_COOKIE_SAMESITE == "Lax"
    assert prod.CSRF_COOKIE_SAMESITE == "Lax"


def test_production_sends_the_protective_headers(prod):
    assert prod.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert prod.SECURE_REFERRER_POLICY == "same-origin"
    assert prod.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"
    assert prod.X_FRAME_OPTIONS == "DENY"
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod.DEBUG is False


def test_hsts_and_the_https_redirect_are_off_until_the_operator_turns_them_on(prod):
    assert prod.SECURE_HSTS_SECONDS == 0
    assert prod.SECURE_SSL_REDIRECT is False


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delitem(sys.modules, "belong.settings.prod", raising=False)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("belong.settings.prod")


@pytest.mark.django_db
def test_every_page_carries_the_protective_headers(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_signing_in_sets_a_session_cookie_that_is_http_only_and_same_site_lax(member):
    client = Client()
    page = client.get(reverse("account_login"))
    assert page.cookies[django_settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"
    response = client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
