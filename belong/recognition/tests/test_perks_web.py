"""The perks page: what each member has or how to unlock it, claiming codes, and the managers' forms."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.communities.models import Role, SpaceAccess, SpaceVisibility
from belong.communities.tests.factories import MembershipFactory, SpaceFactory
from belong.recognition import ledger, perks
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PerkCode, PerkKind, RuleKey

pytestmark = pytest.mark.django_db


def url(name, community, *args):
    return reverse(f"recognition:{name}", args=[community.slug, *args])


def give(community, user, times, start=0):
    for n in range(start, start + times):
        ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"w:{n}")


@pytest.fixture
def ladder(community):
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


@pytest.fixture
def coupon(community, manager, ladder):
    return perks.create_perk(
        actor=manager.user, community=community, name="Desconto no café", kind=PerkKind.CODE, min_rank=ladder[250],
        description="Um código de 20% na loja.", codes=["CAFE-1", "CAFE-2"],
    )  # fmt: skip


def test_a_member_below_the_rank_is_told_what_unlocks_the_perk(member_client, community, member, coupon):
    html = member_client.get(url("perks", community)).content.decode()
    assert "Desconto no café" in html and "Um código de 20% na loja." in html
    assert "Reach the rank “Regular” to unlock it." in html
    assert url("claim_perk", community, coupon.pk) not in html


def test_an_eligible_member_claims_a_code_and_sees_it_from_then_on(member_client, community, member, coupon):
    give(community, member.user, 5)
    html = member_client.get(url("perks", community)).content.decode()
    assert url("claim_perk", community, coupon.pk) in html
    response = member_client.post(url("claim_perk", community, coupon.pk), follow=True)
    html = response.content.decode()
    assert "Your code for “Desconto no café”: CAFE-1" in html
    assert '<code class="perk-code">CAFE-1</code>' in html
    assert member_client.post(url("claim_perk", community, coupon.pk)).status_code == 302
    assert PerkCode.objects.filter(user=member.user).count() == 1


def test_claiming_with_htmx_swaps_the_perk_card(member_client, community, member, coupon):
    give(community, member.user, 5)
    response = member_client.post(url("claim_perk", community, coupon.pk), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="card perk-card" id="perk-{coupon.pk}"') and "<html" not in html
    assert "CAFE-1" in html


def test_claiming_without_the_rank_says_which_rank_unlocks_it(member_client, community, coupon):
    response = member_client.post(url("claim_perk", community, coupon.pk))
    assert response.status_code == 403
    assert "Reach the rank “Regular” to unlock it." in response.content.decode()


def test_a_guest_is_sent_to_sign_in_to_claim(client, community, coupon):
    response = client.post(url("claim_perk", community, coupon.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Sign in to claim your perks" in client.get(url("perks", community)).content.decode()


def test_when_codes_run_out_the_member_is_told(community, make_member, coupon):
    for n in range(3):
        user = make_member().user
        give(community, user, 5, start=n * 10)
        client = Client()
        client.force_login(user)
        response = client.post(url("claim_perk", community, coupon.pk))
    assert response.status_code == 409 and "No codes left" in response.content.decode()


def test_a_space_perk_links_eligible_members_to_its_space(
    member_client, manager, community, member, ladder, django_capture_on_commit_callbacks
):
    space = SpaceFactory(
        community=community, name="Зад кулисите", slug="backstage", visibility=SpaceVisibility.RESTRICTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        perks.create_perk(
            actor=manager.user, community=community, name="Backstage", kind=PerkKind.SPACE, min_rank=ladder[0],
            space=space,
        )  # fmt: skip
    html = member_client.get(url("perks", community)).content.decode()
    assert "Open “Зад кулисите”" in html and "/s/backstage/" in html
    assert SpaceAccess.objects.filter(space=space, user=member.user).exists()


def test_managers_see_switched_off_perks_and_codes_left(manager_client, member_client, community, manager, coupon):
    perks.update_perk(actor=manager.user, perk=coupon, is_active=False)
    html = manager_client.get(url("perks", community)).content.decode()
    assert "Switched off" in html and "Codes: 0 issued, 2 left" in html
    assert "Desconto no café" not in member_client.get(url("perks", community)).content.decode()


def test_a_manager_offers_a_perk_with_codes(manager_client, community, ladder):
    assert manager_client.get(url("new_perk", community)).status_code == 200
    response = manager_client.post(
        url("new_perk", community),
        {"name": "Afslag", "description": "’n Kode.", "kind": "code", "min_rank": ladder[50].pk,
         "roles": ["expert", "ambassador"], "codes": "AF-1\n  AF-2 \n\nAF-1\n"},
    )  # fmt: skip
    perk = Perk.objects.get(name="Afslag")
    assert response.status_code == 302 and response["Location"].endswith(f"#perk-{perk.pk}")
    assert (perk.min_rank, perk.roles) == (ladder[50], ["expert", "ambassador"])
    assert list(perk.codes.values_list("code", flat=True)) == ["AF-1", "AF-2"]


def test_the_perk_form_shows_the_actions_refusals(manager_client, community, ladder):
    response = manager_client.post(url("new_perk", community), {"name": "Niks", "kind": "code"})
    assert response.status_code == 422
    assert "Choose the rank that unlocks the perk" in response.content.decode()
    response = manager_client.post(
        url("new_perk", community), {"name": "Ruimte", "kind": "space", "min_rank": ladder[0].pk}
    )
    assert response.status_code == 422
    assert "Choose the restricted space the perk opens." in response.content.decode()
    assert not Perk.objects.exists()


def test_a_manager_edits_and_switches_off_a_perk(manager_client, community, coupon, ladder):
    address = url("edit_perk", community, coupon.pk)
    assert 'name="is_active"' in manager_client.get(address).content.decode()
    response = manager_client.post(
        address, {"name": "Café grátis", "description": "", "min_rank": ladder[1000].pk, "roles": []}
    )
    assert response.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.name, coupon.min_rank, coupon.is_active) == ("Café grátis", ladder[1000], False)


def test_a_manager_sees_who_has_which_code_and_adds_more(manager_client, community, member, coupon):
    give(community, member.user, 5)
    perks.claim_perk(user=member.user, perk=coupon)
    address = url("perk_codes", community, coupon.pk)
    html = manager_client.get(address).content.decode()
    assert "1 code issued, 1 left in the pool." in html and "CAFE-1" in html and member.user.handle in html
    response = manager_client.post(address, {"codes": "CAFE-2\nCAFE-3\nCAFE-4"}, follow=True)
    assert "2 codes added." in response.content.decode()
    response = manager_client.post(address, {"codes": "CAFE-3"}, follow=True)
    assert "No new codes" in response.content.decode()
    response = manager_client.post(address, {"codes": "x" * 101})
    assert response.status_code == 422


@pytest.mark.parametrize("name", ["new_perk", "perk_codes", "edit_perk"])
def test_members_cannot_reach_the_managers_pages(member_client, community, coupon, name):
    args = [] if name == "new_perk" else [coupon.pk]
    assert member_client.get(url(name, community, *args)).status_code == 403


def test_the_perks_page_costs_the_same_queries_for_15_perks_as_for_3(community, make_member, ladder):
    member = make_member(Role.MEMBER)
    give(community, member.user, 5)
    space = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED)
    client = Client()
    client.force_login(member.user)
    counts = []
    for total in (3, 15):
        while Perk.objects.count() < total:
            n = Perk.objects.count()
            if n % 3 == 0:
                perk = Perk.objects.create(
                    community=community, name=f"S{n}", kind=PerkKind.SPACE, space=space, min_rank=ladder[0]
                )
            else:
                perk = Perk.objects.create(
                    community=community, name=f"C{n}", kind=PerkKind.CODE, min_rank=ladder[50], roles=["expert"]
                )
                PerkCode.objects.create(perk=perk, code=f"K{n}")
                if n % 3 == 1:
                    perks.claim_perk(user=member.user, perk=perk)
        client.get(url("perks", community))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("perks", community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    manager = MembershipFactory(community=community, role=Role.MANAGER).user
    client.force_login(manager)
    assert client.get(url("perks", community)).status_code == 200
