"""Delete a generated community and its people with one SQL statement per table, as on_delete says.

Django's `delete()` would load every post into memory (Post.reply_to is SET_NULL, so the
collector fetches the rows before updating them): hours for a million posts. TRUNCATE is no
option either, since other communities may share the database. So the rows are deleted with
`DELETE ... WHERE fk IN (SELECT ...)` per table, walking the same relations Django's collector
walks (every model's reverse foreign keys): CASCADE and PROTECT delete the dependent rows first
(a whole community goes, so what protected a status from one idea protects nothing here),
SET_NULL clears the column, DO_NOTHING is left alone; rows of a table pointing at rows of the
same table (a points entry and its reversal) are deleted together. The search index, a table of its own
without a model, goes first. Raw SQL also passes the activity log's refusal of bulk deletes, as
Django's own cascade from a deleted community does.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from django.db.models.fields.reverse_related import ForeignObjectRel

from belong.accounts.models import User
from belong.communities.models import Community
from belong.conversations.models import Post
from belong.conversations.search import SEARCH_TABLE, engine


def delete_where(model: type[models.Model], where: str, params: list[Any], *, _depth: int = 0) -> int:
    """Delete the model's rows matching `where` (SQL over its table) and what depends on them; return how many."""
    if _depth > 12:
        raise RuntimeError(f"Relations too deep to delete {model.__name__} rows by SQL.")
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for candidate in get_candidate_relations_to_delete(model._meta):
            relation = cast(ForeignObjectRel, candidate)
            related = cast(type[models.Model], relation.related_model)
            fk = relation.field
            target = connection.ops.quote_name(fk.target_field.column)
            column = connection.ops.quote_name(fk.column)
            inner = f"{column} IN (SELECT {target} FROM {table} WHERE {where})"  # noqa: S608 -- model names
            if relation.on_delete is models.DO_NOTHING:
                continue
            if related is model and relation.on_delete is not models.SET_NULL:
                # Rows pointing at rows of the same table (a reversal and its entry) go in the same
                # DELETE below; one pointing outside it fails the transaction rather than dangle.
                continue
            if relation.on_delete is models.SET_NULL:
                related_table = connection.ops.quote_name(related._meta.db_table)
                cursor.execute(f"UPDATE {related_table} SET {column} = NULL WHERE {inner}", params)  # noqa: S608
            else:
                delete_where(related, inner, params, _depth=_depth + 1)
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608 -- model names
        return int(cursor.rowcount)


def delete_community(slug: str, email_domain: str) -> tuple[int, int]:
    """Delete the community and the people with addresses at the domain; (communities, people) deleted."""
    with transaction.atomic():
        key = engine().key
        posts = connection.ops.quote_name(Post._meta.db_table)
        communities = connection.ops.quote_name(Community._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {SEARCH_TABLE} WHERE {key} IN (SELECT id FROM {posts} WHERE community_id IN "  # noqa: S608
                f"(SELECT id FROM {communities} WHERE slug = %s))",
                [slug],
            )
        deleted = delete_where(Community, "slug = %s", [slug])
        people = delete_where(User, "email LIKE %s", ["%@" + email_domain])
    return deleted, people
