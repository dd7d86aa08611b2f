"""The programme's pages: managers' page, nominating, a nominee's answer, experts and ambassadors, areas."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Membership, MembershipState, Role
from belong.conversations import actions as conversations
from belong.conversations.models import ThreadKind
from belong.conversations.tests.factories import TagFactory
from belong.recognition import programme
from belong.recognition.models import ExpertArea, Nomination, NominationState, Programme

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(community) -> str:
    return reverse("recognition:programme", args=[community.slug])


def nomination_url(nomination, name="nomination") -> str:
    return reverse(f"recognition:{name}", args=[nomination.community.slug, nomination.pk])


@pytest.fixture
def espresso(community):
    return TagFactory(community=community, name="еспресо", slug="espresso")


@pytest.fixture
def nominee(make_member):
    return make_member(user__handle="ana", user__locale="pt")


@pytest.fixture
def nomination(community, manager, nominee, espresso):
    return programme.nominate(
        actor=manager.user, community=community, user=nominee.user, programme=Programme.EXPERT, areas=[espresso]
    )


def answered_question(asker, answerer, space, *tags):
    thread = conversations.create_thread(
        author=asker, space=space, kind=ThreadKind.QUESTION, title="Qual moagem?", body="Ajuda, por favor.",
        tags=[t.slug for t in tags],
    )  # fmt: skip
    reply = conversations.create_reply(author=answerer, thread=thread, body="Mais fina, obrigado.")
    conversations.accept_answer(actor=asker, thread=thread, post=reply)
    conversations.add_reaction(user=asker, post=reply, kind="helpful")
    return reply


# --- The managers' page ------------------------------------------------------------------------------


def test_the_programme_page_suggests_candidates_for_both_programmes(
    manager_client, community, space, make_member, espresso
):
    asker = make_member().user
    helper = make_member(user__display_name="Мария Иванова").user
    answered_question(asker, helper, space, espresso)
    response = manager_client.get(page(community))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<span>Мария Иванова</span></a>") == 2  # once per programme
    assert "programme=expert&amp;areas=espresso" in html
    assert 'id="nominate"' in html and 'name="member"' in html


def test_a_candidates_nominate_link_prefills_the_form(manager_client, community, espresso):
    html = manager_client.get(page(community), {"member": "ana", "programme": "expert", "areas": "espresso"})
    html = html.content.decode()
    assert 'value="ana"' in html
    assert '<option value="espresso" selected>' in html
    assert '<option value="expert" selected>' in html


def test_the_tag_filter_answers_htmx_with_the_expert_candidates_only(
    manager_client, community, space, make_member, espresso
):
    other = TagFactory(community=community, name="Leite", slug="leite")
    asker = make_member().user
    answered_question(asker, make_member(user__display_name="Espresso Expert").user, space, espresso)
    answered_question(asker, make_member(user__display_name="Milk Master").user, space, other)
    response = manager_client.get(page(community), {"tag": "leite"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="expert-candidates"' in html and "<html" not in html
    assert "Milk Master" in html and "Espresso Expert" not in html


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.AMBASSADOR])
def test_the_programme_page_is_for_managers(community, make_member, role):
    response = client_for(make_member(role).user).get(page(community))
    assert response.status_code == 403


def test_visitors_are_sent_to_sign_in(client, community):
    response = client.get(page(community))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_programme_page_costs_the_same_for_15_rows_as_for_3(
    manager_client, community, space, make_member, manager, espresso
):
    asker = make_member().user
    counts = []
    for total in (3, 15):
        while Nomination.objects.count() < total:
            helper = make_member().user
            answered_question(asker, helper, space, espresso)
            programme.nominate(actor=manager.user, community=community, user=helper, programme="ambassador")
            expert = make_member(Role.EXPERT)
            ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
            answered_question(asker, make_member().user, space, TagFactory(community=community))
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(page(community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Nominating ------------------------------------------------------------------------------------------


def test_nominating_sends_the_invitation_and_shows_it(
    manager_client, community, nominee, espresso, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("recognition:nominate", args=[community.slug]),
            {"member": "@Ana", "programme": "expert", "areas": ["espresso"], "message": "Obrigado!"},
        )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == nomination_url(nomination)
    assert nomination.user == nominee.user and list(nomination.areas.all()) == [espresso]
    assert len(mail.outbox) == 1 and "Aceite ou recuse aqui:" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"member": "nobody", "programme": "ambassador"}, 422, "No one has this handle."),
        ({"member": "stranger", "programme": "ambassador"}, 422, "not a member of this community"),
        ({"member": "ana", "programme": "expert"}, 422, "Choose at least one area"),
        ({"member": "ana", "programme": "guru"}, 422, "guru"),
        ({"member": "boss", "programme": "ambassador"}, 409, "the programme is for members"),
    ],
)
def test_nominating_refusals_show_on_the_form(manager_client, community, nominee, make_member, data, status, says):
    UserFactory(handle="stranger")
    make_member(Role.MANAGER, user__handle="boss")
    response = manager_client.post(reverse("recognition:nominate", args=[community.slug]), data)
    assert response.status_code == status
    assert says in response.content.decode()
    assert not Nomination.objects.exists()


def test_nominating_twice_is_a_conflict_on_the_form(manager_client, community, nominee, nomination):
    data = {"member": "ana", "programme": "expert", "areas": ["espresso"]}
    response = manager_client.post(reverse("recognition:nominate", args=[community.slug]), data)
    assert response.status_code == 409
    assert "waiting for an answer" in response.content.decode()


def test_members_cannot_nominate(member_client, community, nominee):
    data = {"member": "ana", "programme": "ambassador"}
    assert member_client.post(reverse("recognition:nominate", args=[community.slug]), data).status_code == 403


# --- A nomination's page ---------------------------------------------------------------------------------


def test_the_nominee_sees_the_nomination_and_answers_buttons(community, nominee, nomination):
    html = client_for(nominee.user).get(nomination_url(nomination)).content.decode()
    assert "еспресо" in html and 'value="accept"' in html and 'value="decline"' in html


def test_managers_see_a_nomination_and_may_withdraw_it(manager_client, nomination):
    html = manager_client.get(nomination_url(nomination)).content.decode()
    assert 'value="accept"' not in html
    assert nomination_url(nomination, "withdraw_nomination") in html


def test_others_are_told_the_nomination_does_not_exist(member_client, client, nomination):
    assert member_client.get(nomination_url(nomination)).status_code == 404
    assert client.get(nomination_url(nomination)).status_code == 302  # sign in first


def test_accepting_makes_the_nominee_an_expert(community, nominee, nomination):
    response = client_for(nominee.user).post(nomination_url(nomination, "answer_nomination"), {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("recognition:experts", args=[community.slug])
    nominee.refresh_from_db()
    assert nominee.role == Role.EXPERT
    assert [t.slug for t in programme.areas_of(community.pk, nominee.user_id)] == ["espresso"]


def test_declining_keeps_the_role_and_shows_the_state(community, nominee, nomination):
    client = client_for(nominee.user)
    response = client.post(nomination_url(nomination, "answer_nomination"), {"answer": "decline"}, follow=True)
    nominee.refresh_from_db()
    assert nominee.role == Role.MEMBER
    assert "nomination-state-declined" in response.content.decode()


def test_answering_twice_shows_why_it_cannot(community, nominee, nomination):
    nominee.user.locale = "en"  # the page speaks the member's language; this test reads the English
    nominee.user.save(update_fields=["locale"])
    client = client_for(nominee.user)
    client.post(nomination_url(nomination, "answer_nomination"), {"answer": "decline"})
    response = client.post(nomination_url(nomination, "answer_nomination"), {"answer": "accept"}, follow=True)
    assert "already answered or withdrawn" in response.content.decode()
    nominee.refresh_from_db()
    assert nominee.role == Role.MEMBER


def test_an_unknown_answer_is_invalid(nominee, nomination):
    response = client_for(nominee.user).post(nomination_url(nomination, "answer_nomination"), {"answer": "maybe"})
    assert response.status_code == 422


def test_a_manager_cannot_answer_for_the_nominee(manager_client, nomination):
    response = manager_client.post(nomination_url(nomination, "answer_nomination"), {"answer": "accept"})
    assert response.status_code == 403


def test_managers_withdraw_a_nomination(manager_client, community, nomination):
    response = manager_client.post(nomination_url(nomination, "withdraw_nomination"))
    assert response.status_code == 302 and response["Location"] == page(community)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN
    again = manager_client.post(nomination_url(nomination, "withdraw_nomination"), follow=True)
    assert "Only a nomination waiting for an answer" in again.content.decode()


def test_the_nominee_cannot_withdraw(nominee, nomination):
    assert client_for(nominee.user).post(nomination_url(nomination, "withdraw_nomination")).status_code == 403


# --- Experts and ambassadors -------------------------------------------------------------------------------


def experts_url(community) -> str:
    return reverse("recognition:experts", args=[community.slug])


def test_anyone_sees_who_to_ask_about_what(client, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__display_name="Иван Петров")
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    make_member(Role.AMBASSADOR, user__display_name="Joana Sousa")
    make_member(user__display_name="Just A Member")
    html = client.get(experts_url(community)).content.decode()
    assert "Иван Петров" in html and "Joana Sousa" in html and "#еспресо" in html
    assert "Just A Member" not in html
    assert "Leave the programme" not in html


def test_the_experts_page_filters_by_tag(client, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__display_name="Иван Петров")
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    make_member(Role.AMBASSADOR, user__display_name="Joana Sousa")
    html = client.get(experts_url(community), {"tag": "espresso"}).content.decode()
    section = html.split('id="members-title"')[1]
    assert "Иван Петров" in section and "Joana Sousa" not in section


def test_the_experts_page_costs_the_same_for_15_as_for_3(client, community, make_member, espresso):
    counts = []
    for total in (3, 15):
        while Membership.objects.filter(role__in=[Role.EXPERT, Role.AMBASSADOR]).count() < total:
            expert = make_member(Role.EXPERT)
            ExpertArea.objects.create(community=community, user=expert.user, tag=TagFactory(community=community))
            ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
            make_member(Role.AMBASSADOR)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(experts_url(community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_member_of_the_programme_leaves_it_from_the_experts_page(community, make_member, espresso):
    expert = make_member(Role.EXPERT)
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    client = client_for(expert.user)
    html = client.get(experts_url(community)).content.decode()
    leave = reverse("recognition:leave_programme", args=[community.slug, expert.user.handle])
    assert leave in html
    response = client.post(leave)
    assert response.status_code == 302 and response["Location"] == experts_url(community)
    expert.refresh_from_db()
    assert expert.role == Role.MEMBER and not ExpertArea.objects.exists()


def test_managers_take_someone_out_and_members_cannot(manager_client, member_client, community, make_member):
    ambassador = make_member(Role.AMBASSADOR)
    leave = reverse("recognition:leave_programme", args=[community.slug, ambassador.user.handle])
    assert member_client.post(leave).status_code == 403
    assert manager_client.post(leave)["Location"] == page(community)
    ambassador.refresh_from_db()
    assert ambassador.role == Role.MEMBER
    assert manager_client.post(leave).status_code == 409


# --- An expert's areas -------------------------------------------------------------------------------------


def test_managers_set_an_experts_areas(manager_client, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__handle="ivan")
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    milk = TagFactory(community=community, name="Melk", slug="melk")
    url = reverse("recognition:expert_areas", args=[community.slug, "ivan"])
    html = manager_client.get(url).content.decode()
    assert '<option value="espresso" selected>' in html
    response = manager_client.post(url, {"areas": ["melk", "espresso"]})
    assert response.status_code == 302
    assert set(programme.areas_of(community.pk, expert.user_id)) == {milk, espresso}
    assert manager_client.post(url, {"areas": []}).status_code == 422
    assert manager_client.post(url, {"areas": ["nowhere"]}).status_code == 422


def test_areas_are_refused_for_non_experts_and_by_members(
    manager_client, member_client, community, make_member, espresso
):
    make_member(user__handle="plain")
    url = reverse("recognition:expert_areas", args=[community.slug, "plain"])
    assert manager_client.post(url, {"areas": ["espresso"]}).status_code == 409
    assert member_client.get(url).status_code == 403
    unknown = reverse("recognition:expert_areas", args=[community.slug, "nobody"])
    assert manager_client.get(unknown).status_code == 404


def test_a_suspended_nominee_cannot_answer(community, nominee, nomination):
    Membership.objects.filter(pk=nominee.pk).update(state=MembershipState.BANNED)
    response = client_for(nominee.user).post(nomination_url(nomination, "answer_nomination"), {"answer": "accept"})
    assert response.status_code == 403
