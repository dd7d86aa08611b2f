"""The demo's recognition: history replayed with its dates, badges and perks given, the programme under way; loaded once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from belong.communities.models import Community, Membership, Role, SpaceAccess, SpaceVisibility
from belong.demo import data
from belong.demo.loader import discover_steps
from belong.recognition import demo, leaderboards, perks
from belong.recognition.models import (
    BadgeAward,
    Celebration,
    CelebrationKind,
    EntryKind,
    ExpertArea,
    Nomination,
    NominationState,
    Perk,
    PerkCode,
    PerkKind,
    PointsBalance,
    PointsEntry,
    Programme,
)

pytestmark = pytest.mark.django_db


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
    """Load the demo once (twice, to see the second load add nothing) for every test here, then roll it back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        first = row_counts()
        output = load()
        yield Loaded(Community.objects.get(slug=data.COMMUNITY.slug), first, row_counts(), output)
        transaction.set_rollback(True)


def test_the_steps_come_after_the_ideas_they_replay():
    steps = discover_steps()
    ideas = max(step.order for step in steps if step.name.startswith("ideas:"))
    ours = [step for step in steps if step.name.startswith("recognition:")]
    assert len(ours) == 6
    assert all(step.order > ideas for step in ours)


def test_loading_twice_adds_nothing(loaded):
    assert loaded.second == loaded.first
    assert "nothing was added" in loaded.second_output


def test_leaderboards_have_history_so_the_periods_differ(loaded):
    boards = {
        period: [(standing.user.pk, standing.points) for standing in leaderboards.leaderboard(loaded.community, period)]
        for period in leaderboards.PERIODS
    }
    assert all(boards.values())
    assert boards["week"] != boards["month"] != boards["all"]
    dated = PointsEntry.objects.filter(community=loaded.community, kind=EntryKind.AWARD).dates("created_at", "day")
    assert len(dated) > 10  # the ideas' story spans months


def test_badges_are_held_including_the_event_attendee_given_by_hand(loaded):
    awards = BadgeAward.objects.filter(community=loaded.community)
    held = set(awards.values_list("badge__key", flat=True))
    assert {"welcome", "first-post", "voice", "idea-shipped", "regular", "event-attendee"} <= held
    attendees = awards.filter(badge__key="event-attendee")
    assert set(attendees.values_list("user__handle", flat=True)) == {spec.handle for spec in demo.ATTENDEES}
    assert all(award.reason and award.awarded_by is not None for award in attendees)


def test_a_manager_gave_points_by_hand_with_a_reason(loaded):
    [entry] = PointsEntry.objects.filter(community=loaded.community, kind=EntryKind.MANUAL)
    assert entry.awarded_by is not None
    assert (entry.user.handle, entry.reason, entry.awarded_by.handle) == (
        demo.POINTS_TO,
        demo.POINTS_REASON,
        demo.MANAGER,
    )


def test_members_hold_ranks_above_the_first(loaded):
    ranks = PointsBalance.objects.filter(community=loaded.community).values_list("rank__min_points", flat=True)
    assert max(ranks) >= demo.CONTRIBUTOR_POINTS


def test_anniversaries_are_celebrated(loaded):
    celebrated = Celebration.objects.filter(community=loaded.community, kind=CelebrationKind.ANNIVERSARY)
    assert set(celebrated.values_list("user__handle", flat=True)) == set(demo.JOINED_YEARS_AGO)
    assert BadgeAward.objects.filter(badge__key="anniversary-5", user__handle="marta").exists()


def test_the_exclusive_space_opens_to_ambassadors_experts_and_regulars(loaded):
    perk = Perk.objects.get(community=loaded.community, kind=PerkKind.SPACE)
    space = perk.space
    assert space is not None
    assert (space.slug, space.visibility) == (demo.SPACE_SLUG, SpaceVisibility.RESTRICTED)
    assert set(perk.roles) == {Role.AMBASSADOR, Role.EXPERT}
    assert perk.min_rank is not None and perk.min_rank.min_points == demo.REGULAR_POINTS
    assert space.threads.count() == len(demo.STAFF_THREADS)
    opened = set(SpaceAccess.objects.filter(space=space).values_list("user__handle", flat=True))
    programme = set(
        Membership.objects.filter(community=loaded.community, role__in=[Role.AMBASSADOR, Role.EXPERT]).values_list(
            "user__handle", flat=True
        )
    )
    assert programme and programme <= opened


def test_the_showcase_member_claimed_a_code(loaded):
    perk = Perk.objects.get(community=loaded.community, kind=PerkKind.CODE)
    assert perk.min_rank is not None and perk.min_rank.min_points == demo.CONTRIBUTOR_POINTS
    assert perk.codes.count() == len(demo.PERK_CODES)
    [code] = PerkCode.objects.filter(perk=perk, user__isnull=False)
    assert code.user is not None and code.user.handle == data.SHOWCASE_MEMBER
    assert perks.is_eligible(Membership.objects.get(community=loaded.community, user=code.user), perk)


def test_the_programme_has_an_ambassador_an_expert_and_an_invitation_waiting(loaded):
    nominations = Nomination.objects.filter(community=loaded.community)
    accepted = {(n.user.handle, n.programme) for n in nominations.filter(state=NominationState.ACCEPTED)}
    assert accepted == {("priya.n", Programme.AMBASSADOR), ("rafa.souza", Programme.EXPERT)}
    [pending] = nominations.filter(state=NominationState.PENDING)
    assert (pending.user.handle, pending.programme) == (data.SHOWCASE_MEMBER, Programme.EXPERT)
    areas = set(ExpertArea.objects.filter(user__handle="rafa.souza").values_list("tag__slug", flat=True))
    assert areas == {"espresso", "filter"}
    roles = dict(Membership.objects.filter(community=loaded.community).values_list("user__handle", "role"))
    assert (roles["priya.n"], roles["rafa.souza"]) == (Role.AMBASSADOR, Role.EXPERT)


def test_trust_levels_are_kept_and_one_is_pinned_by_a_manager(loaded):
    levels = {
        m.user.handle: (m.trust_level, m.trust_level_pinned)
        for m in Membership.objects.filter(community=loaded.community).select_related("user")
    }
    assert levels[demo.PINNED] == (demo.PINNED_LEVEL, True)
    for person in data.PEOPLE:
        if person.trust_level >= 3 and person.state == "active":
            assert levels[person.handle] == (person.trust_level, True), person.handle
