"""The ambassador and expert programme: candidates from real data, nominations, answers, areas, e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from belong.accounts.tests.factories import UserFactory
from belong.communities import actions as community_actions
from belong.communities.events import RoleChanged
from belong.communities.models import Membership, MembershipState, Role
from belong.communities.tests.factories import CommunityFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Reaction, ThreadKind
from belong.conversations.tests.factories import TagFactory
from belong.core.errors import Conflict, Invalid, NotAllowed
from belong.core.models import Activity
from belong.recognition import events, programme
from belong.recognition.models import ExpertArea, Nomination, NominationState, PointsBalance, Programme
from belong.recognition.tests.factories import NominationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def boss(manager):
    return manager.user


@pytest.fixture
def asker(make_member):
    return make_member().user


@pytest.fixture
def espresso(community):
    return TagFactory(community=community, name="еспресо", slug="espresso")


@pytest.fixture
def grinders(community):
    return TagFactory(community=community, name="moinhos", slug="moinhos")


def question(asker, space, *tags, title="Hoe maal ek koffie?"):
    return conversations.create_thread(
        author=asker, space=space, kind=ThreadKind.QUESTION, title=title, body="Hoe fyn?", tags=[t.slug for t in tags]
    )


def answer(author, thread, body="Малко по-фино, моля."):
    return conversations.create_reply(author=author, thread=thread, body=body)


def accepted(asker, answerer, space, *tags):
    thread = question(asker, space, *tags)
    reply = answer(answerer, thread)
    conversations.accept_answer(actor=asker, thread=thread, post=reply)
    return reply


def helpful(post, *people):
    for person in people:
        conversations.add_reaction(user=person, post=post, kind="helpful")


def points(community, user, total):
    PointsBalance.objects.update_or_create(community=community, user=user, defaults={"total": total})


def handles(found):
    return [candidate.user.handle for candidate in found]


# --- Candidates ---------------------------------------------------------------------------------


def test_ambassador_candidates_are_the_most_helpful_answerers(community, space, asker, make_member):
    ana, boris, quiet = make_member().user, make_member().user, make_member().user
    fans = [make_member().user for _ in range(3)]
    accepted(asker, ana, space)  # 5
    helpful(accepted(asker, ana, space), fans[0])  # 5 + 1
    helpful(answer(boris, question(asker, space)), *fans)  # 3
    answer(quiet, question(asker, space))  # nothing received
    found = programme.candidates(community, Programme.AMBASSADOR)
    assert handles(found) == [ana.handle, boris.handle]
    assert (found[0].helpful, found[0].accepted, found[0].score) == (1, 2, 11)
    assert (found[1].helpful, found[1].accepted, found[1].score) == (3, 0, 3)
    assert "3" in found[1].reason and "90" in found[1].reason


def test_equal_helpfulness_is_ranked_by_points(community, space, asker, make_member):
    low, high = make_member().user, make_member().user
    fan = make_member().user
    helpful(answer(low, question(asker, space)), fan)
    helpful(answer(high, question(asker, space)), fan)
    points(community, low, 10)
    points(community, high, 400)
    found = programme.candidates(community, Programme.AMBASSADOR)
    assert handles(found) == [high.handle, low.handle]
    assert [c.points for c in found] == [400, 10]


def test_help_older_than_90_days_does_not_count(community, space, asker, make_member):
    old, fan = make_member().user, make_member().user
    reply = accepted(asker, old, space)
    helpful(reply, fan)
    long_ago = timezone.now() - timedelta(days=91)
    Reaction.objects.filter(post=reply).update(created_at=long_ago)
    Post.objects.filter(pk=reply.pk).update(created_at=long_ago)
    assert programme.candidates(community, Programme.AMBASSADOR) == []


def test_ambassador_candidates_leave_out_staff_ambassadors_the_inactive_the_removed_and_the_nominated(
    community, space, asker, make_member, boss
):
    fan = make_member().user
    moderator = make_member(Role.MODERATOR).user
    ambassador = make_member(Role.AMBASSADOR).user
    expert = make_member(Role.EXPERT).user
    suspended = make_member().user
    removed = make_member().user
    nominated = make_member().user
    for person in (moderator, ambassador, expert, suspended, removed, nominated):
        helpful(answer(person, question(asker, space)), fan)
    Membership.objects.filter(user=suspended).update(state=MembershipState.SUSPENDED)
    Post.objects.filter(author=removed, is_opening=False).update(deleted_at=timezone.now())
    programme.nominate(actor=boss, community=community, user=nominated, programme=Programme.AMBASSADOR)
    assert handles(programme.candidates(community, Programme.AMBASSADOR)) == [expert.handle]


def test_expert_candidates_have_the_most_accepted_answers_per_tag(
    community, space, asker, make_member, espresso, grinders
):
    ana, boris, vera = make_member().user, make_member().user, make_member(Role.AMBASSADOR).user
    already = make_member(Role.EXPERT).user
    accepted(asker, ana, space, espresso)
    accepted(asker, ana, space, espresso, grinders)
    accepted(asker, boris, space, espresso)
    accepted(asker, vera, space, grinders)
    accepted(asker, vera, space, grinders)
    accepted(asker, already, space, grinders)
    answer(boris, question(asker, space, grinders))  # not accepted
    found = programme.candidates(community, Programme.EXPERT)
    pairs = [(getattr(c.tag, "slug", None), c.user.handle, c.accepted) for c in found]
    assert pairs == [
        ("espresso", ana.handle, 2),
        ("moinhos", vera.handle, 2),
        ("espresso", boris.handle, 1),
        ("moinhos", ana.handle, 1),
    ]
    only = programme.candidates(community, Programme.EXPERT, tag=grinders)
    assert [(c.user.handle, c.accepted) for c in only] == [(vera.handle, 2), (ana.handle, 1)]
    assert "moinhos" in only[0].reason


def test_expert_candidates_are_the_best_three_of_each_tag_without_a_filter(
    community, space, asker, make_member, espresso
):
    people = [make_member().user for _ in range(5)]
    for person in people:
        accepted(asker, person, space, espresso)
    assert len(programme.candidates(community, Programme.EXPERT)) == programme.EXPERT_CANDIDATES_PER_TAG
    assert len(programme.candidates(community, Programme.EXPERT, tag=espresso)) == 5
    assert len(programme.candidates(community, Programme.EXPERT, tag=espresso, limit=2)) == 2


def test_expert_candidates_leave_out_those_nominated_as_experts(community, space, asker, make_member, boss, espresso):
    ana, boris = make_member().user, make_member().user
    accepted(asker, ana, space, espresso)
    accepted(asker, boris, space, espresso)
    programme.nominate(actor=boss, community=community, user=ana, programme=Programme.EXPERT, areas=[espresso])
    assert handles(programme.candidates(community, Programme.EXPERT)) == [boris.handle]
    # A nomination to the other programme does not hide them here.
    assert ana.handle in handles(programme.candidates(community, Programme.AMBASSADOR))


def test_candidates_of_another_community_do_not_mix(community, space, asker, make_member, espresso):
    accepted(asker, make_member().user, space, espresso)
    other = CommunityFactory()
    assert programme.candidates(other, Programme.AMBASSADOR) == []
    assert programme.candidates(other, Programme.EXPERT) == []


def test_an_unknown_programme_is_invalid(community):
    with pytest.raises(Invalid) as error:
        programme.candidates(community, "guru")
    assert "programme" in error.value.errors


@pytest.mark.parametrize(("which", "by_tag"), [("ambassador", False), ("expert", False), ("expert", True)])
def test_candidates_cost_the_same_queries_for_15_as_for_3(
    community, space, asker, make_member, espresso, grinders, which, by_tag
):
    tag = espresso if by_tag else None
    fan = make_member().user
    counts, sizes = [], []
    for total in (3, 15):
        while len(programme.candidates(community, which, tag=tag, limit=50)) < total:
            person = make_member().user
            helpful(accepted(asker, person, space, espresso, TagFactory(community=community)), fan)
            points(community, person, 7)
        with CaptureQueriesContext(connection) as queries:
            sizes.append(len(programme.candidates(community, which, tag=tag, limit=50)))
        counts.append(len(queries))
    assert sizes[0] < 15 <= sizes[1]
    assert counts[0] == counts[1]


# --- Nominating -----------------------------------------------------------------------------------


def test_nominating_a_non_member_is_a_clear_error(community, boss):
    stranger = UserFactory(handle="stranger")
    with pytest.raises(Invalid) as error:
        programme.nominate(actor=boss, community=community, user=stranger, programme=Programme.AMBASSADOR)
    assert "stranger" in error.value.detail and "not a member" in error.value.detail
    assert error.value.errors == {"member": ["Not a member of this community."]}
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("state", [MembershipState.SUSPENDED, MembershipState.BANNED, MembershipState.LEFT])
def test_nominating_someone_not_active_is_a_clear_error(community, boss, make_member, state):
    person = make_member(state=state).user
    with pytest.raises(Invalid) as error:
        programme.nominate(actor=boss, community=community, user=person, programme=Programme.AMBASSADOR)
    assert "Only active members" in error.value.detail


def test_nominating_twice_is_a_conflict(community, boss, member):
    programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR)
    with pytest.raises(Conflict) as error:
        programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR)
    assert "waiting for an answer" in error.value.detail
    assert Nomination.objects.count() == 1


def test_a_member_may_be_nominated_to_both_programmes(community, boss, member, espresso):
    programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR)
    programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.EXPERT, areas=[espresso])
    assert Nomination.objects.filter(state=NominationState.PENDING).count() == 2


def test_a_declined_member_may_be_nominated_again(community, boss, member):
    first = programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR)
    programme.answer_nomination(user=member.user, nomination=first, accept=False)
    again = programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR)
    assert again.pk != first.pk and again.state == NominationState.PENDING


@pytest.mark.parametrize(
    ("role", "chosen", "says"),
    [
        (Role.AMBASSADOR, Programme.AMBASSADOR, "already in this programme"),
        (Role.EXPERT, Programme.EXPERT, "already in this programme"),
        (Role.MODERATOR, Programme.AMBASSADOR, "the programme is for members"),
        (Role.STAFF, Programme.EXPERT, "the programme is for members"),
        (Role.MANAGER, Programme.AMBASSADOR, "the programme is for members"),
        (Role.OWNER, Programme.EXPERT, "the programme is for members"),
    ],
)
def test_nominating_someone_who_holds_the_role_or_a_higher_one_is_a_conflict(
    community, boss, make_member, espresso, role, chosen, says
):
    person = make_member(role).user
    areas = [espresso] if chosen == Programme.EXPERT else []
    with pytest.raises(Conflict) as error:
        programme.nominate(actor=boss, community=community, user=person, programme=chosen, areas=areas)
    assert says in error.value.detail


def test_experts_need_an_area_of_this_community(community, boss, member):
    with pytest.raises(Invalid) as error:
        programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.EXPERT)
    assert "areas" in error.value.errors
    foreign = TagFactory(community=CommunityFactory())
    with pytest.raises(Invalid) as error:
        programme.nominate(
            actor=boss, community=community, user=member.user, programme=Programme.EXPERT, areas=[foreign]
        )
    assert error.value.errors == {"areas": ["Unknown tag."]}


def test_ambassadors_have_no_areas(community, boss, member, espresso):
    with pytest.raises(Invalid) as error:
        programme.nominate(
            actor=boss, community=community, user=member.user, programme=Programme.AMBASSADOR, areas=[espresso]
        )
    assert "areas" in error.value.errors


def test_too_many_areas_or_too_long_a_message_are_invalid(community, boss, member):
    tags = [TagFactory(community=community) for _ in range(programme.MAX_AREAS + 1)]
    with pytest.raises(Invalid):
        programme.nominate(actor=boss, community=community, user=member.user, programme=Programme.EXPERT, areas=tags)
    with pytest.raises(Invalid) as error:
        programme.nominate(
            actor=boss, community=community, user=member.user, programme="ambassador", message="я" * 2001
        )
    assert "message" in error.value.errors


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.STAFF, Role.AMBASSADOR])
def test_only_owners_and_managers_nominate(community, make_member, member, role):
    with pytest.raises(NotAllowed):
        programme.nominate(
            actor=make_member(role).user, community=community, user=member.user, programme=Programme.AMBASSADOR
        )


def test_a_nomination_is_logged_and_announced(community, boss, member, espresso, published, commit):
    with commit():
        nomination = programme.nominate(
            actor=boss,
            community=community,
            user=member.user,
            programme=Programme.EXPERT,
            areas=[espresso],
            message="Ти знаеш всичко за еспресото.",
        )
    assert list(nomination.areas.all()) == [espresso]
    activity = Activity.objects.get(verb=programme.Verb.NOMINATED)
    assert (activity.actor_id, activity.recipient_id, activity.community_id) == (boss.pk, member.user_id, community.pk)
    assert activity.data == {"programme": "expert", "areas": ["espresso"]}
    announced = [e for e in published if isinstance(e, events.MemberNominated)]
    assert announced == [
        events.MemberNominated(
            community_id=community.pk,
            actor_id=boss.pk,
            nomination_id=nomination.pk,
            user_id=member.user_id,
            programme="expert",
        )
    ]


# --- The e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "line"), [("bg", "Приемете или откажете тук:"), ("pt", "Aceite ou recuse aqui:"), ("af", "Aanvaar")]
)
def test_the_nominee_is_emailed_once_in_their_language(community, boss, make_member, commit, espresso, locale, line):
    nominee = make_member(user__locale=locale).user
    with commit():
        nomination = programme.nominate(
            actor=boss,
            community=community,
            user=nominee,
            programme=Programme.EXPERT,
            areas=[espresso],
            message="Obrigado pela ajuda, ação!",
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [nominee.email]
    assert community.name in message.subject
    url = settings.BELONG_BASE_URL + reverse("recognition:nomination", args=[community.slug, nomination.pk])
    assert url in message.body and line in message.body
    assert "еспресо" in message.body and "Obrigado pela ajuda, ação!" in message.body
    programme.send_nomination_email.enqueue(nomination.pk)  # a second run sends nothing
    assert len(mail.outbox) == 1
    nomination.refresh_from_db()
    assert nomination.emailed_at is not None


def test_a_withdrawn_nomination_is_not_emailed(community, boss, member):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    programme.withdraw_nomination(actor=boss, nomination=nomination)
    programme.send_nomination_email.enqueue(nomination.pk)
    programme.send_nomination_email.enqueue(987654)
    assert mail.outbox == []


# --- Answering ---------------------------------------------------------------------------------------


def test_accepting_gives_the_role_and_the_areas(community, boss, member, espresso, grinders, published, commit):
    nomination = programme.nominate(
        actor=boss, community=community, user=member.user, programme=Programme.EXPERT, areas=[espresso, grinders]
    )
    with commit():
        answered = programme.answer_nomination(user=member.user, nomination=nomination, accept=True)
    assert answered.state == NominationState.ACCEPTED and answered.answered_at is not None
    member.refresh_from_db()
    assert member.role == Role.EXPERT
    assert set(programme.areas_of(community.pk, member.user_id)) == {espresso, grinders}
    changed = [e for e in published if isinstance(e, RoleChanged)]
    assert len(changed) == 1
    assert (changed[0].old_role, changed[0].new_role, changed[0].actor_id) == ("member", "expert", boss.pk)
    answers = [e for e in published if isinstance(e, events.NominationAnswered)]
    assert answers == [
        events.NominationAnswered(
            community_id=community.pk,
            actor_id=member.user_id,
            nomination_id=nomination.pk,
            user_id=member.user_id,
            programme="expert",
            accepted=True,
        )
    ]
    assert Activity.objects.filter(verb=programme.Verb.ACCEPTED, actor=member.user, recipient=boss).exists()


def test_declining_keeps_the_role(community, boss, member, published, commit):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    with commit():
        programme.answer_nomination(user=member.user, nomination=nomination, accept=False)
    nomination.refresh_from_db()
    member.refresh_from_db()
    assert nomination.state == NominationState.DECLINED and member.role == Role.MEMBER
    assert not [e for e in published if isinstance(e, RoleChanged)]
    assert [e.accepted for e in published if isinstance(e, events.NominationAnswered)] == [False]


def test_only_the_nominee_answers(community, boss, member, make_member):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    for someone in (boss, make_member().user, make_member(Role.OWNER).user):
        with pytest.raises(NotAllowed):
            programme.answer_nomination(user=someone, nomination=nomination, accept=True)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.PENDING


def test_a_nomination_is_answered_once(community, boss, member):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    programme.answer_nomination(user=member.user, nomination=nomination, accept=True)
    with pytest.raises(Conflict):
        programme.answer_nomination(user=member.user, nomination=nomination, accept=False)
    member.refresh_from_db()
    assert member.role == Role.AMBASSADOR


def test_accepting_after_becoming_staff_is_a_conflict(community, boss, member):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    community_actions.change_role(actor=boss, membership=member, role=Role.MODERATOR)
    with pytest.raises(Conflict):
        programme.answer_nomination(user=member.user, nomination=nomination, accept=True)
    member.refresh_from_db()
    assert member.role == Role.MODERATOR


def test_an_expert_who_becomes_ambassador_leaves_the_areas_behind(community, boss, make_member, espresso):
    expert = make_member(Role.EXPERT)
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    nomination = programme.nominate(actor=boss, community=community, user=expert.user, programme="ambassador")
    programme.answer_nomination(user=expert.user, nomination=nomination, accept=True)
    expert.refresh_from_db()
    assert expert.role == Role.AMBASSADOR
    assert programme.areas_of(community.pk, expert.user_id) == []


def test_a_nomination_by_a_deleted_manager_can_still_be_accepted(community, boss, member):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    boss.delete()
    programme.answer_nomination(user=member.user, nomination=nomination, accept=True)
    member.refresh_from_db()
    assert member.role == Role.AMBASSADOR


# --- Withdrawing -------------------------------------------------------------------------------------


def test_managers_withdraw_a_pending_nomination(community, boss, member, published, commit):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    with pytest.raises(NotAllowed):
        programme.withdraw_nomination(actor=member.user, nomination=nomination)
    with commit():
        programme.withdraw_nomination(actor=boss, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN
    assert [e.nomination_id for e in published if isinstance(e, events.NominationWithdrawn)] == [nomination.pk]
    with pytest.raises(Conflict):
        programme.withdraw_nomination(actor=boss, nomination=nomination)
    with pytest.raises(Conflict):
        programme.answer_nomination(user=member.user, nomination=nomination, accept=True)


def test_leaving_the_community_withdraws_pending_nominations(community, boss, member, commit):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    with commit():
        community_actions.leave_community(user=member.user, community=community)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN


def test_a_ban_withdraws_pending_nominations(community, boss, member, commit):
    nomination = programme.nominate(actor=boss, community=community, user=member.user, programme="ambassador")
    with commit():
        community_actions.ban_member(actor=boss, membership=member, reason="Spam")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN


# --- Areas and leaving the programme ---------------------------------------------------------------------


@pytest.fixture
def expert(make_member, community, espresso):
    membership = make_member(Role.EXPERT)
    ExpertArea.objects.create(community=community, user=membership.user, tag=espresso)
    return membership


def test_managers_replace_an_experts_areas(community, boss, expert, espresso, grinders):
    areas = programme.set_areas(actor=boss, membership=expert, tags=[grinders])
    assert areas == [grinders]
    assert programme.areas_of(community.pk, expert.user_id) == [grinders]
    assert Activity.objects.get(verb=programme.Verb.AREAS_SET).data == {"areas": ["moinhos"]}


def test_areas_are_only_for_experts_and_never_empty(community, boss, member, expert, grinders, make_member):
    with pytest.raises(Conflict):
        programme.set_areas(actor=boss, membership=member, tags=[grinders])
    with pytest.raises(Invalid):
        programme.set_areas(actor=boss, membership=expert, tags=[])
    with pytest.raises(NotAllowed):
        programme.set_areas(actor=make_member().user, membership=expert, tags=[grinders])
    with pytest.raises(NotAllowed):
        programme.set_areas(actor=expert.user, membership=expert, tags=[grinders])


def test_an_expert_leaves_the_programme_and_the_areas_go(community, expert, published, commit):
    with commit():
        programme.leave_programme(actor=expert.user, membership=expert)
    expert.refresh_from_db()
    assert expert.role == Role.MEMBER
    assert not ExpertArea.objects.exists()
    assert [(e.old_role, e.new_role) for e in published if isinstance(e, RoleChanged)] == [("expert", "member")]


def test_managers_take_members_out_of_the_programme_and_no_one_else_does(community, boss, make_member):
    ambassador = make_member(Role.AMBASSADOR)
    with pytest.raises(NotAllowed):
        programme.leave_programme(actor=make_member().user, membership=ambassador)
    programme.leave_programme(actor=boss, membership=ambassador)
    ambassador.refresh_from_db()
    assert ambassador.role == Role.MEMBER
    with pytest.raises(Conflict):
        programme.leave_programme(actor=boss, membership=ambassador)


def test_a_role_change_away_from_expert_removes_the_areas(community, boss, expert, commit):
    with commit():
        community_actions.change_role(actor=boss, membership=expert, role=Role.MEMBER)
    assert not ExpertArea.objects.exists()


# --- Reads -------------------------------------------------------------------------------------------


def test_programme_members_and_who_to_ask(community, make_member, expert, espresso, grinders):
    ambassador = make_member(Role.AMBASSADOR)
    second = make_member(Role.EXPERT)
    ExpertArea.objects.create(community=community, user=second.user, tag=espresso)
    ExpertArea.objects.create(community=community, user=second.user, tag=grinders)
    banned = make_member(Role.EXPERT, state=MembershipState.BANNED)
    ExpertArea.objects.create(community=community, user=banned.user, tag=grinders)
    members = list(programme.programme_members(community))
    assert [m.pk for m in members] == [ambassador.pk, expert.pk, second.pk]
    assert {a.tag for a in vars(members[2].user)["areas_here"]} == {espresso, grinders}
    assert [m.pk for m in programme.programme_members(community, tag=grinders)] == [second.pk]
    assert [m.pk for m in programme.programme_members(community, programme="ambassador")] == [ambassador.pk]
    asked = {area.tag.slug: sorted(u.pk for u in area.experts) for area in programme.who_to_ask(community)}
    assert asked == {"espresso": sorted([expert.user_id, second.user_id]), "moinhos": [second.user_id]}


def test_programme_members_cost_two_queries_however_many(community, make_member, espresso, django_assert_num_queries):
    for _ in range(15):
        membership = make_member(Role.EXPERT)
        ExpertArea.objects.create(community=community, user=membership.user, tag=espresso)
    with django_assert_num_queries(2):
        members = list(programme.programme_members(community))
        assert all(vars(m.user)["areas_here"] for m in members)


def test_nomination_factory_makes_a_pending_ambassador_nomination(community):
    nomination = NominationFactory(community=community)
    assert nomination.state == NominationState.PENDING and nomination.programme == Programme.AMBASSADOR
