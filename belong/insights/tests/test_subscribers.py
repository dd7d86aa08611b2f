"""Posts are analysed from the conversations events when insights are on, and only then."""

from __future__ import annotations

import pytest

from belong.conversations import actions
from belong.insights.models import DailyRollup, PostAnalysis
from belong.insights.tests.conftest import NEGATIVE, POSITIVE

pytestmark = pytest.mark.django_db


def test_a_reply_made_through_the_action_is_analysed(insights_on, start_thread, reply, writer):
    opening = start_thread(writer.user, POSITIVE["en"], title="Love it")

    answer = reply(writer.user, opening.thread, NEGATIVE["pt"])

    analysis = PostAnalysis.objects.get(post=answer)
    assert (analysis.language, analysis.sentiment) == ("pt", "negative")
    assert PostAnalysis.objects.get(post=opening).sentiment == "positive"
    assert DailyRollup.objects.filter(language="pt", negative=1).exists()


def test_an_edit_through_the_action_is_analysed_again(
    insights_on, start_thread, writer, django_capture_on_commit_callbacks
):
    post = start_thread(writer.user, POSITIVE["en"], title="Love it")

    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(editor=writer.user, post=post, body=NEGATIVE["en"])

    assert PostAnalysis.objects.get(post=post).sentiment == "negative"


def test_a_deletion_through_the_action_forgets_the_analysis(
    insights_on, start_thread, writer, django_capture_on_commit_callbacks
):
    post = start_thread(writer.user, NEGATIVE["bg"], title="Счупен")
    assert PostAnalysis.objects.filter(post=post).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(actor=writer.user, post=post)

    assert not PostAnalysis.objects.exists()
    assert not DailyRollup.objects.exists()


def test_nothing_is_analysed_when_insights_are_off(settings, start_thread, reply, writer):
    settings.BELONG_INSIGHTS_ENABLED = False
    opening = start_thread(writer.user, POSITIVE["af"], title="Lekker")
    reply(writer.user, opening.thread, NEGATIVE["af"])

    assert not PostAnalysis.objects.exists()
    assert not DailyRollup.objects.exists()
