"""The member moderation page: standing, history, flags and notes; warn, silence, suspend, ban, reinstate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.communities.models import Membership, MembershipState, Role
from belong.conversations import actions as conversations
from belong.conversations.models import ThreadKind
from belong.core.models import ModerationEntry
from belong.moderation import actions
from belong.moderation.models import FlagReason, MemberNote

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(membership: Membership) -> str:
    return reverse("moderation:member", args=[membership.community.slug, membership.user.handle])


def action_url(membership: Membership, verb: str) -> str:
    return reverse("moderation:member_action", args=[membership.community.slug, membership.user.handle, verb])


def note_url(membership: Membership) -> str:
    return reverse("moderation:member_note", args=[membership.community.slug, membership.user.handle])


def local(moment: Any) -> str:
    """A moment as a datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def fresh(membership: Membership) -> Membership:
    return Membership.objects.get(pk=membership.pk)


def entries(action: str) -> list[ModerationEntry]:
    return list(ModerationEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def target(make_member) -> Membership:
    membership: Membership = make_member(Role.MEMBER, trust_level=2)
    return membership


@pytest.fixture
def mod(make_member) -> Membership:
    membership: Membership = make_member(Role.MODERATOR)
    return membership


@pytest.fixture
def mod_client(mod) -> Client:
    return client_for(mod.user)


# The page


def test_the_page_shows_the_membership_history_flags_and_notes_in_any_language(
    target, mod, mod_client, space, make_member
):
    thread = conversations.create_thread(author=target.user, space=space, kind=ThreadKind.DISCUSSION,
                                         title="Промоция", body="Купете сега!")  # fmt: skip
    opening = thread.posts.get()
    flagger = make_member(Role.MEMBER, trust_level=1).user
    actions.flag_post(flagger=flagger, post=opening, reason=FlagReason.OTHER, text="Dit is advertensies")
    actions.warn_member(actor=mod.user, membership=target, reason="Não faça publicidade aqui")
    actions.add_note(author=mod.user, community=target.community, subject=target.user, body="Добре дошъл отново")
    response = mod_client.get(page_url(target))
    html = response.content.decode()
    assert response.status_code == 200
    assert "@" + target.user.handle in html and "Trust level" in html and "Member" in html
    assert "Member warned" in html and "Não faça publicidade aqui" in html
    assert "Dit is advertensies" in html and "Промоция" in html
    assert "Добре дошъл отново" in html
    for verb in ("warn", "silence", "suspend"):
        assert action_url(target, verb) in html
    assert action_url(target, "ban") not in html  # banning is for managers
    assert action_url(target, "reinstate") not in html and action_url(target, "unsilence") not in html


def test_managers_see_the_ban_form(target, manager_client):
    assert action_url(target, "ban") in manager_client.get(page_url(target)).content.decode()


def test_members_and_visitors_cannot_open_the_page(target, member_client, client):
    assert member_client.get(page_url(target)).status_code == 403
    assert member_client.post(action_url(target, "warn"), {"warn-reason": "x"}).status_code == 403
    response = client.get(page_url(target))
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not entries("member.warned")


def test_an_unknown_handle_or_verb_is_not_found(target, mod_client, community):
    assert mod_client.get(reverse("moderation:member", args=[community.slug, "nobody-here"])).status_code == 404
    assert mod_client.post(action_url(target, "vanish"), {}).status_code == 404


def test_the_members_list_links_to_the_page_for_moderators_only(target, mod_client, member_client, community):
    url = reverse("communities:members", args=[community.slug])
    assert page_url(target) in mod_client.get(url).content.decode()
    assert page_url(target) not in member_client.get(url).content.decode()


def test_the_page_costs_a_fixed_number_of_queries(target, mod, mod_client, django_assert_max_num_queries):
    for n in range(3):
        actions.warn_member(actor=mod.user, membership=target, reason=f"Warning {n}")
        actions.add_note(author=mod.user, community=target.community, subject=target.user, body=f"Note {n}")
    with django_assert_max_num_queries(20):
        assert mod_client.get(page_url(target)).status_code == 200


# Sanctions


def test_warning_needs_a_reason_and_goes_on_the_record(target, mod_client):
    missing = mod_client.post(action_url(target, "warn"), {"warn-reason": ""})
    assert missing.status_code == 422 and "Give a reason" in missing.content.decode()
    assert not entries("member.warned")
    response = mod_client.post(action_url(target, "warn"), {"warn-reason": "Моля, без обиди"})
    assert response.status_code == 302 and response.url == page_url(target)
    assert entries("member.warned")[0].reason == "Моля, без обиди"


def test_silencing_until_a_later_moment_and_lifting_it(target, mod_client):
    until = timezone.now() + timedelta(days=3)
    data = {"silence-until": local(until), "silence-reason": "Kalmeer eers af"}
    assert mod_client.post(action_url(target, "silence"), data).status_code == 302
    silenced = fresh(target).silenced_until
    assert silenced is not None and abs(silenced - until) < timedelta(minutes=1)
    html = mod_client.get(page_url(target)).content.decode()
    assert action_url(target, "unsilence") in html
    assert mod_client.post(action_url(target, "unsilence"), {"unsilence-reason": ""}).status_code == 302
    assert fresh(target).silenced_until is None
    assert [e.action for e in ModerationEntry.objects.order_by("id")] == ["member.silenced", "member.unsilenced"]


def test_silencing_or_suspending_until_a_past_moment_is_refused_and_writes_nothing(target, mod_client):
    past = local(timezone.now() - timedelta(hours=2))
    for verb in ("silence", "suspend"):
        response = mod_client.post(action_url(target, verb), {f"{verb}-until": past, f"{verb}-reason": "Spam"})
        assert response.status_code == 422 and "Pick a later date" in response.content.decode()
    target = fresh(target)
    assert target.state == MembershipState.ACTIVE and target.silenced_until is None
    assert not ModerationEntry.objects.exists()


def test_a_suspension_needs_a_valid_date(target, mod_client):
    response = mod_client.post(action_url(target, "suspend"), {"suspend-until": "soon", "suspend-reason": "Spam"})
    assert response.status_code == 422 and fresh(target).state == MembershipState.ACTIVE


def test_suspending_and_reinstating_a_member(target, mod_client):
    until = timezone.now() + timedelta(days=7)
    data = {"suspend-until": local(until), "suspend-reason": "Suspensão por spam"}
    assert mod_client.post(action_url(target, "suspend"), data).status_code == 302
    suspended = fresh(target)
    assert suspended.state == MembershipState.SUSPENDED and suspended.state_reason == "Suspensão por spam"
    html = mod_client.get(page_url(target)).content.decode()
    assert action_url(target, "reinstate") in html and "Suspensão por spam" in html
    assert mod_client.post(action_url(target, "reinstate"), {"reinstate-reason": ""}).status_code == 302
    assert fresh(target).state == MembershipState.ACTIVE


def test_a_manager_bans_a_member_and_a_moderator_cannot(target, mod_client, manager_client):
    refused = mod_client.post(action_url(target, "ban"), {"ban-reason": "Spam"})
    assert refused.status_code == 403 and fresh(target).state == MembershipState.ACTIVE
    assert manager_client.post(action_url(target, "ban"), {"ban-reason": "Spam, weer en weer"}).status_code == 302
    assert fresh(target).state == MembershipState.BANNED
    assert entries("member.banned")[0].reason == "Spam, weer en weer"


def test_banning_or_suspending_the_owner_is_refused_with_the_clear_error(owner, manager_client):
    later = local(timezone.now() + timedelta(days=1))
    banned = manager_client.post(action_url(owner, "ban"), {"ban-reason": "Coup"})
    assert banned.status_code == 403 and "An owner cannot be suspended or banned" in banned.content.decode()
    suspended = manager_client.post(action_url(owner, "suspend"), {"suspend-until": later, "suspend-reason": "x"})
    assert "An owner cannot be suspended or banned" in suspended.content.decode()
    assert fresh(owner).state == MembershipState.ACTIVE and not ModerationEntry.objects.exists()
    html = manager_client.get(page_url(owner)).content.decode()
    assert action_url(owner, "ban") not in html and action_url(owner, "suspend") not in html


def test_acting_on_oneself_is_refused_with_the_clear_error(mod, mod_client):
    html = mod_client.get(page_url(mod)).content.decode()
    assert "This is you" in html and action_url(mod, "warn") not in html
    later = local(timezone.now() + timedelta(days=1))
    for verb, data in (("warn", {"warn-reason": "Me"}), ("suspend", {"suspend-until": later, "suspend-reason": "Me"})):
        response = mod_client.post(action_url(mod, verb), data)
        assert response.status_code == 422
        assert "You cannot take moderation actions on yourself" in response.content.decode()
    assert fresh(mod).state == MembershipState.ACTIVE and not ModerationEntry.objects.exists()


def test_a_second_ban_shows_the_conflict_on_the_page(target, manager, manager_client):
    manager_client.post(action_url(target, "ban"), {"ban-reason": "Spam"})
    again = manager_client.post(action_url(target, "ban"), {"ban-reason": "Spam"})
    assert again.status_code == 409 and "already banned" in again.content.decode()
    assert len(entries("member.banned")) == 1


# Notes


def test_a_note_is_kept_from_the_page_and_with_htmx(target, mod, mod_client):
    response = mod_client.post(note_url(target), {"note-body": "Prefers Portuguese: fala português"})
    assert response.status_code == 302 and response.url.endswith("#notes")
    fragment = mod_client.post(note_url(target), {"note-body": "Bel haar eers"}, **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert "Bel haar eers" in html and "fala português" in html and "The note is kept" in html
    assert list(MemberNote.objects.order_by("id").values_list("body", "author_id")) == [
        ("Prefers Portuguese: fala português", mod.user.pk),
        ("Bel haar eers", mod.user.pk),
    ]


def test_an_empty_note_is_refused(target, mod_client):
    page = mod_client.post(note_url(target), {"note-body": "  "})
    assert page.status_code == 422 and "Write the note" in page.content.decode()
    fragment = mod_client.post(note_url(target), {"note-body": ""}, **HTMX)
    assert fragment.status_code == 422 and "<html" not in fragment.content.decode()
    assert not MemberNote.objects.exists()


def test_members_cannot_write_notes(target, member_client):
    assert member_client.post(note_url(target), {"note-body": "Sneaky"}).status_code == 403
    assert not MemberNote.objects.exists()
