"""Rate limits on every write path, per member and per IP address (django-ratelimit counters).

The rate is `settings.BELONG_WRITE_RATE` ("60/m" by default), read on each call so tests and
operators can change it. Web views and API endpoints share one budget per member and per IP.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from belong.core.errors import RateLimited

P = ParamSpec("P")
R = TypeVar("R")

WRITE_GROUP = "belong.write"


class WriteRateLimited(RateLimited):
    """A RateLimited that knows how many seconds remain until the window resets."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def check_write_rate(request: HttpRequest, *, group: str = WRITE_GROUP) -> None:
    """Count one write for the member and for the IP; raise RateLimited past the limit."""
    rate = settings.BELONG_WRITE_RATE
    keys = ["ip"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.insert(0, "user")
    retry_after = 0
    for key in keys:
        usage = get_usage(request, group=f"{group}.{key}", key=key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            retry_after = max(retry_after, int(usage["time_left"]), 1)
    if retry_after:
        raise WriteRateLimited(_("You are doing that too often; wait a moment and try again."), retry_after=retry_after)


def rate_limited(view: Callable[P, R]) -> Callable[P, R]:
    """Wrap a view or endpoint whose first argument is the request with `check_write_rate`."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        request: Any = args[0]
        check_write_rate(request)
        return view(*args, **kwargs)

    # Frameworks that read the signature (django-ninja) must see the view's own annotations,
    # resolved in the view's module rather than in this one.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    wrapper._belong_rate_limited = True  # type: ignore[attr-defined]
    return wrapper
