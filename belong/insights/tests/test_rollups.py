"""Daily rollups: counts per space, language and kind, recomputed from analyses, idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from belong.communities.tests.factories import SpaceFactory
from belong.conversations.models import Post, Thread
from belong.insights import pipeline, rollups
from belong.insights.models import DailyRollup, PostAnalysis
from belong.insights.tests.conftest import NEGATIVE, POSITIVE, backdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_posts(start_thread, reply, writer, brand, multilingual_community, space):
    """Today: English and Portuguese posts in two spaces, a question the brand answered, a rude post."""
    other = SpaceFactory(community=multilingual_community)
    en_good = start_thread(writer.user, POSITIVE["en"], title="Great")
    en_bad = start_thread(writer.user, NEGATIVE["en"], title="Broken", kind="question")
    pt_bad = start_thread(writer.user, NEGATIVE["pt"], title="Partido")
    pt_other = start_thread(writer.user, POSITIVE["pt"], title="Ótimo", in_space=other)
    answer = reply(brand.user, en_bad.thread, "We are sorry to hear that. Please send us the order number.")
    rude = reply(writer.user, pt_bad.thread, "Que merda de produto, porra, isto é uma bosta.")
    posts = [en_good, en_bad, pt_bad, pt_other, answer, rude]
    pipeline.analyse_posts([post.pk for post in posts])
    return {"other": other, "en_bad": en_bad, "answer": answer, "rude": rude, "posts": posts}


def rows(community):
    return {
        (row.space_id, row.language, row.kind): row
        for row in DailyRollup.objects.filter(community=community, day=timezone.now().date())
    }


def test_a_day_is_counted_per_space_language_and_kind(day_of_posts, multilingual_community, space):
    assert rollups.refresh(multilingual_community.pk, timezone.now().date()) == 4
    table = rows(multilingual_community)
    other = day_of_posts["other"].pk

    assert set(table) == {
        (space.pk, "en", "discussion"),
        (space.pk, "en", "question"),
        (space.pk, "pt", "discussion"),
        (other, "pt", "discussion"),
    }
    question = table[(space.pk, "en", "question")]
    assert (question.posts, question.negative, question.official) == (2, 1, 1)
    portuguese = table[(space.pk, "pt", "discussion")]
    assert (portuguese.posts, portuguese.negative, portuguese.flagged) == (2, 2, 1)
    assert table[(space.pk, "en", "discussion")].positive == 1
    assert table[(other, "pt", "discussion")].positive == 1
    analyses = PostAnalysis.objects.filter(community=multilingual_community)
    assert sum(row.posts for row in table.values()) == analyses.count() == 6
    assert sum(row.score_sum for row in table.values()) == pytest.approx(sum(a.score or 0 for a in analyses), abs=1e-6)
    assert sum(row.negative + row.neutral + row.positive for row in table.values()) == 6


def test_the_brand_first_response_time_comes_from_the_thread(day_of_posts, multilingual_community, space):
    thread = Thread.objects.get(pk=day_of_posts["en_bad"].thread_id)
    assert thread.first_brand_response_at is not None
    # The question waited three hours for the brand's answer.
    Thread.objects.filter(pk=thread.pk).update(created_at=thread.first_brand_response_at - timedelta(hours=3))

    rollups.refresh(multilingual_community.pk, timezone.now().date())

    question = rows(multilingual_community)[(space.pk, "en", "question")]
    assert (question.brand_responses, question.brand_response_seconds) == (1, 3 * 3600)
    assert sum(row.brand_responses for row in rows(multilingual_community).values()) == 1


def test_refresh_is_idempotent(day_of_posts, multilingual_community):
    today = timezone.now().date()
    rollups.refresh(multilingual_community.pk, today)
    first = sorted(
        (r.space_id, r.language, r.kind, r.posts, r.negative, r.score_sum)
        for r in rows(multilingual_community).values()
    )

    rollups.refresh(multilingual_community.pk, today)
    rollups.refresh(multilingual_community.pk, today)

    again = sorted(
        (r.space_id, r.language, r.kind, r.posts, r.negative, r.score_sum)
        for r in rows(multilingual_community).values()
    )
    assert again == first
    assert DailyRollup.objects.filter(community=multilingual_community).count() == 4


def test_hidden_and_deleted_posts_are_left_out(day_of_posts, multilingual_community, space):
    Post.objects.filter(pk=day_of_posts["rude"].pk).update(is_hidden=True)
    Post.objects.filter(pk=day_of_posts["answer"].pk).update(deleted_at=timezone.now())

    rollups.refresh(multilingual_community.pk, timezone.now().date())

    table = rows(multilingual_community)
    assert table[(space.pk, "pt", "discussion")].flagged == 0
    assert table[(space.pk, "en", "question")].official == 0
    assert sum(row.posts for row in table.values()) == 4


def test_a_day_without_posts_has_no_rows(day_of_posts, multilingual_community):
    yesterday = timezone.now().date() - timedelta(days=1)
    assert rollups.refresh(multilingual_community.pk, yesterday) == 0
    assert not DailyRollup.objects.filter(day=yesterday).exists()


def test_rebuild_refreshes_every_day_with_posts(day_of_posts, multilingual_community):
    week_ago = timezone.now() - timedelta(days=7)
    backdate(day_of_posts["posts"][:2], week_ago)
    PostAnalysis.objects.filter(post__in=day_of_posts["posts"][:2]).update(posted_at=week_ago)
    DailyRollup.objects.all().delete()

    assert rollups.rebuild(multilingual_community.pk) == 2

    days = dict(
        DailyRollup.objects.filter(community=multilingual_community).values_list("day").annotate(total=Sum("posts"))
    )
    assert days == {week_ago.date(): 2, timezone.now().date(): 4}
