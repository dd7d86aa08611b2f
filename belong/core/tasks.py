"""Tasks that retry: a thin layer over django-tasks (Django 6's tasks API, backported).

Task functions take ids, load what they need and call an action, so running one twice does no
harm. `retrying_task` re-enqueues a failed run with a growing delay, up to `max_attempts`.
The same tasks run on the database queue or on RQ (`belong.core.rq`; docs/deploy.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def retrying_task(
    *, max_attempts: int = 5, base_delay: float = 10.0, priority: int = 0, queue_name: str = "default"
) -> Callable[[Callable[..., Any]], Task[..., Any]]:
    """Make `func` a task that, on failure, is enqueued again after base_delay * 2**n seconds."""

    def decorate(func: Callable[..., Any]) -> Task[..., Any]:
        def run(context: TaskContext, *args: Any, _attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                if _attempt >= max_attempts:
                    logger.exception("Task %s failed for good after %d attempts", func.__name__, _attempt)
                    raise
                delay = timedelta(seconds=base_delay * 2 ** (_attempt - 1))
                logger.warning("Task %s failed (attempt %d); retrying in %s", func.__name__, _attempt, delay)
                # Retry on the backend this run came from, later when that backend can defer.
                retry = the_task.using(backend=context.task_result.backend)
                # Without a delay it goes straight to the queue: RQ would hold it for its scheduler.
                if delay and retry.get_backend().supports_defer:
                    retry = retry.using(run_after=timezone.now() + delay)
                retry.enqueue(*args, _attempt=_attempt + 1, **kwargs)
                raise

        # The worker imports tasks by dotted path, so `run` takes the wrapped function's names
        # (not functools.wraps: its __wrapped__ would hide the `context` argument django-tasks checks).
        for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, attribute, getattr(func, attribute))
        the_task: Task[..., Any] = task(priority=priority, queue_name=queue_name, takes_context=True)(run)
        return the_task

    return decorate


def enqueue_on_commit(the_task: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue once the current transaction commits, so the worker sees the rows."""
    transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs))
