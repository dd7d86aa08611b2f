"""Module-level tasks for the task tests: the database worker imports tasks by their dotted path."""

from __future__ import annotations

from collections import Counter

from belong.core.tasks import retrying_task

# How many times each run key has been called; the worker runs in the test's process.
CALLS: Counter[str] = Counter()


class Boom(Exception):
    pass


@retrying_task(max_attempts=3, base_delay=0)
def flaky(key: str, failures: int) -> str:
    """Fail the first `failures` calls for `key`, then succeed."""
    CALLS[key] += 1
    if CALLS[key] <= failures:
        raise Boom(f"failure {CALLS[key]} of {failures}")
    return f"done after {CALLS[key]}"


@retrying_task(max_attempts=4, base_delay=60)
def slow_to_retry(key: str) -> None:
    """Always fail, asking for a retry a minute later (then two, then four)."""
    CALLS[key] += 1
    raise Boom(key)
