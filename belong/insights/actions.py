"""Every change a person makes to community intelligence: corrections, alerts and themes.

Each action checks permission through `can`, runs in one transaction, writes the activity log and
publishes its event after commit. What the models compute (analyses, rollups, alerts raised,
theme rebuilds) is in pipeline.py, rollups.py, alerts.py and themes.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Community
from belong.communities.permissions import check
from belong.conversations.models import Post
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid
from belong.core.events import on_commit_publish
from belong.ideas.models import Idea
from belong.insights import rollups
from belong.insights.events import SentimentCorrected
from belong.insights.models import Alert, AlertState, PostAnalysis, SentimentCorrection, SentimentLabel, Theme
from belong.insights.permissions import InsightsAction as Can

MAX_NOTE = 2000
MAX_THEME_NAME = 120


class Verb:
    SENTIMENT_CORRECTED = "insights.sentiment_corrected"
    ALERT_ACKNOWLEDGED = "insights.alert_acknowledged"
    ALERT_RESOLVED = "insights.alert_resolved"
    ALERT_REOPENED = "insights.alert_reopened"
    THEME_RENAMED = "insights.theme_renamed"
    THEMES_MERGED = "insights.themes_merged"
    THEME_LINKED = "insights.theme_linked"


def correct_sentiment(*, user: Any, post: Post, label: str) -> PostAnalysis:
    """Set a post's sentiment by hand; the correction is kept for recalibration and the day re-rolled."""
    check(user, Can.CORRECT_SENTIMENT, post)
    if label not in SentimentLabel.values:
        raise Invalid(
            _("Choose negative, neutral or positive."), errors={"label": [_("Choose negative, neutral or positive.")]}
        )
    with transaction.atomic():
        analysis = PostAnalysis.objects.select_for_update().filter(post=post).first()
        if analysis is None:
            raise Conflict(_("This post has not been analysed yet; try again in a few seconds."))
        SentimentCorrection.objects.create(
            community_id=post.community_id,
            post=post,
            label=label,
            model_label=analysis.model_sentiment,
            corrected_by=user,
        )
        analysis.sentiment = label
        analysis.corrected = True
        analysis.save(update_fields=["sentiment", "corrected"])
        rollups.refresh(analysis.community_id, analysis.posted_at.date())
        record_activity(
            actor=user,
            verb=Verb.SENTIMENT_CORRECTED,
            target=post,
            community=post.community_id,
            data={"label": label, "model": analysis.model_sentiment},
        )
        on_commit_publish(
            SentimentCorrected(community_id=post.community_id, actor_id=user.pk, post_id=post.pk, label=label)
        )
    return analysis


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(
            _("Keep the note under %(n)d characters.") % {"n": MAX_NOTE},
            errors={"note": [_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}]},
        )
    return note


def set_alert_state(*, user: Any, alert: Alert, state: str, note: str = "") -> Alert:
    """Acknowledge, resolve or reopen an alert, with an optional note."""
    check(user, Can.HANDLE_ALERTS, alert.community)
    if state not in AlertState.values:
        raise Invalid(_("Unknown state."), errors={"state": [_("Unknown state.")]})
    note = _clean_note(note)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state == state:
            raise Conflict(_("The alert is already %(state)s.") % {"state": alert.get_state_display().lower()})
        alert.state = state
        alert.handled_by = user
        if note:
            alert.note = note
        alert.save(update_fields=["state", "handled_by", "note", "updated_at"])
        verb = {
            AlertState.ACKNOWLEDGED: Verb.ALERT_ACKNOWLEDGED,
            AlertState.RESOLVED: Verb.ALERT_RESOLVED,
            AlertState.OPEN: Verb.ALERT_REOPENED,
        }[AlertState(state)]
        record_activity(actor=user, verb=verb, target=alert, community=alert.community_id, data={"note": note})
    return alert


def rename_theme(*, user: Any, theme: Theme, name: str) -> Theme:
    """Give a theme a name people recognise; an empty name goes back to its distinctive terms."""
    check(user, Can.MANAGE_THEMES, theme.community)
    name = (name or "").strip()
    if len(name) > MAX_THEME_NAME:
        message = _("Keep the name under %(n)d characters.") % {"n": MAX_THEME_NAME}
        raise Invalid(message, errors={"name": [message]})
    with transaction.atomic():
        Theme.objects.filter(pk=theme.pk).update(name=name, updated_at=timezone.now())
        theme.name = name
        record_activity(
            actor=user, verb=Verb.THEME_RENAMED, target=theme, community=theme.community_id, data={"name": name}
        )
    return theme


def merge_themes(*, user: Any, theme: Theme, into: Theme) -> Theme:
    """Fold `theme` into `into`: its posts move over and later rebuilds keep them together."""
    from belong.insights import themes

    check(user, Can.MANAGE_THEMES, theme.community)
    if into.community_id != theme.community_id:
        raise Invalid(_("Both themes must be of this community."), errors={"into": [_("No such theme.")]})
    if into.pk == theme.pk:
        raise Invalid(_("A theme cannot be merged into itself."), errors={"into": [_("Choose another theme.")]})
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        into = Theme.objects.select_for_update().get(pk=into.pk)
        if theme.merged_into_id is not None or into.merged_into_id is not None:
            raise Conflict(_("That theme was already merged into another."))
        themes.merge(theme, into)
        record_activity(
            actor=user, verb=Verb.THEMES_MERGED, target=into, community=theme.community_id, data={"merged": theme.pk}
        )
    return into


def link_theme(*, user: Any, theme: Theme, idea: Idea | None) -> Theme:
    """Link the pain point to the idea that answers it (or unlink with None); the idea shows the theme."""
    check(user, Can.MANAGE_THEMES, theme.community)
    if idea is not None and idea.community_id != theme.community_id:
        raise Invalid(_("No such idea in this community."), errors={"idea": [_("No such idea in this community.")]})
    with transaction.atomic():
        Theme.objects.filter(pk=theme.pk).update(idea=idea, updated_at=timezone.now())
        theme.idea = idea
        record_activity(
            actor=user,
            verb=Verb.THEME_LINKED,
            target=theme,
            community=theme.community_id,
            data={"idea": idea.pk if idea is not None else None},
        )
    return theme


def rebuild_themes(*, user: Any, community: Community) -> int:
    """Re-cluster the community's pain points now (managers' button; the daily command does it too)."""
    from belong.insights import themes

    check(user, Can.MANAGE_THEMES, community)
    return themes.rebuild(community.pk)
