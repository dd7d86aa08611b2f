"""Tasks on RQ: the web side enqueues into Redis, a separate `belong worker` process runs them.

These run in the PostgreSQL + Redis pass of `make test` (scripts/run_tests.py sets REDIS_URL) and
skip elsewhere: the worker is another process, and it cannot see the SQLite pass's in-memory
database. Each test has its own queue prefix, so parallel test processes (and a developer's own
worker on the same Redis) never take each other's jobs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import django_rq
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from rq import Queue
from rq.job import Job
from rq.results import Result

from belong.accounts.models import DataExport, ExportState
from belong.cli import worker as worker_command
from belong.core.rq import RQBackend
from belong.core.tasks import enqueue_on_commit
from belong.core.tests.tasks_for_tests import flaky, slow_to_retry
from belong.settings import env

REDIS_URL = os.environ.get("REDIS_URL", "")
ON_SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")

pytestmark = pytest.mark.skipif(
    not REDIS_URL or ON_SQLITE, reason="needs REDIS_URL and a database another process can open (PostgreSQL)"
)

WORKER_TIMEOUT = 120  # seconds; a burst worker on an idle machine takes about three


@pytest.fixture
def rq_tasks(monkeypatch, settings) -> Iterator[dict[str, str]]:
    """Put tasks on RQ, on queues of this test's own; yield the environment a worker needs."""
    variables = {
        "BELONG_TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": REDIS_URL,
        "BELONG_RQ_QUEUE_PREFIX": f"belong-test-{uuid.uuid4().hex[:12]}-",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings.BELONG_TASKS_BACKEND = "rq"
    settings.TASKS = env.tasks_config()
    settings.RQ_QUEUES = env.rq_queues_config()
    queues = list(settings.RQ_QUEUES)
    yield variables
    for name in queues:
        drop_queue(name)


def rq_queue() -> Queue:
    [name] = django_settings.RQ_QUEUES
    return django_rq.get_queue(name)


def drop_queue(name: str) -> None:
    """Delete a test queue from Redis: its jobs, their results, its registries and the queue itself."""
    queue = django_rq.get_queue(name)
    redis = queue.connection
    registries = [
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.scheduled_job_registry,
        queue.started_job_registry,
        queue.deferred_job_registry,
        queue.canceled_job_registry,
    ]
    job_ids = {*queue.get_job_ids(), *(job_id for registry in registries for job_id in registry.get_job_ids())}
    for job_id in job_ids:
        redis.delete(Job.key_for(job_id), Result.get_key(job_id), f"{Job.key_for(job_id)}:dependents")
    queue.delete(delete_jobs=True)
    redis.delete(*[key for key in redis.scan_iter(match=f"*{name}*")] or [queue.key])
    redis.close()


def database_url() -> str:
    """The test database, as a URL for another process."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_worker(variables: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    """Run `belong worker` (by default `--burst`: until the queue is empty) in its own process, as a
    worker machine would."""
    environment = {
        **os.environ,
        **variables,
        "DJANGO_SETTINGS_MODULE": "belong.settings.base",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": "console://",
        "BELONG_INSIGHTS_ENABLED": "0",  # no model to load; these tasks do not analyse posts
    }
    completed = subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, "-m", "belong.cli", "worker", *(options or ["--burst"])],
        env=environment,
        cwd=env.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed


@pytest.mark.django_db(transaction=True)
def test_a_data_export_asked_for_on_the_web_is_built_by_a_separate_worker(rq_tasks, member_client, member):
    response = member_client.post("/settings/data/")
    assert response.status_code == 302
    export = DataExport.objects.get(user=member.user)
    assert export.state == ExportState.PENDING
    assert any(job.func_name == "belong.accounts.tasks.build_data_export" for job in rq_queue().get_jobs())

    worker = run_worker(rq_tasks)

    export.refresh_from_db()
    assert export.state == ExportState.READY
    assert export.size > 0
    assert "Your data is ready to download" in worker.stdout  # the e-mail, on the worker's console
    assert rq_queue().count == 0


@pytest.mark.django_db
def test_a_task_that_fails_once_is_retried_by_the_worker_and_succeeds(rq_tasks):
    key = uuid.uuid4().hex
    first = flaky.enqueue(key, 1)
    assert first.task.queue_name == rq_queue().name  # the app's "default", under this test's prefix

    run_worker(rq_tasks)

    backend = task_backends["default"]
    failed = backend.get_result(first.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class_path == "belong.core.tests.tasks_for_tests.Boom"
    [retry_id] = rq_queue().finished_job_registry.get_job_ids()
    retry = backend.get_result(retry_id)
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.kwargs == {"_attempt": 2}
    assert retry.return_value == "done after 2"  # both runs in the one worker process


@pytest.mark.django_db
def test_a_retry_with_a_delay_waits_in_the_scheduled_registry(rq_tasks):
    first = slow_to_retry.enqueue(uuid.uuid4().hex)

    run_worker(rq_tasks)

    backend = task_backends["default"]
    assert backend.get_result(first.id).status == TaskResultStatus.FAILED
    queue = rq_queue()
    assert queue.count == 0
    [retry_id] = queue.scheduled_job_registry.get_job_ids()
    due = queue.scheduled_job_registry.get_scheduled_time(retry_id)
    assert timedelta(seconds=50) < due - timezone.now() <= timedelta(seconds=60)
    retry = backend.get_result(retry_id)
    assert (retry.status, retry.kwargs) == (TaskResultStatus.READY, {"_attempt": 2})


@pytest.mark.django_db
def test_the_workers_scheduler_runs_a_deferred_task_when_it_is_due(rq_tasks):
    deferred = flaky.using(run_after=timezone.now() + timedelta(seconds=1)).enqueue(uuid.uuid4().hex, 0)
    queue = rq_queue()
    assert (queue.count, queue.scheduled_job_registry.get_job_ids()) == (0, [deferred.id])

    run_worker(rq_tasks, "--max-idle-time", "4")  # not in burst mode: the scheduler runs beside it

    assert task_backends["default"].get_result(deferred.id).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_enqueue_on_commit_reaches_redis_only_when_the_transaction_commits(
    rq_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(flaky, uuid.uuid4().hex, 0)
    assert rq_queue().count == 0
    for callback in callbacks:
        callback()
    assert rq_queue().count == 1


def test_the_backend_names_the_apps_queues_under_the_prefix(rq_tasks):
    backend = task_backends["default"]
    assert isinstance(backend, RQBackend)
    prefix = rq_tasks["BELONG_RQ_QUEUE_PREFIX"]
    assert backend.queues == {f"{prefix}default"}
    assert backend.on_redis(flaky).queue_name == f"{prefix}default"
    assert list(django_settings.RQ_QUEUES) == [f"{prefix}default"]


def test_belong_worker_runs_rq_on_the_deployments_queues_with_the_scheduler(rq_tasks, monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr("belong.cli._django", calls.append)
    worker_command(["--burst"])
    worker_command(["--with-scheduler", "--max-jobs", "5"])
    queue = f"{rq_tasks['BELONG_RQ_QUEUE_PREFIX']}default"
    assert calls == [
        ["rqworker", queue, "--with-scheduler", "--burst"],
        ["rqworker", queue, "--with-scheduler", "--max-jobs", "5"],
    ]
