"""Base models and the append-only activity log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of an append-only log."""


class ActivityQuerySet(models.QuerySet["Activity"]):
    """Bulk changes are refused too; Django's cascades (a deleted user's SET_NULL) bypass these."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The activity log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The activity log is append-only.")


class Activity(models.Model):
    """One thing a person did, kept for ever: recognition and insights are computed from these."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    verb = models.CharField(_("verb"), max_length=64)
    # The person the action was done to or for (the author of a post reacted to, the answerer whose
    # reply was accepted), so "reactions received" is an indexed lookup, not a scan of JSON data.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True, default="")
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="activity_community_time"),
            models.Index(fields=["actor", "-created_at"], name="activity_actor_time"),
            models.Index(fields=["community", "verb", "-created_at"], name="activity_community_verb"),
            models.Index(fields=["community", "recipient", "verb"], name="activity_recipient_verb"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.target_type_id}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The activity log is append-only.")


class ModerationEntryQuerySet(models.QuerySet["ModerationEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The moderation log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation log is append-only.")


class ModerationEntry(models.Model):
    """One moderator action (or one the system took for them), with its reason: the audit log.

    Kept in core because the actions that write it live in several apps (conversations hides and
    locks, communities suspends and bans, moderation warns and decides the review queue), and
    each writes its entry in its own transaction. The member concerned (`subject`) is told why and
    may appeal once per entry.
    """

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True, default="")
    target = GenericForeignKey("target_type", "target_id")
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ModerationEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at", "-id"], name="modlog_community_time"),
            models.Index(fields=["community", "action", "-created_at"], name="modlog_community_action"),
            models.Index(fields=["community", "subject", "-created_at"], name="modlog_community_subject"),
            models.Index(fields=["community", "actor", "-created_at"], name="modlog_community_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} on {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The moderation log is append-only.")
