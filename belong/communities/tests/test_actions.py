"""Every change to communities, spaces, memberships and invitations, against the database.

A successful action writes its rows, appends to the activity log and publishes its event once the
transaction commits; a refused one raises the matching error and leaves every table as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities import actions, events
from belong.communities.actions import Verb
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
from belong.communities.permissions import Action, can
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.errors import BelongError, Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound
from belong.core.models import Activity
from conftest import collect_events

pytestmark = pytest.mark.django_db

# --- Helpers --------------------------------------------------------------------------------

WATCHED: list[type[models.Model]] = [Community, Space, Membership, Invitation, Activity]


@pytest.fixture
def published(monkeypatch):
    """This app's own events: recognition reacts to them with events of its own (badges, ranks)."""
    return collect_events(monkeypatch, only_from="belong.communities.events")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an action may write, to prove a refusal wrote nothing."""
    return {model.__name__: sorted(model._default_manager.values_list(), key=lambda row: row[0]) for model in WATCHED}


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    """Run the block, then the on-commit callbacks (events, tasks) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def refused(commit, published) -> Callable[[type[BelongError]], AbstractContextManager[Any]]:
    """Expect the block to raise `error`, write nothing and publish nothing."""

    @contextmanager
    def expect(error: type[BelongError]) -> Iterator[Any]:
        before, seen = snapshot(), len(published)
        with commit(), pytest.raises(error) as info:
            yield info
        assert snapshot() == before
        assert published[seen:] == []

    return expect


def assert_logged(verb: str, *, actor: Any, community: Community, target: models.Model, **data: Any) -> Activity:
    """Check the newest activity entry with `verb`, its actor, community, target and data."""
    entry = Activity.objects.filter(verb=verb).order_by("-id").first()
    assert entry is not None, f"nothing logged as {verb}"
    assert entry.actor_id == actor.pk
    assert entry.community_id == community.pk
    assert entry.target_type == ContentType.objects.get_for_model(target)
    assert entry.target_id == str(target.pk)
    for key, value in data.items():
        assert entry.data[key] == value
    return entry


def _invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


# Stands in for the web app's invitation page until it exists (see the `invitation_url` fixture).
urlpatterns = [
    path("", include(([path("invitations/<str:token>/", _invitation_page, name="invitation")], "communities")))
]


@pytest.fixture
def invitation_url(settings) -> Callable[[Invitation], str]:
    """The accept link an invitation e-mail must carry."""
    try:
        reverse("communities:invitation", args=["token"])
    except Exception:  # the web app's page is missing or its URLs don't load: the web tests report that
        settings.ROOT_URLCONF = __name__
    return lambda invitation: settings.BELONG_BASE_URL + reverse("communities:invitation", args=[invitation.token])


def later(**kwargs: float) -> Any:
    return timezone.now() + timedelta(**kwargs)


# --- Creating and changing a community ---------------------------------------------------------


def test_creating_a_community_makes_the_creator_its_owner(user, commit, published):
    with commit():
        community = actions.create_community(
            creator=user, name="Acme", slug="acme", languages=["EN", "pt", "en"], join_policy=JoinPolicy.APPROVAL
        )
        assert published == []
    community.refresh_from_db()
    assert (community.name, community.slug, community.created_by) == ("Acme", "acme", user)
    assert community.languages == ["en", "pt"]
    assert community.join_policy == JoinPolicy.APPROVAL
    owner = Membership.objects.get(community=community)
    assert (owner.user, owner.role, owner.state) == (user, Role.OWNER, MembershipState.ACTIVE)
    assert owner.joined_at is not None
    assert list(community.spaces.values_list("slug", flat=True)) == ["general"]
    assert_logged(Verb.COMMUNITY_CREATED, actor=user, community=community, target=community)
    assert published == [events.CommunityCreated(community_id=community.pk, actor_id=user.pk)]
    assert can(user, Action.DELETE_COMMUNITY, community)


def test_a_new_community_speaks_its_creators_language_by_default(user):
    user.locale = "bg"
    community = actions.create_community(creator=user, name="Acme", slug="acme")
    assert community.languages == ["bg"]


def test_creating_a_community_needs_a_signed_in_person(refused):
    with refused(NotAllowed):
        actions.create_community(creator=AnonymousUser(), name="Acme", slug="acme")


def test_creating_a_community_at_a_taken_address_is_refused(user, refused):
    CommunityFactory(slug="acme")
    with refused(Invalid) as info:
        actions.create_community(creator=user, name="Other", slug="acme")
    assert "slug" in info.value.errors


def test_creating_a_community_at_a_malformed_address_is_refused(user, refused):
    with refused(Invalid) as info:
        actions.create_community(creator=user, name="Acme", slug="not a slug!")
    assert "slug" in info.value.errors


@pytest.mark.parametrize("languages", [["e"], ["english language"], ["12"], ["en", "pt_BR!"]])
def test_creating_a_community_with_invalid_languages_is_refused(user, refused, languages):
    with refused(Invalid) as info:
        actions.create_community(creator=user, name="Acme", slug="acme", languages=languages)
    assert "languages" in info.value.errors


def test_creating_a_community_with_unknown_fields_is_refused(user, refused):
    with refused(Invalid) as info:
        actions.create_community(creator=user, name="Acme", slug="acme", created_by=user, colour="red")
    assert "colour" in info.value.detail and "created_by" in info.value.detail


def test_creating_a_community_with_an_unknown_join_policy_is_refused(user, refused):
    with refused(Invalid) as info:
        actions.create_community(creator=user, name="Acme", slug="acme", join_policy="lottery")
    assert "join_policy" in info.value.errors


def test_a_manager_updates_the_community(manager, commit, published):
    community = manager.community
    with commit():
        actions.update_community(actor=manager.user, community=community, purpose="Help", languages=["AF"])
    community.refresh_from_db()
    assert (community.purpose, community.languages) == ("Help", ["af"])
    assert_logged(
        Verb.COMMUNITY_UPDATED,
        actor=manager.user,
        community=community,
        target=community,
        changed=["languages", "purpose"],
    )
    assert published == [
        events.CommunityUpdated(community_id=community.pk, actor_id=manager.user.pk, changed=("languages", "purpose"))
    ]


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_updating_the_community_is_refused_below_manager(make_member, refused, role):
    actor = make_member(role)
    with refused(NotAllowed):
        actions.update_community(actor=actor.user, community=actor.community, name="Mine now")


def test_updating_the_community_is_refused_to_a_guest(community, refused):
    with refused(NotAuthenticated):
        actions.update_community(actor=AnonymousUser(), community=community, name="Mine now")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "taken"}, "slug"),
        ({"languages": ["x"]}, "languages"),
        ({"join_policy": "whenever"}, "join_policy"),
        ({"name": ""}, "name"),
    ],
)
def test_updating_the_community_with_invalid_values_is_refused(manager, refused, changes, field):
    CommunityFactory(slug="taken")
    with refused(Invalid) as info:
        actions.update_community(actor=manager.user, community=manager.community, **changes)
    assert field in info.value.errors


def test_updating_unknown_community_fields_is_refused(manager, refused):
    with refused(Invalid):
        actions.update_community(actor=manager.user, community=manager.community, created_by=manager.user)


# --- Spaces -----------------------------------------------------------------------------------


def test_a_manager_creates_a_restricted_space(manager, commit, published):
    with commit():
        space = actions.create_space(
            actor=manager.user,
            community=manager.community,
            name="Insiders",
            slug="insiders",
            visibility=SpaceVisibility.RESTRICTED,
            allowed_roles=[Role.EXPERT, Role.AMBASSADOR, Role.EXPERT],
        )
    space.refresh_from_db()
    assert (space.community, space.name, space.visibility) == (manager.community, "Insiders", "restricted")
    assert space.allowed_roles == [Role.EXPERT, Role.AMBASSADOR]
    assert_logged(Verb.SPACE_CREATED, actor=manager.user, community=manager.community, target=space)
    assert published == [
        events.SpaceCreated(community_id=manager.community.pk, actor_id=manager.user.pk, space_id=space.pk)
    ]


def test_creating_a_space_is_refused_to_a_member(member, refused):
    with refused(NotAllowed):
        actions.create_space(actor=member.user, community=member.community, name="Mine", slug="mine")


def test_creating_a_space_with_a_taken_address_is_refused(manager, refused):
    SpaceFactory(community=manager.community, slug="news")
    with refused(Invalid):
        actions.create_space(actor=manager.user, community=manager.community, name="News", slug="news")


def test_the_same_space_address_may_be_used_in_another_community(manager):
    SpaceFactory(slug="news")
    space = actions.create_space(actor=manager.user, community=manager.community, name="News", slug="news")
    assert space.pk is not None


@pytest.mark.parametrize(
    "fields", [{"allowed_roles": ["emperor"]}, {"visibility": "secret"}, {"colour": "red"}], ids=str
)
def test_creating_a_space_with_invalid_fields_is_refused(manager, refused, fields):
    with refused(Invalid):
        actions.create_space(actor=manager.user, community=manager.community, name="News", slug="news", **fields)


def test_a_manager_archives_a_space(manager, commit, published):
    space = SpaceFactory(community=manager.community)
    with commit():
        actions.update_space(actor=manager.user, space=space, is_archived=True, position=3)
    space.refresh_from_db()
    assert space.is_archived and space.position == 3
    assert_logged(
        Verb.SPACE_UPDATED,
        actor=manager.user,
        community=manager.community,
        target=space,
        changed=["is_archived", "position"],
    )
    assert published == [
        events.SpaceUpdated(community_id=manager.community.pk, actor_id=manager.user.pk, space_id=space.pk)
    ]


def test_updating_a_space_is_refused_to_a_moderator(make_member, space, refused):
    moderator = make_member(Role.MODERATOR)
    with refused(NotAllowed):
        actions.update_space(actor=moderator.user, space=space, is_archived=True)


def test_updating_a_space_with_an_unknown_role_is_refused(manager, space, refused):
    with refused(Invalid):
        actions.update_space(actor=manager.user, space=space, allowed_roles=["king"])


def test_a_manager_of_another_community_cannot_update_a_space(space, refused):
    stranger = MembershipFactory(role=Role.MANAGER)
    with refused(NotAllowed):
        actions.update_space(actor=stranger.user, space=space, name="Taken over")


# --- Joining and leaving --------------------------------------------------------------------------


def test_joining_an_open_community_makes_an_active_member(community, user, commit, published):
    with commit():
        membership = actions.join_community(user=user, community=community)
        assert published == []
    membership.refresh_from_db()
    assert (membership.user, membership.role, membership.state) == (user, Role.MEMBER, MembershipState.ACTIVE)
    assert membership.joined_at is not None
    assert_logged(Verb.JOINED, actor=user, community=community, target=membership)
    assert published == [
        events.MemberJoined(community_id=community.pk, actor_id=user.pk, membership_id=membership.pk, user_id=user.pk)
    ]
    assert can(user, Action.VIEW_MEMBERS, community)


def test_joining_a_community_that_needs_approval_makes_a_request(user, commit, published):
    community = CommunityFactory(join_policy=JoinPolicy.APPROVAL)
    with commit():
        membership = actions.join_community(user=user, community=community)
    assert membership.state == MembershipState.PENDING
    assert membership.joined_at is None
    assert_logged(Verb.REQUESTED, actor=user, community=community, target=membership)
    assert published == [
        events.MembershipRequested(
            community_id=community.pk, actor_id=user.pk, membership_id=membership.pk, user_id=user.pk
        )
    ]
    assert not can(user, Action.VIEW_MEMBERS, community)


def test_joining_an_invite_only_community_is_refused(user, refused):
    community = CommunityFactory(join_policy=JoinPolicy.INVITE)
    with refused(NotAllowed):
        actions.join_community(user=user, community=community)


def test_joining_needs_a_signed_in_person(community, refused):
    with refused(NotAllowed):
        actions.join_community(user=AnonymousUser(), community=community)


def test_joining_twice_is_a_conflict(community, user, refused):
    actions.join_community(user=user, community=community)
    with refused(Conflict):
        actions.join_community(user=user, community=community)


def test_asking_again_while_a_request_is_pending_is_a_conflict(user, refused):
    community = CommunityFactory(join_policy=JoinPolicy.APPROVAL)
    actions.join_community(user=user, community=community)
    with refused(Conflict):
        actions.join_community(user=user, community=community)


def test_a_banned_person_cannot_join(make_member, refused):
    banned = make_member(state=MembershipState.BANNED, state_reason="Spam")
    with refused(NotAllowed):
        actions.join_community(user=banned.user, community=banned.community)


def test_a_banned_member_cannot_leave_to_rejoin(make_member, refused):
    banned = make_member(state=MembershipState.BANNED, state_reason="Spam")
    with refused(NotAllowed):
        actions.leave_community(user=banned.user, community=banned.community)
    with refused(NotAllowed):
        actions.join_community(user=banned.user, community=banned.community)


def test_a_suspended_member_cannot_join_again(make_member, refused):
    suspended = make_member(state=MembershipState.SUSPENDED, suspended_until=later(days=2))
    with refused(NotAllowed):
        actions.join_community(user=suspended.user, community=suspended.community)


def test_rejoining_after_leaving_works_and_starts_again_as_member(make_member, commit, published):
    former = make_member(Role.MODERATOR)
    actions.leave_community(user=former.user, community=former.community)
    with commit():
        membership = actions.join_community(user=former.user, community=former.community)
    assert membership.pk == former.pk
    membership.refresh_from_db()
    assert (membership.role, membership.state) == (Role.MEMBER, MembershipState.ACTIVE)
    assert Membership.objects.filter(user=former.user).count() == 1
    assert [type(event) for event in published] == [events.MemberJoined]


def test_leaving_a_community(member, commit, published):
    with commit():
        actions.leave_community(user=member.user, community=member.community)
    member.refresh_from_db()
    assert member.state == MembershipState.LEFT
    assert_logged(Verb.LEFT, actor=member.user, community=member.community, target=member)
    assert published == [
        events.MemberLeft(
            community_id=member.community_id, actor_id=member.user.pk, membership_id=member.pk, user_id=member.user.pk
        )
    ]
    assert not can(member.user, Action.VIEW_MEMBERS, member.community)


def test_leaving_a_community_one_is_not_in_is_refused(community, user, refused):
    with refused(NotFound):
        actions.leave_community(user=user, community=community)


def test_leaving_twice_is_refused(member, refused):
    actions.leave_community(user=member.user, community=member.community)
    with refused(NotFound):
        actions.leave_community(user=member.user, community=member.community)


def test_a_suspended_member_cannot_leave(make_member, refused):
    suspended = make_member(state=MembershipState.SUSPENDED, suspended_until=later(days=2))
    with refused(NotAllowed):
        actions.leave_community(user=suspended.user, community=suspended.community)


def test_the_last_owner_cannot_leave(owner, refused):
    with refused(Conflict):
        actions.leave_community(user=owner.user, community=owner.community)


def test_an_owner_may_leave_when_another_owner_remains(owner, make_member):
    make_member(Role.OWNER)
    actions.leave_community(user=owner.user, community=owner.community)
    owner.refresh_from_db()
    assert owner.state == MembershipState.LEFT


def test_a_suspended_owner_does_not_count_as_the_one_who_remains(owner, make_member, refused):
    make_member(Role.OWNER, state=MembershipState.SUSPENDED, suspended_until=later(days=1))
    with refused(Conflict):
        actions.leave_community(user=owner.user, community=owner.community)


def test_creating_an_invitation_after_leaving_is_refused(make_member, refused):
    ambassador = make_member(Role.AMBASSADOR)
    actions.create_invitation(actor=ambassador.user, community=ambassador.community)  # allowed while a member
    actions.leave_community(user=ambassador.user, community=ambassador.community)
    with refused(NotAllowed):
        actions.create_invitation(actor=ambassador.user, community=ambassador.community)


def test_managing_a_community_after_leaving_is_refused(manager, owner, refused):
    actions.leave_community(user=manager.user, community=manager.community)
    with refused(NotAllowed):
        actions.update_community(actor=manager.user, community=manager.community, name="Still mine")


# --- Approving and declining requests -----------------------------------------------------------


@pytest.fixture
def applicant(make_member) -> Membership:
    membership: Membership = make_member(state=MembershipState.PENDING, joined_at=None)
    return membership


def test_a_manager_approves_a_request(manager, applicant, commit, published):
    with commit():
        actions.approve_membership(actor=manager.user, membership=applicant)
    applicant.refresh_from_db()
    assert applicant.state == MembershipState.ACTIVE
    assert applicant.joined_at is not None
    assert_logged(
        Verb.APPROVED, actor=manager.user, community=applicant.community, target=applicant, to=MembershipState.ACTIVE
    )
    common = {
        "community_id": applicant.community_id,
        "actor_id": manager.user.pk,
        "membership_id": applicant.pk,
        "user_id": applicant.user_id,
    }
    assert published == [
        events.MembershipStateChanged(**common, old_state=MembershipState.PENDING, new_state=MembershipState.ACTIVE),
        events.MemberJoined(**common),
    ]


def test_a_manager_declines_a_request_and_the_person_may_ask_again(manager, applicant, commit, published):
    with commit():
        actions.decline_membership(actor=manager.user, membership=applicant, reason="Employees only")
    applicant.refresh_from_db()
    assert (applicant.state, applicant.state_reason) == (MembershipState.LEFT, "Employees only")
    assert_logged(
        Verb.DECLINED, actor=manager.user, community=applicant.community, target=applicant, reason="Employees only"
    )
    assert [(type(e), e.new_state) for e in published] == [(events.MembershipStateChanged, MembershipState.LEFT)]
    applicant.community.join_policy = JoinPolicy.APPROVAL
    applicant.community.save()
    again = actions.join_community(user=applicant.user, community=applicant.community)
    assert again.state == MembershipState.PENDING


@pytest.mark.parametrize("action", [actions.approve_membership, actions.decline_membership])
@pytest.mark.parametrize("state", [MembershipState.ACTIVE, MembershipState.LEFT, MembershipState.BANNED])
def test_only_pending_requests_are_approved_or_declined(manager, make_member, refused, action, state):
    target = make_member(state=state)
    with refused(Conflict):
        action(actor=manager.user, membership=target)


@pytest.mark.parametrize("action", [actions.approve_membership, actions.decline_membership])
@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.MEMBER])
def test_approving_and_declining_need_a_manager(make_member, applicant, refused, action, role):
    actor = make_member(role)
    with refused(NotAllowed):
        action(actor=actor.user, membership=applicant)


# --- Suspending, banning, reinstating ---------------------------------------------------------------


def test_a_moderator_suspends_a_member(make_member, member, commit, published):
    moderator = make_member(Role.MODERATOR)
    until = later(days=7)
    with commit():
        actions.suspend_member(actor=moderator.user, membership=member, until=until, reason="  Rude  ")
    member.refresh_from_db()
    assert (member.state, member.state_reason, member.suspended_until) == (MembershipState.SUSPENDED, "Rude", until)
    assert not member.is_active
    assert_logged(
        Verb.SUSPENDED,
        actor=moderator.user,
        community=member.community,
        target=member,
        reason="Rude",
        to=MembershipState.SUSPENDED,
    )
    assert published == [
        events.MembershipStateChanged(
            community_id=member.community_id,
            actor_id=moderator.user.pk,
            membership_id=member.pk,
            user_id=member.user_id,
            old_state=MembershipState.ACTIVE,
            new_state=MembershipState.SUSPENDED,
            reason="Rude",
        )
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_suspension_needs_a_reason(manager, member, refused, reason):
    with refused(Invalid) as info:
        actions.suspend_member(actor=manager.user, membership=member, until=later(days=1), reason=reason)
    assert "reason" in info.value.errors


@pytest.mark.parametrize("until", [timedelta(0), timedelta(hours=-1)])
def test_a_suspension_must_end_in_the_future(manager, member, refused, until):
    with refused(Invalid) as info:
        actions.suspend_member(actor=manager.user, membership=member, until=timezone.now() + until, reason="Rude")
    assert "until" in info.value.errors


@pytest.mark.parametrize(
    ("actor_role", "target_role"), [(Role.MODERATOR, Role.MODERATOR), (Role.MODERATOR, Role.STAFF)]
)
def test_suspending_someone_of_equal_or_higher_rank_is_refused(make_member, refused, actor_role, target_role):
    actor, target = make_member(actor_role), make_member(target_role)
    with refused(NotAllowed):
        actions.suspend_member(actor=actor.user, membership=target, until=later(days=1), reason="Rude")


def test_suspending_oneself_is_refused(manager, refused):
    with refused(NotAllowed):
        actions.suspend_member(actor=manager.user, membership=manager, until=later(days=1), reason="Holiday")


@pytest.mark.parametrize("state", [MembershipState.PENDING, MembershipState.BANNED, MembershipState.LEFT])
def test_only_current_members_are_suspended(manager, make_member, refused, state):
    target = make_member(state=state)
    with refused(Conflict):
        actions.suspend_member(actor=manager.user, membership=target, until=later(days=1), reason="Rude")


def test_a_suspension_can_be_extended(manager, make_member):
    target = make_member(state=MembershipState.SUSPENDED, suspended_until=later(days=1), state_reason="Rude")
    until = later(days=30)
    actions.suspend_member(actor=manager.user, membership=target, until=until, reason="Rude again")
    target.refresh_from_db()
    assert (target.suspended_until, target.state_reason) == (until, "Rude again")


def test_a_manager_bans_a_member(manager, member, commit, published):
    with commit():
        actions.ban_member(actor=manager.user, membership=member, reason="Spam")
    member.refresh_from_db()
    assert (member.state, member.state_reason) == (MembershipState.BANNED, "Spam")
    assert_logged(Verb.BANNED, actor=manager.user, community=member.community, target=member, reason="Spam")
    assert [(type(e), e.new_state) for e in published] == [(events.MembershipStateChanged, MembershipState.BANNED)]
    assert not can(member.user, Action.POST_IN_SPACE, SpaceFactory(community=member.community))


def test_a_ban_needs_a_reason(manager, member, refused):
    with refused(Invalid):
        actions.ban_member(actor=manager.user, membership=member, reason="")


def test_a_moderator_cannot_ban(make_member, member, refused):
    moderator = make_member(Role.MODERATOR)
    with refused(NotAllowed):
        actions.ban_member(actor=moderator.user, membership=member, reason="Spam")


def test_a_manager_cannot_ban_another_manager(manager, make_member, refused):
    other = make_member(Role.MANAGER)
    with refused(NotAllowed):
        actions.ban_member(actor=manager.user, membership=other, reason="Spam")


def test_banning_twice_is_a_conflict(manager, make_member, refused):
    banned = make_member(state=MembershipState.BANNED, state_reason="Spam")
    with refused(Conflict):
        actions.ban_member(actor=manager.user, membership=banned, reason="Spam")


def test_a_moderator_lifts_a_suspension(make_member, commit, published):
    moderator = make_member(Role.MODERATOR)
    target = make_member(state=MembershipState.SUSPENDED, suspended_until=later(days=3), state_reason="Rude")
    with commit():
        actions.reinstate_member(actor=moderator.user, membership=target, reason="Apologised")
    target.refresh_from_db()
    assert (target.state, target.suspended_until, target.state_reason) == (MembershipState.ACTIVE, None, "Apologised")
    assert_logged(Verb.REINSTATED, actor=moderator.user, community=target.community, target=target)
    assert [(type(e), e.old_state, e.new_state) for e in published] == [
        (events.MembershipStateChanged, MembershipState.SUSPENDED, MembershipState.ACTIVE)
    ]


def test_a_manager_lifts_a_ban(manager, make_member):
    target = make_member(state=MembershipState.BANNED, state_reason="Spam")
    actions.reinstate_member(actor=manager.user, membership=target)
    target.refresh_from_db()
    assert target.state == MembershipState.ACTIVE


def test_a_moderator_cannot_lift_a_ban(make_member, refused):
    moderator = make_member(Role.MODERATOR)
    target = make_member(state=MembershipState.BANNED, state_reason="Spam")
    with refused(NotAllowed):
        actions.reinstate_member(actor=moderator.user, membership=target)


@pytest.mark.parametrize("state", [MembershipState.ACTIVE, MembershipState.PENDING, MembershipState.LEFT])
def test_only_suspended_or_banned_members_are_reinstated(manager, make_member, refused, state):
    target = make_member(state=state)
    with refused(Conflict):
        actions.reinstate_member(actor=manager.user, membership=target)


# --- Changing roles -------------------------------------------------------------------------------


def test_a_manager_makes_a_member_moderator(manager, member, commit, published):
    with commit():
        actions.change_role(actor=manager.user, membership=member, role=Role.MODERATOR)
    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    assert_logged(
        Verb.ROLE_CHANGED,
        actor=manager.user,
        community=member.community,
        target=member,
        **{"from": Role.MEMBER, "to": Role.MODERATOR},
    )
    assert published == [
        events.RoleChanged(
            community_id=member.community_id,
            actor_id=manager.user.pk,
            membership_id=member.pk,
            user_id=member.user_id,
            old_role=Role.MEMBER,
            new_role=Role.MODERATOR,
        )
    ]


def test_an_unknown_role_is_refused(owner, member, refused):
    with refused(Invalid) as info:
        actions.change_role(actor=owner.user, membership=member, role="emperor")
    assert "role" in info.value.errors


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OWNER])
def test_a_manager_cannot_grant_a_role_as_high_as_their_own_or_higher(manager, member, refused, role):
    with refused(NotAllowed):
        actions.change_role(actor=manager.user, membership=member, role=role)


@pytest.mark.parametrize("target_role", [Role.MANAGER, Role.OWNER])
def test_a_manager_cannot_change_someone_of_equal_or_higher_rank(manager, make_member, refused, target_role):
    target = make_member(target_role)
    with refused(NotAllowed):
        actions.change_role(actor=manager.user, membership=target, role=Role.MEMBER)


def test_nobody_changes_their_own_role(owner, refused):
    with refused(NotAllowed):
        actions.change_role(actor=owner.user, membership=owner, role=Role.MEMBER)


def test_a_member_cannot_change_roles(make_member, member, refused):
    other = make_member(Role.MEMBER)
    with refused(NotAllowed):
        actions.change_role(actor=member.user, membership=other, role=Role.EXPERT)


def test_an_owner_can_promote_to_owner_and_owners_act_on_owners(owner, manager):
    actions.change_role(actor=owner.user, membership=manager, role=Role.OWNER)
    manager.refresh_from_db()
    assert manager.role == Role.OWNER
    actions.change_role(actor=manager.user, membership=owner, role=Role.MANAGER)
    owner.refresh_from_db()
    assert owner.role == Role.MANAGER


def test_giving_the_same_role_again_changes_nothing(manager, member, refused):
    before = snapshot()
    actions.change_role(actor=manager.user, membership=member, role=Role.MEMBER)
    assert snapshot() == before


@pytest.mark.parametrize("state", [MembershipState.PENDING, MembershipState.LEFT, MembershipState.BANNED])
def test_only_current_members_are_given_a_role(manager, make_member, refused, state):
    target = make_member(state=state)
    with refused(Conflict):
        actions.change_role(actor=manager.user, membership=target, role=Role.EXPERT)


def test_a_new_role_takes_effect_at_once(manager, member):
    assert not can(member.user, Action.INVITE, member.community)
    actions.change_role(actor=manager.user, membership=member, role=Role.AMBASSADOR)
    fresh = Membership.objects.get(pk=member.pk)
    assert can(fresh.user, Action.INVITE, fresh.community)


# --- Invitations ----------------------------------------------------------------------------------


def test_an_invitation_by_email_sends_the_accept_link_after_commit(manager, commit, published, invitation_url):
    with commit():
        invitation = actions.create_invitation(
            actor=manager.user, community=manager.community, email=" Ana@Example.com "
        )
        assert mail.outbox == []
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role, invitation.max_uses, invitation.uses) == (
        "ana@example.com",
        Role.MEMBER,
        1,
        0,
    )
    assert invitation.inviter == manager.user
    assert invitation.emailed_at is not None
    assert_logged(
        Verb.INVITED, actor=manager.user, community=manager.community, target=invitation, email=True, role=Role.MEMBER
    )
    assert published == [
        events.InvitationCreated(
            community_id=manager.community.pk, actor_id=manager.user.pk, invitation_id=invitation.pk
        )
    ]
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert manager.community.name in message.subject
    assert invitation_url(invitation) in message.body
    assert manager.user.name in message.body


def test_an_invitation_email_is_sent_once(manager, commit, invitation_url):
    from belong.communities.tasks import send_invitation_email

    with commit():
        invitation = actions.create_invitation(actor=manager.user, community=manager.community, email="a@example.com")
    send_invitation_email.enqueue(invitation.pk)
    assert len(mail.outbox) == 1


def test_nothing_is_mailed_when_the_transaction_rolls_back(manager, commit, invitation_url):
    from django.db import transaction

    class Abort(Exception):
        pass

    with commit(), pytest.raises(Abort), transaction.atomic():
        actions.create_invitation(actor=manager.user, community=manager.community, email="a@example.com")
        raise Abort
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_a_link_invitation_sends_no_mail_and_serves_several_people(make_member, commit, published):
    ambassador = make_member(Role.AMBASSADOR)
    with commit():
        invitation = actions.create_invitation(actor=ambassador.user, community=ambassador.community, max_uses=3)
    assert (invitation.email, invitation.max_uses) == ("", 3)
    assert mail.outbox == []
    assert_logged(Verb.INVITED, actor=ambassador.user, community=ambassador.community, target=invitation, email=False)
    people = UserFactory.create_batch(3)
    for person in people:
        actions.accept_invitation(user=person, token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.uses == 3
    assert not invitation.is_usable


def test_a_link_invitation_allows_a_hundred_uses_by_default(manager):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    assert invitation.max_uses == 100


def test_accepting_an_invitation_records_who_invited_whom(manager, user, commit, published):
    community = manager.community
    community.join_policy = JoinPolicy.INVITE
    community.save()
    invitation = actions.create_invitation(actor=manager.user, community=community, role=Role.EXPERT)
    with commit():
        membership = actions.accept_invitation(user=user, token=invitation.token)
    membership.refresh_from_db()
    assert (membership.user, membership.role, membership.state) == (user, Role.EXPERT, MembershipState.ACTIVE)
    assert (membership.invited_by, membership.invitation) == (manager.user, invitation)
    assert membership.joined_at is not None
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert_logged(
        Verb.INVITATION_ACCEPTED,
        actor=user,
        community=community,
        target=membership,
        invitation=invitation.pk,
        invited_by=manager.user.pk,
    )
    assert published == [
        events.MemberJoined(
            community_id=community.pk,
            actor_id=user.pk,
            membership_id=membership.pk,
            user_id=user.pk,
            invited_by_id=manager.user.pk,
        )
    ]


def test_accepting_an_invitation_brings_back_someone_who_left(manager, make_member):
    former = make_member(Role.MEMBER, state=MembershipState.LEFT)
    invitation = actions.create_invitation(actor=manager.user, community=manager.community, role=Role.STAFF)
    membership = actions.accept_invitation(user=former.user, token=invitation.token)
    assert membership.pk == former.pk
    assert (membership.role, membership.state) == (Role.STAFF, MembershipState.ACTIVE)


def test_an_invitation_lets_a_waiting_applicant_straight_in(manager, make_member):
    applicant = make_member(Role.MEMBER, state=MembershipState.PENDING, joined_at=None)
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    membership = actions.accept_invitation(user=applicant.user, token=invitation.token)
    assert membership.pk == applicant.pk
    assert membership.state == MembershipState.ACTIVE
    assert membership.invited_by_id == manager.user_id


def test_an_email_invitation_matches_the_address_whatever_its_case(manager, commit, invitation_url):
    person = UserFactory(email="Ana@Example.com")
    invitation = actions.create_invitation(actor=manager.user, community=manager.community, email="ana@example.com")
    membership = actions.accept_invitation(user=person, token=invitation.token)
    assert membership.state == MembershipState.ACTIVE


def test_accepting_an_unknown_invitation_is_refused(user, refused):
    with refused(NotFound):
        actions.accept_invitation(user=user, token="no-such-token")


def test_accepting_needs_a_signed_in_person(manager, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    with refused(NotAllowed):
        actions.accept_invitation(user=AnonymousUser(), token=invitation.token)


def test_accepting_an_expired_invitation_is_refused(manager, user, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with refused(Invalid):
        actions.accept_invitation(user=user, token=invitation.token)


def test_accepting_a_revoked_invitation_is_refused(manager, user, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    actions.revoke_invitation(actor=manager.user, invitation=invitation)
    with refused(Invalid):
        actions.accept_invitation(user=user, token=invitation.token)


def test_accepting_a_used_up_invitation_is_refused(manager, user, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community, max_uses=1)
    actions.accept_invitation(user=UserFactory(), token=invitation.token)
    with refused(Invalid):
        actions.accept_invitation(user=user, token=invitation.token)


def test_accepting_an_invitation_sent_to_another_address_is_refused(manager, user, refused, commit, invitation_url):
    with commit():
        invitation = actions.create_invitation(actor=manager.user, community=manager.community, email="x@example.com")
    with refused(NotAllowed):
        actions.accept_invitation(user=user, token=invitation.token)


def test_a_banned_person_cannot_come_back_with_an_invitation(manager, make_member, refused):
    banned = make_member(state=MembershipState.BANNED, state_reason="Spam")
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    with refused(NotAllowed):
        actions.accept_invitation(user=banned.user, token=invitation.token)


def test_accepting_an_invitation_when_already_a_member_is_a_conflict(manager, member, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community, role=Role.EXPERT)
    with refused(Conflict):
        actions.accept_invitation(user=member.user, token=invitation.token)


@pytest.mark.parametrize("role", [Role.STAFF, Role.AMBASSADOR])
def test_inviting_with_a_role_as_high_as_ones_own_is_refused(make_member, refused, role):
    actor = make_member(role)
    with refused(NotAllowed):
        actions.create_invitation(actor=actor.user, community=actor.community, role=role)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.EXPERT, Role.MEMBER])
def test_inviting_is_refused_to_roles_without_the_right(make_member, refused, role):
    actor = make_member(role)
    with refused(NotAllowed):
        actions.create_invitation(actor=actor.user, community=actor.community)


def test_inviting_is_refused_to_a_guest(community, refused):
    with refused(NotAuthenticated):
        actions.create_invitation(actor=AnonymousUser(), community=community)


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "emperor"},
        {"max_uses": 0},
        {"max_uses": 10001},
        {"expires_in": timedelta(0)},
        {"expires_in": timedelta(days=366)},
        {"email": "not-an-address"},
    ],
    ids=str,
)
def test_inviting_with_invalid_values_is_refused(manager, refused, fields):
    with refused(Invalid):
        actions.create_invitation(actor=manager.user, community=manager.community, **fields)


def test_inviting_someone_who_is_already_a_member_is_a_conflict(manager, member, refused):
    with refused(Conflict) as info:
        actions.create_invitation(actor=manager.user, community=manager.community, email=member.user.email.upper())
    assert "email" in info.value.errors


def test_the_inviter_revokes_their_invitation(make_member, commit, published):
    ambassador = make_member(Role.AMBASSADOR)
    invitation = actions.create_invitation(actor=ambassador.user, community=ambassador.community)
    with commit():
        actions.revoke_invitation(actor=ambassador.user, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert_logged(Verb.INVITATION_REVOKED, actor=ambassador.user, community=ambassador.community, target=invitation)
    assert published == [
        events.InvitationRevoked(
            community_id=ambassador.community_id, actor_id=ambassador.user.pk, invitation_id=invitation.pk
        )
    ]


def test_a_manager_revokes_someone_elses_invitation(manager, make_member):
    ambassador = make_member(Role.AMBASSADOR)
    invitation = actions.create_invitation(actor=ambassador.user, community=ambassador.community)
    actions.revoke_invitation(actor=manager.user, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.STAFF, Role.MEMBER])
def test_revoking_someone_elses_invitation_needs_a_manager(manager, make_member, refused, role):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    other = make_member(role)
    with refused(NotAllowed):
        actions.revoke_invitation(actor=other.user, invitation=invitation)


def test_revoking_an_invitation_whose_inviter_is_gone_needs_a_manager(manager, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    Invitation.objects.filter(pk=invitation.pk).update(inviter=None)
    with refused(NotAuthenticated):
        actions.revoke_invitation(actor=AnonymousUser(), invitation=invitation)
    actions.revoke_invitation(actor=manager.user, invitation=invitation)


def test_revoking_twice_is_a_conflict(manager, refused):
    invitation = actions.create_invitation(actor=manager.user, community=manager.community)
    actions.revoke_invitation(actor=manager.user, invitation=invitation)
    with refused(Conflict):
        actions.revoke_invitation(actor=manager.user, invitation=invitation)
