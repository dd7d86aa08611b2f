"""`/healthz`: is the database answering and can the task queue be reached?

Meant for load balancers, container orchestrators and uptime monitors: no sign-in, no session,
at most two small queries. It answers 200 with `"status": "ok"` when every check passes and 503
with `"status": "degraded"` otherwise. Failures are logged in full but reported only by their
exception class, so the public answer gives nothing away about the infrastructure.

The task check proves the queue is reachable, not that a worker is running: the age of the
oldest ready task is reported so monitoring can alert on a queue nobody drains, without taking
healthy web processes out of a load balancer.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

Check = dict[str, Any]


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _failure(check: str, error: Exception) -> Check:
    logger.exception("Health check %s failed", check)
    return {"ok": False, "error": type(error).__name__}


def check_database() -> Check:
    """Run a trivial query on the default database."""
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {**_failure("database", error), "vendor": connection.vendor}
    return {"ok": True, "vendor": connection.vendor, "latency_ms": _elapsed_ms(start)}


def check_tasks() -> Check:
    """Load the default task backend; for the database backend, count the tasks ready to run."""
    start = time.perf_counter()
    try:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        name = f"{type(backend).__module__}.{type(backend).__qualname__}"
        if not isinstance(backend, DatabaseBackend):
            return {"ok": True, "backend": name, "latency_ms": _elapsed_ms(start)}
        queue = _database_queue(backend.alias)
    except Exception as error:
        return _failure("tasks", error)
    return {"ok": True, "backend": name, **queue, "latency_ms": _elapsed_ms(start)}


def _database_queue(alias: str) -> Check:
    """Count ready tasks and find how long the oldest has waited, in one query.

    A task without a start time waits since it was enqueued; a deferred one since it came due.
    """
    undeferred = Q(run_after=get_date_max())
    totals = (
        DBTaskResult.objects.ready()
        .filter(backend_name=alias)
        .aggregate(
            ready=Count("id"),
            oldest_enqueued=Min("enqueued_at", filter=undeferred),
            oldest_due=Min("run_after", filter=~undeferred),
        )
    )
    waiting_since = [moment for moment in (totals["oldest_enqueued"], totals["oldest_due"]) if moment is not None]
    age = (timezone.now() - min(waiting_since)).total_seconds() if waiting_since else None
    return {"ready": totals["ready"], "oldest_ready_age_seconds": None if age is None else round(max(age, 0.0), 1)}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database and the task queue answer, 503 otherwise."""
    database = check_database()
    tasks = check_tasks()
    healthy = database["ok"] and tasks["ok"]
    body = {"status": "ok" if healthy else "degraded", "database": database, "tasks": tasks}
    return JsonResponse(body, status=200 if healthy else 503)
