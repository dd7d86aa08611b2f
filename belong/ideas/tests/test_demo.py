"""The demo's idea board: every status and language, votes that add up, a merge and a beta group, loaded once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from belong.accounts.models import User
from belong.communities.models import Community, MembershipState, Role, SpaceAccess
from belong.communities.permissions import Action, can
from belong.conversations.models import Post, ThreadKind
from belong.core.models import Activity
from belong.demo import data
from belong.demo.loader import discover_steps
from belong.ideas import queries
from belong.ideas.actions import Verb
from belong.ideas.demo import BETA_GROUPS, CATEGORIES, IDEAS, MERGES, IdeaData, vote_days
from belong.ideas.models import (
    DEFAULT_STATUSES,
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaVote,
    Importance,
    StatusChange,
)
from belong.ideas.queries import IdeaFilter

pytestmark = pytest.mark.django_db

CYRILLIC = set("абвгдежзийклмнопрстуфхцчшщъьюя")
PORTUGUESE_WORDS = {"que", "não", "de", "o", "um", "uma", "é", "com", "para", "café", "em", "os", "do", "da", "no"}
PORTUGUESE_WORDS |= {"na", "mas", "e", "por", "mais", "muito", "também", "obrigada", "obrigado"}
AFRIKAANS_WORDS = {"ek", "die", "en", "'n", "koffie", "vir", "nie", "ons", "julle", "van", "met", "het", "sal"}
AFRIKAANS_WORDS |= {"dit", "wat", "baie", "dankie", "ja", "asseblief", "gerus"}
ENGLISH_WORDS = {"the", "and", "is", "a", "of", "it", "to", "my", "you", "what", "i", "for", "we", "this", "that"}
ENGLISH_WORDS |= {"would", "with", "be", "in", "yes", "thank"}
BRAND = {Role.OWNER, Role.MANAGER, Role.STAFF}
ROLES = {person.handle: person.role for person in data.PEOPLE}
ACTIVE = {person.handle for person in data.PEOPLE if person.state == MembershipState.ACTIVE}
ALL_STATUSES = {key for key, *_rest in DEFAULT_STATUSES}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, skip_checks=True)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def words(text: str) -> set[str]:
    return {word.strip(".,!?:;—()“”„*").lower() for word in text.split()}


def language_of(text: str) -> str:
    """Tell the four demo languages apart well enough for the demo's own texts."""
    if CYRILLIC & set(text.lower()):
        return "bg"
    found = words(text)
    scores = {
        "pt": len(found & PORTUGUESE_WORDS),
        "af": len(found & AFRIKAANS_WORDS),
        "en": len(found & ENGLISH_WORDS),
    }
    return max(scores, key=lambda language: scores[language])


def spec_of(title: str) -> IdeaData:
    return next(spec for spec in IDEAS if spec.title == title)


@pytest.fixture(autouse=True)
def _default_window(settings):
    """The story's dates are written for the default trending window, whatever the environment says."""
    settings.BELONG_IDEA_TRENDING_DAYS = 14


@pytest.fixture
def ponte() -> Community:
    load()
    return Community.objects.get(slug=data.COMMUNITY.slug)


@pytest.fixture
def hannah() -> User:
    return User.objects.get(handle=data.SHOWCASE_MANAGER)


# --- The data, before it is loaded -------------------------------------------------------------


def test_the_steps_come_after_the_conversations_they_build_on():
    steps = discover_steps()
    conversations = max(step.order for step in steps if step.name.startswith("conversations:"))
    ours = [step for step in steps if step.name.startswith("ideas:")]
    assert len(ours) == 4
    assert all(step.order > conversations for step in ours)


def test_every_idea_is_told_in_the_language_it_claims():
    for spec in IDEAS:
        assert language_of(f"{spec.title} {spec.body}") == spec.language, spec.title
        for step in spec.steps:
            assert language_of(step.note) == spec.language, (spec.title, step.status)
        for reply in spec.replies:
            assert language_of(reply.body) == spec.language, (spec.title, reply.body)
    assert {spec.language for spec in IDEAS} == {"en", "pt", "bg", "af"}


def test_the_story_only_asks_what_the_rules_allow():
    for spec in IDEAS:
        voters = [handle for handle, _importance in spec.votes + spec.recent_votes]
        assert len(voters) == len(set(voters)), spec.title
        assert spec.author not in voters, spec.title
        assert set(voters) | {spec.author} | {reply.author for reply in spec.replies} <= ACTIVE, spec.title
        assert all(importance in ["", *Importance.values] for _handle, importance in spec.votes + spec.recent_votes)
        assert all(ROLES[step.by] in BRAND for step in spec.steps), spec.title
        days = [spec.days_ago, *(step.days_ago for step in spec.steps)]
        assert days == sorted(days, reverse=True), f"{spec.title}: the steps go back in time"
        assert all(0 < reply.days_ago < spec.days_ago for reply in spec.replies), spec.title


def test_votes_come_while_the_idea_takes_them(settings):
    window = settings.BELONG_IDEA_TRENDING_DAYS
    for spec in IDEAS:
        days = vote_days(spec, window=window)
        assert all(0 < day < spec.days_ago for day in days), spec.title
        closed = [step.days_ago for step in spec.steps if step.status in ("shipped", "declined")]
        if closed:
            assert not spec.recent_votes, f"{spec.title}: votes after voting closed"
            assert all(day > closed[0] for day in days), spec.title
        if spec.days_ago <= window:
            assert not spec.votes, f"{spec.title}: proposed within the window, so every vote is recent"
        assert all(day < window for day in days[len(spec.votes) :]), spec.title


# --- The loaded board --------------------------------------------------------------------------


def test_every_status_has_ideas_and_the_changelog_is_rich(ponte, hannah):
    board = list(queries.board(hannah, ponte))
    by_status = {key: [idea for idea in board if idea.status.key == key] for key in ALL_STATUSES}
    assert all(by_status.values()), {key: len(ideas) for key, ideas in by_status.items()}
    assert len(board) == len(IDEAS) - len(MERGES)

    shipped: list[Any] = list(queries.changelog(hannah, ponte))  # with `shipped_note_html`
    assert len(shipped) >= 4
    assert all(idea.shipped_note_html for idea in shipped)
    moments = [idea.shipped_at for idea in shipped]
    assert moments == sorted(moments, reverse=True) and len(set(moments)) == len(moments)

    columns = {column.status.key: column.total for column in queries.roadmap(hannah, ponte)}
    assert columns == {"under_review": 2, "planned": 2, "in_progress": 2, "shipped": 5}


def test_every_status_change_is_the_brands_with_a_public_note_in_the_ideas_language(ponte):
    changes = StatusChange.objects.filter(idea__community=ponte).select_related("idea__thread", "changed_by")
    assert changes.count() == sum(len(spec.steps) for spec in IDEAS)
    for change in changes:
        role = ponte.memberships.get(user=change.changed_by).role
        assert role in BRAND, change
        assert change.note and change.note_html.startswith("<p>"), change
        assert language_of(change.note) == spec_of(change.idea.thread.title).language, change.note
        assert change.notified_at == change.created_at, "the demo's history counts as already told"
    assert {change.to_status.key for change in changes} == ALL_STATUSES - {"new"}


def test_ideas_are_in_all_four_languages_by_members_of_every_chapter(ponte, hannah):
    ideas = Idea.objects.filter(community=ponte).select_related("thread__author")
    languages = {language_of(f"{idea.title} {idea.thread.posts.get(is_opening=True).body}") for idea in ideas}
    assert languages == {"en", "pt", "bg", "af"}
    assert {idea.author.locale for idea in ideas} == {"en", "pt", "bg", "af"}
    assert len({idea.author.pk for idea in ideas}) == len(IDEAS)
    assert all(idea.thread.kind == ThreadKind.IDEA and idea.thread.space.slug == "ideas" for idea in ideas)
    categories = IdeaCategory.objects.filter(community=ponte)
    assert sorted(categories.values_list("slug", flat=True)) == sorted(spec.slug for spec in CATEGORIES)
    assert all(category.ideas.exists() for category in categories)
    assert ideas.filter(category__isnull=True).exists() and ideas.filter(product__isnull=False).exists()


def test_vote_counts_match_the_votes_and_trending_is_not_top(ponte, hannah):
    ideas = Idea.objects.filter(community=ponte)
    for idea in ideas:
        assert idea.vote_count == IdeaVote.objects.filter(idea=idea).count(), idea.title
    assert IdeaVote.objects.filter(idea__community=ponte).count() >= 150
    assert set(IdeaVote.objects.values_list("importance", flat=True)) == {"", *Importance.values}
    assert len({vote.user_id for vote in IdeaVote.objects.filter(idea__community=ponte)}) >= 35

    # Each row carries `recent_votes`, the votes of the trending window.
    top: list[Any] = list(queries.board(hannah, ponte, IdeaFilter(sort="top")))
    trending: list[Any] = list(queries.board(hannah, ponte, IdeaFilter(sort="trending")))
    assert top[0].title == "Refill pouches for the Ponte tin"
    assert trending[0].title == "A re-order button in the app"
    assert top[0].recent_votes < trending[0].recent_votes < top[0].vote_count
    assert [idea.pk for idea in top] != [idea.pk for idea in trending]


def test_closed_ideas_got_their_votes_before_they_closed(ponte):
    for idea in Idea.objects.filter(community=ponte, status__is_open=False):
        closed_at = idea.status_changes.get(to_status=idea.status).created_at
        assert not idea.votes.filter(created_at__gt=closed_at).exists(), idea.title
        assert idea.created_at <= idea.votes.earliest("created_at").created_at


def test_the_duplicate_was_merged_with_its_votes_and_discussion(ponte):
    spec = MERGES[0]
    duplicate = Idea.objects.get(community=ponte, thread__title=spec.duplicate)
    original = Idea.objects.get(community=ponte, thread__title=spec.original)
    assert duplicate.merged_into == original and duplicate.merged_at is not None
    assert duplicate.thread.is_locked
    assert duplicate.vote_count == 0 and not duplicate.votes.exists()
    assert not Post.objects.filter(thread=duplicate.thread, is_opening=False).exists()
    moved = spec_of(spec.duplicate).replies[0].body
    assert Post.objects.filter(thread=original.thread, body=moved).exists()
    # Members who voted for both count once; the others' votes moved over.
    own = {handle for handle, _importance in spec_of(spec.original).recent_votes} | {"oli.b"}
    theirs = {handle for handle, _importance in spec_of(spec.duplicate).recent_votes} | {"jack.t"}
    assert set(original.votes.values_list("user__handle", flat=True)) == own | theirs
    assert original.vote_count == len(own | theirs) < len(own) + len(theirs)
    assert Activity.objects.filter(verb=Verb.MERGED, community=ponte).count() == 1


def test_a_beta_group_tests_the_most_voted_idea_with_one_member_in_and_one_invited(ponte):
    spec = BETA_GROUPS[0]
    group = BetaGroup.objects.get(community=ponte, name=spec.name)
    assert group.idea is not None and group.idea.title == spec.idea
    accepted = BetaInvitation.objects.get(group=group, state=BetaInvitationState.ACCEPTED)
    pending = BetaInvitation.objects.get(group=group, state=BetaInvitationState.INVITED)
    assert BetaInvitation.objects.filter(group=group).count() == 2
    assert (accepted.user.handle, pending.user.handle) == ("marike", "dan.murphy")
    assert accepted.responded_at is not None and pending.responded_at is None
    assert SpaceAccess.objects.filter(space=group.space, user=accepted.user).exists()
    assert not SpaceAccess.objects.filter(space=group.space, user=pending.user).exists()
    assert can(accepted.user, Action.VIEW_SPACE, group.space)
    assert not can(pending.user, Action.VIEW_SPACE, group.space)
    assert not can(User.objects.get(handle=data.SHOWCASE_MEMBER), Action.VIEW_SPACE, group.space)
    assert list(queries.pending_invitations(pending.user, ponte)) == [pending]


@pytest.mark.parametrize("days", [1, 60])
def test_the_story_still_holds_with_another_trending_window(settings, days):
    settings.BELONG_IDEA_TRENDING_DAYS = days
    load()
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count(), idea.title
        assert idea.vote_count > 0 or idea.merged_into_id is not None, idea.title
        assert idea.votes.filter(created_at__lt=idea.created_at).count() == 0, idea.title
        assert not idea.votes.filter(created_at__gt=timezone.now()).exists(), idea.title


def test_loading_twice_adds_nothing():
    load()
    before = row_counts()
    votes = list(IdeaVote.objects.order_by("pk").values())
    output = load()
    assert row_counts() == before
    assert list(IdeaVote.objects.order_by("pk").values()) == votes
    assert "nothing was added" in output


def test_a_missing_idea_is_told_again_and_nothing_else(ponte):
    lost = Idea.objects.get(community=ponte, thread__title="Betaal met SnapScan of Zapper")
    lost.thread.delete()
    before = row_counts()

    output = load()

    assert "ideas: 1" in output and "merged ideas" not in output and "beta" not in output
    again = Idea.objects.get(community=ponte, thread__title="Betaal met SnapScan of Zapper")
    spec = spec_of(again.title)
    assert again.vote_count == 1 + len(spec.votes) + len(spec.recent_votes)
    assert again.status.key == "under_review"
    after = row_counts()
    assert after["ideas.Idea"] == before["ideas.Idea"] + 1
    assert after["ideas.IdeaVote"] == before["ideas.IdeaVote"] + again.vote_count
    assert after["ideas.StatusChange"] == before["ideas.StatusChange"] + len(spec.steps)
    assert after["ideas.BetaGroup"] == before["ideas.BetaGroup"]


def test_loading_sends_no_status_e_mails_for_the_past_and_invites_the_pending_tester(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load()

    sent = [(message.to[0], message.subject) for message in mail.outbox]
    assert not [subject for _address, subject in sent if "is now" in subject]
    beta = [address for address, subject in sent if "Refill pouch testers" in subject]
    assert beta == [User.objects.get(handle="dan.murphy").email]
    assert BetaInvitation.objects.get(user__handle="dan.murphy").emailed_at is not None
