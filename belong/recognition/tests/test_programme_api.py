"""The programme's API: candidates, nominations and their answers, experts and their areas."""

from __future__ import annotations

import pytest
from django.core import mail

from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Membership, Role
from belong.conversations import actions as conversations
from belong.conversations.models import ThreadKind
from belong.conversations.tests.factories import TagFactory
from belong.recognition import programme
from belong.recognition.models import ExpertArea, Nomination, NominationState, Programme

pytestmark = pytest.mark.django_db


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


@pytest.fixture
def espresso(community):
    return TagFactory(community=community, name="еспресо", slug="espresso")


@pytest.fixture
def boss(manager):
    return token_client(manager.user)


@pytest.fixture
def nominee(make_member):
    return make_member(user__handle="ana", user__locale="bg")


@pytest.fixture
def nomination(community, manager, nominee, espresso):
    return programme.nominate(
        actor=manager.user, community=community, user=nominee.user, programme=Programme.EXPERT, areas=[espresso]
    )


def answered(asker, answerer, space, *tags):
    thread = conversations.create_thread(
        author=asker, space=space, kind=ThreadKind.QUESTION, title="Welke maling?", body="Hoe fyn, asseblief?",
        tags=[t.slug for t in tags],
    )  # fmt: skip
    reply = conversations.create_reply(author=answerer, thread=thread, body="Fyner, dankie.")
    conversations.accept_answer(actor=asker, thread=thread, post=reply)
    conversations.add_reaction(user=asker, post=reply, kind="helpful")


# --- Candidates ------------------------------------------------------------------------------------------


def test_managers_get_candidates_of_each_programme(boss, community, space, make_member, espresso):
    asker = make_member().user
    helper = make_member(user__handle="helper").user
    answered(asker, helper, space, espresso)
    body = boss.get(url(community, "/programme/candidates?programme=ambassador")).json()
    assert [(c["person"]["handle"], c["helpful"], c["accepted"], c["score"]) for c in body] == [("helper", 1, 1, 6)]
    assert body[0]["tag"] is None and body[0]["reason"]
    body = boss.get(url(community, "/programme/candidates?programme=expert&tag=espresso")).json()
    assert [(c["person"]["handle"], c["tag"]["slug"], c["accepted"]) for c in body] == [("helper", "espresso", 1)]


@pytest.mark.parametrize(
    ("query", "status"),
    [("?programme=guru", 422), ("", 422), ("?programme=expert&tag=nowhere", 422), ("?programme=expert&limit=0", 422)],
)
def test_bad_candidate_filters_are_invalid(boss, community, query, status):
    assert_problem(boss.get(url(community, "/programme/candidates" + query)), status)


def test_only_managers_get_candidates(member, community, client):
    assert_problem(token_client(member.user).get(url(community, "/programme/candidates?programme=expert")), 403)
    assert_problem(client.get(url(community, "/programme/candidates?programme=expert")), 401)


def test_candidates_cost_the_same_queries_for_15_as_for_3(manager, community, space, make_member, espresso):
    boss = session_client(manager.user)
    asker = make_member().user
    address = url(community, "/programme/candidates?programme=ambassador&limit=50")
    for _ in range(3):
        answered(asker, make_member().user, space, espresso)
    few = queries_for(boss, address)
    for _ in range(12):
        answered(asker, make_member().user, space, espresso)
    assert len(boss.get(address).json()) == 15
    assert queries_for(boss, address) == few


# --- Nominations --------------------------------------------------------------------------------------------


def test_nominating_a_member(boss, community, nominee, espresso, manager, django_capture_on_commit_callbacks):
    payload = {"member": "@ana", "programme": "expert", "areas": ["espresso"], "message": "Благодаря ти!"}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(boss, "post", url(community, "/nominations"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["handle"] == "ana" and body["nominated_by"]["id"] == manager.user_id
    assert body["state"] == "pending" and body["programme"] == "expert"
    assert [a["slug"] for a in body["areas"]] == ["espresso"] and body["message"] == "Благодаря ти!"
    assert len(mail.outbox) == 1 and "Приемете или откажете тук:" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"member": "nobody", "programme": "ambassador"}, 422, "member"),
        ({"member": "stranger", "programme": "ambassador"}, 422, "member"),
        ({"member": "ana", "programme": "expert"}, 422, "areas"),
        ({"member": "ana", "programme": "expert", "areas": ["nowhere"]}, 422, "areas"),
        ({"member": "ana", "programme": "ambassador", "areas": ["espresso"]}, 422, "areas"),
        ({"member": "ana", "programme": "guru"}, 422, "programme"),
        ({"member": "ana", "programme": "ambassador", "extra": 1}, 422, "extra"),
        ({"member": "mod", "programme": "ambassador"}, 409, None),
    ],
)
def test_nominating_refusals(boss, community, nominee, espresso, make_member, payload, status, field):
    UserFactory(handle="stranger")
    make_member(Role.MODERATOR, user__handle="mod")
    body = assert_problem(send(boss, "post", url(community, "/nominations"), payload), status)
    if field:
        assert field in body["errors"]
    assert not Nomination.objects.exists()


def test_nominating_twice_is_a_conflict(boss, community, nomination):
    payload = {"member": "ana", "programme": "expert", "areas": ["espresso"]}
    body = assert_problem(send(boss, "post", url(community, "/nominations"), payload), 409)
    assert "waiting for an answer" in body["detail"]


def test_members_cannot_nominate(member, community, nominee):
    payload = {"member": "ana", "programme": "ambassador"}
    assert_problem(send(token_client(member.user), "post", url(community, "/nominations"), payload), 403)


def test_managers_list_every_nomination_and_members_their_own(boss, community, manager, nomination, make_member):
    someone = make_member()
    programme.nominate(actor=manager.user, community=community, user=someone.user, programme="ambassador")
    assert len(boss.get(url(community, "/nominations")).json()["results"]) == 2
    mine = token_client(nomination.user).get(url(community, "/nominations")).json()["results"]
    assert [n["id"] for n in mine] == [nomination.pk]
    assert token_client(make_member().user).get(url(community, "/nominations")).json()["results"] == []
    filtered = boss.get(url(community, "/nominations?programme=expert&state=pending")).json()["results"]
    assert [n["id"] for n in filtered] == [nomination.pk]


def test_the_nomination_list_costs_the_same_queries_for_15_as_for_3(community, manager, make_member, espresso):
    boss = session_client(manager.user)

    def add(count):
        for _ in range(count):
            programme.nominate(
                actor=manager.user, community=community, user=make_member().user, programme="expert", areas=[espresso]
            )

    add(3)
    address = url(community, "/nominations?page_size=50")
    few = queries_for(boss, address)
    add(12)
    assert len(boss.get(address).json()["results"]) == 15
    assert queries_for(boss, address) == few


def test_a_nomination_is_shown_to_its_nominee_and_managers_only(boss, community, nomination, member):
    address = url(community, f"/nominations/{nomination.pk}")
    assert boss.get(address).status_code == 200
    assert token_client(nomination.user).get(address).json()["id"] == nomination.pk
    assert_problem(token_client(member.user).get(address), 404)
    assert_problem(boss.get(url(community, "/nominations/987654")), 404)


def test_the_nominee_accepts(community, nomination, nominee):
    client = session_client(nominee.user)
    body = client.post(url(community, f"/nominations/{nomination.pk}/accept")).json()
    assert body["state"] == "accepted" and body["answered_at"]
    nominee.refresh_from_db()
    assert nominee.role == Role.EXPERT
    assert_problem(client.post(url(community, f"/nominations/{nomination.pk}/decline")), 409)


def test_the_nominee_declines(community, nomination, nominee):
    body = token_client(nominee.user).post(url(community, f"/nominations/{nomination.pk}/decline")).json()
    assert body["state"] == "declined"
    nominee.refresh_from_db()
    assert nominee.role == Role.MEMBER


def test_only_the_nominee_answers(boss, community, nomination, member):
    assert_problem(boss.post(url(community, f"/nominations/{nomination.pk}/accept")), 403)
    assert_problem(token_client(member.user).post(url(community, f"/nominations/{nomination.pk}/accept")), 404)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.PENDING


def test_managers_withdraw(boss, community, nomination, nominee):
    assert_problem(token_client(nominee.user).post(url(community, f"/nominations/{nomination.pk}/withdraw")), 403)
    assert boss.post(url(community, f"/nominations/{nomination.pk}/withdraw")).json()["state"] == "withdrawn"
    assert_problem(boss.post(url(community, f"/nominations/{nomination.pk}/withdraw")), 409)


# --- Experts and their areas ------------------------------------------------------------------------------------


def test_anyone_lists_experts_and_ambassadors(client, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__handle="ivan")
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    make_member(Role.AMBASSADOR, user__handle="joana")
    make_member(user__handle="plain")
    rows = client.get(url(community, "/experts")).json()["results"]
    assert [(r["person"]["handle"], r["programme"], [a["name"] for a in r["areas"]]) for r in rows] == [
        ("joana", "ambassador", []),
        ("ivan", "expert", ["еспресо"]),
    ]
    rows = client.get(url(community, "/experts?tag=espresso")).json()["results"]
    assert [r["person"]["handle"] for r in rows] == ["ivan"]
    rows = client.get(url(community, "/experts?programme=ambassador")).json()["results"]
    assert [r["person"]["handle"] for r in rows] == ["joana"]
    assert_problem(client.get(url(community, "/experts?tag=nowhere")), 422)


def test_the_expert_list_costs_the_same_queries_for_15_as_for_3(client, community, make_member, espresso):
    def add(count):
        for _ in range(count):
            expert = make_member(Role.EXPERT)
            ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)

    add(3)
    address = url(community, "/experts?page_size=50")
    few = queries_for(client, address)
    add(12)
    assert len(client.get(address).json()["results"]) == 15
    assert queries_for(client, address) == few


def test_managers_set_an_experts_areas(boss, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__handle="ivan")
    TagFactory(community=community, name="Melk", slug="melk")
    response = send(boss, "put", url(community, "/members/Ivan/areas"), {"areas": ["melk", "espresso"]})
    assert response.status_code == 200, response.content
    assert sorted(a["slug"] for a in response.json()["areas"]) == ["espresso", "melk"]
    assert ExpertArea.objects.filter(user=expert.user).count() == 2
    assert_problem(send(boss, "put", url(community, "/members/ivan/areas"), {"areas": []}), 422)
    assert_problem(send(boss, "put", url(community, "/members/ivan/areas"), {"areas": ["nowhere"]}), 422)
    assert_problem(send(boss, "put", url(community, "/members/nobody/areas"), {"areas": ["melk"]}), 404)


def test_areas_are_refused_for_non_experts_and_by_members(boss, community, make_member, espresso):
    make_member(user__handle="plain")
    assert_problem(send(boss, "put", url(community, "/members/plain/areas"), {"areas": ["espresso"]}), 409)
    expert = make_member(Role.EXPERT, user__handle="ivan")
    client = token_client(expert.user)
    assert_problem(send(client, "put", url(community, "/members/ivan/areas"), {"areas": ["espresso"]}), 403)


def test_leaving_the_programme(boss, community, make_member, espresso):
    expert = make_member(Role.EXPERT, user__handle="ivan")
    ExpertArea.objects.create(community=community, user=expert.user, tag=espresso)
    ambassador = make_member(Role.AMBASSADOR, user__handle="joana")
    assert_problem(token_client(expert.user).delete(url(community, "/programme/members/joana")), 403)
    body = token_client(expert.user).delete(url(community, "/programme/members/ivan")).json()
    assert body["role"] == "member"
    assert not ExpertArea.objects.exists()
    assert boss.delete(url(community, "/programme/members/joana")).json()["role"] == "member"
    assert_problem(boss.delete(url(community, "/programme/members/joana")), 409)
    assert Membership.objects.get(pk=ambassador.pk).role == Role.MEMBER
