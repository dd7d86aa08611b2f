"""The registry of what a person's data export holds, and the ZIP it becomes.

Each app describes its part in its own `exports.py` (found by `autodiscover_modules("exports")`
when the accounts app is ready)::

    @exporter("posts", description=_("Every post you wrote, with its Markdown text."))
    def posts(user: User) -> Iterable[dict[str, Any]]:
        ...

The result becomes `posts.json` in the ZIP: a dict is written as one object, anything else as an
array. An exporter runs a fixed number of queries whatever the person did (`values()` and
`.iterator(chunk_size=...)`, never a query per row); an iterator is streamed into the file, so a
long history is not held in memory twice. Exporters return only the person's own rows and data
held about them: ids, ISO datetimes and community slugs, never another member's words.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from belong.accounts.models import DataExport, User

Row = Mapping[str, Any]
Result = Iterable[Row] | Row
Func = TypeVar("Func", bound=Callable[["User"], Result])

# Rows fetched per round trip by exporters that iterate (`.iterator(chunk_size=CHUNK)`).
CHUNK = 2000
README_NAME = "README.txt"


@dataclass(frozen=True)
class Exporter:
    name: str
    func: Callable[[User], Result]
    description: str | Promise

    @property
    def filename(self) -> str:
        return f"{self.name}.json"


_exporters: dict[str, Exporter] = {}


def exporter(name: str, *, description: str | Promise) -> Callable[[Func], Func]:
    """Register `func(user)`; its result becomes `<name>.json` in every export, described in the README."""

    def register(func: Func) -> Func:
        known = _exporters.get(name)
        if known is not None and _origin(known.func) != _origin(func):
            raise ValueError(f"Two exporters are named {name!r}.")
        _exporters[name] = Exporter(name=name, func=func, description=description)
        return func

    return register


def _origin(func: Callable[..., Any]) -> tuple[str, str]:
    return func.__module__, func.__qualname__


def exporters() -> list[Exporter]:
    """Every registered exporter, by file name."""
    return sorted(_exporters.values(), key=lambda item: item.name)


def rows(values: QuerySet[Any, dict[str, Any]], **renames: str) -> Iterator[dict[str, Any]]:
    """Stream a `values()` queryset in chunks, renaming keys (`community__slug="community"`).

    A `values()` expression may not take the name of a model field, so `community` is spelt
    `community__slug` in the query and renamed here.
    """
    for row in values.iterator(chunk_size=CHUNK):
        yield {renames.get(key, key): value for key, value in row.items()}


class _Encoder(DjangoJSONEncoder):
    """Full-precision ISO datetimes (DjangoJSONEncoder cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if hasattr(o, "isoformat"):
            return o.isoformat()
        if isinstance(o, Promise):
            return str(o)
        return super().default(o)


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, indent=2)


def _write(archive: zipfile.ZipFile, filename: str, result: Result) -> None:
    with archive.open(filename, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        if isinstance(result, Mapping):
            out.write(_dumps(result))
        else:
            out.write("[")
            written = 0
            for row in result:
                out.write(",\n" if written else "\n")
                out.write(_dumps(row))
                written += 1
            out.write("\n]" if written else "]")
        out.write("\n")


def _readme(user: User, files: list[Exporter]) -> str:
    lines = [
        _("Your data from %(site)s") % {"site": settings.BELONG_SITE_NAME},
        "",
        _("Prepared for @%(handle)s on %(date)s.") % {"handle": user.handle, "date": timezone.now().isoformat()},
        "",
        _(
            "Each file is JSON in UTF-8. Lists are in the order things happened; times are ISO 8601 in UTC; "
            "communities are named by their address (slug) and posts, threads and ideas by their id."
        ),
        "",
    ]
    for item in files:
        lines.append(f"{item.filename}")
        lines.append(f"    {item.description}")
    return "\n".join(lines) + "\n"


def build_archive(user: User) -> bytes:
    """Run every exporter for the person and return the ZIP, README included, in their language."""
    buffer = io.BytesIO()
    files = exporters()
    with (
        translation.override(user.locale or settings.LANGUAGE_CODE),
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(README_NAME, _readme(user, files))
        for item in files:
            _write(archive, item.filename, item.func(user))
    return buffer.getvalue()


def zip_response(export: DataExport, user: User) -> HttpResponse:
    """The export's ZIP as a download named after the person and the day it was asked for."""
    filename = f"belong-export-{user.handle}-{export.created_at.date().isoformat()}.zip"
    response = HttpResponse(bytes(export.content or b""), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
