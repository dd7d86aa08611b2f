"""The error family and the bridge from Django's validation errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from belong.communities.models import Community
from belong.core.errors import BelongError, Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound, RateLimited
from belong.core.validation import invalid_from, validate_instance


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Invalid, 422, "invalid"),
        (NotAuthenticated, 401, "not-authenticated"),
        (NotAllowed, 403, "not-allowed"),
        (NotFound, 404, "not-found"),
        (Conflict, 409, "conflict"),
        (RateLimited, 429, "rate-limited"),
    ],
)
def test_each_error_maps_to_one_status(error, status, code):
    assert issubclass(error, BelongError)
    assert (error.status, error.code) == (status, code)
    raised = error()
    assert raised.detail == str(error.title) == str(raised)
    assert raised.errors == {}


def test_an_error_carries_its_detail_and_field_errors():
    error = Invalid("Bad slug", errors={"slug": ["Taken."]})
    assert (str(error), error.detail, error.errors) == ("Bad slug", "Bad slug", {"slug": ["Taken."]})


def test_field_errors_become_invalid_with_the_first_message_as_detail():
    error = invalid_from(ValidationError({"slug": ["Taken.", "Too long."], NON_FIELD_ERRORS: ["Clash."]}))
    assert error.errors == {"slug": ["Taken.", "Too long."], "__all__": ["Clash."]}
    assert error.detail == "Taken."


def test_a_plain_validation_error_becomes_a_general_error():
    error = invalid_from(ValidationError(["One.", "Two."]))
    assert error.errors == {"__all__": ["One.", "Two."]}


@pytest.mark.django_db
def test_validate_instance_raises_invalid_for_a_bad_model():
    with pytest.raises(Invalid) as info:
        validate_instance(Community(name="", slug="bad slug", languages=["en"]))
    assert {"name", "slug"} <= set(info.value.errors)


@pytest.mark.django_db
def test_validate_instance_accepts_a_good_model():
    validate_instance(Community(name="Acme", slug="acme", languages=["en"]))
