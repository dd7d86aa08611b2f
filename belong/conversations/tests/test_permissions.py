"""Who may do what with threads and posts: the conversation rules written out as tables.

Each table names, for one situation and action, every kind of person allowed; everyone else is
refused. Kinds of person:

- the seven roles of an *active* membership: owner … member (a plain member has trust level 0);
- ``author``: a plain member who wrote the thread (a question) and the reply acted on;
- ``guest``: not signed in; ``outsider``: signed in, no membership of the community;
- ``pending`` / ``suspended`` / ``banned`` / ``left``: a membership (role member) in that state;
- ``operator``: a Django superuser without a membership (operators act as owners).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Community, MembershipState, Role, Space, SpaceVisibility
from belong.communities.permissions import can, check
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.permissions import CONVERSATION_MODERATORS
from belong.conversations.permissions import ConversationAction as Can
from belong.conversations.tests.factories import PostFactory, TagFactory, ThreadFactory
from belong.core.errors import NotAllowed, NotAuthenticated

OWNER, MANAGER, STAFF, MODERATOR = "owner", "manager", "staff", "moderator"
AMBASSADOR, EXPERT, MEMBER, AUTHOR = "ambassador", "expert", "member", "author"
GUEST, OUTSIDER, PENDING, SUSPENDED, BANNED, LEFT = "guest", "outsider", "pending", "suspended", "banned", "left"
OPERATOR = "operator"

ROLES = [OWNER, MANAGER, STAFF, MODERATOR, AMBASSADOR, EXPERT, MEMBER]
NOT_TAKING_PART = [GUEST, OUTSIDER, PENDING, SUSPENDED, BANNED, LEFT]
EVERYONE = frozenset([*ROLES, AUTHOR, *NOT_TAKING_PART, OPERATOR])

# Shorthands for the tables.
NOBODY: frozenset[str] = frozenset()
ACTIVE = frozenset([*ROLES, AUTHOR, OPERATOR])  # every active membership, and operators
SIGNED_IN = EVERYONE - {GUEST}
BRAND = frozenset({OWNER, MANAGER, STAFF, OPERATOR})
MODERATORS = BRAND | {MODERATOR}  # conversation moderators: the brand and moderators
MODERATORS_AND_AUTHOR = MODERATORS | {AUTHOR}
SEES_EXPERTS_SPACE = MODERATORS | {EXPERT}

# Where the thread lives and what happened to it.
SITUATIONS: dict[str, dict[str, Any]] = {
    "public": {},
    "locked": {"thread": {"is_locked": True}},
    "hidden": {"thread": {"is_hidden": True}},
    "members space": {"space": {"visibility": SpaceVisibility.MEMBERS}},
    "restricted space": {"space": {"visibility": SpaceVisibility.RESTRICTED, "allowed_roles": [Role.EXPERT]}},
    "archived space": {"space": {"is_archived": True}},
}
THREAD_ACTIONS = [Can.VIEW_THREAD, Can.REPLY, Can.ACCEPT_ANSWER, Can.TAG_THREAD, Can.MODERATE_THREAD, Can.FOLLOW]
THREAD_ACTIONS += [Can.BOOKMARK, Can.CLOSE_THREAD]
POST_ACTIONS = [Can.EDIT_POST, Can.DELETE_POST, Can.REACT, Can.SET_WIKI]

EXPECTED: dict[tuple[str, Can], frozenset[str]] = {
    # Public space: anyone reads; active members reply and react to others; the asker and moderators decide.
    ("public", Can.VIEW_THREAD): EVERYONE,
    ("public", Can.REPLY): ACTIVE,
    ("public", Can.ACCEPT_ANSWER): MODERATORS_AND_AUTHOR,
    ("public", Can.TAG_THREAD): MODERATORS_AND_AUTHOR,
    ("public", Can.MODERATE_THREAD): MODERATORS,
    # Following and bookmarking are personal: whoever can read may, even without a membership.
    ("public", Can.FOLLOW): SIGNED_IN,
    ("public", Can.BOOKMARK): SIGNED_IN,
    ("public", Can.EDIT_POST): MODERATORS_AND_AUTHOR,
    ("public", Can.DELETE_POST): MODERATORS_AND_AUTHOR,
    ("public", Can.REACT): ACTIVE - {AUTHOR},
    # Closing one's own thread needs trust level 2, which the plain member here has not earned.
    ("public", Can.CLOSE_THREAD): MODERATORS,
    ("public", Can.SET_WIKI): MODERATORS_AND_AUTHOR,
    # Locked: only moderators reply or edit; the author may still delete their own post.
    ("locked", Can.VIEW_THREAD): EVERYONE,
    ("locked", Can.REPLY): MODERATORS,
    ("locked", Can.ACCEPT_ANSWER): MODERATORS_AND_AUTHOR,
    ("locked", Can.TAG_THREAD): MODERATORS_AND_AUTHOR,
    ("locked", Can.MODERATE_THREAD): MODERATORS,
    ("locked", Can.FOLLOW): SIGNED_IN,
    ("locked", Can.BOOKMARK): SIGNED_IN,
    ("locked", Can.EDIT_POST): MODERATORS,
    ("locked", Can.DELETE_POST): MODERATORS_AND_AUTHOR,
    ("locked", Can.REACT): ACTIVE - {AUTHOR},
    ("locked", Can.CLOSE_THREAD): MODERATORS,
    ("locked", Can.SET_WIKI): MODERATORS,
    # Hidden: gone for everyone but moderators and its author, who may not reply to it either.
    ("hidden", Can.VIEW_THREAD): MODERATORS_AND_AUTHOR,
    ("hidden", Can.REPLY): MODERATORS,
    ("hidden", Can.ACCEPT_ANSWER): MODERATORS_AND_AUTHOR,
    ("hidden", Can.TAG_THREAD): MODERATORS_AND_AUTHOR,
    ("hidden", Can.MODERATE_THREAD): MODERATORS,
    ("hidden", Can.FOLLOW): MODERATORS_AND_AUTHOR,
    ("hidden", Can.BOOKMARK): MODERATORS_AND_AUTHOR,
    ("hidden", Can.EDIT_POST): MODERATORS_AND_AUTHOR,
    ("hidden", Can.DELETE_POST): MODERATORS_AND_AUTHOR,
    ("hidden", Can.REACT): MODERATORS,
    ("hidden", Can.CLOSE_THREAD): MODERATORS,
    ("hidden", Can.SET_WIKI): MODERATORS_AND_AUTHOR,
    # Members-only space: as public, but only for active members.
    ("members space", Can.VIEW_THREAD): ACTIVE,
    ("members space", Can.REPLY): ACTIVE,
    ("members space", Can.ACCEPT_ANSWER): MODERATORS_AND_AUTHOR,
    ("members space", Can.TAG_THREAD): MODERATORS_AND_AUTHOR,
    ("members space", Can.MODERATE_THREAD): MODERATORS,
    ("members space", Can.FOLLOW): ACTIVE,
    ("members space", Can.BOOKMARK): ACTIVE,
    ("members space", Can.EDIT_POST): MODERATORS_AND_AUTHOR,
    ("members space", Can.DELETE_POST): MODERATORS_AND_AUTHOR,
    ("members space", Can.REACT): ACTIVE - {AUTHOR},
    ("members space", Can.CLOSE_THREAD): MODERATORS,
    ("members space", Can.SET_WIKI): MODERATORS_AND_AUTHOR,
    # A space for experts: an author who no longer belongs there (a former expert) loses their say too.
    ("restricted space", Can.VIEW_THREAD): SEES_EXPERTS_SPACE,
    ("restricted space", Can.REPLY): SEES_EXPERTS_SPACE,
    ("restricted space", Can.ACCEPT_ANSWER): MODERATORS,
    ("restricted space", Can.TAG_THREAD): MODERATORS,
    ("restricted space", Can.MODERATE_THREAD): MODERATORS,
    ("restricted space", Can.FOLLOW): SEES_EXPERTS_SPACE,
    ("restricted space", Can.BOOKMARK): SEES_EXPERTS_SPACE,
    ("restricted space", Can.EDIT_POST): MODERATORS,
    ("restricted space", Can.DELETE_POST): MODERATORS,
    ("restricted space", Can.REACT): SEES_EXPERTS_SPACE,
    ("restricted space", Can.CLOSE_THREAD): MODERATORS,
    ("restricted space", Can.SET_WIKI): MODERATORS,
    # Archived: readable, nobody replies (not even moderators); what is there can still be tidied up.
    ("archived space", Can.VIEW_THREAD): EVERYONE,
    ("archived space", Can.REPLY): NOBODY,
    ("archived space", Can.ACCEPT_ANSWER): MODERATORS_AND_AUTHOR,
    ("archived space", Can.TAG_THREAD): MODERATORS_AND_AUTHOR,
    ("archived space", Can.MODERATE_THREAD): MODERATORS,
    ("archived space", Can.FOLLOW): SIGNED_IN,
    ("archived space", Can.BOOKMARK): SIGNED_IN,
    ("archived space", Can.EDIT_POST): MODERATORS_AND_AUTHOR,
    ("archived space", Can.DELETE_POST): MODERATORS_AND_AUTHOR,
    ("archived space", Can.REACT): ACTIVE - {AUTHOR},
    ("archived space", Can.CLOSE_THREAD): MODERATORS,
    ("archived space", Can.SET_WIKI): MODERATORS_AND_AUTHOR,
}

# Starting threads, per space: announcements and calls for feedback speak for the brand.
SPACE_ACTIONS = [Can.START_THREAD, Can.START_BRAND_THREAD]
SPACES = ["public", "members space", "restricted space", "archived space"]
EXPECTED_IN_SPACE: dict[tuple[str, Can], frozenset[str]] = {
    ("public", Can.START_THREAD): ACTIVE,
    ("public", Can.START_BRAND_THREAD): BRAND,
    ("members space", Can.START_THREAD): ACTIVE,
    ("members space", Can.START_BRAND_THREAD): BRAND,
    ("restricted space", Can.START_THREAD): SEES_EXPERTS_SPACE,
    ("restricted space", Can.START_BRAND_THREAD): BRAND,
    ("archived space", Can.START_THREAD): NOBODY,
    ("archived space", Can.START_BRAND_THREAD): NOBODY,
}

# Community-wide: official tags and the product list, and curating collections.
EXPECTED_IN_COMMUNITY: dict[Can, frozenset[str]] = {
    Can.MANAGE_TAGS: MODERATORS,
    Can.MANAGE_PRODUCTS: BRAND,
    Can.COLLECT: ACTIVE,
}


def person(kind: str, community: Community, author: Any) -> Any:
    """Return a user (or AnonymousUser) of the given kind for `community`."""
    if kind == AUTHOR:
        return author
    if kind == GUEST:
        return AnonymousUser()
    if kind == OUTSIDER:
        return UserFactory()
    if kind == OPERATOR:
        return UserFactory(is_superuser=True, is_staff=True)
    if kind in ROLES:
        return MembershipFactory(community=community, role=kind).user
    state = {
        PENDING: MembershipState.PENDING,
        SUSPENDED: MembershipState.SUSPENDED,
        BANNED: MembershipState.BANNED,
        LEFT: MembershipState.LEFT,
    }[kind]
    extra = {"suspended_until": timezone.now() + timedelta(days=3)} if kind == SUSPENDED else {}
    return MembershipFactory(community=community, role=Role.MEMBER, state=state, **extra).user


def scene(situation: str, kind: str, thread_kind: str = ThreadKind.QUESTION) -> tuple[Any, Thread, Post]:
    """A question by `author` in a space of the situation, a reply of theirs, and the person of `kind`."""
    settings = SITUATIONS[situation]
    community = CommunityFactory()
    space: Space = SpaceFactory(community=community, **settings.get("space", {}))
    author = MembershipFactory(community=community, role=Role.MEMBER).user
    thread: Thread = ThreadFactory(space=space, author=author, kind=thread_kind, **settings.get("thread", {}))
    post: Post = PostFactory(thread=thread, author=author)
    return person(kind, community, author), thread, post


def test_the_tables_cover_every_action():
    covered = {action for _situation, action in EXPECTED} | {a for _s, a in EXPECTED_IN_SPACE}
    assert covered | set(EXPECTED_IN_COMMUNITY) == set(Can)
    assert set(EXPECTED) == {(s, a) for s in SITUATIONS for a in [*THREAD_ACTIONS, *POST_ACTIONS]}
    assert set(EXPECTED_IN_SPACE) == {(s, a) for s in SPACES for a in SPACE_ACTIONS}


def test_the_brand_and_moderators_moderate_conversations():
    assert {str(role) for role in CONVERSATION_MODERATORS} == MODERATORS - {OPERATOR}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize(("situation", "action"), sorted(EXPECTED), ids=lambda v: str(v))
def test_conversation_matrix(kind, situation, action):
    user, thread, post = scene(situation, kind)
    obj = post if action in POST_ACTIONS else thread
    assert can(user, action, obj) is (kind in EXPECTED[(situation, action)])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize(("situation", "action"), sorted(EXPECTED_IN_SPACE), ids=lambda v: str(v))
def test_starting_threads_matrix(kind, situation, action):
    user, thread, _post = scene(situation, kind)
    assert can(user, action, thread.space) is (kind in EXPECTED_IN_SPACE[(situation, action)])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("action", sorted(EXPECTED_IN_COMMUNITY), ids=str)
def test_community_wide_matrix(kind, action):
    user, thread, _post = scene("public", kind)
    assert can(user, action, thread.community) is (kind in EXPECTED_IN_COMMUNITY[action])


# --- Beyond the tables ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("thread_kind", [k for k in ThreadKind if k != ThreadKind.QUESTION], ids=str)
def test_only_questions_have_answers_to_accept(kind, thread_kind):
    user, thread, _post = scene("public", kind, thread_kind)
    assert not can(user, Can.ACCEPT_ANSWER, thread)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
def test_nobody_edits_deletes_or_reacts_to_a_deleted_post(kind):
    user, _thread, post = scene("public", kind)
    post.deleted_at = timezone.now()
    assert not any(can(user, action, post) for action in POST_ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
def test_nobody_reacts_to_a_hidden_post_but_its_author_and_moderators_still_edit_it(kind):
    user, _thread, post = scene("public", kind)
    post.is_hidden = True
    assert not can(user, Can.REACT, post)
    assert can(user, Can.EDIT_POST, post) is (kind in MODERATORS_AND_AUTHOR)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
@pytest.mark.parametrize("situation", ["public", "members space", "restricted space"])
def test_following_a_space_follows_what_one_can_see(kind, situation):
    user, thread, _post = scene(situation, kind)
    expected = {"public": SIGNED_IN, "members space": ACTIVE, "restricted space": SEES_EXPERTS_SPACE}[situation]
    assert can(user, Can.FOLLOW, thread.space) is (kind in expected)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERYONE))
def test_tags_are_public_names_anyone_signed_in_may_follow(kind):
    user, thread, _post = scene("public", kind)
    assert can(user, Can.FOLLOW, TagFactory(community=thread.community)) is (kind in SIGNED_IN)


@pytest.mark.django_db
def test_a_reply_by_someone_else_is_theirs_to_edit_not_the_askers():
    asker, thread, _post = scene("public", AUTHOR)
    other = MembershipFactory(community=thread.community).user
    reply = PostFactory(thread=thread, author=other)
    assert can(other, Can.EDIT_POST, reply) and can(other, Can.DELETE_POST, reply)
    assert not can(asker, Can.EDIT_POST, reply) and not can(asker, Can.DELETE_POST, reply)
    assert can(asker, Can.REACT, reply) and not can(other, Can.REACT, reply)


@pytest.mark.django_db
def test_an_expired_suspension_lets_the_member_take_part_again():
    member, thread, _post = scene("public", MEMBER)
    member.memberships.update(state=MembershipState.SUSPENDED, suspended_until=timezone.now() - timedelta(minutes=1))
    member.__dict__.pop("_belong_memberships", None)
    assert can(member, Can.REPLY, thread)


@pytest.mark.django_db
def test_check_asks_a_guest_to_sign_in_and_refuses_a_member():
    member, thread, _post = scene("locked", MEMBER)
    with pytest.raises(NotAuthenticated):
        check(AnonymousUser(), Can.REPLY, thread)
    with pytest.raises(NotAllowed):
        check(member, Can.REPLY, thread)


@pytest.mark.django_db
def test_rules_are_asked_in_the_objects_own_community():
    """A manager elsewhere is nobody here."""
    _member, thread, post = scene("public", MEMBER)
    manager_elsewhere = MembershipFactory(community=CommunityFactory(), role=Role.MANAGER).user
    assert not can(manager_elsewhere, Can.MODERATE_THREAD, thread)
    assert not can(manager_elsewhere, Can.EDIT_POST, post)
    assert not can(manager_elsewhere, Can.REPLY, thread)


@pytest.mark.django_db
def test_checking_a_page_of_posts_reads_the_membership_once(django_assert_num_queries):
    member, thread, post = scene("public", MEMBER)
    posts: list[Post] = [post, *(PostFactory(thread=thread) for _ in range(5))]
    thread = Thread.objects.select_related("space__community").get(pk=thread.pk)
    for item in posts:
        item.thread = thread
    with django_assert_num_queries(1):
        for item in posts:
            for action in POST_ACTIONS:
                can(member, action, item)
