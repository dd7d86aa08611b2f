"""Turn Django validation errors into the one error family."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from belong.core.errors import Invalid


def invalid_from(error: ValidationError) -> Invalid:
    if hasattr(error, "error_dict"):
        errors = {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in error.messages]}
    first = next(iter(errors.values()))[0] if errors else _("Invalid input")
    return Invalid(first, errors=errors)


def validate_instance(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's own validation (fields, choices, unique constraints) or raise Invalid."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise invalid_from(error) from error


def reject_unknown_fields(given: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse fields an action does not know, rather than silently ignoring them."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
