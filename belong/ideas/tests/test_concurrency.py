"""Votes arriving together, on real connections: each counted once, none lost.

The vote actions lock the idea's row, so concurrent votes are counted one after another. SQLite
serialises every write on its own (and the test run shares one in-memory connection), so the
race only means something on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from belong.accounts.models import User
from belong.communities.models import Role, Space
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.errors import Conflict
from belong.ideas import actions
from belong.ideas.models import Idea, IdeaVote, Importance

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) and truly parallel connections need PostgreSQL; SQLite serialises writes",
    ),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 60


def race(jobs: list[Callable[[], Any]], expected: tuple[type[BaseException], ...] = ()) -> list[BaseException]:
    """Run the jobs in threads released at the same moment, each on its own connection.

    Returns the expected exceptions raised; an unexpected one fails the test.
    """
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


def members(space: Space, count: int) -> list[User]:
    return [MembershipFactory(community=space.community, role=Role.MEMBER).user for _ in range(count)]


@pytest.fixture
def board() -> tuple[Space, User, Idea]:
    community = CommunityFactory()
    space = SpaceFactory(community=community)
    author = MembershipFactory(community=community).user
    idea = actions.propose_idea(author=author, space=space, title="Koffie vir almal", description="Meer koffie.")
    return space, author, idea


def vote_as(user_id: int, idea_id: int, importance: str = "") -> Callable[[], Any]:
    """A job that loads its own rows on its own connection, as a request would."""

    def job() -> None:
        actions.vote(user=User.objects.get(pk=user_id), idea=Idea.objects.get(pk=idea_id), importance=importance)

    return job


def withdraw_as(user_id: int, idea_id: int) -> Callable[[], Any]:
    def job() -> None:
        actions.withdraw_vote(user=User.objects.get(pk=user_id), idea=Idea.objects.get(pk=idea_id))

    return job


def assert_counted(idea: Idea) -> int:
    idea.refresh_from_db()
    rows = IdeaVote.objects.filter(idea=idea).count()
    assert idea.vote_count == rows
    return rows


def test_many_members_voting_at_once_are_each_counted_once(board):
    space, author, idea = board
    crowd = members(space, 20)
    twice = crowd[:4]  # these four also race against themselves, three requests each
    importances = [Importance.CRITICAL, Importance.IMPORTANT, ""]
    jobs = [vote_as(user.pk, idea.pk) for user in crowd]
    jobs += [vote_as(user.pk, idea.pk, importances[n]) for user in twice for n in range(3)]
    race(jobs)
    assert assert_counted(idea) == 21  # the author and the twenty
    assert set(IdeaVote.objects.filter(idea=idea).values_list("user_id", flat=True)) == {
        author.pk,
        *(user.pk for user in crowd),
    }
    assert IdeaVote.objects.filter(idea=idea).values("user_id").distinct().count() == 21


def test_votes_and_withdrawals_racing_leave_a_true_count(board):
    space, author, idea = board
    crowd = members(space, 12)
    for user in crowd[:6]:
        actions.vote(user=user, idea=idea)
    jobs: list[Callable[[], Any]] = []
    for user in crowd:
        # Each member votes and withdraws at the same moment: either may win, never both or neither counted.
        jobs += [vote_as(user.pk, idea.pk), withdraw_as(user.pk, idea.pk), vote_as(user.pk, idea.pk, "important")]
    jobs.append(withdraw_as(author.pk, idea.pk))
    race(jobs)
    rows = assert_counted(idea)
    assert 0 <= rows <= 13
    assert IdeaVote.objects.filter(idea=idea).values("user_id").distinct().count() == rows


def test_votes_racing_a_merge_all_land_on_the_idea_that_stands(board):
    space, _author, source = board
    boss = MembershipFactory(community=space.community, role=Role.MANAGER).user
    target_author = MembershipFactory(community=space.community).user
    target = actions.propose_idea(author=target_author, space=space, title="Koffie vir almal!", description="Ja.")
    crowd = members(space, 16)

    def merge() -> None:
        actions.merge_ideas(
            actor=User.objects.get(pk=boss.pk),
            source=Idea.objects.get(pk=source.pk),
            target=Idea.objects.get(pk=target.pk),
        )

    jobs = [vote_as(user.pk, source.pk) for user in crowd] + [merge]
    refused = race(jobs, expected=(Conflict,))
    # Votes that came before the merge moved with it; those after were told to vote on the target.
    assert all("merged" in str(error) for error in refused)
    assert assert_counted(source) == 0
    standing = assert_counted(target)
    assert standing == 2 + len(crowd) - len(refused)
    source.refresh_from_db()
    assert source.merged_into_id == target.pk
