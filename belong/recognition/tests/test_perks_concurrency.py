"""Claims arriving together, on real connections: every code is issued once, and each member gets one.

`claim_perk` locks the perk's row, so claims of one perk are served one after another. SQLite
serialises every write on its own (and the test run shares one in-memory connection), so the race
only means something on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from belong.accounts.models import User
from belong.communities.models import Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.core.errors import Conflict
from belong.recognition import ledger, perks
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PerkCode, PerkKind, RuleKey

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) and truly parallel connections need PostgreSQL; SQLite serialises writes",
    ),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 60


def race(jobs: list[Callable[[], Any]], expected: tuple[type[BaseException], ...] = ()) -> list[BaseException]:
    """Run the jobs in threads released at the same moment, each on its own connection; return the expected errors."""
    barrier = threading.Barrier(len(jobs))
    caught: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            job()
        except BaseException as error:  # collected, and judged below
            with lock:
                caught.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    unexpected = [error for error in caught if not isinstance(error, expected)]
    assert unexpected == [], unexpected
    return caught


def claim_as(user_id: int, perk_id: int) -> Callable[[], Any]:
    """A job that loads its own rows on its own connection, as a request would."""

    def job() -> None:
        perks.claim_perk(user=User.objects.get(pk=user_id), perk=Perk.objects.get(pk=perk_id))

    return job


def regulars(community: Any, count: int) -> list[User]:
    """Members with 250 points (the built-in Regular rank)."""
    people = [MembershipFactory(community=community, role=Role.MEMBER).user for _ in range(count)]
    for user in people:
        for n in range(5):
            ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"c:{n}")
    return people


def test_members_racing_for_the_last_codes_each_get_one_and_each_code_goes_once() -> None:
    community = CommunityFactory()
    ladder = {rank.min_points: rank for rank in ranks_of(community.pk)}
    manager = MembershipFactory(community=community, role=Role.MANAGER).user
    perk = perks.create_perk(
        actor=manager, community=community, name="Laaste kodes", kind=PerkKind.CODE, min_rank=ladder[250],
        codes=["L-1", "L-2", "L-3", "L-4"],
    )  # fmt: skip
    crowd = regulars(community, 10)
    perks.claim_perk(user=crowd[0], perk=perk)  # one code already gone: three left for nine
    jobs = [claim_as(user.pk, perk.pk) for user in crowd[1:]]
    jobs += [claim_as(crowd[0].pk, perk.pk) for _ in range(3)]  # claiming again while others race: the same code
    refused = race(jobs, expected=(Conflict,))
    codes = list(PerkCode.objects.filter(perk=perk).values_list("code", "user_id"))
    assert sorted(code for code, _user in codes) == ["L-1", "L-2", "L-3", "L-4"]
    holders = [user for _code, user in codes]
    assert None not in holders and len(set(holders)) == 4
    assert PerkCode.objects.get(perk=perk, user=crowd[0]).code == "L-1"
    assert len(refused) == 9 - 3  # three codes were left for nine
    assert all("No codes left" in str(error) for error in refused)


def test_members_racing_for_generated_codes_get_one_each() -> None:
    community = CommunityFactory()
    ladder = {rank.min_points: rank for rank in ranks_of(community.pk)}
    perk = Perk.objects.create(community=community, name="Welkom", kind=PerkKind.CODE, min_rank=ladder[0])
    crowd = [MembershipFactory(community=community).user for _ in range(8)]
    race([claim_as(user.pk, perk.pk) for user in crowd for _ in range(2)])
    codes = PerkCode.objects.filter(perk=perk)
    assert codes.count() == 8
    assert set(codes.values_list("user_id", flat=True)) == {user.pk for user in crowd}
    assert codes.values("code").distinct().count() == 8
