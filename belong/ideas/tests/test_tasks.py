"""E-mails of the idea board: sent after commit, once per person, in each person's language, never twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import TaskResultStatus

from belong.accounts.models import User
from belong.communities.models import Membership, MembershipState, Role
from belong.conversations import actions as conversations
from belong.ideas import actions, tasks
from belong.ideas.models import BetaInvitation, Idea, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_member) -> Callable[..., User]:
    def make(role: str = Role.MEMBER, **user_fields: Any) -> User:
        user: User = make_member(role, **{f"user__{k}": v for k, v in user_fields.items()}).user
        return user

    return make


@pytest.fixture
def boss(person):
    return person(Role.MANAGER)


@pytest.fixture
def author(person):
    return person()


@pytest.fixture
def idea(author, space) -> Idea:
    return actions.propose_idea(
        author=author, space=space, title="Bring back the Sidama roast", description="It was the best."
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- Status changes -----------------------------------------------------------------------------


def test_people_who_left_or_were_banned_are_not_told(person, boss, idea, commit):
    gone, banned, staying = person(), person(), person()
    for voter in (gone, banned, staying):
        actions.vote(user=voter, idea=idea)
    Membership.objects.filter(user=gone).update(state=MembershipState.LEFT)
    Membership.objects.filter(user=banned).update(state=MembershipState.BANNED)
    with commit():
        actions.change_status(actor=boss, idea=idea, status="planned")
    assert staying.email in recipients()
    assert gone.email not in recipients() and banned.email not in recipients()


def test_voters_and_followers_are_told_once_each_but_not_the_changer(person, boss, author, idea, commit):
    voter, follower, both = person(), person(), person()
    actions.vote(user=voter, idea=idea)
    actions.vote(user=both, idea=idea)
    conversations.follow(user=follower, target=idea.thread)
    conversations.follow(user=both, target=idea.thread)
    actions.vote(user=boss, idea=idea)  # the person changing the status voted too
    bystander = person()
    with commit():
        change = actions.change_status(actor=boss, idea=idea, status="planned", note="Coming in **May**.")
        assert mail.outbox == []  # nothing leaves before the commit
    assert recipients() == sorted(u.email for u in (author, voter, follower, both))
    assert bystander.email not in recipients() and boss.email not in recipients()
    url = settings.BELONG_BASE_URL + reverse("ideas:detail", args=[idea.community.slug, idea.pk])
    for message in mail.outbox:
        assert len(message.to) == 1  # one message each: nobody sees the others' addresses
        assert "Bring back the Sidama roast" in message.subject
        assert "Planned" in message.subject
        assert url in message.body
        assert "Coming in **May**." in message.body
    change.refresh_from_db()
    assert change.notified_at is not None


def test_a_status_change_is_told_once_even_when_the_task_runs_again(person, boss, idea, commit):
    actions.vote(user=person(), idea=idea)
    with commit():
        change = actions.change_status(actor=boss, idea=idea, status="under_review")
    assert len(mail.outbox) == 2
    result = tasks.notify_status_change.enqueue(change.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 0
    assert len(mail.outbox) == 2


def test_the_task_reports_how_many_it_told(person, boss, idea):
    actions.vote(user=person(), idea=idea)
    change = actions.change_status(actor=boss, idea=idea, status="declined")  # not committed: no e-mail yet
    assert mail.outbox == []
    result = tasks.notify_status_change.enqueue(change.pk)
    assert result.return_value == 2
    assert len(mail.outbox) == 2


def test_a_missing_status_change_tells_nobody():
    assert tasks.notify_status_change.enqueue(987654).return_value == 0
    assert mail.outbox == []


def test_people_without_an_address_or_an_active_account_are_skipped(person, boss, idea, commit):
    gone, silent = person(), person()
    actions.vote(user=gone, idea=idea)
    actions.vote(user=silent, idea=idea)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    User.objects.filter(pk=silent.pk).update(email="")
    with commit():
        actions.change_status(actor=boss, idea=idea, status="planned")
    assert recipients() == [idea.thread.author.email]


@pytest.mark.parametrize("locale", ["pt", "bg", "af"])
def test_each_person_is_written_to_in_their_language(person, boss, idea, commit, monkeypatch, locale):
    reader = person(locale=locale)
    actions.vote(user=reader, idea=idea)
    rendered: list[tuple[str, str, str]] = []
    original = loader.render_to_string

    def spy(template: str, context: dict[str, Any]) -> str:
        rendered.append((template, translation.get_language(), context["idea"].thread.title))
        return original(template, context)

    monkeypatch.setattr("belong.ideas.tasks.render_to_string", spy)
    with commit():
        actions.change_status(actor=boss, idea=idea, status="shipped")
    # Rendered and sent in the same order, one message per person.
    sent_to = [message.to[0] for message in mail.outbox]
    languages = {address: language for (_t, language, _title), address in zip(rendered, sent_to, strict=True)}
    assert languages == {reader.email: locale, idea.thread.author.email: "en"}
    assert {template for template, _language, _title in rendered} == {"ideas/email/status_changed.txt"}
    [message] = [m for m in mail.outbox if m.to == [reader.email]]
    with translation.override(locale):
        # The subject as the catalogue has it now: translated once translators have been by.
        expected = gettext("“%(idea)s” is now %(status)s") % {
            "idea": "Bring back the Sidama roast",
            "status": idea.status.__class__.objects.get(community=idea.community, key="shipped").label,
        }
    assert message.subject == expected
    assert "Bring back the Sidama roast" in message.subject
    assert translation.get_language() == "en"  # the override does not leak out of the task


# --- Beta invitations ---------------------------------------------------------------------------


@pytest.fixture
def group(boss, idea):
    return actions.create_beta_group(actor=boss, community=idea.community, name="Sidama-proeërs", idea=idea)


def test_an_invitation_is_emailed_once_after_commit(person, boss, group, commit):
    invitee = person(locale="af")
    with commit():
        [invitation] = actions.invite_to_beta(actor=boss, group=group, users=[invitee], message="Kom proe saam!")
        assert mail.outbox == []
    [message] = mail.outbox
    assert message.to == [invitee.email]
    assert "Sidama-proeërs" in message.subject
    assert "Kom proe saam!" in message.body
    url = settings.BELONG_BASE_URL + reverse("ideas:beta_invitation", args=[group.community.slug, invitation.pk])
    assert url in message.body
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    tasks.send_beta_invitation.enqueue(invitation.pk)
    assert len(mail.outbox) == 1


def test_each_invitee_gets_their_own_email(person, boss, group, commit):
    invitees = [person(locale="pt"), person(locale="bg")]
    with commit():
        actions.invite_to_beta(actor=boss, group=group, users=invitees)
    assert recipients() == sorted(u.email for u in invitees)


def test_an_invitation_answered_before_the_email_goes_is_not_emailed(person, boss, group):
    invitee = person()
    [invitation] = actions.invite_to_beta(actor=boss, group=group, users=[invitee])  # not committed: no e-mail
    actions.remove_from_beta(actor=boss, invitation=invitation)
    tasks.send_beta_invitation.enqueue(invitation.pk)
    assert mail.outbox == []
    assert BetaInvitation.objects.get(pk=invitation.pk).emailed_at is None


def test_a_missing_invitation_is_ignored():
    result = tasks.send_beta_invitation.enqueue(987654)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox == []


def test_the_status_change_record_is_kept(boss, idea):
    actions.change_status(actor=boss, idea=idea, status="planned")
    assert StatusChange.objects.filter(idea=idea, notified_at__isnull=True).count() == 1
