"""The daily command: anniversaries are celebrated and trust levels recomputed, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from belong.communities.tests.factories import MembershipFactory
from belong.recognition.models import BadgeAward, Celebration


def test_the_daily_command_celebrates_anniversaries_once(community):
    long_ago = timezone.now() - dt.timedelta(days=2 * 365 + 3)
    veteran = MembershipFactory(community=community, joined_at=long_ago)
    out = StringIO()
    call_command("recognition_daily", stdout=out)
    assert "anniversaries celebrated: 1" in out.getvalue()
    assert Celebration.objects.filter(user=veteran.user, kind="anniversary").count() == 1
    held = set(BadgeAward.objects.filter(user=veteran.user).values_list("badge__key", flat=True))
    assert {"anniversary-1", "anniversary-2"} <= held
    call_command("recognition_daily", stdout=StringIO())
    assert Celebration.objects.filter(user=veteran.user, kind="anniversary").count() == 1
