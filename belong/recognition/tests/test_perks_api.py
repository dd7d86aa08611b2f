"""The API of ranks and perks: the ladder, offering perks, claiming codes and who claimed them."""

from __future__ import annotations

import pytest
from django.test import Client

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Role, SpaceAccess, SpaceVisibility
from belong.communities.tests.factories import MembershipFactory, SpaceFactory
from belong.recognition import ledger, perks
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PerkCode, PerkKind, Rank, RuleKey
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db

NAMES = {"bg": "Легенда на общността", "pt": "Lenda da comunidade", "af": "Gemeenskapslegende"}


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


def give(community, user, times, start=0):
    for n in range(start, start + times):
        ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"a:{n}")


@pytest.fixture
def ladder(community):
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def member_api(member):
    return token_client(member.user)


@pytest.fixture
def manager_api(manager):
    return token_client(manager.user)


@pytest.fixture
def coupon(community, manager, ladder):
    return perks.create_perk(
        actor=manager.user, community=community, name="Koffie", kind=PerkKind.CODE, min_rank=ladder[250],
        codes=["K-1", "K-2"],
    )  # fmt: skip


# Ranks


def test_anyone_reads_the_ladder(anonymous, community, member, coupon):
    give(community, member.user, 1)
    response = anonymous.get(url(community, "/ranks"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["name"], row["min_points"], row["member_count"]) for row in rows] == [
        ("Newcomer", 0, 1),
        ("Contributor", 50, 1),
        ("Regular", 250, 0),
        ("Champion", 1000, 0),
        ("Legend", 5000, 0),
    ]
    assert rows[2]["perks"] == [{"id": coupon.pk, "name": "Koffie", "kind": "code"}]


@pytest.mark.parametrize("language", sorted(NAMES))
def test_a_manager_adds_a_rank(manager_api, community, member, ladder, language):
    give(community, member.user, 3)
    response = send(manager_api, "post", url(community, "/ranks"), {"name": NAMES[language], "min_points": 120})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["min_points"], body["member_count"], body["perks"]) == (NAMES[language], 120, 1, [])


def test_an_overlapping_threshold_is_a_422_on_min_points(manager_api, community, ladder):
    response = send(manager_api, "post", url(community, "/ranks"), {"name": "Tweede", "min_points": 50})
    body = assert_problem(response, 422)
    assert "overlapping thresholds" in body["detail"] and "min_points" in body["errors"]
    response = send(manager_api, "patch", url(community, f"/ranks/{ladder[250].pk}"), {"min_points": 1000})
    assert "min_points" in assert_problem(response, 422)["errors"]


def test_a_negative_threshold_or_unknown_field_is_a_422(manager_api, community, ladder):
    assert (
        "min_points"
        in assert_problem(
            send(manager_api, "post", url(community, "/ranks"), {"name": "Onder", "min_points": -1}), 422
        )["errors"]
    )
    assert_problem(
        send(manager_api, "post", url(community, "/ranks"), {"name": "X", "min_points": 7, "colour": 1}), 422
    )
    assert_problem(send(manager_api, "patch", url(community, f"/ranks/{ladder[50].pk}"), {"min_points": None}), 422)


def test_a_manager_changes_and_deletes_ranks(manager_api, community, member, ladder):
    give(community, member.user, 6)
    response = send(manager_api, "patch", url(community, f"/ranks/{ladder[250].pk}"), {"min_points": 400})
    assert response.status_code == 200 and response.json()["member_count"] == 0
    response = send(manager_api, "delete", url(community, f"/ranks/{ladder[250].pk}"))
    assert response.status_code == 200
    assert [row["min_points"] for row in response.json()] == [0, 50, 1000, 5000]
    assert not Rank.objects.filter(pk=ladder[250].pk).exists()


def test_a_rank_a_perk_needs_is_a_409(manager_api, community, coupon, ladder):
    assert_problem(send(manager_api, "delete", url(community, f"/ranks/{ladder[250].pk}")), 409)


def test_members_and_guests_cannot_change_ranks(member_api, anonymous, community, ladder):
    assert_problem(send(member_api, "post", url(community, "/ranks"), {"name": "X", "min_points": 7}), 403)
    assert_problem(send(member_api, "patch", url(community, f"/ranks/{ladder[50].pk}"), {"name": "X"}), 403)
    assert_problem(send(member_api, "delete", url(community, f"/ranks/{ladder[50].pk}")), 403)
    assert_problem(send(anonymous, "post", url(community, "/ranks"), {"name": "X", "min_points": 7}), 401)


def test_a_rank_of_another_community_is_a_404(manager_api, community):
    assert_problem(send(manager_api, "patch", url(community, f"/ranks/{RankFactory().pk}"), {"name": "X"}), 404)


def test_the_ladder_costs_the_same_queries_for_15_ranks_as_for_3(anonymous, community):
    RankFactory(community=community, min_points=0)
    counts = []
    for total in (3, 15):
        while Rank.objects.filter(community=community).count() < total:
            rank = RankFactory(community=community)
            Perk.objects.create(community=community, name=f"P{rank.pk}", kind=PerkKind.CODE, min_rank=rank)
        counts.append(queries_for(anonymous, url(community, "/ranks?page_size=50")))
    assert counts[0] == counts[1]


# Perks


def test_a_member_sees_what_unlocks_each_perk(member_api, community, coupon):
    response = member_api.get(url(community, "/perks"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["eligible"] is False and row["unlock"] == "Reach the rank “Regular” to unlock it."
    assert row["min_rank"]["name"] == "Regular" and row["my_code"] is None
    assert row["codes_issued"] is None and row["codes_left"] is None


def test_a_member_claims_a_code_once(member_api, community, member, coupon):
    give(community, member.user, 5)
    first = send(member_api, "post", url(community, f"/perks/{coupon.pk}/claim"))
    assert first.status_code == 200, first.content
    assert first.json()["code"] == "K-1" and first.json()["perk_id"] == coupon.pk
    again = send(member_api, "post", url(community, f"/perks/{coupon.pk}/claim"))
    assert again.json() == first.json()
    row = member_api.get(url(community, f"/perks/{coupon.pk}")).json()
    assert row["eligible"] is True and row["my_code"] == "K-1"


def test_claiming_without_the_rank_is_a_403_naming_it(member_api, community, coupon):
    body = assert_problem(send(member_api, "post", url(community, f"/perks/{coupon.pk}/claim")), 403)
    assert body["detail"] == "Reach the rank “Regular” to unlock it."


def test_claiming_when_no_codes_are_left_is_a_409(community, make_member, coupon):
    for n in range(3):
        user = make_member().user
        give(community, user, 5, start=n * 10)
        response = send(session_client(user), "post", url(community, f"/perks/{coupon.pk}/claim"))
    assert "No codes left" in assert_problem(response, 409)["detail"]


def test_a_guest_cannot_claim(anonymous, community, coupon):
    assert_problem(send(anonymous, "post", url(community, f"/perks/{coupon.pk}/claim")), 401)


def test_a_manager_offers_a_space_perk_and_eligible_members_get_in(
    manager_api, community, member, ladder, django_capture_on_commit_callbacks
):
    space = SpaceFactory(community=community, slug="agter", visibility=SpaceVisibility.RESTRICTED)
    give(community, member.user, 5)
    payload = {"name": "Agter die skerms", "kind": "space", "min_rank": ladder[250].pk, "space": "agter",
               "roles": ["expert"], "description": "Wat ons nou bou, ná die vrystelling."}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = send(manager_api, "post", url(community, "/perks"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["space"] == {"id": space.pk, "slug": "agter", "name": space.name}
    assert body["roles"] == ["expert"] and body["codes_issued"] == 0 and body["codes_left"] == 0
    assert SpaceAccess.objects.filter(space=space, user=member.user, granted_by=None).exists()


def test_a_manager_offers_a_code_perk_with_a_pool(manager_api, community, ladder):
    payload = {"name": "Desconto", "kind": "code", "min_rank": ladder[50].pk, "codes": [" A ", "B", "A"]}
    response = send(manager_api, "post", url(community, "/perks"), payload)
    assert response.status_code == 201, response.content
    assert (response.json()["codes_issued"], response.json()["codes_left"]) == (0, 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "kind": "code"}, "min_rank"),
        ({"name": "X", "kind": "code", "roles": ["wizard"]}, "roles"),
        ({"name": "X", "kind": "code", "min_rank": 999999}, "min_rank"),
        ({"name": "X", "kind": "space", "roles": ["expert"]}, "space"),
        ({"name": "X", "kind": "space", "roles": ["expert"], "space": "nowhere"}, "space"),
        ({"name": "X", "kind": "code", "roles": ["expert"], "codes": ["x" * 101]}, "codes"),
        ({"name": "X", "kind": "voucher", "roles": ["expert"]}, "kind"),
    ],
)
def test_bad_perks_are_a_422_on_the_field(manager_api, community, payload, field):
    body = assert_problem(send(manager_api, "post", url(community, "/perks"), payload), 422)
    assert field in body["errors"], body


def test_a_manager_changes_a_perk_and_leaves_it_to_the_roles(manager_api, community, coupon):
    response = send(
        manager_api, "patch", url(community, f"/perks/{coupon.pk}"), {"min_rank": None, "roles": ["ambassador"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["min_rank"] is None and response.json()["roles"] == ["ambassador"]
    assert_problem(send(manager_api, "patch", url(community, f"/perks/{coupon.pk}"), {"name": None}), 422)
    assert_problem(send(manager_api, "patch", url(community, f"/perks/{coupon.pk}"), {"kind": "space"}), 422)


def test_a_switched_off_perk_is_hidden_from_members(manager_api, member_api, community, coupon):
    response = send(manager_api, "patch", url(community, f"/perks/{coupon.pk}"), {"is_active": False})
    assert response.json()["is_active"] is False
    assert member_api.get(url(community, "/perks")).json()["results"] == []
    assert_problem(member_api.get(url(community, f"/perks/{coupon.pk}")), 404)
    assert len(manager_api.get(url(community, "/perks")).json()["results"]) == 1


def test_a_manager_adds_codes_and_lists_the_claims(manager_api, community, member, coupon):
    give(community, member.user, 5)
    perks.claim_perk(user=member.user, perk=coupon)
    response = send(manager_api, "post", url(community, f"/perks/{coupon.pk}/codes"), {"codes": ["K-2", "K-3"]})
    assert response.json() == {"added": 1, "codes_issued": 1, "codes_left": 2}
    response = manager_api.get(url(community, f"/perks/{coupon.pk}/claims"))
    [claim] = response.json()["results"]
    assert claim["code"] == "K-1" and claim["member"]["handle"] == member.user.handle
    assert_problem(send(manager_api, "post", url(community, f"/perks/{coupon.pk}/codes"), {"codes": []}), 422)


def test_members_cannot_manage_perks_or_see_claims(member_api, community, coupon):
    assert_problem(
        send(member_api, "post", url(community, "/perks"), {"name": "X", "kind": "code", "roles": ["member"]}), 403
    )
    assert_problem(send(member_api, "patch", url(community, f"/perks/{coupon.pk}"), {"name": "X"}), 403)
    assert_problem(send(member_api, "post", url(community, f"/perks/{coupon.pk}/codes"), {"codes": ["X"]}), 403)
    assert_problem(member_api.get(url(community, f"/perks/{coupon.pk}/claims")), 403)


def test_a_perk_of_another_community_is_a_404(member_api, community):
    stranger = Perk.objects.create(
        community=MembershipFactory().community, name="Elders", kind=PerkKind.CODE, roles=["member"]
    )
    assert_problem(member_api.get(url(community, f"/perks/{stranger.pk}")), 404)
    assert_problem(send(member_api, "post", url(community, f"/perks/{stranger.pk}/claim")), 404)


def test_the_perk_list_and_claims_cost_the_same_queries_for_15_as_for_3(community, manager, make_member, ladder):
    member = make_member(Role.MEMBER)
    give(community, member.user, 5)
    perk_client, manager_client = token_client(member.user), token_client(manager.user)
    pool = Perk.objects.create(community=community, name="Pool", kind=PerkKind.CODE, min_rank=ladder[0])
    counts = []
    for total in (3, 15):
        while Perk.objects.count() < total + 1:
            n = Perk.objects.count()
            perk = Perk.objects.create(community=community, name=f"C{n}", kind=PerkKind.CODE, min_rank=ladder[50])
            if n % 2:
                perks.claim_perk(user=member.user, perk=perk)
        while PerkCode.objects.filter(perk=pool).count() < total:
            perks.claim_perk(user=make_member().user, perk=pool)
        perk_client.get(url(community, "/perks"))  # warm the token
        manager_client.get(url(community, "/perks"))
        counts.append(
            (
                queries_for(perk_client, url(community, "/perks?page_size=50")),
                queries_for(manager_client, url(community, "/perks?page_size=50")),
                queries_for(manager_client, url(community, f"/perks/{pool.pk}/claims?page_size=50")),
            )
        )
    assert counts[0] == counts[1]
