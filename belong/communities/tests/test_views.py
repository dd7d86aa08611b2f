"""The community pages: each path once, with refusals, bad input and htmx fragments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
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

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def community_data(**overrides):
    data = {
        "name": "Trailhead Outfitters",
        "slug": "trailhead",
        "description": "Gear talk",
        "purpose": "Help each other outdoors",
        "goals": "Better gear",
        "languages": "en, pt",
        "join_policy": JoinPolicy.OPEN,
    }
    data.update(overrides)
    return data


# Creating and editing a community


def test_anonymous_visitor_is_sent_to_sign_in_to_create_a_community(client):
    response = client.get(reverse("communities:new"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/c/new/" in response.url


def test_create_community_form_is_shown(user):
    response = client_for(user).get(reverse("communities:new"))
    assert response.status_code == 200
    assert b'name="slug"' in response.content
    assert b'<label for="id_name"' in response.content


def test_creating_a_community_makes_the_creator_owner_and_redirects(user):
    response: Any = client_for(user).post(reverse("communities:new"), community_data())
    assert response.status_code == 302
    assert response.url == reverse("communities:detail", args=["trailhead"])
    community = Community.objects.get(slug="trailhead")
    assert community.languages == ["en", "pt"]
    assert Membership.objects.get(community=community, user=user).role == Role.OWNER


def test_creating_a_community_with_a_taken_address_shows_the_error_and_writes_nothing(user, community):
    response = client_for(user).post(reverse("communities:new"), community_data(slug=community.slug))
    assert response.status_code == 422
    assert "This address is taken." in response.content.decode()
    assert Community.objects.count() == 1


def test_creating_a_community_with_bad_input_rerenders_the_form(user):
    response = client_for(user).post(reverse("communities:new"), community_data(name="", slug="not a slug!"))
    assert response.status_code == 422
    assert response.context["form"].errors.keys() >= {"name", "slug"}
    assert not Community.objects.exists()


def test_an_action_refusing_a_field_puts_the_error_on_the_form(user):
    response = client_for(user).post(reverse("communities:new"), community_data(languages="en, 12"))
    assert response.status_code == 422
    assert response.context["form"].errors["languages"] == ["Use codes such as en, pt, bg, af."]
    assert not Community.objects.exists()


def test_a_manager_edits_the_settings(manager_client, community):
    url = reverse("communities:settings", args=[community.slug])
    assert manager_client.get(url).status_code == 200
    data = community_data(name="Renamed", slug=community.slug, join_policy=JoinPolicy.APPROVAL)
    response = manager_client.post(url, data)
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "Renamed"
    assert community.join_policy == JoinPolicy.APPROVAL


def test_a_member_cannot_open_the_settings(member_client, community):
    response = member_client.get(reverse("communities:settings", args=[community.slug]))
    assert response.status_code == 403
    assert "You are not allowed to do this here." in response.content.decode()


def test_a_member_cannot_change_the_settings(member_client, community):
    response = member_client.post(reverse("communities:settings", args=[community.slug]), community_data())
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.name != "Trailhead Outfitters"


def test_an_anonymous_visitor_is_sent_to_sign_in_for_the_settings(client, community):
    response = client.get(reverse("communities:settings", args=[community.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_an_unknown_community_is_a_friendly_404(client):
    response = client.get(reverse("communities:detail", args=["nowhere"]))
    assert response.status_code == 404
    assert "No community at this address." in response.content.decode()


# The community home page


def test_community_home_shows_its_spaces_team_and_join_button(client, community, owner):
    SpaceFactory(community=community, name="Open space")
    SpaceFactory(community=community, name="Hidden space", visibility=SpaceVisibility.MEMBERS)
    user = UserFactory()
    response = client_for(user).get(reverse("communities:detail", args=[community.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open space" in html
    assert "Hidden space" not in html
    assert owner.user.name in html
    assert ">Join</button>" in html


def test_community_home_offers_request_to_join_when_approval_is_needed(user):
    community = CommunityFactory(join_policy=JoinPolicy.APPROVAL)
    response = client_for(user).get(reverse("communities:detail", args=[community.slug]))
    assert "Request to join" in response.content.decode()


def test_community_home_shows_a_suspension_with_its_reason(make_member, community):
    membership = make_member(
        state=MembershipState.SUSPENDED,
        state_reason="Spamming links",
        suspended_until=timezone.now() + timedelta(days=3),
    )
    response = client_for(membership.user).get(reverse("communities:detail", args=[community.slug]))
    html = response.content.decode()
    assert "Your membership is suspended until" in html
    assert "Spamming links" in html
    assert "Leave the community" not in html


def test_community_home_tells_a_banned_person_why(make_member, community):
    membership = make_member(state=MembershipState.BANNED, state_reason="Abuse")
    html = client_for(membership.user).get(reverse("communities:detail", args=[community.slug])).content.decode()
    assert "You are banned from this community." in html
    assert "Abuse" in html
    assert ">Join</button>" not in html


def test_community_home_lists_a_members_only_space_to_members(member_client, community):
    SpaceFactory(community=community, name="Hidden space", visibility=SpaceVisibility.MEMBERS)
    html = member_client.get(reverse("communities:detail", args=[community.slug])).content.decode()
    assert "Hidden space" in html
    assert "Leave the community" in html


# Joining and leaving


def test_joining_an_open_community(user, community):
    response = client_for(user).post(reverse("communities:join", args=[community.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(user=user, community=community).state == MembershipState.ACTIVE


def test_joining_a_community_that_needs_approval_leaves_a_pending_request(user):
    community = CommunityFactory(join_policy=JoinPolicy.APPROVAL)
    client = client_for(user)
    response = client.post(reverse("communities:join", args=[community.slug]), follow=True)
    assert Membership.objects.get(user=user, community=community).state == MembershipState.PENDING
    assert "waiting for a manager’s approval" in response.content.decode()


def test_joining_twice_is_a_conflict(member_client, community):
    response = member_client.post(reverse("communities:join", args=[community.slug]))
    assert response.status_code == 409
    assert "You are already a member of this community." in response.content.decode()
    assert Membership.objects.filter(community=community).count() == 1


def test_joining_by_get_is_not_allowed(member_client, community):
    assert member_client.get(reverse("communities:join", args=[community.slug])).status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in_to_join(client, community):
    url = reverse("communities:detail", args=[community.slug])
    response = client.post(reverse("communities:join", args=[community.slug]), HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert not Membership.objects.exists()


def test_leaving_a_community(member, member_client, community):
    response = member_client.post(reverse("communities:leave", args=[community.slug]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MembershipState.LEFT


def test_the_only_owner_cannot_leave(owner, community):
    response = client_for(owner.user).post(reverse("communities:leave", args=[community.slug]))
    assert response.status_code == 409
    owner.refresh_from_db()
    assert owner.state == MembershipState.ACTIVE


# Spaces


def test_a_manager_creates_a_space(manager_client, community):
    url = reverse("communities:new_space", args=[community.slug])
    assert manager_client.get(url).status_code == 200
    data = {"name": "Trail reports", "slug": "trails", "visibility": SpaceVisibility.PUBLIC, "position": 2}
    response = manager_client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("communities:space", args=[community.slug, "trails"])
    assert Space.objects.get(community=community, slug="trails").position == 2


def test_a_space_address_must_be_unique_in_its_community(manager_client, space, community):
    data = {"name": "Again", "slug": space.slug, "visibility": SpaceVisibility.PUBLIC, "position": 0}
    response = manager_client.post(reverse("communities:new_space", args=[community.slug]), data)
    assert response.status_code == 422
    assert Space.objects.filter(community=community, slug=space.slug).count() == 1


def test_a_member_cannot_create_a_space(member_client, community):
    assert member_client.get(reverse("communities:new_space", args=[community.slug])).status_code == 403


def test_a_manager_edits_a_space(manager_client, space, community):
    url = reverse("communities:edit_space", args=[community.slug, space.slug])
    assert manager_client.get(url).status_code == 200
    data = {
        "name": "Renamed",
        "slug": space.slug,
        "visibility": SpaceVisibility.RESTRICTED,
        "allowed_roles": [Role.EXPERT],
        "position": 0,
        "is_archived": "on",
    }
    assert manager_client.post(url, data).status_code == 302
    space.refresh_from_db()
    assert (space.name, space.visibility, space.allowed_roles, space.is_archived) == (
        "Renamed",
        SpaceVisibility.RESTRICTED,
        [Role.EXPERT],
        True,
    )


def test_a_member_cannot_edit_a_space(member_client, space, community):
    url = reverse("communities:edit_space", args=[community.slug, space.slug])
    assert member_client.get(url).status_code == 403


def test_the_space_page_shows_an_honest_empty_state(client, space, community):
    response = client.get(reverse("communities:space", args=[community.slug, space.slug]))
    assert response.status_code == 200
    assert space.name in response.content.decode()
    assert "There are no conversations in this space yet." in response.content.decode()


def test_a_members_only_space_sends_visitors_to_sign_in_and_refuses_outsiders(client, community):
    space = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    url = reverse("communities:space", args=[community.slug, space.slug])
    assert client.get(url).status_code == 302
    assert client_for(UserFactory()).get(url).status_code == 403


def test_an_unknown_space_is_a_404(client, community):
    assert client.get(reverse("communities:space", args=[community.slug, "nope"])).status_code == 404


# The member list


def test_members_see_active_members_without_tabs_or_actions(member_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    active = make_member()
    html = member_client.get(reverse("communities:members", args=[community.slug])).content.decode()
    assert active.user.handle in html
    assert pending.user.handle not in html
    assert "Member states" not in html
    assert "hx-post" not in html


def test_a_member_cannot_peek_at_pending_requests(member_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    url = reverse("communities:members", args=[community.slug]) + "?state=pending"
    assert pending.user.handle not in member_client.get(url).content.decode()


def test_outsiders_cannot_see_the_member_list(client, community):
    url = reverse("communities:members", args=[community.slug])
    assert client.get(url).status_code == 302
    assert client_for(UserFactory()).get(url).status_code == 403


def test_managers_get_state_tabs_role_filter_and_search(manager_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    expert = make_member(Role.EXPERT)
    other = make_member()
    url = reverse("communities:members", args=[community.slug])
    html = manager_client.get(url, {"state": "pending"}).content.decode()
    assert 'aria-current="page">Pending approval' in html
    assert pending.user.handle in html
    assert f"/members/{pending.pk}/approve/" in html
    html = manager_client.get(url, {"role": Role.EXPERT}).content.decode()
    assert expert.user.handle in html
    assert other.user.handle not in html
    html = manager_client.get(url, {"q": other.user.handle}).content.decode()
    assert other.user.handle in html
    assert expert.user.handle not in html


def test_the_member_list_of_30_needs_no_more_queries_than_of_3(
    manager, make_member, community, django_assert_max_num_queries
):
    client = client_for(manager.user)
    url = reverse("communities:members", args=[community.slug])
    counts = []
    for size in (3, 30):
        while Membership.objects.filter(community=community).count() < size + 1:
            make_member(Role.EXPERT)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["rows"]) == size + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(url, {"state": "active", "role": Role.EXPERT, "q": "person"})


def test_approving_a_request_without_javascript_redirects_back(manager_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    back = reverse("communities:members", args=[community.slug]) + "?state=pending"
    response = manager_client.post(
        reverse("communities:member_approve", args=[community.slug, pending.pk]), {"next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    pending.refresh_from_db()
    assert pending.state == MembershipState.ACTIVE


def test_approving_with_htmx_returns_the_updated_row(manager_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    response = manager_client.post(reverse("communities:member_approve", args=[community.slug, pending.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li class="member-row" id="member-{pending.pk}">')
    assert "<html" not in html
    assert "is now a member." in html
    assert f"/members/{pending.pk}/approve/" not in html


def test_declining_a_request(manager_client, make_member, community):
    pending = make_member(state=MembershipState.PENDING)
    url = reverse("communities:member_decline", args=[community.slug, pending.pk])
    assert manager_client.post(url, {"reason": "Not a customer"}).status_code == 302
    pending.refresh_from_db()
    assert (pending.state, pending.state_reason) == (MembershipState.LEFT, "Not a customer")


def test_changing_a_role_with_htmx(manager_client, member, community):
    url = reverse("communities:member_role", args=[community.slug, member.pk])
    response = manager_client.post(url, {"role": Role.MODERATOR}, **HTMX)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.role == Role.MODERATOR


def test_a_manager_cannot_give_a_role_as_high_as_their_own(manager_client, member, community):
    url = reverse("communities:member_role", args=[community.slug, member.pk])
    response = manager_client.post(url, {"role": Role.OWNER}, **HTMX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_suspending_until_a_date_with_a_reason(manager_client, member, community):
    until = timezone.localdate() + timedelta(days=3)
    url = reverse("communities:member_suspend", args=[community.slug, member.pk])
    response = manager_client.post(url, {"until": until.isoformat(), "reason": "Cool off"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MembershipState.SUSPENDED
    assert member.state_reason == "Cool off"
    assert timezone.localtime(member.suspended_until).date() == until


def test_suspending_without_a_reason_rerenders_the_row_with_errors(manager_client, member, community):
    url = reverse("communities:member_suspend", args=[community.slug, member.pk])
    response = manager_client.post(url, {"until": (timezone.localdate() + timedelta(days=3)).isoformat()}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert '<details class="member-actions" open>' in html
    member.refresh_from_db()
    assert member.state == MembershipState.ACTIVE


def test_suspending_in_the_past_without_javascript_rerenders_the_page(manager_client, member, community):
    url = reverse("communities:member_suspend", args=[community.slug, member.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = manager_client.post(url, {"until": yesterday, "reason": "Too late"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html
    assert "Pick a later date." in html
    member.refresh_from_db()
    assert member.state == MembershipState.ACTIVE


def test_banning_and_reinstating(manager_client, member, community):
    ban = reverse("communities:member_ban", args=[community.slug, member.pk])
    assert manager_client.post(ban, {"reason": "Abuse"}).status_code == 302
    member.refresh_from_db()
    assert member.state == MembershipState.BANNED
    reinstate = reverse("communities:member_reinstate", args=[community.slug, member.pk])
    response = manager_client.post(reinstate, {"reason": ""}, **HTMX)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.state == MembershipState.ACTIVE


def test_banning_without_a_reason_changes_nothing(manager_client, member, community):
    ban = reverse("communities:member_ban", args=[community.slug, member.pk])
    assert manager_client.post(ban, {"reason": " "}).status_code == 422
    member.refresh_from_db()
    assert member.state == MembershipState.ACTIVE


def test_a_member_cannot_act_on_another_member(member_client, make_member, community):
    other = make_member()
    response = member_client.post(reverse("communities:member_ban", args=[community.slug, other.pk]), {"reason": "x"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.state == MembershipState.ACTIVE


def test_a_refusal_under_htmx_is_swapped_into_the_messages_area(member_client, make_member, community):
    other = make_member()
    url = reverse("communities:member_ban", args=[community.slug, other.pk])
    response = member_client.post(url, {"reason": "x"}, **HTMX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#messages"
    assert "<html" not in response.content.decode()


def test_a_moderator_may_suspend_but_not_ban(make_member, member, community):
    moderator = make_member(Role.MODERATOR)
    client = client_for(moderator.user)
    html = client.get(reverse("communities:members", args=[community.slug])).content.decode()
    assert f"/members/{member.pk}/suspend/" in html
    assert f"/members/{member.pk}/ban/" not in html


def test_acting_on_an_unknown_member_is_a_404(manager_client, community):
    assert manager_client.post(reverse("communities:member_approve", args=[community.slug, 999999])).status_code == 404


def test_an_action_on_a_member_sent_by_an_anonymous_htmx_request_redirects_to_sign_in(client, member, community):
    response = client.post(reverse("communities:member_ban", args=[community.slug, member.pk]), **HTMX)
    assert response.status_code == 200
    assert reverse("account_login") in response["HX-Redirect"]


# Invitations


def test_a_member_cannot_open_invitations(member_client, community):
    assert member_client.get(reverse("communities:invitations", args=[community.slug])).status_code == 403


def test_a_manager_creates_a_link_invitation_and_sees_the_full_link(manager_client, community):
    url = reverse("communities:invitations", args=[community.slug])
    response = manager_client.post(url, {"email": "", "role": Role.MEMBER, "max_uses": "", "expires_in_days": 7})
    assert response.status_code == 302
    invitation = Invitation.objects.get(community=community)
    assert invitation.max_uses == 100
    html = manager_client.get(url).content.decode()
    assert f"http://testserver/invitations/{invitation.token}/" in html


def test_an_e__mail_invitation_is_sent(manager_client, community, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("communities:invitations", args=[community.slug])
    data = {"email": "ana@example.com", "role": Role.EXPERT, "max_uses": "", "expires_in_days": 14}
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(url, data).status_code == 302
    invitation = Invitation.objects.get(community=community)
    assert (invitation.email, invitation.role, invitation.max_uses) == ("ana@example.com", Role.EXPERT, 1)
    assert len(mailoutbox) == 1


def test_an_invitation_with_bad_input_writes_nothing(manager_client, community):
    url = reverse("communities:invitations", args=[community.slug])
    response = manager_client.post(url, {"email": "nope", "role": Role.MEMBER, "expires_in_days": 999})
    assert response.status_code == 422
    assert response.context["form"].errors.keys() >= {"email", "expires_in_days"}
    assert not Invitation.objects.exists()


def test_a_manager_cannot_invite_as_owner(manager_client, community):
    url = reverse("communities:invitations", args=[community.slug])
    form = manager_client.get(url).context["form"]
    roles = [value for value, _label in form.fields["role"].choices]
    assert Role.OWNER not in roles
    assert Role.MEMBER in roles
    response = manager_client.post(url, {"role": Role.OWNER, "expires_in_days": 7})
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_the_invitation_list_runs_a_fixed_number_of_queries(manager, community, django_assert_max_num_queries):
    for n in range(20):
        Invitation.objects.create(
            community=community,
            inviter=UserFactory(),
            email=f"p{n}@example.com",
            expires_at=timezone.now() + timedelta(days=3),
        )
    client = client_for(manager.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("communities:invitations", args=[community.slug]))
    assert response.status_code == 200


def test_revoking_an_invitation(manager, manager_client, community):
    invitation = Invitation.objects.create(
        community=community, inviter=manager.user, expires_at=timezone.now() + timedelta(days=3)
    )
    response = manager_client.post(reverse("communities:revoke_invitation", args=[community.slug, invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.fixture
def invitation(manager, community) -> Invitation:
    return Invitation.objects.create(
        community=community,
        inviter=manager.user,
        role=Role.EXPERT,
        max_uses=5,
        expires_at=timezone.now() + timedelta(days=3),
    )


def test_the_invitation_page_shows_community_and_inviter(client, invitation, manager, community):
    response = client.get(reverse("communities:invitation", args=[invitation.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert community.name in html
    assert manager.user.name in html
    assert f"/accounts/login/?next=/invitations/{invitation.token}/" in html


def test_accepting_an_invitation_makes_a_member_with_its_role(user, invitation, community, manager):
    response = client_for(user).post(reverse("communities:invitation", args=[invitation.token]))
    assert response.status_code == 302
    membership = Membership.objects.get(user=user, community=community)
    assert (membership.role, membership.invited_by) == (Role.EXPERT, manager.user)


def test_accepting_when_signed_out_sends_to_sign_in_and_back(client, invitation):
    url = reverse("communities:invitation", args=[invitation.token])
    response = client.post(url, {"next": url})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_an_unknown_invitation_is_a_404(client, user):
    assert client.get(reverse("communities:invitation", args=["nope"])).status_code == 404
    assert client_for(user).post(reverse("communities:invitation", args=["nope"])).status_code == 404


def test_an_expired_invitation_says_so_and_cannot_be_accepted(user, invitation, community):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(user)
    url = reverse("communities:invitation", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert "Accept the invitation" not in response.content.decode()
    response = client.post(url)
    assert response.status_code == 422
    assert "This invitation has expired." in response.content.decode()
    assert not Membership.objects.filter(user=user, community=community).exists()


def test_a_revoked_invitation_cannot_be_accepted(user, invitation, community):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    client = client_for(user)
    url = reverse("communities:invitation", args=[invitation.token])
    assert "This invitation has been revoked." in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 422
    assert not Membership.objects.filter(user=user, community=community).exists()


def test_a_used_up_invitation_says_so(user, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(uses=5)
    response = client_for(user).get(reverse("communities:invitation", args=[invitation.token]))
    assert response.status_code == 410
    assert "This invitation has been used up." in response.content.decode()


def test_accepting_while_already_a_member_is_explained(member, invitation):
    response = client_for(member.user).post(reverse("communities:invitation", args=[invitation.token]))
    assert response.status_code == 409
    assert "You are already a member of this community." in response.content.decode()


def test_home_lists_the_directory_and_my_communities(member, member_client, community, django_assert_max_num_queries):
    CommunityFactory.create_batch(5)
    MembershipFactory(user=member.user, state=MembershipState.PENDING)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("web:home"))
    html = response.content.decode()
    assert community.name in html
    assert "Pending approval" in html
    assert len(response.context["directory"]) == 7
