"""The pipeline on real posts and real models: one analysis per version of a post, written once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from belong.conversations import actions
from belong.conversations.models import Post
from belong.insights import pipeline, tasks
from belong.insights.actions import correct_sentiment
from belong.insights.events import PostAnalysed
from belong.insights.models import DailyRollup, PostAnalysis
from belong.insights.tests.conftest import NEGATIVE, POSITIVE, backdate
from conftest import collect_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(start_thread, writer) -> dict[str, Post]:
    """One opening post a language, written while analysis is off (so nothing is analysed yet)."""
    texts = {"en": POSITIVE["en"], "pt": NEGATIVE["pt"], "bg": POSITIVE["bg"], "af": NEGATIVE["af"]}
    return {language: start_thread(writer.user, text, title="Feedback") for language, text in texts.items()}


def test_analyse_posts_writes_one_full_analysis_per_post(four, brand, reply):
    official = reply(brand.user, four["en"].thread, "Thank you, we are glad the battery works well for you.")

    written = pipeline.analyse_posts([post.pk for post in [*four.values(), official]])

    assert len(written) == 5
    assert PostAnalysis.objects.count() == 5
    for language, post in four.items():
        analysis = PostAnalysis.objects.get(post=post)
        assert analysis.language == language
        assert analysis.language_confidence > 0.5
        assert analysis.community_id == post.community_id
        assert analysis.space_id == post.thread.space_id
        assert analysis.kind == "discussion"
        assert analysis.posted_at == post.created_at
        assert analysis.sentiment == analysis.model_sentiment != ""
        assert analysis.score is not None and len(analysis.probabilities) == 3
        assert analysis.flags == {
            "reasons": [],
            **({"toxicity": analysis.flags["toxicity"]} if language == "en" else {}),
        }
        assert analysis.flagged is False
        assert analysis.embedding is not None and len(bytes(analysis.embedding)) == 768
        assert analysis.embedding_model and analysis.head_version
        assert len(analysis.content_hash) == 64
        assert analysis.corrected is False
        post.refresh_from_db()
        assert post.language == language
    assert PostAnalysis.objects.get(post=four["en"]).sentiment == "positive"
    assert PostAnalysis.objects.get(post=four["pt"]).sentiment == "negative"
    assert PostAnalysis.objects.get(post=official).is_official is True


def test_a_second_run_does_no_work(four, django_assert_num_queries):
    ids = [post.pk for post in four.values()]
    pipeline.analyse_posts(ids)
    stamps = dict(PostAnalysis.objects.values_list("post_id", "analysed_at"))

    with django_assert_num_queries(1):  # loading the posts with their analyses, nothing more
        assert pipeline.analyse_posts(ids) == []
    assert dict(PostAnalysis.objects.values_list("post_id", "analysed_at")) == stamps


def test_an_edit_is_analysed_again(four, writer):
    post = four["en"]
    pipeline.analyse_posts([post.pk])
    before = PostAnalysis.objects.get(post=post)

    actions.edit_post(editor=writer.user, post=post, body=NEGATIVE["en"])
    [after] = pipeline.analyse_posts([post.pk])

    assert (before.sentiment, after.sentiment) == ("positive", "negative")
    assert after.content_hash != before.content_hash
    assert PostAnalysis.objects.filter(post=post).count() == 1


def test_a_change_of_community_languages_is_analysed_again(four, multilingual_community):
    post = four["af"]
    pipeline.analyse_posts([post.pk])
    multilingual_community.languages = ["en", "nl"]
    multilingual_community.save(update_fields=["languages"])

    [again] = pipeline.analyse_posts([post.pk])

    assert again.language != "af"


def test_a_managers_correction_survives_re_analysis(four, writer, manager):
    post = four["en"]
    pipeline.analyse_posts([post.pk])
    correct_sentiment(user=manager.user, post=post, label="neutral")

    actions.edit_post(editor=writer.user, post=post, body=NEGATIVE["en"])
    [analysis] = pipeline.analyse_posts([post.pk])

    assert (analysis.sentiment, analysis.corrected, analysis.model_sentiment) == ("neutral", True, "negative")


def test_deleted_posts_are_skipped_and_forgotten(four, writer, insights_on, django_capture_on_commit_callbacks):
    pipeline.analyse_posts([post.pk for post in four.values()])
    tasks.after_analysis(PostAnalysis.objects.all())
    assert rolled_up() == 4
    post = four["pt"]

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(actor=writer.user, post=post)

    assert not PostAnalysis.objects.filter(post=post).exists()
    assert rolled_up() == 3
    assert pipeline.analyse_posts([post.pk]) == []
    assert pipeline.forget_post(post.pk) is None  # forgetting twice is harmless


def rolled_up() -> int:
    return int(DailyRollup.objects.aggregate(total=Sum("posts"))["total"] or 0)


def test_a_post_without_words_gets_an_analysis_without_sentiment(start_thread, writer):
    post = start_thread(writer.user, "😀 🎉 👍", title="🔥🔥")

    [analysis] = pipeline.analyse_posts([post.pk])

    assert (analysis.language, analysis.sentiment, analysis.score, analysis.embedding) == ("unknown", "", None, None)
    post.refresh_from_db()
    assert post.language == ""  # "unknown" is never written to the post


def test_a_task_for_one_post_analyses_the_recent_backlog_with_it(start_thread, writer, multilingual_community):
    posts = [start_thread(writer.user, text, title="Backlog") for text in (*POSITIVE.values(), NEGATIVE["en"])]
    old = start_thread(writer.user, NEGATIVE["pt"], title="Old")
    backdate([old], timezone.now() - pipeline.BACKLOG_WINDOW - timedelta(hours=1))

    assert tasks.analyse_post.enqueue(posts[0].pk).return_value == 5

    assert set(PostAnalysis.objects.values_list("post_id", flat=True)) == {post.pk for post in posts}
    assert pipeline.backlog(multilingual_community.pk) == []
    assert pipeline.unanalysed(multilingual_community.pk) == [old.pk]
    assert DailyRollup.objects.filter(community=multilingual_community).count() >= 1


def test_the_task_for_a_deleted_or_unknown_post_does_nothing(four, writer):
    post = four["en"]
    actions.delete_post(actor=writer.user, post=post)
    assert tasks.analyse_post.enqueue(post.pk).return_value == 0
    assert tasks.analyse_post.enqueue(10**9).return_value == 0
    assert not PostAnalysis.objects.exists()


def test_analysis_publishes_post_analysed_with_the_flag_reasons(
    monkeypatch, start_thread, writer, django_capture_on_commit_callbacks
):
    rude = start_thread(writer.user, "You are a fucking idiot and I hate you, shut up you stupid moron.", title="Hey")
    kind = start_thread(writer.user, POSITIVE["pt"], title="Olá")
    seen = collect_events(monkeypatch, only_from="belong.insights.events")

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.analyse_posts([rude.pk, kind.pk])

    by_post = {event.post_id: event for event in seen if isinstance(event, PostAnalysed)}
    assert set(by_post[rude.pk].flag_reasons) == {"profanity", "toxic"}
    assert by_post[rude.pk].sentiment == "negative"
    assert by_post[kind.pk] == PostAnalysed(
        community_id=kind.community_id, post_id=kind.pk, language="pt", sentiment="positive", flag_reasons=()
    )
    assert PostAnalysis.objects.get(post=rude).flagged is True


def test_end_to_end_new_posts_in_four_languages_get_language_and_sentiment(insights_on, start_thread, writer):
    posts = {language: start_thread(writer.user, text, title=language) for language, text in POSITIVE.items()}

    for language, post in posts.items():
        analysis = PostAnalysis.objects.get(post=post)
        assert analysis.language == language
        assert analysis.sentiment == "positive" or language in {"bg", "af"}
        assert analysis.embedding is not None
