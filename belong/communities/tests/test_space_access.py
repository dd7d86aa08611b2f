"""People let into a restricted space by name (SpaceAccess), beside the roles the space allows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities.actions import Verb, grant_space_access, revoke_space_access
from belong.communities.models import Community, MembershipState, Role, Space, SpaceAccess, SpaceVisibility
from belong.communities.permissions import Action, can, forget_memberships, granted_spaces
from belong.communities.queries import spaces_visible_to
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.models import Activity

pytestmark = pytest.mark.django_db


def restricted(community: Community, *roles: str, name: str = "Binnekring") -> Space:
    space: Space = SpaceFactory(
        community=community, name=name, visibility=SpaceVisibility.RESTRICTED, allowed_roles=list(roles)
    )
    return space


def fresh(user: Any) -> Any:
    """The same person in a new request: nothing cached on them."""
    return type(user).objects.get(pk=user.pk) if getattr(user, "pk", None) else AnonymousUser()


def let_in(space: Space, user: Any) -> SpaceAccess:
    access: SpaceAccess = SpaceAccess.objects.create(space=space, user=user)
    return access


# Who sees a space restricted to experts, with and without being let in by name.
KINDS = ["member", "expert", "moderator", "suspended", "left", "outsider"]
SEES_WITHOUT = {"expert", "moderator"}
SEES_WITH = {"member", "expert", "moderator"}  # access by name needs an active membership too


def someone(kind: str, community: Community) -> Any:
    if kind == "outsider":
        return UserFactory()
    state = {"suspended": MembershipState.SUSPENDED, "left": MembershipState.LEFT}.get(kind, MembershipState.ACTIVE)
    role = {"expert": Role.EXPERT, "moderator": Role.MODERATOR}.get(kind, Role.MEMBER)
    return MembershipFactory(
        community=community, role=role, state=state, suspended_until=timezone.now() + timedelta(days=2)
    ).user


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("with_access", [False, True], ids=["not let in", "let in"])
def test_a_restricted_space_is_seen_with_access_or_an_allowed_role(community, kind, with_access):
    space = restricted(community, Role.EXPERT)
    user = someone(kind, community)
    if with_access:
        let_in(space, user)
    sees = kind in (SEES_WITH if with_access else SEES_WITHOUT)
    assert can(user, Action.VIEW_SPACE, space) is sees
    assert can(user, Action.POST_IN_SPACE, space) is sees
    assert (space in spaces_visible_to(user, community)) is sees


def test_access_to_one_space_opens_no_other(community, member):
    inner, other = restricted(community, name="Binnekring"), restricted(community, name="Вътрешен кръг")
    let_in(inner, member.user)
    assert can(member.user, Action.VIEW_SPACE, inner)
    assert not can(member.user, Action.VIEW_SPACE, other)
    assert list(spaces_visible_to(member.user, community).filter(visibility=SpaceVisibility.RESTRICTED)) == [inner]


def test_access_in_another_community_opens_nothing_here(community, member):
    elsewhere = CommunityFactory()
    MembershipFactory(community=elsewhere, user=member.user)
    theirs = restricted(elsewhere)
    ours = restricted(community)
    let_in(theirs, member.user)
    assert granted_spaces(member.user, community) == frozenset()
    assert not can(member.user, Action.VIEW_SPACE, ours)
    assert can(member.user, Action.VIEW_SPACE, theirs)


def test_guests_see_no_restricted_space_whatever_the_access(community):
    space = restricted(community)
    assert not can(AnonymousUser(), Action.VIEW_SPACE, space)
    assert space not in spaces_visible_to(AnonymousUser(), community)
    assert granted_spaces(AnonymousUser(), community) == frozenset()


def test_an_archived_space_one_was_let_into_is_read_but_not_posted_in(community, member):
    space = restricted(community)
    space.is_archived = True
    space.save(update_fields=["is_archived"])
    let_in(space, member.user)
    assert can(member.user, Action.VIEW_SPACE, space)
    assert not can(member.user, Action.POST_IN_SPACE, space)


# --- Cost and caching ---------------------------------------------------------------------------


def _cost(user: Any, community: Community) -> tuple[int, list[Space]]:
    user = fresh(user)
    with CaptureQueriesContext(connection) as captured:
        spaces = list(spaces_visible_to(user, community))
    return len(captured), spaces


def test_spaces_visible_to_costs_the_same_with_accesses_as_without(community, member, make_member):
    SpaceFactory(community=community)
    SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    inner = [restricted(community, name=f"Binne {n}") for n in range(3)]
    restricted(community, Role.EXPERT, name="Experts")
    without, seen_without = _cost(member.user, community)
    for space in inner:
        let_in(space, member.user)
    with_access, seen_with = _cost(member.user, community)
    assert with_access == without
    assert without <= 3  # the membership, the restricted spaces with their access, the spaces
    assert set(seen_with) - set(seen_without) == set(inner)
    # Roles that see every space skip the access check altogether.
    manager_cost, seen_by_manager = _cost(make_member(Role.MANAGER).user, community)
    assert manager_cost <= without
    assert set(inner) <= set(seen_by_manager)


def test_accesses_are_read_once_per_person_and_community(community, member, django_assert_num_queries):
    spaces = [restricted(community, name=f"Binne {n}") for n in range(4)]
    let_in(spaces[0], member.user)
    user = fresh(member.user)
    can(user, Action.VIEW_MEMBERS, community)  # the membership, read and cached
    with django_assert_num_queries(1):
        results = [can(user, Action.VIEW_SPACE, space) for space in spaces]
    assert results == [True, False, False, False]


def test_forget_memberships_drops_the_cached_accesses(community, member):
    space = restricted(community)
    user = fresh(member.user)
    assert not can(user, Action.VIEW_SPACE, space)
    let_in(space, user)
    assert not can(user, Action.VIEW_SPACE, space)  # still the answer cached for this request
    forget_memberships(user)
    assert can(user, Action.VIEW_SPACE, space)
    SpaceAccess.objects.filter(space=space, user=user).delete()
    assert can(user, Action.VIEW_SPACE, space)
    forget_memberships(user)
    assert not can(user, Action.VIEW_SPACE, space)


def test_forget_memberships_accepts_nobody():
    forget_memberships(None)


# --- Granting and revoking ----------------------------------------------------------------------


def test_granting_lets_in_at_once_and_is_logged_once(community, member, manager):
    space = restricted(community)
    user = member.user
    assert not can(user, Action.VIEW_SPACE, space)  # cached on the user: the grant must clear it
    access = grant_space_access(space=space, user=user, granted_by=manager.user)
    assert (access.space, access.user, access.granted_by) == (space, user, manager.user)
    assert can(user, Action.VIEW_SPACE, space)
    again = grant_space_access(space=space, user=user, granted_by=manager.user)
    assert again.pk == access.pk
    entries = Activity.objects.filter(verb=Verb.SPACE_ACCESS_GRANTED)
    assert [(e.actor_id, e.community_id, e.target_id, e.data) for e in entries] == [
        (manager.user.pk, community.pk, str(space.pk), {"user": user.pk})
    ]


def test_revoking_shuts_out_at_once_and_is_logged_once(community, member, manager):
    space = restricted(community)
    user = member.user
    grant_space_access(space=space, user=user, granted_by=manager.user)
    assert can(user, Action.VIEW_SPACE, space)
    revoke_space_access(space=space, user=user, revoked_by=manager.user)
    assert not can(user, Action.VIEW_SPACE, space)
    assert space not in spaces_visible_to(user, community)
    revoke_space_access(space=space, user=user, revoked_by=manager.user)
    assert not SpaceAccess.objects.exists()
    assert Activity.objects.filter(verb=Verb.SPACE_ACCESS_REVOKED).count() == 1


def test_revoking_access_leaves_what_the_role_allows(community, make_member, manager):
    expert = make_member(Role.EXPERT).user
    space = restricted(community, Role.EXPERT)
    grant_space_access(space=space, user=expert, granted_by=manager.user)
    revoke_space_access(space=space, user=expert, revoked_by=manager.user)
    assert can(expert, Action.VIEW_SPACE, space)


def test_accesses_go_with_their_space(community, member):
    space = restricted(community)
    let_in(space, member.user)
    space.delete()
    assert not SpaceAccess.objects.exists()
