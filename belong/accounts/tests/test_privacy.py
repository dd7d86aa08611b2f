"""A person's data export and the deletion of their account, through the actions."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from belong.accounts import actions, deletion, export, queries
from belong.accounts.models import DataExport, ExportState, User
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Community, Invitation, Membership, MembershipState, Role
from belong.communities.tests.factories import MembershipFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Post, PostRevision, Reaction, ReactionKind, Thread, ThreadKind
from belong.conversations.search import search_posts
from belong.core.errors import Conflict, Invalid, NotFound
from belong.core.models import Activity
from belong.ideas.models import Idea, IdeaVote
from belong.ideas.tests.factories import IdeaFactory, IdeaVoteFactory
from belong.recognition import ledger
from belong.recognition.models import PointsEntry
from belong.recognition.tests.factories import BadgeFactory

pytestmark = pytest.mark.django_db

BODIES = {
    "bg": "Кафемашината спря да работи след обновяването.",
    "pt": "A máquina de café parou de funcionar depois da atualização.",
    "af": "Die koffiemasjien het ná die opdatering opgehou werk.",
    "en": "The coffee machine stopped working after the update.",
}
PASSWORD = "correct horse battery"


@pytest.fixture
def writer(make_member):
    return make_member(Role.MEMBER).user


@pytest.fixture
def other(make_member):
    return make_member(Role.MEMBER).user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an action and what it does after commit (events, tasks), as in production."""

    def run(action: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run


def start(committed, *, author, space, title, body, kind=ThreadKind.DISCUSSION):
    return committed(conversations.create_thread, author=author, space=space, kind=kind, title=title, body=body)


def reply(committed, *, author, thread, body):
    return committed(conversations.create_reply, author=author, thread=thread, body=body)


def contents(the_export: DataExport) -> dict[str, Any]:
    """The export's files: JSON ones parsed, README.txt as text."""
    the_export.refresh_from_db()
    files: dict[str, Any] = {}
    with zipfile.ZipFile(io.BytesIO(bytes(the_export.content or b""))) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            files[name] = json.loads(text) if name.endswith(".json") else text
    return files


def export_of(user, committed) -> dict[str, Any]:
    the_export = committed(actions.request_export, user=user)
    return contents(the_export)


# ---------------------------------------------------------------------------------------------
# What an export holds


def test_an_export_holds_the_persons_posts_in_every_language(writer, other, space, committed):
    thread = start(committed, author=writer, space=space, title="Кафе", body=BODIES["bg"])
    for language in ("pt", "af", "en"):
        reply(committed, author=writer, thread=thread, body=BODIES[language])
    files = export_of(writer, committed)
    bodies = [post["body"] for post in files["posts.json"]]
    assert bodies == [BODIES["bg"], BODIES["pt"], BODIES["af"], BODIES["en"]]
    assert files["threads.json"][0]["title"] == "Кафе"
    assert files["threads.json"][0]["community"] == space.community.slug
    assert {post["thread"] for post in files["posts.json"]} == {thread.pk}


def test_an_export_holds_memberships_reactions_votes_points_and_the_profile(writer, other, space, committed):
    thread = start(committed, author=other, space=space, title="Koffie", body=BODIES["af"])
    opening = thread.posts.get()
    committed(conversations.add_reaction, user=writer, post=opening, kind=ReactionKind.HELPFUL)
    reply(committed, author=writer, thread=thread, body=BODIES["pt"])
    idea = IdeaFactory(thread__space=space, thread__author=other)
    IdeaVoteFactory(idea=idea, user=writer, importance="critical")
    badge = BadgeFactory(community=space.community)
    from belong.recognition.models import BadgeAward

    BadgeAward.objects.create(community=space.community, badge=badge, user=writer, reason="Хубава работа")
    files = export_of(writer, committed)

    assert files["profile.json"]["email"] == writer.email
    assert files["profile.json"]["handle"] == writer.handle
    [membership] = files["memberships.json"]
    assert (membership["community"], membership["role"], membership["state"]) == (
        space.community.slug,
        Role.MEMBER,
        MembershipState.ACTIVE,
    )
    assert [(r["post"], r["kind"]) for r in files["reactions.json"]] == [(opening.pk, "helpful")]
    assert [(v["idea"], v["importance"]) for v in files["idea_votes.json"]] == [(idea.pk, "critical")]
    assert "reply" in [p["rule"] for p in files["points.json"]]  # the reply earned points
    assert files["points_totals.json"][0]["total"] == sum(p["delta"] for p in files["points.json"]) > 0
    assert (badge.key, "Хубава работа") in [(b["badge"], b["reason"]) for b in files["badges.json"]]
    assert any(row["verb"] == "post.replied" for row in files["activity.json"])


def test_an_export_explains_each_file_in_a_readme(writer, committed):
    files = export_of(writer, committed)
    readme = files[export.README_NAME]
    for name in files:
        if name != export.README_NAME:
            assert name in readme


def test_an_export_holds_the_persons_ideas_with_their_descriptions(writer, space, committed):
    idea = IdeaFactory(thread__space=space, thread__author=writer, thread__opening=BODIES["bg"])
    files = export_of(writer, committed)
    [row] = files["ideas.json"]
    assert (row["id"], row["title"], row["description"], row["status"]) == (
        idea.pk,
        idea.thread.title,
        BODIES["bg"],
        idea.status.key,
    )


def test_an_export_holds_nothing_of_another_member(writer, other, space, committed):
    thread = start(committed, author=other, space=space, title="Their thread", body=BODIES["pt"])
    reply(committed, author=other, thread=thread, body=BODIES["af"])
    mine = reply(committed, author=writer, thread=thread, body=BODIES["bg"])
    committed(conversations.add_reaction, user=other, post=mine, kind=ReactionKind.LIKE)
    committed(actions.create_api_token, user=other, name="Their CRM", scopes=["read"])
    files = export_of(writer, committed)
    everything = json.dumps(files, ensure_ascii=False)
    for words in (BODIES["pt"], BODIES["af"], "Their thread", other.email, other.handle, "Their CRM"):
        assert words not in everything
    assert [post["body"] for post in files["posts.json"]] == [BODIES["bg"]]
    assert files["reactions.json"] == []
    received = files["activity_received.json"]
    assert "post.reacted" in [row["verb"] for row in received]
    assert all(row["data"] is None for row in received)
    assert {row["id"] for row in files["memberships.json"]} == {Membership.objects.get(user=writer).pk}


def test_an_export_never_holds_token_hashes_or_tokens(writer, committed):
    token, raw = committed(actions.create_api_token, user=writer, name="Sincronização", scopes=["read"])
    files = export_of(writer, committed)
    everything = json.dumps(files, ensure_ascii=False)
    assert token.token_hash not in everything and raw not in everything
    assert [(t["name"], t["hint"]) for t in files["api_tokens.json"]] == [("Sincronização", token.hint)]


def test_an_export_keeps_the_text_of_revisions_of_the_persons_posts(writer, space, committed):
    thread = start(committed, author=writer, space=space, title="Kaffie", body=BODIES["af"])
    committed(conversations.edit_post, editor=writer, post=thread.posts.get(), body=BODIES["en"])
    files = export_of(writer, committed)
    assert [r["body"] for r in files["post_revisions.json"]] == [BODIES["af"]]
    assert [p["body"] for p in files["posts.json"]] == [BODIES["en"]]


def _busy_member(community, space, count: int) -> User:
    user: User = MembershipFactory(community=community).user
    reactor = MembershipFactory(community=community).user
    thread = Thread.objects.create(
        community=community, space=space, author=user, title="Много", last_activity_at=timezone.now()
    )
    for index in range(count):
        body = f"{BODIES['bg']} {index}"
        post = Post.objects.create(
            community=community, thread=thread, author=user, body=body, body_html=body, is_opening=index == 0
        )
        PostRevision.objects.create(post=post, body="старо", edited_by=user)
        Reaction.objects.create(post=post, user=user, kind=ReactionKind.LIKE)
        Reaction.objects.create(post=post, user=reactor, kind=ReactionKind.HELPFUL)
        ledger.award(community_id=community.pk, user_id=user.pk, rule="reply", source=f"post:{post.pk}:reply")
        Activity.objects.create(actor=user, verb="post.replied", community=community)
    return user


def _build_queries(user: User) -> int:
    the_export = DataExport.objects.create(user=user)
    with CaptureQueriesContext(connection) as context:
        actions.build_export(the_export.pk)
    the_export.refresh_from_db()
    assert the_export.state == ExportState.READY, the_export.error
    return len(context.captured_queries)


def test_building_an_export_costs_the_same_queries_for_5_posts_as_for_30(community, space):
    few = _build_queries(_busy_member(community, space, 5))
    many = _build_queries(_busy_member(community, space, 30))
    assert few == many


# ---------------------------------------------------------------------------------------------
# Asking for an export


def test_asking_for_an_export_builds_it_after_commit_and_emails_a_link(writer, committed):
    the_export = committed(actions.request_export, user=writer)
    the_export.refresh_from_db()
    assert the_export.state == ExportState.READY
    assert the_export.size == len(bytes(the_export.content)) > 0
    assert the_export.expires_at == the_export.completed_at + timedelta(days=7)
    [message] = mail.outbox
    assert message.to == [writer.email]
    assert f"{settings.BELONG_BASE_URL}/settings/data/" in message.body
    assert Activity.objects.filter(actor=writer, verb=actions.Verb.EXPORT_REQUESTED).count() == 1


def test_the_email_is_in_the_persons_language(writer, committed):
    writer.locale = "pt"
    writer.save()
    committed(actions.request_export, user=writer)
    [message] = mail.outbox
    assert "/settings/data/" in message.body


def test_asking_while_an_export_is_being_prepared_is_refused(writer):
    actions.request_export(user=writer)  # its task waits for the commit, which never comes here
    with pytest.raises(Conflict, match="already being prepared"):
        actions.request_export(user=writer)
    assert DataExport.objects.filter(user=writer).count() == 1


def test_asking_again_within_a_day_is_refused(writer, committed):
    committed(actions.request_export, user=writer)
    with pytest.raises(Conflict, match="once a day"):
        actions.request_export(user=writer)


def test_asking_again_after_a_day_is_accepted(writer, committed):
    first = committed(actions.request_export, user=writer)
    DataExport.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    second = committed(actions.request_export, user=writer)
    assert second.pk != first.pk


def test_a_failed_export_does_not_count_against_the_daily_limit(writer, committed, monkeypatch):
    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_exporters", {"broken": export.Exporter("broken", broken, "")})
    failed = committed(actions.request_export, user=writer)
    failed.refresh_from_db()
    assert (failed.state, failed.content, "disk full" in failed.error) == (ExportState.FAILED, None, True)
    assert mail.outbox == []
    monkeypatch.undo()
    again = committed(actions.request_export, user=writer)
    again.refresh_from_db()
    assert again.state == ExportState.READY


def test_building_twice_stores_and_emails_once(writer):
    the_export = actions.request_export(user=writer)
    actions.build_export(the_export.pk)
    completed = DataExport.objects.get(pk=the_export.pk).completed_at
    actions.build_export(the_export.pk)
    assert DataExport.objects.get(pk=the_export.pk).completed_at == completed
    assert len(mail.outbox) == 1


def test_expired_exports_lose_their_content_and_cannot_be_downloaded(writer, committed):
    the_export = committed(actions.request_export, user=writer)
    assert actions.purge_expired_exports() == 0
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert actions.purge_expired_exports(now=later) == 1
    the_export.refresh_from_db()
    assert (the_export.state, the_export.content) == (ExportState.EXPIRED, None)
    with pytest.raises(NotFound):
        queries.downloadable_export(writer, the_export.pk)


def test_an_export_past_its_expiry_cannot_be_downloaded_before_the_purge(writer, committed):
    the_export = committed(actions.request_export, user=writer)
    DataExport.objects.filter(pk=the_export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        queries.downloadable_export(writer, the_export.pk)


def test_nobody_else_finds_an_export_not_even_staff(writer, committed):
    the_export = committed(actions.request_export, user=writer)
    operator = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(NotFound):
        queries.get_export(operator, the_export.pk)
    with pytest.raises(NotFound):
        queries.downloadable_export(operator, the_export.pk)
    assert queries.downloadable_export(writer, the_export.pk).pk == the_export.pk


# ---------------------------------------------------------------------------------------------
# Deleting an account


def test_deleting_keeps_what_the_person_wrote_as_a_former_members(writer, other, space, committed):
    thread = start(committed, author=writer, space=space, title="Оставете го", body=BODIES["bg"])
    answer = reply(committed, author=writer, thread=start(committed, author=other, space=space, title="Q", body="?"),
                   body=BODIES["pt"])  # fmt: skip
    committed(actions.delete_account, user=writer, password=PASSWORD)
    assert not User.objects.filter(pk=writer.pk).exists()
    thread.refresh_from_db()
    answer.refresh_from_db()
    assert (thread.author_id, thread.title) == (None, "Оставете го")
    assert (answer.author_id, answer.body, answer.deleted_at) == (None, BODIES["pt"], None)


def test_deleting_takes_the_personal_rows_with_the_person(writer, other, space, committed):
    thread = start(committed, author=other, space=space, title="Koffie", body=BODIES["af"])
    committed(conversations.add_reaction, user=writer, post=thread.posts.get(), kind=ReactionKind.LOVE)
    committed(conversations.bookmark, user=writer, thread=thread)
    committed(actions.create_api_token, user=writer, name="CRM", scopes=["read"])
    committed(actions.request_export, user=writer)
    committed(actions.delete_account, user=writer, password=PASSWORD)
    assert not Reaction.objects.filter(post__thread=thread).exists()
    assert not Membership.objects.filter(user_id=writer.pk).exists()
    assert not DataExport.objects.filter(user_id=writer.pk).exists()
    assert not Activity.objects.filter(actor_id=writer.pk).exists()


def test_deleting_removes_the_avatar_file_once_committed(writer, committed, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    writer.avatar.save("me.png", ContentFile(b"not really a picture"))
    path = tmp_path / writer.avatar.name
    assert path.exists()
    committed(actions.delete_account, user=writer, password=PASSWORD)
    assert not path.exists()


def test_deleting_with_remove_content_erases_posts_revisions_and_titles(writer, other, space, committed):
    mine = start(committed, author=writer, space=space, title="Die koffiemasjien", body=BODIES["af"])
    committed(conversations.edit_post, editor=writer, post=mine.posts.get(), body=BODIES["en"], title="Koffie")
    theirs = start(committed, author=other, space=space, title="Pergunta", body="Alguém sabe?")
    my_reply = reply(committed, author=writer, thread=theirs, body=BODIES["pt"])
    reply(committed, author=other, thread=mine, body="Obrigado")
    committed(actions.delete_account, user=writer, password=PASSWORD, remove_content=True)

    mine.refresh_from_db()
    assert mine.title == deletion.removed_title(space.community)
    opening = mine.posts.get(is_opening=True)
    my_reply.refresh_from_db()
    for post in (opening, my_reply):
        assert (post.body, post.body_html, post.author_id) == ("", "", None)
        assert post.deleted_at is not None
    assert not PostRevision.objects.filter(post__thread=mine).exists()
    assert mine.posts.get(is_opening=False).body == "Obrigado"  # others' replies stay
    theirs.refresh_from_db()
    assert theirs.reply_count == 0
    assert mine.reply_count == 1


def test_removed_content_leaves_the_search_index(writer, other, space, committed):
    thread = start(committed, author=writer, space=space, title="Kaffie", body=BODIES["af"])
    reply(committed, author=writer, thread=thread, body=BODIES["bg"])
    assert search_posts(other, space.community, "koffiemasjien").exists()
    committed(actions.delete_account, user=writer, password=PASSWORD, remove_content=True)
    for word in ("koffiemasjien", "Кафемашината", "Kaffie"):
        assert not search_posts(other, space.community, word).exists()


def test_removing_content_unmarks_an_accepted_answer_of_the_person(writer, other, space, committed):
    question = start(committed, author=other, space=space, title="Como?", body="Como?", kind=ThreadKind.QUESTION)
    answer = reply(committed, author=writer, thread=question, body=BODIES["pt"])
    committed(conversations.accept_answer, actor=other, thread=question, post=answer)
    committed(actions.delete_account, user=writer, password=PASSWORD, remove_content=True)
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_removing_content_erases_the_persons_ideas(writer, space, committed):
    idea = IdeaFactory(thread__space=space, thread__author=writer, thread__opening=BODIES["pt"])
    committed(actions.delete_account, user=writer, password=PASSWORD, remove_content=True)
    erased = Idea.objects.select_related("thread").get(pk=idea.pk)
    assert erased.thread.title == deletion.removed_title(space.community)
    assert erased.thread.posts.get(is_opening=True).body == ""


def test_a_wrong_password_is_refused_and_nothing_changes(writer, space, committed):
    thread = start(committed, author=writer, space=space, title="Bly", body=BODIES["af"])
    with pytest.raises(Invalid) as refusal:
        actions.delete_account(user=writer, password="not it", remove_content=True)
    assert "password" in refusal.value.errors
    with pytest.raises(Invalid):
        actions.delete_account(user=writer, password=None)
    assert User.objects.filter(pk=writer.pk).exists()
    assert Post.objects.get(thread=thread).body == BODIES["af"]
    assert not Activity.objects.filter(verb=actions.Verb.ACCOUNT_DELETED).exists()


def test_the_only_owner_of_a_community_is_refused_and_nothing_changes(owner, community):
    with pytest.raises(Conflict) as refusal:
        actions.delete_account(user=owner.user, password=PASSWORD)
    assert community.name in refusal.value.detail
    assert User.objects.filter(pk=owner.user_id).exists()
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_owner_beside_another_owner_may_delete(owner, make_member, community):
    make_member(Role.OWNER)
    actions.delete_account(user=owner.user, password=PASSWORD)
    assert not User.objects.filter(pk=owner.user_id).exists()


def test_an_owner_whose_fellow_owner_is_suspended_is_still_the_only_one(owner, make_member):
    make_member(Role.OWNER, state=MembershipState.SUSPENDED)
    with pytest.raises(Conflict):
        actions.delete_account(user=owner.user, password=PASSWORD)


def test_an_account_without_a_password_confirms_with_its_handle(writer):
    writer.set_unusable_password()
    writer.save()
    with pytest.raises(Invalid) as refusal:
        actions.delete_account(user=writer, confirm="someone-else")
    assert "confirm" in refusal.value.errors
    actions.delete_account(user=writer, confirm=f"@{writer.handle.upper()}")
    assert not User.objects.filter(pk=writer.pk).exists()


def test_deleting_recounts_members_and_votes(writer, other, space, community, committed):
    idea = IdeaFactory(thread__space=space, thread__author=other)
    IdeaVoteFactory(idea=idea, user=writer)
    IdeaVoteFactory(idea=idea, user=other)
    Idea.objects.filter(pk=idea.pk).update(vote_count=2)
    members_before = Community.objects.get(pk=community.pk).member_count
    committed(actions.delete_account, user=writer, password=PASSWORD)
    assert Community.objects.get(pk=community.pk).member_count == members_before - 1
    assert Idea.objects.get(pk=idea.pk).vote_count == 1 == IdeaVote.objects.filter(idea=idea).count()


def test_deleting_records_one_anonymous_activity_per_community(writer, committed):
    elsewhere = MembershipFactory(user=writer).community
    committed(actions.delete_account, user=writer, password=PASSWORD, remove_content=True)
    rows = Activity.objects.filter(verb=actions.Verb.ACCOUNT_DELETED)
    assert len(rows) == 2
    assert {row.community_id for row in rows} == {elsewhere.pk, Community.objects.exclude(pk=elsewhere.pk).get().pk}
    for row in rows:
        assert (row.actor_id, row.recipient_id, row.target_id, row.data) == (None, None, "", {"removed_content": True})


def test_deleting_works_when_the_ledger_holds_a_reversed_award(writer, community):
    ledger.award(community_id=community.pk, user_id=writer.pk, rule="reply", source="post:1:reply")
    ledger.reverse(community_id=community.pk, source="post:1:reply")
    assert PointsEntry.objects.filter(user=writer, reverses__isnull=False).exists()
    actions.delete_account(user=writer, password=PASSWORD)
    assert not PointsEntry.objects.filter(user_id=writer.pk).exists()


def test_invitations_to_the_persons_address_forget_it(writer, manager, community):
    from belong.communities import actions as communities

    used = communities.create_invitation(actor=manager.user, community=community, email="old@example.com")
    Invitation.objects.filter(pk=used.pk).update(email=writer.email.upper(), uses=1)
    waiting = communities.create_invitation(actor=manager.user, community=community, email="new@example.com")
    Invitation.objects.filter(pk=waiting.pk).update(email=writer.email)
    actions.delete_account(user=writer, password=PASSWORD)
    used.refresh_from_db()
    waiting.refresh_from_db()
    assert (used.email, used.revoked_at) == ("", None)
    assert waiting.email == "" and waiting.revoked_at is not None


def test_no_relation_to_a_person_protects_them_from_deletion():
    """A PROTECT or RESTRICT foreign key to the user model would make deleting an account fail."""
    blocking = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.related_model is User
        and field.remote_field.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    assert blocking == []
