"""Trust levels earned from the activity log: what counts, each level's requirements, lapses, pins,
the tasks that recompute them, the daily command, the pages and the API."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client
from belong.communities import actions as community_actions
from belong.communities.actions import Verb as CommunityVerb
from belong.communities.models import Community, Membership, MembershipState, Role
from belong.communities.permissions import Action, can, forget_memberships
from belong.communities.tests.factories import MembershipFactory, SpaceFactory
from belong.conversations import actions as conversation_actions
from belong.conversations.actions import Verb as ConversationVerb
from belong.conversations.models import ThreadKind
from belong.core.errors import Invalid, NotAllowed
from belong.core.models import Activity
from belong.recognition import trust
from belong.recognition.events import TrustLevelChanged
from belong.recognition.trust import REQUIREMENTS, TrustStats, Verb

pytestmark = pytest.mark.django_db

# --- Helpers --------------------------------------------------------------------------------


@pytest.fixture
def commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def clock(monkeypatch) -> Callable[[datetime], None]:
    """Set what `timezone.now()` (and so every auto_now field) returns."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_to(timezone.now())
    return set_to


@contextmanager
def on(moment: datetime) -> Iterator[None]:
    """Write rows as if at `moment` (their created_at), then let time run again."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


# Distinct ids for the threads a life reads, replies in and answers, so two lives never overlap.
IDS = itertools.count(1)


def live(
    membership: Membership,
    *,
    days: int = 0,
    reads: int = 0,
    replied: int = 0,
    given: int = 0,
    received: int = 0,
    answers: int = 0,
    flags: int = 0,
    ago: int = 0,
) -> None:
    """Write the activity log of a member's life, as the actions log it: `days` distinct days with a visit
    (the last of them `ago` days before now), and the rest on that last day."""
    user, community = membership.user, membership.community_id
    other = UserFactory()
    last = timezone.now() - timedelta(days=ago)
    for day in range(days):
        with on(last - timedelta(days=day)):
            Activity.objects.create(actor=user, verb=CommunityVerb.VISITED, community_id=community)
    rows = [
        Activity(actor=user, verb=ConversationVerb.READ, community_id=community, target_id=f"r{next(IDS)}")
        for n in range(reads)
    ]
    rows += [
        Activity(actor=user, verb=ConversationVerb.REPLIED, community_id=community, data={"thread": next(IDS)})
        for n in range(replied)
    ]
    rows += [
        Activity(actor=user, verb=ConversationVerb.REACTED, community_id=community, recipient=other)
        for _n in range(given)
    ]
    rows += [
        Activity(actor=other, verb=ConversationVerb.REACTED, community_id=community, recipient=user)
        for _n in range(received)
    ]
    rows += [
        Activity(
            actor=other,
            verb=ConversationVerb.ANSWER_ACCEPTED,
            community_id=community,
            recipient=user,
            target_id=f"a{next(IDS)}",
        )
        for n in range(answers)
    ]
    rows += [
        Activity(actor=other, verb=Verb.FLAG_UPHELD, community_id=community, recipient=user) for _n in range(flags)
    ]
    with on(last):
        Activity.objects.bulk_create(rows)


LEVEL_1 = {"days": 2, "reads": 5}
LEVEL_2 = {"days": 15, "reads": 20, "replied": 3, "given": 1, "received": 1}
LEVEL_3 = {"days": 50, "reads": 50, "replied": 10, "given": 30, "received": 20}
LEVEL_4 = {**LEVEL_3, "days": 200, "received": 100, "answers": 10}
# The argument of `live` that writes each stat.
LIFE_KEYS = {
    "days_visited": "days",
    "threads_read": "reads",
    "threads_replied": "replied",
    "reactions_given": "given",
    "reactions_received": "received",
}


def reload(membership: Membership) -> Membership:
    return Membership.objects.select_related("user", "community").get(pk=membership.pk)


# --- What counts ------------------------------------------------------------------------------


def test_a_new_member_has_done_nothing_and_is_at_level_0(member):
    assert trust.stats_of(member.community_id, member.user_id) == TrustStats()
    assert trust.compute_level(member) == 0


def test_the_stats_count_what_the_actions_logged(community, make_member, commit):
    space = SpaceFactory(community=community)
    reader, author, other = make_member(), make_member(Role.AMBASSADOR), make_member()
    question = conversation_actions.create_thread(
        author=author.user, space=space, kind=ThreadKind.QUESTION, title="Як смилаш кафе?", body="Питам за V60."
    )
    story = conversation_actions.create_thread(
        author=author.user, space=space, kind=ThreadKind.STORY, title="A minha primeira chávena", body="Foi ótimo."
    )
    for thread in (question, story, question):  # a second read of the same thread counts once
        conversation_actions.record_view(user=reader.user, thread=thread)
    first = conversation_actions.create_reply(author=reader.user, thread=question, body="Fyner maal, asseblief.")
    conversation_actions.create_reply(author=reader.user, thread=question, body="En dan weer proe.")
    conversation_actions.create_reply(author=reader.user, thread=story, body="Que bonito!")
    conversation_actions.add_reaction(user=reader.user, post=question.posts.get(is_opening=True), kind="helpful")
    conversation_actions.add_reaction(user=reader.user, post=story.posts.get(is_opening=True), kind="love")
    conversation_actions.remove_reaction(user=reader.user, post=story.posts.get(is_opening=True), kind="love")
    conversation_actions.add_reaction(user=author.user, post=first, kind="helpful")
    conversation_actions.add_reaction(user=other.user, post=first, kind="like")
    conversation_actions.accept_answer(actor=author.user, thread=question, post=first)

    stats = trust.stats_of(community.pk, reader.user_id)

    assert stats == TrustStats(
        days_visited=1,
        threads_read=2,
        threads_replied=2,
        threads_started=0,
        reactions_given=1,
        reactions_received=2,
        answers_accepted=1,
        flags_upheld=0,
        suspensions=0,
    )
    assert trust.stats_of(community.pk, author.user_id).threads_started == 2


def test_days_visited_are_distinct_days_with_any_activity(member):
    live(member, days=3, ago=1)
    live(member, reads=2, ago=1)  # the same day again
    assert trust.stats_of(member.community_id, member.user_id).days_visited == 3


def test_stats_since_a_moment_leave_out_what_came_before(member):
    live(member, days=4, reads=6, ago=200)
    live(member, days=2, reads=3)
    recent = trust.stats_of(member.community_id, member.user_id, timezone.now() - timedelta(days=100))
    assert (recent.days_visited, recent.threads_read) == (2, 3)
    assert trust.stats_of(member.community_id, member.user_id).threads_read == 9


def test_activity_in_another_community_does_not_count(member, make_member):
    elsewhere = MembershipFactory(user=member.user)
    live(elsewhere, **LEVEL_2)
    assert trust.compute_level(member) == 0
    assert trust.compute_level(elsewhere) == 2


def test_suspensions_and_bans_are_read_from_the_log(member, manager):
    community_actions.suspend_member(
        actor=manager.user, membership=member, until=timezone.now() + timedelta(days=2), reason="Spam in three spaces."
    )
    assert trust.stats_of(member.community_id, member.user_id).suspensions == 1


# --- The requirements of each level ---------------------------------------------------------


@pytest.mark.parametrize(
    ("life", "level"),
    [
        ({}, 0),
        ({"days": 2, "reads": 4}, 0),
        ({"days": 1, "reads": 5}, 0),
        (LEVEL_1, 1),
        (LEVEL_2, 2),
        (LEVEL_3, 3),
        (LEVEL_4, 4),
    ],
    ids=["nothing", "four-reads", "one-day", "level-1", "level-2", "level-3", "level-4"],
)
def test_each_level_is_earned_by_its_requirements(member, life, level):
    live(member, **life)
    assert trust.earned_level(member) == level


@pytest.mark.parametrize("missing", [requirement.stat for requirement in REQUIREMENTS[2]])
def test_level_2_needs_every_one_of_its_requirements(member, missing):
    life = dict(LEVEL_2)
    life[LIFE_KEYS[missing]] -= 1
    live(member, **life)
    assert trust.earned_level(member) == 1


def test_level_3_counts_only_the_last_100_days(member):
    live(member, **LEVEL_3, ago=120)
    assert trust.earned_level(member) == 2
    live(member, **LEVEL_3, ago=10)
    assert trust.earned_level(member) == 3


def test_more_than_5_flags_upheld_in_the_window_keep_a_member_from_level_3(member):
    live(member, **LEVEL_3, flags=6)
    assert trust.earned_level(member) == 2


def test_5_flags_upheld_are_tolerated(member):
    live(member, **LEVEL_3, flags=5)
    assert trust.earned_level(member) == 3


def test_a_suspension_in_the_window_keeps_a_member_from_level_3(member, manager):
    live(member, **LEVEL_3)
    community_actions.suspend_member(
        actor=manager.user, membership=member, until=timezone.now() + timedelta(days=1), reason="Cooling off."
    )
    assert trust.earned_level(member) == 2


def test_level_4_needs_level_3_now_as_well_as_a_long_record(member):
    live(member, days=200, reads=50, replied=10, given=30, received=100, answers=10, ago=150)
    assert trust.earned_level(member) == 2
    live(member, **LEVEL_3)
    assert trust.earned_level(member) == 4


def test_the_requirements_are_discourses_scaled_for_a_brand_community():
    needs = {level: {r.stat: r.need for r in requirements} for level, requirements in REQUIREMENTS.items()}
    assert needs[1] == {"threads_read": 5, "days_visited": 2}
    assert needs[2] == {
        "days_visited": 15,
        "threads_read": 20,
        "threads_replied": 3,
        "reactions_given": 1,
        "reactions_received": 1,
    }
    assert needs[3]["days_visited"] == 50 and needs[3]["flags_upheld"] == 5 and needs[3]["suspensions"] == 0
    assert all(r.window for r in REQUIREMENTS[3]) and not any(
        r.window for r in (*REQUIREMENTS[1], *REQUIREMENTS[2], *REQUIREMENTS[4])
    )
    assert needs[4] == {"days_visited": 200, "reactions_received": 100, "answers_accepted": 10}


# --- Recomputing --------------------------------------------------------------------------------


def test_recomputing_saves_the_new_level_logs_it_and_announces_it(member, commit, published):
    live(member, **LEVEL_2)
    with commit():
        assert trust.recompute_trust(member.pk) == 2
    assert reload(member).trust_level == 2
    entry = Activity.objects.get(verb=Verb.TRUST_CHANGED)
    assert (entry.actor_id, entry.recipient_id, entry.community_id, entry.target_id) == (
        None,
        member.user_id,
        member.community_id,
        str(member.pk),
    )
    assert entry.data == {"from": 0, "to": 2, "pinned": False}
    changes = [e for e in published if isinstance(e, TrustLevelChanged)]
    assert changes == [
        TrustLevelChanged(
            community_id=member.community_id,
            membership_id=member.pk,
            user_id=member.user_id,
            old_level=0,
            new_level=2,
        )
    ]


def test_recomputing_twice_changes_nothing_the_second_time(member, commit, published):
    live(member, **LEVEL_1)
    with commit():
        trust.recompute_trust(member.pk)
        trust.recompute_trust(member.pk)
    assert Activity.objects.filter(verb=Verb.TRUST_CHANGED).count() == 1
    assert len([e for e in published if isinstance(e, TrustLevelChanged)]) == 1


def test_recomputing_a_vanished_membership_does_nothing():
    assert trust.recompute_trust(999_999) is None


def test_the_new_level_unlocks_its_privileges_at_once(member):
    assert not can(member.user, Action.POST_LINKS, member.community)
    live(member, **LEVEL_1)
    trust.recompute_trust(member.pk)
    forget_memberships(member.user)
    assert can(member.user, Action.POST_LINKS, member.community)


@pytest.mark.parametrize("kept", [1, 2])
def test_levels_1_and_2_are_never_lost(member, kept):
    Membership.objects.filter(pk=member.pk).update(trust_level=kept)
    assert trust.recompute_trust(member.pk) == kept
    assert reload(member).trust_level == kept


@pytest.mark.parametrize(("life", "level"), [(LEVEL_3, 3), (LEVEL_4, 4)])
def test_levels_3_and_4_lapse_to_2_when_the_window_no_longer_earns_them(member, clock, life, level):
    live(member, **life)
    assert trust.recompute_trust(member.pk) == level
    clock(timezone.now() + timedelta(days=101))
    assert trust.recompute_trust(member.pk) == 2
    assert reload(member).trust_level == 2


def test_a_lapsed_regular_returns_to_level_3_when_active_again(member, clock):
    live(member, **LEVEL_3)
    trust.recompute_trust(member.pk)
    clock(timezone.now() + timedelta(days=150))
    assert trust.recompute_trust(member.pk) == 2
    live(member, **LEVEL_3)
    assert trust.recompute_trust(member.pk) == 3


def test_a_pinned_level_is_left_alone(member):
    Membership.objects.filter(pk=member.pk).update(trust_level=1, trust_level_pinned=True)
    live(member, **LEVEL_4)
    assert trust.recompute_trust(member.pk) == 1
    assert trust.compute_level(reload(member)) == 1
    assert reload(member).trust_level == 1
    assert not Activity.objects.filter(verb=Verb.TRUST_CHANGED).exists()


def test_roles_above_member_get_a_computed_level_too(make_member):
    expert = make_member(Role.EXPERT)
    live(expert, **LEVEL_2)
    assert trust.recompute_trust(expert.pk) == 2


# --- Pinning ----------------------------------------------------------------------------------


def test_a_manager_pins_a_level(member, manager, commit, published):
    with commit():
        trust.pin_trust_level(actor=manager.user, membership=member, level=3)
    member = reload(member)
    assert (member.trust_level, member.trust_level_pinned) == (3, True)
    entry = Activity.objects.get(verb=Verb.TRUST_PINNED)
    assert (entry.actor_id, entry.recipient_id, entry.data) == (
        manager.user_id,
        member.user_id,
        {"from": 0, "to": 3, "pinned": True},
    )
    assert [e for e in published if isinstance(e, TrustLevelChanged)] == [
        TrustLevelChanged(
            community_id=member.community_id,
            actor_id=manager.user_id,
            membership_id=member.pk,
            user_id=member.user_id,
            old_level=0,
            new_level=3,
            pinned=True,
        )
    ]


def test_pinning_the_level_a_member_has_pins_it_without_announcing_a_change(member, manager, commit, published):
    with commit():
        trust.pin_trust_level(actor=manager.user, membership=member, level=0)
    assert reload(member).trust_level_pinned
    assert not [e for e in published if isinstance(e, TrustLevelChanged)]


def test_unpinning_recomputes_the_level_from_activity(member, manager):
    trust.pin_trust_level(actor=manager.user, membership=member, level=0)
    live(member, **LEVEL_1)
    assert trust.recompute_trust(member.pk) == 0
    trust.pin_trust_level(actor=manager.user, membership=member, level=None)
    member = reload(member)
    assert (member.trust_level, member.trust_level_pinned) == (1, False)
    assert Activity.objects.filter(verb=Verb.TRUST_PINNED).latest("id").data == {"from": 0, "to": 1, "pinned": False}


def test_a_pinned_level_wins_over_activity_in_both_directions(make_member, manager):
    busy, quiet = make_member(), make_member()
    live(busy, **LEVEL_3)
    trust.pin_trust_level(actor=manager.user, membership=busy, level=1)
    trust.pin_trust_level(actor=manager.user, membership=quiet, level=3)
    trust.recompute_trust(busy.pk)
    trust.recompute_trust(quiet.pk)
    assert (reload(busy).trust_level, reload(quiet).trust_level) == (1, 3)


@pytest.mark.parametrize("level", [-1, 5, 12, True, "3"])
def test_a_level_outside_0_to_4_is_refused(member, manager, level):
    with pytest.raises(Invalid) as refused:
        trust.pin_trust_level(actor=manager.user, membership=member, level=level)
    assert "level" in refused.value.errors
    assert not reload(member).trust_level_pinned


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.MODERATOR, Role.AMBASSADOR])
def test_only_managers_pin_levels(make_member, member, role):
    with pytest.raises(NotAllowed):
        trust.pin_trust_level(actor=make_member(role).user, membership=member, level=2)


def test_a_manager_pins_neither_their_own_level_nor_an_owners(manager, owner):
    with pytest.raises(NotAllowed):
        trust.pin_trust_level(actor=manager.user, membership=manager, level=4)
    with pytest.raises(NotAllowed):
        trust.pin_trust_level(actor=manager.user, membership=owner, level=4)


# --- Progress and privileges -----------------------------------------------------------------


def test_progress_shows_the_next_levels_requirements_with_what_the_member_has(member):
    Membership.objects.filter(pk=member.pk).update(trust_level=1)
    live(member, days=3, reads=25, replied=1)
    progress = trust.progress_of(reload(member))
    assert (progress.level, progress.next_level, progress.pinned, progress.earned) == (1, 2, False, 1)
    assert str(progress.name) == "Basic" and str(progress.next_name) == "Member"
    rows = {row.stat: (row.have, row.need, row.met) for row in progress.requirements}
    assert rows == {
        "days_visited": (3, 15, False),
        "threads_read": (25, 20, True),
        "threads_replied": (1, 3, False),
        "reactions_given": (0, 1, False),
        "reactions_received": (0, 1, False),
    }
    assert progress.keep == []
    assert [p.action for p in progress.privileges] == ["post_links", "add_free_tags", "flag"]


def test_progress_of_a_regular_shows_what_keeps_level_3(member):
    live(member, **LEVEL_3, flags=2)
    trust.recompute_trust(member.pk)
    progress = trust.progress_of(reload(member))
    assert progress.next_level == 4
    assert {row.stat for row in progress.requirements} == {"days_visited", "reactions_received", "answers_accepted"}
    keep = {row.stat: (row.have, row.met, row.at_most, row.window) for row in progress.keep}
    assert keep["flags_upheld"] == (2, True, True, True)
    assert keep["days_visited"] == (50, True, False, True)


def test_a_leader_has_no_next_level(member):
    live(member, **LEVEL_4)
    trust.recompute_trust(member.pk)
    progress = trust.progress_of(reload(member))
    assert (progress.next_level, progress.requirements, len(progress.keep)) == (None, [], len(REQUIREMENTS[3]))


def test_each_privilege_is_listed_at_the_level_that_unlocks_it():
    at = {level: [p.action for p in trust.privileges_at(level)] for level in trust.LEVELS}
    assert at == {0: [], 1: ["post_links", "add_free_tags", "flag"], 2: ["close_own_thread"], 3: ["edit_wiki"], 4: []}
    assert [p.action for p in trust.privileges_up_to(2)] == ["post_links", "add_free_tags", "flag", "close_own_thread"]


# --- Reacting to events -----------------------------------------------------------------------


def test_a_reply_recomputes_its_authors_level(member, community, commit, published):
    live(member, **LEVEL_1, ago=1)
    thread = conversation_actions.create_thread(
        author=MembershipFactory(community=community, role=Role.STAFF).user,
        space=SpaceFactory(community=community),
        kind=ThreadKind.DISCUSSION,
        title="Welkom!",
        body="Stel jouself voor.",
    )
    with commit():
        conversation_actions.create_reply(author=member.user, thread=thread, body="Hallo, ek is Annelie.")
    assert reload(member).trust_level == 1
    assert any(isinstance(e, TrustLevelChanged) and e.user_id == member.user_id for e in published)


def test_a_reaction_recomputes_the_level_of_the_author_and_of_the_reactor(community, make_member, commit):
    author, reactor = make_member(), make_member()
    space = SpaceFactory(community=community)
    thread = conversation_actions.create_thread(
        author=author.user, space=space, kind=ThreadKind.DISCUSSION, title="Кафе", body="Обичам кафе."
    )
    live(author, **{**LEVEL_2, "received": 0})
    live(reactor, **{**LEVEL_2, "given": 0})
    with commit():
        conversation_actions.add_reaction(user=reactor.user, post=thread.posts.get(), kind="like")
    assert (reload(author).trust_level, reload(reactor).trust_level) == (2, 2)


def test_an_accepted_answer_and_a_daily_visit_recompute_the_level(community, make_member, commit):
    asker, answerer, visitor = make_member(), make_member(), make_member()
    question = conversation_actions.create_thread(
        author=asker.user,
        space=SpaceFactory(community=community),
        kind=ThreadKind.QUESTION,
        title="Moagem?",
        body="Fina?",
    )
    answer = conversation_actions.create_reply(author=answerer.user, thread=question, body="Média-fina.")
    live(answerer, **LEVEL_1)
    live(visitor, **LEVEL_1, ago=1)
    with commit():
        conversation_actions.accept_answer(actor=asker.user, thread=question, post=answer)
        community_actions.record_visit(user=visitor.user, community_id=community.pk)
    assert (reload(answerer).trust_level, reload(visitor).trust_level) == (1, 1)


def test_a_backend_that_runs_tasks_later_gets_one_recomputation_per_burst(member, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    trust.schedule_recompute(member.pk)
    trust.schedule_recompute(member.pk)
    queued = DBTaskResult.objects.filter(task_path="belong.recognition.trust.recompute_trust_task")
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now()
    trust.recompute_trust(member.pk)  # the run lets the next burst schedule again
    trust.schedule_recompute(member.pk)
    assert queued.count() == 2


# --- The daily pass and its command ----------------------------------------------------------


def test_the_daily_pass_recomputes_recent_members_and_every_regular(community, make_member, clock):
    recent, idle, regular, pinned = make_member(), make_member(), make_member(), make_member()
    live(recent, **LEVEL_1)
    live(idle, **LEVEL_1, ago=5)
    live(regular, **LEVEL_3, ago=90)
    Membership.objects.filter(pk=regular.pk).update(trust_level=3)
    Membership.objects.filter(pk=pinned.pk).update(trust_level=4, trust_level_pinned=True)
    clock(timezone.now() + timedelta(days=11))
    live(recent, reads=1)
    assert trust.recompute_community(community.pk, days=1) == 2
    levels = {m.pk: reload(m).trust_level for m in (recent, idle, regular, pinned)}
    assert levels == {recent.pk: 1, idle.pk: 0, regular.pk: 2, pinned.pk: 4}


def test_the_command_recomputes_one_community_or_all(community, make_member):
    member = make_member()
    live(member, **LEVEL_1)
    out = StringIO()
    call_command("recognition_trust", "--community", community.slug, "--days", "3", stdout=out)
    assert "Trust levels changed: 1." in out.getvalue()
    assert reload(member).trust_level == 1
    out = StringIO()
    call_command("recognition_trust", stdout=out)
    assert "Trust levels changed: 0." in out.getvalue()


@pytest.mark.parametrize(("args", "message"), [(["--community", "nowhere"], "nowhere"), (["--days", "0"], "--days")])
def test_the_command_refuses_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recognition_trust", *args, stdout=StringIO())


# --- Pages ------------------------------------------------------------------------------------


def levels_url(community: Community) -> str:
    return reverse("recognition:trust_levels", args=[community.slug])


def member_url(membership: Membership, name: str = "member_trust") -> str:
    return reverse(f"recognition:{name}", args=[membership.community.slug, membership.user.handle])


@pytest.mark.parametrize("language", ["en", "pt", "bg", "af"])
def test_the_explainer_shows_every_level_to_anyone(community, language):
    response = Client(headers={"accept-language": language}).get(levels_url(community))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override(language):
        for level in trust.LEVELS:
            assert str(trust.LEVEL_NAMES[level]) in page
        assert str(trust.PRIVILEGE_LABELS[Action.EDIT_WIKI]) in page


def test_the_explainer_links_a_member_to_their_progress(member, member_client):
    page = member_client.get(levels_url(member.community)).content.decode()
    assert member_url(member) in page


def test_the_explainer_costs_a_fixed_number_of_queries(community, member_client, member):
    few = queries_for(member_client, levels_url(community))
    for _n in range(5):
        MembershipFactory(community=community)
    assert queries_for(member_client, levels_url(community)) == few


def test_a_member_sees_their_own_progress(community, make_member):
    membership = make_member(user=UserFactory(display_name="Мария Петрова"))
    live(membership, days=1, reads=3)
    page = session_client(membership.user).get(member_url(membership))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your trust level" in text and "Мария Петрова" in text and "Towards level 1" in text
    assert "Set the level by hand" not in text


def test_another_member_may_not_see_someones_progress(member, make_member):
    other = make_member()
    assert session_client(other.user).get(member_url(member)).status_code == 403


def test_a_visitor_is_sent_to_sign_in(member):
    response = Client().get(member_url(member))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_unknown_handle_is_not_found(community, manager_client):
    assert (
        manager_client.get(reverse("recognition:member_trust", args=[community.slug, "nobody-here"])).status_code == 404
    )


def test_a_manager_sees_the_pin_form_and_pins_a_level(make_member, manager_client):
    membership = make_member(user=UserFactory(display_name="João Silva"))
    page = manager_client.get(member_url(membership)).content.decode()
    assert "Set the level by hand" in page and "João Silva" in page
    response = manager_client.post(member_url(membership, "pin_trust"), {"level": "3"})
    assert response.status_code == 302 and response["Location"] == member_url(membership)
    membership = reload(membership)
    assert (membership.trust_level, membership.trust_level_pinned) == (3, True)
    page = manager_client.get(member_url(membership)).content.decode()
    assert "Pinned" in page


def test_a_manager_sets_a_level_back_to_automatic(member, manager, manager_client):
    trust.pin_trust_level(actor=manager.user, membership=member, level=2)
    response = manager_client.post(member_url(member, "pin_trust"), {"level": ""})
    assert response.status_code == 302
    assert not reload(member).trust_level_pinned


def test_a_level_the_form_does_not_offer_is_a_form_error(member, manager_client):
    response = manager_client.post(member_url(member, "pin_trust"), {"level": "9"})
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert not reload(member).trust_level_pinned


def test_a_member_cannot_pin_a_level(member, make_member):
    other = make_member()
    assert session_client(other.user).post(member_url(member, "pin_trust"), {"level": "4"}).status_code == 403
    assert reload(member).trust_level == 0


# --- API ----------------------------------------------------------------------------------------


def api_url(community: Community, rest: str) -> str:
    return f"{API}/communities/{community.slug}{rest}"


def test_the_api_lists_the_levels_to_anyone(community):
    response = Client().get(api_url(community, "/trust-levels"))
    assert response.status_code == 200
    levels = response.json()
    assert [level["level"] for level in levels] == [0, 1, 2, 3, 4]
    assert levels[1]["requirements"][0] == {
        "stat": "threads_read",
        "label": "Threads read",
        "need": 5,
        "at_most": False,
        "window_days": None,
    }
    assert levels[3]["requirements"][0]["window_days"] == 100
    assert [p["action"] for p in levels[1]["privileges"]] == ["post_links", "add_free_tags", "flag"]
    assert levels[3]["privileges"] == [{"action": "edit_wiki", "label": "Edit wiki posts", "level": 3}]


def test_the_api_says_an_unknown_community_is_not_found(db):
    assert_problem(Client().get(f"{API}/communities/nowhere/trust-levels"), 404)


def test_a_member_reads_their_trust_through_the_api(member):
    live(member, **LEVEL_1)
    trust.recompute_trust(member.pk)
    body = session_client(member.user).get(api_url(member.community, f"/members/{member.user.handle}/trust")).json()
    assert (body["handle"], body["level"], body["name"], body["pinned"], body["next_level"]) == (
        member.user.handle,
        1,
        "Basic",
        False,
        2,
    )
    assert {row["stat"]: row["have"] for row in body["requirements"]}["threads_read"] == 5
    assert body["keep"] == [] and [p["action"] for p in body["privileges"]] == ["post_links", "add_free_tags", "flag"]


def test_the_api_keeps_trust_to_the_member_and_managers(member, make_member):
    address = api_url(member.community, f"/members/{member.user.handle}/trust")
    assert_problem(Client().get(address), 401)
    assert_problem(session_client(make_member().user).get(address), 403)
    assert session_client(make_member(Role.MANAGER).user).get(address).status_code == 200
    assert_problem(session_client(member.user).get(api_url(member.community, "/members/nobody-here/trust")), 404)


def test_a_manager_pins_and_unpins_through_the_api(member, manager):
    client = session_client(manager.user)
    address = api_url(member.community, f"/members/{member.user.handle}/trust")
    response = send(client, "put", address, {"level": 4})
    assert response.status_code == 200, response.content
    assert (response.json()["level"], response.json()["pinned"]) == (4, True)
    response = send(client, "put", address, {"level": None})
    assert (response.json()["level"], response.json()["pinned"]) == (2, False)  # levels 1 and 2 are kept


@pytest.mark.parametrize("payload", [{"level": 5}, {"level": -1}, {"level": "high"}, {}, {"level": 1, "why": "x"}])
def test_the_api_refuses_a_bad_level(member, manager, payload):
    address = api_url(member.community, f"/members/{member.user.handle}/trust")
    assert_problem(send(session_client(manager.user), "put", address, payload), 422)
    assert not reload(member).trust_level_pinned


def test_a_member_cannot_pin_through_the_api(member, make_member):
    address = api_url(member.community, f"/members/{member.user.handle}/trust")
    assert_problem(send(session_client(make_member().user), "put", address, {"level": 4}), 403)


def test_the_spec_documents_the_trust_operations():
    spec = Client().get(f"{API}/openapi.json").json()
    operations = {
        operation["operationId"]: method
        for methods in spec["paths"].values()
        for method, operation in methods.items()
        if operation.get("operationId") in {"get_trust_levels", "get_member_trust", "pin_member_trust"}
    }
    assert operations == {"get_trust_levels": "get", "get_member_trust": "get", "pin_member_trust": "put"}
    assert "/api/v1/communities/{slug}/members/{handle}/trust" in spec["paths"]


def test_leaving_does_not_change_the_level(member, manager):
    live(member, **LEVEL_2)
    trust.recompute_trust(member.pk)
    Membership.objects.filter(pk=member.pk).update(state=MembershipState.LEFT)
    assert trust.recompute_trust(member.pk) == 2
