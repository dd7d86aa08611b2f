"""Members' drafts: saved as they type, gone once posted, and seen by their author only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.accounts.models import User
from belong.accounts.tests.factories import UserFactory
from belong.api.tests.helpers import API, assert_problem, send, session_client, token_client
from belong.communities import actions as community_actions
from belong.communities.models import Role, SpaceVisibility
from belong.communities.tests.factories import MembershipFactory, SpaceFactory
from belong.conversations import actions, drafts
from belong.conversations.models import Draft, Thread, ThreadKind
from belong.core.errors import Invalid, NotAllowed, NotAuthenticated, NotFound
from belong.core.richtext import MAX_BODY_CHARS

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}

# Text in the seeds' languages: drafts keep it exactly as typed.
TEXTS = {
    "en": ("Grinder advice", "Which burr grinder for espresso?"),
    "bg": ("Съвет за мелачка", "Коя мелачка е най-добра за еспресо? Благодаря!"),
    "pt": ("Conselho de moinho", "Qual é o melhor moinho para espresso? Obrigado, ação!"),
    "af": ("Meul-raad", "Watter meul is die beste vir espresso? Dankie, ná ete."),
}


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER)


@pytest.fixture
def moderator(make_member):
    return make_member(Role.MODERATOR)


@pytest.fixture
def thread(member, space) -> Thread:
    return actions.create_thread(
        author=member.user, space=space, kind=ThreadKind.QUESTION, title="Espresso grind", body="How fine?"
    )


@pytest.fixture
def restricted(community):
    return SpaceFactory(community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.AMBASSADOR])


def drafts_url(community, suffix="") -> str:
    return f"{API}/communities/{community.slug}{suffix}"


# Saving, upserting, discarding


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_a_thread_draft_keeps_title_text_and_kind_as_typed(member, space, lang):
    title, body = TEXTS[lang]
    draft = drafts.save_draft(user=member.user, space=space, title=title, body=body, kind=ThreadKind.QUESTION)
    assert draft is not None
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.kind) == (title, body, ThreadKind.QUESTION)
    assert (draft.space, draft.thread, draft.community) == (space, None, space.community)


def test_saving_again_updates_the_one_draft_of_the_space(member, space):
    first = drafts.save_draft(user=member.user, space=space, title="Grind", body="Which")
    second = drafts.save_draft(user=member.user, space=space, title="Grind size", body="Which burr")
    assert first is not None and second is not None
    assert first.pk == second.pk
    assert Draft.objects.get().body == "Which burr"


def test_saving_again_updates_the_one_draft_of_the_thread(other, thread):
    drafts.save_draft(user=other.user, thread=thread, body="Fine, like")
    drafts.save_draft(user=other.user, thread=thread, body="Fine, like table salt.")
    assert list(Draft.objects.values_list("body", flat=True)) == ["Fine, like table salt."]


def test_a_reply_draft_has_neither_title_nor_kind(other, thread):
    draft = drafts.save_draft(user=other.user, thread=thread, title="Ignored", body="Olá", kind="question")
    assert draft is not None
    assert (draft.title, draft.kind, draft.space, draft.thread) == ("", "", None, thread)


def test_each_member_keeps_their_own_draft_of_the_same_thread(member, other, thread):
    drafts.save_draft(user=member.user, thread=thread, body="Mine")
    drafts.save_draft(user=other.user, thread=thread, body="Theirs")
    assert Draft.objects.count() == 2


def test_an_empty_draft_is_discarded(member, space):
    drafts.save_draft(user=member.user, space=space, title="Grind", body="Which")
    assert drafts.save_draft(user=member.user, space=space, title="  ", body="\n") is None
    assert not Draft.objects.exists()


def test_saving_an_empty_draft_when_there_is_none_writes_nothing(member, space):
    assert drafts.save_draft(user=member.user, space=space) is None
    assert not Draft.objects.exists()


def test_a_too_long_draft_is_refused(member, space):
    with pytest.raises(Invalid) as refused:
        drafts.save_draft(user=member.user, space=space, body="x" * (MAX_BODY_CHARS + 1))
    assert "body" in refused.value.errors
    assert not Draft.objects.exists()


@pytest.mark.parametrize("kind", ["idea", "nonsense"])
def test_a_draft_of_an_unknown_or_board_kind_is_refused(member, space, kind):
    with pytest.raises(Invalid):
        drafts.save_draft(user=member.user, space=space, body="Text", kind=kind)


def test_a_draft_is_for_a_space_or_a_thread_not_both(member, space, thread):
    with pytest.raises(ValueError, match="space or for a thread"):
        drafts.save_draft(user=member.user, space=space, thread=thread, body="x")


def test_the_database_refuses_a_draft_for_both_a_space_and_a_thread(member, space, thread):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(user=member.user, community=space.community, space=space, thread=thread, body="x")


def test_the_database_refuses_a_second_draft_of_the_same_space(member, space):
    Draft.objects.create(user=member.user, community=space.community, space=space, body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(user=member.user, community=space.community, space=space, body="y")


def test_discarding_ones_own_draft_removes_it(member, space):
    draft = drafts.save_draft(user=member.user, space=space, body="Text")
    assert draft is not None
    drafts.discard_draft(user=member.user, draft=draft)
    assert not Draft.objects.exists()


def test_discarding_someone_elses_draft_is_not_found(member, other, space):
    draft = drafts.save_draft(user=member.user, space=space, body="Text")
    assert draft is not None
    with pytest.raises(NotFound):
        drafts.discard_draft(user=other.user, draft=draft)
    assert Draft.objects.count() == 1


# Who may keep a draft


def test_a_visitor_cannot_save_a_draft(space):
    with pytest.raises(NotAuthenticated):
        drafts.save_draft(user=AnonymousUser(), space=space, body="Hi")


def test_a_member_who_cannot_see_the_space_cannot_save_a_draft_there(member, restricted):
    with pytest.raises(NotAllowed):
        drafts.save_draft(user=member.user, space=restricted, body="Let me in")
    assert not Draft.objects.exists()


def test_a_member_who_can_no_longer_see_the_space_cannot_save_a_draft_there(manager, make_member, restricted):
    ambassador = make_member(Role.AMBASSADOR)
    drafts.save_draft(user=ambassador.user, space=restricted, body="First words")
    community_actions.change_role(actor=manager.user, membership=ambassador, role=Role.MEMBER)
    person = User.objects.get(pk=ambassador.user_id)  # as the next request loads them
    with pytest.raises(NotAllowed):
        drafts.save_draft(user=person, space=restricted, body="More words")
    assert Draft.objects.get().body == "First words"
    assert list(drafts.drafts_of(person, restricted.community)) == []


def test_a_suspended_member_cannot_save_a_reply_draft(moderator, other, thread):
    community_actions.suspend_member(
        actor=moderator.user, membership=other, until=timezone.now() + timedelta(days=1), reason="Cool down"
    )
    with pytest.raises(NotAllowed):
        drafts.save_draft(user=User.objects.get(pk=other.user_id), thread=thread, body="Still here")


def test_no_draft_of_a_reply_to_a_locked_thread(moderator, other, thread):
    actions.moderate_thread(actor=moderator.user, thread=thread, locked=True)
    with pytest.raises(NotAllowed):
        drafts.save_draft(user=other.user, thread=Thread.objects.get(pk=thread.pk), body="Too late")


# Reading


def test_drafts_of_lists_only_the_persons_own_latest_first(member, other, space, thread, community):
    older = drafts.save_draft(user=other.user, space=space, title="New", body="Thread")
    newer = drafts.save_draft(user=other.user, thread=thread, body="Reply")
    drafts.save_draft(user=member.user, thread=thread, body="Someone else's")
    assert list(drafts.drafts_of(other.user, community)) == [newer, older]


def test_drafts_of_another_community_are_not_listed(member, space, community):
    elsewhere = SpaceFactory()
    MembershipFactory(community=elsewhere.community, user=member.user)
    drafts.save_draft(user=member.user, space=elsewhere, body="Elsewhere")
    assert list(drafts.drafts_of(member.user, community)) == []


def test_moderators_managers_and_operators_see_no_one_elses_drafts(member, moderator, manager, space, community):
    drafts.save_draft(user=member.user, space=space, body="Private")
    operator = UserFactory(is_superuser=True, is_staff=True)
    for person in (moderator.user, manager.user, operator):
        assert list(drafts.drafts_of(person, community)) == []
        assert drafts.draft_for(person, space=space) is None


def test_draft_for_finds_the_persons_draft_of_the_space_or_thread(member, space, thread):
    in_space = drafts.save_draft(user=member.user, space=space, body="A")
    to_thread = drafts.save_draft(user=member.user, thread=thread, body="B")
    assert drafts.draft_for(member.user, space=space) == in_space
    assert drafts.draft_for(member.user, thread=thread) == to_thread


def test_a_draft_whose_thread_was_hidden_is_no_longer_listed(moderator, other, thread, community):
    drafts.save_draft(user=other.user, thread=thread, body="About to reply")
    actions.moderate_thread(actor=moderator.user, thread=thread, hidden=True)
    assert list(drafts.drafts_of(other.user, community)) == []


# Gone once posted


def test_starting_the_thread_deletes_the_draft_of_the_space(member, space, other, django_capture_on_commit_callbacks):
    drafts.save_draft(user=member.user, space=space, title="Grind", body="Which?")
    kept = drafts.save_draft(user=other.user, space=space, title="Mine", body="Still drafting")
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_thread(author=member.user, space=space, kind=ThreadKind.QUESTION, title="Grind", body="Which?")
    assert list(Draft.objects.all()) == [kept]


def test_replying_deletes_the_draft_of_that_thread_only(
    member, other, space, thread, django_capture_on_commit_callbacks
):
    elsewhere = actions.create_thread(author=member.user, space=space, kind="discussion", title="Other", body="x")
    drafts.save_draft(user=other.user, thread=thread, body="Fine as salt")
    kept = drafts.save_draft(user=other.user, thread=elsewhere, body="Not sent")
    in_space = drafts.save_draft(user=other.user, space=space, body="New thread")
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_reply(author=other.user, thread=thread, body="Fine as salt")
    assert set(Draft.objects.all()) == {kept, in_space}


# Web


def test_the_new_thread_form_is_filled_from_the_draft(member_client, member, space, community):
    drafts.save_draft(user=member.user, space=space, title="Съвет за мелачка", body="Коя мелачка?", kind="review")
    html = member_client.get(reverse("conversations:new_thread", args=[community.slug, space.slug])).content.decode()
    assert 'value="Съвет за мелачка"' in html
    assert "Коя мелачка?</textarea>" in html
    assert '<option value="review" selected>' in html
    assert "Restored from your draft" in html
    assert reverse("conversations:save_thread_draft", args=[community.slug, space.slug]) in html
    assert 'hx-trigger="input changed delay:2s"' in html


def test_the_reply_form_is_filled_from_the_draft(other, thread, community):
    drafts.save_draft(user=other.user, thread=thread, body="Fijn, soos sout. Dankie!")
    html = session_client(other.user).get(reverse("conversations:thread", args=[community.slug, thread.pk]))
    text = html.content.decode()
    assert "Fijn, soos sout. Dankie!</textarea>" in text
    assert reverse("conversations:save_reply_draft", args=[community.slug, thread.pk]) in text


def test_quoting_keeps_the_draft_and_adds_the_quote(other, thread, community):
    drafts.save_draft(user=other.user, thread=thread, body="My own words")
    opening = thread.posts.get(is_opening=True)
    url = reverse("conversations:thread", args=[community.slug, thread.pk]) + f"?quote={opening.pk}"
    text = session_client(other.user).get(url).content.decode()
    assert text.index("My own words") < text.index("&gt; How fine?")


def test_the_autosave_answers_htmx_with_the_status(other, thread, community):
    url = reverse("conversations:save_reply_draft", args=[community.slug, thread.pk])
    response = session_client(other.user).post(url, {"body": "Olá, obrigado!", "reply_to": ""}, **HTMX)
    assert response.status_code == 200
    assert 'id="draft-status"' in response.content.decode()
    assert "Draft saved" in response.content.decode()
    assert Draft.objects.get().body == "Olá, obrigado!"


def test_the_new_thread_autosave_keeps_title_body_and_kind(member, space, community):
    url = reverse("conversations:save_thread_draft", args=[community.slug, space.slug])
    data = {"kind": "praise", "title": "Dankie", "body": "Baie goeie koffie.", "tags": "", "rating": ""}
    response = session_client(member.user).post(url, data, **HTMX)
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert (draft.kind, draft.title, draft.body) == ("praise", "Dankie", "Baie goeie koffie.")


def test_emptying_the_form_discards_the_draft(other, thread, community):
    drafts.save_draft(user=other.user, thread=thread, body="Something")
    url = reverse("conversations:save_reply_draft", args=[community.slug, thread.pk])
    response = session_client(other.user).post(url, {"body": ""}, **HTMX)
    assert "Draft discarded" in response.content.decode()
    assert not Draft.objects.exists()


def test_without_javascript_saving_a_draft_goes_back_to_the_form(other, thread, community):
    url = reverse("conversations:save_reply_draft", args=[community.slug, thread.pk])
    response = session_client(other.user).post(url, {"body": "Plain form"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/t/{thread.pk}/#reply")


def test_a_visitors_autosave_is_sent_to_sign_in(thread, community):
    url = reverse("conversations:save_reply_draft", args=[community.slug, thread.pk])
    response = Client().post(url, {"body": "Hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Draft.objects.exists()


def test_the_autosave_in_a_space_the_member_cannot_see_is_refused(member, restricted, community):
    url = reverse("conversations:save_thread_draft", args=[community.slug, restricted.slug])
    assert session_client(member.user).post(url, {"body": "Let me in"}).status_code == 403
    assert not Draft.objects.exists()


def test_posting_the_reply_through_the_form_deletes_the_draft(
    other, thread, community, django_capture_on_commit_callbacks
):
    drafts.save_draft(user=other.user, thread=thread, body="Finished now")
    url = reverse("conversations:reply", args=[community.slug, thread.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = session_client(other.user).post(url, {"body": "Finished now"})
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_the_drafts_page_lists_ones_own_drafts(other, member, space, thread, community):
    drafts.save_draft(user=other.user, space=space, title="Meul-raad", body="Watter meul?")
    drafts.save_draft(user=other.user, thread=thread, body="Fine, like salt")
    drafts.save_draft(user=member.user, space=space, title="Not yours", body="Private")
    html = session_client(other.user).get(reverse("conversations:drafts", args=[community.slug])).content.decode()
    assert "Meul-raad" in html and "Fine, like salt" in html and "Espresso grind" in html
    assert "Not yours" not in html and "Private" not in html
    assert f'href="{reverse("conversations:drafts", args=[community.slug])}"' in html  # the community navigation


def test_the_drafts_page_asks_a_visitor_to_sign_in(community):
    response = Client().get(reverse("conversations:drafts", args=[community.slug]))
    assert response.status_code == 302


def test_discarding_a_draft_on_the_page(other, space, community):
    draft = drafts.save_draft(user=other.user, space=space, body="Bye")
    assert draft is not None
    url = reverse("conversations:discard_draft", args=[community.slug, draft.pk])
    response = session_client(other.user).post(url)
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_discarding_another_members_draft_on_the_page_is_not_found(member, other, space, community):
    draft = drafts.save_draft(user=member.user, space=space, body="Mine")
    assert draft is not None
    url = reverse("conversations:discard_draft", args=[community.slug, draft.pk])
    assert session_client(other.user).post(url).status_code == 404
    assert Draft.objects.count() == 1


def test_a_moderator_cannot_discard_a_members_draft_on_the_page(member, moderator, space, community):
    draft = drafts.save_draft(user=member.user, space=space, body="Mine")
    assert draft is not None
    url = reverse("conversations:discard_draft", args=[community.slug, draft.pk])
    assert session_client(moderator.user).post(url).status_code == 404
    assert Draft.objects.count() == 1


def test_the_drafts_page_costs_as_many_queries_for_30_drafts_as_for_3(
    member, space, community, django_assert_max_num_queries
):
    client = session_client(member.user)
    url = reverse("conversations:drafts", args=[community.slug])

    def fill(n):
        for index in range(n):
            thread = actions.create_thread(
                author=member.user, space=space, kind="discussion", title=f"T{index}", body="x"
            )
            drafts.save_draft(user=member.user, thread=thread, body=f"Reply {index}")

    fill(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# API


def test_the_api_saves_lists_and_discards_ones_own_drafts(other, space, thread, community):
    client = token_client(other.user)
    saved = send(client, "put", drafts_url(community, f"/spaces/{space.slug}/draft"),
                 {"title": "Съвет", "body": "Коя мелачка?", "kind": "question"})  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["space"]["slug"] == space.slug and saved.json()["thread"] is None
    reply = send(client, "put", drafts_url(community, f"/threads/{thread.pk}/draft"), {"body": "Obrigado!"})
    assert reply.status_code == 200, reply.content
    assert reply.json()["thread"] == {"id": thread.pk, "title": thread.title}

    listed = client.get(drafts_url(community, "/drafts")).json()["results"]
    assert [item["id"] for item in listed] == [reply.json()["id"], saved.json()["id"]]

    gone = client.delete(drafts_url(community, f"/drafts/{saved.json()['id']}"))
    assert gone.status_code == 204
    assert list(Draft.objects.values_list("pk", flat=True)) == [reply.json()["id"]]


def test_the_api_discards_a_draft_saved_empty(other, thread, community):
    client = token_client(other.user)
    send(client, "put", drafts_url(community, f"/threads/{thread.pk}/draft"), {"body": "Something"})
    emptied = send(client, "put", drafts_url(community, f"/threads/{thread.pk}/draft"), {"body": ""})
    assert emptied.status_code == 204
    assert not Draft.objects.exists()


def test_the_api_refuses_unknown_fields_and_too_long_text(member, space, community):
    client = token_client(member.user)
    address = drafts_url(community, f"/spaces/{space.slug}/draft")
    assert_problem(send(client, "put", address, {"body": "x", "secret": 1}), 422)
    assert_problem(send(client, "put", address, {"body": "x" * (MAX_BODY_CHARS + 1)}), 422)
    assert not Draft.objects.exists()


def test_the_api_does_not_list_another_members_drafts(member, other, moderator, space, community):
    drafts.save_draft(user=member.user, space=space, body="Private")
    for person in (other.user, moderator.user):
        assert token_client(person).get(drafts_url(community, "/drafts")).json()["results"] == []


def test_the_api_discarding_another_members_draft_is_not_found(member, other, manager, space, community):
    draft = drafts.save_draft(user=member.user, space=space, body="Private")
    assert draft is not None
    for person in (other.user, manager.user):
        assert_problem(token_client(person).delete(drafts_url(community, f"/drafts/{draft.pk}")), 404)
    assert Draft.objects.count() == 1


def test_the_api_needs_a_signed_in_person(community):
    assert_problem(Client().get(drafts_url(community, "/drafts")), 401)


def test_the_api_refuses_a_draft_in_a_space_the_member_cannot_see(member, restricted, community):
    response = send(token_client(member.user), "put", drafts_url(community, f"/spaces/{restricted.slug}/draft"),
                    {"body": "Let me in"})  # fmt: skip
    assert_problem(response, 403)
    assert not Draft.objects.exists()


def test_the_api_refuses_a_reply_draft_to_a_thread_the_member_cannot_see(member, make_member, restricted, community):
    ambassador = make_member(Role.AMBASSADOR)
    hidden = actions.create_thread(author=ambassador.user, space=restricted, kind="discussion", title="Beta", body="x")
    response = send(token_client(member.user), "put", drafts_url(community, f"/threads/{hidden.pk}/draft"),
                    {"body": "Peek"})  # fmt: skip
    assert_problem(response, 404)
    assert not Draft.objects.exists()


def test_the_api_draft_list_costs_a_fixed_number_of_queries(member, space, community, django_assert_max_num_queries):
    client = token_client(member.user)

    def fill(n):
        for index in range(n):
            thread = actions.create_thread(
                author=member.user, space=space, kind="discussion", title=f"T{index}", body="x"
            )
            drafts.save_draft(user=member.user, thread=thread, body=f"Reply {index}")

    fill(3)
    address = drafts_url(community, "/drafts?page_size=50")
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    fill(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address)
    assert len(response.json()["results"]) == 30
