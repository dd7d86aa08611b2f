"""The `belong` command: `serve`, `worker`, `demo`, and every Django management command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

DEFAULT_SETTINGS = "belong.settings.base"


def _django(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["belong", *argv])


def serve(argv: Sequence[str]) -> None:
    """Run the production web server (gunicorn) after collecting static files."""
    parser = argparse.ArgumentParser(prog="belong serve", description=serve.__doc__)
    parser.add_argument(
        "--bind",
        default=os.environ.get("BELONG_BIND", "127.0.0.1:8000"),
        help="address to listen on (default: $BELONG_BIND, else 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="web processes, about 2 per CPU core (default: $WEB_CONCURRENCY, else 2)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("BELONG_THREADS", "4")),
        help="threads per process (default: $BELONG_THREADS, else 4)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=int(os.environ.get("BELONG_TIMEOUT", "30")),
        help="seconds before a silent process is killed and replaced (default: $BELONG_TIMEOUT, else 30)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=int(os.environ.get("BELONG_MAX_REQUESTS", "0")),
        help="restart a process after this many requests, give or take 10%%, to bound its memory "
        "(default: $BELONG_MAX_REQUESTS, else 0: never)",
    )
    parser.add_argument("--no-collectstatic", action="store_true", help="skip collectstatic")
    args = parser.parse_args(argv)
    if not args.no_collectstatic:
        _django(["collectstatic", "--noinput", "--verbosity", "0"])
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "belong.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        str(args.timeout),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "20",
    ]
    if args.max_requests > 0:
        # The jitter keeps the processes from all restarting at once.
        command += ["--max-requests", str(args.max_requests), "--max-requests-jitter", str(args.max_requests // 10)]
    os.execv(sys.executable, command)


def worker(argv: Sequence[str]) -> None:
    """Run a task worker for BELONG_TASKS_BACKEND: django-tasks-db's db_worker, or RQ's worker
    on this deployment's queues (with its scheduler, which enqueues delayed tasks when due)."""
    from django.conf import settings

    if settings.BELONG_TASKS_BACKEND == "rq":
        scheduler = [] if "--with-scheduler" in argv else ["--with-scheduler"]
        _django(["rqworker", *settings.RQ_QUEUES, *scheduler, *argv])
    else:
        _django(["db_worker", *argv])


def demo(argv: Sequence[str]) -> None:
    """Migrate, load the demo community, then run a web server and a worker until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="belong demo", description=demo.__doc__)
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--no-serve", action="store_true", help="load the demo and stop")
    args = parser.parse_args(argv)
    _django(["migrate", "--noinput", "--verbosity", "1"])
    _django(["load_demo"])
    if args.no_serve:
        return
    env = dict(os.environ)
    belong = [sys.executable, "-m", "belong.cli"]
    # Stop the server and the worker on SIGTERM too (systemd, a script, `kill`), not only on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    from django.conf import settings

    worker_options = [] if settings.BELONG_TASKS_BACKEND == "rq" else ["--interval", "1", "--no-reload"]
    processes = [
        subprocess.Popen([*belong, "worker", *worker_options], env=env),
        subprocess.Popen([*belong, "serve", "--bind", args.bind, "--workers", "2", "--no-collectstatic"], env=env),
    ]
    print(f"\nBelong is running on http://{args.bind}/ (Ctrl-C stops it)\n", flush=True)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


COMMANDS = {"serve": serve, "worker": worker, "demo": demo}


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()
    if argv and argv[0] in COMMANDS:
        COMMANDS[argv[0]](argv[1:])
    else:
        _django(argv or ["help"])


if __name__ == "__main__":
    main()
