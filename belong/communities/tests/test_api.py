"""The communities API: communities, spaces, members and invitations, once per path."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, queries_for, session_client, token_client
from belong.communities.models import (
    Community,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Space,
    SpaceVisibility,
)
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

# Session and user, the community, the caller's membership, the page (and the restricted spaces a member may enter).
QUERY_BUDGET = 6


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def owner_client(owner):
    return session_client(owner.user)


@pytest.fixture
def outsider_client(user):
    return session_client(user)


# Communities


def test_anyone_can_list_communities_with_their_member_counts(anonymous, make_member):
    make_member()
    make_member(state=MembershipState.PENDING)
    CommunityFactory(name="Zebra")
    response = anonymous.get(f"{API}/communities")
    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body["results"]] == sorted(c["name"] for c in body["results"])
    first = next(c for c in body["results"] if c["slug"] != "zebra" and c["name"] != "Zebra")
    assert first["member_count"] == 1
    assert body["next_cursor"] is None and body["previous_cursor"] is None


def test_communities_can_be_searched_by_name_or_address(anonymous):
    CommunityFactory(name="Acme Bikes", slug="acme")
    CommunityFactory(name="Other", slug="bikes-club")
    CommunityFactory(name="Unrelated", slug="nothing")
    response = anonymous.get(f"{API}/communities", {"q": "bikes"})
    assert sorted(c["slug"] for c in response.json()["results"]) == ["acme", "bikes-club"]


def test_communities_are_paged_forwards_and_backwards_with_cursors(anonymous):
    for letter in "abcde":
        CommunityFactory(name=f"Brand {letter}", slug=letter)
    first = anonymous.get(f"{API}/communities", {"page_size": 2}).json()
    assert [c["slug"] for c in first["results"]] == ["a", "b"]
    second = anonymous.get(f"{API}/communities", {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert [c["slug"] for c in second["results"]] == ["c", "d"]
    third = anonymous.get(f"{API}/communities", {"page_size": 2, "cursor": second["next_cursor"]}).json()
    assert [c["slug"] for c in third["results"]] == ["e"]
    assert third["next_cursor"] is None
    back = anonymous.get(f"{API}/communities", {"page_size": 2, "cursor": third["previous_cursor"]}).json()
    assert [c["slug"] for c in back["results"]] == ["c", "d"]
    start = anonymous.get(f"{API}/communities", {"page_size": 2, "cursor": back["previous_cursor"]}).json()
    assert [c["slug"] for c in start["results"]] == ["a", "b"]
    assert start["previous_cursor"] is None


@pytest.mark.parametrize(
    "params",
    [{"cursor": "not a cursor"}, {"cursor": "eyJ2IjpbIngiXSwiYiI6ZmFsc2V9"}, {"page_size": 0}, {"page_size": 101}],
)
def test_a_bad_cursor_or_page_size_is_a_422_problem(anonymous, params):
    body = assert_problem(anonymous.get(f"{API}/communities", params), 422)
    assert set(body["errors"]) & {"cursor", "page_size"}


def test_the_community_list_costs_the_same_queries_for_30_as_for_3(anonymous):
    CommunityFactory.create_batch(3)
    few = queries_for(anonymous, f"{API}/communities?page_size=50")
    assert few <= QUERY_BUDGET
    CommunityFactory.create_batch(27)
    assert queries_for(anonymous, f"{API}/communities?page_size=50") == few


def test_anyone_can_read_a_community(anonymous, community):
    response = anonymous.get(url(community))
    assert response.status_code == 200
    assert response.json()["slug"] == community.slug


def test_an_unknown_community_is_a_404_problem(anonymous):
    assert_problem(anonymous.get(f"{API}/communities/nowhere"), 404)


def test_creating_a_community_makes_the_caller_its_owner(user):
    client = token_client(user)
    response = client.post(
        f"{API}/communities",
        {"name": "Acme", "slug": "acme", "join_policy": "approval", "languages": ["en", "pt"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["join_policy"], body["languages"], body["member_count"]) == (
        "acme",
        "approval",
        ["en", "pt"],
        1,
    )
    community = Community.objects.get(slug="acme")
    assert community.memberships.get().role == Role.OWNER
    assert community.spaces.filter(slug="general").exists()


def test_creating_a_community_at_a_taken_address_is_a_409_problem(outsider_client, community):
    response = outsider_client.post(
        f"{API}/communities", {"name": "Copy", "slug": community.slug}, content_type="application/json"
    )
    body = assert_problem(response, 409)
    assert "slug" in body["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Acme", "slug": "not a slug!"}, "slug"),
        ({"name": "Acme"}, "slug"),
        ({"name": "x" * 121, "slug": "acme"}, "name"),
        ({"name": "Acme", "slug": "acme", "join_policy": "everyone"}, "join_policy"),
        ({"name": "Acme", "slug": "acme", "languages": ["english language"]}, "languages"),
        ({"name": "Acme", "slug": "acme", "colour": "red"}, "colour"),
    ],
)
def test_creating_a_community_with_invalid_fields_is_a_422_problem(outsider_client, payload, field):
    body = assert_problem(outsider_client.post(f"{API}/communities", payload, content_type="application/json"), 422)
    assert field in body["errors"]


def test_visitors_cannot_create_communities(anonymous):
    response = anonymous.post(f"{API}/communities", {"name": "Acme", "slug": "acme"}, content_type="application/json")
    assert_problem(response, 401)
    assert not Community.objects.filter(slug="acme").exists()


def test_a_manager_can_change_the_community(manager_client, community):
    response = manager_client.patch(
        url(community), {"description": "New words", "join_policy": "invite"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    community.refresh_from_db()
    assert (community.description, community.join_policy) == ("New words", JoinPolicy.INVITE)
    assert response.json()["member_count"] == 1


def test_a_member_cannot_change_the_community(member_client, community):
    assert_problem(member_client.patch(url(community), {"name": "Mine"}, content_type="application/json"), 403)


def test_moving_a_community_to_a_taken_address_is_a_409_problem(manager_client, community):
    other = CommunityFactory()
    response = manager_client.patch(url(community), {"slug": other.slug}, content_type="application/json")
    assert_problem(response, 409)


def test_a_null_in_a_patch_is_a_422_problem(manager_client, community):
    body = assert_problem(manager_client.patch(url(community), {"name": None}, content_type="application/json"), 422)
    assert "name" in body["errors"]


# Spaces


@pytest.fixture
def spaces(community):
    return {
        visibility: SpaceFactory(community=community, slug=visibility, visibility=visibility)
        for visibility in SpaceVisibility.values
    }


def slugs(response):
    assert response.status_code == 200, response.content
    return {space["slug"] for space in response.json()["results"]}


def test_visitors_see_only_public_spaces(anonymous, community, spaces):
    assert slugs(anonymous.get(url(community, "/spaces"))) == {"public"}


def test_members_see_members_spaces_but_not_restricted_ones(member_client, community, spaces):
    assert slugs(member_client.get(url(community, "/spaces"))) == {"public", "members"}


def test_managers_see_every_space(manager_client, community, spaces):
    assert slugs(manager_client.get(url(community, "/spaces"))) == {"public", "members", "restricted"}


def test_the_space_list_costs_the_same_queries_for_30_as_for_3(member_client, community):
    SpaceFactory.create_batch(3, community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=["member"])
    few = queries_for(member_client, url(community, "/spaces?page_size=50"))
    assert few <= QUERY_BUDGET
    SpaceFactory.create_batch(27, community=community, visibility=SpaceVisibility.MEMBERS)
    assert queries_for(member_client, url(community, "/spaces?page_size=50")) == few


def test_a_visible_space_can_be_read(member_client, community, spaces):
    response = member_client.get(url(community, "/spaces/members"))
    assert response.status_code == 200
    assert response.json()["visibility"] == "members"


def test_a_restricted_space_is_refused_to_a_member_and_to_a_visitor(member_client, anonymous, community, spaces):
    assert_problem(member_client.get(url(community, "/spaces/restricted")), 403)
    assert_problem(anonymous.get(url(community, "/spaces/members")), 401)


def test_an_unknown_space_is_a_404_problem(member_client, community):
    assert_problem(member_client.get(url(community, "/spaces/nowhere")), 404)


def test_a_manager_can_create_a_restricted_space(manager_client, community):
    response = manager_client.post(
        url(community, "/spaces"),
        {"name": "Experts", "slug": "experts", "visibility": "restricted", "allowed_roles": ["expert"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["allowed_roles"] == ["expert"]
    assert Space.objects.get(community=community, slug="experts").allowed_roles == ["expert"]


def test_creating_a_space_at_a_taken_address_is_a_409_problem(manager_client, community, space):
    response = manager_client.post(
        url(community, "/spaces"), {"name": "Again", "slug": space.slug}, content_type="application/json"
    )
    assert_problem(response, 409)


def test_creating_a_space_for_an_unknown_role_is_a_422_problem(manager_client, community):
    response = manager_client.post(
        url(community, "/spaces"),
        {"name": "Odd", "slug": "odd", "visibility": "restricted", "allowed_roles": ["wizard"]},
        content_type="application/json",
    )
    assert "allowed_roles.0" in assert_problem(response, 422)["errors"]


def test_a_member_cannot_create_a_space(member_client, community):
    response = member_client.post(
        url(community, "/spaces"), {"name": "M", "slug": "m"}, content_type="application/json"
    )
    assert_problem(response, 403)


def test_a_manager_can_archive_a_space(manager_client, community, space):
    response = manager_client.patch(
        url(community, f"/spaces/{space.slug}"), {"is_archived": True, "position": 3}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    space.refresh_from_db()
    assert (space.is_archived, space.position) == (True, 3)


def test_renaming_a_space_to_a_taken_address_is_a_409_problem(manager_client, community, space):
    other = SpaceFactory(community=community)
    response = manager_client.patch(
        url(community, f"/spaces/{space.slug}"), {"slug": other.slug}, content_type="application/json"
    )
    assert_problem(response, 409)


def test_a_member_cannot_change_a_space(member_client, community, space):
    response = member_client.patch(
        url(community, f"/spaces/{space.slug}"), {"name": "Mine"}, content_type="application/json"
    )
    assert_problem(response, 403)


# Members


def test_members_see_active_members(member_client, community, member, make_member):
    other = make_member(Role.EXPERT)
    make_member(state=MembershipState.PENDING)
    response = member_client.get(url(community, "/members"))
    assert response.status_code == 200
    body = response.json()
    assert {m["id"] for m in body["results"]} == {member.pk, other.pk}
    assert body["results"][0]["user"]["handle"] == other.user.handle


def test_members_can_be_filtered_by_role_and_name(member_client, community, make_member):
    expert = make_member(Role.EXPERT)
    make_member(Role.AMBASSADOR)
    assert [m["id"] for m in member_client.get(url(community, "/members"), {"role": "expert"}).json()["results"]] == [
        expert.pk
    ]
    found = member_client.get(url(community, "/members"), {"q": expert.user.handle}).json()["results"]
    assert [m["id"] for m in found] == [expert.pk]


def test_an_unknown_role_filter_is_a_422_problem(member_client, community):
    assert "role" in assert_problem(member_client.get(url(community, "/members"), {"role": "wizard"}), 422)["errors"]


def test_pending_members_are_listed_for_managers_only(manager_client, member_client, community, make_member):
    pending = make_member(state=MembershipState.PENDING)
    response = manager_client.get(url(community, "/members"), {"state": "pending"})
    assert [m["id"] for m in response.json()["results"]] == [pending.pk]
    assert_problem(member_client.get(url(community, "/members"), {"state": "pending"}), 403)


def test_the_member_list_is_refused_to_outsiders_and_visitors(outsider_client, anonymous, community):
    assert_problem(outsider_client.get(url(community, "/members")), 403)
    assert_problem(anonymous.get(url(community, "/members")), 401)


def test_the_member_list_costs_the_same_queries_for_30_as_for_3(manager_client, community, manager):
    inviter = MembershipFactory(community=community).user
    MembershipFactory.create_batch(2, community=community, invited_by=inviter)
    few = queries_for(manager_client, url(community, "/members?page_size=50"))
    assert few <= QUERY_BUDGET
    MembershipFactory.create_batch(27, community=community, invited_by=inviter)
    assert queries_for(manager_client, url(community, "/members?page_size=50")) == few


def test_a_member_can_be_read(member_client, community, manager):
    response = member_client.get(url(community, f"/members/{manager.pk}"))
    assert response.status_code == 200
    assert response.json()["role"] == "manager"


def test_a_banned_member_is_hidden_from_members_but_shown_to_managers(
    member_client, manager_client, community, make_member
):
    banned = make_member(state=MembershipState.BANNED, state_reason="Spam")
    assert_problem(member_client.get(url(community, f"/members/{banned.pk}")), 404)
    response = manager_client.get(url(community, f"/members/{banned.pk}"))
    assert response.json()["state_reason"] == "Spam"


def test_a_pending_applicant_can_read_their_own_membership(community, make_member):
    pending = make_member(state=MembershipState.PENDING)
    response = session_client(pending.user).get(url(community, f"/members/{pending.pk}"))
    assert response.json()["state"] == "pending"


def test_an_unknown_member_is_a_404_problem(member_client, community):
    assert_problem(member_client.get(url(community, "/members/999999")), 404)


def test_joining_an_open_community_makes_an_active_member(outsider_client, user, community):
    response = outsider_client.post(url(community, "/join"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "active"
    assert Membership.objects.get(user=user, community=community).state == MembershipState.ACTIVE


def test_joining_a_community_that_needs_approval_makes_a_request(outsider_client):
    community = CommunityFactory(join_policy=JoinPolicy.APPROVAL)
    assert outsider_client.post(url(community, "/join")).json()["state"] == "pending"


def test_joining_twice_is_a_409_problem(member_client, community):
    assert_problem(member_client.post(url(community, "/join")), 409)


def test_joining_an_invite_only_community_is_a_403_problem(outsider_client):
    community = CommunityFactory(join_policy=JoinPolicy.INVITE)
    assert_problem(outsider_client.post(url(community, "/join")), 403)


def test_a_member_can_leave_and_come_back(member_client, member, community):
    assert member_client.post(url(community, "/leave")).json()["state"] == "left"
    assert_problem(member_client.post(url(community, "/leave")), 404)
    assert member_client.post(url(community, "/join")).json()["state"] == "active"


def test_the_only_owner_cannot_leave(owner_client, community):
    assert_problem(owner_client.post(url(community, "/leave")), 409)


def test_a_member_who_left_cannot_act_as_a_member(member_client, member, community, make_member):
    other = make_member()
    member_client.post(url(community, "/leave"))
    assert_problem(member_client.get(url(community, "/members")), 403)
    payload = {"until": "2999-01-01T00:00:00Z", "reason": "Gone"}
    assert_problem(member_client.post(url(community, f"/members/{other.pk}/suspend"), payload, "application/json"), 403)


def test_a_manager_approves_a_pending_request(manager_client, community, make_member):
    pending = make_member(state=MembershipState.PENDING)
    response = manager_client.post(url(community, f"/members/{pending.pk}/approve"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "active"


def test_approving_an_active_member_is_a_409_problem(manager_client, community, member):
    assert_problem(manager_client.post(url(community, f"/members/{member.pk}/approve")), 409)


def test_a_member_cannot_approve(member_client, community, make_member):
    pending = make_member(state=MembershipState.PENDING)
    assert_problem(member_client.post(url(community, f"/members/{pending.pk}/approve")), 403)


def test_a_manager_declines_a_pending_request_with_a_reason(manager_client, community, make_member):
    pending = make_member(state=MembershipState.PENDING)
    response = manager_client.post(
        url(community, f"/members/{pending.pk}/decline"), {"reason": "Not yet"}, content_type="application/json"
    )
    assert response.json()["state"] == "left"
    pending.refresh_from_db()
    assert pending.state_reason == "Not yet"


def test_a_moderator_suspends_a_member_until_a_date(community, member, make_member):
    moderator = make_member(Role.MODERATOR)
    until = timezone.now() + timedelta(days=3)
    response = token_client(moderator.user).post(
        url(community, f"/members/{member.pk}/suspend"),
        {"until": until.isoformat(), "reason": "Cool down"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.state, member.suspended_until, member.state_reason) == (
        MembershipState.SUSPENDED,
        until,
        "Cool down",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "Cool down"}, "until"),
        ({"until": "soon", "reason": "Cool down"}, "until"),
        ({"until": "2999-01-01T00:00:00", "reason": "No time zone"}, "until"),
        ({"until": "2000-01-01T00:00:00Z", "reason": "Cool down"}, "until"),
        ({"until": "2999-01-01T00:00:00Z", "reason": "  "}, "reason"),
    ],
)
def test_suspending_without_a_future_date_or_a_reason_is_a_422_problem(
    manager_client, community, member, payload, field
):
    response = manager_client.post(url(community, f"/members/{member.pk}/suspend"), payload, "application/json")
    assert field in assert_problem(response, 422)["errors"]


def test_a_member_cannot_suspend_another(member_client, community, make_member):
    other = make_member()
    response = member_client.post(
        url(community, f"/members/{other.pk}/suspend"),
        {"until": "2999-01-01T00:00:00Z", "reason": "Mine"},
        content_type="application/json",
    )
    assert_problem(response, 403)


def test_suspending_someone_who_has_left_is_a_409_problem(manager_client, community, make_member):
    gone = make_member(state=MembershipState.LEFT)
    response = manager_client.post(
        url(community, f"/members/{gone.pk}/suspend"),
        {"until": "2999-01-01T00:00:00Z", "reason": "Late"},
        content_type="application/json",
    )
    assert_problem(response, 409)


def test_a_manager_bans_and_reinstates_a_member(manager_client, community, member):
    response = manager_client.post(
        url(community, f"/members/{member.pk}/ban"), {"reason": "Spam"}, content_type="application/json"
    )
    assert response.json()["state"] == "banned"
    assert_problem(
        manager_client.post(url(community, f"/members/{member.pk}/ban"), {"reason": "Again"}, "application/json"), 409
    )
    response = manager_client.post(url(community, f"/members/{member.pk}/reinstate"), {}, "application/json")
    assert response.json()["state"] == "active"


def test_banning_without_a_reason_is_a_422_problem(manager_client, community, member):
    response = manager_client.post(url(community, f"/members/{member.pk}/ban"), {}, content_type="application/json")
    assert "reason" in assert_problem(response, 422)["errors"]


def test_reinstating_an_active_member_is_a_409_problem(manager_client, community, member):
    assert_problem(manager_client.post(url(community, f"/members/{member.pk}/reinstate"), {}, "application/json"), 409)


def test_a_manager_changes_a_members_role(manager_client, community, member):
    response = manager_client.put(
        url(community, f"/members/{member.pk}/role"), {"role": "moderator"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.role == Role.MODERATOR


def test_giving_an_unknown_role_is_a_422_problem(manager_client, community, member):
    response = manager_client.put(
        url(community, f"/members/{member.pk}/role"), {"role": "wizard"}, content_type="application/json"
    )
    assert "role" in assert_problem(response, 422)["errors"]


def test_a_manager_cannot_make_someone_owner(manager_client, community, member):
    response = manager_client.put(
        url(community, f"/members/{member.pk}/role"), {"role": "owner"}, content_type="application/json"
    )
    assert_problem(response, 403)


def test_giving_a_role_to_someone_who_has_left_is_a_409_problem(owner_client, community, make_member):
    gone = make_member(state=MembershipState.LEFT)
    response = owner_client.put(
        url(community, f"/members/{gone.pk}/role"), {"role": "expert"}, content_type="application/json"
    )
    assert_problem(response, 409)


def test_acting_on_a_member_of_another_community_is_a_404_problem(manager_client, community):
    stranger = MembershipFactory()
    assert_problem(manager_client.post(url(community, f"/members/{stranger.pk}/approve")), 404)


# Invitations


def test_a_manager_creates_a_link_invitation(manager_client, community):
    response = manager_client.post(
        url(community, "/invitations"), {"role": "expert", "expires_in_days": 7}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["role"], body["max_uses"], body["email"], body["is_usable"]) == ("expert", 100, "", True)
    assert body["token"] == Invitation.objects.get().token


def test_an_invitation_by_email_sends_a_message(
    manager_client, community, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url(community, "/invitations"), {"email": "Friend@Example.com"}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    assert response.json()["max_uses"] == 1
    assert [message.to for message in mailoutbox] == [["friend@example.com"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"role": "wizard"}, "role"),
        ({"max_uses": 0}, "max_uses"),
        ({"expires_in_days": 400}, "expires_in_days"),
    ],
)
def test_an_invalid_invitation_is_a_422_problem(manager_client, community, payload, field):
    response = manager_client.post(url(community, "/invitations"), payload, content_type="application/json")
    assert field in assert_problem(response, 422)["errors"]


def test_a_member_cannot_invite(member_client, community):
    assert_problem(member_client.post(url(community, "/invitations"), {}, content_type="application/json"), 403)


def test_an_ambassador_cannot_invite_a_moderator(community, make_member):
    ambassador = make_member(Role.AMBASSADOR)
    response = session_client(ambassador.user).post(
        url(community, "/invitations"), {"role": "moderator"}, content_type="application/json"
    )
    assert_problem(response, 403)


def make_invitation(community, inviter, **kwargs):
    kwargs.setdefault("expires_at", timezone.now() + timedelta(days=7))
    return Invitation.objects.create(community=community, inviter=inviter, **kwargs)


def test_inviters_list_invitations_and_see_only_the_links_they_could_make(community, manager, make_member):
    ambassador = make_member(Role.AMBASSADOR)
    mine = make_invitation(community, ambassador.user)
    higher = make_invitation(community, manager.user, role=Role.MODERATOR)
    response = session_client(ambassador.user).get(url(community, "/invitations"))
    assert response.status_code == 200
    tokens = {item["id"]: item["token"] for item in response.json()["results"]}
    assert tokens == {higher.pk: None, mine.pk: mine.token}


def test_the_invitation_list_is_refused_to_a_member(member_client, community):
    assert_problem(member_client.get(url(community, "/invitations")), 403)


def test_the_invitation_list_costs_the_same_queries_for_30_as_for_3(manager_client, community, manager):
    for _ in range(3):
        make_invitation(community, UserFactory())
    few = queries_for(manager_client, url(community, "/invitations?page_size=50"))
    assert few <= QUERY_BUDGET
    for _ in range(27):
        make_invitation(community, UserFactory())
    assert queries_for(manager_client, url(community, "/invitations?page_size=50")) == few


def test_a_manager_revokes_an_invitation_once(manager_client, community, member):
    invitation = make_invitation(community, member.user)
    response = manager_client.delete(url(community, f"/invitations/{invitation.pk}"))
    assert response.status_code == 200, response.content
    assert response.json()["revoked_at"] is not None
    assert_problem(manager_client.delete(url(community, f"/invitations/{invitation.pk}")), 409)


def test_a_member_cannot_revoke_someone_elses_invitation(member_client, community, manager):
    invitation = make_invitation(community, manager.user)
    assert_problem(member_client.delete(url(community, f"/invitations/{invitation.pk}")), 403)


def test_revoking_an_invitation_of_another_community_is_a_404_problem(manager_client, community):
    elsewhere = make_invitation(CommunityFactory(), None)
    assert_problem(manager_client.delete(url(community, f"/invitations/{elsewhere.pk}")), 404)


def test_accepting_an_invitation_joins_in_its_role(outsider_client, user, community, manager):
    invitation = make_invitation(community, manager.user, role=Role.EXPERT, max_uses=5)
    response = outsider_client.post(f"{API}/invitations/{invitation.token}/accept")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["role"], body["state"], body["invited_by"]["id"]) == ("expert", "active", manager.user.pk)
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert_problem(outsider_client.post(f"{API}/invitations/{invitation.token}/accept"), 409)


def test_accepting_an_unknown_invitation_is_a_404_problem(outsider_client):
    assert_problem(outsider_client.post(f"{API}/invitations/nope/accept"), 404)


def test_accepting_a_revoked_invitation_is_a_422_problem(outsider_client, community, manager):
    invitation = make_invitation(community, manager.user, revoked_at=timezone.now())
    assert_problem(outsider_client.post(f"{API}/invitations/{invitation.token}/accept"), 422)


def test_accepting_someone_elses_email_invitation_is_a_403_problem(outsider_client, community, manager):
    invitation = make_invitation(community, manager.user, email="someone@example.com")
    assert_problem(outsider_client.post(f"{API}/invitations/{invitation.token}/accept"), 403)


# The signed-in person's memberships


def test_my_memberships_list_the_communities_i_belong_to_by_name(user):
    for name in ("Beta", "Alpha", "Gamma"):
        MembershipFactory(user=user, community=CommunityFactory(name=name))
    MembershipFactory(user=user, state=MembershipState.LEFT)
    response = session_client(user).get(f"{API}/me/memberships", {"page_size": 2})
    body = response.json()
    assert [m["community"]["name"] for m in body["results"]] == ["Alpha", "Beta"]
    rest = session_client(user).get(f"{API}/me/memberships", {"page_size": 2, "cursor": body["next_cursor"]})
    assert [m["community"]["name"] for m in rest.json()["results"]] == ["Gamma"]


def test_my_memberships_cost_the_same_queries_for_30_as_for_3(user):
    client = session_client(user)
    MembershipFactory.create_batch(3, user=user)
    few = queries_for(client, f"{API}/me/memberships?page_size=50")
    assert few <= QUERY_BUDGET
    MembershipFactory.create_batch(27, user=user)
    assert queries_for(client, f"{API}/me/memberships?page_size=50") == few


def test_my_memberships_need_a_signed_in_person(anonymous):
    assert_problem(anonymous.get(f"{API}/me/memberships"), 401)
