"""The ranks ladder page: public, and where managers add, change and delete ranks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.communities.tests.factories import MembershipFactory
from belong.recognition import ledger
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PerkKind, PointsBalance, Rank, RuleKey
from belong.recognition.tests.factories import PerkFactory, RankFactory

pytestmark = pytest.mark.django_db


def url(name, community, *args):
    return reverse(f"recognition:{name}", args=[community.slug, *args])


@pytest.fixture
def ladder(community):
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


def test_anyone_sees_the_ladder_with_members_and_perks_per_rank(client, community, member, ladder):
    ledger.award(community_id=community.pk, user_id=member.user_id, rule=RuleKey.IDEA_SHIPPED, source="s:1")
    PerkFactory(community=community, name="Кафе за шампиони", min_rank=ladder[1000])
    PerkFactory(community=community, name="Spaces for experts", roles=["expert"])
    response = client.get(url("ranks", community))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Newcomer", "Contributor", "Regular", "Champion", "Legend"):
        assert name in html
    assert "from 50 points" in html and "1 member" in html
    assert "Кафе за шампиони" in html and "Spaces for experts" in html and "Roles: Expert" in html
    assert "Add a rank" not in html and "Delete the rank" not in html


def test_managers_see_the_forms_members_do_not(manager_client, member_client, community, ladder):
    assert "Add a rank" in manager_client.get(url("ranks", community)).content.decode()
    assert "Add a rank" not in member_client.get(url("ranks", community)).content.decode()
    assert member_client.post(url("new_rank", community), {"name": "X", "min_points": 10}).status_code == 403


def test_a_guest_is_sent_to_sign_in_to_change_the_ladder(client, community, ladder):
    response = client.post(url("new_rank", community), {"name": "X", "min_points": 10})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["Шампион", "Campeã", "Kampioen"])
def test_a_manager_adds_a_rank_and_members_move(manager_client, community, member, ladder, name):
    for n in range(3):
        ledger.award(community_id=community.pk, user_id=member.user_id, rule=RuleKey.IDEA_SHIPPED, source=f"s:{n}")
    response = manager_client.post(url("new_rank", community), {"name": name, "min_points": 120, "description": ""})
    rank = Rank.objects.get(community=community, name=name)
    assert response.status_code == 302 and response["Location"].endswith(f"#rank-{rank.pk}")
    assert PointsBalance.objects.get(user=member.user).rank == rank
    assert name in manager_client.get(response["Location"]).content.decode()


def test_an_overlapping_threshold_is_shown_on_the_form(manager_client, community, ladder):
    response = manager_client.post(url("new_rank", community), {"name": "Tweede", "min_points": 250})
    html = response.content.decode()
    assert response.status_code == 422
    assert "overlapping thresholds" in html and "“Regular” already starts at 250 points" in html
    assert Rank.objects.filter(community=community).count() == 5


def test_a_negative_threshold_is_refused_by_the_form(manager_client, community, ladder):
    response = manager_client.post(url("new_rank", community), {"name": "Onder", "min_points": -5})
    assert response.status_code == 422
    assert not Rank.objects.filter(name="Onder").exists()


def test_a_manager_moves_a_threshold_and_a_clash_shows_on_that_rank(manager_client, community, ladder):
    regular = ladder[250]
    response = manager_client.post(
        url("edit_rank", community, regular.pk), {"name": "Regular", "min_points": 300, "description": ""}
    )
    assert response.status_code == 302
    regular.refresh_from_db()
    assert regular.min_points == 300
    response = manager_client.post(
        url("edit_rank", community, regular.pk), {"name": "Regular", "min_points": 1000, "description": ""}
    )
    html = response.content.decode()
    assert response.status_code == 422 and "overlapping thresholds" in html
    assert f'id="rank-{regular.pk}-min_points"' in html


def test_a_manager_deletes_a_rank_but_not_one_a_perk_needs(manager_client, community, ladder):
    PerkFactory(community=community, name="Koffie", min_rank=ladder[1000])
    response = manager_client.post(url("delete_rank", community, ladder[1000].pk), follow=True)
    assert "give them another rank first" in response.content.decode()
    assert Rank.objects.filter(pk=ladder[1000].pk).exists()
    response = manager_client.post(url("delete_rank", community, ladder[250].pk), follow=True)
    assert "The rank “Regular” is deleted." in response.content.decode()
    assert not Rank.objects.filter(pk=ladder[250].pk).exists()


def test_a_rank_of_another_community_is_not_found(manager_client, community):
    stranger = RankFactory()
    assert manager_client.post(url("edit_rank", community, stranger.pk), {"name": "X"}).status_code == 404


def test_the_ladder_page_costs_the_same_queries_for_15_ranks_as_for_3(community, manager_client):
    RankFactory(community=community, min_points=0, name="Begin")
    counts = []
    for total in (3, 15):
        while Rank.objects.filter(community=community).count() < total:
            rank = RankFactory(community=community)
            Perk.objects.create(community=community, name=f"P{rank.pk}", kind=PerkKind.CODE, min_rank=rank)
            Perk.objects.create(community=community, name=f"R{rank.pk}", kind=PerkKind.CODE, roles=["expert"])
            user = MembershipFactory(community=community).user
            ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"s{rank.pk}")
        manager_client.get(url("ranks", community))
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url("ranks", community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Client().get(url("ranks", community)).status_code == 200
