from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from belong.core import health

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _ready_task(*, enqueued_ago: timedelta, run_after=None, backend="default", status="READY"):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="belong.core.tests.tasks_for_tests.nothing",
        backend_name=backend,
        run_after=run_after or get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


@pytest.mark.django_db
def test_healthz_answers_ok_without_session_or_sign_in(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": True, "backend": body["tasks"]["backend"], "latency_ms": body["tasks"]["latency_ms"]}
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_counts_ready_tasks_of_the_database_backend(client, settings):
    settings.TASKS = DATABASE_TASKS
    _ready_task(enqueued_ago=timedelta(minutes=5))
    _ready_task(enqueued_ago=timedelta(hours=3), run_after=timezone.now() - timedelta(seconds=90))
    _ready_task(enqueued_ago=timedelta(hours=2), run_after=timezone.now() + timedelta(hours=1))  # not due yet
    _ready_task(enqueued_ago=timedelta(days=1), status="SUCCESSFUL")  # done
    _ready_task(enqueued_ago=timedelta(days=1), backend="other")  # another backend's

    response = client.get("/healthz")

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["backend"] == "django_tasks_db.backend.DatabaseBackend"
    assert tasks["ready"] == 2
    assert 295 <= tasks["oldest_ready_age_seconds"] <= 330


@pytest.mark.django_db
def test_healthz_reports_an_empty_database_queue(client, settings):
    settings.TASKS = DATABASE_TASKS
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["ok"] is True
    assert tasks["ready"] == 0
    assert tasks["oldest_ready_age_seconds"] is None


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_database_fails(client, monkeypatch):
    class BrokenConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("could not connect to server: secret-host:5432")

    monkeypatch.setattr("belong.core.health.connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert "secret-host" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_task_queue_cannot_be_read(client, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS

    def unreachable(alias):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(health, "_database_queue", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_task_backend_does_not_load(client, settings):
    settings.TASKS = {"default": {"BACKEND": "belong.no_such_module.Backend"}}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["tasks"]["ok"] is False


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
