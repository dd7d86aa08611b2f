"""The idea board's pages: each path once, with refusals, bad input, htmx fragments and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Role, SpaceAccess, SpaceVisibility
from belong.communities.tests.factories import SpaceFactory
from belong.conversations.models import Post, Thread
from belong.ideas import actions
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaVote,
    StatusChange,
)

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def propose(author, space, title="Dark mode for the app", description="Easier on the eyes at night.", **kwargs):
    return actions.propose_idea(author=author, space=space, title=title, description=description, **kwargs)


def url(name: str, community, *args) -> str:
    return reverse(f"ideas:{name}", args=[community.slug, *args])


def ship(manager, idea, note="It is in version 2.0.") -> None:
    actions.change_status(actor=manager.user, idea=idea, status="shipped", note=note)


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER)


@pytest.fixture
def idea(member, space):
    return propose(member.user, space)


# The board


def test_the_board_shows_each_idea_with_votes_status_category_author_and_replies(
    client, member, other, space, community, manager
):
    category = actions.create_category(actor=manager.user, community=community, name="Приложение")
    idea = propose(member.user, space, title="Тъмен режим за приложението", category=category)
    actions.vote(user=other.user, idea=idea)
    html = client.get(url("board", community)).content.decode()
    assert "Тъмен режим за приложението" in html
    assert f'id="vote-count-{idea.pk}">2<' in html
    assert 'class="badge status status-new">New<' in html
    assert ">Приложение<" in html
    assert member.user.name in html
    assert 'class="thread-stats"><span class="count">0<' in html
    assert "Sign in to vote" in html and "Sign in to propose an idea" in html


def test_the_board_sorts_by_votes_or_age_and_filters_by_status_category_words_and_my_votes(
    member, other, manager, space, community
):
    category = actions.create_category(actor=manager.user, community=community, name="Loja")
    older = propose(member.user, space, title="Modo escuro na aplicação", category=category)
    newer = propose(other.user, space, title="Donker modus vir die toepassing")
    actions.vote(user=manager.user, idea=older)
    ship(manager, newer)
    client = client_for(other.user)
    top = client.get(url("board", community), {"sort": "top"}).content.decode()
    assert top.index("Modo escuro") < top.index("Donker modus")
    new = client.get(url("board", community), {"sort": "new"}).content.decode()
    assert new.index("Donker modus") < new.index("Modo escuro")

    def titles(**params) -> list[str]:
        html = client.get(url("board", community), params, **HTMX).content.decode()
        return [title for title in ("Modo escuro", "Donker modus") if title in html]

    assert titles(status="shipped") == ["Donker modus"]
    assert titles(category=category.slug) == ["Modo escuro"]
    assert titles(q="donker") == ["Donker modus"]
    assert titles(mine="1") == ["Donker modus"]  # the proposer's own vote
    assert titles(status="no-such-status", q="modo") == ["Modo escuro"]  # an unknown value drops only itself


def test_htmx_gets_the_idea_list_only(client, idea, community):
    response = client.get(url("board", community), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="idea-list"') and "<html" not in html
    assert idea.title in html


def test_a_board_of_15_ideas_costs_as_many_queries_as_of_3(
    member, make_member, space, community, django_assert_num_queries
):
    voter = make_member(Role.MEMBER)
    client = client_for(voter.user)
    counts = []
    for total in (3, 15):
        while Idea.objects.count() < total:
            idea = propose(member.user, space, title=f"Idea number {Idea.objects.count()}")
            actions.vote(user=voter.user, idea=idea, importance="important")
        client.get(url("board", community))  # warm the session and the statuses
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("board", community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url("board", community))


# Proposing


def test_a_guest_is_sent_to_sign_in_to_propose(client, community, space):
    response = client.get(url("new", community))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_someone_outside_the_community_cannot_propose(user, community, space):
    response = client_for(user).get(url("new", community))
    assert response.status_code == 403
    assert "Only members of the community can propose ideas." in response.content.decode()


def test_the_new_idea_form_asks_for_similar_ideas_as_the_title_is_typed(member_client, community, space):
    response = member_client.get(url("new", community))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{url("similar", community)}"' in html
    assert 'hx-trigger="keyup changed delay:400ms"' in html and 'hx-target="#similar-ideas"' in html
    assert 'id="similar-ideas"' in html


def test_proposing_an_idea_redirects_to_it_with_the_authors_vote(member, member_client, community, space):
    response = member_client.post(
        url("new", community),
        {"title": "Модо escuro e тъмен режим", "description": "Для ночи: **по-малко** светлина.", "space": space.slug},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", community, idea.pk)
    assert idea.title == "Модо escuro e тъмен режим" and idea.thread.author == member.user
    assert IdeaVote.objects.filter(idea=idea, user=member.user).exists() and idea.vote_count == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "description": "Something"}, "title"),
        ({"title": "A title", "description": ""}, "description"),
        ({"title": "A title", "description": "Body", "space": "no-such-space"}, "space"),
        ({"title": "A title", "description": "Body", "category": "999999"}, "category"),
    ],
)
def test_bad_idea_input_rerenders_the_form_with_422_and_writes_nothing(member_client, community, space, data, field):
    response = member_client.post(url("new", community), {"space": space.slug, **data})
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Idea.objects.exists() and not Thread.objects.exists()


def test_a_title_too_similar_is_not_refused_but_the_form_shows_the_hints_again(member, other, community, space):
    propose(member.user, space, title="Dark mode for the mobile app")
    response = client_for(other.user).get(url("new", community), {"title": "dark mode in the app"})
    html = response.content.decode()
    assert "Already proposed?" in html and "Dark mode for the mobile app" in html


def test_similar_ideas_come_as_a_fragment_for_the_typed_words(client, member, space, community):
    like = propose(member.user, space, title="Modo escuro para a aplicação móvel")
    propose(member.user, space, title="Bulk export of my orders")
    response = client.get(url("similar", community), {"title": "modo escuro na aplicação"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Already proposed?" in html and "Vote for one of these instead" in html
    assert url("detail", community, like.pk) in html and "Bulk export" not in html
    assert "Already proposed?" not in client.get(url("similar", community), {"title": "mo"}, **HTMX).content.decode()


# The idea page


def test_the_idea_page_shows_the_discussion_the_vote_box_and_records_a_view(member, other, idea, community):
    client = client_for(other.user)
    posted = client.post(
        reverse("conversations:reply", args=[community.slug, idea.pk]), {"body": "Ja, asseblief! Dit sal help."}
    )
    assert posted.status_code == 302
    response = client.get(url("detail", community, idea.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ja, asseblief! Dit sal help." in html and "Easier on the eyes at night." in html
    assert 'id="reply-form"' in html and "About this idea" in html
    assert f'id="vote-{idea.pk}"' in html and 'name="importance"' in html
    assert 'id="follow-button"' in html
    assert Thread.objects.get(pk=idea.pk).view_count == 1
    assert "Change the status" not in html and "Merge into another idea" not in html


def test_the_conversation_address_of_an_idea_leads_to_the_idea_page(client, idea, community):
    response = client.get(reverse("conversations:thread", args=[community.slug, idea.pk]))
    assert response.status_code == 302 and response["Location"] == url("detail", community, idea.pk)


def test_reply_and_quote_links_keep_their_post_through_the_redirect(member_client, idea, community):
    """Without JavaScript, Reply and Quote go to the thread's address; the idea page still gets the post."""
    opening = idea.thread.posts.get(is_opening=True)
    thread_url = reverse("conversations:thread", args=[community.slug, idea.pk])
    response = member_client.get(f"{thread_url}?quote={opening.pk}")
    assert response["Location"] == f"{url('detail', community, idea.pk)}?quote={opening.pk}"
    html = member_client.get(response["Location"]).content.decode()
    assert "wrote:" in html  # the reply form starts with the quoted text


def test_the_brand_sees_its_tools_on_the_idea_page(manager_client, member, other, idea, community, space):
    actions.vote(user=other.user, idea=idea, importance="critical")
    propose(member.user, space, title="Dark mode everywhere")
    html = manager_client.get(url("detail", community, idea.pk)).content.decode()
    assert "Change the status" in html and 'name="note"' in html
    assert "Merge into another idea" in html and "Dark mode everywhere" in html
    assert "How much it matters" in html and url("voters", community, idea.pk) in html
    assert "Lock" in html and "Hide" in html and "Pin" not in html


def test_a_merged_idea_redirects_to_the_one_that_stands(manager, member, other, space, community):
    kept = propose(member.user, space, title="Idee: donker modus")
    duplicate = propose(other.user, space, title="Donker modus asseblief")
    actions.merge_ideas(actor=manager.user, source=duplicate, target=kept)
    response = client_for(other.user).get(url("detail", community, duplicate.pk), follow=True)
    assert response.redirect_chain == [(url("detail", community, kept.pk), 302)]
    html = response.content.decode()
    assert "“Donker modus asseblief” was merged into this idea" in html
    assert "Merged into this idea" in html


def test_a_hidden_idea_is_not_found_for_other_members(manager, idea, other, community):
    actions.moderate_idea(actor=manager.user, idea=idea, hidden=True)
    assert client_for(other.user).get(url("detail", community, idea.pk)).status_code == 404
    assert idea.title not in client_for(other.user).get(url("board", community)).content.decode()


def test_moderators_hide_an_idea_from_its_page_and_come_back_to_it(manager, idea, community):
    client = client_for(manager.user)
    response = client.post(reverse("conversations:moderate", args=[community.slug, idea.pk]), {"hidden": "1"},
                           follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == url("detail", community, idea.pk)
    assert "This idea is hidden" in response.content.decode()
    assert Thread.objects.get(pk=idea.pk).is_hidden


# Voting


def test_a_member_votes_with_htmx_and_gets_the_vote_box_again(other, idea, community):
    response = client_for(other.user).post(url("vote", community, idea.pk), {"importance": "critical"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<div class="vote-box vote-box-voted" id="vote-{idea.pk}"')
    assert f'id="vote-count-{idea.pk}">2<' in html and "Withdraw my vote" in html
    assert IdeaVote.objects.get(idea=idea, user=other.user).importance == "critical"


def test_the_compact_vote_box_of_the_board_toggles(other, idea, community):
    client = client_for(other.user)
    voted = client.post(url("vote", community, idea.pk), {"compact": "1"}, **HTMX).content.decode()
    assert 'aria-pressed="true"' in voted and url("unvote", community, idea.pk) in voted
    assert "importance" not in voted
    withdrawn = client.post(url("unvote", community, idea.pk), {"compact": "1"}, **HTMX).content.decode()
    assert 'aria-pressed="false"' in withdrawn and f'id="vote-count-{idea.pk}">1<' in withdrawn
    assert not IdeaVote.objects.filter(idea=idea, user=other.user).exists()


def test_voting_without_javascript_returns_to_next_and_withdrawing_works(other, idea, community):
    client = client_for(other.user)
    board = url("board", community) + "?sort=top"
    response = client.post(url("vote", community, idea.pk), {"next": board})
    assert response.status_code == 302 and response["Location"] == board
    assert Idea.objects.get(pk=idea.pk).vote_count == 2
    response = client.post(url("unvote", community, idea.pk), {"next": "https://evil.example/"})
    assert response["Location"] == url("detail", community, idea.pk)
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_voting_on_a_shipped_idea_shows_the_reason(manager, other, idea, community):
    ship(manager, idea)
    client = client_for(other.user)
    page = client.get(url("detail", community, idea.pk)).content.decode()
    assert "Voting has closed: this idea is Shipped." in page and "disabled" in page
    response = client.post(url("vote", community, idea.pk), **HTMX)
    assert response.status_code == 409
    assert "Voting has closed: this idea is Shipped." in response.content.decode()
    response = client.post(url("vote", community, idea.pk), follow=True)
    assert "Voting has closed: this idea is Shipped." in response.content.decode()
    assert not IdeaVote.objects.filter(idea=idea, user=other.user).exists()


def test_an_unknown_importance_is_refused_with_422(other, idea, community):
    response = client_for(other.user).post(url("vote", community, idea.pk), {"importance": "urgentissimo"}, **HTMX)
    assert response.status_code == 422 and "Unknown importance" in response.content.decode()
    assert not IdeaVote.objects.filter(idea=idea, user=other.user).exists()


def test_a_guest_is_sent_to_sign_in_to_vote_and_an_outsider_is_refused(client, user, idea, community):
    response = client.post(url("vote", community, idea.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(user).post(url("vote", community, idea.pk)).status_code == 403
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


# Status and merging


def test_the_brand_changes_the_status_with_a_public_note_everyone_reads(
    manager_client, other, idea, community, django_capture_on_commit_callbacks
):
    actions.vote(user=other.user, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url("status", community, idea.pk), {"status": "planned", "note": "Na lista para **março**."}
        )
    assert response.status_code == 302 and response["Location"] == url("detail", community, idea.pk)
    assert Idea.objects.get(pk=idea.pk).status.key == "planned"
    html = client_for(other.user).get(url("detail", community, idea.pk)).content.decode()
    assert "Na lista para <strong>março</strong>." in html and "New → <strong>Planned</strong>" in html
    assert any(other.user.email in message.to for message in mail.outbox)


def test_a_member_cannot_change_the_status(member_client, idea, community):
    response = member_client.post(url("status", community, idea.pk), {"status": "planned"})
    assert response.status_code == 403
    assert not StatusChange.objects.exists()


def test_an_unknown_status_is_a_form_error(manager_client, idea, community):
    response = manager_client.post(url("status", community, idea.pk), {"status": "teleported"})
    assert response.status_code == 422
    assert response.context["status_form"].errors["status"]
    assert 'id="change-status"' in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status.key == "new"


def test_the_status_it_already_has_is_a_conflict_shown_on_the_form(manager_client, idea, community):
    response = manager_client.post(url("status", community, idea.pk), {"status": "new"})
    assert response.status_code == 409
    assert "The idea is already New." in response.content.decode()


def test_the_brand_merges_a_duplicate_and_lands_on_the_idea_that_stands(
    manager_client, member, other, space, community
):
    kept = propose(member.user, space, title="Тъмен режим")
    duplicate = propose(other.user, space, title="Тъмна тема")
    response = manager_client.post(url("merge", community, duplicate.pk), {"target": kept.pk})
    assert response.status_code == 302 and response["Location"] == url("detail", community, kept.pk)
    assert Idea.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
    assert Idea.objects.get(pk=kept.pk).vote_count == 2


@pytest.mark.parametrize(
    ("target", "message"), [("self", "cannot be merged into itself"), (999999, "No idea has this number")]
)
def test_merging_into_itself_or_nowhere_is_a_form_error(manager_client, idea, community, target, message):
    response = manager_client.post(
        url("merge", community, idea.pk), {"target": idea.pk if target == "self" else target}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).merged_into_id is None


def test_a_member_cannot_merge(member, other, space, community):
    kept, duplicate = propose(member.user, space, title="One"), propose(member.user, space, title="Two")
    assert client_for(other.user).post(url("merge", community, duplicate.pk), {"target": kept.pk}).status_code == 403
    assert Idea.objects.get(pk=duplicate.pk).merged_into_id is None


def test_voters_are_listed_for_the_brand_only(manager_client, member_client, client, other, idea, community):
    actions.vote(user=other.user, idea=idea, importance="nice_to_have")
    response = manager_client.get(url("voters", community, idea.pk))
    html = response.content.decode()
    assert response.status_code == 200 and other.user.name in html and "Nice to have" in html
    assert member_client.get(url("voters", community, idea.pk)).status_code == 403
    assert client.get(url("voters", community, idea.pk)).status_code == 302


# Editing


def test_the_author_edits_the_idea_and_its_category(member_client, manager, idea, community):
    category = actions.create_category(actor=manager.user, community=community, name="Aplicativo")
    response = member_client.post(
        url("edit", community, idea.pk),
        {"title": "Modo escuro", "description": "À noite, por favor.", "category": category.pk},
    )
    assert response.status_code == 302
    idea = Idea.objects.select_related("thread").get(pk=idea.pk)
    assert idea.title == "Modo escuro" and idea.category == category
    assert Post.objects.get(thread_id=idea.pk, is_opening=True).body == "À noite, por favor."


def test_another_member_cannot_edit_and_an_empty_title_is_refused(member_client, other, idea, community):
    assert client_for(other.user).get(url("edit", community, idea.pk)).status_code == 403
    response = member_client.post(url("edit", community, idea.pk), {"title": "", "description": "Still here."})
    assert response.status_code == 422 and response.context["form"].errors["title"]
    assert Idea.objects.get(pk=idea.pk).title == "Dark mode for the app"


# Roadmap and changelog


def test_the_roadmap_has_a_column_per_status_with_totals_and_the_most_voted_first(
    manager, member, other, space, community
):
    low = propose(member.user, space, title="Ligter koffie")
    high = propose(member.user, space, title="Sterker koffie")
    actions.vote(user=other.user, idea=high)
    for idea in (low, high):
        actions.change_status(actor=manager.user, idea=idea, status="planned")
    propose(member.user, space, title="Still new")
    html = Client().get(url("roadmap", community)).content.decode()
    assert 'id="column-planned"' in html and 'id="column-new"' not in html
    assert "2 ideas" in html
    assert html.index("Sterker koffie") < html.index("Ligter koffie") and "Still new" not in html


def test_the_changelog_lists_shipped_ideas_newest_first_with_the_brands_note(manager, member, space, community):
    first = propose(member.user, space, title="Експорт в CSV")
    second = propose(member.user, space, title="Exportação em PDF")
    ship(manager, first, note="В **версия 2.1**.")
    ship(manager, second, note="Na versão 2.2.")
    html = Client().get(url("changelog", community)).content.decode()
    assert html.index("Exportação em PDF") < html.index("Експорт в CSV")
    assert "В <strong>версия 2.1</strong>." in html and f"Proposed by {member.user.name}" in html


@pytest.mark.parametrize("page", ["roadmap", "changelog"])
def test_the_roadmap_and_changelog_cost_as_many_queries_for_15_ideas_as_for_3(
    manager, member, space, community, page, django_assert_num_queries
):
    client = Client()
    counts = []
    for total in (3, 15):
        while Idea.objects.count() < total:
            idea = propose(member.user, space, title=f"Idea number {Idea.objects.count()}")
            actions.change_status(actor=manager.user, idea=idea, status="shipped" if page == "changelog" else "planned")
        client.get(url(page, community))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page, community)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url(page, community))


# Board settings


def test_managers_see_the_board_settings_and_members_do_not(manager_client, member_client, community):
    html = manager_client.get(url("board_settings", community)).content.decode()
    assert "Under review" in html and "Add a status" in html and "Add a category" in html
    assert member_client.get(url("board_settings", community)).status_code == 403
    assert member_client.post(url("add_status", community), {"key": "x"}).status_code == 403


def test_a_manager_adds_renames_and_deletes_a_status(manager_client, community):
    response = manager_client.post(
        url("add_status", community), {"key": "em_teste", "name": "Em teste", "on_roadmap": "on"}
    )
    assert response.status_code == 302
    status = IdeaStatus.objects.get(community=community, key="em_teste")
    assert status.name == "Em teste" and status.on_roadmap and not status.is_open
    response = manager_client.post(
        url("update_status", community, "em_teste"), {"name": "В тест", "position": 9, "on_roadmap": "on"}
    )
    assert response.status_code == 302
    assert IdeaStatus.objects.get(pk=status.pk).name == "В тест"
    assert manager_client.post(url("delete_status", community, "em_teste")).status_code == 302
    assert not IdeaStatus.objects.filter(pk=status.pk).exists()


def test_bad_status_settings_are_shown_on_their_forms(manager_client, community, idea):
    taken = manager_client.post(url("add_status", community), {"key": "planned"})
    assert taken.status_code == 409 and "already has a status" in taken.content.decode()
    shipped_open = manager_client.post(
        url("update_status", community, "shipped"), {"position": 4, "is_open": "on", "is_shipped": "on"}
    )
    assert shipped_open.status_code == 422 and "A shipped status cannot take votes" in shipped_open.content.decode()
    assert not IdeaStatus.objects.get(community=community, key="shipped").is_open
    used = manager_client.post(url("delete_status", community, "new"), follow=True)
    assert "Ideas have been in this status; rename it instead of deleting it." in used.content.decode()
    assert IdeaStatus.objects.filter(community=community, key="new").exists()
    assert manager_client.post(url("update_status", community, "nope"), {"position": 1}).status_code == 404


def test_a_manager_adds_renames_and_deletes_a_category(manager_client, community):
    assert manager_client.post(url("add_category", community), {"name": "Мобилно приложение"}).status_code == 302
    category = IdeaCategory.objects.get(community=community)
    assert category.slug == "мобилно-приложение"
    response = manager_client.post(
        url("update_category", community, category.slug), {"name": "Telefoon-toep", "position": 2}
    )
    assert response.status_code == 302 and IdeaCategory.objects.get(pk=category.pk).name == "Telefoon-toep"
    empty = manager_client.post(url("update_category", community, category.slug), {"name": ""})
    assert empty.status_code == 422
    assert manager_client.post(url("delete_category", community, category.slug)).status_code == 302
    assert not IdeaCategory.objects.exists()


# Private beta groups


@pytest.fixture
def group(manager, idea, community) -> BetaGroup:
    return actions.create_beta_group(actor=manager.user, community=community, name="Beta: modo escuro", idea=idea)


def test_a_manager_opens_a_group_for_an_idea(manager_client, idea, community):
    form = manager_client.get(url("new_beta_group", community) + f"?idea={idea.pk}").content.decode()
    assert f'value="{idea.pk}"' in form
    response = manager_client.post(url("new_beta_group", community), {"name": "Бета: тъмен режим", "idea": idea.pk})
    group = BetaGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == url("beta_group", community, group.pk)
    assert group.idea_id == idea.pk and group.space.visibility == SpaceVisibility.RESTRICTED


def test_opening_a_group_needs_a_name_a_known_idea_and_a_manager(manager_client, member_client, community):
    response = manager_client.post(url("new_beta_group", community), {"name": "", "idea": 999999})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    response = manager_client.post(url("new_beta_group", community), {"name": "Beta", "idea": 999999})
    assert response.status_code == 422 and "No idea has this number" in response.content.decode()
    assert member_client.get(url("new_beta_group", community)).status_code == 403
    assert not BetaGroup.objects.exists()


def test_the_group_page_lets_managers_invite_suggested_members(manager_client, other, group, community):
    actions.vote(user=other.user, idea=group.idea, importance="critical")
    html = manager_client.get(url("beta_group", community, group.pk)).content.decode()
    assert reverse("communities:space", args=[community.slug, group.space.slug]) in html
    assert "Suggested members" in html and "Said the idea matters to them" in html
    response = manager_client.post(url("beta_invite", community, group.pk), {"members": f"@{other.user.handle}"})
    assert response.status_code == 302
    invitation = BetaInvitation.objects.get(group=group)
    assert invitation.user == other.user and invitation.state == BetaInvitationState.INVITED


def test_inviting_unknown_handles_or_twice_is_shown_on_the_form(manager_client, other, group, community):
    response = manager_client.post(url("beta_invite", community, group.pk), {"members": "nobody-here, @also-nobody"})
    assert response.status_code == 422 and "nobody-here, also-nobody" in response.content.decode()
    manager_client.post(url("beta_invite", community, group.pk), {"members": other.user.handle})
    again = manager_client.post(url("beta_invite", community, group.pk), {"members": other.user.handle})
    assert again.status_code == 409 and "Already invited" in again.content.decode()
    assert BetaInvitation.objects.count() == 1


def test_the_invitee_accepts_and_lands_in_the_groups_space(manager, other, group, community):
    invitation = actions.invite_to_beta(actor=manager.user, group=group, users=[other.user])[0]
    client = client_for(other.user)
    listing = client.get(url("beta_groups", community)).content.decode()
    assert "Invitations waiting for your answer" in listing and group.name in listing
    assert client.get(url("beta_invitation", community, invitation.pk)).status_code == 200
    response = client.post(url("beta_invitation", community, invitation.pk), {"answer": "accept"})
    assert response["Location"] == reverse("communities:space", args=[community.slug, group.space.slug])
    assert SpaceAccess.objects.filter(space=group.space, user=other.user).exists()
    assert client.get(url("beta_group", community, group.pk)).status_code == 200
    again = client.post(url("beta_invitation", community, invitation.pk), {"answer": "decline"}, follow=True)
    assert "already answered" in again.content.decode()


def test_the_invitee_declines_and_others_cannot_answer(manager, other, make_member, group, community):
    invitation = actions.invite_to_beta(actor=manager.user, group=group, users=[other.user])[0]
    stranger = make_member(Role.MEMBER)
    assert client_for(stranger.user).get(url("beta_invitation", community, invitation.pk)).status_code == 404
    assert (
        client_for(manager.user)
        .post(url("beta_invitation", community, invitation.pk), {"answer": "accept"})
        .status_code
        == 403
    )
    response = client_for(other.user).post(url("beta_invitation", community, invitation.pk), {"answer": "decline"})
    assert response["Location"] == url("beta_groups", community)
    assert BetaInvitation.objects.get(pk=invitation.pk).state == BetaInvitationState.DECLINED


def test_a_manager_removes_a_member_from_the_group(manager_client, manager, other, group, community):
    invitation = actions.invite_to_beta(actor=manager.user, group=group, users=[other.user])[0]
    actions.answer_beta_invitation(user=other.user, invitation=invitation, accept=True)
    response = manager_client.post(url("beta_remove", community, invitation.pk))
    assert response["Location"] == url("beta_group", community, group.pk)
    assert BetaInvitation.objects.get(pk=invitation.pk).state == BetaInvitationState.REMOVED
    assert not SpaceAccess.objects.filter(space=group.space, user=other.user).exists()
    twice = manager_client.post(url("beta_remove", community, invitation.pk), follow=True)
    assert "not in the group" in twice.content.decode()
    assert client_for(other.user).get(url("beta_group", community, group.pk)).status_code == 404


def test_guests_and_uninvited_members_see_no_group(client, other, group, community):
    assert client.get(url("beta_group", community, group.pk)).status_code == 404
    assert group.name not in client_for(other.user).get(url("beta_groups", community)).content.decode()
    guest = client.get(url("beta_invitation", community, 1))
    assert guest.status_code == 302 and "/accounts/login/" in guest["Location"]


# The community's tabs


def test_the_community_tabs_link_the_board_and_the_roadmap_and_betas_for_those_in_one(
    manager, member_client, other, group, community
):
    html = member_client.get(url("board", community)).content.decode()
    assert f'href="{url("board", community)}" aria-current="page"' in html
    assert f'href="{url("roadmap", community)}"' in html
    assert url("beta_groups", community) not in html
    assert url("beta_groups", community) in client_for(manager.user).get(url("board", community)).content.decode()
    actions.invite_to_beta(actor=manager.user, group=group, users=[other.user])
    assert url("beta_groups", community) in client_for(other.user).get(url("roadmap", community)).content.decode()


def test_ideas_in_a_members_only_space_are_hidden_from_guests(client, member, community):
    closed = SpaceFactory(community=community, visibility=SpaceVisibility.MEMBERS)
    idea = propose(member.user, closed, title="Só para membros")
    assert "Só para membros" not in client.get(url("board", community)).content.decode()
    assert client.get(url("detail", community, idea.pk)).status_code == 404
    outsider = client_for(UserFactory())
    assert outsider.get(url("detail", community, idea.pk)).status_code == 404
