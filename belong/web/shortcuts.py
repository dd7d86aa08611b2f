"""Small helpers every HTML view uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.core.errors import NotAuthenticated


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def signed_in(request: HttpRequest) -> User:
    """The signed-in person, or NotAuthenticated (which `web_view` turns into the sign-in page)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated(_("Sign in to continue."))
    return user


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` address the request carries if it points to this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def render_partial(
    request: HttpRequest, template_name: str, partial: str, context: Mapping[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render one `{% partialdef %}` of a template: the htmx fragment of the page the view also serves."""
    return TemplateResponse(request, f"{template_name}#{partial}", dict(context), status=status)


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form that is both shown (GET) and sent (POST) at one address."""
    return request.POST if request.method == "POST" else None


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most `cap` items: past that, "1,000+" tells the reader enough.

    Counting every match of a common word in a million posts takes longer than finding the page
    shown (0.3 s of 0.8 s, measured in bench/load.py); counting up to the cap stops early.
    """

    def __init__(self, object_list: Any, per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        """How many there are, up to cap + 1."""
        # Unordered: any cap + 1 of them will do, and the order (a search's rank) is what costs.
        items: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return len(items.order_by().values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        """Whether there are more than the pages reach."""
        return self.counted > self.cap


def page_of(request: HttpRequest, items: Any, size: int, *, cap: int | None = None) -> Page[Any]:
    """The `?page=` page of a list for an HTML page (an unknown page number shows the nearest).

    With `cap`, at most that many items are counted and paged through (CappedPaginator).
    """
    paginator = Paginator(items, size) if cap is None else CappedPaginator(items, size, cap)
    return paginator.get_page(request.GET.get("page"))
