"""Load benchmark: latency under concurrent load, and SQL queries per request, of the main reads.

    DJANGO_SETTINGS_MODULE=belong.settings.base \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/belong_bench \\
        .venv/bin/python bench/load.py --slug bench --small-slug bench-1k

Fill the database first with `bench/generate.py` (once with `--slug bench --members 100000`, once
with `--slug bench-1k --members 1000`). Then this script:

1. counts the SQL queries of each endpoint in-process (Django's test Client and
   CaptureQueriesContext) for the small and the large community, to show that a list runs the
   same number of queries whatever the size of the community;
2. starts `belong serve` (gunicorn, 2 workers) on a free port of 127.0.0.1 as a subprocess,
   signs a member in (a session cookie for HTML pages, a personal read token for the API);
3. drives each endpoint from `--concurrency` client processes (one keep-alive connection each)
   for `--duration` seconds, and reports requests, errors, throughput and p50/p95/p99 latency;
4. stops the server by its PID, revokes the token and deletes the session.

Every loop is bounded in time and in count, and only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BUDGET_MS = 100.0
# Hard limits whatever the arguments say.
MAX_DURATION = 120.0
MAX_REQUESTS_PER_CLIENT = 500_000
MAX_CONCURRENCY = 64


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    auth: str  # "none", "token" (API) or "session" (HTML)


@dataclass
class Result:
    endpoint: Endpoint
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint.name,
            "path": self.endpoint.path,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": self.statuses,
            "seconds": round(self.elapsed, 2),
            **{f"p{p}_ms": round(self.percentile(p), 2) for p in (50, 95, 99)},
        }

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000


# The client side: runs in spawned processes, so it uses the standard library only.


def drive(
    port: int, path: str, headers: dict[str, str], start_at: float, stop_at: float, max_requests: int
) -> tuple[list[float], int, dict[int, int]]:
    """Send GET requests on one keep-alive connection from start_at until stop_at (wall clock)."""
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(min(max_requests, MAX_REQUESTS_PER_CLIENT)):
        if time.time() >= stop_at:
            break
        began = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            continue
        took = time.perf_counter() - began
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status == 200:
            latencies.append(took)
        else:
            errors += 1
        if response.will_close:
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.close()
    return latencies, errors, statuses


def run_load(
    pool: ProcessPoolExecutor,
    port: int,
    endpoint: Endpoint,
    headers: dict[str, str],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> Result:
    start_at = time.time() + 0.5  # every client starts at once
    stop_at = start_at + duration
    futures = [
        pool.submit(drive, port, endpoint.path, headers, start_at, stop_at, max_requests) for _ in range(concurrency)
    ]
    result = Result(endpoint)
    for future in futures:
        latencies, errors, statuses = future.result(timeout=duration + 60)
        result.latencies += latencies
        result.errors += errors
        for status, count in statuses.items():
            result.statuses[status] = result.statuses.get(status, 0) + count
    result.elapsed = max(time.time(), stop_at) - start_at
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def get_status(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# The Django side: runs in this process only.


def setup_django(var_dir: Path) -> None:
    """Set up Django here, with the environment the server inherits, and collect static files once."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belong.settings.base")
    # The server and this process must share the key that signs sessions.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Static files (pages need their manifest) and the server's log go here, not into the working tree.
    os.environ["BELONG_VAR_DIR"] = str(var_dir)
    os.environ["BELONG_WRITE_RATE"] = "100000/s"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def endpoints_for(slug: str) -> list[Endpoint]:
    """The endpoints measured, with a deep page of each member list at 90 % of its length."""
    from belong.api.pagination import KeysetPagination
    from belong.communities import queries

    community = queries.get_community(slug)
    members = queries.members_of(community)
    total = members.count()
    deep_index = int(total * 0.9)
    # The API's own cursor for the position of the member at 90 %: the ordering of list_members.
    deep_member = members[deep_index - 1]
    cursor = KeysetPagination(ordering=("-created_at", "-id"))._encode(deep_member, backwards=False)
    deep_page = deep_index // 50 + 1
    return [
        Endpoint("/healthz", "/healthz", "none"),
        Endpoint("community directory (API)", "/api/v1/communities", "none"),
        Endpoint("community page", f"/c/{slug}/", "none"),
        Endpoint("member list (API), first page", f"/api/v1/communities/{slug}/members", "token"),
        Endpoint("member list (API), cursor at 90 %", f"/api/v1/communities/{slug}/members?cursor={cursor}", "token"),
        Endpoint("member list page, first page", f"/c/{slug}/members/", "session"),
        Endpoint(f"member list page, page {deep_page} (offset)", f"/c/{slug}/members/?page={deep_page}", "session"),
    ]


def bench_member(slug: str) -> Any:
    """A plain active member of the community: the viewer of the member lists."""
    from belong.communities.models import Membership, MembershipState, Role

    membership = (
        Membership.objects.filter(community__slug=slug, role=Role.MEMBER, state=MembershipState.ACTIVE)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is None:
        sys.exit(f"No active member in '{slug}': run bench/generate.py first.")
    return membership.user


def count_queries(slug: str) -> list[tuple[Endpoint, int, int]]:
    """(endpoint, HTTP status, SQL queries) of each endpoint, after one request to warm caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from belong.accounts.actions import create_api_token, revoke_api_token

    user = bench_member(slug)
    token, raw = create_api_token(user=user, name="bench query count", scopes=["read"])
    counts = []
    try:
        for endpoint in endpoints_for(slug):
            # As under load: a session cookie for HTML pages only, the token alone for the API.
            client = Client(SERVER_NAME=HOST)
            if endpoint.auth == "session":
                client.force_login(user)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if endpoint.auth == "token" else {}
            client.get(endpoint.path, **headers)  # type: ignore[arg-type]
            with CaptureQueriesContext(connection) as captured:
                response = client.get(endpoint.path, **headers)  # type: ignore[arg-type]
            counts.append((endpoint, response.status_code, len(captured.captured_queries)))
            client.logout()
    finally:
        revoke_api_token(user=user, token_id=token.pk)
    return counts


@dataclass
class Credentials:
    token_id: int
    token: str
    session_key: str
    user: Any

    def headers(self, auth: str, port: int) -> dict[str, str]:
        from django.conf import settings

        headers = {"Host": f"{HOST}:{port}", "Accept-Language": "en"}
        if auth == "token":
            headers["Authorization"] = f"Bearer {self.token}"
        elif auth == "session":
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={self.session_key}"
        return headers


def sign_in(slug: str) -> Credentials:
    """A personal read token for the API and a session (as after signing in) for HTML pages."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from belong.accounts.actions import create_api_token

    user = bench_member(slug)
    token, raw = create_api_token(user=user, name="bench load", scopes=["read"])
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save(must_create=True)
    return Credentials(token.pk, raw, session.session_key, user)


def sign_out(credentials: Credentials) -> None:
    from importlib import import_module

    from django.conf import settings

    from belong.accounts.actions import revoke_api_token

    revoke_api_token(user=credentials.user, token_id=credentials.token_id)
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=credentials.session_key).delete()


def start_server(port: int, workers: int, var_dir: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """`belong serve` as a subprocess, with this process's environment (set up by setup_django)."""
    log = var_dir / "server.log"
    command = [sys.executable, "-m", "belong.cli", "serve", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    command.append("--no-collectstatic")  # setup_django collected them into the same BELONG_VAR_DIR
    with log.open("wb") as stderr:
        # The access log (stdout) would cost the server a write per request; it is dropped.
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)  # noqa: S603
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server stopped (exit {process.returncode}); its log:\n{log.read_text()[-3000:]}")
        try:
            if get_status(port, "/healthz", {"Host": f"{HOST}:{port}"}) == 200:
                return process, log
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(process)
    sys.exit(f"The server did not answer /healthz within 90 s; its log:\n{log.read_text()[-3000:]}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# Reports


def query_table(small: list[tuple[Endpoint, int, int]], large: list[tuple[Endpoint, int, int]], sizes: str) -> str:
    lines = [f"| Endpoint | SQL queries, {sizes} | HTTP status |", "|---|---|---|"]
    for (endpoint, status_small, count_small), (_e, status_large, count_large) in zip(small, large, strict=True):
        same = "" if count_small == count_large else " **(grows)**"
        lines.append(f"| {endpoint.name} | {count_small} → {count_large}{same} | {status_small} / {status_large} |")
    return "\n".join(lines)


def load_table(results: list[Result]) -> str:
    lines = [
        "| Endpoint | As | Requests | Errors | Req/s | p50 ms | p95 ms | p99 ms | p99 / 100 ms budget |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        p99 = result.percentile(99)
        lines.append(
            f"| {result.endpoint.name} | {result.endpoint.auth} | {result.requests:,} | {result.errors} "
            f"| {result.requests / result.elapsed:.0f} | {result.percentile(50):.1f} | {result.percentile(95):.1f} "
            f"| {p99:.1f} | {p99 / BUDGET_MS:.2f}× |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slug", default="bench", help="the large community (default bench)")
    parser.add_argument("--small-slug", default="bench-1k", help="the small community, for query counts")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per endpoint (default 20)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client processes (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per client and endpoint")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--queries-only", action="store_true", help="count SQL queries; start no server")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= MAX_DURATION or not 0 < args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--duration must be in (0, {MAX_DURATION}] and --concurrency in (0, {MAX_CONCURRENCY}]")
    with tempfile.TemporaryDirectory(prefix="belong-bench-") as var_dir:
        setup_django(Path(var_dir))
        queries, results = measure(args, Path(var_dir))
    if not results:
        return
    print("\n" + queries)
    print(f"\nConcurrency {args.concurrency}, {args.duration:.0f} s per endpoint after {args.warmup:.0f} s warm-up\n")
    print(load_table(results))
    if args.json:
        args.json.write_text(json.dumps([result.summary() for result in results], indent=2))


def measure(args: argparse.Namespace, var_dir: Path) -> tuple[str, list[Result]]:
    from django.db import connection

    from belong.communities.models import Membership

    sizes = {slug: Membership.objects.filter(community__slug=slug).count() for slug in (args.small_slug, args.slug)}
    print(f"Members (all states): {sizes}", flush=True)
    small = count_queries(args.small_slug)
    large = count_queries(args.slug)
    queries = query_table(small, large, f"{sizes[args.small_slug]:,} → {sizes[args.slug]:,} members")
    print("\n" + queries + "\n", flush=True)
    if args.queries_only:
        return queries, []

    credentials = sign_in(args.slug)
    endpoints = endpoints_for(args.slug)
    connection.close()  # the server has its own connections; this one idles until the end
    port = free_port()
    results: list[Result] = []
    process, log = start_server(port, args.workers, var_dir)
    print(f"Server: PID {process.pid} on {HOST}:{port}, {args.workers} workers", flush=True)
    try:
        with ProcessPoolExecutor(args.concurrency, mp_context=multiprocessing.get_context("spawn")) as pool:
            for endpoint in endpoints:
                headers = credentials.headers(endpoint.auth, port)
                status = get_status(port, endpoint.path, headers)
                if status != 200:
                    sys.exit(f"{endpoint.path} answered {status}; the server's log:\n{log.read_text()[-3000:]}")
                load = {"concurrency": args.concurrency, "max_requests": args.max_requests}
                run_load(pool, port, endpoint, headers, duration=args.warmup, **load)
                result = run_load(pool, port, endpoint, headers, duration=args.duration, **load)
                results.append(result)
                print(
                    f"{endpoint.name}: {result.requests:,} requests, {result.errors} errors, "
                    f"p99 {result.percentile(99):.1f} ms",
                    flush=True,
                )
    finally:
        stop_server(process)
        print(f"Server stopped (exit {process.returncode})", flush=True)
        sign_out(credentials)
    return queries, results


if __name__ == "__main__":
    main()
