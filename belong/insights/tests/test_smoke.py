"""The pipeline end to end on a few posts in four languages, from the event a new post publishes."""

from __future__ import annotations

import pytest

from belong.conversations import actions
from belong.insights.models import PostAnalysis

pytestmark = pytest.mark.django_db


def test_new_posts_get_language_and_sentiment(settings, community, space, member):
    settings.BELONG_INSIGHTS_ENABLED = True
    community.languages = ["en", "pt", "bg", "af"]
    community.save()
    texts = {
        "en": "I love this product, the battery lasts for days and support was wonderful.",
        "pt": "O produto chegou partido e ninguém responde aos meus emails. Que desilusão terrível.",
        "bg": "Много съм доволен от новата версия, работи бързо и надеждно.",
        "af": "Die battery is baie swak en die toestel raak heeltyd warm. Ek is teleurgesteld.",
    }
    posts = {}
    for language, text in texts.items():
        with django_capture_on_commit():
            thread = actions.create_thread(
                author=member.user, space=space, kind="discussion", title=f"{language} thread", body=text
            )
        posts[language] = thread.posts.get()
    for language, post in posts.items():
        analysis = PostAnalysis.objects.get(post=post)
        assert analysis.language == language
        assert analysis.sentiment in {"negative", "neutral", "positive"}
        assert analysis.embedding is not None
    assert PostAnalysis.objects.get(post=posts["en"]).sentiment == "positive"
    assert PostAnalysis.objects.get(post=posts["pt"]).sentiment == "negative"


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
