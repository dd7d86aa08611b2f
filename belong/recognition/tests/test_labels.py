"""Labels beside authors: rank, "Ambassador", "Expert · areas", for a whole page in two queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from belong.communities.models import MembershipState, Role
from belong.conversations import actions as conversations
from belong.conversations.models import ThreadKind
from belong.conversations.tests.factories import TagFactory
from belong.core.labels import labels_for
from belong.recognition.labels import rank_and_programme
from belong.recognition.models import ExpertArea, PointsBalance
from belong.recognition.tests.factories import RankFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


RANKS = {"bg": "Шампион", "pt": "Campeão", "af": "Kampioen"}


@pytest.fixture
def espresso(community):
    return TagFactory(community=community, name="еспресо", slug="espresso")


@pytest.fixture
def milk(community):
    return TagFactory(community=community, name="leite", slug="leite")


def ranked(community, user, name, total=300):
    rank = RankFactory(community=community, name=name, min_points=total)
    PointsBalance.objects.update_or_create(community=community, user=user, defaults={"total": total, "rank": rank})
    return rank


def texts(found, user):
    return [(label.kind, str(label.text)) for label in found.get(user.pk, [])]


def test_a_members_rank_is_shown_in_the_communitys_words(community, make_member):
    people = {language: make_member().user for language in RANKS}
    for n, (language, name) in enumerate(RANKS.items()):
        ranked(community, people[language], name, total=100 * (n + 1))
    found = rank_and_programme(community.pk, frozenset(p.pk for p in people.values()))
    for language, name in RANKS.items():
        assert texts(found, people[language]) == [("rank", name)]


def test_ambassadors_and_experts_with_their_areas(community, make_member, espresso, milk):
    ambassador = make_member(Role.AMBASSADOR).user
    expert = make_member(Role.EXPERT).user
    bare = make_member(Role.EXPERT).user
    ExpertArea.objects.create(community=community, user=expert, tag=espresso)
    ExpertArea.objects.create(community=community, user=expert, tag=milk)
    ranked(community, expert, "Campeão")
    found = rank_and_programme(community.pk, frozenset({ambassador.pk, expert.pk, bare.pk}))
    assert texts(found, ambassador) == [("ambassador", "Ambassador")]
    kind, text = texts(found, expert)[0]
    assert kind == "expert" and text.startswith("Expert · ") and "еспресо" in text and "leite" in text
    assert texts(found, expert)[1] == ("rank", "Campeão")
    assert "еспресо" in str(found[expert.pk][0].title)
    assert texts(found, bare) == [("expert", "Expert")]


@pytest.mark.parametrize(("language", "word"), [("bg", "Посланик"), ("pt", "Embaixador"), ("af", "Ambassadeur")])
def test_the_programme_label_speaks_the_readers_language(community, make_member, language, word):
    ambassador = make_member(Role.AMBASSADOR).user
    with translation.override(language):
        found = rank_and_programme(community.pk, frozenset({ambassador.pk}))
    assert texts(found, ambassador) == [("ambassador", word)]


def test_plain_members_strangers_and_the_banned_get_no_programme_label(community, make_member, user, espresso):
    plain = make_member().user
    banned = make_member(Role.EXPERT, state=MembershipState.BANNED).user
    ExpertArea.objects.create(community=community, user=banned, tag=espresso)
    found = rank_and_programme(community.pk, frozenset({plain.pk, banned.pk, user.pk}))
    assert found == {}


def test_labels_of_another_community_do_not_leak(community, make_member, espresso):
    from belong.communities.tests.factories import CommunityFactory, MembershipFactory

    expert = make_member(Role.EXPERT).user
    ExpertArea.objects.create(community=community, user=expert, tag=espresso)
    elsewhere = CommunityFactory()
    MembershipFactory(community=elsewhere, user=expert)
    assert rank_and_programme(elsewhere.pk, frozenset({expert.pk})) == {}


def test_the_provider_costs_one_query_without_experts_and_two_with(
    community, make_member, espresso, django_assert_num_queries
):
    people = [make_member(Role.AMBASSADOR).user for _ in range(10)]
    for person in people:
        ranked(community, person, f"Rank {person.pk}", total=person.pk)
    with django_assert_num_queries(1):
        rank_and_programme(community.pk, frozenset(p.pk for p in people))
    experts = [make_member(Role.EXPERT).user for _ in range(10)]
    for person in experts:
        ExpertArea.objects.create(community=community, user=person, tag=espresso)
    with django_assert_num_queries(2):
        found = rank_and_programme(community.pk, frozenset(p.pk for p in people + experts))
    assert len(found) == 20


def test_labels_for_asks_the_provider(community, make_member):
    ambassador = make_member(Role.AMBASSADOR).user
    assert ("ambassador", "Ambassador") in texts(labels_for(community.pk, [ambassador.pk, None]), ambassador)


# --- On the thread page -------------------------------------------------------------------------------


def _page(client: Client, thread) -> tuple[str, int]:
    url = reverse("conversations:thread", args=[thread.community.slug, thread.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_thread_page_shows_labels_and_costs_the_same_for_15_authors_as_for_3(
    community, space, make_member, member, espresso
):
    thread = conversations.create_thread(
        author=member.user, space=space, kind=ThreadKind.QUESTION, title="Каква мелачка?", body="Помогнете, моля."
    )
    client = Client()
    client.force_login(member.user)
    rank = RankFactory(community=community, name="Campeão", min_points=10)

    def add_authors(count: int) -> None:
        for n in range(count):
            membership = make_member(Role.EXPERT if n % 3 == 0 else Role.AMBASSADOR if n % 3 == 1 else Role.MEMBER)
            if membership.role == Role.EXPERT:
                ExpertArea.objects.create(community=community, user=membership.user, tag=espresso)
            PointsBalance.objects.create(community=community, user=membership.user, total=20, rank=rank)
            conversations.create_reply(author=membership.user, thread=thread, body=f"Отговор {n}: дръжте го фино.")

    add_authors(3)
    _page(client, thread)  # the first view records the read
    html, few = _page(client, thread)
    assert "Expert · еспресо" in html and "Ambassador" in html and "Campeão" in html
    assert 'class="badge badge-label badge-expert"' in html and 'class="badge badge-label badge-rank"' in html
    add_authors(12)
    html, many = _page(client, thread)
    assert html.count("badge-label badge-rank") == 15
    assert many == few
