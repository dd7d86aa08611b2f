"""Who may do what: the role × action matrix, written out as the documentation of the rules.

Each table below names, for one action, every kind of person allowed to do it; everyone else is
refused. Kinds of person:

- the seven roles of an *active* membership: owner … member (a plain member has trust level 0);
- ``guest``: not signed in;
- ``outsider``: signed in, no membership of the community;
- ``pending`` / ``suspended`` / ``banned`` / ``left``: a membership (role member) in that state;
- ``operator``: a Django superuser without a membership (operators act as owners).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities.models import (
    Community,
    Invitation,
    JoinPolicy,
    MembershipState,
    Role,
    Space,
    SpaceVisibility,
)
from belong.communities.permissions import Action, can, check
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.errors import NotAllowed, NotAuthenticated

OWNER, MANAGER, STAFF, MODERATOR = "owner", "manager", "staff", "moderator"
AMBASSADOR, EXPERT, MEMBER = "ambassador", "expert", "member"
GUEST, OUTSIDER, PENDING, SUSPENDED, BANNED, LEFT = "guest", "outsider", "pending", "suspended", "banned", "left"
OPERATOR = "operator"

ROLES = [OWNER, MANAGER, STAFF, MODERATOR, AMBASSADOR, EXPERT, MEMBER]
NOT_TAKING_PART = [GUEST, OUTSIDER, PENDING, SUSPENDED, BANNED, LEFT]
EVERYONE = frozenset([*ROLES, *NOT_TAKING_PART, OPERATOR])

# Shorthands for the tables.
ACTIVE = frozenset([*ROLES, OPERATOR])  # every active membership, and operators
MANAGERS = frozenset({OWNER, MANAGER, OPERATOR})
ABOVE_MEMBER = ACTIVE - {MEMBER}

# The rules, for an open community and (for the space actions) a public, unarchived space.
EXPECTED: dict[Action, frozenset[str]] = {
    Action.VIEW_COMMUNITY: EVERYONE,
    # Joining needs an account and no current membership; leaving lets you back in.
    Action.JOIN: frozenset({OUTSIDER, LEFT, OPERATOR}),
    Action.LEAVE: ACTIVE,
    Action.VIEW_MEMBERS: ACTIVE,
    Action.INVITE: frozenset({OWNER, MANAGER, STAFF, AMBASSADOR, OPERATOR}),
    Action.MANAGE_COMMUNITY: MANAGERS,
    Action.MANAGE_SPACES: MANAGERS,
    Action.MANAGE_MEMBERS: MANAGERS,
    Action.SUSPEND_MEMBERS: frozenset({OWNER, MANAGER, MODERATOR, OPERATOR}),
    Action.CHANGE_ROLE: MANAGERS,
    Action.VIEW_ACTIVITY: MANAGERS,
    Action.DELETE_COMMUNITY: frozenset({OWNER, OPERATOR}),
    Action.POST_OFFICIAL: frozenset({OWNER, MANAGER, STAFF, OPERATOR}),
    Action.MODERATE: frozenset({OWNER, MANAGER, STAFF, MODERATOR, OPERATOR}),
    Action.VIEW_SPACE: EVERYONE,
    Action.POST_IN_SPACE: ACTIVE,
    # Trust privileges: a plain member at trust level 0 has none; every role above member has all.
    Action.POST_LINKS: ABOVE_MEMBER,
    Action.ADD_FREE_TAGS: ABOVE_MEMBER,
    Action.FLAG: ABOVE_MEMBER,
    Action.CLOSE_OWN_THREAD: ABOVE_MEMBER,
    Action.EDIT_WIKI: ABOVE_MEMBER,
}

SPACE_ACTIONS = {Action.VIEW_SPACE, Action.POST_IN_SPACE}


def person(kind: str, community: Community, **membership_fields):
    """Return a user (or AnonymousUser) of the given kind for `community`."""
    if kind == GUEST:
        return AnonymousUser()
    if kind == OUTSIDER:
        return UserFactory()
    if kind == OPERATOR:
        return UserFactory(is_superuser=True, is_staff=True)
    if kind in ROLES:
        return MembershipFactory(community=community, role=kind, **membership_fields).user
    state = {
        PENDING: MembershipState.PENDING,
        SUSPENDED: MembershipState.SUSPENDED,
        BANNED: MembershipState.BANNED,
        LEFT: MembershipState.LEFT,
    }[kind]
    extra = {"suspended_until": timezone.now() + timedelta(days=3)} if kind == SUSPENDED else {}
    return MembershipFactory(community=community, role=Role.MEMBER, state=state, **extra, **membership_fields).user


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_role_action_matrix(kind, action):
    community = CommunityFactory(join_policy=JoinPolicy.OPEN)
    obj: Community | Space = SpaceFactory(community=community) if action in SPACE_ACTIONS else community
    user = person(kind, community)
    assert can(user, action, obj) is (kind in EXPECTED[action])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("policy", [JoinPolicy.APPROVAL, JoinPolicy.INVITE])
def test_who_may_join(kind, policy):
    """Approval communities take requests like open ones; invite-only ones take nobody directly."""
    community = CommunityFactory(join_policy=policy)
    allowed = {OUTSIDER, LEFT, OPERATOR} if policy == JoinPolicy.APPROVAL else set()
    assert can(person(kind, community), Action.JOIN, community) is (kind in allowed)


# --- Spaces: visibility and archiving -------------------------------------------------------

SEES_RESTRICTED = frozenset({OWNER, MANAGER, STAFF, MODERATOR, OPERATOR})
SPACES: dict[str, dict[str, object]] = {
    "public": {"visibility": SpaceVisibility.PUBLIC},
    "members": {"visibility": SpaceVisibility.MEMBERS},
    "restricted to experts": {"visibility": SpaceVisibility.RESTRICTED, "allowed_roles": [Role.EXPERT]},
    "restricted to nobody": {"visibility": SpaceVisibility.RESTRICTED, "allowed_roles": []},
    "archived public": {"visibility": SpaceVisibility.PUBLIC, "is_archived": True},
    "archived members": {"visibility": SpaceVisibility.MEMBERS, "is_archived": True},
}
SPACE_RULES: dict[tuple[str, Action], frozenset[str]] = {
    ("public", Action.VIEW_SPACE): EVERYONE,
    ("public", Action.POST_IN_SPACE): ACTIVE,
    ("members", Action.VIEW_SPACE): ACTIVE,
    ("members", Action.POST_IN_SPACE): ACTIVE,
    # Brand people and moderators see every restricted space; others only those naming their role.
    ("restricted to experts", Action.VIEW_SPACE): SEES_RESTRICTED | {EXPERT},
    ("restricted to experts", Action.POST_IN_SPACE): SEES_RESTRICTED | {EXPERT},
    ("restricted to nobody", Action.VIEW_SPACE): SEES_RESTRICTED,
    ("restricted to nobody", Action.POST_IN_SPACE): SEES_RESTRICTED,
    # Archived spaces stay readable; nobody posts in them.
    ("archived public", Action.VIEW_SPACE): EVERYONE,
    ("archived public", Action.POST_IN_SPACE): frozenset(),
    ("archived members", Action.VIEW_SPACE): ACTIVE,
    ("archived members", Action.POST_IN_SPACE): frozenset(),
}


def test_the_space_table_covers_every_space_and_action():
    assert set(SPACE_RULES) == {(space, action) for space in SPACES for action in SPACE_ACTIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize(("space_kind", "action"), sorted(SPACE_RULES), ids=lambda v: str(v))
def test_space_visibility(kind, space_kind, action):
    community = CommunityFactory()
    space = SpaceFactory(community=community, **SPACES[space_kind])
    assert can(person(kind, community), action, space) is (kind in SPACE_RULES[(space_kind, action)])


@pytest.mark.django_db
def test_space_actions_need_a_space(member):
    with pytest.raises(TypeError):
        can(member.user, Action.VIEW_SPACE, member.community)


# --- Trust levels ---------------------------------------------------------------------------

# The trust level a plain member needs for each privilege.
TRUST_NEEDED = {
    Action.POST_LINKS: 1,
    Action.ADD_FREE_TAGS: 1,
    Action.FLAG: 1,
    Action.CLOSE_OWN_THREAD: 2,
    Action.EDIT_WIKI: 3,
}


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("action", sorted(TRUST_NEEDED), ids=str)
def test_a_plain_member_earns_privileges_with_trust(make_member, level, action):
    membership = make_member(Role.MEMBER, trust_level=level)
    assert can(membership.user, action, membership.community) is (level >= TRUST_NEEDED[action])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.MEMBER])
@pytest.mark.parametrize("action", sorted(TRUST_NEEDED), ids=str)
def test_roles_above_member_have_every_privilege_at_trust_level_zero(make_member, role, action):
    membership = make_member(role, trust_level=0)
    assert can(membership.user, action, membership.community)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [MembershipState.PENDING, MembershipState.SUSPENDED, MembershipState.BANNED])
def test_trust_does_not_help_a_member_who_is_not_active(make_member, state):
    membership = make_member(
        Role.MEMBER, trust_level=4, state=state, suspended_until=timezone.now() + timedelta(days=1)
    )
    assert not any(can(membership.user, action, membership.community) for action in TRUST_NEEDED)


# --- Suspensions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_suspension_counts_as_active(make_member, space):
    membership = make_member(
        Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=timezone.now() - timedelta(minutes=1)
    )
    assert membership.is_active
    assert can(membership.user, Action.POST_IN_SPACE, space)
    assert can(membership.user, Action.VIEW_MEMBERS, membership.community)


@pytest.mark.django_db
def test_a_suspension_without_an_end_lasts(make_member, space):
    membership = make_member(Role.MEMBER, state=MembershipState.SUSPENDED, suspended_until=None)
    assert not membership.is_active
    assert not can(membership.user, Action.POST_IN_SPACE, space)


@pytest.mark.django_db
def test_a_suspended_manager_loses_the_role_while_suspended(make_member):
    membership = make_member(
        Role.MANAGER, state=MembershipState.SUSPENDED, suspended_until=timezone.now() + timedelta(days=1)
    )
    assert not can(membership.user, Action.MANAGE_COMMUNITY, membership.community)


@pytest.mark.django_db
def test_an_inactive_operator_has_no_powers(community):
    operator = UserFactory(is_superuser=True, is_active=False)
    assert not can(operator, Action.MANAGE_COMMUNITY, community)


# --- Rank: acting on another membership --------------------------------------------------------

# For CHANGE_ROLE and MANAGE_MEMBERS: whose membership each role may act on (owners on owners).
MANAGES = {
    Role.OWNER: set(Role),
    Role.MANAGER: {Role.STAFF, Role.MODERATOR, Role.AMBASSADOR, Role.EXPERT, Role.MEMBER},
}
# For SUSPEND_MEMBERS, moderators join in, below their own rank.
SUSPENDS = {
    **MANAGES,
    Role.MODERATOR: {Role.AMBASSADOR, Role.EXPERT, Role.MEMBER},
}
RANK_RULES = {Action.CHANGE_ROLE: MANAGES, Action.MANAGE_MEMBERS: MANAGES, Action.SUSPEND_MEMBERS: SUSPENDS}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(RANK_RULES), ids=str)
@pytest.mark.parametrize("actor_role", list(Role))
@pytest.mark.parametrize("target_role", list(Role))
def test_only_people_one_outranks_can_be_acted_on(make_member, action, actor_role, target_role):
    actor = make_member(actor_role)
    target = make_member(target_role)
    expected = target_role in RANK_RULES[action].get(actor_role, set())
    assert can(actor.user, action, target) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(RANK_RULES), ids=str)
@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.MODERATOR])
def test_nobody_acts_on_their_own_membership(make_member, action, role):
    membership = make_member(role)
    assert not can(membership.user, action, membership)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(RANK_RULES), ids=str)
def test_an_operator_may_act_on_an_owner(owner, action):
    operator = UserFactory(is_superuser=True)
    assert can(operator, action, owner)


@pytest.mark.django_db
def test_rank_is_checked_in_the_target_community(make_member):
    """A manager elsewhere has no say over a member here."""
    elsewhere = CommunityFactory()
    manager_elsewhere = make_member(Role.MANAGER, community=elsewhere)
    target = make_member(Role.MEMBER)
    assert not can(manager_elsewhere.user, Action.MANAGE_MEMBERS, target)


# --- Inviting with a role ---------------------------------------------------------------------

# The roles each inviting role may hand out through an invitation: only roles below its own.
INVITES = {
    Role.OWNER: set(Role),
    Role.MANAGER: {Role.STAFF, Role.MODERATOR, Role.AMBASSADOR, Role.EXPERT, Role.MEMBER},
    Role.STAFF: {Role.MODERATOR, Role.AMBASSADOR, Role.EXPERT, Role.MEMBER},
    Role.AMBASSADOR: {Role.MEMBER},
}


@pytest.mark.django_db
@pytest.mark.parametrize("inviter_role", list(Role))
@pytest.mark.parametrize("invited_role", list(Role))
def test_invitations_only_hand_out_lower_roles(make_member, inviter_role, invited_role):
    inviter = make_member(inviter_role)
    invitation = Invitation(community=inviter.community, role=invited_role, expires_at=timezone.now())
    expected = invited_role in INVITES.get(inviter_role, set())
    assert can(inviter.user, Action.INVITE, invitation) is expected


# --- check() ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_asks_a_guest_to_sign_in(community):
    with pytest.raises(NotAuthenticated):
        check(AnonymousUser(), Action.VIEW_MEMBERS, community)


@pytest.mark.django_db
def test_check_refuses_a_signed_in_person(member):
    with pytest.raises(NotAllowed):
        check(member.user, Action.MANAGE_COMMUNITY, member.community)


@pytest.mark.django_db
def test_check_passes_silently(manager):
    check(manager.user, "manage_community", manager.community)


@pytest.mark.django_db
def test_can_refuses_objects_outside_a_community(member):
    with pytest.raises(TypeError):
        can(member.user, Action.VIEW_COMMUNITY, member.user)


@pytest.mark.django_db
def test_the_membership_is_read_once_per_user(member, django_assert_num_queries):
    """Permission checks on one page must not query the membership again and again."""
    with django_assert_num_queries(1):
        for action in (Action.VIEW_MEMBERS, Action.INVITE, Action.FLAG, Action.LEAVE):
            can(member.user, action, member.community)
