"""The search index: a tsvector table with a GIN index on PostgreSQL, an FTS5 table on SQLite.

Neither is a Django model (an FTS5 table cannot be one), so each database gets its own DDL and
every other database is left alone. The PostgreSQL table has no foreign key to the posts: Django
truncates model tables without CASCADE when tests flush the database, and a stale row is
harmless because searches join back to live posts (`belong reindex_search` prunes them).
Posts written before this migration are indexed by `belong reindex_search`.
"""

from django.db import migrations

POSTGRES = [
    "CREATE TABLE IF NOT EXISTS conversations_search (post_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS conversations_search_vector ON conversations_search USING gin (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS conversations_search"]

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS conversations_search USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS conversations_search"]


def create_index(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("conversations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
