"""bench/generate.py at a tiny size: its rows must look exactly like the ones the app's actions write."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.db.models import Count, F, Max, Min
from django.urls import reverse

from belong.accounts.models import User
from belong.communities.models import Community, Membership, MembershipState, Role
from belong.conversations.models import Follow, Post, Reaction, Thread
from belong.conversations.search import TERM_RE, fold, search_posts
from belong.core.models import Activity
from belong.core.richtext import render_markdown
from belong.ideas.models import Idea, IdeaStatus, IdeaVote
from bench import generate as bench
from bench.content import SEARCH_SHARE, SEARCH_TERM, Composer
from bench.discussions import OPEN_SPACES, Counts, Sizes

pytestmark = pytest.mark.django_db

SIZES = Sizes(threads=12, posts=200, ideas=3, reactions=120, votes=25)


@pytest.fixture
def counts() -> Counts:
    return bench.generate(slug="gen", members=60, sizes=SIZES, invitations=3, seed=7)


@pytest.fixture
def community(counts) -> Community:
    return Community.objects.get(slug="gen")


def test_it_writes_the_sizes_asked(counts, community):
    assert Thread.objects.filter(community=community).count() == SIZES.threads == counts.threads
    assert Post.objects.filter(community=community).count() == SIZES.posts == counts.posts
    assert Idea.objects.filter(community=community).count() == SIZES.ideas
    assert Post.objects.filter(community=community, is_opening=True).count() == SIZES.threads
    assert Reaction.objects.filter(post__community=community).count() == counts.reactions > 0
    assert community.member_count == Membership.objects.filter(community=community, state="active").count()


def test_thread_counters_match_their_posts(community):
    threads = Thread.objects.filter(community=community).annotate(
        n_posts=Count("posts"), first=Min("posts__created_at"), newest=Max("posts__created_at")
    )
    for thread in threads:
        assert thread.reply_count == thread.n_posts - 1
        assert thread.created_at == thread.first
        assert thread.last_activity_at == thread.newest == thread.updated_at
        opening = thread.posts.get(is_opening=True)
        assert (opening.author_id, opening.created_at, opening.language) == (
            thread.author_id,
            thread.created_at,
            thread.language,
        )


def test_some_threads_in_open_spaces_have_exactly_51_posts(community, counts):
    threads = Thread.objects.filter(
        community=community, reply_count=50, is_hidden=False, space__slug__in=OPEN_SPACES, space__is_archived=False
    )
    assert threads.count() == counts.fifty_one >= 1
    assert all(thread.posts.count() == 51 for thread in threads)


def test_vote_counts_match_the_votes_and_authors_vote_for_their_ideas(community):
    for idea in Idea.objects.filter(community=community).select_related("thread"):
        votes = IdeaVote.objects.filter(idea=idea)
        assert idea.vote_count == votes.count()
        assert votes.filter(user=idea.thread.author).exists()
    assert IdeaStatus.objects.filter(community=community).count() == 6  # the app's own defaults


def test_every_action_leaves_its_activity_and_follow(community, counts):
    assert Activity.objects.filter(community=community, verb="thread.started").count() == SIZES.threads
    assert Activity.objects.filter(community=community, verb="post.replied").count() == SIZES.posts - SIZES.threads
    assert Activity.objects.filter(community=community, verb="post.reacted").count() == counts.reactions
    for post in Post.objects.filter(community=community):
        assert Follow.objects.filter(user=post.author, thread=post.thread).exists()


def test_nobody_reacts_to_their_own_post_or_acts_before_joining(community):
    assert not Reaction.objects.filter(post__community=community, user_id=F("post__author_id")).exists()
    joined = dict(Membership.objects.filter(community=community).values_list("user_id", "joined_at"))
    for author_id, created_at in Post.objects.filter(community=community).values_list("author_id", "created_at"):
        assert author_id is not None
        joined_at = joined[author_id]
        assert joined_at is not None
        assert joined_at <= created_at


def test_body_html_is_what_the_renderer_gives(community):
    for body, body_html in Post.objects.filter(community=community).values_list("body", "body_html"):
        assert body_html == render_markdown(body)


def test_every_pooled_sentence_renders_as_a_plain_paragraph():
    for sentence in Composer(1).every_sentence():
        assert render_markdown(sentence.text) == f"<p>{sentence.html}</p>\n"


def test_no_other_word_starts_with_the_search_term():
    composer = Composer(1)
    texts = [s.text for (_language, kind), pool in composer.pools.items() if kind != "search" for s in pool]
    texts += [title for titles in composer.titles.values() for title, _folded in titles]
    assert not [word for text in texts for word in TERM_RE.findall(fold(text)) if word.startswith(SEARCH_TERM)]
    assert all(SEARCH_TERM in s.folded for (_l, kind), pool in composer.pools.items() if kind == "search" for s in pool)


def test_the_search_term_finds_the_posts_that_hold_it(community, counts):
    owner = community.created_by
    found = search_posts(owner, community, SEARCH_TERM)
    holding = Post.objects.filter(community=community, body__icontains=SEARCH_TERM)
    assert set(found.values_list("pk", flat=True)) == set(holding.values_list("pk", flat=True))
    assert found.count() == counts.searchable


def test_the_share_of_posts_with_the_search_term_is_about_two_percent():
    composer = Composer(3)
    holding = 0
    for _ in range(20_000):
        body = composer.body("en", (("answer", 1),), search=composer.rng.random() < SEARCH_SHARE)
        holding += SEARCH_TERM in body.folded
    assert 0.017 < holding / 20_000 < 0.023


def test_pages_answer_for_a_generated_member(client, community):
    member = (
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE, role=Role.MEMBER)
        .select_related("user")
        .first()
    )
    assert member is not None
    assert check_password(bench.BENCH_PASSWORD, member.user.password)
    client.force_login(member.user)
    thread = Thread.objects.filter(community=community, reply_count=50).first()
    idea = Idea.objects.filter(community=community).first()
    assert thread is not None
    assert idea is not None
    for url in (
        reverse("conversations:threads", args=[community.slug]),
        reverse("conversations:thread", args=[community.slug, thread.pk]),
        reverse("conversations:thread", args=[community.slug, idea.pk]),  # redirects to the idea's page
        reverse("ideas:board", args=[community.slug]),
        f"{reverse('conversations:search', args=[community.slug])}?q={SEARCH_TERM}",
    ):
        assert client.get(url, follow=True).status_code == 200, url


def test_reset_deletes_the_community_its_rows_and_its_people(community):
    bench.reset("gen")
    assert not Community.objects.filter(slug="gen").exists()
    assert not Post.objects.exists()
    assert not Activity.objects.filter(community_id=community.pk).exists()
    assert not Membership.objects.filter(community_id=community.pk).exists()
    assert not User.objects.filter(email__endswith="@" + bench.domain_for("gen")).exists()
