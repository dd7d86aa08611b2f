"""Tasks on RQ (BELONG_TASKS_BACKEND=rq): django-tasks-rq's backend and RQ's worker, fitted to Belong.

The settings name these classes (`belong.settings.env.tasks_config`, `RQ["WORKER_CLASS"]`);
the tasks themselves are the same on either queue (`belong.core.tasks`).
"""

from __future__ import annotations

from typing import Any, cast

import django_rq
from django.db import close_old_connections
from django_rq.connection_utils import get_connection
from django_tasks.base import Task, TaskResult
from django_tasks_rq import Job as RQJob
from django_tasks_rq import RQBackend as BaseRQBackend
from rq import Queue, SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job

_rq_connections: dict[tuple[str, bool], Any] = {}


def _shared_rq_connection(name: str = "default", use_strict_redis: bool = False) -> Any:
    """One Redis client per queue and process, with its pool of connections kept open.

    django-rq builds a new client for every `get_queue`, that is for every task enqueued: a new
    TCP connection and handshake each time (five of them per reply, measured in bench/load.py).
    Redis clients are thread-safe and reconnect by themselves, so one per process serves them all.
    """
    key = (name, use_strict_redis)
    if key not in _rq_connections:
        _rq_connections[key] = get_connection(name, use_strict_redis)
    return _rq_connections[key]


django_rq.queues.get_connection = _shared_rq_connection  # type: ignore[attr-defined]  # what get_queue calls


class RQBackend(BaseRQBackend):
    """django-tasks-rq, with the app's queues named in Redis under the deployment's prefix.

    Deployments (and test runs) sharing one Redis then keep their own queues: a worker takes only
    the jobs of its own deployment. The prefix comes from OPTIONS["QUEUE_PREFIX"].
    """

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        prefix = str(self.options.get("QUEUE_PREFIX", ""))
        self.redis_names = {name: prefix + name for name in self.queues}
        # RQ reports a job's queue by its name in Redis, and django-tasks-rq rebuilds the task with it.
        self.queues = set(self.redis_names.values())

    def on_redis(self, the_task: Task[..., Any]) -> Task[..., Any]:
        """The task on its queue's name in Redis."""
        name = self.redis_names.get(the_task.queue_name, the_task.queue_name)
        return the_task if name == the_task.queue_name else the_task.using(queue_name=name)

    def validate_task(self, task: Task[..., Any]) -> None:
        super().validate_task(self.on_redis(task))

    def enqueue(self, task: Task[..., Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        return super().enqueue(self.on_redis(task), args, kwargs)

    def _get_job(self, result_id: str) -> RQJob | None:
        # django-tasks-rq looks jobs up on the Redis of an RQ queue named "default"; ours has the prefix.
        try:
            return cast(RQJob, RQJob.fetch(result_id, connection=django_rq.get_connection(min(self.queues))))
        except NoSuchJobError:
            return None


class RQWorker(SimpleWorker):
    """RQ's worker that runs jobs in its own process, as the database worker does.

    Models loaded once (insights) stay loaded, instead of once per job in a forked child. Between
    jobs it drops database connections that are broken or past CONN_MAX_AGE, as Django does
    around each request.
    """

    def execute_job(self, job: Job, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
