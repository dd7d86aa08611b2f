"""Community rules, members' flags, the review queue, appeals and managers' notes on members.

The moderation log itself is `core.ModerationEntry`: the actions that hide, lock, suspend and ban
live in several apps and each writes its entry in its own transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from belong.core.models import TimeStampedModel


class ModerationSettings(models.Model):
    """A community's moderation choices; created with defaults the first time they are read."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="moderation_settings"
    )
    require_approval = models.BooleanField(
        _("approve new members' first posts"),
        default=False,
        help_text=_("A new member's first posts wait in the review queue until a moderator approves them."),
    )
    approval_posts = models.PositiveSmallIntegerField(
        _("posts to approve"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    hide_weight = models.FloatField(
        _("flag weight that hides a post"),
        default=3.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(50.0)],
        help_text=_("A member's flag weighs 1 at trust level 1, up to 3 at level 4; moderators' flags hide at once."),
    )
    blocked_words = models.JSONField(_("blocked words"), default=list, blank=True)
    max_links = models.PositiveSmallIntegerField(
        _("links before a new member's post is held"),
        default=5,
        validators=[MaxValueValidator(100)],
        help_text=_("Members below trust level 2 posting more links than this wait for review (spam)."),
    )
    # Raised whenever the rules change, so members can be asked to accept the new ones.
    rules_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return f"moderation of {self.community_id}"


class Rule(TimeStampedModel):
    """One rule of a community, in the order members read them."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("rule"), max_length=200)
    description = models.TextField(_("explanation"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["community", "position"], name="rule_community_order")]

    def __str__(self) -> str:
        return self.title


class RuleAcceptance(models.Model):
    """A member accepted the community's rules as they stood at `revision`."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rule_acceptances")
    revision = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user", "revision"], name="accept_rules_once_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted rules {self.revision} of {self.community_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFF_TOPIC = "off_topic", _("Off-topic")
    ABUSIVE = "abusive", _("Abusive or offensive")
    RULE = "rule", _("Breaks a community rule")
    OTHER = "other", _("Something else")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EDITED = "edited", _("Edited and approved")
    HIDDEN = "hidden", _("Hidden")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    EDIT = "edit", _("Edit")
    HIDE = "hide", _("Hide")


DECISION_STATES = {
    Decision.APPROVE: ReviewState.APPROVED,
    Decision.REJECT: ReviewState.REJECTED,
    Decision.EDIT: ReviewState.EDITED,
    Decision.HIDE: ReviewState.HIDDEN,
}


class ReviewSource(models.TextChoices):
    FLAGS = "flags", _("Flagged by members")
    SPAM = "spam", _("Spam check")
    SIGNAL = "signal", _("Toxicity or profanity")
    APPROVAL = "approval", _("New member's first post")


class ReviewItem(TimeStampedModel):
    """A post waiting for a moderator: flagged, caught by a check, or a new member's first post."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="review_items")
    post = models.ForeignKey("conversations.Post", on_delete=models.CASCADE, related_name="review_items")
    sources = models.JSONField(default=list)
    # Why the checks held it, in words a moderator reads ("Same text posted 3 minutes ago").
    signals = models.JSONField(default=list, blank=True)
    flag_weight = models.FloatField(default=0.0)
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review queue")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(state="pending"), name="one_pending_review_per_post")
        ]
        indexes = [models.Index(fields=["community", "state", "created_at"], name="review_queue_order")]

    def __str__(self) -> str:
        return f"review of post {self.post_id} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == ReviewState.PENDING


class Flag(models.Model):
    """One member's flag on a post, weighed by their trust."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("conversations.Post", on_delete=models.CASCADE, related_name="flags")
    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The rule's words when flagged: the rule may be edited or removed later.
    rule_title = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("details"), max_length=1000, blank=True)
    weight = models.FloatField(default=1.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "flagger"], name="flag_post_once")]

    def __str__(self) -> str:
        return f"{self.reason} on post {self.post_id}"


class AppealState(models.TextChoices):
    OPEN = "open", _("Open")
    GRANTED = "granted", _("Granted: the action was undone")
    DENIED = "denied", _("Denied: the action stands")


class Appeal(TimeStampedModel):
    """A member's one appeal against one moderation log entry about them."""

    entry = models.OneToOneField("core.ModerationEntry", on_delete=models.CASCADE, related_name="appeal")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="appeals")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("why it should be undone"), max_length=2000)
    state = models.CharField(max_length=16, choices=AppealState.choices, default=AppealState.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "state", "-created_at"], name="appeal_community_state")]

    def __str__(self) -> str:
        return f"appeal of {self.entry_id} ({self.state})"


class MemberNote(models.Model):
    """A manager's private note about a member: never shown to the member or to other members."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note on a member")
        verbose_name_plural = _("notes on members")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "subject", "-created_at"], name="member_note_subject")]

    def __str__(self) -> str:
        return f"note on {self.subject_id}"
