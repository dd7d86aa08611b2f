"""Background work of the insights app. Every task takes ids and is safe to run twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import MembershipState
from belong.communities.permissions import MANAGERS
from belong.core.tasks import retrying_task
from belong.insights import alerts, calibration, pipeline, rollups, themes
from belong.insights.models import Alert, PostAnalysis


def after_analysis(analyses: Iterable[PostAnalysis]) -> None:
    """Refresh the rollups of the days the analyses touched, look for alerts, file posts under themes."""
    analyses = list(analyses)
    days: set[tuple[int, date]] = {(analysis.community_id, analysis.posted_at.date()) for analysis in analyses}
    for community_id, day in sorted(days):
        rollups.refresh(community_id, day)
        alerts.detect(community_id, day)
    themes.file_new_posts(analyses)


@retrying_task(max_attempts=3, base_delay=30)
def analyse_post(post_id: int) -> int:
    """Analyse the post, with recent unanalysed posts of its community in the same batch; return how many."""
    community_id = pipeline.community_of_post(post_id)
    if community_id is None:
        return 0
    ids = [post_id, *pipeline.backlog(community_id, exclude=[post_id], limit=pipeline.BATCH - 1)]
    analyses = pipeline.analyse_posts(ids)
    after_analysis(analyses)
    return len(analyses)


@retrying_task(max_attempts=3, base_delay=30)
def forget_post(post_id: int) -> None:
    """A deleted post leaves the analyses, its theme and its day's rollup."""
    touched = pipeline.forget_post(post_id)
    if touched is not None:
        rollups.refresh(*touched)


@retrying_task(max_attempts=5, base_delay=60)
def notify_alert(alert_id: int) -> int:
    """E-mail the community's managers about a new alert, once, each in their language; return how many."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update(of=("self",)).select_related("community").filter(pk=alert_id).first()
        if alert is None or alert.notified_at is not None:
            return 0
        community = alert.community
        managers = User.objects.filter(
            is_active=True,
            memberships__community=community,
            memberships__state=MembershipState.ACTIVE,
            memberships__role__in=list(MANAGERS),
        ).exclude(email="")
        url = settings.BELONG_BASE_URL + reverse("insights:alert", args=[community.slug, alert.pk])
        messages = []
        for person in managers.order_by("pk"):
            with translation.override(person.locale or settings.LANGUAGE_CODE):
                subject = _("Alert in %(community)s: %(kind)s") % {
                    "community": community.name,
                    "kind": alert.get_kind_display(),
                }
                body = render_to_string(
                    "insights/email/alert.txt", {"alert": alert, "community": community, "url": url}
                )
            messages.append(EmailMessage(subject, body, None, [person.email]))
        get_connection().send_messages(messages)
        alert.notified_at = timezone.now()
        alert.save(update_fields=["notified_at"])
        return len(messages)


@retrying_task(max_attempts=3, base_delay=60)
def recalibrate_community(community_id: int) -> bool:
    """Fit the community's calibration to its managers' corrections and re-score its posts; whether one was stored."""
    return calibration.recalibrate(community_id) is not None
