"""Exclusive spaces: a space perk opens a restricted space to eligible members and closes it when they
no longer qualify, leaving alone every access someone granted by hand or through a beta group."""

from __future__ import annotations

import pytest

from belong.communities import actions as community_actions
from belong.communities.models import Role, SpaceAccess, SpaceVisibility
from belong.communities.permissions import Action, can, forget_memberships
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.models import Activity
from belong.recognition import ledger, perks, ranks
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Perk, PerkKind, RuleKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(community):
    return {rank.min_points: rank for rank in ranks_of(community.pk)}


@pytest.fixture
def backstage(community):
    return SpaceFactory(community=community, name="Agter die skerms", visibility=SpaceVisibility.RESTRICTED)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a callable and everything it leaves for after the commit (events, tasks)."""

    def call(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return call


def give(community, user, source, times=1):
    """50 points per time (the idea-shipped rule), under `source:n`."""
    for n in range(times):
        ledger.award(community_id=community.pk, user_id=user.pk, rule=RuleKey.IDEA_SHIPPED, source=f"{source}:{n}")


def inside(user, space):
    forget_memberships(user)
    return can(user, Action.VIEW_SPACE, space)


def has_access(user, space):
    return SpaceAccess.objects.filter(space=space, user=user).exists()


def space_perk(run, manager, community, space, **kwargs):
    return run(
        perks.create_perk,
        actor=manager.user,
        community=community,
        name=kwargs.pop("name", "Backstage"),
        kind=PerkKind.SPACE,
        space=space,
        **kwargs,
    )


def test_reaching_the_rank_opens_the_space_and_a_reversal_closes_it(community, manager, member, backstage, ladder, run):
    space_perk(run, manager, community, backstage, min_rank=ladder[250])
    assert not inside(member.user, backstage)
    run(give, community, member.user, "shipped", times=4)  # 200: Contributor
    assert not has_access(member.user, backstage)
    run(give, community, member.user, "more", times=1)  # 250: Regular
    assert inside(member.user, backstage)
    access = SpaceAccess.objects.get(space=backstage, user=member.user)
    assert access.granted_by is None
    granted = Activity.objects.get(verb=perks.Verb.ACCESS_GRANTED, recipient=member.user)
    assert granted.target == backstage
    run(ledger.reverse, community_id=community.pk, source="more:0")  # back to 200
    assert not inside(member.user, backstage)
    assert Activity.objects.filter(verb=perks.Verb.ACCESS_REVOKED, recipient=member.user).count() == 1
    assert Activity.objects.filter(verb=community_actions.Verb.SPACE_ACCESS_REVOKED).count() == 1


def test_a_new_space_perk_opens_the_space_to_everyone_already_holding_the_rank(
    community, manager, make_member, backstage, ladder, run
):
    regulars = [make_member().user for _ in range(3)]
    for n, user in enumerate(regulars):
        give(community, user, f"r{n}", times=5)
    contributor = make_member().user
    give(community, contributor, "c", times=1)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    holders = set(SpaceAccess.objects.filter(space=backstage).values_list("user_id", flat=True))
    assert holders == {user.pk for user in regulars}
    assert perks.sync_space_perk(perk) == (0, 0)  # idempotent


def test_raising_the_rank_or_switching_the_perk_off_closes_the_space(
    community, manager, make_member, backstage, ladder, run
):
    regular, champion = make_member().user, make_member().user
    give(community, regular, "r", times=5)
    give(community, champion, "c", times=20)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    assert has_access(regular, backstage) and has_access(champion, backstage)
    run(perks.update_perk, actor=manager.user, perk=perk, min_rank=ladder[1000])
    assert not has_access(regular, backstage) and has_access(champion, backstage)
    run(perks.update_perk, actor=manager.user, perk=perk, is_active=False)
    assert not SpaceAccess.objects.filter(space=backstage).exists()
    run(perks.update_perk, actor=manager.user, perk=perk, is_active=True)
    assert has_access(champion, backstage) and not has_access(regular, backstage)


def test_moving_the_perk_to_another_space_moves_the_access(community, manager, member, backstage, ladder, run):
    give(community, member.user, "m", times=5)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    elsewhere = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED)
    run(perks.update_perk, actor=manager.user, perk=perk, space=elsewhere)
    assert not has_access(member.user, backstage) and has_access(member.user, elsewhere)


def test_a_member_keeps_the_space_while_another_perk_of_it_still_applies(
    community, manager, make_member, backstage, ladder, run
):
    expert = make_member(Role.EXPERT).user
    give(community, expert, "e", times=5)
    by_rank = space_perk(run, manager, community, backstage, min_rank=ladder[250], name="Regulars")
    space_perk(run, manager, community, backstage, roles=[Role.EXPERT], name="Experts")
    run(perks.update_perk, actor=manager.user, perk=by_rank, is_active=False)
    assert has_access(expert, backstage)


def test_a_role_perk_follows_role_changes(community, manager, member, backstage, run):
    space_perk(run, manager, community, backstage, roles=[Role.AMBASSADOR, Role.EXPERT])
    assert not has_access(member.user, backstage)
    run(community_actions.change_role, actor=manager.user, membership=member, role=Role.AMBASSADOR)
    assert inside(member.user, backstage)
    member.refresh_from_db()
    run(community_actions.change_role, actor=manager.user, membership=member, role=Role.MEMBER)
    assert not has_access(member.user, backstage)


def test_a_ban_closes_the_space_and_reinstating_opens_it_again(community, manager, member, backstage, ladder, run):
    give(community, member.user, "m", times=5)
    space_perk(run, manager, community, backstage, min_rank=ladder[250])
    run(community_actions.ban_member, actor=manager.user, membership=member, reason="Spam, ná drie waarskuwings.")
    assert not has_access(member.user, backstage)
    member.refresh_from_db()
    run(community_actions.reinstate_member, actor=manager.user, membership=member)
    assert has_access(member.user, backstage)


def test_leaving_closes_the_space(community, manager, member, backstage, ladder, run):
    space_perk(run, manager, community, backstage, min_rank=ladder[0])
    assert has_access(member.user, backstage)
    run(community_actions.leave_community, user=member.user, community=community)
    assert not has_access(member.user, backstage)


def test_an_access_granted_by_hand_is_never_revoked(community, manager, make_member, backstage, ladder, run):
    guest = make_member().user  # no points: not eligible
    community_actions.grant_space_access(space=backstage, user=guest, granted_by=manager.user)
    regular = make_member().user
    give(community, regular, "r", times=5)
    community_actions.grant_space_access(space=backstage, user=regular, granted_by=manager.user)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    run(perks.update_perk, actor=manager.user, perk=perk, is_active=False)
    assert has_access(guest, backstage) and has_access(regular, backstage)
    assert perks.sync_member(community.pk, guest.pk) == (0, 0)


def test_an_older_access_without_a_granter_is_not_taken_over(community, manager, make_member, backstage, ladder, run):
    """A beta group's access whose inviter is gone has no granter either: the perk found it there, so it stays."""
    tester = make_member().user
    give(community, tester, "t", times=5)
    community_actions.grant_space_access(space=backstage, user=tester, granted_by=None)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    assert not Activity.objects.filter(verb=perks.Verb.ACCESS_GRANTED).exists()
    run(perks.update_perk, actor=manager.user, perk=perk, is_active=False)
    assert has_access(tester, backstage)


def test_an_access_the_perk_gave_and_a_manager_then_granted_stays(
    community, manager, make_member, backstage, ladder, run
):
    regular = make_member().user
    give(community, regular, "r", times=5)
    perk = space_perk(run, manager, community, backstage, min_rank=ladder[250])
    assert SpaceAccess.objects.get(space=backstage, user=regular).via == perks.PERK_ACCESS
    community_actions.grant_space_access(space=backstage, user=regular, granted_by=manager.user)
    run(perks.update_perk, actor=manager.user, perk=perk, is_active=False)
    assert has_access(regular, backstage)


def test_a_rank_change_on_the_ladder_opens_the_space(community, manager, member, backstage, ladder, run):
    give(community, member.user, "m", times=3)  # 150
    space_perk(run, manager, community, backstage, min_rank=ladder[250])
    assert not has_access(member.user, backstage)
    run(ranks.update_rank, actor=manager.user, rank=ladder[250], min_points=150)
    assert has_access(member.user, backstage)


def test_other_communities_are_untouched(community, manager, member, backstage, ladder, run):
    other = CommunityFactory()
    their_space = SpaceFactory(community=other, visibility=SpaceVisibility.RESTRICTED)
    them = MembershipFactory(community=other).user
    Perk.objects.create(community=other, name="Theirs", kind=PerkKind.SPACE, space=their_space, roles=["member"])
    space_perk(run, manager, community, backstage, min_rank=ladder[0])
    assert has_access(member.user, backstage) and not has_access(them, backstage)
    assert not SpaceAccess.objects.filter(space=their_space).exists()


def test_without_space_perks_no_task_runs(community, member, monkeypatch, run):
    calls = []
    monkeypatch.setattr(perks, "sync_member", lambda *args: calls.append(args))
    run(give, community, member.user, "m", times=5)
    assert calls == []
    Perk.objects.create(community=community, name="Later", kind=PerkKind.SPACE, roles=["member"])
    run(give, community, member.user, "more", times=20)
    assert calls == [(community.pk, member.user_id)]
