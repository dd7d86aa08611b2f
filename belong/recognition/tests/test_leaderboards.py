"""Leaderboards: the right people in the right order for each period and space, staff left out, fresh after reversals."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from belong.accounts.models import User
from belong.communities import actions as community_actions
from belong.communities.models import Membership, MembershipState, Role
from belong.communities.tests.factories import SpaceFactory
from belong.recognition import ledger
from belong.recognition.defaults import settings_of
from belong.recognition.leaderboards import leaderboard, period_start, standing_in
from belong.recognition.models import EntryKind, PointsEntry

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# A Wednesday in the middle of a month: the week began on Monday the 13th, the month on the 1st.
NOW = dt.datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
THIS_WEEK = dt.datetime(2026, 7, 14, 9, 0, tzinfo=UTC)
THIS_MONTH = dt.datetime(2026, 7, 5, 9, 0, tzinfo=UTC)
LAST_MONTH = dt.datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
_sources = count()


@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def person(make_member):
    def make(role: str = Role.MEMBER, **kwargs: Any) -> User:
        user: User = make_member(role, **kwargs).user
        return user

    return make


def earn(community: Any, user: User, points: int, at: dt.datetime = THIS_WEEK, space: Any = None) -> PointsEntry:
    """A ledger line as the rules write it, dated `at` (the balance and the ledger version move with it)."""
    balance = ledger.locked_balance(community.pk, user.pk)
    entry = PointsEntry.objects.create(
        community=community,
        user=user,
        delta=points,
        kind=EntryKind.AWARD,
        rule="reply",
        source=f"test:{next(_sources)}",
        space=space,
        created_at=at,
    )
    ledger.apply(balance, points)
    return entry


def place(community: Any, user: Any, *args: Any, **kwargs: Any) -> int | None:
    found = standing_in(community, user, *args, **kwargs)
    return found.position if found is not None else None


def board(community: Any, period: str = "week", **kwargs: Any) -> list[tuple[int, str, int]]:
    return [(s.position, s.user.handle, s.points) for s in leaderboard(community, period, **kwargs)]


# Periods


def test_the_week_starts_on_monday_and_the_month_on_the_first_at_midnight():
    assert period_start("week") == dt.datetime(2026, 7, 13, tzinfo=UTC)
    assert period_start("month") == dt.datetime(2026, 7, 1, tzinfo=UTC)
    assert period_start("all") is None


def test_periods_begin_at_local_midnight_across_daylight_saving():
    lisbon = zoneinfo.ZoneInfo("Europe/Lisbon")
    with timezone.override(lisbon):
        # Wednesday 1 April 2026; summer time began on Sunday 29 March, inside the week.
        start = period_start("week", dt.datetime(2026, 4, 1, 12, 0, tzinfo=UTC))
        assert start == dt.datetime(2026, 3, 30, 0, 0, tzinfo=lisbon)
        assert (start.hour, start.minute, start.utcoffset()) == (0, 0, dt.timedelta(hours=1))
        month = period_start("month", dt.datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
        assert month == dt.datetime(2026, 3, 1, 0, 0, tzinfo=lisbon)
        assert month.utcoffset() == dt.timedelta(0)


def test_an_unknown_period_is_refused(community):
    from belong.core.errors import Invalid

    with pytest.raises(Invalid) as info:
        leaderboard(community, "year")
    assert "period" in info.value.errors


def test_each_period_counts_only_its_own_points(community, person, commit):
    weekly, monthly, veteran = person(), person(), person()
    with commit():
        earn(community, weekly, 5, THIS_WEEK)
        earn(community, monthly, 8, THIS_MONTH)
        earn(community, veteran, 20, LAST_MONTH)
    assert board(community, "week") == [(1, weekly.handle, 5)]
    assert board(community, "month") == [(1, monthly.handle, 8), (2, weekly.handle, 5)]
    assert board(community, "all") == [(1, veteran.handle, 20), (2, monthly.handle, 8), (3, weekly.handle, 5)]


def test_the_all_time_board_reads_the_balances_which_match_the_ledger(community, person, commit):
    first, second = person(), person()
    with commit():
        earn(community, first, 3, LAST_MONTH)
        earn(community, first, 4, THIS_WEEK)
        earn(community, second, 6, THIS_MONTH)
    assert board(community, "all") == [(1, first.handle, 7), (2, second.handle, 6)]


# Order, ties and who is left out


def test_equal_points_share_a_position_listed_by_member_id(community, person, commit):
    people = [person() for _n in range(4)]
    with commit():
        for user, points in zip(people, [5, 9, 5, 2], strict=True):
            earn(community, user, points)
    low_id, high_id = sorted([people[0], people[2]], key=lambda user: user.pk)
    assert board(community) == [
        (1, people[1].handle, 9),
        (2, low_id.handle, 5),
        (2, high_id.handle, 5),
        (4, people[3].handle, 2),
    ]


def test_members_with_no_points_or_fewer_than_none_are_left_out(community, person, commit):
    positive, zero, negative = person(), person(), person()
    with commit():
        earn(community, positive, 1)
        earn(community, zero, 3)
        earn(community, zero, -3)
        earn(community, negative, -2)
    for period in ("week", "month", "all"):
        assert board(community, period) == [(1, positive.handle, 1)]


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.STAFF, Role.MODERATOR])
def test_staff_are_left_out_by_default(community, person, commit, role):
    member, staff = person(), person(role)
    with commit():
        earn(community, member, 1)
        earn(community, staff, 10)
    assert board(community) == [(1, member.handle, 1)]
    assert board(community, include_staff=True) == [(1, staff.handle, 10), (2, member.handle, 1)]


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.EXPERT])
def test_ambassadors_and_experts_are_not_staff(community, person, commit, role):
    champion = person(role)
    with commit():
        earn(community, champion, 4)
    assert board(community, "all") == [(1, champion.handle, 4)]


def test_a_community_can_show_its_staff_on_leaderboards(community, person, commit):
    staff = person(Role.STAFF)
    found = settings_of(community.pk)
    found.leaderboard_includes_staff = True
    found.save()
    with commit():
        earn(community, staff, 10)
    assert board(community) == [(1, staff.handle, 10)]
    assert board(community, include_staff=False) == []


@pytest.mark.parametrize("state", [MembershipState.BANNED, MembershipState.LEFT, MembershipState.PENDING])
def test_members_who_are_not_active_are_left_out(community, person, commit, state):
    active, gone = person(), person()
    with commit():
        earn(community, active, 1)
        earn(community, gone, 9)
    Membership.objects.filter(user=gone).update(state=state)
    ledger.ledger_changed(community.pk)
    assert board(community, "all") == [(1, active.handle, 1)]


def test_a_member_whose_suspension_ran_out_is_back_on_the_board(community, person, commit):
    back = person(state=MembershipState.SUSPENDED, suspended_until=NOW - dt.timedelta(hours=1))
    with commit():
        earn(community, back, 3)
    assert board(community) == [(1, back.handle, 3)]


def test_banning_a_member_takes_them_off_the_cached_board_at_once(community, person, manager, commit):
    kept, banned = person(), person()
    with commit():
        earn(community, kept, 1)
        earn(community, banned, 9)
    assert board(community)[0][1] == banned.handle
    with commit():
        community_actions.ban_member(
            actor=manager.user, membership=Membership.objects.get(user=banned), reason="Спам и измами"
        )
    assert board(community) == [(1, kept.handle, 1)]


def test_other_communities_points_do_not_count(community, person, commit, make_member):
    from belong.communities.tests.factories import CommunityFactory

    elsewhere = CommunityFactory()
    user = person()
    make_member(community=elsewhere, user=user)
    with commit():
        earn(elsewhere, user, 40)
        earn(community, user, 2)
    assert board(community, "all") == [(1, user.handle, 2)]


def test_the_limit_cuts_the_list(community, person, commit):
    people = [person() for _n in range(5)]
    with commit():
        for points, user in enumerate(people, start=1):
            earn(community, user, points)
    assert [handle for _p, handle, _pts in board(community, limit=2)] == [people[4].handle, people[3].handle]


# Spaces


def test_a_space_board_counts_only_points_earned_in_that_space(community, person, commit):
    coffee, tea = SpaceFactory(community=community), SpaceFactory(community=community)
    barista, sommelier = person(), person()
    with commit():
        earn(community, barista, 6, space=coffee)
        earn(community, barista, 1, space=tea)
        earn(community, sommelier, 4, space=tea)
        earn(community, sommelier, 30, LAST_MONTH, space=tea)
        earn(community, sommelier, 50)  # given by hand: in no space
    assert board(community, space=coffee) == [(1, barista.handle, 6)]
    assert board(community, space=tea) == [(1, sommelier.handle, 4), (2, barista.handle, 1)]
    assert board(community, "all", space=tea) == [(1, sommelier.handle, 34), (2, barista.handle, 1)]


# Correct after reversals, with the cache


def test_a_reversal_shows_at_once_on_a_cached_board(community, person, commit, django_assert_num_queries):
    leader, runner_up = person(), person()
    with commit():
        entry = earn(community, leader, 10)
        earn(community, runner_up, 4)
    for period in ("week", "month", "all"):
        assert board(community, period)[0] == (1, leader.handle, 10)
    with django_assert_num_queries(2):  # served from the cache: the settings and the people only
        board(community, "week")
    with commit():
        ledger.reverse_entry(entry, ledger.locked_balance(community.pk, leader.pk))
    for period in ("week", "month", "all"):
        assert board(community, period) == [(1, runner_up.handle, 4)]


def test_a_reversed_rule_award_leaves_the_space_board_at_once(community, person, commit):
    space = SpaceFactory(community=community)
    author = person()
    with commit():
        ledger.award(
            community_id=community.pk, user_id=author.pk, rule="reply", source="post:1:reply", space_id=space.pk
        )
    assert board(community, space=space) == [(1, author.handle, 1)]
    with commit():
        ledger.reverse(community_id=community.pk, source="post:1:", prefix=True)
    assert board(community, space=space) == []
    assert board(community, "all") == []


def test_a_board_read_before_the_commit_is_not_served_after_it(community, person, commit):
    user = person()
    assert board(community) == []
    with commit():
        earn(community, user, 3)
        assert board(community) == []  # the version moves only once the points are committed
    assert board(community) == [(1, user.handle, 3)]


# Your own place


def test_your_place_is_found_beyond_the_top_of_the_list(community, person, commit):
    people = [person() for _n in range(6)]
    with commit():
        for points, user in enumerate(people, start=1):
            earn(community, user, points * 10)
    lowest = people[0]
    assert lowest.handle not in [handle for _p, handle, _pts in board(community, limit=3)]
    for period in ("week", "month", "all"):
        mine = standing_in(community, lowest, period)
        assert mine is not None and (mine.position, mine.points) == (6, 10)


def test_your_place_shares_a_tie(community, person, commit):
    first, second, third = person(), person(), person()
    with commit():
        earn(community, first, 5)
        earn(community, second, 5)
        earn(community, third, 1)
    assert place(community, second) == 1
    assert place(community, third) == 3


def test_your_place_in_a_space(community, person, commit):
    space = SpaceFactory(community=community)
    first, second = person(), person()
    with commit():
        earn(community, first, 3, space=space)
        earn(community, second, 2, space=space)
        earn(community, second, 9)
    assert place(community, second, "week", space) == 2
    assert place(community, second, "week") == 1


def test_nobody_has_a_place_without_points_or_as_staff_or_as_a_visitor(community, person, commit):
    from django.contrib.auth.models import AnonymousUser

    newcomer, staff = person(), person(Role.MANAGER)
    with commit():
        earn(community, staff, 5)
    assert standing_in(community, newcomer) is None
    assert standing_in(community, staff) is None
    assert place(community, staff, include_staff=True) == 1
    assert standing_in(community, AnonymousUser()) is None


def test_your_place_moves_after_a_reversal(community, person, commit):
    first, second = person(), person()
    with commit():
        entry = earn(community, first, 5)
        earn(community, second, 3)
    assert place(community, second) == 2
    with commit():
        ledger.reverse_entry(entry, ledger.locked_balance(community.pk, first.pk))
    assert place(community, second) == 1
    assert standing_in(community, first) is None


# Cost


@pytest.mark.parametrize("period", ["week", "month", "all"])
def test_a_board_costs_the_same_queries_for_15_members_as_for_3(
    community, person, commit, period, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    space = SpaceFactory(community=community)
    settings_of(community.pk)  # created on first use: not part of what a board costs

    def make(how_many: int) -> int:
        with commit():
            for _n in range(how_many):
                earn(community, person(), 3, space=space)
        with CaptureQueriesContext(connection) as context:
            assert leaderboard(community, period)
            assert leaderboard(community, period, space)
        return len(context.captured_queries)

    few = make(3)
    assert make(12) == few
