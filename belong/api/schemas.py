"""Schema helpers shared by every app's API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, field_validator


class InSchema(Schema):
    """A request body: unknown fields are refused instead of silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PatchSchema(InSchema):
    """A partial update: only the fields sent change, and none of them may be null."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, ready to pass to an action as keyword arguments."""
        return self.model_dump(exclude_unset=True)
