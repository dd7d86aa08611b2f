"""Perks: who may have one, and codes issued once per eligible member."""

from __future__ import annotations

import pytest

from belong.communities.models import MembershipState, Role
from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated
from belong.core.models import Activity
from belong.recognition import ledger, perks
from belong.recognition.defaults import ranks_of
from belong.recognition.events import PerkClaimed
from belong.recognition.models import Perk, PerkCode, PerkKind, RuleKey
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "bg": ("Отстъпка за кафе", "Код за 20% отстъпка в магазина."),
    "pt": ("Desconto no café", "Um código de 20% na loja, ação limitada."),
    "af": ("Afslag op koffie", "’n Kode vir 20% afslag in die winkel."),
}


def give(community, user, times=1, start=0):
    for n in range(start, start + times):
        ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"test:{n}")


@pytest.fixture
def ladder(community):
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


@pytest.fixture
def code_perk(community, manager, ladder):
    """A perk with a pool of two codes, for Regulars (250 points) and up."""
    return perks.create_perk(
        actor=manager.user,
        community=community,
        name="Koffie",
        kind=PerkKind.CODE,
        min_rank=ladder[250],
        codes=["KOFFIE-1", "KOFFIE-2"],
    )


# Creating and changing perks


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_a_manager_offers_a_code_perk_with_a_cleaned_pool(community, manager, ladder, language):
    name, description = TEXTS[language]
    perk = perks.create_perk(
        actor=manager.user,
        community=community,
        name=f" {name} ",
        description=description,
        kind=PerkKind.CODE,
        min_rank=ladder[50],
        roles=[Role.EXPERT, Role.EXPERT],
        codes=["  ÁBC-1 ", "", "ÁBC-1", "ДЕФ-2", "   "],
    )
    assert (perk.name, perk.description, perk.roles) == (name, description, ["expert"])
    assert list(perk.codes.values_list("code", flat=True)) == ["ÁBC-1", "ДЕФ-2"]
    activity = Activity.objects.get(verb=perks.Verb.PERK_CREATED)
    assert activity.actor == manager.user and activity.data == {"kind": "code", "codes": 2}


def test_a_code_longer_than_100_characters_is_refused(community, manager, ladder):
    with pytest.raises(Invalid) as refused:
        perks.create_perk(
            actor=manager.user, community=community, name="Lang", kind=PerkKind.CODE, min_rank=ladder[50],
            codes=["x" * 101],
        )  # fmt: skip
    assert set(refused.value.errors) == {"codes"}
    assert not Perk.objects.exists()


def test_a_perk_needs_a_rank_or_a_role(community, manager):
    with pytest.raises(Invalid) as refused:
        perks.create_perk(actor=manager.user, community=community, name="Niemand", kind=PerkKind.CODE)
    assert set(refused.value.errors) == {"min_rank", "roles"}


def test_unknown_roles_and_kinds_are_refused(community, manager, ladder):
    with pytest.raises(Invalid) as refused:
        perks.create_perk(actor=manager.user, community=community, name="X", kind=PerkKind.CODE, roles=["wizard"])
    assert "wizard" in refused.value.detail and set(refused.value.errors) == {"roles"}
    with pytest.raises(Invalid) as refused:
        perks.create_perk(actor=manager.user, community=community, name="X", kind="voucher", min_rank=ladder[0])
    assert set(refused.value.errors) == {"kind"}


def test_a_space_perk_needs_a_restricted_space_of_the_community(community, manager, ladder):
    def make(**kwargs):
        return perks.create_perk(
            actor=manager.user, community=community, name="Agter die skerms", kind=PerkKind.SPACE,
            min_rank=ladder[250], **kwargs,
        )  # fmt: skip

    for space in (None, SpaceFactory(community=community), SpaceFactory(visibility="restricted")):
        with pytest.raises(Invalid) as refused:
            make(space=space)
        assert set(refused.value.errors) == {"space"}
    with pytest.raises(Invalid) as refused:
        make(space=SpaceFactory(community=community, visibility="restricted"), codes=["A"])
    assert set(refused.value.errors) == {"codes"}


def test_a_code_perk_has_no_space_and_a_rank_of_another_community_is_refused(community, manager, ladder):
    space = SpaceFactory(community=community, visibility="restricted")
    with pytest.raises(Invalid) as refused:
        perks.create_perk(
            actor=manager.user, community=community, name="X", kind=PerkKind.CODE, min_rank=ladder[0], space=space
        )
    assert set(refused.value.errors) == {"space"}
    elsewhere = RankFactory(community=CommunityFactory())
    with pytest.raises(Invalid) as refused:
        perks.create_perk(actor=manager.user, community=community, name="X", kind=PerkKind.CODE, min_rank=elsewhere)
    assert set(refused.value.errors) == {"min_rank"}


def test_a_manager_changes_and_switches_off_a_perk(community, manager, code_perk, ladder):
    perk = perks.update_perk(
        actor=manager.user, perk=code_perk, name="Café", min_rank=ladder[1000], roles=["ambassador"]
    )
    assert (perk.name, perk.min_rank, perk.roles) == ("Café", ladder[1000], ["ambassador"])
    perks.update_perk(actor=manager.user, perk=perk, is_active=False)
    perk.refresh_from_db()
    assert perk.is_active is False
    assert [a.data for a in Activity.objects.filter(verb=perks.Verb.PERK_UPDATED).order_by("id")] == [
        {"changed": ["min_rank", "name", "roles"]},
        {"changed": ["is_active"]},
    ]
    with pytest.raises(Invalid):
        perks.update_perk(actor=manager.user, perk=perk, kind=PerkKind.SPACE)
    with pytest.raises(Invalid):
        perks.update_perk(actor=manager.user, perk=perk, min_rank=None, roles=[])


def test_codes_are_added_to_the_pool_once(community, manager, code_perk):
    assert perks.add_codes(actor=manager.user, perk=code_perk, codes=["KOFFIE-2", "KOFFIE-3", " KOFFIE-3 "]) == 1
    assert perks.add_codes(actor=manager.user, perk=code_perk, codes=["KOFFIE-3"]) == 0
    assert sorted(code_perk.codes.values_list("code", flat=True)) == ["KOFFIE-1", "KOFFIE-2", "KOFFIE-3"]
    with pytest.raises(Invalid):
        perks.add_codes(actor=manager.user, perk=code_perk, codes=["", "  "])


def test_a_space_perk_takes_no_codes(community, manager, ladder):
    space = SpaceFactory(community=community, visibility="restricted")
    perk = perks.create_perk(
        actor=manager.user, community=community, name="Binne", kind=PerkKind.SPACE, min_rank=ladder[50], space=space
    )
    with pytest.raises(Invalid) as refused:
        perks.add_codes(actor=manager.user, perk=perk, codes=["A"])
    assert set(refused.value.errors) == {"codes"}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.AMBASSADOR])
def test_only_managers_manage_perks(community, make_member, code_perk, ladder, role):
    someone = make_member(role).user
    with pytest.raises(NotAllowed):
        perks.create_perk(actor=someone, community=community, name="X", kind=PerkKind.CODE, min_rank=ladder[0])
    with pytest.raises(NotAllowed):
        perks.update_perk(actor=someone, perk=code_perk, name="Mine")
    with pytest.raises(NotAllowed):
        perks.add_codes(actor=someone, perk=code_perk, codes=["MINE"])


# Eligibility


def test_eligibility_follows_the_rank_and_the_roles(community, make_member, ladder):
    perk = Perk.objects.create(
        community=community, name="P", kind=PerkKind.CODE, min_rank=ladder[250], roles=["expert"]
    )
    regular, contributor, newcomer = make_member(), make_member(), make_member()
    expert = make_member(Role.EXPERT)
    give(community, regular.user, times=5)
    give(community, contributor.user, times=1)
    assert perks.is_eligible(regular, perk) is True
    assert perks.is_eligible(contributor, perk) is False
    assert perks.is_eligible(expert, perk) is True  # by role, without points
    assert perks.is_eligible(newcomer, perk) is False
    assert perks.is_eligible(None, perk) is False
    suspended = make_member(Role.EXPERT, state=MembershipState.SUSPENDED)
    assert perks.is_eligible(suspended, perk) is False


def test_a_perk_of_the_0_point_rank_is_for_every_active_member(community, make_member, ladder):
    perk = Perk.objects.create(community=community, name="Welkom", kind=PerkKind.CODE, min_rank=ladder[0])
    assert perks.is_eligible(make_member(), perk) is True


def test_perks_for_tells_each_perk_what_unlocks_it_and_the_members_code(community, member, code_perk, ladder):
    open_to_all = Perk.objects.create(community=community, name="Almal", kind=PerkKind.CODE, min_rank=ladder[0])
    Perk.objects.create(community=community, name="Af", kind=PerkKind.CODE, min_rank=ladder[0], is_active=False)
    for_experts = Perk.objects.create(community=community, name="Kenners", kind=PerkKind.CODE, roles=["expert"])
    code = perks.claim_perk(user=member.user, perk=open_to_all)
    rows = {row.perk.name: row for row in perks.perks_for(member)}
    assert list(rows) == ["Almal", "Kenners", "Koffie"]
    assert rows["Almal"].eligible and rows["Almal"].code == code
    assert not rows["Koffie"].eligible and rows["Koffie"].unlock == "Reach the rank “Regular” to unlock it."
    assert rows["Koffie"].code is None
    assert rows[for_experts.name].unlock == "Only for these roles: Expert."


# Claiming


def test_an_eligible_member_claims_the_first_code_of_the_pool(
    community, member, code_perk, published, django_capture_on_commit_callbacks
):
    give(community, member.user, times=5)
    with django_capture_on_commit_callbacks(execute=True):
        code = perks.claim_perk(user=member.user, perk=code_perk)
    assert (code.code, code.user, code.issued_at is not None) == ("KOFFIE-1", member.user, True)
    claimed = [event for event in published if isinstance(event, PerkClaimed)]
    assert [(e.perk_id, e.user_id) for e in claimed] == [(code_perk.pk, member.user_id)]
    activity = Activity.objects.get(verb=perks.Verb.CLAIMED)
    assert (activity.actor, activity.recipient, activity.data) == (member.user, member.user, {"code": code.pk})


def test_claiming_again_returns_the_same_code(
    community, member, code_perk, published, django_capture_on_commit_callbacks
):
    give(community, member.user, times=5)
    first = perks.claim_perk(user=member.user, perk=code_perk)
    with django_capture_on_commit_callbacks(execute=True):
        again = perks.claim_perk(user=member.user, perk=code_perk)
    assert again.pk == first.pk
    assert PerkCode.objects.filter(perk=code_perk, user=member.user).count() == 1
    assert PerkCode.objects.filter(perk=code_perk, issued_at__isnull=True).count() == 1
    assert Activity.objects.filter(verb=perks.Verb.CLAIMED).count() == 1
    assert not [event for event in published if isinstance(event, PerkClaimed)]


def test_a_member_below_the_rank_is_told_which_rank_unlocks_it(community, member, code_perk):
    give(community, member.user, times=1)
    with pytest.raises(NotAllowed) as refused:
        perks.claim_perk(user=member.user, perk=code_perk)
    assert refused.value.detail == "Reach the rank “Regular” to unlock it."
    assert not PerkCode.objects.filter(user=member.user).exists()


def test_a_role_perk_tells_which_roles_unlock_it_and_serves_those_roles(community, make_member):
    perk = Perk.objects.create(community=community, name="Ambassadeurs", kind=PerkKind.CODE, roles=["ambassador"])
    with pytest.raises(NotAllowed) as refused:
        perks.claim_perk(user=make_member().user, perk=perk)
    assert refused.value.detail == "Only for these roles: Ambassador."
    code = perks.claim_perk(user=make_member(Role.AMBASSADOR).user, perk=perk)
    assert len(code.code) == 10 and code.code == code.code.upper()


def test_a_perk_that_never_had_a_pool_generates_a_code_per_member(community, make_member, ladder):
    perk = Perk.objects.create(community=community, name="Welkom", kind=PerkKind.CODE, min_rank=ladder[0])
    codes = {perks.claim_perk(user=make_member().user, perk=perk).code for _ in range(3)}
    assert len(codes) == 3
    assert all(len(code) == 10 for code in codes)


def test_when_the_pool_runs_out_there_are_no_codes_left(community, make_member, code_perk):
    claimers = [make_member().user for _ in range(3)]
    for n, user in enumerate(claimers):
        give(community, user, times=5, start=n * 10)
    issued = [perks.claim_perk(user=user, perk=code_perk).code for user in claimers[:2]]
    assert issued == ["KOFFIE-1", "KOFFIE-2"]
    with pytest.raises(Conflict) as refused:
        perks.claim_perk(user=claimers[2], perk=code_perk)
    assert "No codes left" in refused.value.detail
    assert PerkCode.objects.filter(perk=code_perk).count() == 2


def test_a_pool_added_later_is_not_topped_up_with_generated_codes(community, manager, make_member, ladder):
    perk = perks.create_perk(actor=manager.user, community=community, name="W", kind=PerkKind.CODE, min_rank=ladder[0])
    perks.claim_perk(user=make_member().user, perk=perk)  # generated
    perks.add_codes(actor=manager.user, perk=perk, codes=["POOL-1"])
    assert perks.claim_perk(user=make_member().user, perk=perk).code == "POOL-1"
    with pytest.raises(Conflict):
        perks.claim_perk(user=make_member().user, perk=perk)


def test_a_switched_off_or_space_perk_cannot_be_claimed(community, manager, member, code_perk, ladder):
    give(community, member.user, times=5)
    perks.update_perk(actor=manager.user, perk=code_perk, is_active=False)
    with pytest.raises(Conflict):
        perks.claim_perk(user=member.user, perk=code_perk)
    space = SpaceFactory(community=community, visibility="restricted")
    space_perk = Perk.objects.create(
        community=community, name="S", kind=PerkKind.SPACE, min_rank=ladder[0], space=space
    )
    with pytest.raises(Invalid):
        perks.claim_perk(user=member.user, perk=space_perk)


def test_only_active_members_claim(community, user, make_member, code_perk):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        perks.claim_perk(user=AnonymousUser(), perk=code_perk)
    with pytest.raises(NotAllowed):
        perks.claim_perk(user=user, perk=code_perk)
    banned = make_member(state=MembershipState.BANNED).user
    give(community, banned, times=5)
    with pytest.raises(NotAllowed):
        perks.claim_perk(user=banned, perk=code_perk)
