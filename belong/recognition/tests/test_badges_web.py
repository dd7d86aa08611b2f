"""The badge pages: the catalogue, a badge with its holders, giving and taking back, and managers' badge forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from belong.recognition import badges
from belong.recognition.defaults import badges_of
from belong.recognition.models import Badge, BadgeAward

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def url(name: str, community, *args) -> str:
    return reverse(f"recognition:{name}", args=[community.slug, *args])


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def queries_for(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def give(manager, membership, key="event-attendee", reason="Был на срещата") -> BadgeAward:
    return badges.award_badge(actor=manager.user, membership=membership, key=key, reason=reason)


# The catalogue


def test_the_catalogue_lists_badges_with_their_holders_for_anyone(client, community, manager, member):
    give(manager, member, "helpful", "Sempre prestável")
    response = client.get(url("badges", community))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Helpful" in page and "First accepted answer" in page
    assert "1 member holds it" in page
    assert url("new_badge", community) not in page
    assert url("edit_badge", community, "helpful") not in page


def test_managers_see_switched_off_badges_and_their_tools(manager_client, community):
    badges_of(community.pk)
    Badge.objects.filter(community=community, key="voice").update(is_enabled=False)
    page = manager_client.get(url("badges", community)).content.decode()
    assert url("new_badge", community) in page
    assert url("edit_badge", community, "voice") in page
    assert "switched off" in page


def test_visitors_do_not_see_switched_off_badges(client, community):
    badges_of(community.pk)
    Badge.objects.filter(community=community, key="voice").update(is_enabled=False)
    assert url("badge", community, "voice") not in client.get(url("badges", community)).content.decode()


def test_the_catalogue_costs_the_same_queries_for_15_badges_as_for_3(manager_client, community, manager, make_member):
    def make(count):
        for _ in range(count):
            badge = badges.create_badge(
                actor=manager.user, community=community, key=f"own-{Badge.objects.count()}", name="Own"
            )
            give(manager, make_member(), badge.key)

    make(3)
    few = queries_for(manager_client, url("badges", community))
    make(12)
    assert queries_for(manager_client, url("badges", community)) == few


# A badge and its holders


def test_a_badge_page_lists_its_holders_newest_first(client, community, manager, make_member):
    first, second = make_member(), make_member()
    give(manager, first, "helpful")
    give(manager, second, "helpful")
    response = client.get(url("badge", community, "helpful"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(second.user.name) < page.index(first.user.name)
    assert reverse("accounts:profile", args=[first.user.handle]) in page
    assert url("award_badge", community, "helpful") not in page


def test_a_badge_page_fragment_for_htmx(client, community, manager, member):
    give(manager, member, "helpful")
    response = client.get(url("badge", community, "helpful"), **HTMX)
    assert response.status_code == 200
    assert 'id="holders"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_an_unknown_badge_is_a_404_naming_it(client, community):
    response = client.get(url("badge", community, "unicorn"))
    assert response.status_code == 404
    assert "unicorn" in response.content.decode()


def test_the_badge_page_costs_the_same_queries_for_15_holders_as_for_3(manager_client, community, manager, make_member):
    def make(count):
        for _ in range(count):
            give(manager, make_member())

    make(3)
    few = queries_for(manager_client, url("badge", community, "event-attendee"))
    make(12)
    assert queries_for(manager_client, url("badge", community, "event-attendee")) == few


# Giving and taking back


@pytest.mark.parametrize("reason", ["Лекция в София", "Palestra em Lisboa", "Praatjie in Kaapstad"])
def test_a_manager_gives_a_badge_by_handle(manager_client, community, member, reason):
    response = manager_client.post(
        url("award_badge", community, "event-attendee"), {"handle": f"@{member.user.handle.upper()}", "reason": reason}
    )
    assert response.status_code == 302
    award = BadgeAward.objects.get(user=member.user)
    assert award.reason == reason
    assert any("event-attendee" in m or "Event attendee" in m for m in flashed(response))


def test_an_unknown_handle_is_shown_on_the_form(manager_client, community):
    response = manager_client.post(url("award_badge", community, "helpful"), {"handle": "nobody", "reason": "Hm"})
    assert response.status_code == 422
    assert "nobody" in response.content.decode()
    assert not BadgeAward.objects.exists()


def test_a_badge_held_already_is_a_conflict_on_the_form(manager_client, community, manager, member):
    give(manager, member, "helpful")
    response = manager_client.post(
        url("award_badge", community, "helpful"), {"handle": member.user.handle, "reason": "Again"}
    )
    assert response.status_code == 409
    assert "already has" in response.content.decode()


def test_a_manager_giving_themselves_a_badge_is_refused_on_the_form(manager_client, community, manager):
    response = manager_client.post(
        url("award_badge", community, "helpful"), {"handle": manager.user.handle, "reason": "Me"}
    )
    assert response.status_code == 403
    assert "yourself" in response.content.decode()


def test_members_cannot_give_badges(member_client, community, make_member):
    response = member_client.post(
        url("award_badge", community, "helpful"), {"handle": make_member().user.handle, "reason": "Friend"}
    )
    assert response.status_code == 403
    assert not BadgeAward.objects.exists()


def test_visitors_are_sent_to_sign_in(client, community):
    response = client.post(url("award_badge", community, "helpful"), {"handle": "x", "reason": "y"})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_manager_takes_a_badge_back(manager_client, community, manager, member):
    award = give(manager, member, "helpful")
    response = manager_client.post(url("revoke_badge", community, "helpful", award.pk), {"reason": "Oops"})
    assert response.status_code == 302
    assert response["Location"] == url("badge", community, "helpful")
    assert not BadgeAward.objects.exists()


def test_members_cannot_take_badges_back(member_client, community, manager, make_member):
    award = give(manager, make_member(), "helpful")
    assert member_client.post(url("revoke_badge", community, "helpful", award.pk)).status_code == 403
    assert BadgeAward.objects.filter(pk=award.pk).exists()


# Managers' badge forms


def test_a_manager_creates_a_badge(manager_client, community):
    assert manager_client.get(url("new_badge", community)).status_code == 200
    response = manager_client.post(
        url("new_badge", community),
        {"key": "говорител", "name": "Говорител", "description": "Говори на среща.", "icon": "🎤", "tier": "silver",
         "is_enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == url("badge", community, "говорител")
    badge = Badge.objects.get(community=community, key="говорител")
    assert (badge.name, badge.tier, badge.is_enabled, badge.repeatable) == ("Говорител", "silver", True, False)
    assert manager_client.get(response["Location"]).status_code == 200


def test_a_taken_key_is_shown_on_the_form(manager_client, community):
    response = manager_client.post(
        url("new_badge", community), {"key": "helpful", "name": "Again", "icon": "🏅", "tier": "bronze"}
    )
    assert response.status_code == 409
    assert "already has a badge" in response.content.decode()


def test_members_cannot_open_the_badge_form(member_client, community):
    assert member_client.get(url("new_badge", community)).status_code == 403


def test_a_manager_edits_a_built_in_badge(manager_client, community):
    badges_of(community.pk)
    page = manager_client.get(url("edit_badge", community, "helpful")).content.decode()
    assert 'name="repeatable"' not in page  # its rule decides
    response = manager_client.post(
        url("edit_badge", community, "helpful"), {"name": "Prestável", "description": "", "icon": "🤝", "tier": "gold"}
    )
    assert response.status_code == 302
    badge = Badge.objects.get(community=community, key="helpful")
    assert (badge.label, badge.tier, badge.is_enabled) == ("Prestável", "gold", False)


def test_a_manager_deletes_a_badge_no_one_holds(manager_client, community, manager, member):
    spare = badges.create_badge(actor=manager.user, community=community, key="spare", name="Spare")
    held = badges.create_badge(actor=manager.user, community=community, key="held", name="Held")
    give(manager, member, held.key)
    response = manager_client.post(url("delete_badge", community, "held"))
    assert response["Location"] == url("edit_badge", community, "held")
    assert Badge.objects.filter(pk=held.pk).exists()
    response = manager_client.post(url("delete_badge", community, "spare"))
    assert response["Location"] == url("badges", community)
    assert not Badge.objects.filter(pk=spare.pk).exists()
