"""Cursor pagination for every list: `results` plus opaque `next_cursor` / `previous_cursor`.

Keyset pagination over the whole ordering (which must end with a unique field): a page costs one
query however deep it is, and rows added while a client pages never shift or repeat items. Ninja's
own CursorPagination keys only on the first ordering field and trusts the cursor's text in a
filter, so a forged cursor could raise a server error; here a bad cursor is a 422 problem.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Expression, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from belong.core.errors import Invalid

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class KeysetPagination(PaginationBase):
    """Page through a queryset ordered by `ordering`, e.g. `("-created_at", "-id")`."""

    items_attribute = "results"

    class Input(Schema):
        cursor: str | None = Field(None, description="A `next_cursor` or `previous_cursor` from an earlier page.")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many results per page.")

    class Output(Schema):
        results: list[Any]
        next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
        previous_cursor: str | None = Field(
            description="Pass as `cursor` for the previous page; null on the first page."
        )

    def __init__(self, *, ordering: tuple[str, ...], annotations: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """`annotations` are the queryset's (`queryset.query.annotations`), for orderings by annotated values."""
        if not ordering or ordering[-1].lstrip("-") not in ("id", "pk"):
            raise ValueError("The ordering must end with the primary key so that every position is unique.")
        self.ordering = ordering
        self.fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
        self.annotations = annotations or {}
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        cursor = self._decode(queryset.model, pagination.cursor) if pagination.cursor else None
        backwards = cursor is not None and cursor[1]
        if backwards:
            queryset = queryset.order_by(*(self._flip(name) for name in self.ordering))
        else:
            queryset = queryset.order_by(*self.ordering)
        if cursor is not None:
            queryset = queryset.filter(self._beyond(cursor[0], backwards=backwards))
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        results = rows[:size]
        if backwards:
            results.reverse()
            next_cursor = self._encode(results[-1], backwards=False) if results else None
            previous_cursor = self._encode(results[0], backwards=True) if more else None
        else:
            next_cursor = self._encode(results[-1], backwards=False) if more else None
            previous_cursor = self._encode(results[0], backwards=True) if cursor and results else None
        return {"results": results, "next_cursor": next_cursor, "previous_cursor": previous_cursor}

    @staticmethod
    def _flip(name: str) -> str:
        return name[1:] if name.startswith("-") else f"-{name}"

    def _beyond(self, values: list[Any], *, backwards: bool) -> Q:
        """Rows strictly after the position (or before it, going backwards) in the ordering."""
        clauses = []
        for index, (name, descending) in enumerate(self.fields):
            equal = {field: value for (field, _desc), value in zip(self.fields[:index], values, strict=False)}
            lookup = "lt" if descending != backwards else "gt"
            clauses.append(Q(**equal, **{f"{name}__{lookup}": values[index]}))
        # The same condition bounded on the leading field alone as well, so PostgreSQL can start an
        # index range scan there instead of filtering every row (bench/: 25 ms -> 0.2 ms deep in 100k).
        first, first_descending = self.fields[0]
        bound = Q(**{f"{first}__{'lte' if first_descending != backwards else 'gte'}": values[0]})
        return bound & reduce(or_, clauses)

    def _encode(self, item: Any, *, backwards: bool) -> str:
        values = [_plain(_attribute(item, name)) for name, _desc in self.fields]
        raw = json.dumps({"v": values, "b": backwards}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _decode(self, model: type[models.Model], cursor: str) -> tuple[list[Any], bool]:
        try:
            data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            values, backwards = data["v"], data["b"]
            if not isinstance(values, list) or len(values) != len(self.fields) or not isinstance(backwards, bool):
                raise ValueError(cursor)
            typed = [
                self._field_of(model, name).to_python(value)
                for (name, _desc), value in zip(self.fields, values, strict=True)
            ]
        except (ValueError, TypeError, KeyError, binascii.Error, ValidationError, FieldDoesNotExist) as error:
            raise Invalid(
                _("The cursor is not valid for this list."),
                errors={"cursor": [_("Use a cursor from an earlier page of the same list.")]},
            ) from error
        if any(value is None for value in typed):
            raise Invalid(_("The cursor is not valid for this list."))
        return typed, backwards

    def _field_of(self, model: type[models.Model], name: str) -> models.Field[Any, Any]:
        """The field a cursor value is typed by: an annotation's output field, the primary key, or a model field."""
        annotation = self.annotations.get(name)
        if isinstance(annotation, Expression):
            field: models.Field[Any, Any] = annotation.output_field
            return field
        if name == "pk":
            return model._meta.pk
        return _field(model, name)


def _attribute(item: Any, path: str) -> Any:
    for part in path.split("__"):
        item = getattr(item, part)
    return item


def _field(model: type[models.Model], path: str) -> models.Field[Any, Any]:
    parts = path.split("__")
    for part in parts[:-1]:
        related = model._meta.get_field(part).related_model
        if related is None or isinstance(related, str):
            raise FieldDoesNotExist(path)
        model = related
    field = model._meta.get_field(parts[-1])
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(path)
    return field


def _plain(value: Any) -> Any:
    """A JSON value that keeps full precision (Django's JSON encoder drops microseconds)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
