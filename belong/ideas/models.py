"""Co-creation: ideas members propose and vote on, the statuses the brand moves them through, and
private beta groups where chosen members refine an idea or a product.

An idea's title, description and discussion are its thread's (a Thread of kind "idea" and its
posts), so ideas share the Markdown, edit history, reactions, search and moderation of every
conversation. The idea's primary key is its thread's id.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from belong.core.models import TimeStampedModel


class Importance(models.TextChoices):
    NICE_TO_HAVE = "nice_to_have", _("Nice to have")
    IMPORTANT = "important", _("Important")
    CRITICAL = "critical", _("Critical")


# The statuses every community starts with: (key, label, open for votes, on the roadmap, shipped).
DEFAULT_STATUSES = (
    ("new", pgettext_lazy("idea status", "New"), True, False, False),
    ("under_review", pgettext_lazy("idea status", "Under review"), True, True, False),
    ("planned", pgettext_lazy("idea status", "Planned"), True, True, False),
    ("in_progress", pgettext_lazy("idea status", "In progress"), True, True, False),
    ("shipped", pgettext_lazy("idea status", "Shipped"), False, True, True),
    ("declined", pgettext_lazy("idea status", "Declined"), False, False, False),
)
DEFAULT_LABELS = {key: label for key, label, *_flags in DEFAULT_STATUSES}
FIRST_STATUS = "new"


class IdeaStatus(models.Model):
    """One step of a community's workflow; the built-in ones show in the reader's language until renamed."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="idea_statuses")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("Blank keeps the built-in name."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_open = models.BooleanField(_("open for votes"), default=True)
    on_roadmap = models.BooleanField(_("on the roadmap"), default=False)
    is_shipped = models.BooleanField(_("shipped"), default=False, help_text=_("Ideas here are in the changelog."))
    is_initial = models.BooleanField(_("for new ideas"), default=False)

    class Meta:
        verbose_name = _("idea status")
        verbose_name_plural = _("idea statuses")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="idea_status_key_unique"),
            models.UniqueConstraint(fields=["community"], condition=Q(is_initial=True), name="one_initial_idea_status"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return self.name or str(DEFAULT_LABELS.get(self.key, self.key))


class IdeaCategory(models.Model):
    """A product area ideas are sorted into (managers keep the list)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="idea_categories")
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("address"), max_length=60, allow_unicode=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("idea category")
        verbose_name_plural = _("idea categories")
        ordering = ["position", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="idea_category_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    """A member's proposal: its words and discussion are the thread's, its votes and status are here."""

    thread = models.OneToOneField(
        "conversations.Thread", primary_key=True, on_delete=models.CASCADE, related_name="idea"
    )
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="ideas")
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("status"))
    category = models.ForeignKey(
        IdeaCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas", verbose_name=_("category")
    )
    product = models.ForeignKey(
        "conversations.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("product"),
    )
    # Kept by the vote actions under a lock on this row, recounted from the votes each time.
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-vote_count", "-created_at", "-thread_id"]
        indexes = [
            models.Index(fields=["community", "-vote_count", "-created_at"], name="idea_community_top"),
            models.Index(fields=["community", "-created_at"], name="idea_community_new"),
            models.Index(fields=["status", "-vote_count"], name="idea_status_top"),
            models.Index(fields=["community", "-shipped_at"], name="idea_community_shipped"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=models.F("thread")), name="idea_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.thread.title

    @property
    def title(self) -> str:
        return self.thread.title

    @property
    def author(self) -> Any:
        return self.thread.author

    def closed_for_votes_because(self) -> str:
        """Why the idea takes no votes (or withdrawals) now, in a sentence for the member; "" while it does."""
        if self.merged_into_id is not None:
            return gettext("This idea was merged into another one: vote there.")
        if self.thread.is_hidden:
            return gettext("This idea is hidden: it takes no votes.")
        if self.thread.is_locked:
            return gettext("This idea is locked: it takes no votes.")
        if not self.status.is_open:
            return gettext("Voting has closed: this idea is %(status)s.") % {"status": self.status.label}
        return ""


class IdeaVote(models.Model):
    """One member's vote on one idea: the unique constraint makes a second one impossible."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes")
    importance = models.CharField(_("importance"), max_length=16, choices=Importance.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_vote_per_member")]
        indexes = [models.Index(fields=["idea", "-created_at"], name="idea_vote_recent")]

    def __str__(self) -> str:
        return f"vote by {self.user_id} on {self.idea_id}"


class StatusChange(models.Model):
    """One move of an idea from a status to another, with the brand's public note; kept for ever."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.ForeignKey(IdeaStatus, null=True, on_delete=models.PROTECT, related_name="+")
    to_status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    note_html = models.TextField(editable=False, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once voters and followers were e-mailed, so a retried task tells nobody twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["idea", "-created_at"], name="status_change_idea")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status_id} → {self.to_status_id}"


class BetaGroup(TimeStampedModel):
    """A private group of chosen members refining an idea or a product in its own restricted space."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="beta_groups")
    space = models.OneToOneField("communities.Space", on_delete=models.CASCADE, related_name="beta_group")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="beta_groups", verbose_name=_("idea")
    )
    product = models.ForeignKey(
        "conversations.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="beta_groups",
        verbose_name=_("product"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("private beta group")
        verbose_name_plural = _("private beta groups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class BetaInvitationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


class BetaInvitation(TimeStampedModel):
    """A member asked into a beta group; accepting lets them into its space."""

    group = models.ForeignKey(BetaGroup, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="beta_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=BetaInvitationState.choices, default=BetaInvitationState.INVITED
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("beta invitation")
        verbose_name_plural = _("beta invitations")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="beta_invitation_once")]

    def __str__(self) -> str:
        return f"{self.user_id} to {self.group_id}"

    @property
    def community(self) -> Any:
        return self.group.community
