"""The demo's own steps: the operator, the people, the community, its spaces, memberships and invitations."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from belong.accounts.actions import check_time_zone
from belong.accounts.models import User
from belong.communities import actions
from belong.communities.models import Community, Invitation, Membership, MembershipState, Role, Space
from belong.core.validation import validate_instance
from belong.demo import data
from belong.demo.loader import DemoContext, demo_step

INVITATIONS = {invitation.key: invitation for invitation in data.INVITATIONS}
# Levels 3 and 4 lapse when the last 100 days do not earn them.
PINNED_FROM_LEVEL = 3


def preset_trust(level: int) -> dict[str, int | bool]:
    """The fields that start a demo member at `level`.

    Levels 1 and 2 are kept once reached, but 3 and 4 are recomputed from the last 100 days of
    activity, which a freshly loaded demo does not have: unpinned, the regulars and the staff would
    drop to 2 at the first recomputation (the daily command, or the backfill the demo runs). So those
    levels are pinned, as a manager would pin them.
    """
    return {"trust_level": level, "trust_level_pinned": level >= PINNED_FROM_LEVEL}


def ensure_account(ctx: DemoContext, *, handle: str, email: str, superuser: bool = False, **profile: str) -> User:
    """Create the account with a verified primary address, unless an earlier run did."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if "time_zone" in profile:
            check_time_zone(profile["time_zone"])
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(handle, email, ctx.password, **profile)
        validate_instance(user, exclude=["password"])
        ctx.count("accounts")
    if not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@demo_step("accounts: the operator", order=10)
def operator(ctx: DemoContext) -> None:
    """A Django superuser for the admin site; not a member of the community."""
    ensure_account(ctx, handle=data.OPERATOR_HANDLE, email=data.OPERATOR_EMAIL, superuser=True, display_name="Operator")


@demo_step("accounts: the people", order=20)
def people(ctx: DemoContext) -> None:
    for person in data.PEOPLE:
        ensure_account(
            ctx,
            handle=person.handle,
            email=person.email,
            display_name=person.name,
            locale=person.locale,
            time_zone=person.time_zone,
            bio=person.bio,
        )


@demo_step("communities: the community", order=30)
def community(ctx: DemoContext) -> None:
    spec = data.COMMUNITY
    existing = Community.objects.filter(slug=spec.slug).first()
    if existing is not None:
        ctx.community = existing
        return
    ctx.community = actions.create_community(
        creator=ctx.user(data.FOUNDER_HANDLE),
        name=spec.name,
        slug=spec.slug,
        description=spec.description,
        purpose=spec.purpose,
        goals=spec.goals,
        languages=list(spec.languages),
        join_policy=spec.join_policy,
    )
    Membership.objects.filter(community=ctx.community, user__handle=data.FOUNDER_HANDLE).update(
        **preset_trust(data.PEOPLE[0].trust_level)
    )
    ctx.count("communities")


@demo_step("communities: spaces", order=40)
def spaces(ctx: DemoContext) -> None:
    founder = ctx.user(data.FOUNDER_HANDLE)
    for position, spec in enumerate(data.SPACES):
        fields = {
            "description": spec.description,
            "visibility": spec.visibility,
            "allowed_roles": list(spec.allowed_roles),
            "position": position,
        }
        space = Space.objects.filter(community=ctx.community, slug=spec.slug).first()
        if space is None:
            actions.create_space(actor=founder, community=ctx.community, name=spec.name, slug=spec.slug, **fields)
            ctx.count("spaces")
        elif not space.description:
            # The first space comes with the community; it only lacks its description and our name.
            actions.update_space(actor=founder, space=space, name=spec.name, **fields)


def _invitation(ctx: DemoContext, spec: data.InvitationData) -> Invitation:
    """Find the invitation an earlier run made, or make it now."""
    inviter = ctx.user(spec.inviter)
    found = Invitation.objects.filter(community=ctx.community, inviter=inviter, role=spec.role, email=spec.email)
    invitation = found.order_by("created_at", "id").first()
    if invitation is None:
        invitation = actions.create_invitation(
            actor=inviter,
            community=ctx.community,
            email=spec.email,
            role=spec.role,
            max_uses=spec.max_uses,
            expires_in=timedelta(days=spec.days),
        )
        ctx.count("invitations")
    return invitation


def _play_story(ctx: DemoContext, person: data.Person) -> None:
    """Walk one person through joining, their role, their trust and where they are now."""
    user = ctx.user(person.handle)
    # Managers are let in and promoted by the founder; everyone else by the first manager.
    leader = ctx.user(data.FOUNDER_HANDLE if person.role == Role.MANAGER else data.MANAGER_HANDLE)
    if person.joins_by in (data.LINK, data.EMAIL):
        invitation = _invitation(ctx, INVITATIONS[person.joins_by])
        membership = actions.accept_invitation(user=user, token=invitation.token)
    else:
        membership = actions.join_community(user=user, community=ctx.community)
        if person.state != MembershipState.PENDING:
            membership = actions.approve_membership(actor=leader, membership=membership)
    ctx.count("memberships")
    if membership.role != person.role:
        membership = actions.change_role(actor=leader, membership=membership, role=person.role)
    if person.trust_level:
        # The demo starts people off at the level their story gives them, without the history that earns it.
        Membership.objects.filter(pk=membership.pk).update(**preset_trust(person.trust_level))
    if person.state == MembershipState.SUSPENDED:
        actions.suspend_member(
            actor=ctx.user(data.MODERATOR_HANDLE),
            membership=membership,
            until=timezone.now() + timedelta(days=data.SUSPENSION_DAYS),
            reason=person.state_reason,
        )
    elif person.state == MembershipState.BANNED:
        actions.ban_member(actor=ctx.user(data.MANAGER_HANDLE), membership=membership, reason=person.state_reason)
    elif person.state == MembershipState.LEFT:
        actions.leave_community(user=user, community=ctx.community)


@demo_step("communities: memberships, roles and states", order=50)
def memberships(ctx: DemoContext) -> None:
    have = set(Membership.objects.filter(community=ctx.community).values_list("user__handle", flat=True))
    for person in data.PEOPLE:
        if person.joins_by != data.FOUNDER and person.handle not in have:
            _play_story(ctx, person)


@demo_step("communities: open invitations", order=60)
def invitations(ctx: DemoContext) -> None:
    for spec in data.INVITATIONS:
        _invitation(ctx, spec)
