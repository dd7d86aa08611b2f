"""Community intelligence: what the models make of each post, and what the community team reads.

- `PostAnalysis`: one row per analysed post (language, vector, sentiment, moderation flags).
- `SentimentCorrection` and `Calibration`: managers' corrections, and the per-community logit
  map fitted to them.
- `DailyRollup`: per community, day, space, language and thread kind; dashboards read these.
- `Alert`: an unusual rise in negativity, with the posts behind it.
- `Theme`: a cluster of negative and critical posts (a pain point), linkable to an idea.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from belong.core.models import TimeStampedModel


class SentimentLabel(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class PostAnalysis(models.Model):
    """The models' reading of a post. Re-made when the post, the models or the community's languages change."""

    post = models.OneToOneField(
        "conversations.Post", primary_key=True, on_delete=models.CASCADE, related_name="analysis"
    )
    # Copied from the post and its thread so rollups, alerts and themes never join through posts.
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("communities.Space", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20)
    is_official = models.BooleanField(default=False)
    posted_at = models.DateTimeField(_("posted"))
    language = models.CharField(_("language"), max_length=12)
    language_confidence = models.FloatField(default=0.0)
    # The label shown: the model's, or a manager's correction (`corrected`).
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=SentimentLabel.choices, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)  # p(positive) - p(negative)
    model_sentiment = models.CharField(max_length=10, choices=SentimentLabel.choices, blank=True)
    probabilities = models.JSONField(default=list, blank=True)  # negative, neutral, positive
    corrected = models.BooleanField(_("corrected"), default=False)
    flags = models.JSONField(default=dict, blank=True)
    flagged = models.BooleanField(_("flagged for moderators"), default=False)
    embedding = models.BinaryField(null=True, blank=True)  # float16, one per dimension
    embedding_model = models.CharField(max_length=80, blank=True)
    head_version = models.CharField(max_length=40, blank=True)
    content_hash = models.CharField(max_length=64)
    analysed_at = models.DateTimeField(_("analysed"))

    class Meta:
        verbose_name = _("post analysis")
        verbose_name_plural = _("post analyses")
        indexes = [
            models.Index(fields=["community", "posted_at"], name="analysis_community_time"),
            models.Index(fields=["community", "sentiment", "posted_at"], name="analysis_sentiment_time"),
            models.Index(fields=["community", "flagged"], name="analysis_flagged"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.language} {self.sentiment}"


class SentimentCorrection(models.Model):
    """A manager's label for a post's sentiment; every correction is kept (the latest one counts)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("conversations.Post", on_delete=models.CASCADE, related_name="sentiment_corrections")
    label = models.CharField(_("sentiment"), max_length=10, choices=SentimentLabel.choices)
    model_label = models.CharField(max_length=10, choices=SentimentLabel.choices, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"], name="correction_community_time")]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.label}"


class Calibration(models.Model):
    """A community's map of the head's three logits, fitted to its managers' corrections."""

    community = models.OneToOneField("communities.Community", on_delete=models.CASCADE, related_name="calibration")
    weights = models.JSONField()  # 3 rows of [w_negative, w_neutral, w_positive, bias]
    head_version = models.CharField(max_length=40)
    corrections = models.PositiveIntegerField()
    accuracy_before = models.FloatField()
    accuracy_after = models.FloatField()
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calibration of {self.community_id}"


class DailyRollup(models.Model):
    """Counts for one community, day, space, language and thread kind, recomputed from analyses."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    space = models.ForeignKey("communities.Space", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    kind = models.CharField(max_length=20)
    posts = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    score_sum = models.FloatField(default=0.0)
    flagged = models.PositiveIntegerField(default=0)
    official = models.PositiveIntegerField(default=0)
    # Threads (of this space, language and kind) whose first brand answer came this day.
    brand_responses = models.PositiveIntegerField(default=0)
    brand_response_seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "day", "space", "language", "kind"], name="rollup_once")
        ]
        indexes = [models.Index(fields=["community", "day"], name="rollup_community_day")]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day} {self.space_id} {self.language} {self.kind}"


class AlertKind(models.TextChoices):
    NEGATIVE_SHARE = "negative_share", _("Rise in the share of negative posts")
    NEGATIVE_VOLUME = "negative_volume", _("Rise in the number of negative posts")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Alert(TimeStampedModel):
    """Negativity well above the community's usual level on one day, with the posts behind it."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    day = models.DateField(_("day"))
    state = models.CharField(_("state"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN)
    total = models.PositiveIntegerField(_("posts"))
    negative = models.PositiveIntegerField(_("negative posts"))
    baseline_share = models.FloatField(_("usual negative share"))
    baseline_negative = models.FloatField(_("usual negative posts a day"))
    p_value = models.FloatField()
    posts = models.ManyToManyField("conversations.Post", related_name="+", blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "kind", "day"], name="alert_once_a_day")]
        indexes = [models.Index(fields=["community", "state", "-day"], name="alert_community_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"

    @property
    def share(self) -> float:
        return self.negative / self.total if self.total else 0.0


class Theme(TimeStampedModel):
    """A pain point: negative and critical posts close together in embedding space."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("Leave empty to use the terms."))
    terms = models.JSONField(_("distinctive terms"), default=list)
    centroid = models.BinaryField()
    size = models.PositiveIntegerField(_("posts"), default=0)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_themes"
    )
    idea = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="themes", verbose_name=_("idea")
    )

    class Meta:
        ordering = ["-size", "-id"]
        indexes = [models.Index(fields=["community", "merged_into", "-size"], name="theme_community_size")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or " · ".join(self.terms[:3])


class ThemePost(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    post = models.OneToOneField("conversations.Post", on_delete=models.CASCADE, related_name="theme_membership")
    similarity = models.FloatField()
    posted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["theme", "-similarity"], name="themepost_theme_similarity")]

    def __str__(self) -> str:
        return f"{self.post_id} in {self.theme_id}"
