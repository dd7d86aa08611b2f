"""Reads of the idea board: what each list shows, in which order, to whom, and at a fixed query cost."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.communities.actions import grant_space_access
from belong.communities.models import Community, Role, Space, SpaceVisibility
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations.models import Thread
from belong.conversations.tests.factories import ProductFactory
from belong.core.errors import NotFound
from belong.ideas import actions, queries
from belong.ideas.models import BetaInvitationState, Idea, IdeaCategory, IdeaVote, Importance
from belong.ideas.queries import IdeaFilter
from belong.ideas.tests.factories import IdeaCategoryFactory

pytestmark = pytest.mark.django_db


def count_queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def fresh(user: Any) -> Any:
    """The same person in a new request: no cached membership or space accesses."""
    return type(user).objects.get(pk=user.pk) if getattr(user, "pk", None) else AnonymousUser()


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    def make(role: str = Role.MEMBER, **fields: Any) -> User:
        user: User = make_member(role, **fields).user
        return user

    return make


@pytest.fixture
def author(person):
    return person()


@pytest.fixture
def reader(person):
    return person()


@pytest.fixture
def boss(person):
    return person(Role.MANAGER)


@pytest.fixture
def moderator(person):
    return person(Role.MODERATOR)


def propose(author: Any, space: Space, title: str, **fields: Any) -> Idea:
    return actions.propose_idea(author=author, space=space, title=title, description=f"About {title}.", **fields)


def titles(ideas: Any) -> list[str]:
    return [idea.title for idea in ideas]


def add_votes(idea: Idea, people: list[Any], *, days_ago: float = 0) -> None:
    """Vote for the idea as each person, `days_ago` in the past."""
    for user in people:
        actions.vote(user=user, idea=idea)
    if days_ago:
        moment = timezone.now() - timedelta(days=days_ago)
        IdeaVote.objects.filter(idea=idea, user__in=people).update(created_at=moment)


def age(idea: Idea, **delta: float) -> None:
    moment = timezone.now() - timedelta(**delta)
    Idea.objects.filter(pk=idea.pk).update(created_at=moment)
    Thread.objects.filter(pk=idea.pk).update(created_at=moment, last_activity_at=moment)


# --- The board: sorts --------------------------------------------------------------------------


@pytest.fixture
def crowd(person) -> list[Any]:
    return [person() for _ in range(6)]


def test_top_orders_by_votes_then_newest(author, space, crowd, reader):
    few = propose(author, space, "Decaf Sidama")
    many = propose(author, space, "Oat milk")
    newer_tie = propose(author, space, "Bigger cups")
    add_votes(few, crowd[:1])
    add_votes(many, crowd[:4])
    add_votes(newer_tie, crowd[:1])
    board = queries.board(reader, space.community, IdeaFilter(sort="top"))
    assert titles(board) == ["Oat milk", "Bigger cups", "Decaf Sidama"]
    assert [idea.vote_count for idea in board] == [5, 2, 2]


def test_trending_counts_only_votes_within_the_window(author, space, crowd, reader, settings):
    settings.BELONG_IDEA_TRENDING_DAYS = 7
    old_favourite = propose(author, space, "Old favourite")
    rising = propose(author, space, "Rising idea")
    add_votes(old_favourite, crowd[:5], days_ago=30)
    add_votes(rising, crowd[:2], days_ago=1)
    # The authors' own votes are recent on both: 1 recent vote against 3.
    Idea.objects.filter(pk=old_favourite.pk).update(created_at=timezone.now() - timedelta(days=40))
    IdeaVote.objects.filter(idea=old_favourite, user=author).update(created_at=timezone.now() - timedelta(days=40))
    board: list[Any] = list(queries.board(reader, space.community, IdeaFilter(sort="trending")))
    assert titles(board) == ["Rising idea", "Old favourite"]
    assert [(idea.recent_votes, idea.vote_count) for idea in board] == [(3, 3), (0, 6)]
    assert titles(queries.board(reader, space.community, IdeaFilter(sort="top"))) == ["Old favourite", "Rising idea"]
    settings.BELONG_IDEA_TRENDING_DAYS = 60  # a wider window counts the old votes too
    board = list(queries.board(reader, space.community))
    assert titles(board) == ["Old favourite", "Rising idea"]
    assert board[0].recent_votes == 6


def test_trending_is_the_default_sort_and_unknown_sorts_fall_back_to_it(author, space, crowd, reader):
    quiet = propose(author, space, "Quiet")
    loud = propose(author, space, "Loud")
    add_votes(loud, crowd[:3])
    age(loud, days=3)
    assert titles(queries.board(reader, space.community)) == ["Loud", "Quiet"]
    assert titles(queries.board(reader, space.community, IdeaFilter(sort="random"))) == ["Loud", "Quiet"]
    assert quiet.pk != loud.pk


def test_new_orders_by_when_the_idea_was_proposed(author, space, crowd, reader):
    older = propose(author, space, "Older")
    newer = propose(author, space, "Newer")
    add_votes(older, crowd)
    age(older, days=2)
    age(newer, days=1)
    assert titles(queries.board(reader, space.community, IdeaFilter(sort="new"))) == ["Newer", "Older"]


def test_active_orders_by_the_latest_reply(author, space, reader):
    first = propose(author, space, "First")
    propose(author, space, "Second")
    Thread.objects.filter(pk=first.pk).update(last_activity_at=timezone.now() + timedelta(minutes=5))
    assert titles(queries.board(reader, space.community, IdeaFilter(sort="active"))) == ["First", "Second"]


def test_every_sort_is_known():
    assert set(queries.SORTS) == set(queries.ORDERINGS)


# --- The board: filters ------------------------------------------------------------------------


def test_the_board_filters_by_status_category_product_space_author_and_text(person, space, community, boss, reader):
    ana, piet = person(user__handle="ana"), person(user__handle="piet")
    other_space = SpaceFactory(community=community)
    beans = IdeaCategoryFactory(community=community, name="Koffiebone", slug="koffiebone")
    moka = ProductFactory(community=community, slug="moka")
    propose(ana, space, "Café em grão do Brasil", category=beans)
    planned = propose(piet, space, "Groter moka-pot", product=moka)
    propose(piet, other_space, "Кафе на зърна")
    actions.change_status(actor=boss, idea=planned, status="planned")

    def board(**filters: Any) -> list[str]:
        return sorted(titles(queries.board(reader, community, IdeaFilter(**filters))))

    assert board() == ["Café em grão do Brasil", "Groter moka-pot", "Кафе на зърна"]
    assert board(status="planned") == ["Groter moka-pot"]
    assert board(status="new") == ["Café em grão do Brasil", "Кафе на зърна"]
    assert board(status="nonexistent") == []
    assert board(category="koffiebone") == ["Café em grão do Brasil"]
    assert board(product="moka") == ["Groter moka-pot"]
    assert board(space=other_space) == ["Кафе на зърна"]
    assert board(author="PIET") == ["Groter moka-pot", "Кафе на зърна"]
    assert board(text=" moka ") == ["Groter moka-pot"]
    assert board(text="grão") == ["Café em grão do Brasil"]
    assert board(text="зърна") == ["Кафе на зърна"]
    assert board(status="new", author="piet") == ["Кафе на зърна"]


def test_the_board_narrows_to_what_a_person_voted_for(author, space, reader):
    voted = propose(author, space, "Voted")
    propose(author, space, "Not voted")
    actions.vote(user=reader, idea=voted)
    assert titles(queries.board(reader, space.community, IdeaFilter(voted_by=reader))) == ["Voted"]
    assert titles(queries.board(AnonymousUser(), space.community, IdeaFilter(voted_by=AnonymousUser()))) == []


def test_the_board_leaves_merged_ideas_out(author, boss, space, reader):
    duplicate = propose(author, space, "Duplicate")
    original = propose(author, space, "Original")
    actions.merge_ideas(actor=boss, source=duplicate, target=original)
    assert titles(queries.board(reader, space.community)) == ["Original"]
    # The merged idea still opens, so its page can send readers on.
    assert queries.get_idea(reader, space.community, duplicate.pk).merged_into_id == original.pk
    assert [idea.pk for idea in queries.merged_into_this(original)] == [duplicate.pk]


def test_the_board_shows_only_its_own_community(author, space, reader):
    propose(author, space, "Ours")
    elsewhere = SpaceFactory(community=CommunityFactory())
    stranger = MembershipFactory(community=elsewhere.community).user
    propose(stranger, elsewhere, "Theirs")
    assert titles(queries.board(reader, space.community)) == ["Ours"]


# --- Visibility ------------------------------------------------------------------------------------


def test_a_hidden_idea_shows_only_to_moderators_and_its_author(author, moderator, reader, space, person):
    hidden = propose(author, space, "Verborge idee")
    propose(author, space, "Visible idea")
    actions.moderate_idea(actor=moderator, idea=hidden, hidden=True)
    staff = person(Role.STAFF)
    for viewer in (moderator, author, staff):
        assert "Verborge idee" in titles(queries.board(fresh(viewer), space.community)), viewer
        assert queries.get_idea(fresh(viewer), space.community, hidden.pk).pk == hidden.pk
    for viewer in (reader, AnonymousUser(), UserFactory()):
        assert titles(queries.board(fresh(viewer), space.community)) == ["Visible idea"]
        with pytest.raises(NotFound):
            queries.get_idea(fresh(viewer), space.community, hidden.pk)


def test_ideas_of_a_restricted_space_show_only_to_those_let_in(community, space, person, boss):
    secret = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.EXPERT])
    expert, member, guest = person(Role.EXPERT), person(), AnonymousUser()
    propose(expert, secret, "Ідея за експерти")
    propose(member, space, "Open idea")
    assert sorted(titles(queries.board(fresh(expert), community))) == ["Open idea", "Ідея за експерти"]
    assert titles(queries.board(fresh(member), community)) == ["Open idea"]
    assert titles(queries.board(guest, community)) == ["Open idea"]
    assert sorted(titles(queries.board(fresh(boss), community))) == ["Open idea", "Ідея за експерти"]
    grant_space_access(space=secret, user=member, granted_by=boss)
    assert sorted(titles(queries.board(fresh(member), community))) == ["Open idea", "Ідея за експерти"]


def test_similar_ideas_leave_out_what_the_person_cannot_see(community, space, person):
    secret = SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.EXPERT])
    expert, member = person(Role.EXPERT), person()
    propose(expert, secret, "Secret loyalty programme")
    assert queries.similar_ideas(fresh(member), community, "loyalty programme") == []
    assert titles(queries.similar_ideas(fresh(expert), community, "loyalty programme")) == ["Secret loyalty programme"]


def test_get_idea_of_another_community_is_not_found(author, space, reader):
    idea = propose(author, space, "Ours")
    with pytest.raises(NotFound):
        queries.get_idea(reader, CommunityFactory(), idea.pk)


# --- Similar ideas ------------------------------------------------------------------------------------

NEAR_DUPLICATES = [
    ("en", "Mobile app for ordering coffee", "Coffee ordering app"),
    ("pt", "Aplicativo para pedir café pelo celular", "Aplicativo de pedidos de café"),
    ("bg", "Мобилно приложение за поръчки", "Приложение за поръчки"),
    ("af", "Herwinbare koffiekapsules", "Herwinbare kapsules vir koffie"),
]
UNRELATED = [
    "Longer opening hours on Sundays",
    "Descafeinado de Sidama",
    "Програма за лоялност с точки",
    "Groter koppies vir die kantoor",
    "Free refills for members",
]


@pytest.mark.parametrize(("language", "existing", "typed"), NEAR_DUPLICATES, ids=[n[0] for n in NEAR_DUPLICATES])
def test_similar_ideas_find_near_duplicates(author, space, reader, language, existing, typed):
    for title in UNRELATED:
        propose(author, space, title)
    target = propose(author, space, existing)
    found: list[Any] = queries.similar_ideas(reader, space.community, typed)
    assert found, f"nothing like {typed!r}"
    assert found[0].pk == target.pk
    assert 0 < found[0].similarity <= 1
    assert all(a.similarity >= b.similarity for a, b in itertools.pairwise(found))
    assert found[0].status.key == "new"  # the row data comes along


def test_similar_ideas_leave_out_merged_ideas_and_the_one_being_edited(author, boss, space, reader):
    merged = propose(author, space, "Приложение за поръчки от телефона")
    standing = propose(author, space, "Мобилно приложение за поръчки")
    assert len(queries.similar_ideas(reader, space.community, "Приложение за поръчки")) == 2
    actions.merge_ideas(actor=boss, source=merged, target=standing)
    assert [i.pk for i in queries.similar_ideas(reader, space.community, "Приложение за поръчки")] == [standing.pk]
    assert queries.similar_ideas(reader, space.community, "Приложение за поръчки", exclude=standing.pk) == []


def test_similar_ideas_need_a_few_letters_and_respect_the_limit(author, space, reader):
    for n in range(4):
        propose(author, space, f"Koffie idee {n}")
    assert queries.similar_ideas(reader, space.community, "  k ") == []
    assert len(queries.similar_ideas(reader, space.community, "Koffie idee", limit=2)) == 2


# --- Roadmap and changelog --------------------------------------------------------------------------


def test_the_roadmap_has_a_column_per_roadmap_status(author, boss, space, crowd, reader):
    ideas = {title: propose(author, space, title) for title in ("A", "B", "C", "D", "E", "F")}
    for title, key in (("A", "planned"), ("B", "planned"), ("C", "planned"), ("D", "in_progress")):
        actions.change_status(actor=boss, idea=ideas[title], status=key)
    actions.change_status(actor=boss, idea=ideas["E"], status="declined")  # not on the roadmap
    add_votes(ideas["B"], crowd[:3])
    add_votes(ideas["C"], crowd[:1])
    columns = queries.roadmap(reader, space.community, per_column=2)
    assert [column.status.key for column in columns] == ["under_review", "planned", "in_progress", "shipped"]
    by_key = {column.status.key: column for column in columns}
    assert (titles(by_key["planned"].ideas), by_key["planned"].total) == (["B", "C"], 3)
    assert (titles(by_key["in_progress"].ideas), by_key["in_progress"].total) == (["D"], 1)
    assert (by_key["under_review"].ideas, by_key["under_review"].total) == ([], 0)
    assert by_key["planned"].ideas[0].vote_count == 4


def test_the_roadmap_leaves_out_merged_and_hidden_ideas(author, boss, moderator, space, reader):
    a, b, c = (propose(author, space, title) for title in ("A", "B", "C"))
    for idea in (a, b, c):
        actions.change_status(actor=boss, idea=idea, status="planned")
    actions.merge_ideas(actor=boss, source=a, target=b)
    actions.moderate_idea(actor=moderator, idea=c, hidden=True)
    planned = next(column for column in queries.roadmap(reader, space.community) if column.status.key == "planned")
    assert (titles(planned.ideas), planned.total) == (["B"], 1)
    planned = next(column for column in queries.roadmap(fresh(boss), space.community) if column.status.key == "planned")
    assert (sorted(titles(planned.ideas)), planned.total) == (["B", "C"], 2)


def test_the_changelog_lists_shipped_ideas_newest_first_with_their_note(author, boss, space, reader):
    first = propose(author, space, "Oat milk")
    second = propose(author, space, "Decaf")
    propose(author, space, "Still planned")
    actions.change_status(actor=boss, idea=first, status="shipped", note="Já temos **leite de aveia**.")
    actions.change_status(actor=boss, idea=second, status="shipped", note="Dit is hier.")
    Idea.objects.filter(pk=first.pk).update(shipped_at=timezone.now() - timedelta(days=3))
    log: list[Any] = list(queries.changelog(reader, space.community))
    assert titles(log) == ["Decaf", "Oat milk"]
    assert "<strong>leite de aveia</strong>" in log[1].shipped_note_html
    assert "Dit is hier." in log[0].shipped_note_html


def test_the_changelog_shows_the_latest_shipping_note(author, boss, space, reader):
    idea = propose(author, space, "Oat milk")
    actions.change_status(actor=boss, idea=idea, status="shipped", note="First try.")
    actions.change_status(actor=boss, idea=idea, status="in_progress", note="Pulled back.")
    assert list(queries.changelog(reader, space.community)) == []
    actions.change_status(actor=boss, idea=idea, status="shipped", note="Back for good.")
    shipped: Any
    [shipped] = queries.changelog(reader, space.community)
    assert "Back for good." in shipped.shipped_note_html


# --- Per idea ------------------------------------------------------------------------------------------


def test_votes_history_and_importance_of_an_idea(author, boss, space, crowd, reader):
    idea = propose(author, space, "Oat milk")
    other = propose(author, space, "Other")
    actions.vote(user=crowd[0], idea=idea, importance=Importance.CRITICAL)
    actions.vote(user=crowd[1], idea=idea, importance=Importance.CRITICAL)
    actions.vote(user=crowd[2], idea=idea, importance=Importance.NICE_TO_HAVE)
    actions.vote(user=crowd[0], idea=other, importance=Importance.IMPORTANT)
    assert queries.importance_of(idea) == {"": 1, "nice_to_have": 1, "important": 0, "critical": 2}
    assert {vote.user_id for vote in queries.voters_of(idea)} == {author.pk, *(u.pk for u in crowd[:3])}
    assert queries.votes_by(crowd[0], [idea, other]) == {idea.pk: "critical", other.pk: "important"}
    assert queries.votes_by(reader, [idea, other]) == {}
    assert queries.votes_by(AnonymousUser(), [idea]) == {}
    actions.change_status(actor=boss, idea=idea, status="planned")
    actions.change_status(actor=boss, idea=idea, status="in_progress")
    assert [(c.from_status and c.from_status.key, c.to_status.key) for c in queries.history_of(idea)] == [
        ("planned", "in_progress"),
        ("new", "planned"),
    ]


def test_statuses_and_categories_of_a_community(boss, community):
    assert [status.key for status in queries.statuses(community)][:2] == ["new", "under_review"]
    assert queries.get_status(community, "planned").community == community
    with pytest.raises(NotFound):
        queries.get_status(community, "gone")
    category = actions.create_category(actor=boss, community=community, name="Espresso")
    assert list(queries.categories_of(community)) == [category]
    assert queries.get_category(community, "espresso") == category
    with pytest.raises(NotFound):
        queries.get_category(CommunityFactory(), "espresso")
    assert IdeaCategory.objects.count() == 1


# --- Beta groups ---------------------------------------------------------------------------------------


def test_beta_groups_show_to_their_members_and_the_brand(boss, author, space, person):
    idea = propose(author, space, "Cold brew at home")
    group = actions.create_beta_group(actor=boss, community=space.community, name="Cold brewers", idea=idea)
    insider, outsider = person(), person()
    invitation = actions.invite_to_beta(actor=boss, group=group, users=[insider])[0]
    assert list(queries.pending_invitations(insider, space.community)) == [invitation]
    assert queries.get_invitation(insider, space.community, invitation.pk) == invitation
    with pytest.raises(NotFound):
        queries.get_invitation(outsider, space.community, invitation.pk)
    assert queries.get_invitation(fresh(boss), space.community, invitation.pk) == invitation
    assert list(queries.beta_groups_of(fresh(insider), space.community)) == []
    actions.answer_beta_invitation(user=insider, invitation=invitation, accept=True)
    assert list(queries.pending_invitations(insider, space.community)) == []
    seen: Any
    [seen] = queries.beta_groups_of(fresh(insider), space.community)
    assert (seen, seen.member_count) == (group, 1)
    assert queries.get_beta_group(fresh(boss), space.community, group.pk) == group
    with pytest.raises(NotFound):
        queries.get_beta_group(fresh(outsider), space.community, group.pk)
    assert [i.state for i in queries.invitations_of(group)] == [BetaInvitationState.ACCEPTED]


def test_beta_candidates_come_from_the_data(boss, author, space, person):
    idea = propose(author, space, "Cold brew at home")
    keen, lukewarm, expert = person(), person(), person(Role.EXPERT)
    actions.vote(user=keen, idea=idea, importance=Importance.CRITICAL)
    actions.vote(user=lukewarm, idea=idea, importance=Importance.NICE_TO_HAVE)
    group = actions.create_beta_group(actor=boss, community=space.community, name="Cold brewers", idea=idea)
    candidates = {candidate.user.pk: candidate.reason for candidate in queries.beta_candidates(group)}
    assert keen.pk in candidates and expert.pk in candidates
    assert lukewarm.pk not in candidates
    actions.invite_to_beta(actor=boss, group=group, users=[keen])
    assert keen.pk not in {candidate.user.pk for candidate in queries.beta_candidates(group)}


# --- Query counts --------------------------------------------------------------------------------------


def _fill(space: Space, boss: Any, people: list[Any], count: int, start: int = 0) -> None:
    """Proposals spread over statuses, categories and products, with votes, as a busy board has."""
    community = space.community
    category = IdeaCategory.objects.filter(community=community).first() or IdeaCategoryFactory(community=community)
    product = ProductFactory(community=community)
    keys = ["new", "planned", "in_progress", "shipped", "under_review"]
    for n in range(start, start + count):
        idea = propose(
            people[n % len(people)], space, f"Idea {n}", category=category if n % 2 else None, product=product
        )
        actions.vote(user=people[(n + 1) % len(people)], idea=idea, importance=Importance.IMPORTANT)
        if keys[n % len(keys)] != "new":
            actions.change_status(actor=boss, idea=idea, status=keys[n % len(keys)], note=f"Note {n}")


def _render_board(ideas: Any) -> list[Any]:
    """Touch what a row shows, as the template does."""
    return [
        (
            idea.title,
            idea.author and idea.author.handle,
            idea.thread.space.name,
            idea.status.label,
            idea.category and idea.category.name,
            idea.product and idea.product.name,
            idea.vote_count,
            idea.recent_votes,
        )
        for idea in ideas
    ]


def _render_roadmap(columns: Any) -> list[Any]:
    return [(column.status.label, column.total, _render_board(column.ideas)) for column in columns]


def _render_changelog(ideas: Any) -> list[Any]:
    return [(row, idea.shipped_note_html) for row, idea in zip(_render_board(ideas), ideas, strict=True)]


READS: dict[str, Callable[[Any, Community], Any]] = {
    "board": lambda user, community: _render_board(queries.board(user, community)),
    "board filtered": lambda user, community: _render_board(
        queries.board(user, community, IdeaFilter(status="planned", sort="top", text="Idea"))
    ),
    "roadmap": lambda user, community: _render_roadmap(queries.roadmap(user, community)),
    "changelog": lambda user, community: _render_changelog(queries.changelog(user, community)),
    "similar": lambda user, community: _render_board(queries.similar_ideas(user, community, "Idea 1")),
}


@pytest.mark.parametrize("read", list(READS))
@pytest.mark.parametrize("viewer", ["member", "moderator", "guest"])
def test_board_roadmap_and_changelog_cost_the_same_for_15_ideas_as_for_3(
    space, boss, person, django_assert_num_queries, read, viewer
):
    people = [person() for _ in range(4)]
    user = {"member": person(Role.EXPERT), "moderator": person(Role.MODERATOR), "guest": AnonymousUser()}[viewer]
    SpaceFactory(community=space.community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.EXPERT])
    _fill(space, boss, people, 3)
    few_rows = READS[read](fresh(user), space.community)
    few = count_queries(lambda: READS[read](fresh(user), space.community))
    _fill(space, boss, people, 12, start=3)
    many_rows: list[Any] = []
    with django_assert_num_queries(few):
        many_rows = READS[read](fresh(user), space.community)
    assert len(str(many_rows)) > len(str(few_rows))  # the longer board was really read
    assert few <= 6
