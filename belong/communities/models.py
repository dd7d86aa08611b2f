"""Communities, their spaces, who belongs to them and in which role, and invitations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.core.models import TimeStampedModel


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone can join")
    APPROVAL = "approval", _("Approval: managers approve requests")
    INVITE = "invite", _("Invite-only")


class Role(models.TextChoices):
    """Roles in a community, from the most to the least powerful."""

    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Community manager")
    STAFF = "staff", _("Brand staff")
    MODERATOR = "moderator", _("Moderator")
    AMBASSADOR = "ambassador", _("Ambassador")
    EXPERT = "expert", _("Expert")
    MEMBER = "member", _("Member")


# Higher outranks lower: a person may only change the role of someone they outrank.
ROLE_RANK: dict[str, int] = {
    Role.OWNER: 60,
    Role.MANAGER: 50,
    Role.STAFF: 40,
    Role.MODERATOR: 30,
    Role.AMBASSADOR: 20,
    Role.EXPERT: 20,
    Role.MEMBER: 10,
}


class MembershipState(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    BANNED = "banned", _("Banned")
    LEFT = "left", _("Left")


class SpaceVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read")
    MEMBERS = "members", _("Members only")
    RESTRICTED = "restricted", _("Restricted to chosen roles")


# Addresses the site uses itself under /c/, so no community may take them.
RESERVED_COMMUNITY_SLUGS = frozenset({"new", "api", "admin", "static", "media", "settings"})


def validate_community_slug(value: str) -> None:
    if value.lower() in RESERVED_COMMUNITY_SLUGS:
        raise ValidationError(_("This address is reserved."), code="reserved_slug")


class Community(TimeStampedModel):
    """A brand's own community."""

    name = models.CharField(_("brand name"), max_length=120)
    slug = models.SlugField(
        _("address"),
        max_length=60,
        unique=True,
        validators=[validate_community_slug],
        error_messages={"unique": _("This address is taken.")},
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    purpose = models.TextField(_("purpose"), max_length=4000, blank=True, help_text=_("Why the community exists."))
    goals = models.TextField(
        _("goals"), max_length=4000, blank=True, help_text=_("What the brand and members want from it.")
    )
    languages = models.JSONField(_("enabled languages"), default=list, help_text=_("Language codes members write in."))
    join_policy = models.CharField(_("joining"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    # Active members, kept by the membership actions: the directory and every community page show it,
    # and counting 100k memberships on each request cost more than the rest of the page (bench/).
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def community(self) -> Community:
        """A community is its own community (so permission checks treat every object alike)."""
        return self


class Space(TimeStampedModel):
    """A place inside a community where conversations happen (a category)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address"), max_length=60)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=SpaceVisibility.choices, default=SpaceVisibility.PUBLIC
    )
    allowed_roles = models.JSONField(_("roles allowed in"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["position", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="space_slug_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class SpaceAccess(models.Model):
    """One person let into a restricted space by name, beside the roles it allows (a private beta group)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_accesses")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What let them in when no person did: "perk" for recognition's exclusive spaces, which take the
    # access back when the member no longer qualifies. A person granting the same access clears it.
    via = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access to a space")
        verbose_name_plural = _("accesses to spaces")
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="space_access_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in space {self.space_id}"


class Membership(TimeStampedModel):
    """A person's place in one community: role, state, trust and who brought them in."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=16, choices=MembershipState.choices, default=MembershipState.ACTIVE)
    trust_level = models.PositiveSmallIntegerField(
        _("trust level"), default=0, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    # Pinned by a manager: the level stays as set, whatever the member's activity says.
    trust_level_pinned = models.BooleanField(_("trust level pinned"), default=False)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    state_reason = models.CharField(_("reason"), max_length=500, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # A silenced member reads and reacts but cannot post until then (a moderator's lighter sanction).
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")]
        indexes = [
            models.Index(fields=["community", "state", "role"], name="membership_state_role"),
            # The member list's order: without it PostgreSQL sorts every membership for each page.
            models.Index(fields=["community", "-created_at", "-id"], name="membership_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.community_id} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        if self.state == MembershipState.SUSPENDED and self.suspended_until and self.suspended_until <= timezone.now():
            return True
        return self.state == MembershipState.ACTIVE

    @property
    def rank(self) -> int:
        return ROLE_RANK.get(self.role, 0)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(TimeStampedModel):
    """An invitation by link (no e-mail, several uses) or by e-mail (one person, one use)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role on joining"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    max_uses = models.PositiveIntegerField(_("uses allowed"), default=1)
    uses = models.PositiveIntegerField(_("times used"), default=0)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email or self.token[:8]

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.uses < self.max_uses and self.expires_at > timezone.now()
