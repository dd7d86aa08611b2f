"""Celebrations: milestones, badges, ranks, trust levels and anniversaries, each once, each announced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from belong.communities.models import MembershipState
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Thread, ThreadKind
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.core.events import publish
from belong.ideas import actions as ideas
from belong.recognition import badges, celebrations
from belong.recognition.events import Celebrated, RankChanged, TrustLevelChanged
from belong.recognition.models import BadgeAward, Celebration, CelebrationKind
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 15)


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kept(user) -> list[str]:
    return sorted(Celebration.objects.filter(user=user).values_list("key", flat=True))


def announced(published) -> list[tuple[int, str]]:
    return [(event.user_id, event.key) for event in published if isinstance(event, Celebrated)]


# ---------------------------------------------------------------------------------------------
# Post milestones


def test_the_tenth_post_is_celebrated_not_the_ninth(space, member):
    community_id = space.community_id
    thread = ThreadFactory(space=space, author=member.user)  # its opening post is the first
    PostFactory.create_batch(8, thread=thread, author=member.user)
    PostFactory(thread=thread, author=member.user, deleted_at=timezone.now())  # removed: not counted
    assert celebrations.celebrate_posts(community_id, member.user_id) is None
    PostFactory(thread=thread, author=member.user)
    celebration = celebrations.celebrate_posts(community_id, member.user_id)
    assert celebration is not None
    assert (celebration.kind, celebration.key, celebration.data) == (
        CelebrationKind.MILESTONE,
        "posts:10",
        {"count": 10},
    )
    assert celebrations.celebrate_posts(community_id, member.user_id) is None


def test_a_late_count_celebrates_the_highest_milestone_reached(space, member):
    PostFactory.create_batch(52, thread=ThreadFactory(space=space), author=member.user)
    celebrations.celebrate_posts(space.community_id, member.user_id)
    assert kept(member.user) == ["posts:50"]


def test_writing_posts_celebrates_the_milestone_and_announces_it(space, member, commit, published, monkeypatch):
    monkeypatch.setattr(celebrations, "POST_MILESTONES", (2,))
    thread = conversations.create_thread(
        author=member.user, space=space, kind=ThreadKind.DISCUSSION, title="Кафе", body="Здравейте!"
    )
    with commit():
        conversations.create_reply(author=member.user, thread=thread, body="Още едно кафе, моля.")
    assert kept(member.user) == ["posts:2"]
    assert announced(published) == [(member.user_id, "posts:2")]
    with commit():
        conversations.create_reply(author=member.user, thread=thread, body="И още едно.")
    assert len(announced(published)) == 1


# ---------------------------------------------------------------------------------------------
# First answer and first idea shipped


def test_a_first_accepted_answer_is_celebrated_once(space, make_member, commit, published):
    asker, answerer = make_member().user, make_member().user
    for title in ("Como moer o café?", "Que água usar?"):
        thread = conversations.create_thread(
            author=asker, space=space, kind=ThreadKind.QUESTION, title=title, body="Obrigado!"
        )
        reply = conversations.create_reply(author=answerer, thread=thread, body="Assim, com calma.")
        with commit():
            conversations.accept_answer(actor=asker, thread=thread, post=reply)
    assert "first-answer" in kept(answerer)
    assert [key for user_id, key in announced(published) if key == "first-answer"] == ["first-answer"]


def test_a_first_shipped_idea_is_celebrated_once(space, member, manager, commit):
    for title in ("Koffie op die trein", "Koffie op die boot"):
        idea = ideas.propose_idea(author=member.user, space=space, title=title, description="Asseblief.")
        with commit():
            ideas.change_status(actor=manager.user, idea=idea, status="shipped")
    first = Celebration.objects.get(user=member.user, key="first-idea-shipped")
    assert first.data["title"] == "Koffie op die trein"


# ---------------------------------------------------------------------------------------------
# Badges, ranks and trust levels


def test_silver_and_gold_badges_are_celebrated_bronze_ones_are_not(community, member, manager, commit, published):
    with commit():
        badges.award_badge(actor=manager.user, membership=member, key="helpful", reason="Bronze")
        badges.award_badge(actor=manager.user, membership=member, key="very-helpful", reason="Silver")
        badges.award_badge(actor=manager.user, membership=member, key="anniversary-5", reason="Celebrated otherwise")
    assert kept(member.user) == ["badge:very-helpful:once"]
    celebration = Celebration.objects.get(user=member.user)
    assert celebration.kind == CelebrationKind.BADGE
    assert celebrations.describe(celebration) == "earned the Very helpful badge"


def test_a_renamed_badge_is_celebrated_under_its_name(community, member, manager, commit):
    badge = badges.create_badge(
        actor=manager.user, community=community, key="orador", name="Orador do encontro", tier="gold"
    )
    with commit():
        award = badges.award_badge(actor=manager.user, membership=member, key=badge.key, reason="Lisboa")
    celebration = Celebration.objects.get(user=member.user)
    assert celebration.key == f"badge:orador:{award.source}"
    assert celebrations.describe(celebration) == "earned the Orador do encontro badge"


def test_a_rank_reached_on_the_way_up_is_celebrated(community, member, commit):
    start = RankFactory(community=community, name="Новак", min_points=0)
    regular = RankFactory(community=community, name="Редовен", min_points=250)

    def moved(rank, up):
        with commit():
            publish(
                RankChanged(
                    community_id=community.pk, user_id=member.user_id, rank_id=rank.pk, previous_rank_id=None, up=up
                )
            )

    moved(start, up=True)  # everyone starts there
    moved(regular, up=False)
    assert kept(member.user) == []
    moved(regular, up=True)
    moved(regular, up=True)
    assert kept(member.user) == [f"rank:{regular.pk}"]
    assert celebrations.describe(Celebration.objects.get(user=member.user)) == "reached the rank Редовен"


def test_a_higher_trust_level_is_celebrated(community, member, commit):
    def changed(old, new):
        with commit():
            publish(
                TrustLevelChanged(
                    community_id=community.pk,
                    membership_id=member.pk,
                    user_id=member.user_id,
                    old_level=old,
                    new_level=new,
                )
            )

    changed(2, 1)
    assert kept(member.user) == []
    changed(1, 2)
    changed(1, 2)
    assert kept(member.user) == ["trust:2"]
    assert celebrations.describe(Celebration.objects.get(user=member.user)) == "reached trust level 2"


def test_celebrate_keeps_each_moment_once_and_announces_it(community, member, commit, published):
    with commit():
        first = celebrations.celebrate(
            community_id=community.pk, user_id=member.user_id, kind=CelebrationKind.MILESTONE, key="first-answer"
        )
        again = celebrations.celebrate(
            community_id=community.pk, user_id=member.user_id, kind=CelebrationKind.MILESTONE, key="first-answer"
        )
    assert first is not None and again is None
    [event] = [e for e in published if isinstance(e, Celebrated)]
    assert (event.celebration_id, event.kind, event.community_id) == (first.pk, "milestone", community.pk)


# ---------------------------------------------------------------------------------------------
# Anniversaries


def joined(make_member, when: dt.date, **kwargs: Any):
    at = timezone.make_aware(dt.datetime.combine(when, dt.time(10, 30)))
    return make_member(joined_at=at, **kwargs)


def test_a_year_to_the_day_is_an_anniversary_with_its_badge(make_member, commit, published):
    member = joined(make_member, dt.date(2024, 6, 15))
    almost = joined(make_member, dt.date(2024, 6, 16))
    with commit():
        assert celebrations.celebrate_anniversaries(TODAY) == 1
    assert kept(member.user) == ["anniversary:1"]
    assert kept(almost.user) == []
    assert BadgeAward.objects.get(user=member.user).badge.key == "anniversary-1"
    assert announced(published) == [(member.user_id, "anniversary:1")]
    assert celebrations.describe(Celebration.objects.get(user=member.user)) == "has been a member for 1 year"


def test_missed_days_are_caught_up_once_with_every_badge_reached(make_member):
    member = joined(make_member, dt.date(2020, 6, 1))
    assert celebrations.celebrate_anniversaries(TODAY) == 1
    assert celebrations.celebrate_anniversaries(TODAY + dt.timedelta(days=3)) == 0
    assert kept(member.user) == ["anniversary:5"]
    held = sorted(BadgeAward.objects.filter(user=member.user).values_list("badge__key", flat=True))
    assert held == ["anniversary-1", "anniversary-2", "anniversary-5"]
    assert celebrations.describe(Celebration.objects.get(user=member.user)) == "has been a member for 5 years"


def test_each_new_year_is_celebrated(make_member):
    member = joined(make_member, dt.date(2023, 6, 15))
    celebrations.celebrate_anniversaries(dt.date(2024, 6, 15))
    celebrations.celebrate_anniversaries(TODAY)
    assert kept(member.user) == ["anniversary:1", "anniversary:2"]


def test_only_active_members_have_anniversaries(make_member):
    for state in (MembershipState.LEFT, MembershipState.BANNED, MembershipState.PENDING):
        joined(make_member, dt.date(2022, 1, 1), state=state)
    assert celebrations.celebrate_anniversaries(TODAY) == 0


def test_a_member_who_joined_on_29_february_completes_a_year_on_1_march(make_member):
    member = joined(make_member, dt.date(2024, 2, 29))
    assert celebrations.celebrate_anniversaries(dt.date(2025, 2, 28)) == 0
    assert celebrations.celebrate_anniversaries(dt.date(2025, 3, 1)) == 1
    assert kept(member.user) == ["anniversary:1"]


def test_anniversaries_of_one_community_only(community, make_member):
    here = joined(make_member, dt.date(2023, 1, 1))
    there = MembershipFactory(community=CommunityFactory(), joined_at=timezone.make_aware(dt.datetime(2023, 1, 1, 12)))
    assert celebrations.celebrate_anniversaries(TODAY, community_id=community.pk) == 1
    assert kept(here.user) == ["anniversary:2"]
    assert kept(there.user) == []


def test_the_command_celebrates_up_to_the_date_given(make_member):
    member = joined(make_member, dt.date(2023, 6, 15))
    out = StringIO()
    call_command("recognition_anniversaries", "--date", "2025-06-15", stdout=out)
    assert "Celebrated 1 anniversaries" in out.getvalue()
    assert kept(member.user) == ["anniversary:2"]
    with pytest.raises(CommandError):
        call_command("recognition_anniversaries", "--date", "15/06/2025")


# ---------------------------------------------------------------------------------------------
# Reads


def test_describe_speaks_the_readers_language(community, member):
    celebration = Celebration.objects.create(
        community=community, user=member.user, kind=CelebrationKind.MILESTONE, key="posts:100", data={"count": 100}
    )
    assert celebrations.describe(celebration) == "reached 100 posts"
    for language in ("pt", "bg", "af"):
        with translation.override(language):
            assert "100" in celebrations.describe(celebration)
    for key, text in (("first-answer", "had a first answer accepted"), ("first-idea-shipped", "saw a first idea ship")):
        moment = Celebration(community=community, user=member.user, kind=CelebrationKind.MILESTONE, key=key)
        assert celebrations.describe(moment) == text


def test_a_members_celebrations_newest_first(community, member, make_member):
    other = make_member()
    for key in ("posts:10", "posts:50"):
        celebrations.celebrate(
            community_id=community.pk, user_id=member.user_id, kind=CelebrationKind.MILESTONE, key=key
        )
    celebrations.celebrate(
        community_id=community.pk, user_id=other.user_id, kind=CelebrationKind.MILESTONE, key="posts:10"
    )
    assert [c.key for c in celebrations.celebrations_of(community, member.user)] == ["posts:50", "posts:10"]
    assert celebrations.celebrations_of(community).count() == 3


def test_milestones_count_only_the_members_own_posts_in_this_community(space, member):
    elsewhere = ThreadFactory(author=member.user)
    PostFactory.create_batch(10, thread=elsewhere, author=member.user)
    assert celebrations.celebrate_posts(space.community_id, member.user_id) is None
    assert Post.objects.filter(author=member.user).count() == 11
    assert Thread.objects.filter(community=space.community).count() == 0
