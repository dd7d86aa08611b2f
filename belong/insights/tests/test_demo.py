"""The demo's community intelligence: every post analysed, the crisis alerted on, themes formed; loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from belong.communities.models import Community
from belong.conversations.models import Post, Thread
from belong.demo import data
from belong.demo.loader import discover_steps
from belong.insights import demo
from belong.insights.demo_history import (
    BASELINE,
    CRISIS,
    CRISIS_DAY,
    DELIVERY,
    LINKED_IDEA,
    RENAMED_AS,
    STORIES,
)
from belong.insights.models import Alert, AlertKind, DailyRollup, PostAnalysis, SentimentCorrection, Theme

pytestmark = pytest.mark.django_db

LANGUAGES = {"en", "pt", "bg", "af"}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@dataclass(frozen=True)
class Loaded:
    community: Community
    first: dict[str, int]
    second: dict[str, int]
    second_output: str


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, skip_checks=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Iterator[Loaded]:
    """Load the demo with analysis on, twice (the second load must add nothing), then roll it back."""
    with django_db_blocker.unblock(), override_settings(BELONG_INSIGHTS_ENABLED=True), transaction.atomic():
        load()
        first = row_counts()
        output = load()
        yield Loaded(Community.objects.get(slug=data.COMMUNITY.slug), first, row_counts(), output)
        transaction.set_rollback(True)


def test_the_steps_come_after_every_other_apps_posts():
    steps = discover_steps()
    others = max(step.order for step in steps if not step.name.startswith("insights:"))
    ours = [step for step in steps if step.name.startswith("insights:")]
    assert len(ours) == 5
    assert all(500 <= step.order <= 590 and step.order > others for step in ours)


def test_the_history_spans_sixty_days_in_four_languages_with_one_crisis_day():
    assert {spec.day for spec in BASELINE} >= set(range(4, 61))
    assert {spec.space for spec in STORIES} >= {"general", "roda-de-cafe", "kafe-klub", "koffiekring"}
    assert {spec.day for spec in CRISIS} == {CRISIS_DAY}
    assert sum(1 + len(spec.replies) for spec in CRISIS) >= 25
    assert len({spec.title for spec in STORIES}) == len(STORIES)


def test_loading_twice_adds_nothing(loaded):
    assert loaded.second == loaded.first
    assert "nothing was added" in loaded.second_output


def test_every_post_of_the_demo_has_a_language_and_a_sentiment(loaded):
    posts = Post.objects.filter(community=loaded.community, deleted_at__isnull=True)
    analyses = PostAnalysis.objects.filter(community=loaded.community)
    assert posts.count() >= 250
    assert analyses.count() == posts.count()
    assert not analyses.filter(sentiment="").exists()
    assert not analyses.filter(language="").exists()
    languages = set(analyses.values_list("language", flat=True))
    assert languages >= LANGUAGES
    assert set(analyses.values_list("sentiment", flat=True)) == {"negative", "neutral", "positive"}


def test_the_history_is_dated_across_sixty_days_with_the_brand_answering(loaded):
    now = timezone.now()
    titles = [spec.title for spec in STORIES]
    threads = Thread.objects.filter(community=loaded.community, title__in=titles)
    assert threads.count() == len(STORIES)
    oldest = min(threads.values_list("created_at", flat=True))
    assert timedelta(days=59) < now - oldest < timedelta(days=62)
    assert not Post.objects.filter(thread__in=threads, created_at__gt=now).exists()
    answered = threads.filter(first_brand_response_at__isnull=False)
    assert answered.count() >= 30
    assert all((thread.brand_response_seconds or 0) > 0 for thread in answered)
    assert DailyRollup.objects.filter(community=loaded.community, brand_responses__gt=0).count() >= 20


def test_the_crisis_raises_an_alert_on_its_day_and_no_other(loaded):
    crisis_day = (timezone.now().astimezone(UTC) - timedelta(days=CRISIS_DAY)).date()
    raised = Alert.objects.filter(community=loaded.community)
    assert {alert.day for alert in raised} == {crisis_day}
    alert = raised.get(kind=AlertKind.NEGATIVE_SHARE)
    assert alert.negative >= 15 and alert.share > 0.6
    assert alert.notified_at is not None  # told back then; the worker does not e-mail it today
    crisis_titles = {spec.title for spec in CRISIS}
    behind = set(alert.posts.values_list("thread__title", flat=True))
    assert len(behind & crisis_titles) == len(CRISIS)


def test_themes_form_and_a_manager_renamed_merged_and_linked_them(loaded):
    standing = Theme.objects.filter(community=loaded.community, merged_into__isnull=True)
    assert standing.count() >= 3
    renamed = standing.get(name=RENAMED_AS)
    assert Theme.objects.filter(merged_into=renamed).count() == 1
    linked = standing.get(idea__isnull=False)
    assert linked.idea is not None and linked.idea.thread.title == LINKED_IDEA
    assert linked in demo.themes_of_topic(loaded.community.pk, DELIVERY)


def test_a_manager_corrected_what_the_model_got_wrong(loaded):
    corrections = SentimentCorrection.objects.filter(community=loaded.community)
    assert corrections.count() >= 1
    for correction in corrections:
        analysis = PostAnalysis.objects.get(post=correction.post)
        assert analysis.corrected and analysis.sentiment == correction.label != correction.model_label
        assert correction.corrected_by is not None and correction.corrected_by.handle == demo.MANAGER


def test_the_manager_sees_the_insights_page_with_the_alert_and_the_themes(loaded):
    client = Client()
    client.force_login(loaded.community.memberships.get(user__handle=data.SHOWCASE_MANAGER).user)

    response = client.get(reverse("insights:home", args=[loaded.community.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert RENAMED_AS in html
