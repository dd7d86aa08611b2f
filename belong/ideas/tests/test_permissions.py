"""Who may do what on the idea board: the role × action matrix, written out as the documentation of the rules.

Each table below names, for one action, every kind of person allowed to do it; everyone else is
refused. Kinds of person:

- the seven roles of an *active* membership: owner … member;
- ``suspended``: a member whose suspension still runs;
- ``outsider``: signed in, no membership of the community;
- ``guest``: not signed in;
- ``operator``: a Django superuser without a membership (operators act as owners).

The idea in the tables is someone else's, open for votes, in a public space; the beta group's
space is restricted to nobody by role; the invitation is addressed to someone else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.communities.actions import grant_space_access
from belong.communities.models import Community, MembershipState, Role, SpaceVisibility
from belong.communities.permissions import can, check
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.core.errors import NotAllowed, NotAuthenticated
from belong.ideas import actions
from belong.ideas.defaults import statuses_of
from belong.ideas.models import BetaGroup, BetaInvitation, Idea, IdeaStatus
from belong.ideas.permissions import IdeaAction
from belong.ideas.tests.factories import IdeaFactory

OWNER, MANAGER, STAFF, MODERATOR = "owner", "manager", "staff", "moderator"
AMBASSADOR, EXPERT, MEMBER = "ambassador", "expert", "member"
SUSPENDED, OUTSIDER, GUEST, OPERATOR = "suspended", "outsider", "guest", "operator"

ROLES = [OWNER, MANAGER, STAFF, MODERATOR, AMBASSADOR, EXPERT, MEMBER]
EVERYONE = frozenset([*ROLES, SUSPENDED, OUTSIDER, GUEST, OPERATOR])
ACTIVE = frozenset([*ROLES, OPERATOR])
BRAND = frozenset({OWNER, MANAGER, STAFF, OPERATOR})
TIDIERS = BRAND | {MODERATOR}
MANAGERS = frozenset({OWNER, MANAGER, OPERATOR})

EXPECTED: dict[IdeaAction, frozenset[str]] = {
    IdeaAction.VIEW_IDEA: EVERYONE,
    IdeaAction.PROPOSE_IDEA: ACTIVE,
    # Someone else's idea: only those who tidy the board edit it.
    IdeaAction.EDIT_IDEA: TIDIERS,
    IdeaAction.VOTE: ACTIVE,
    IdeaAction.CHANGE_STATUS: BRAND,
    IdeaAction.MERGE_IDEAS: TIDIERS,
    IdeaAction.VIEW_VOTERS: TIDIERS,
    IdeaAction.MANAGE_BOARD: MANAGERS,
    IdeaAction.MANAGE_BETA: MANAGERS,
    # The group's space is restricted: the brand and moderators see every restricted space.
    IdeaAction.VIEW_BETA_GROUP: TIDIERS,
    # Only the person invited answers, and nobody in the table is.
    IdeaAction.RESPOND_TO_BETA: frozenset(),
}


def person(kind: str, community: Community) -> Any:
    """Return a user (or AnonymousUser) of the given kind for `community`."""
    if kind == GUEST:
        return AnonymousUser()
    if kind == OUTSIDER:
        return UserFactory()
    if kind == OPERATOR:
        return UserFactory(is_superuser=True, is_staff=True)
    if kind == SUSPENDED:
        return MembershipFactory(
            community=community,
            role=Role.MEMBER,
            state=MembershipState.SUSPENDED,
            suspended_until=timezone.now() + timedelta(days=3),
        ).user
    return MembershipFactory(community=community, role=kind).user


def an_idea(community: Community, **space_fields: Any) -> Idea:
    space = SpaceFactory(community=community, **{"visibility": SpaceVisibility.PUBLIC, **space_fields})
    author = MembershipFactory(community=community).user
    idea: Idea = IdeaFactory(thread__space=space, thread__author=author, thread__title="Sidama light roast")
    return idea


def a_group(community: Community) -> BetaGroup:
    owner = MembershipFactory(community=community, role=Role.OWNER).user
    return actions.create_beta_group(actor=owner, community=community, name="Toetsers")


def obj_for(action: IdeaAction, community: Community) -> Any:
    if action == IdeaAction.PROPOSE_IDEA:
        return SpaceFactory(community=community, visibility=SpaceVisibility.PUBLIC)
    if action in (IdeaAction.MANAGE_BOARD, IdeaAction.MANAGE_BETA):
        return community
    if action == IdeaAction.VIEW_BETA_GROUP:
        return a_group(community)
    if action == IdeaAction.RESPOND_TO_BETA:
        group = a_group(community)
        invitee = MembershipFactory(community=community).user
        return BetaInvitation.objects.create(group=group, user=invitee)
    return an_idea(community)


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(IdeaAction)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("action", list(IdeaAction), ids=str)
def test_role_action_matrix(kind, action):
    community = CommunityFactory()
    obj = obj_for(action, community)
    assert can(person(kind, community), action, obj) is (kind in EXPECTED[action])


# --- An idea's own circumstances -----------------------------------------------------------------

# What the author may still do with their own idea, and what a moderator may, as it changes.
AUTHOR_EDITS = {"open": True, "declined": False, "shipped": False, "locked": False, "merged": False}


def _close(idea: Idea, how: str) -> None:
    statuses = {status.key: status for status in statuses_of(idea.community)}
    if how in ("declined", "shipped"):
        Idea.objects.filter(pk=idea.pk).update(status=statuses[how])
    elif how == "locked":
        idea.thread.is_locked = True
        idea.thread.save(update_fields=["is_locked"])
    elif how == "merged":
        other = IdeaFactory(thread__space=idea.thread.space)
        Idea.objects.filter(pk=idea.pk).update(merged_into=other)


@pytest.mark.django_db
@pytest.mark.parametrize("how", sorted(AUTHOR_EDITS))
def test_the_author_edits_their_idea_only_while_it_is_open(how):
    community = CommunityFactory()
    idea = an_idea(community)
    _close(idea, how)
    idea = Idea.objects.select_related("thread__space", "status").get(pk=idea.pk)
    assert can(idea.thread.author, IdeaAction.EDIT_IDEA, idea) is AUTHOR_EDITS[how]
    assert can(person(MODERATOR, community), IdeaAction.EDIT_IDEA, idea)


@pytest.mark.django_db
def test_a_suspended_author_cannot_edit_their_idea():
    community = CommunityFactory()
    idea = an_idea(community)
    assert idea.thread.author_id is not None
    author = User.objects.get(pk=idea.thread.author_id)
    author.memberships.update(state=MembershipState.SUSPENDED, suspended_until=timezone.now() + timedelta(days=1))
    assert not can(author, IdeaAction.EDIT_IDEA, idea)


# Who sees a hidden idea, and so may vote on it (the vote action then explains it takes no votes).
SEES_HIDDEN = frozenset({OWNER, MANAGER, STAFF, MODERATOR, OPERATOR})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
def test_a_hidden_idea_is_seen_by_moderators_and_the_brand(kind):
    community = CommunityFactory()
    idea = an_idea(community)
    idea.thread.is_hidden = True
    idea.thread.save(update_fields=["is_hidden"])
    user = person(kind, community)
    assert can(user, IdeaAction.VIEW_IDEA, idea) is (kind in SEES_HIDDEN)
    assert can(user, IdeaAction.VOTE, idea) is (kind in SEES_HIDDEN)


@pytest.mark.django_db
def test_the_author_still_sees_their_hidden_idea():
    idea = an_idea(CommunityFactory())
    idea.thread.is_hidden = True
    idea.thread.save(update_fields=["is_hidden"])
    assert can(idea.thread.author, IdeaAction.VIEW_IDEA, idea)


SPACE_KINDS: dict[str, dict[str, Any]] = {
    "members": {"visibility": SpaceVisibility.MEMBERS},
    "restricted to experts": {"visibility": SpaceVisibility.RESTRICTED, "allowed_roles": [Role.EXPERT]},
}
SEES_SPACE = {
    "members": ACTIVE,
    "restricted to experts": frozenset({OWNER, MANAGER, STAFF, MODERATOR, EXPERT, OPERATOR}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("space_kind", sorted(SPACE_KINDS))
def test_ideas_are_seen_and_voted_on_where_their_space_is_seen(kind, space_kind):
    community = CommunityFactory()
    idea = an_idea(community, **SPACE_KINDS[space_kind])
    user = person(kind, community)
    sees = kind in SEES_SPACE[space_kind]
    assert can(user, IdeaAction.VIEW_IDEA, idea) is sees
    assert can(user, IdeaAction.VOTE, idea) is (sees and kind in ACTIVE)
    assert can(user, IdeaAction.PROPOSE_IDEA, idea.thread.space) is (sees and kind in ACTIVE)


@pytest.mark.django_db
def test_a_member_let_into_a_restricted_space_sees_its_ideas_and_its_beta_group():
    community = CommunityFactory()
    group = a_group(community)
    idea: Idea = IdeaFactory(thread__space=group.space)
    member = person(MEMBER, community)
    assert not can(member, IdeaAction.VIEW_IDEA, idea)
    assert not can(member, IdeaAction.VIEW_BETA_GROUP, group)
    grant_space_access(space=group.space, user=member, granted_by=None)
    assert can(member, IdeaAction.VIEW_IDEA, idea)
    assert can(member, IdeaAction.VOTE, idea)
    assert can(member, IdeaAction.VIEW_BETA_GROUP, group)
    assert not can(member, IdeaAction.MERGE_IDEAS, idea)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "allowed"),
    [(MembershipState.ACTIVE, True), (MembershipState.SUSPENDED, False), (MembershipState.LEFT, False)],
)
def test_the_invited_member_answers_while_active(state, allowed):
    community = CommunityFactory()
    group = a_group(community)
    invitee = MembershipFactory(
        community=community, state=state, suspended_until=timezone.now() + timedelta(days=1)
    ).user
    invitation = BetaInvitation.objects.create(group=group, user=invitee)
    assert can(invitee, IdeaAction.RESPOND_TO_BETA, invitation) is allowed


@pytest.mark.django_db
def test_the_brand_decides_only_on_ideas_it_can_see():
    """A manager of another community has no say here."""
    community = CommunityFactory()
    idea = an_idea(community)
    elsewhere = MembershipFactory(community=CommunityFactory(), role=Role.MANAGER).user
    assert not can(elsewhere, IdeaAction.CHANGE_STATUS, idea)
    assert not can(elsewhere, IdeaAction.MANAGE_BOARD, community)


@pytest.mark.django_db
def test_check_asks_guests_to_sign_in_and_refuses_members():
    community = CommunityFactory()
    idea = an_idea(community)
    with pytest.raises(NotAuthenticated):
        check(AnonymousUser(), IdeaAction.VOTE, idea)
    with pytest.raises(NotAllowed):
        check(person(MEMBER, community), IdeaAction.CHANGE_STATUS, idea)
    check(person(STAFF, community), IdeaAction.CHANGE_STATUS, idea)
    assert IdeaStatus.objects.filter(community=community).count() == 6
