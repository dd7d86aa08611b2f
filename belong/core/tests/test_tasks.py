"""Tasks that retry, run by django-tasks' backends and by the real database worker."""

from __future__ import annotations

import uuid
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from belong.cli import worker
from belong.core.tasks import enqueue_on_commit
from belong.core.tests.tasks_for_tests import CALLS, Boom, flaky, slow_to_retry

DATABASE_BACKEND = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}


@pytest.fixture
def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def database_tasks(settings):
    """Run tasks on the database backend, as the embedded default and production do."""
    settings.TASKS = {"default": DATABASE_BACKEND, "database": DATABASE_BACKEND}


def run_worker(backend: str = "default") -> None:
    """Run the real worker until no task is ready, as `belong worker` would (in batch mode)."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        "--backend",
        backend,
        "--no-reload",
        verbosity=0,
    )


def results() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at", "id"))


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_once_is_enqueued_again_and_succeeds_on_the_worker(database_tasks, key):
    flaky.enqueue(key, 1)
    run_worker()
    first, retry = results()
    assert first.status == TaskResultStatus.FAILED
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.args_kwargs == {"args": [key, 1], "kwargs": {"_attempt": 2}}
    assert retry.task_result.return_value == "done after 2"
    assert CALLS[key] == 2


@pytest.mark.django_db(transaction=True)
def test_a_task_gives_up_after_max_attempts(database_tasks, key):
    flaky.enqueue(key, 99)
    run_worker()
    assert [result.status for result in results()] == [TaskResultStatus.FAILED] * 3
    assert [result.args_kwargs["kwargs"].get("_attempt", 1) for result in results()] == [1, 2, 3]
    assert CALLS[key] == 3


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_before_it_runs(database_tasks, key):
    slow_to_retry.enqueue(key)
    run_worker()
    assert CALLS[key] == 1  # the retry is not ready yet
    failed, waiting = results()
    assert (failed.status, waiting.status) == (TaskResultStatus.FAILED, TaskResultStatus.READY)
    assert timedelta(seconds=55) < waiting.run_after - timezone.now() <= timedelta(seconds=60)


def context_on(backend: str) -> Any:
    """The part of django-tasks' TaskContext a retrying task reads: which backend ran it."""
    return SimpleNamespace(task_result=SimpleNamespace(backend=backend))


@pytest.mark.django_db
@pytest.mark.parametrize(("attempt", "delay"), [(1, 60), (2, 120), (3, 240)])
def test_the_delay_doubles_with_each_attempt(database_tasks, key, attempt, delay):
    with pytest.raises(Boom):
        slow_to_retry.func(context_on("default"), key, _attempt=attempt)
    [retry] = results()
    assert retry.args_kwargs["kwargs"] == {"_attempt": attempt + 1}
    assert timedelta(seconds=delay - 5) < retry.run_after - timezone.now() <= timedelta(seconds=delay)


@pytest.mark.django_db
def test_the_last_attempt_enqueues_nothing(database_tasks, key):
    with pytest.raises(Boom):
        slow_to_retry.func(context_on("default"), key, _attempt=4)
    assert results() == []


@pytest.mark.django_db
def test_on_the_immediate_backend_a_retry_runs_at_once(key):
    result = flaky.enqueue(key, 1)
    assert result.status == TaskResultStatus.FAILED  # the first attempt; its retry ran inline
    assert CALLS[key] == 2


@pytest.mark.django_db
def test_a_task_that_succeeds_runs_once(key):
    result = flaky.enqueue(key, 0)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done after 1"
    assert CALLS[key] == 1


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks, key):
    task = flaky.using(backend="database")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(task, key, 0)
    assert results() == []
    for callback in callbacks:
        callback()
    [queued] = results()
    assert (queued.status, queued.backend_name, queued.args_kwargs["args"]) == (
        TaskResultStatus.READY,
        "database",
        [key, 0],
    )
    assert CALLS[key] == 0


@pytest.mark.django_db
def test_enqueue_on_commit_enqueues_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, key):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Boom), transaction.atomic():
        enqueue_on_commit(flaky, key, 0)
        raise Boom
    assert CALLS[key] == 0


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_after_a_real_commit(database_tasks, key):
    with transaction.atomic():
        enqueue_on_commit(flaky, key, 0)
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert CALLS[key] == 1


def test_belong_worker_runs_the_database_worker_by_default(monkeypatch, settings):
    settings.BELONG_TASKS_BACKEND = "database"
    calls: list[list[str]] = []
    monkeypatch.setattr("belong.cli._django", calls.append)
    worker(["--batch", "--interval", "0"])
    assert calls == [["db_worker", "--batch", "--interval", "0"]]
