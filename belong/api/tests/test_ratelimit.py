"""The shared write rate limit helper (belong.core.ratelimit), outside any endpoint."""

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from belong.core.errors import RateLimited
from belong.core.ratelimit import WriteRateLimited, check_write_rate, rate_limited


def request_from(address, user=None):
    request = RequestFactory().post("/anything", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


def test_the_limit_applies_per_ip_address_for_visitors(settings):
    settings.BELONG_WRITE_RATE = "2/m"
    check_write_rate(request_from("10.1.1.1"))
    check_write_rate(request_from("10.1.1.1"))
    with pytest.raises(RateLimited) as info:
        check_write_rate(request_from("10.1.1.1"))
    assert isinstance(info.value, WriteRateLimited)
    assert 1 <= info.value.retry_after <= 60
    check_write_rate(request_from("10.1.1.2"))


@pytest.mark.django_db
def test_the_limit_applies_per_member_whatever_the_address(settings, user):
    settings.BELONG_WRITE_RATE = "2/m"
    check_write_rate(request_from("10.1.1.1", user))
    check_write_rate(request_from("10.1.1.2", user))
    with pytest.raises(RateLimited):
        check_write_rate(request_from("10.1.1.3", user))


def test_the_decorator_checks_before_the_view_runs_and_keeps_its_signature(settings):
    settings.BELONG_WRITE_RATE = "1/m"
    calls = []

    @rate_limited
    def view(request, number: int) -> int:
        calls.append(number)
        return number

    assert view(request_from("10.2.2.2"), 1) == 1
    with pytest.raises(RateLimited):
        view(request_from("10.2.2.2"), 2)
    assert calls == [1]
    assert list(inspect.signature(view).parameters) == ["request", "number"]
