"""Run the whole test suite on SQLite, then on PostgreSQL when it is reachable.

BELONG_REQUIRE_POSTGRES=1 (set by CI) turns an unreachable PostgreSQL, or Redis, into a failure:
without Redis the tests of the Redis cache and the RQ task queue would only skip.
TEST_DATABASE_URL picks the PostgreSQL server; by default 127.0.0.1:5432, database `test`,
user `postgres` or `root`. Redis on REDIS_URL (default redis://127.0.0.1:6379/0) is used as the
cache in the PostgreSQL pass when it answers. Extra arguments go to pytest.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from urllib.parse import urlparse

PG_CANDIDATES = ["postgres://postgres@127.0.0.1:5432/test", "postgres://root@127.0.0.1:5432/test"]


def postgres_url() -> str | None:
    import psycopg

    candidates = [os.environ["TEST_DATABASE_URL"]] if os.environ.get("TEST_DATABASE_URL") else PG_CANDIDATES
    for url in candidates:
        try:
            psycopg.connect(url, connect_timeout=3).close()
            return url
        except psycopg.Error as error:
            print(f"PostgreSQL not usable at {url}: {str(error).strip()}", file=sys.stderr)
    return None


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2).close()
        return url
    except OSError as error:
        print(f"Redis not reachable at {url}: {error}", file=sys.stderr)
        return None


def run_pytest(label: str, env: dict[str, str], args: list[str]) -> int:
    print(f"\n=== Test suite on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    args = sys.argv[1:]
    if not any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in args):
        # One pytest-xdist worker per core (BELONG_TEST_WORKERS to change): the two passes take half as long.
        args = ["-n", os.environ.get("BELONG_TEST_WORKERS", "auto"), *args]
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    base_env["DJANGO_SETTINGS_MODULE"] = "belong.settings.test"
    results = {"SQLite": run_pytest("SQLite", base_env, args)}

    pg = postgres_url()
    if pg is None:
        if os.environ.get("BELONG_REQUIRE_POSTGRES") == "1":
            print("PostgreSQL is required (BELONG_REQUIRE_POSTGRES=1) but not reachable.", file=sys.stderr)
            results["PostgreSQL"] = 1
        else:
            print("PostgreSQL not reachable: skipping the PostgreSQL pass.", file=sys.stderr)
    else:
        pg_env = {**base_env, "DATABASE_URL": pg}
        redis = redis_url()
        if redis:
            pg_env["REDIS_URL"] = redis
        label = "PostgreSQL" + (" + Redis" if redis else "")
        results["PostgreSQL"] = run_pytest(label, pg_env, args)
        if redis is None and os.environ.get("BELONG_REQUIRE_POSTGRES") == "1":
            print("Redis is required (BELONG_REQUIRE_POSTGRES=1) but not reachable.", file=sys.stderr)
            results["Redis"] = 1

    print("\n=== Summary ===")
    for label, code in results.items():
        print(f"{label}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
