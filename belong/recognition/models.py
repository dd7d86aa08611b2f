"""Recognition: the points ledger, badges, ranks and perks, celebrations and the ambassador and expert programme.

Everything here is written by subscribers to other apps' events (or by managers' actions);
conversations and ideas never import this app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.core.models import AppendOnlyError, TimeStampedModel

# ---------------------------------------------------------------------------------------------
# Points


class RuleKey(models.TextChoices):
    """What earns points; each community sets the points and the daily cap of each."""

    THREAD_STARTED = "thread_started", _("Starting a thread")
    REPLY = "reply", _("Replying")
    ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
    HELPFUL_RECEIVED = "helpful_received", _("“Helpful” reaction received")
    REACTION_RECEIVED = "reaction_received", _("Other reaction received")
    REVIEW_WRITTEN = "review_written", _("Writing a review")
    IDEA_PROPOSED = "idea_proposed", _("Proposing an idea")
    IDEA_VOTE_RECEIVED = "idea_vote_received", _("Vote received on an idea")
    IDEA_SHIPPED = "idea_shipped", _("Idea shipped")
    BADGE_EARNED = "badge_earned", _("Badge earned")


# (points, daily cap or None for no cap): what a community starts with until its managers change it.
DEFAULT_RULES: dict[str, tuple[int, int | None]] = {
    RuleKey.THREAD_STARTED: (2, 20),
    RuleKey.REPLY: (1, 20),
    RuleKey.ANSWER_ACCEPTED: (15, None),
    RuleKey.HELPFUL_RECEIVED: (2, 50),
    RuleKey.REACTION_RECEIVED: (1, 30),
    RuleKey.REVIEW_WRITTEN: (3, 9),
    RuleKey.IDEA_PROPOSED: (2, 10),
    RuleKey.IDEA_VOTE_RECEIVED: (1, 30),
    RuleKey.IDEA_SHIPPED: (50, None),
    RuleKey.BADGE_EARNED: (5, None),
}

MAX_RULE_POINTS = 1000


class PointsRule(models.Model):
    """How many points one kind of contribution earns in a community, and at most how many a day."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="points_rules")
    key = models.CharField(_("rule"), max_length=40, choices=RuleKey.choices)
    points = models.PositiveIntegerField(
        _("points"), validators=[MaxValueValidator(MAX_RULE_POINTS)], help_text=_("0 turns the rule off.")
    )
    daily_cap = models.PositiveIntegerField(
        _("daily cap"),
        null=True,
        blank=True,
        help_text=_("Most points a member earns by this rule in a day; blank for no cap."),
    )

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="points_rule_once"),
            models.CheckConstraint(condition=Q(points__lte=MAX_RULE_POINTS), name="points_rule_points_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.points}"


class RecognitionSettings(models.Model):
    """A community's choices for recognition beyond the rules themselves."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="recognition_settings"
    )
    pair_daily_cap = models.PositiveIntegerField(
        _("points between two members per day"),
        default=30,
        help_text=_("Most points one member's reactions, votes and accepted answers can give another in a day."),
    )
    leaderboard_includes_staff = models.BooleanField(
        _("staff on leaderboards"),
        default=False,
        help_text=_("Show the brand's people and moderators on leaderboards."),
    )

    class Meta:
        verbose_name = _("recognition settings")
        verbose_name_plural = _("recognition settings")

    def __str__(self) -> str:
        return f"recognition settings of {self.community_id}"


class EntryKind(models.TextChoices):
    AWARD = "award", _("Earned")
    REVERSAL = "reversal", _("Reversed")
    MANUAL = "manual", _("Given by a manager")


class PointsEntryQuerySet(models.QuerySet["PointsEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The points ledger is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The points ledger is append-only.")


class PointsEntry(models.Model):
    """One line of the append-only ledger: points earned, reversed, or given by a manager.

    `source` names what earned the points (`post:12:reply`, `post:12:reaction:7:helpful`), so the
    same event delivered twice finds its line and earns nothing more, and removing the content
    finds every line to reverse. A reversal is a new line pointing at the one it cancels.
    """

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="points_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries")
    delta = models.IntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices, default=EntryKind.AWARD)
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The member whose action earned these points (the reactor, the voter): the per-pair daily cap counts by it.
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The space of the content, for per-space leaderboards.
    space = models.ForeignKey(
        "communities.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="points_entries"
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not auto_now_add: replaying history (`recognition_backfill`, the demo) dates entries when they were earned.
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = PointsEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "user", "source"], name="points_entry_source"),
            models.Index(fields=["community", "created_at"], name="points_entry_time"),
            models.Index(fields=["community", "space", "created_at"], name="points_entry_space_time"),
            models.Index(fields=["community", "user", "-created_at"], name="points_entry_member_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.delta:+d} ({self.rule or self.kind})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The points ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The points ledger is append-only.")


class PointsBalance(models.Model):
    """A member's total in a community: the ledger's sum, kept beside it in the same transaction."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="points_balances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_balances")
    total = models.IntegerField(_("points"), default=0)
    rank = models.ForeignKey("Rank", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points balance")
        verbose_name_plural = _("points balances")
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="points_balance_once")]
        indexes = [models.Index(fields=["community", "-total", "user"], name="points_balance_ranking")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.community_id}: {self.total}"


# ---------------------------------------------------------------------------------------------
# Ranks and perks


class Rank(TimeStampedModel):
    """A named tier reached at a number of points; each member holds the highest one they reached."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="ranks")
    name = models.CharField(_("name"), max_length=60)
    min_points = models.PositiveIntegerField(_("from points"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["min_points", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "min_points"],
                name="rank_threshold_unique",
                violation_error_message=_("Another rank already starts at this number of points."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The ranks a community starts with (names translated until renamed: they are written in the
# community's first language when created).
DEFAULT_RANKS: list[tuple[int, Any, Any]] = [
    (0, _("Newcomer"), _("Everyone starts here.")),
    (50, _("Contributor"), _("Takes part and helps.")),
    (250, _("Regular"), _("A familiar name.")),
    (1000, _("Champion"), _("Among those who carry the community.")),
    (5000, _("Legend"), _("Few get here.")),
]


class PerkKind(models.TextChoices):
    SPACE = "space", _("Access to an exclusive space")
    CODE = "code", _("A one-time code")


class Perk(TimeStampedModel):
    """A benefit for members of a rank or higher, or of chosen roles: an exclusive space or a code."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="perks")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PerkKind.choices)
    min_rank = models.ForeignKey(
        Rank, null=True, blank=True, on_delete=models.PROTECT, related_name="perks", verbose_name=_("from rank")
    )
    roles = models.JSONField(_("for roles"), default=list, blank=True)
    space = models.ForeignKey(
        "communities.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="perks"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("perk")
        verbose_name_plural = _("perks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PerkCode(models.Model):
    """One code of a perk's pool (or generated on claiming), issued to at most one member, once."""

    perk = models.ForeignKey(Perk, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="perk_codes"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perk code")
        verbose_name_plural = _("perk codes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["perk", "code"], name="perk_code_unique"),
            models.UniqueConstraint(fields=["perk", "user"], name="perk_code_once_per_member"),
        ]

    def __str__(self) -> str:
        return self.code


# ---------------------------------------------------------------------------------------------
# Badges


class BadgeTier(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


class Badge(TimeStampedModel):
    """A badge of the community: a built-in one (awarded by its rule) or one its managers made (given by hand)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="badges")
    key = models.SlugField(_("key"), max_length=60, allow_unicode=True)
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("Blank keeps the built-in name."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    icon = models.CharField(_("icon"), max_length=8, default="🏅")
    tier = models.CharField(_("tier"), max_length=8, choices=BadgeTier.choices, default=BadgeTier.BRONZE)
    repeatable = models.BooleanField(_("can be earned again"), default=False)
    builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    is_enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-builtin", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "key"], name="badge_key_unique")]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> Any:
        from belong.recognition.catalogue import BADGES

        spec = BADGES.get(self.key) if self.builtin else None
        return self.name or (spec.name if spec else self.key)

    @property
    def explanation(self) -> Any:
        from belong.recognition.catalogue import BADGES

        spec = BADGES.get(self.key) if self.builtin else None
        return self.description or (spec.description if spec else "")


class BadgeAward(models.Model):
    """A badge given to a member; `source` tells repeat awards apart (`once` for once-only badges)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="badge_awards")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards")
    source = models.CharField(_("for"), max_length=200, default="once")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("awarded"), default=timezone.now)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["badge", "user", "source"], name="badge_award_once_per_source")]
        indexes = [
            models.Index(fields=["community", "user", "-created_at"], name="badge_award_member"),
            models.Index(fields=["badge", "-created_at"], name="badge_award_holders"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} to {self.user_id}"


# ---------------------------------------------------------------------------------------------
# Celebrations


class CelebrationKind(models.TextChoices):
    ANNIVERSARY = "anniversary", _("Anniversary")
    MILESTONE = "milestone", _("Milestone")
    RANK = "rank", _("New rank")
    BADGE = "badge", _("Badge")
    TRUST = "trust", _("Trust level")


class Celebration(models.Model):
    """A moment worth celebrating, once per member and `key` (`posts:100`, `anniversary:2`)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="celebrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="celebrations")
    kind = models.CharField(_("kind"), max_length=16, choices=CelebrationKind.choices)
    key = models.CharField(_("key"), max_length=100)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("celebration")
        verbose_name_plural = _("celebrations")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "user", "key"], name="celebration_once")]
        indexes = [
            models.Index(fields=["community", "-created_at", "-id"], name="celebration_feed"),
            models.Index(fields=["community", "user", "-created_at"], name="celebration_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


# ---------------------------------------------------------------------------------------------
# The ambassador and expert programme


class Programme(models.TextChoices):
    AMBASSADOR = "ambassador", _("Ambassador")
    EXPERT = "expert", _("Expert")


class NominationState(models.TextChoices):
    PENDING = "pending", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Nomination(TimeStampedModel):
    """A manager's invitation to a member to join the ambassador or the expert programme."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="nominations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations")
    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices)
    areas = models.ManyToManyField("conversations.Tag", blank=True, related_name="+", verbose_name=_("areas"))
    message = models.TextField(_("message"), max_length=2000, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="nominations_made"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=NominationState.choices, default=NominationState.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user", "programme"],
                condition=Q(state="pending"),
                name="one_pending_nomination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} to {self.programme}"


class ExpertArea(models.Model):
    """A tag an expert is known for, shown beside their posts."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="expert_areas")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_areas")
    tag = models.ForeignKey("conversations.Tag", on_delete=models.CASCADE, related_name="experts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["community", "user", "tag"], name="expert_area_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.tag_id}"
