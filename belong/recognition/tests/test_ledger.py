"""The ledger itself: append-only, idempotent by source, capped, and the balances always its sum."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from belong.communities.models import Role
from belong.core.models import AppendOnlyError
from belong.recognition import ledger
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.models import EntryKind, PointsBalance, PointsEntry, PointsRule, RuleKey
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_member):
    return make_member().user, make_member().user


def award(community, user, source, rule=RuleKey.REPLY, **kwargs):
    return ledger.award(community_id=community.pk, user_id=user.pk, rule=rule, source=source, **kwargs)


def balance(community, user) -> int:
    found = PointsBalance.objects.filter(community=community, user=user).first()
    return found.total if found else 0


# Append-only


def test_an_entry_cannot_be_changed_or_deleted(community, member):
    entry = award(community, member.user, "post:1:reply")
    entry.delta = 100
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_ledger_refuses_bulk_updates_and_deletes(community, member):
    award(community, member.user, "post:1:reply")
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.filter(community=community).update(delta=5)
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.filter(community=community).delete()


# Awards


def test_the_same_source_earns_once(community, member):
    assert award(community, member.user, "post:7:reply") is not None
    assert award(community, member.user, "post:7:reply") is None
    assert PointsEntry.objects.count() == 1
    assert balance(community, member.user) == 1


def test_a_reversed_source_can_earn_again(community, member):
    award(community, member.user, "post:7:reaction:3:like", rule=RuleKey.REACTION_RECEIVED)
    ledger.reverse(community_id=community.pk, source="post:7:reaction:3:like")
    assert award(community, member.user, "post:7:reaction:3:like", rule=RuleKey.REACTION_RECEIVED) is not None
    assert balance(community, member.user) == 1


def test_points_cancelled_by_a_manager_do_not_come_back(community, member):
    entry = award(community, member.user, "post:7:reply")
    ledger.reverse_entry(entry, ledger.locked_balance(community.pk, member.user.pk), by=None, reason="Spam")
    assert award(community, member.user, "post:7:reply") is None
    assert balance(community, member.user) == 0


def test_nobody_earns_from_themselves(community, member):
    assert award(community, member.user, "x", rule=RuleKey.HELPFUL_RECEIVED, giver_id=member.user.pk) is None


def test_an_unknown_receiver_earns_nothing(community):
    assert ledger.award(community_id=community.pk, user_id=None, rule=RuleKey.REPLY, source="post:1:reply") is None


def test_the_rules_daily_cap_counts_today_only(community, member):
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(points=4, daily_cap=6)
    yesterday = timezone.now() - timedelta(days=1)
    assert award(community, member.user, "post:1:reply", at=yesterday).delta == 4
    assert award(community, member.user, "post:2:reply").delta == 4
    assert award(community, member.user, "post:3:reply").delta == 2
    assert award(community, member.user, "post:4:reply") is None


def test_a_reversal_frees_room_under_the_daily_cap(community, member):
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(points=5, daily_cap=5)
    award(community, member.user, "post:1:reply")
    ledger.reverse(community_id=community.pk, source="post:1:reply")
    assert award(community, member.user, "post:2:reply").delta == 5


def test_no_daily_cap_means_none(community, member):
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(points=5, daily_cap=None)
    for n in range(10):
        award(community, member.user, f"post:{n}:reply")
    assert balance(community, member.user) == 50


def test_the_pair_cap_counts_points_between_the_same_two_members(community, two):
    receiver, giver = two
    found = settings_of(community.pk)
    found.pair_daily_cap = 3
    found.save()
    results = [
        award(
            community,
            receiver,
            f"post:{n}:reaction:{giver.pk}:helpful",
            rule=RuleKey.HELPFUL_RECEIVED,
            giver_id=giver.pk,
        )
        for n in range(3)
    ]
    assert [entry.delta if entry else None for entry in results] == [2, 1, None]


def test_manual_points_do_not_count_against_the_caps(community, member, manager):
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(points=2, daily_cap=2)
    locked = ledger.locked_balance(community.pk, member.user.pk)
    PointsEntry.objects.create(
        community=community,
        user=member.user,
        delta=50,
        kind=EntryKind.MANUAL,
        reason="Welcome",
        awarded_by=manager.user,
    )
    ledger.apply(locked, 50)
    assert award(community, member.user, "post:1:reply").delta == 2


# Balances and ranks


def test_the_balance_and_rank_follow_every_entry(community, member):
    bronze = RankFactory(community=community, name="Bronze", min_points=0)
    silver = RankFactory(community=community, name="Срібло", min_points=3)
    rules_of(community.pk)
    PointsRule.objects.filter(community=community, key=RuleKey.REPLY).update(points=3)
    award(community, member.user, "post:1:reply")
    found = PointsBalance.objects.get(community=community, user=member.user)
    assert (found.total, found.rank) == (3, silver)
    ledger.reverse(community_id=community.pk, source="post:1:reply")
    found.refresh_from_db()
    assert (found.total, found.rank) == (0, bronze)


def test_first_points_do_not_announce_the_lowest_rank_but_a_new_rank_is_announced(
    community, member, published, django_capture_on_commit_callbacks
):
    from belong.recognition.events import RankChanged

    RankFactory(community=community, name="Nuweling", min_points=0)
    regular = RankFactory(community=community, name="Gereelde", min_points=2)
    with django_capture_on_commit_callbacks(execute=True):
        award(community, member.user, "post:1:reply")
    assert not [event for event in published if isinstance(event, RankChanged)]
    with django_capture_on_commit_callbacks(execute=True):
        award(community, member.user, "post:2:reply")
    changes = [event for event in published if isinstance(event, RankChanged)]
    assert [(event.user_id, event.rank_id, event.up) for event in changes] == [(member.user_id, regular.pk, True)]


def test_rebuilding_the_balances_agrees_with_the_ledger(community, two, make_member):
    first, second = two
    award(community, first, "post:1:reply")
    award(community, first, "post:2:reaction:9:helpful", rule=RuleKey.HELPFUL_RECEIVED)
    award(community, second, "post:3:reply")
    ledger.reverse(community_id=community.pk, source="post:3:reply")
    before = dict(PointsBalance.objects.filter(community=community).values_list("user_id", "total"))
    PointsBalance.objects.filter(community=community, user=first).update(total=999)
    assert ledger.rebuild_balances(community.pk) == 1
    sums = dict(PointsEntry.objects.filter(community=community).values_list("user_id").annotate(total=Sum("delta")))
    after = dict(PointsBalance.objects.filter(community=community).values_list("user_id", "total"))
    assert after == before == {first.pk: 3, second.pk: 0}
    assert {user: after[user] for user in sums} == sums


def test_reversing_a_prefix_reaches_every_member(community, two):
    first, second = two
    award(community, first, "post:5:reply")
    award(community, second, "post:5:reaction:1:like", rule=RuleKey.REACTION_RECEIVED)
    award(community, second, "post:50:reply")
    reversals = ledger.reverse(community_id=community.pk, source="post:5:", prefix=True)
    assert len(reversals) == 2
    assert (balance(community, first), balance(community, second)) == (0, 1)


def test_the_ledger_version_moves_after_each_commit(community, member, django_capture_on_commit_callbacks):
    before = ledger.ledger_version(community.pk)
    with django_capture_on_commit_callbacks(execute=True):
        award(community, member.user, "post:1:reply")
    assert ledger.ledger_version(community.pk) > before


# Concurrency (PostgreSQL: SQLite serialises writers anyway)


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_of_one_source_earn_once(make_member):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL")
    member = make_member(Role.MEMBER)
    community = member.community
    rules_of(community.pk)
    barrier = threading.Barrier(4)
    results: list[object] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(award(community, member.user, "post:1:reply"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for result in results if result is not None) == 1
    assert balance(community, member.user) == 1
