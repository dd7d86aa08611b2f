"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite, with ids the generator assigns.

The generator numbers rows itself (from the table's largest id), so posts can name their thread
and reactions their post without reading anything back; `sync_sequences` then moves PostgreSQL's
identity sequences past the ids used (SQLite's AUTOINCREMENT follows inserted ids by itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

from belong.conversations.search import SEARCH_TABLE

Row = Sequence[Any]

SEARCH_STAGE = "bench_search_stage"


def columns_of(model: type[models.Model], columns: Sequence[str]) -> tuple[str, str]:
    """The table and column list, refusing one that leaves out a NOT NULL column (the model grew a field)."""
    given = set(columns)
    for field in model._meta.concrete_fields:
        if field.column not in given and not field.null and field.db_default is models.NOT_PROVIDED:
            raise RuntimeError(f"bench/generate.py does not fill {model.__name__}.{field.name}: add it.")
    return model._meta.db_table, ", ".join(columns)


class RowWriter:
    """Append rows to tables in the current transaction."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.postgres = connection.vendor == "postgresql"
        self.touched: set[str] = set()

    def next_id(self, model: type[models.Model]) -> int:
        """The first free id of the table (the generator is the only writer while it runs)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608 -- a model's table
            return int(cursor.fetchone()[0]) + 1

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
        table, names = columns_of(model, columns)
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            self.touched.add(table)
        return self._write(table, names, len(columns), rows)

    def _write(self, table: str, names: str, width: int, rows: Iterable[Row]) -> int:
        count = 0
        if self.postgres:
            with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        adapt = connection.ops.adapt_datetimefield_value
        batch = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
        marks = ", ".join(["?"] * width)
        connection.connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
        return len(batch)

    def index(self, documents: Iterable[tuple[int, str, str]]) -> int:
        """Add search index rows from (post id, folded title, folded body), as search.py's engines store them."""
        if not self.postgres:
            return self._write(SEARCH_TABLE, "rowid, title, body", 3, documents)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {SEARCH_STAGE} (post_id bigint, title text, body text)"
            )
            count = self._write(SEARCH_STAGE, "post_id, title, body", 3, documents)
            cursor.execute(
                f"INSERT INTO {SEARCH_TABLE} (post_id, vector) SELECT post_id, "  # noqa: S608 -- constant names
                "setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B') "
                f"FROM {SEARCH_STAGE}"
            )
            cursor.execute(f"TRUNCATE {SEARCH_STAGE}")
        return count

    def sync_sequences(self) -> None:
        """Move each touched table's id sequence past the largest id, so the app's inserts do not collide."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in sorted(self.touched):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
                    [table],
                )
