"""A member's recognition: the overview, the profile page and its endpoint."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from belong.api.tests.helpers import API, queries_for, token_client
from belong.recognition import badges, ledger, perks
from belong.recognition.defaults import ranks_of
from belong.recognition.models import PerkKind
from belong.recognition.tests.factories import BadgeFactory


def give(member, points, source="test"):
    """Points straight into the ledger (the reply rule, without caps in the way)."""
    for n in range(points):
        ledger.award(community_id=member.community_id, user_id=member.user_id, rule="reply", source=f"{source}:{n}")


def hold_badges(member, count):
    for n in range(count):
        badge = BadgeFactory(community=member.community, key=f"b{n}", name=f"Значка {n}")
        badges.grant_badge(community_id=member.community_id, user_id=member.user_id, key=badge.key)


def profile_url(member):
    return reverse("recognition:profile", args=[member.community.slug, member.user.handle])


def test_the_profile_shows_points_rank_level_and_badges(member, make_member):
    give(member, 5)
    hold_badges(member, 2)
    response = Client().get(profile_url(member))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.points == 5 + 2 * 5  # the replies and the two badges' own points
    assert summary.rank == ranks_of(member.community_id)[0]
    assert summary.next_rank == ranks_of(member.community_id)[1]
    assert [badge.name for badge in summary.badges] == ["Значка 1", "Значка 0"]
    assert "Значка 0" in response.content.decode()
    assert summary.positions["all"] == 1


def test_an_unknown_handle_is_not_found(community):
    response = Client().get(reverse("recognition:profile", args=[community.slug, "nobody"]))
    assert response.status_code == 404


def test_the_query_count_does_not_grow_with_badges(member, make_member):
    other = make_member()
    hold_badges(member, 3)
    for n in range(15):
        badge = BadgeFactory(community=other.community, key=f"o{n}")
        badges.grant_badge(community_id=other.community_id, user_id=other.user_id, key=badge.key)
    client = Client()
    queries_for(client, profile_url(member))
    queries_for(client, profile_url(other))
    assert queries_for(client, profile_url(member)) == queries_for(client, profile_url(other))


def test_the_overview_lists_this_weeks_leaders(member):
    give(member, 3)
    response = Client().get(reverse("recognition:home", args=[member.community.slug]))
    assert response.status_code == 200
    assert [standing.user for standing in response.context["board"]] == [member.user]


def test_the_endpoint_shows_a_members_own_code_only_to_them(member, manager, make_member):
    perk = perks.create_perk(
        actor=manager.user,
        community=member.community,
        name="Desconto de 10%",
        kind=PerkKind.CODE,
        min_rank=ranks_of(member.community_id)[0],
        codes=["PONTE-1"],
    )
    perks.claim_perk(user=member.user, perk=perk)
    address = f"{API}/communities/{member.community.slug}/members/{member.user.handle}/recognition"
    own = token_client(member.user).get(address)
    assert own.status_code == 200, own.content
    assert [(held["name"], held["code"]) for held in own.json()["perks"]] == [("Desconto de 10%", "PONTE-1")]
    seen_by_others = token_client(make_member().user).get(address)
    assert seen_by_others.json()["perks"] == []
    assert Client().get(address).json()["person"]["handle"] == member.user.handle


def test_the_endpoint_answers_404_for_an_unknown_handle(community):
    response = Client().get(f"{API}/communities/{community.slug}/members/nobody/recognition")
    assert response.status_code == 404
