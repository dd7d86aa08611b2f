"""Validation of handles (the @name members are mentioned by)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

RESERVED_HANDLES = frozenset({"admin", "api", "me", "static", "media", "accounts", "c", "new", "settings", "belong"})

handle_format = RegexValidator(
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]{1,28}[A-Za-z0-9_]$",
    _("Use 3–30 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit."),
    code="invalid_handle",
)


def not_reserved(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value.lower() in RESERVED_HANDLES:
        raise ValidationError(_("This handle is reserved."), code="reserved_handle")


handle_validators: list[Callable[[Any], None]] = [handle_format, not_reserved]
