"""Every change to communities, spaces, memberships and invitations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.accounts.sessions import end_sessions_and_tokens
from belong.communities import events
from belong.communities.models import (
    Community,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Space,
    SpaceAccess,
)
from belong.communities.permissions import Action, can, check, forget_memberships
from belong.communities.tasks import send_invitation_email
from belong.core.activity import record_activity
from belong.core.audit import record_moderation
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import on_commit_publish
from belong.core.tasks import enqueue_on_commit
from belong.core.validation import reject_unknown_fields, validate_instance


class Verb:
    COMMUNITY_CREATED = "community.created"
    COMMUNITY_UPDATED = "community.updated"
    SPACE_CREATED = "space.created"
    SPACE_UPDATED = "space.updated"
    JOINED = "member.joined"
    VISITED = "member.visited"
    REQUESTED = "member.requested"
    APPROVED = "member.approved"
    DECLINED = "member.declined"
    LEFT = "member.left"
    ROLE_CHANGED = "member.role_changed"
    SUSPENDED = "member.suspended"
    BANNED = "member.banned"
    REINSTATED = "member.reinstated"
    INVITED = "invitation.created"
    INVITATION_REVOKED = "invitation.revoked"
    INVITATION_ACCEPTED = "invitation.accepted"
    SPACE_ACCESS_GRANTED = "space.access_granted"
    SPACE_ACCESS_REVOKED = "space.access_revoked"


# State changes a moderator makes to a member: they go in the moderation log too.
MODERATION_VERBS = frozenset({Verb.SUSPENDED, Verb.BANNED, Verb.REINSTATED})

COMMUNITY_FIELDS = ("name", "slug", "description", "purpose", "goals", "languages", "join_policy")
SPACE_FIELDS = ("name", "slug", "description", "visibility", "allowed_roles", "position", "is_archived")


def _clean_languages(languages: list[str]) -> list[str]:
    cleaned = []
    for code in languages:
        code = str(code).strip().lower()
        if not code.replace("-", "").isalpha() or not (2 <= len(code) <= 8):
            raise Invalid(
                _("“%(code)s” is not a language code.") % {"code": code},
                errors={"languages": [_("Use codes such as en, pt, bg, af.")]},
            )
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise Invalid(
            _("Unknown role: %(role)s") % {"role": role}, errors={"role": [_("Pick one of the listed roles.")]}
        )


def _clean_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise Invalid(
            _("Unknown role: %(role)s") % {"role": unknown[0]}, errors={"allowed_roles": [_("Unknown role.")]}
        )
    return list(dict.fromkeys(roles))


@transaction.atomic
def create_community(*, creator: Any, name: str, slug: str, **fields: Any) -> Community:
    """Found a community, make the creator its owner and give it a first space."""
    if not getattr(creator, "is_authenticated", False):
        raise NotAllowed(_("Sign in to create a community."))
    reject_unknown_fields(fields, COMMUNITY_FIELDS)
    fields["languages"] = _clean_languages(fields.get("languages") or [getattr(creator, "locale", "en") or "en"])
    community = Community(name=name, slug=slug, created_by=creator, **fields)
    validate_instance(community)
    community.save()
    Membership.objects.create(
        community=community, user=creator, role=Role.OWNER, state=MembershipState.ACTIVE, joined_at=timezone.now()
    )
    recount_members(community.pk)
    community.refresh_from_db(fields=["member_count"])
    forget_memberships(creator)
    Space.objects.create(community=community, name=_("General"), slug="general")
    record_activity(actor=creator, verb=Verb.COMMUNITY_CREATED, target=community)
    on_commit_publish(events.CommunityCreated(community_id=community.pk, actor_id=creator.pk))
    return community


@transaction.atomic
def update_community(*, actor: Any, community: Community, **changes: Any) -> Community:
    """Change a community's settings (managers)."""
    check(actor, Action.MANAGE_COMMUNITY, community)
    reject_unknown_fields(changes, COMMUNITY_FIELDS)
    if "languages" in changes:
        changes["languages"] = _clean_languages(changes["languages"])
    community = Community.objects.select_for_update().get(pk=community.pk)
    for field, value in changes.items():
        setattr(community, field, value)
    validate_instance(community)
    community.save()
    record_activity(actor=actor, verb=Verb.COMMUNITY_UPDATED, target=community, data={"changed": sorted(changes)})
    on_commit_publish(
        events.CommunityUpdated(community_id=community.pk, actor_id=actor.pk, changed=tuple(sorted(changes)))
    )
    return community


@transaction.atomic
def create_space(*, actor: Any, community: Community, name: str, slug: str, **fields: Any) -> Space:
    """Add a space to the community (managers)."""
    check(actor, Action.MANAGE_SPACES, community)
    reject_unknown_fields(fields, SPACE_FIELDS)
    if "allowed_roles" in fields:
        fields["allowed_roles"] = _clean_roles(fields["allowed_roles"])
    space = Space(community=community, name=name, slug=slug, **fields)
    validate_instance(space)
    space.save()
    record_activity(actor=actor, verb=Verb.SPACE_CREATED, target=space)
    on_commit_publish(events.SpaceCreated(community_id=community.pk, actor_id=actor.pk, space_id=space.pk))
    return space


@transaction.atomic
def update_space(*, actor: Any, space: Space, **changes: Any) -> Space:
    """Change a space's name, visibility, order or archive it (managers)."""
    check(actor, Action.MANAGE_SPACES, space.community)
    reject_unknown_fields(changes, SPACE_FIELDS)
    if "allowed_roles" in changes:
        changes["allowed_roles"] = _clean_roles(changes["allowed_roles"])
    space = Space.objects.select_for_update().get(pk=space.pk)
    for field, value in changes.items():
        setattr(space, field, value)
    validate_instance(space)
    space.save()
    record_activity(actor=actor, verb=Verb.SPACE_UPDATED, target=space, data={"changed": sorted(changes)})
    on_commit_publish(events.SpaceUpdated(community_id=space.community_id, actor_id=actor.pk, space_id=space.pk))
    return space


def grant_space_access(*, space: Space, user: Any, granted_by: Any) -> SpaceAccess:
    """Let one person into a restricted space by name; the calling action has decided who may.

    Runs inside the caller's transaction (a private beta group's acceptance, for one).
    """
    access, created = SpaceAccess.objects.get_or_create(space=space, user=user, defaults={"granted_by": granted_by})
    if not created and access.via:
        # A person (or a beta group) now lets them in too: the access is theirs, no perk takes it back.
        access.via, access.granted_by = "", granted_by
        access.save(update_fields=["via", "granted_by"])
    if created:
        record_activity(actor=granted_by, verb=Verb.SPACE_ACCESS_GRANTED, target=space, data={"user": user.pk})
    forget_memberships(user)
    return access


def revoke_space_access(*, space: Space, user: Any, revoked_by: Any) -> None:
    """Take back a person's access by name (their role may still let them in)."""
    deleted, _rows = SpaceAccess.objects.filter(space=space, user=user).delete()
    if deleted:
        record_activity(actor=revoked_by, verb=Verb.SPACE_ACCESS_REVOKED, target=space, data={"user": user.pk})
    forget_memberships(user)


def record_visit(*, user: Any, community_id: int) -> None:
    """Log a member's visit to a community once a day: trust levels count the days visited.

    The cache keeps it to one row a day per process (the key expires by the next day); a second
    process may log the same day again, which counting distinct days makes harmless.
    """
    if not getattr(user, "is_authenticated", False):
        return
    today = timezone.localdate()
    if not cache.add(f"visit:{community_id}:{user.pk}:{today.isoformat()}", 1, timeout=VISIT_KEY_SECONDS):
        return
    if not Membership.objects.filter(user=user, community_id=community_id, state=MembershipState.ACTIVE).exists():
        return
    record_activity(actor=user, verb=Verb.VISITED, community=community_id)
    on_commit_publish(events.MemberVisited(community_id=community_id, actor_id=user.pk, day=today.isoformat()))


VISIT_KEY_SECONDS = 26 * 60 * 60


def recount_members(community_id: int) -> None:
    """Refresh the community's cached count of active members (after any change of a membership's state).

    Public for code that writes memberships without the actions: test factories, bench/generate.py.
    """
    active = (
        Membership.objects.filter(community_id=community_id, state=MembershipState.ACTIVE)
        .values("community_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Community.objects.filter(pk=community_id).update(member_count=Coalesce(Subquery(active[:1]), Value(0)))


def _locked_membership(user: Any, community: Community) -> Membership | None:
    return Membership.objects.select_for_update().filter(user=user, community=community).first()


def _refuse_existing(membership: Membership | None) -> None:
    """Explain why someone who already has a membership cannot join again."""
    if membership is None or membership.state == MembershipState.LEFT:
        return
    if membership.state == MembershipState.BANNED:
        raise NotAllowed(_("You are banned from this community."))
    if membership.state == MembershipState.SUSPENDED and not membership.is_active:
        raise NotAllowed(_("Your membership is suspended."))
    if membership.state == MembershipState.PENDING:
        raise Conflict(_("Your request to join is waiting for approval."))
    raise Conflict(_("You are already a member of this community."))


@transaction.atomic
def join_community(*, user: Any, community: Community) -> Membership:
    """Join an open community, or ask to join one that needs approval."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to join."))
    membership = _locked_membership(user, community)
    _refuse_existing(membership)
    if community.join_policy == JoinPolicy.INVITE:
        raise NotAllowed(_("This community is invite-only."))
    state = MembershipState.ACTIVE if community.join_policy == JoinPolicy.OPEN else MembershipState.PENDING
    if membership is None:
        membership = Membership(community=community, user=user)
    membership.role = Role.MEMBER
    membership.state = state
    membership.state_reason = ""
    membership.joined_at = timezone.now() if state == MembershipState.ACTIVE else None
    membership.save()
    recount_members(membership.community_id)
    forget_memberships(user)
    if state == MembershipState.ACTIVE:
        record_activity(actor=user, verb=Verb.JOINED, target=membership, community=community)
        on_commit_publish(
            events.MemberJoined(
                community_id=community.pk, actor_id=user.pk, membership_id=membership.pk, user_id=user.pk
            )
        )
    else:
        record_activity(actor=user, verb=Verb.REQUESTED, target=membership, community=community)
        on_commit_publish(
            events.MembershipRequested(
                community_id=community.pk, actor_id=user.pk, membership_id=membership.pk, user_id=user.pk
            )
        )
    return membership


@transaction.atomic
def leave_community(*, user: Any, community: Community) -> Membership:
    """Leave a community; the last owner must hand over first."""
    membership = _locked_membership(user, community)
    if membership is None or membership.state in (MembershipState.LEFT,):
        raise NotFound(_("You are not a member of this community."))
    if membership.state in (MembershipState.BANNED, MembershipState.SUSPENDED) and not membership.is_active:
        raise NotAllowed(_("A suspended or banned member cannot leave; the state stays on record."))
    if membership.role == Role.OWNER and not _other_active_owner_exists(membership):
        raise Conflict(_("You are the only owner: make someone else owner before leaving."))
    membership.state = MembershipState.LEFT
    membership.save(update_fields=["state", "updated_at"])
    recount_members(membership.community_id)
    forget_memberships(user)
    record_activity(actor=user, verb=Verb.LEFT, target=membership, community=community)
    on_commit_publish(
        events.MemberLeft(community_id=community.pk, actor_id=user.pk, membership_id=membership.pk, user_id=user.pk)
    )
    return membership


def _other_active_owner_exists(membership: Membership) -> bool:
    return (
        Membership.objects.filter(community_id=membership.community_id, role=Role.OWNER, state=MembershipState.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    )


def _set_state(
    *, actor: Any, membership: Membership, state: str, verb: str, reason: str = "", until: datetime | None = None
) -> Membership:
    old_state = membership.state
    membership.state = state
    membership.state_reason = reason
    membership.suspended_until = until
    if state == MembershipState.ACTIVE and membership.joined_at is None:
        membership.joined_at = timezone.now()
    membership.save(update_fields=["state", "state_reason", "suspended_until", "joined_at", "updated_at"])
    recount_members(membership.community_id)
    record_activity(
        actor=actor,
        verb=verb,
        target=membership,
        community=membership.community,
        data={"from": old_state, "to": state, "reason": reason},
    )
    if verb in MODERATION_VERBS:
        record_moderation(
            actor=actor,
            action=verb,
            community=membership.community,
            subject=membership.user_id,
            target=membership,
            reason=reason,
            data={"from": old_state, "to": state, "until": until.isoformat() if until else None},
        )
    on_commit_publish(
        events.MembershipStateChanged(
            community_id=membership.community_id,
            actor_id=actor.pk,
            membership_id=membership.pk,
            user_id=membership.user_id,
            old_state=old_state,
            new_state=state,
            reason=reason,
        )
    )
    if state == MembershipState.ACTIVE and old_state == MembershipState.PENDING:
        on_commit_publish(
            events.MemberJoined(
                community_id=membership.community_id,
                actor_id=actor.pk,
                membership_id=membership.pk,
                user_id=membership.user_id,
            )
        )
    return membership


def _lock(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)


@transaction.atomic
def approve_membership(*, actor: Any, membership: Membership) -> Membership:
    """Let a pending applicant in."""
    membership = _lock(membership)
    check(actor, Action.MANAGE_MEMBERS, membership)
    if membership.state != MembershipState.PENDING:
        raise Conflict(_("Only pending requests can be approved."))
    return _set_state(actor=actor, membership=membership, state=MembershipState.ACTIVE, verb=Verb.APPROVED)


@transaction.atomic
def decline_membership(*, actor: Any, membership: Membership, reason: str = "") -> Membership:
    """Turn down a pending request; the person may ask again later."""
    membership = _lock(membership)
    check(actor, Action.MANAGE_MEMBERS, membership)
    if membership.state != MembershipState.PENDING:
        raise Conflict(_("Only pending requests can be declined."))
    return _set_state(actor=actor, membership=membership, state=MembershipState.LEFT, verb=Verb.DECLINED, reason=reason)


def _refuse_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER:
        raise NotAllowed(_("An owner cannot be suspended or banned; the ownership must be handed over first."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give a reason: the member is told why."), errors={"reason": [_("This field is required.")]})
    return reason


@transaction.atomic
def suspend_member(*, actor: Any, membership: Membership, until: datetime, reason: str) -> Membership:
    """Suspend a member until a date; they can read but not take part."""
    membership = _lock(membership)
    _refuse_owner(membership)
    check(actor, Action.SUSPEND_MEMBERS, membership)
    reason = _require_reason(reason)
    if until <= timezone.now():
        raise Invalid(_("The suspension must end in the future."), errors={"until": [_("Pick a later date.")]})
    if membership.state not in (MembershipState.ACTIVE, MembershipState.SUSPENDED):
        raise Conflict(_("Only active members can be suspended."))
    return _set_state(
        actor=actor,
        membership=membership,
        state=MembershipState.SUSPENDED,
        verb=Verb.SUSPENDED,
        reason=reason,
        until=until,
    )


@transaction.atomic
def ban_member(*, actor: Any, membership: Membership, reason: str) -> Membership:
    """Ban a member for good (managers)."""
    membership = _lock(membership)
    _refuse_owner(membership)
    check(actor, Action.MANAGE_MEMBERS, membership)
    reason = _require_reason(reason)
    if membership.state == MembershipState.BANNED:
        raise Conflict(_("This member is already banned."))
    membership = _set_state(
        actor=actor, membership=membership, state=MembershipState.BANNED, verb=Verb.BANNED, reason=reason
    )
    end_sessions_and_tokens(membership.user, reason=reason)
    return membership


@transaction.atomic
def reinstate_member(*, actor: Any, membership: Membership, reason: str = "") -> Membership:
    """Lift a suspension or a ban."""
    membership = _lock(membership)
    action = Action.MANAGE_MEMBERS if membership.state == MembershipState.BANNED else Action.SUSPEND_MEMBERS
    check(actor, action, membership)
    if membership.state not in (MembershipState.SUSPENDED, MembershipState.BANNED):
        raise Conflict(_("Only suspended or banned members can be reinstated."))
    return _set_state(
        actor=actor, membership=membership, state=MembershipState.ACTIVE, verb=Verb.REINSTATED, reason=reason
    )


@transaction.atomic
def change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Give a member another role; only to someone you outrank, and never above yourself."""
    _check_role(role)
    membership = _lock(membership)
    check(actor, Action.CHANGE_ROLE, membership)
    probe = Membership(community=membership.community, role=role)
    if not can(actor, Action.CHANGE_ROLE, probe):  # rank check against the new role
        raise NotAllowed(_("You cannot give a role as high as your own or higher."))
    if membership.state not in (MembershipState.ACTIVE, MembershipState.SUSPENDED):
        raise Conflict(_("Only current members can be given a role."))
    return grant_role(membership=membership, role=role, granted_by=actor)


def grant_role(*, membership: Membership, role: str, granted_by: Any) -> Membership:
    """Set the role of a locked membership, logged and announced; no permission check, the caller decided.

    `change_role` calls it after its checks; the ambassador and expert programme calls it when a
    nominee accepts the invitation a manager sent.
    """
    _check_role(role)
    if membership.role == role:
        return membership
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    forget_memberships(membership.user)
    record_activity(
        actor=granted_by,
        verb=Verb.ROLE_CHANGED,
        target=membership,
        community=membership.community,
        data={"from": old_role, "to": role},
    )
    on_commit_publish(
        events.RoleChanged(
            community_id=membership.community_id,
            actor_id=getattr(granted_by, "pk", None),
            membership_id=membership.pk,
            user_id=membership.user_id,
            old_role=old_role,
            new_role=role,
        )
    )
    return membership


@transaction.atomic
def create_invitation(
    *,
    actor: Any,
    community: Community,
    email: str = "",
    role: str = Role.MEMBER,
    max_uses: int | None = None,
    expires_in: timedelta = timedelta(days=14),
) -> Invitation:
    """Invite one person by e-mail (one use) or anyone with a link (several uses)."""
    _check_role(role)
    check(actor, Action.INVITE, community)
    invitation = Invitation(
        community=community,
        inviter=actor,
        email=(email or "").strip().lower(),
        role=role,
        max_uses=max_uses if max_uses is not None else (1 if email else 100),
        expires_at=timezone.now() + expires_in,
    )
    check(actor, Action.INVITE, invitation)
    if not 1 <= invitation.max_uses <= 10000:
        raise Invalid(_("Uses must be between 1 and 10000."), errors={"max_uses": [_("Between 1 and 10000.")]})
    if expires_in <= timedelta(0) or expires_in > timedelta(days=365):
        raise Invalid(
            _("An invitation lasts between one day and a year."), errors={"expires_in_days": [_("Between 1 and 365.")]}
        )
    validate_instance(invitation)
    if (
        invitation.email
        and Membership.objects.filter(
            community=community, user__email__iexact=invitation.email, state=MembershipState.ACTIVE
        ).exists()
    ):
        raise Conflict(_("This person is already a member."), errors={"email": [_("Already a member.")]})
    invitation.save()
    record_activity(
        actor=actor, verb=Verb.INVITED, target=invitation, data={"email": bool(invitation.email), "role": role}
    )
    on_commit_publish(
        events.InvitationCreated(community_id=community.pk, actor_id=actor.pk, invitation_id=invitation.pk)
    )
    if invitation.email:
        enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    """Stop an invitation from being used."""
    invitation = Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)
    # An invitation whose inviter is gone (inviter_id None) must not match a guest's pk of None.
    if invitation.inviter_id is None or invitation.inviter_id != getattr(actor, "pk", None):
        check(actor, Action.MANAGE_MEMBERS, invitation.community)
    if invitation.revoked_at is not None:
        raise Conflict(_("This invitation is already revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    record_activity(actor=actor, verb=Verb.INVITATION_REVOKED, target=invitation)
    on_commit_publish(
        events.InvitationRevoked(community_id=invitation.community_id, actor_id=actor.pk, invitation_id=invitation.pk)
    )
    return invitation


@transaction.atomic
def accept_invitation(*, user: Any, token: str) -> Membership:
    """Join through an invitation, recording who invited whom."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Sign in to accept the invitation."))
    invitation = Invitation.objects.select_for_update().select_related("community").filter(token=token).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist."))
    if invitation.revoked_at is not None:
        raise Invalid(_("This invitation has been revoked."))
    if invitation.expires_at <= timezone.now():
        raise Invalid(_("This invitation has expired."))
    if invitation.uses >= invitation.max_uses:
        raise Invalid(_("This invitation has been used up."))
    if invitation.email and invitation.email.lower() != user.email.lower():
        raise NotAllowed(_("This invitation was sent to another e-mail address."))
    community = invitation.community
    membership = _locked_membership(user, community)
    if membership is None or membership.state != MembershipState.PENDING:
        _refuse_existing(membership)  # an invitation lets a waiting applicant straight in
    if membership is None:
        membership = Membership(community=community, user=user)
    membership.role = invitation.role
    membership.state = MembershipState.ACTIVE
    membership.state_reason = ""
    membership.joined_at = timezone.now()
    membership.invited_by_id = invitation.inviter_id
    membership.invitation = invitation
    membership.save()
    recount_members(membership.community_id)
    Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    forget_memberships(user)
    record_activity(
        actor=user,
        verb=Verb.INVITATION_ACCEPTED,
        target=membership,
        community=community,
        data={"invitation": invitation.pk, "invited_by": invitation.inviter_id},
    )
    on_commit_publish(
        events.MemberJoined(
            community_id=community.pk,
            actor_id=user.pk,
            membership_id=membership.pk,
            user_id=user.pk,
            invited_by_id=invitation.inviter_id,
        )
    )
    return membership
