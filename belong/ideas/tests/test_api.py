"""The idea board's API: ideas, votes, statuses, merging, the roadmap, the changelog and beta groups."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.api.tests.helpers import API, assert_problem, queries_for, send, session_client, token_client
from belong.communities.models import Role, SpaceAccess, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations.models import Thread
from belong.conversations.tests.factories import ProductFactory
from belong.core.richtext import MAX_BODY_CHARS
from belong.ideas import actions
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaVote,
    Importance,
    StatusChange,
)
from belong.ideas.queries import trending_window
from belong.ideas.tests.factories import IdeaCategoryFactory, IdeaFactory, IdeaVoteFactory

pytestmark = pytest.mark.django_db

# Session and user, community, membership, visible spaces, the page of ideas, the caller's votes.
QUERY_BUDGET = 12

TITLES = {
    "bg": "Приложение за поръчка на кафе",
    "pt": "Aplicação para encomendar café",
    "af": "Toepassing om koffie te bestel",
}
DESCRIPTIONS = {
    "bg": "Искам да поръчвам **кафе** от телефона си. Благодаря!",
    "pt": "Quero encomendar **café** pelo telemóvel, por favor. Obrigado, ação!",
    "af": "Ek wil **koffie** van my foon af bestel. Dankie, ná ete.",
}
SORTS = ("trending", "top", "new", "active")


def url(community, suffix=""):
    return f"{API}/communities/{community.slug}{suffix}"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def walk(client, address, params, *, page_size=2, key=lambda row: row["id"]):
    """Every page of a list, following next_cursor; returns the rows' keys in order and the last page."""
    seen, cursor, pages = [], None, 0
    while True:
        query = {**params, "page_size": page_size, **({"cursor": cursor} if cursor else {})}
        response = client.get(address, query)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [key(row) for row in body["results"]]
        pages += 1
        assert pages < 50
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, body


def make_idea(space, *, votes=0, old_votes=0, title=None, **kwargs):
    """An idea with `votes` votes cast now and `old_votes` cast before the trending window."""
    idea = IdeaFactory(thread__space=space, **({"thread__title": title} if title else {}), **kwargs)
    for _ in range(votes):
        IdeaVoteFactory(idea=idea)
    before = timezone.now() - trending_window() - timedelta(days=1)
    for _ in range(old_votes):
        IdeaVote.objects.filter(pk=IdeaVoteFactory(idea=idea).pk).update(created_at=before)
    actions._recount_votes(idea)
    return idea


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


@pytest.fixture
def moderator_client(moderator):
    return session_client(moderator.user)


@pytest.fixture
def staff(make_member):
    return make_member(Role.STAFF)


@pytest.fixture
def staff_client(staff):
    return session_client(staff.user)


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER)


@pytest.fixture
def other_client(other):
    return session_client(other.user)


@pytest.fixture
def idea(member, space):
    return actions.propose_idea(
        author=member.user, space=space, title="Grinder presets", description="Let me **save** grind settings."
    )


def ship(staff, idea, note=""):
    return actions.change_status(actor=staff.user, idea=idea, status="shipped", note=note)


# The board


def test_anyone_lists_the_ideas_of_public_spaces(anonymous, community, space, idea):
    hidden_space = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    IdeaFactory(thread__space=hidden_space)
    response = anonymous.get(url(community, "/ideas"))
    assert ids(response) == [idea.pk]
    row = response.json()["results"][0]
    assert (row["title"], row["thread_id"], row["vote_count"], row["my_vote"]) == ("Grinder presets", idea.pk, 1, None)
    assert (row["status"]["key"], row["status"]["is_open"], row["space"]["slug"]) == ("new", True, space.slug)
    assert (row["reply_count"], row["is_hidden"], row["is_locked"], row["merged_into_id"]) == (0, False, False, None)
    assert response.json()["next_cursor"] is None


def test_the_list_shows_the_callers_vote(member_client, other_client, community, idea, other):
    assert member_client.get(url(community, "/ideas")).json()["results"][0]["my_vote"] == {"importance": None}
    assert other_client.get(url(community, "/ideas")).json()["results"][0]["my_vote"] is None
    actions.vote(user=other.user, idea=idea, importance=Importance.CRITICAL)
    assert other_client.get(url(community, "/ideas")).json()["results"][0]["my_vote"] == {"importance": "critical"}


def test_the_board_sorts_by_votes_in_the_trending_window_then_all_votes(anonymous, community, space):
    steady = make_idea(space, old_votes=5)
    rising = make_idea(space, votes=3)
    quiet = make_idea(space, votes=1, old_votes=1)
    fresh = make_idea(space)
    assert ids(anonymous.get(url(community, "/ideas"))) == [rising.pk, quiet.pk, steady.pk, fresh.pk]
    assert ids(anonymous.get(url(community, "/ideas"), {"sort": "top"})) == [steady.pk, rising.pk, quiet.pk, fresh.pk]
    assert ids(anonymous.get(url(community, "/ideas"), {"sort": "new"})) == [fresh.pk, quiet.pk, rising.pk, steady.pk]
    Thread.objects.filter(pk=steady.pk).update(last_activity_at=timezone.now() + timedelta(hours=1))
    assert ids(anonymous.get(url(community, "/ideas"), {"sort": "active"}))[0] == steady.pk


@pytest.mark.parametrize("sort", SORTS)
def test_a_cursor_walks_every_page_once_in_the_order_of_the_whole_list(member_client, community, space, sort):
    # Ties on every sort key but the id, so only a keyset over the whole ordering keeps pages apart.
    for votes, old in [(2, 0), (2, 0), (0, 2), (1, 1), (1, 1), (0, 0), (0, 0), (3, 0), (1, 1)]:
        make_idea(space, votes=votes, old_votes=old)
    moment = timezone.now()
    Thread.objects.filter(community=community).update(last_activity_at=moment)
    whole = ids(member_client.get(url(community, "/ideas"), {"sort": sort, "page_size": 100}))
    paged, last = walk(member_client, url(community, "/ideas"), {"sort": sort})
    assert paged == whole and len(set(paged)) == 9
    back = member_client.get(
        url(community, "/ideas"), {"sort": sort, "page_size": 2, "cursor": last["previous_cursor"]}
    )
    assert ids(back) == whole[-3:-1]


def test_the_board_is_filtered(member_client, community, space, member, staff, other):
    category = IdeaCategoryFactory(community=community, slug="apps")
    product = ProductFactory(community=community, slug="grinder")
    other_space = SpaceFactory(community=community)
    chosen = actions.propose_idea(
        author=member.user,
        space=space,
        title="Aplicação de café",
        description="Para encomendar.",
        category=category,
        product=product,
    )
    actions.change_status(actor=staff.user, idea=chosen, status="planned")
    actions.propose_idea(author=other.user, space=other_space, title="Kaffee", description="Nein.")

    for params in (
        {"status": "planned"},
        {"category": "apps"},
        {"product": "grinder"},
        {"space": space.slug},
        {"author": member.user.handle.upper()},
        {"q": "aplicação"},
        {"voted": "me"},
    ):
        assert ids(member_client.get(url(community, "/ideas"), params)) == [chosen.pk], params
    assert ids(member_client.get(url(community, "/ideas"), {"status": "shipped"})) == []


def test_merged_ideas_leave_the_board(member_client, community, space, moderator):
    kept, duplicate = make_idea(space), make_idea(space)
    actions.merge_ideas(actor=moderator.user, source=duplicate, target=kept)
    assert ids(member_client.get(url(community, "/ideas"))) == [kept.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "best"}, "sort"),
        ({"voted": "you"}, "voted"),
        ({"space": "nowhere"}, "space"),
        ({"cursor": "bad"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'{"v":["x",1,2,3],"b":false}').decode()}, "cursor"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_bad_board_filters_are_a_422_problem(member_client, community, idea, params, field):
    assert field in assert_problem(member_client.get(url(community, "/ideas"), params), 422)["errors"]


def test_ideas_one_voted_for_need_a_signed_in_caller(anonymous, community, idea):
    assert_problem(anonymous.get(url(community, "/ideas"), {"voted": "me"}), 401)


def test_the_board_of_an_unknown_community_is_a_404_problem(anonymous):
    assert_problem(anonymous.get(f"{API}/communities/nowhere/ideas"), 404)


@pytest.mark.parametrize("sort", SORTS)
def test_the_board_costs_the_same_queries_for_15_ideas_as_for_3(member_client, community, space, member, sort):
    category = IdeaCategoryFactory(community=community)
    product = ProductFactory(community=community)

    def make(count):
        for _ in range(count):
            idea = make_idea(space, votes=1, old_votes=1, category=category, product=product)
            IdeaVoteFactory(idea=idea, user=member.user)

    make(3)
    address = url(community, f"/ideas?page_size=50&sort={sort}")
    few = queries_for(member_client, address)
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(member_client, address) == few


# Proposing


@pytest.mark.parametrize("language", sorted(TITLES))
def test_a_member_proposes_an_idea_in_their_language_with_a_token(community, space, member, language):
    client = token_client(member.user)
    category = IdeaCategoryFactory(community=community, slug="apps")
    payload = {"space": space.slug, "title": TITLES[language], "description": DESCRIPTIONS[language]}
    response = send(client, "post", url(community, "/ideas"), {**payload, "category": "apps"})
    assert response.status_code == 201, response.content
    body = response.json()
    idea = Idea.objects.get()
    assert (body["id"], body["thread_id"], body["title"], body["description"]) == (
        idea.pk,
        idea.pk,
        TITLES[language],
        DESCRIPTIONS[language],
    )
    assert "<strong>" in body["description_html"] and "**" not in body["description_html"]
    assert (body["vote_count"], body["my_vote"], body["status"]["key"]) == (1, {"importance": None}, "new")
    assert (body["category"]["id"], body["author"]["handle"]) == (category.pk, member.user.handle)
    assert body["importance_counts"] is None
    assert body["links"]["thread"] == url(community, f"/threads/{idea.pk}")
    assert body["links"]["posts"] == url(community, f"/threads/{idea.pk}/posts")
    assert str(idea.pk) in body["links"]["page"] and not body["links"]["page"].startswith(API)
    assert ids(client.get(url(community, "/ideas"), {"q": TITLES[language][:8]})) == [idea.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * (MAX_BODY_CHARS + 1)}, "description"),
        ({"space": "nowhere"}, "space"),
        ({"category": "nothing"}, "category"),
        ({"product": "nothing"}, "product"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_proposing_with_invalid_fields_is_a_422_problem(member_client, community, space, change, field):
    payload = {"space": space.slug, "title": "Presets", "description": "Please.", **change}
    body = assert_problem(send(member_client, "post", url(community, "/ideas"), payload), 422)
    assert field in body["errors"]
    assert not Idea.objects.exists() and not Thread.objects.exists()


def test_proposing_needs_a_signed_in_member_and_a_write_token(anonymous, user, member, community, space):
    payload = {"space": space.slug, "title": "Presets", "description": "Please."}
    assert_problem(send(anonymous, "post", url(community, "/ideas"), payload), 401)
    assert_problem(send(session_client(user), "post", url(community, "/ideas"), payload), 403)
    assert_problem(send(token_client(member.user, scopes=("read",)), "post", url(community, "/ideas"), payload), 403)
    assert_problem(send(Client(headers={"Authorization": "Bearer blg_nope"}), "post", url(community, "/ideas")), 401)
    assert not Idea.objects.exists()


# One idea


def test_anyone_reads_an_idea_and_a_read_token_too(anonymous, member, community, idea):
    for client in (anonymous, token_client(member.user, scopes=("read",))):
        response = client.get(url(community, f"/ideas/{idea.pk}"))
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["title"], body["description"], body["importance_counts"]) == (
            "Grinder presets",
            "Let me **save** grind settings.",
            None,
        )
        assert body["created_at"] and body["status_changed_at"] and body["shipped_at"] is None
    assert body["my_vote"] == {"importance": None}


def test_the_brand_sees_the_importance_breakdown(staff_client, community, idea, make_member):
    for importance in (Importance.CRITICAL, Importance.CRITICAL, Importance.IMPORTANT):
        actions.vote(user=make_member().user, idea=idea, importance=importance)
    body = staff_client.get(url(community, f"/ideas/{idea.pk}")).json()
    assert body["importance_counts"] == {"": 1, "nice_to_have": 0, "important": 1, "critical": 2}
    assert body["vote_count"] == 4


def test_an_unknown_or_hidden_idea_is_a_404_problem(other_client, moderator_client, moderator, community, idea):
    assert_problem(other_client.get(url(community, "/ideas/999999")), 404)
    for absurd in ("similar-ones", "0", str(2**70)):
        assert "idea_id" in assert_problem(other_client.get(url(community, f"/ideas/{absurd}")), 422)["errors"]
    actions.moderate_idea(actor=moderator.user, idea=idea, hidden=True)
    assert_problem(other_client.get(url(community, f"/ideas/{idea.pk}")), 404)
    assert moderator_client.get(url(community, f"/ideas/{idea.pk}")).json()["is_hidden"] is True


def test_the_author_edits_an_idea(member_client, community, idea):
    category = IdeaCategoryFactory(community=community, slug="apps")
    product = ProductFactory(community=community, slug="grinder")
    change = {"title": TITLES["bg"], "description": DESCRIPTIONS["af"], "category": "apps", "product": "grinder"}
    response = send(member_client, "patch", url(community, f"/ideas/{idea.pk}"), change)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["description"]) == (TITLES["bg"], DESCRIPTIONS["af"])
    assert (body["category"]["id"], body["product"]["id"]) == (category.pk, product.pk)
    response = send(member_client, "patch", url(community, f"/ideas/{idea.pk}"), {"category": ""})
    assert response.json()["category"] is None and response.json()["product"]["id"] == product.pk
    assert Idea.objects.get().category is None


def test_a_moderator_hides_and_locks_an_idea(moderator_client, other_client, community, idea):
    response = send(moderator_client, "patch", url(community, f"/ideas/{idea.pk}"), {"is_locked": True})
    assert response.status_code == 200, response.content
    assert (response.json()["is_locked"], response.json()["is_hidden"]) == (True, False)
    response = send(moderator_client, "patch", url(community, f"/ideas/{idea.pk}"), {"is_hidden": True})
    assert response.json()["is_hidden"] is True
    assert_problem(other_client.get(url(community, f"/ideas/{idea.pk}")), 404)


def test_an_author_cannot_hide_their_idea_and_nothing_is_half_written(member_client, community, idea):
    response = send(member_client, "patch", url(community, f"/ideas/{idea.pk}"), {"title": "New", "is_hidden": True})
    assert_problem(response, 403)
    thread = Thread.objects.get(pk=idea.pk)
    assert (thread.title, thread.is_hidden) == ("Grinder presets", False)
    assert not thread.posts.get().revisions.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"description": "  "}, "description"),
        ({"category": "nothing"}, "category"),
        ({"product": "nothing"}, "product"),
        ({"status": "shipped"}, "status"),
    ],
)
def test_bad_idea_changes_are_a_422_problem(member_client, community, idea, change, field):
    response = send(member_client, "patch", url(community, f"/ideas/{idea.pk}"), change)
    assert field in assert_problem(response, 422)["errors"]
    assert Thread.objects.get(pk=idea.pk).title == "Grinder presets"


def test_others_cannot_edit_an_idea(other_client, anonymous, community, idea):
    assert_problem(send(other_client, "patch", url(community, f"/ideas/{idea.pk}"), {"title": "Mine"}), 403)
    assert_problem(send(other_client, "patch", url(community, f"/ideas/{idea.pk}"), {}), 403)
    assert_problem(send(anonymous, "patch", url(community, f"/ideas/{idea.pk}"), {"title": "Mine"}), 401)


# The discussion: the conversations endpoints, with the idea's id as the thread's


def test_replies_to_an_idea_go_through_the_thread_endpoints(other_client, anonymous, community, idea):
    response = send(other_client, "post", url(community, f"/threads/{idea.pk}/posts"), {"body": DESCRIPTIONS["pt"]})
    assert response.status_code == 201, response.content
    posts = anonymous.get(url(community, f"/threads/{idea.pk}/posts")).json()["results"]
    assert [post["body"] for post in posts] == ["Let me **save** grind settings.", DESCRIPTIONS["pt"]]
    assert anonymous.get(url(community, f"/threads/{idea.pk}")).json()["kind"] == "idea"
    assert anonymous.get(url(community, f"/ideas/{idea.pk}")).json()["reply_count"] == 1


def test_an_idea_cannot_be_started_as_a_plain_thread(member_client, community, space):
    payload = {"space": space.slug, "kind": "idea", "title": "Sneaky", "body": "No votes."}
    assert "kind" in assert_problem(send(member_client, "post", url(community, "/threads"), payload), 422)["errors"]


# Votes


def test_a_member_votes_changes_the_importance_and_withdraws(other, community, idea):
    client = token_client(other.user)
    address = url(community, f"/ideas/{idea.pk}/vote")
    response = client.put(address)  # the body is optional
    assert response.status_code == 200, response.content
    assert (response.json()["vote_count"], response.json()["my_vote"]) == (2, {"importance": None})
    assert send(client, "put", address, {}).json()["vote_count"] == 2
    response = send(client, "put", address, {"importance": "critical"})
    assert (response.json()["vote_count"], response.json()["my_vote"]) == (2, {"importance": "critical"})
    assert IdeaVote.objects.get(user=other.user).importance == Importance.CRITICAL
    response = client.delete(address)
    assert response.status_code == 200, response.content
    assert (response.json()["vote_count"], response.json()["my_vote"]) == (1, None)
    assert client.delete(address).json()["vote_count"] == 1


def test_voting_with_a_bad_body_is_a_422_problem(other_client, community, idea):
    address = url(community, f"/ideas/{idea.pk}/vote")
    assert "importance" in assert_problem(send(other_client, "put", address, {"importance": "meh"}), 422)["errors"]
    assert "weight" in assert_problem(send(other_client, "put", address, {"weight": 3}), 422)["errors"]
    assert IdeaVote.objects.count() == 1


def test_voting_on_an_absurd_id_is_a_422_problem(other_client, community):
    for absurd in (0, 2**70):
        response = send(other_client, "put", url(community, f"/ideas/{absurd}/vote"), {})
        assert "idea_id" in assert_problem(response, 422)["errors"], absurd
    assert_problem(other_client.delete(url(community, "/ideas/999999/vote")), 404)


def test_voting_needs_a_signed_in_member(anonymous, user, community, idea):
    address = url(community, f"/ideas/{idea.pk}/vote")
    assert_problem(send(anonymous, "put", address, {}), 401)
    assert_problem(send(session_client(user), "put", address, {}), 403)
    assert_problem(send(anonymous, "put", url(community, "/ideas/999999/vote"), {}), 401)
    assert IdeaVote.objects.count() == 1


def test_a_shipped_idea_takes_no_votes(other_client, community, idea, staff):
    ship(staff, idea)
    assert_problem(send(other_client, "put", url(community, f"/ideas/{idea.pk}/vote"), {}), 409)
    assert_problem(other_client.delete(url(community, f"/ideas/{idea.pk}/vote")), 409)


def test_a_hidden_or_locked_idea_takes_no_votes(moderator_client, member_client, community, idea, moderator):
    actions.moderate_idea(actor=moderator.user, idea=idea, locked=True)
    assert_problem(send(moderator_client, "put", url(community, f"/ideas/{idea.pk}/vote"), {}), 409)
    actions.moderate_idea(actor=moderator.user, idea=idea, locked=False, hidden=True)
    assert_problem(send(moderator_client, "put", url(community, f"/ideas/{idea.pk}/vote"), {}), 409)
    assert_problem(member_client.delete(url(community, f"/ideas/{idea.pk}/vote")), 409)
    assert IdeaVote.objects.count() == 1


def test_a_merged_idea_takes_no_votes(other_client, community, space, moderator):
    kept, duplicate = make_idea(space), make_idea(space)
    actions.merge_ideas(actor=moderator.user, source=duplicate, target=kept)
    assert_problem(send(other_client, "put", url(community, f"/ideas/{duplicate.pk}/vote"), {}), 409)


def test_the_brand_lists_the_voters_page_by_page(staff, community, idea, make_member):
    voters = [make_member().user for _ in range(4)]
    for voter in voters:
        actions.vote(user=voter, idea=idea, importance=Importance.IMPORTANT)
    client = token_client(staff.user, scopes=("read",))
    paged, _last = walk(client, url(community, f"/ideas/{idea.pk}/voters"), {}, key=lambda row: row["person"]["id"])
    assert sorted(paged) == sorted(IdeaVote.objects.values_list("user_id", flat=True)) and len(paged) == 5
    first = client.get(url(community, f"/ideas/{idea.pk}/voters")).json()["results"][0]
    assert (first["person"]["handle"], first["importance"]) == (voters[-1].handle, "important")


def test_members_cannot_list_voters(member_client, anonymous, community, idea):
    assert_problem(member_client.get(url(community, f"/ideas/{idea.pk}/voters")), 403)
    assert_problem(anonymous.get(url(community, f"/ideas/{idea.pk}/voters")), 401)


# Status changes and history


@pytest.mark.parametrize("language", sorted(DESCRIPTIONS))
def test_the_brand_moves_an_idea_with_a_public_note(staff_client, anonymous, community, idea, language):
    address = url(community, f"/ideas/{idea.pk}/status")
    response = send(staff_client, "post", address, {"status": "planned", "note": DESCRIPTIONS[language]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_status"]["key"], body["to_status"]["key"], body["idea_id"]) == ("new", "planned", idea.pk)
    assert body["note"] == DESCRIPTIONS[language] and "<strong>" in body["note_html"]
    history = anonymous.get(url(community, f"/ideas/{idea.pk}/history")).json()["results"]
    assert [change["id"] for change in history] == [StatusChange.objects.get().pk]
    assert anonymous.get(url(community, f"/ideas/{idea.pk}")).json()["status"]["key"] == "planned"


def test_shipping_sets_the_shipped_time(staff_client, community, idea):
    response = send(staff_client, "post", url(community, f"/ideas/{idea.pk}/status"), {"status": "shipped"})
    assert response.status_code == 201, response.content
    assert staff_client.get(url(community, f"/ideas/{idea.pk}")).json()["shipped_at"] is not None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "launched"}, "status"),
        ({"status": ""}, "status"),
        ({}, "status"),
        ({"status": "planned", "note": "x" * (MAX_BODY_CHARS + 1)}, "note"),
        ({"status": "planned", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_status_change_is_a_422_problem(staff_client, community, idea, payload, field):
    response = send(staff_client, "post", url(community, f"/ideas/{idea.pk}/status"), payload)
    assert field in assert_problem(response, 422)["errors"]
    assert not StatusChange.objects.exists()


def test_members_cannot_change_a_status_nor_the_brand_to_the_same_one(member_client, staff_client, community, idea):
    address = url(community, f"/ideas/{idea.pk}/status")
    assert_problem(send(member_client, "post", address, {"status": "planned"}), 403)
    assert_problem(send(Client(), "post", address, {"status": "planned"}), 401)
    assert_problem(send(staff_client, "post", address, {"status": "new"}), 409)
    assert not StatusChange.objects.exists()


def test_the_history_is_paged_latest_first(staff, anonymous, community, idea):
    for key in ("under_review", "planned", "in_progress", "planned", "shipped"):
        actions.change_status(actor=staff.user, idea=idea, status=key)
    paged, _last = walk(anonymous, url(community, f"/ideas/{idea.pk}/history"), {})
    assert paged == list(StatusChange.objects.order_by("-created_at", "-id").values_list("pk", flat=True))


# Merging


def test_a_moderator_merges_a_duplicate(moderator_client, anonymous, community, space, make_member):
    kept, duplicate = make_idea(space, votes=2), make_idea(space, votes=3)
    response = send(moderator_client, "post", url(community, f"/ideas/{duplicate.pk}/merge"), {"target": kept.pk})
    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["vote_count"]) == (kept.pk, 5)
    assert anonymous.get(url(community, f"/ideas/{duplicate.pk}")).json()["merged_into_id"] == kept.pk


def test_merging_into_a_merged_idea_lands_on_the_one_that_stands(moderator, moderator_client, community, space):
    first, second, third = make_idea(space), make_idea(space), make_idea(space)
    actions.merge_ideas(actor=moderator.user, source=second, target=first)
    response = send(moderator_client, "post", url(community, f"/ideas/{third.pk}/merge"), {"target": second.pk})
    assert response.json()["id"] == first.pk


def test_merging_into_itself_or_in_a_loop_is_a_422_problem(moderator, moderator_client, community, space):
    first, second = make_idea(space), make_idea(space)
    address = url(community, f"/ideas/{first.pk}/merge")
    assert "target" in assert_problem(send(moderator_client, "post", address, {"target": first.pk}), 422)["errors"]
    for target in (999999, 2**70, "2", None):
        response = send(moderator_client, "post", address, {"target": target})
        assert "target" in assert_problem(response, 422)["errors"], target
    assert "target" in assert_problem(send(moderator_client, "post", address, {}), 422)["errors"]
    actions.merge_ideas(actor=moderator.user, source=first, target=second)
    loop = url(community, f"/ideas/{second.pk}/merge")
    assert "target" in assert_problem(send(moderator_client, "post", loop, {"target": first.pk}), 422)["errors"]
    assert Idea.objects.get(pk=second.pk).merged_into_id is None


def test_members_cannot_merge(member_client, community, space):
    first, second = make_idea(space), make_idea(space)
    response = send(member_client, "post", url(community, f"/ideas/{first.pk}/merge"), {"target": second.pk})
    assert_problem(response, 403)
    assert not Idea.objects.filter(merged_into__isnull=False).exists()


# Similar ideas


def test_similar_ideas_are_found_in_any_language(anonymous, community, space):
    coffee = [make_idea(space, title=title) for title in TITLES.values()]
    make_idea(space, title="Darker packaging")
    for language, title in TITLES.items():
        response = anonymous.get(url(community, "/ideas/similar"), {"text": title.replace("café", "cafés")})
        assert response.status_code == 200, response.content
        found = response.json()
        assert found[0]["id"] == coffee[list(TITLES).index(language)].pk, language
        assert 0 < found[0]["similarity"] <= 1 and found[0]["my_vote"] is None
    excluded = anonymous.get(url(community, "/ideas/similar"), {"text": TITLES["pt"], "exclude": coffee[1].pk}).json()
    assert coffee[1].pk not in [row["id"] for row in excluded]
    assert anonymous.get(url(community, "/ideas/similar"), {"text": "ab"}).json() == []


@pytest.mark.parametrize(
    ("params", "field"), [({}, "text"), ({"text": ""}, "text"), ({"text": "cafe", "limit": 100}, "limit")]
)
def test_a_bad_similarity_search_is_a_422_problem(anonymous, community, params, field):
    assert field in assert_problem(anonymous.get(url(community, "/ideas/similar"), params), 422)["errors"]


# The roadmap and the changelog


def test_the_roadmap_has_a_column_per_roadmap_status(member_client, community, space, staff, member):
    planned = [make_idea(space, votes=n) for n in (1, 3)]
    for idea in planned:
        actions.change_status(actor=staff.user, idea=idea, status="planned")
    shipped = make_idea(space)
    ship(staff, shipped)
    make_idea(space)  # new: not on the roadmap
    IdeaVoteFactory(idea=planned[0], user=member.user, importance=Importance.IMPORTANT)
    response = member_client.get(url(community, "/roadmap"))
    assert response.status_code == 200, response.content
    columns = {column["status"]["key"]: column for column in response.json()}
    assert list(columns) == ["under_review", "planned", "in_progress", "shipped"]
    assert [idea["id"] for idea in columns["planned"]["ideas"]] == [planned[1].pk, planned[0].pk]
    assert (columns["planned"]["total"], columns["shipped"]["total"], columns["in_progress"]["total"]) == (2, 1, 0)
    assert columns["planned"]["ideas"][1]["my_vote"] == {"importance": "important"}


def test_the_changelog_lists_shipped_ideas_with_their_note(anonymous, community, space, staff):
    first, second = make_idea(space), make_idea(space)
    ship(staff, first, note=DESCRIPTIONS["bg"])
    ship(staff, second, note=DESCRIPTIONS["af"])
    make_idea(space)
    response = anonymous.get(url(community, "/changelog"))
    assert ids(response) == [second.pk, first.pk]
    rows = response.json()["results"]
    assert "<strong>koffie</strong>" in rows[0]["shipped_note_html"]
    assert "<strong>кафе</strong>" in rows[1]["shipped_note_html"]
    assert rows[0]["shipped_at"] is not None


def test_the_changelog_is_paged(anonymous, community, space, staff):
    shipped = [make_idea(space) for _ in range(5)]
    for idea in shipped:
        ship(staff, idea)
    paged, _last = walk(anonymous, url(community, "/changelog"), {})
    assert paged == [idea.pk for idea in reversed(shipped)]


def test_the_roadmap_costs_the_same_queries_for_15_ideas_as_for_3(member_client, community, space, staff):
    statuses = ["under_review", "planned", "in_progress", "shipped"]

    def make(count):
        for n in range(count):
            idea = make_idea(space, votes=1, category=IdeaCategoryFactory(community=community))
            actions.change_status(actor=staff.user, idea=idea, status=statuses[n % 4])

    make(3)
    few = queries_for(member_client, url(community, "/roadmap"))
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(member_client, url(community, "/roadmap")) == few


def test_the_changelog_costs_the_same_queries_for_15_ideas_as_for_3(member_client, community, space, staff):
    product = ProductFactory(community=community)

    def make(count):
        for _ in range(count):
            ship(staff, make_idea(space, votes=1, product=product), note="Done.")

    make(3)
    few = queries_for(member_client, url(community, "/changelog?page_size=50"))
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(member_client, url(community, "/changelog?page_size=50")) == few


# Statuses


def test_anyone_lists_the_workflow_in_order(anonymous, community):
    response = anonymous.get(url(community, "/ideas/statuses"))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["key"] for row in rows] == ["new", "under_review", "planned", "in_progress", "shipped", "declined"]
    assert (rows[0]["is_initial"], rows[0]["label"], rows[4]["is_shipped"], rows[4]["is_open"]) == (
        True,
        "New",
        True,
        False,
    )


def test_managers_add_rename_and_delete_statuses(manager, community, idea):
    client = token_client(manager.user)
    payload = {"key": "Em teste", "name": "Em teste", "on_roadmap": True, "position": 4}
    response = send(client, "post", url(community, "/ideas/statuses"), payload)
    assert response.status_code == 201, response.content
    assert (response.json()["key"], response.json()["label"], response.json()["on_roadmap"]) == (
        "em_teste",
        "Em teste",
        True,
    )
    assert_problem(send(client, "post", url(community, "/ideas/statuses"), {"key": "em_teste"}), 409)
    response = send(client, "patch", url(community, "/ideas/statuses/planned"), {"name": "Beplan"})
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["label"]) == ("Beplan", "Beplan")
    response = client.delete(url(community, "/ideas/statuses/em_teste"))
    assert response.status_code == 200, response.content
    assert "em_teste" not in [row["key"] for row in response.json()]
    assert_problem(client.delete(url(community, "/ideas/statuses/new")), 409)
    assert_problem(client.delete(url(community, "/ideas/statuses/em_teste")), 404)
    assert_problem(send(client, "patch", url(community, "/ideas/statuses/nothing"), {"name": "X"}), 404)


def test_a_status_with_the_key_of_an_idea_address_is_still_a_status(manager_client, community, idea):
    response = send(manager_client, "post", url(community, "/ideas/statuses"), {"key": "vote"})
    assert response.status_code == 201, response.content
    response = send(manager_client, "patch", url(community, "/ideas/statuses/vote"), {"name": "Stemming"})
    assert response.json()["label"] == "Stemming"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"key": ""}, "key"),
        ({"key": "---"}, "key"),
        ({"key": "live", "is_shipped": True}, "is_open"),
        ({"key": "live", "position": -1}, "position"),
        ({"key": "live", "colour": "red"}, "colour"),
        ({"key": "live", "is_initial": 0}, "is_initial"),
        ({"key": "live", "position": False}, "position"),
    ],
)
def test_a_bad_status_is_a_422_problem(manager_client, community, payload, field):
    response = send(manager_client, "post", url(community, "/ideas/statuses"), payload)
    assert field in assert_problem(response, 422)["errors"]
    assert not IdeaStatus.objects.filter(key="live").exists()


def test_members_cannot_change_the_workflow(member_client, community):
    assert_problem(send(member_client, "post", url(community, "/ideas/statuses"), {"key": "mine"}), 403)
    assert_problem(send(member_client, "patch", url(community, "/ideas/statuses/new"), {"name": "X"}), 403)
    assert_problem(member_client.delete(url(community, "/ideas/statuses/declined")), 403)
    assert_problem(send(Client(), "post", url(community, "/ideas/statuses"), {"key": "mine"}), 401)
    assert IdeaStatus.objects.filter(community=community).count() == 6


def test_the_initial_status_cannot_be_unmarked_nor_nulled(manager_client, community):
    address = url(community, "/ideas/statuses/new")
    assert "is_initial" in assert_problem(send(manager_client, "patch", address, {"is_initial": False}), 422)["errors"]
    assert "name" in assert_problem(send(manager_client, "patch", address, {"name": None}), 422)["errors"]


# Categories


def test_managers_keep_the_categories(manager_client, anonymous, community, idea):
    response = send(manager_client, "post", url(community, "/ideas/categories"), {"name": "Кафемашини"})
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    assert slug == "кафемашини"
    send(manager_client, "post", url(community, "/ideas/categories"), {"name": "Aplicação", "slug": "app"})
    assert_problem(send(manager_client, "post", url(community, "/ideas/categories"), {"name": "Кафемашини"}), 409)
    listed = anonymous.get(url(community, "/ideas/categories")).json()["results"]
    assert [row["name"] for row in listed] == ["Кафемашини", "Aplicação"]
    response = send(manager_client, "patch", url(community, f"/ideas/categories/{slug}"), {"name": "Koffiemasjiene"})
    assert (response.json()["name"], response.json()["slug"]) == ("Koffiemasjiene", slug)
    Idea.objects.filter(pk=idea.pk).update(category=IdeaCategory.objects.get(slug=slug))
    response = manager_client.delete(url(community, f"/ideas/categories/{slug}"))
    assert [row["slug"] for row in response.json()] == ["app"]
    assert Idea.objects.get(pk=idea.pk).category is None
    assert_problem(manager_client.delete(url(community, f"/ideas/categories/{slug}")), 404)


def test_bad_or_unallowed_category_changes_are_refused(manager_client, member_client, community):
    IdeaCategoryFactory(community=community, slug="apps")
    assert (
        "name"
        in assert_problem(send(manager_client, "post", url(community, "/ideas/categories"), {"name": ""}), 422)[
            "errors"
        ]
    )
    for position in (-1, False, "2"):
        response = send(manager_client, "patch", url(community, "/ideas/categories/apps"), {"position": position})
        assert "position" in assert_problem(response, 422)["errors"], position
    assert_problem(send(member_client, "post", url(community, "/ideas/categories"), {"name": "Mine"}), 403)
    assert_problem(send(member_client, "patch", url(community, "/ideas/categories/apps"), {"name": "Mine"}), 403)
    assert_problem(member_client.delete(url(community, "/ideas/categories/apps")), 403)
    assert IdeaCategory.objects.get().name.startswith("Category")


# Private beta groups


@pytest.fixture
def group(manager, community, idea):
    return actions.create_beta_group(actor=manager.user, community=community, name="Presets beta", idea=idea)


def test_a_manager_opens_a_group_and_invites_members(manager_client, community, idea, other, member):
    product = ProductFactory(community=community, slug="grinder")
    payload = {"name": "Бета на мелничката", "description": "Toets", "idea": idea.pk, "product": "grinder"}
    response = send(manager_client, "post", url(community, "/beta-groups"), payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["idea"]["id"], body["product"]["id"], body["member_count"], body["invitations"]) == (
        idea.pk,
        product.pk,
        0,
        [],
    )
    group = BetaGroup.objects.get()
    assert group.space.visibility == SpaceVisibility.RESTRICTED and body["space"]["slug"] == group.space.slug
    address = url(community, f"/beta-groups/{group.pk}/invitations")
    invite = {"members": [other.user.handle.upper(), "@" + member.user.handle], "message": "Bem-vindo!"}
    response = send(manager_client, "post", address, invite)
    assert response.status_code == 201, response.content
    assert sorted(row["person"]["handle"] for row in response.json()) == sorted([other.user.handle, member.user.handle])
    assert {row["state"] for row in response.json()} == {"invited"}
    assert_problem(send(manager_client, "post", address, {"members": [other.user.handle]}), 409)
    listed = manager_client.get(url(community, "/beta-groups")).json()["results"]
    assert [row["id"] for row in listed] == [group.pk]


def test_an_invited_member_accepts_and_enters_the_group(other, other_client, manager_client, community, group):
    [invitation] = actions.invite_to_beta(actor=group.created_by, group=group, users=[other.user])
    assert_problem(other_client.get(url(community, f"/beta-groups/{group.pk}")), 404)
    assert other_client.get(url(community, "/beta-groups")).json()["results"] == []
    pending = other_client.get(url(community, "/beta-invitations")).json()["results"]
    assert [row["id"] for row in pending] == [invitation.pk]
    assert pending[0]["group"]["name"] == "Presets beta"
    response = other_client.post(url(community, f"/beta-invitations/{invitation.pk}/accept"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert SpaceAccess.objects.filter(space=group.space, user=other.user).exists()
    body = other_client.get(url(community, f"/beta-groups/{group.pk}")).json()
    assert (body["member_count"], body["invitations"]) == (1, None)
    assert (
        manager_client.get(url(community, f"/beta-groups/{group.pk}")).json()["invitations"][0]["state"] == "accepted"
    )
    assert other_client.get(url(community, "/beta-invitations")).json()["results"] == []
    assert_problem(other_client.post(url(community, f"/beta-invitations/{invitation.pk}/accept")), 409)


def test_a_member_declines_and_the_manager_removes(
    other, other_client, member, member_client, manager_client, community, group
):
    declined, accepted = actions.invite_to_beta(actor=group.created_by, group=group, users=[other.user, member.user])
    response = other_client.post(url(community, f"/beta-invitations/{declined.pk}/decline"))
    assert response.json()["state"] == "declined"
    assert_problem(member_client.post(url(community, f"/beta-invitations/{declined.pk}/accept")), 404)
    member_client.post(url(community, f"/beta-invitations/{accepted.pk}/accept"))
    assert_problem(member_client.delete(url(community, f"/beta-invitations/{accepted.pk}")), 403)
    response = manager_client.delete(url(community, f"/beta-invitations/{accepted.pk}"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "removed"
    assert not SpaceAccess.objects.filter(space=group.space, user=member.user).exists()
    assert_problem(member_client.get(url(community, f"/beta-groups/{group.pk}")), 404)
    assert_problem(manager_client.delete(url(community, f"/beta-invitations/{accepted.pk}")), 409)


@pytest.mark.parametrize(
    ("members", "field"), [(["nobody-here"], "members"), ([], "members"), (None, "members"), ("stranger", "members")]
)
def test_inviting_unknown_people_is_a_422_problem(manager_client, community, group, user, members, field):
    handles = [user.handle] if members == "stranger" else members
    payload = {"members": handles} if handles is not None else {}
    response = send(manager_client, "post", url(community, f"/beta-groups/{group.pk}/invitations"), payload)
    assert field in assert_problem(response, 422)["errors"]
    assert not BetaInvitation.objects.exists()


def test_a_group_costs_the_same_queries_for_15_invitations_as_for_3(manager_client, community, group, make_member):
    def make(count):
        actions.invite_to_beta(actor=group.created_by, group=group, users=[make_member().user for _ in range(count)])

    make(3)
    few = queries_for(manager_client, url(community, f"/beta-groups/{group.pk}"))
    assert few <= QUERY_BUDGET
    make(12)
    assert queries_for(manager_client, url(community, f"/beta-groups/{group.pk}")) == few


def test_the_manager_gets_candidates_from_the_data(manager_client, member_client, community, group, other):
    actions.vote(user=other.user, idea=group.idea, importance=Importance.CRITICAL)
    response = manager_client.get(url(community, f"/beta-groups/{group.pk}/candidates"))
    assert response.status_code == 200, response.content
    assert response.json()[0]["person"]["handle"] == other.user.handle and response.json()[0]["reason"]
    assert_problem(member_client.get(url(community, f"/beta-groups/{group.pk}/candidates")), 404)


def test_members_cannot_open_groups_and_bad_groups_are_refused(member_client, manager_client, community):
    assert_problem(send(member_client, "post", url(community, "/beta-groups"), {"name": "Mine"}), 403)
    assert_problem(send(Client(), "post", url(community, "/beta-groups"), {"name": "Mine"}), 401)
    for payload, field in (
        ({"name": ""}, "name"),
        ({"name": "X", "idea": 999999}, "idea"),
        ({"name": "X", "idea": 2**70}, "idea"),
        ({"name": "X", "product": "nothing"}, "product"),
        ({"name": "X", "space": "mine"}, "space"),
    ):
        response = send(manager_client, "post", url(community, "/beta-groups"), payload)
        assert field in assert_problem(response, 422)["errors"], payload
    assert not BetaGroup.objects.exists()


def test_beta_invitations_need_a_signed_in_caller(anonymous, community, group):
    assert_problem(anonymous.get(url(community, "/beta-invitations")), 401)
    assert_problem(anonymous.get(url(community, "/beta-groups")), 401)
    assert_problem(anonymous.post(url(community, "/beta-invitations/1/accept")), 401)


def test_unknown_groups_and_invitations_are_404_problems(manager_client, community):
    for absurd in (999999, 2**70):
        assert_problem(manager_client.get(url(community, f"/beta-groups/{absurd}")), 404)
        assert_problem(manager_client.post(url(community, f"/beta-invitations/{absurd}/accept")), 404)
        assert_problem(manager_client.delete(url(community, f"/beta-invitations/{absurd}")), 404)


# The spec


def test_the_spec_lists_the_idea_operations_with_their_problem_responses():
    spec = json.loads(Client().get(f"{API}/openapi.json").content)
    operations = {
        operation["operationId"]: (method.upper(), operation)
        for methods in spec["paths"].values()
        for method, operation in methods.items()
        if operation.get("tags") == ["ideas"]
    }
    assert len(operations) == 30, sorted(operations)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}
    for operation_id, (method, operation) in operations.items():
        codes = {int(code) for code in operation["responses"]}
        expected = {401, 403, 404, 422} | ({400, 409, 429} if method != "GET" else set())
        assert expected <= codes, operation_id
        for code in expected:
            assert operation["responses"][str(code)]["content"] == problem, (operation_id, code)
        assert operation["summary"] and operation["description"], operation_id
    description = spec["components"]["schemas"]["IdeaIn"]["properties"]["description"]
    assert description["maxLength"] == MAX_BODY_CHARS
    assert "/api/v1/communities/{slug}/ideas/{idea_id}" in spec["paths"]
