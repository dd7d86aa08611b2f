"""The one place that decides who may do what: `can(user, action, obj)`.

Every view, endpoint, bot and task asks here. A decision is made from the person's membership
of the object's community (role and state), their trust level for privileges earned through
activity, and the object itself (a space's visibility, the rank of a member being changed).
Operators (Django superusers) may do what an owner may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import (
    ROLE_RANK,
    Community,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Space,
    SpaceAccess,
    SpaceVisibility,
)
from belong.core.errors import NotAllowed, NotAuthenticated


class Action(StrEnum):
    VIEW_COMMUNITY = "view_community"
    JOIN = "join"
    LEAVE = "leave"
    VIEW_MEMBERS = "view_members"
    INVITE = "invite"
    MANAGE_COMMUNITY = "manage_community"
    MANAGE_SPACES = "manage_spaces"
    MANAGE_MEMBERS = "manage_members"
    SUSPEND_MEMBERS = "suspend_members"
    CHANGE_ROLE = "change_role"
    VIEW_ACTIVITY = "view_activity"
    DELETE_COMMUNITY = "delete_community"
    POST_OFFICIAL = "post_official"
    MODERATE = "moderate"
    VIEW_SPACE = "view_space"
    POST_IN_SPACE = "post_in_space"
    POST_LINKS = "post_links"
    ADD_FREE_TAGS = "add_free_tags"
    FLAG = "flag"
    EDIT_WIKI = "edit_wiki"
    CLOSE_OWN_THREAD = "close_own_thread"


ALL = frozenset(Role)
MANAGERS = frozenset({Role.OWNER, Role.MANAGER})
BRAND = frozenset({Role.OWNER, Role.MANAGER, Role.STAFF})
MODERATORS = frozenset({Role.OWNER, Role.MANAGER, Role.MODERATOR})
INVITERS = frozenset({Role.OWNER, Role.MANAGER, Role.STAFF, Role.AMBASSADOR})

# Which roles an *active* member needs for each community-wide action.
ROLE_ACTIONS: dict[Action, frozenset[Role]] = {
    Action.LEAVE: ALL,
    Action.VIEW_MEMBERS: ALL,
    Action.INVITE: INVITERS,
    Action.MANAGE_COMMUNITY: MANAGERS,
    Action.MANAGE_SPACES: MANAGERS,
    Action.MANAGE_MEMBERS: MANAGERS,
    Action.SUSPEND_MEMBERS: MODERATORS,
    Action.CHANGE_ROLE: MANAGERS,
    Action.VIEW_ACTIVITY: MANAGERS,
    Action.DELETE_COMMUNITY: frozenset({Role.OWNER}),
    Action.POST_OFFICIAL: BRAND,
    Action.MODERATE: MODERATORS | {Role.STAFF},
}

# Privileges earned with trust (Discourse-style); roles above member have them from the start.
TRUST_ACTIONS: dict[Action, int] = {
    Action.POST_LINKS: 1,
    Action.ADD_FREE_TAGS: 1,
    Action.FLAG: 1,
    Action.CLOSE_OWN_THREAD: 2,
    Action.EDIT_WIKI: 3,
}
TRUSTED_ROLES = frozenset(Role) - {Role.MEMBER}

# Roles that see every restricted space of their community.
SEES_ALL_SPACES = BRAND | {Role.MODERATOR}


def community_of(obj: Any) -> Community:
    if isinstance(obj, Community):
        return obj
    community = getattr(obj, "community", None)
    if not isinstance(community, Community):
        raise TypeError(f"{obj!r} does not belong to a community")
    return community


def membership_for(user: Any, community: Community) -> Membership | None:
    """Return the user's membership of the community, cached on the user for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_belong_memberships", {})
    if community.pk not in cache:
        cache[community.pk] = Membership.objects.filter(user=user, community=community).first()
    return cache[community.pk]


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships (and accesses to spaces) after an action changed one."""
    if user is not None:
        user.__dict__.pop("_belong_memberships", None)
        user.__dict__.pop("_belong_space_accesses", None)


def granted_spaces(user: Any, community: Community) -> frozenset[int]:
    """Ids of the restricted spaces of the community the person was let into by name, cached like memberships."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[int]] = user.__dict__.setdefault("_belong_space_accesses", {})
    if community.pk not in cache:
        cache[community.pk] = frozenset(
            SpaceAccess.objects.filter(user=user, space__community=community).values_list("space_id", flat=True)
        )
    return cache[community.pk]


def effective_role(user: Any, membership: Membership | None) -> Role | None:
    """The role the person acts with: an active membership's role, or owner for operators."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return Role.OWNER
    if membership is not None and membership.is_active:
        return Role(membership.role)
    return None


@dataclass(frozen=True)
class Who:
    """What a rule needs to know about the person asking, resolved once per check."""

    user: Any
    membership: Membership | None
    role: Role | None

    @property
    def is_member(self) -> bool:
        return self.role is not None

    def may(self, action: Action | str, obj: Any) -> bool:
        return can(self.user, action, obj)


Rule = Callable[[Who, Any], bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule for an action another app defines (its own StrEnum of action names).

    Apps keep their rules in their own permissions.py, imported from AppConfig.ready(), so `can`
    stays the one function every caller asks, without the communities app importing them.
    """

    def register(func: Rule) -> Rule:
        if action in _rules or action in Action._value2member_map_:
            raise ValueError(f"A rule for {action!r} already exists")
        _rules[action] = func
        return func

    return register


def can(user: Any, action: Action | str, obj: Any) -> bool:
    """Return whether `user` (a User or AnonymousUser) may do `action` on `obj`."""
    community = community_of(obj)
    membership = membership_for(user, community)
    role = effective_role(user, membership)
    if str(action) in _rules:
        return _rules[str(action)](Who(user, membership, role), obj)
    action = Action(action)

    if action is Action.VIEW_COMMUNITY:
        return True
    if action is Action.JOIN:
        return _can_join(user, community, membership)
    if action is Action.VIEW_SPACE:
        return _can_view_space(user, role, obj)
    if action is Action.POST_IN_SPACE:
        return (
            role is not None
            and not _is_silenced(membership)
            and _can_view_space(user, role, obj)
            and not getattr(obj, "is_archived", False)
        )
    if action in TRUST_ACTIONS:
        if role is None:
            return False
        level = membership.trust_level if membership is not None else 4
        return role in TRUSTED_ROLES or level >= TRUST_ACTIONS[action]
    if role is None or role not in ROLE_ACTIONS[action]:
        return False
    if action is Action.INVITE and isinstance(obj, Invitation):
        return _outranks_or_equals(role, obj.role)
    if action in (Action.CHANGE_ROLE, Action.MANAGE_MEMBERS, Action.SUSPEND_MEMBERS) and isinstance(obj, Membership):
        # Nobody acts on themselves this way, and only on people they outrank (owners on owners).
        if membership is not None and obj.pk == membership.pk:
            return False
        return role == Role.OWNER or ROLE_RANK[role] > obj.rank
    return True


def _is_silenced(membership: Membership | None) -> bool:
    """A silenced member reads and reacts but does not post until the date a moderator set."""
    until = membership.silenced_until if membership is not None else None
    return until is not None and until > timezone.now()


def _can_join(user: Any, community: Community, membership: Membership | None) -> bool:
    if not getattr(user, "is_authenticated", False) or community.join_policy == JoinPolicy.INVITE:
        return False
    return membership is None or membership.state == MembershipState.LEFT


def _can_view_space(user: Any, role: Role | None, obj: Any) -> bool:
    if not isinstance(obj, Space):
        raise TypeError("VIEW_SPACE and POST_IN_SPACE apply to spaces")
    if obj.visibility == SpaceVisibility.PUBLIC:
        return True
    if role is None:
        return False
    if obj.visibility == SpaceVisibility.MEMBERS:
        return True
    if role in SEES_ALL_SPACES or role in obj.allowed_roles:
        return True
    return obj.pk in granted_spaces(user, obj.community)


def _outranks_or_equals(role: Role, other: str) -> bool:
    return role == Role.OWNER or ROLE_RANK[role] > ROLE_RANK.get(other, 0)


def check(user: Any, action: Action | str, obj: Any) -> None:
    """Raise NotAuthenticated or NotAllowed unless `user` may do `action` on `obj`."""
    if can(user, action, obj):
        return
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(_("Sign in to do this."))
    raise NotAllowed(_("You are not allowed to do this here."))
