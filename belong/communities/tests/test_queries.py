"""Reads used by pages and the API: what each person sees, and a fixed number of queries per list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities import queries
from belong.communities.models import Invitation, MembershipState, Role, SpaceVisibility
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.errors import NotFound

pytestmark = pytest.mark.django_db


def count_queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


# --- Spaces ----------------------------------------------------------------------------------


@pytest.fixture
def spaces(community):
    """One space of each kind, named after who may see it."""
    return {
        "public": SpaceFactory(community=community, slug="public", position=1),
        "members": SpaceFactory(community=community, slug="members", visibility=SpaceVisibility.MEMBERS, position=2),
        "experts": SpaceFactory(
            community=community,
            slug="experts",
            visibility=SpaceVisibility.RESTRICTED,
            allowed_roles=[Role.EXPERT],
            position=3,
        ),
        "brand": SpaceFactory(community=community, slug="brand", visibility=SpaceVisibility.RESTRICTED, position=4),
        "archive": SpaceFactory(community=community, slug="archive", is_archived=True, position=0),
    }


EVERY_SPACE = ["public", "members", "experts", "brand", "archive"]
VISIBLE: dict[str, list[str]] = {
    "guest": ["public", "archive"],
    "outsider": ["public", "archive"],
    "pending": ["public", "archive"],
    "banned": ["public", "archive"],
    Role.MEMBER: ["public", "members", "archive"],
    Role.AMBASSADOR: ["public", "members", "archive"],
    Role.EXPERT: ["public", "members", "experts", "archive"],
    Role.MODERATOR: EVERY_SPACE,
    Role.STAFF: EVERY_SPACE,
    Role.MANAGER: EVERY_SPACE,
    Role.OWNER: EVERY_SPACE,
    "operator": EVERY_SPACE,
}


def viewer(kind: str, community):
    if kind == "guest":
        return AnonymousUser()
    if kind == "outsider":
        return UserFactory()
    if kind == "operator":
        return UserFactory(is_superuser=True)
    if kind in ("pending", "banned"):
        return MembershipFactory(community=community, state=kind).user
    return MembershipFactory(community=community, role=kind).user


@pytest.mark.parametrize("kind", list(VISIBLE))
def test_spaces_visible_to_each_kind_of_person(community, spaces, kind):
    SpaceFactory(visibility=SpaceVisibility.PUBLIC)  # another community's space never shows
    visible = queries.spaces_visible_to(viewer(kind, community), community)
    # In order of position, archived spaces last.
    expected = [slug for slug in ["public", "members", "experts", "brand"] if slug in VISIBLE[kind]] + ["archive"]
    assert [space.slug for space in visible] == expected


def test_spaces_visible_to_runs_a_fixed_number_of_queries(community, django_assert_max_num_queries):
    member = MembershipFactory(community=community, role=Role.EXPERT).user
    SpaceFactory.create_batch(2, community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=["expert"])
    few = count_queries(lambda: [space.community.name for space in queries.spaces_visible_to(member, community)])
    SpaceFactory.create_batch(20, community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=["expert"])
    SpaceFactory.create_batch(20, community=community)
    member = type(member).objects.get(pk=member.pk)  # a new request: no cached membership
    with django_assert_max_num_queries(few):
        listed = [space.community.name for space in queries.spaces_visible_to(member, community)]
    assert len(listed) == 42


def test_get_space_finds_a_space_by_address_in_its_community(community, spaces):
    assert queries.get_space(community, "members") == spaces["members"]
    with pytest.raises(NotFound):
        queries.get_space(CommunityFactory(), "members")


# --- Communities --------------------------------------------------------------------------------


def test_the_directory_counts_only_active_members():
    community = CommunityFactory(name="Acme")
    for state in [MembershipState.ACTIVE, MembershipState.ACTIVE, MembershipState.PENDING, MembershipState.LEFT]:
        MembershipFactory(community=community, state=state)
    CommunityFactory(name="Zed")
    listed = list(queries.communities())
    assert [(c.name, getattr(c, "member_count", None)) for c in listed] == [("Acme", 2), ("Zed", 0)]


def test_the_directory_runs_one_query_whatever_its_length(django_assert_num_queries):
    for _ in range(15):
        MembershipFactory()
    with django_assert_num_queries(1):
        assert len([getattr(c, "member_count", None) for c in queries.communities()]) == 15


def test_get_community_finds_a_community_by_address(community):
    assert queries.get_community(community.slug) == community
    with pytest.raises(NotFound):
        queries.get_community("nowhere")


def test_communities_of_a_person_leave_out_those_they_left(user):
    kept = [
        MembershipFactory(user=user, community=CommunityFactory(name="B"), state=MembershipState.PENDING),
        MembershipFactory(user=user, community=CommunityFactory(name="A")),
    ]
    MembershipFactory(user=user, state=MembershipState.LEFT)
    assert list(queries.communities_of(user)) == [kept[1], kept[0]]


def test_communities_of_a_person_runs_one_query(user, django_assert_num_queries):
    for _ in range(10):
        MembershipFactory(user=user)
    with django_assert_num_queries(1):
        assert len([m.community.name for m in queries.communities_of(user)]) == 10


# --- Members ----------------------------------------------------------------------------------------


@pytest.fixture
def people(community):
    """A small community: who is who, by name."""
    return {
        "ana": MembershipFactory(community=community, user=UserFactory(handle="ana", display_name="Ana Lima")),
        "bob": MembershipFactory(
            community=community, user=UserFactory(handle="bob", display_name="Bob"), role=Role.MODERATOR
        ),
        "cat": MembershipFactory(
            community=community, user=UserFactory(handle="cat", display_name="Catalina"), state="pending"
        ),
        "dan": MembershipFactory(
            community=community, user=UserFactory(handle="dan", display_name="Dan"), role=Role.STAFF
        ),
        "eve": MembershipFactory(community=community, user=UserFactory(handle="eve", display_name="Eve"), state="left"),
        "own": MembershipFactory(
            community=community, user=UserFactory(handle="owner1", display_name="Olga"), role=Role.OWNER
        ),
    }


def handles(memberships) -> list[str]:
    return [m.user.handle for m in memberships]


def test_members_of_lists_active_members_newest_first(community, people):
    MembershipFactory()  # someone in another community
    assert handles(queries.members_of(community)) == ["owner1", "dan", "bob", "ana"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": None}, ["owner1", "eve", "dan", "cat", "bob", "ana"]),
        ({"state": MembershipState.PENDING}, ["cat"]),
        ({"state": MembershipState.LEFT}, ["eve"]),
        ({"role": Role.MODERATOR}, ["bob"]),
        ({"role": Role.EXPERT}, []),
        ({"search": "AN"}, ["dan", "ana"]),  # handle or display name, any case
        ({"search": "cat", "state": None}, ["cat"]),
        ({"search": "lima"}, ["ana"]),
        ({"search": "lina"}, []),  # Catalina is still pending
        ({"search": "a", "role": Role.STAFF}, ["dan"]),
    ],
    ids=str,
)
def test_members_of_filters(community, people, filters, expected):
    assert handles(queries.members_of(community, **filters)) == expected


def test_members_of_runs_one_query_whatever_its_length(community, manager, django_assert_num_queries):
    for _ in range(20):
        MembershipFactory(community=community, invited_by=manager.user)
    with django_assert_num_queries(1):
        rows = [
            (m.user.name, m.invited_by.name if m.invited_by else "", m.community.name)
            for m in queries.members_of(community)
        ]
    assert len(rows) == 21


def test_get_membership_only_finds_members_of_that_community(community, people):
    assert queries.get_membership(community, people["eve"].pk) == people["eve"]
    stranger = MembershipFactory()
    with pytest.raises(NotFound):
        queries.get_membership(community, stranger.pk)


def test_staff_of_lists_the_brands_people(community, people):
    assert handles(queries.staff_of(community)) == ["owner1", "dan"]


# --- Invitations ---------------------------------------------------------------------------------


def make_invitation(community, **fields) -> Invitation:
    fields.setdefault("expires_at", timezone.now() + timedelta(days=1))
    return Invitation.objects.create(community=community, **fields)


def test_invitations_of_can_leave_out_unusable_ones(community, manager):
    usable = make_invitation(community, inviter=manager.user)
    make_invitation(community, revoked_at=timezone.now())
    make_invitation(community, expires_at=timezone.now() - timedelta(days=1))
    make_invitation(CommunityFactory())
    assert len(queries.invitations_of(community)) == 3
    assert list(queries.invitations_of(community, usable_only=True)) == [usable]


def test_invitations_of_runs_one_query(community, manager, django_assert_num_queries):
    for _ in range(10):
        make_invitation(community, inviter=manager.user)
    with django_assert_num_queries(1):
        assert len([(i.inviter and i.inviter.name, i.community.name) for i in queries.invitations_of(community)]) == 10


def test_get_invitation_by_token(community):
    invitation = make_invitation(community)
    assert queries.get_invitation_by_token(invitation.token) == invitation
    with pytest.raises(NotFound):
        queries.get_invitation_by_token("nope")


def test_a_member_whose_suspension_ran_out_is_listed_as_active(community, make_member):
    lapsed = make_member(state=MembershipState.SUSPENDED, suspended_until=timezone.now() - timedelta(hours=1))
    current = make_member(state=MembershipState.SUSPENDED, suspended_until=timezone.now() + timedelta(hours=1))
    active_ids = set(queries.members_of(community).values_list("pk", flat=True))
    assert lapsed.pk in active_ids
    assert current.pk not in active_ids
