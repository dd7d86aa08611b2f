"""The embedded SQLite set-up lets a web server and a worker write at the same time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = """
import django, sys
django.setup()
from django.db import transaction
from belong.core.models import Activity
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        # Read, then write: without IMMEDIATE this upgrade from a read lock is what deadlocks.
        n = Activity.objects.filter(verb="test.write").count()
        Activity.objects.create(verb="test.write", data={"writer": sys.argv[2], "i": i, "seen": n})
print("done")
"""


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="belong.settings.base", BELONG_VAR_DIR=str(var_dir))
    return env


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="checks the embedded SQLite default only")
def test_two_processes_write_one_sqlite_file_at_once_without_locking_errors(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=120
    )
    writes = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(writes), name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("web", "worker")
    ]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert "done" in out
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from belong.core.models import Activity; "
            "print(Activity.objects.filter(verb='test.write').count())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(count.stdout.strip()) == 2 * writes
    journal = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])",
            str(tmp_path / "belong.sqlite3"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert journal.stdout.strip() == "wal"
