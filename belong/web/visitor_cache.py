"""Whole pages cached for visitors who are not signed in, forgotten as soon as their community changes.

Most readers of a community are not signed in, and every one of them sees the same page for the
same address and language. Rendering it once and serving the copy (as Discourse's anonymous cache
does) takes a page from tens of milliseconds of template rendering to one cache round trip.

- Only views marked with `@cached_for_visitors` are cached, only for GET and HEAD requests that
  carry no session cookie, no messages cookie and no Authorization header, and only answers of
  200 that set no cookie (a page that hands out a CSRF token is never shared).
- The key holds the address with its query string, the language the visitor reads in and whether
  htmx asked (a fragment, not the page). A copy remembers the *generation* it was made in: of the
  community in the address, or for pages of no community (home, profiles) of the whole site.
  Every domain event (a post, an edit, a hidden thread, a vote, a new member) gives its community
  and the site a new generation after its transaction commits, so the next visitor's request
  renders the page again; nothing has to know which pages an event touches. A busy community's
  writes leave other communities' copies be.
- Changes that publish no event (a new display name, say) show within `BELONG_VISITOR_CACHE_SECONDS`,
  the most a copy is fresh.
- While one request renders a stale page again, the other visitors of that page get the stale
  copy, for as long as that render takes, instead of all rendering it at once.

It needs a cache every web process shares (Redis): with Django's per-process local memory cache
one process would keep serving what another one changed. Settings therefore turn it on only with
REDIS_URL (see `belong.settings.env`).
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from belong.core.events import Event, subscribe

SITE_GENERATION: Final = "visitor:gen:site"
# A stale copy is kept this much longer, to answer visitors while one request renders the page again
# for at most RENEW_SECONDS (if that request fails, the next one tries).
STALE_SECONDS: Final = 60
RENEW_SECONDS: Final = 10
GZIP_LEVEL: Final = 6  # about 1 ms for a 50 KB page, once per render
SLUG_SECONDS: Final = 300  # how long an event's community id is mapped to its (rarely changing) address
SKIPPED_HEADERS: Final = frozenset({"set-cookie", "content-length"})
# A view's optional hook, run on every request its cached copy answers (to count a view, say).
OnHit = Callable[[dict[str, Any]], None]


def cached_for_visitors(view: Any = None, *, on_hit: OnHit | None = None) -> Any:
    """Mark a view whose page is the same for every visitor who is not signed in."""

    def mark(function: Any) -> Any:
        function.visitor_cache = on_hit or _nothing
        return function

    return mark(view) if view is not None else mark


def _nothing(kwargs: dict[str, Any]) -> None:
    return None


def visitor_cache_seconds() -> int:
    """How long a copy lives; 0 turns the cache off."""
    return int(getattr(settings, "BELONG_VISITOR_CACHE_SECONDS", 0))


def generation_key(slug: str | None) -> str:
    """The cache key of the generation of a community's pages, or of the pages of no community."""
    return f"visitor:gen:c:{slug}" if slug else SITE_GENERATION


def community_slug(community_id: int) -> str | None:
    """The address of a community, looked up once in a while: events carry ids, keys use addresses."""
    key = f"visitor:slug:{community_id}"
    slug: str | None = cache.get(key)
    if slug is None:
        from belong.communities.models import Community

        slug = Community.objects.filter(pk=community_id).values_list("slug", flat=True).first()
        if slug is not None:
            cache.set(key, slug, timeout=SLUG_SECONDS)
    return slug


@subscribe(Event)
def forget_pages(event: Event) -> None:
    """Give the event's community, and the pages of no community, a new generation after any change."""
    if not visitor_cache_seconds():
        return
    stamp = time.time_ns()
    generations = {SITE_GENERATION: stamp}
    slug = community_slug(event.community_id) if event.community_id is not None else None
    if slug is not None:
        generations[generation_key(slug)] = stamp
    cache.set_many(generations, timeout=None)


def is_visitor(request: HttpRequest) -> bool:
    """No sign of a session, a pending message or credentials: the request is answered as to anyone."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


@dataclass(frozen=True)
class Copy:
    """A page as a visitor got it, gzipped, with the generation it was made in and when it goes stale.

    Kept compressed: a page takes a third (a short one) to a twelfth (a long thread) of the memory, and a browser
    that accepts gzip gets the bytes as they are. Visitors' pages hold no secret (no CSRF token),
    so compressing them exposes nothing (BREACH).
    """

    generation: int
    fresh_until: float
    status: int
    headers: list[tuple[str, str]]
    gzipped: bytes


class VisitorCacheMiddleware:
    """Answer visitors from the cache; keep what marked views give them. Put it before SessionMiddleware.

    When a copy is stale (too old, or its community changed since), one request renders the page
    again while the others get the stale copy for the few milliseconds that takes, instead of
    every visitor of a busy page rendering it at the same moment.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = visitor_cache_seconds()
        if not seconds or request.method not in ("GET", "HEAD") or not is_visitor(request):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        on_hit: OnHit | None = getattr(match.func, "visitor_cache", None)
        if on_hit is None:
            return self.get_response(request)
        # A community's pages change with its events; the others (home, profiles) with any event.
        slug = match.kwargs.get("slug")
        generation_at = generation_key(slug if isinstance(slug, str) else None)
        key = self.key(request)
        found = cache.get_many([key, generation_at])
        generation = found.get(generation_at, 0)
        stored: Copy | None = found.get(key)
        if stored is not None:
            fresh = stored.generation == generation and time.time() < stored.fresh_until
            if fresh or not cache.add(key + ":renewing", 1, timeout=RENEW_SECONDS):
                on_hit(match.kwargs)
                return self.rebuild(request, stored, "hit" if fresh else "stale")
        try:
            response = self.get_response(request)
            if self.storable(request, response):
                headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
                packed = gzip.compress(response.content, compresslevel=GZIP_LEVEL, mtime=0)
                copy = Copy(generation, time.time() + seconds, response.status_code, headers, packed)
                cache.set(key, copy, timeout=seconds + STALE_SECONDS)
        finally:
            if stored is not None:
                cache.delete(key + ":renewing")
        return response

    @staticmethod
    def key(request: HttpRequest) -> str:
        language = translation.get_language_from_request(request)
        htmx = "h" if request.headers.get("HX-Request") == "true" else "p"
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        return f"visitor:page:{language}:{htmx}:{address}"

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and (user is None or not user.is_authenticated)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def rebuild(request: HttpRequest, stored: Copy, state: str) -> HttpResponse:
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(stored.gzipped if gzipped else gzip.decompress(stored.gzipped), status=stored.status)
        for name, value in stored.headers:
            response[name] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["Accept-Encoding"])
        response["X-Visitor-Cache"] = state
        return response
