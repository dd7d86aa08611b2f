"""The demo's community intelligence: sixty days of member posts analysed, rolled up, alerted on and themed.

The history (`demo_history.py`) is posted through the conversation actions, like real use, then
moved to the days it happened, the way the ideas demo dates its story. Then the real pipeline
runs over every post of the demo: language, embedding, sentiment and flags for each post, the
daily rollups, the alert detector for every day (it finds the crisis three days ago by itself),
and the theme clustering. Last, a manager does what managers do on the insights page: corrects a
few sentiments, renames the crisis theme, merges a part of it the clustering split off,
and links the delivery complaints to the parcel-locker idea.

Analysis follows `BELONG_INSIGHTS_ENABLED`: with it off (the rest of the test suite) the posts
are still written but no model is loaded. Each step finds what an earlier run made and adds only
what is missing, so loading the demo twice adds nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from belong.communities.models import Space
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Thread
from belong.demo.loader import DemoContext, demo_step
from belong.ideas.models import Idea
from belong.insights import actions, alerts, pipeline, rollups, themes
from belong.insights.demo_history import (
    CORRECTIONS,
    LINKED_IDEA,
    LINKED_TOPIC,
    RENAMED_AS,
    RENAMED_TOPIC,
    STORIES,
    Story,
)
from belong.insights.models import Alert, PostAnalysis, SentimentCorrection, Theme, ThemePost
from belong.recognition.backfill import backfill_community

MANAGER = "hannah"
# Posts analysed per call: the pipeline batches inside; this bounds what is held in memory at once.
ANALYSIS_CHUNK = 128
# A reply is never dated later than this before the load, so nothing in the history is in the future.
NOT_AFTER = timedelta(minutes=5)


def insights_enabled() -> bool:
    return bool(getattr(settings, "BELONG_INSIGHTS_ENABLED", True))


# --- The history --------------------------------------------------------------------------------


def _moments(spec: Story, now: datetime) -> list[datetime]:
    """When the opening post and each reply were written (UTC days, so the rollups' days match)."""
    midnight = datetime.combine(now.astimezone(UTC).date() - timedelta(days=spec.day), time.min, tzinfo=UTC)
    opened = midnight + timedelta(hours=spec.hour)
    latest = now - NOT_AFTER
    return [min(opened, latest)] + [min(opened + timedelta(hours=reply.hours), latest) for reply in spec.replies]


def _date_the_thread(thread: Thread, posts: list[Post], moments: list[datetime]) -> None:
    """Move the thread and its posts to when they were written, the brand's first answer included."""
    for post, moment in zip(posts, moments, strict=True):
        Post.objects.filter(pk=post.pk).update(created_at=moment, updated_at=moment)
    brand_answers = [moment for post, moment in zip(posts[1:], moments[1:], strict=True) if post.is_official]
    first_answer = brand_answers[0] if brand_answers and not posts[0].is_official else None
    Thread.objects.filter(pk=thread.pk).update(
        created_at=moments[0],
        updated_at=moments[0],
        last_activity_at=max(moments),
        first_brand_response_at=first_answer,
    )


def _tell(ctx: DemoContext, spec: Story, now: datetime) -> None:
    space = Space.objects.get(community=ctx.community, slug=spec.space)
    thread = conversations.create_thread(
        author=ctx.user(spec.author), space=space, kind=spec.kind, title=spec.title, body=spec.body
    )
    posts = [thread.posts.get(is_opening=True)]
    for reply in spec.replies:
        posts.append(conversations.create_reply(author=ctx.user(reply.author), thread=thread, body=reply.body))
    _date_the_thread(thread, posts, _moments(spec, now))
    ctx.count("threads")
    ctx.count("posts", len(posts))


@demo_step("insights: sixty days of member posts, and a crisis", order=500)
def history(ctx: DemoContext) -> None:
    have = set(Thread.objects.filter(community=ctx.community).values_list("title", flat=True))
    now = timezone.now()
    told = False
    for spec in STORIES:
        if spec.title not in have:
            _tell(ctx, spec, now)
            told = True
    if told:
        # The recognition steps ran before these posts existed: replay them too, dated when they were written,
        # so the worker (or the next load) finds nothing left to award.
        backfill_community(ctx.community)


# --- The analysis -------------------------------------------------------------------------------


@demo_step("insights: every post analysed", order=510)
def analysis(ctx: DemoContext) -> None:
    """Run the real models over every post of the demo (skipping those an earlier run analysed)."""
    if not insights_enabled():
        return
    ids = pipeline.all_posts(ctx.community.pk)
    written = 0
    for start in range(0, len(ids), ANALYSIS_CHUNK):
        written += len(pipeline.analyse_posts(ids[start : start + ANALYSIS_CHUNK]))
    if written:
        ctx.count("post analyses", written)


def _days(ctx: DemoContext) -> list[date]:
    """Every day from the first analysed post to today, quiet days included (they are the baseline too)."""
    first = (
        PostAnalysis.objects.filter(community=ctx.community)
        .order_by("posted_at")
        .values_list("posted_at", flat=True)[:1]
    )
    if not first:
        return []
    start, today = first[0].astimezone(UTC).date(), timezone.now().astimezone(UTC).date()
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


@demo_step("insights: daily rollups and crisis alerts", order=520)
def rollups_and_alerts(ctx: DemoContext) -> None:
    if not insights_enabled():
        return
    community_id = ctx.community.pk
    rollups.rebuild(community_id)
    before = Alert.objects.filter(community_id=community_id).count()
    for day in _days(ctx):
        for alert in alerts.detect(community_id, day):
            if alert.notified_at is None:
                # The managers heard about it the day it happened; the worker must not e-mail them again today.
                Alert.objects.filter(pk=alert.pk).update(
                    notified_at=datetime.combine(day, time.max, tzinfo=UTC) - timedelta(hours=1)
                )
    raised = Alert.objects.filter(community_id=community_id).count() - before
    if raised:
        ctx.count("alerts", raised)


@demo_step("insights: pain-point themes", order=530)
def pain_points(ctx: DemoContext) -> None:
    if not insights_enabled():
        return
    before = Theme.objects.filter(community=ctx.community).count()
    themes.rebuild(ctx.community.pk)
    formed = Theme.objects.filter(community=ctx.community).count() - before
    if formed:
        ctx.count("themes", formed)


# --- What a manager did with it -----------------------------------------------------------------


def _post_of(ctx: DemoContext, title: str, position: int) -> Post:
    return Post.objects.filter(thread__community=ctx.community, thread__title=title).order_by("created_at", "pk")[
        position
    ]


def themes_of_topic(community_id: int, topic: str) -> list[Theme]:
    """The standing themes mostly made of the member posts the history wrote about `topic`, largest share first."""
    titles = [spec.title for spec in STORIES if spec.topic == topic]
    found = (
        ThemePost.objects.filter(
            theme__community_id=community_id, theme__merged_into__isnull=True, post__thread__title__in=titles
        )
        .values("theme_id", "theme__size")
        .annotate(posts=Count("pk"))
        .order_by("-posts", "theme_id")
    )
    ids = [row["theme_id"] for row in found if 2 * row["posts"] >= row["theme__size"]]
    by_id = Theme.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


@demo_step("insights: corrections, a theme renamed and merged, a theme linked to an idea", order=590)
def managed(ctx: DemoContext) -> None:
    if not insights_enabled():
        return
    manager = ctx.user(MANAGER)
    for title, position, label in CORRECTIONS:
        post = _post_of(ctx, title, position)
        analysis = PostAnalysis.objects.filter(post=post).first()
        # A manager corrects what the model got wrong; a post they already looked at is left alone.
        if analysis is None or analysis.sentiment == label or SentimentCorrection.objects.filter(post=post).exists():
            continue
        actions.correct_sentiment(user=manager, post=post, label=label)
        ctx.count("sentiment corrections")
    crisis = themes_of_topic(ctx.community.pk, RENAMED_TOPIC)
    standing = Theme.objects.filter(community=ctx.community, merged_into__isnull=True)
    renamed = standing.filter(name=RENAMED_AS).first() or next(iter(crisis), None)
    alike = [theme for theme in crisis if renamed is not None and theme.pk != renamed.pk]
    if renamed is not None and not renamed.name:
        actions.rename_theme(user=manager, theme=renamed, name=RENAMED_AS)
        ctx.count("themes renamed")
    if renamed is not None and alike and not Theme.objects.filter(merged_into=renamed).exists():
        # The clustering split the crisis by wording; the manager folds the largest other part into it.
        actions.merge_themes(user=manager, theme=alike[0], into=renamed)
        ctx.count("themes merged")
    idea = Idea.objects.get(community=ctx.community, thread__title=LINKED_IDEA)
    linked = next(iter(themes_of_topic(ctx.community.pk, LINKED_TOPIC)), None)
    if linked is not None and not standing.filter(idea=idea).exists():
        actions.link_theme(user=manager, theme=linked, idea=idea)
        ctx.count("themes linked to ideas")
