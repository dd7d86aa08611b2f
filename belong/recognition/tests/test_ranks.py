"""Ranks: the ladder managers keep, thresholds that never overlap, and members re-ranked on every change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from belong.communities.models import MembershipState, Role
from belong.core.errors import Conflict, Invalid, NotAllowed
from belong.core.models import Activity
from belong.recognition import ledger, ranks
from belong.recognition.defaults import ranks_of
from belong.recognition.events import RankChanged
from belong.recognition.models import PointsBalance, Rank, RuleKey
from belong.recognition.tests.factories import PerkFactory, RankFactory

pytestmark = pytest.mark.django_db

NAMES = {"bg": "Шампион на общността", "pt": "Campeã da comunidade", "af": "Gemeenskapskampioen"}


def give(community, user, times=1, start=0):
    """Award the idea-shipped rule (50 points, no cap) `times` times."""
    for n in range(start, start + times):
        ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"test:{n}")


def built_in(community):
    """The built-in ranks by threshold (created on first use)."""
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


def rank_of(community, user):
    balance = PointsBalance.objects.select_related("rank").get(community=community, user=user)
    return balance.rank.name if balance.rank else None


def test_a_new_community_starts_with_the_five_built_in_ranks(community):
    ladder = list(ranks.ladder(community))
    assert [(rank.name, rank.min_points) for rank in ladder] == [
        ("Newcomer", 0),
        ("Contributor", 50),
        ("Regular", 250),
        ("Champion", 1000),
        ("Legend", 5000),
    ]


@pytest.mark.parametrize("language", sorted(NAMES))
def test_a_manager_adds_a_rank_and_the_members_who_reach_it_move_up(
    community, manager, member, language, published, django_capture_on_commit_callbacks
):
    give(community, member.user, times=3)  # 150 points: Contributor
    assert rank_of(community, member.user) == "Contributor"
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rank = ranks.create_rank(
            actor=manager.user, community=community, name=f"  {NAMES[language]} ", min_points=100, description="Ná 100"
        )
    assert rank.name == NAMES[language]
    assert rank_of(community, member.user) == NAMES[language]
    changed = [event for event in published if isinstance(event, RankChanged)]
    assert [(e.user_id, e.rank_id, e.up) for e in changed] == [(member.user_id, rank.pk, True)]
    activity = Activity.objects.get(verb=ranks.Verb.RANK_CREATED)
    assert activity.actor == manager.user and activity.data == {"name": NAMES[language], "min_points": 100}


def test_a_threshold_another_rank_has_is_refused_as_overlapping(community, manager):
    with pytest.raises(Invalid) as refused:
        ranks.create_rank(actor=manager.user, community=community, name="Tweede", min_points=50)
    assert "overlapping thresholds" in refused.value.detail
    assert "Contributor" in refused.value.errors["min_points"][0]
    assert [rank.min_points for rank in ranks.ladder(community)] == [0, 50, 250, 1000, 5000]


def test_moving_a_rank_onto_another_threshold_is_refused(community, manager):
    regular = built_in(community)[250]
    with pytest.raises(Invalid) as refused:
        ranks.update_rank(actor=manager.user, rank=regular, min_points=1000)
    assert "overlapping thresholds" in refused.value.errors["min_points"][0]
    regular.refresh_from_db()
    assert regular.min_points == 250


@pytest.mark.parametrize("points", [-1, -500])
def test_a_negative_threshold_is_refused(community, manager, points):
    with pytest.raises(Invalid) as refused:
        ranks.create_rank(actor=manager.user, community=community, name="Onder", min_points=points)
    assert set(refused.value.errors) == {"min_points"}


def test_a_threshold_beyond_the_maximum_and_a_blank_name_are_refused(community, manager):
    with pytest.raises(Invalid) as refused:
        ranks.create_rank(actor=manager.user, community=community, name="Far", min_points=ranks.MAX_THRESHOLD + 1)
    assert set(refused.value.errors) == {"min_points"}
    with pytest.raises(Invalid) as refused:
        ranks.create_rank(actor=manager.user, community=community, name="   ", min_points=70)
    assert set(refused.value.errors) == {"name"}


def test_moving_a_threshold_reranks_members_both_ways(
    community, manager, member, published, django_capture_on_commit_callbacks
):
    give(community, member.user, times=6)  # 300 points: Regular
    regular = Rank.objects.get(community=community, min_points=250)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranks.update_rank(actor=manager.user, rank=regular, min_points=400)
    assert rank_of(community, member.user) == "Contributor"
    down = [event for event in published if isinstance(event, RankChanged)]
    assert len(down) == 1 and down[0].up is False and down[0].previous_rank_id == regular.pk
    with django_capture_on_commit_callbacks(execute=True):
        ranks.update_rank(actor=manager.user, rank=regular, min_points=300)
    assert rank_of(community, member.user) == "Regular"


def test_renaming_a_rank_keeps_its_members_and_publishes_nothing(
    community, manager, member, published, django_capture_on_commit_callbacks
):
    give(community, member.user, times=1)
    contributor = Rank.objects.get(community=community, min_points=50)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranks.update_rank(actor=manager.user, rank=contributor, name=NAMES["bg"], description="Помага")
    assert rank_of(community, member.user) == NAMES["bg"]
    assert not [event for event in published if isinstance(event, RankChanged)]
    assert Activity.objects.get(verb=ranks.Verb.RANK_UPDATED).data == {"changed": ["description", "name"]}


def test_an_unknown_field_is_refused(community, manager):
    rank = built_in(community)[0]
    with pytest.raises(Invalid):
        ranks.update_rank(actor=manager.user, rank=rank, colour="gold")


def test_deleting_a_rank_drops_its_members_to_the_rank_below(
    community, manager, member, django_capture_on_commit_callbacks
):
    give(community, member.user, times=6)
    regular = Rank.objects.get(community=community, min_points=250)
    with django_capture_on_commit_callbacks(execute=True):
        ranks.delete_rank(actor=manager.user, rank=regular)
    assert rank_of(community, member.user) == "Contributor"
    assert not Rank.objects.filter(pk=regular.pk).exists()
    assert Activity.objects.get(verb=ranks.Verb.RANK_DELETED).data == {"name": "Regular", "min_points": 250}


def test_a_rank_a_perk_uses_cannot_be_deleted(community, manager):
    champion = built_in(community)[1000]
    PerkFactory(community=community, min_rank=champion, name="Koffie-koepon")
    with pytest.raises(Conflict) as refused:
        ranks.delete_rank(actor=manager.user, rank=champion)
    assert "Koffie-koepon" in refused.value.detail
    assert Rank.objects.filter(pk=champion.pk).exists()


def test_the_last_rank_cannot_be_deleted(community, manager):
    only = RankFactory(community=community, min_points=0, name="Almal")
    with pytest.raises(Conflict):
        ranks.delete_rank(actor=manager.user, rank=only)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.STAFF])
def test_only_managers_change_the_ladder(community, make_member, role):
    someone = make_member(role).user
    rank = built_in(community)[0]
    with pytest.raises(NotAllowed):
        ranks.create_rank(actor=someone, community=community, name="Mine", min_points=10)
    with pytest.raises(NotAllowed):
        ranks.update_rank(actor=someone, rank=rank, name="Mine")
    with pytest.raises(NotAllowed):
        ranks.delete_rank(actor=someone, rank=rank)


def test_the_owner_changes_the_ladder(community, owner):
    rank = ranks.create_rank(actor=owner.user, community=community, name="Tien", min_points=10)
    assert rank.community == community


def test_the_ladder_counts_active_members_per_rank_and_newcomers_without_points(community, make_member):
    contributors = [make_member().user for _ in range(2)]
    for user in contributors:
        give(community, user, times=1)
    champion = make_member().user
    give(community, champion, times=20)
    make_member()  # no points yet: a newcomer
    gone = make_member(state=MembershipState.LEFT).user
    give(community, gone, times=1)
    counts = {rank.name: vars(rank)["member_count"] for rank in ranks.ladder(community)}
    assert counts == {"Newcomer": 1, "Contributor": 2, "Regular": 0, "Champion": 1, "Legend": 0}


def test_the_ladder_with_its_perks_costs_the_same_queries_for_15_ranks_as_for_3(community, make_member):
    RankFactory(community=community, min_points=0, name="Begin")
    counts = []
    for total in (3, 15):
        while Rank.objects.filter(community=community).count() < total:
            rank = RankFactory(community=community)
            PerkFactory(community=community, min_rank=rank)
            give(community, make_member().user, times=1, start=rank.pk * 100)
        with CaptureQueriesContext(connection) as queries:
            ladder = list(ranks.ladder(community))
            assert all(rank.perks.all() for rank in ladder[1:])
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3
