"""The celebrations feed, as a page and through the API: newest first, one member's, constant queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from belong.api.tests.helpers import API, assert_problem, queries_for, session_client
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.recognition import celebrations
from belong.recognition.models import CelebrationKind

pytestmark = pytest.mark.django_db


def feed(community) -> str:
    return reverse("recognition:celebrations", args=[community.slug])


def api(community) -> str:
    return f"{API}/communities/{community.slug}/celebrations"


def milestone(community, membership, count: int):
    return celebrations.celebrate(
        community_id=community.pk,
        user_id=membership.user_id,
        kind=CelebrationKind.MILESTONE,
        key=f"posts:{count}",
        data={"count": count},
    )


def anniversary(community, membership, years: int):
    return celebrations.celebrate(
        community_id=community.pk,
        user_id=membership.user_id,
        kind=CelebrationKind.ANNIVERSARY,
        key=f"anniversary:{years}",
        data={"years": years},
    )


# The page


def test_the_feed_shows_celebrations_newest_first_to_anyone(client, community, member, make_member):
    other = make_member()
    milestone(community, member, 100)
    anniversary(community, other, 2)
    response = client.get(feed(community))
    assert response.status_code == 200
    page = response.content.decode()
    assert "reached 100 posts" in page and "has been a member for 2 years" in page
    assert page.index("has been a member for 2 years") < page.index("reached 100 posts")
    assert reverse("accounts:profile", args=[member.user.handle]) in page


def test_the_feed_of_one_member(client, community, member, make_member):
    milestone(community, member, 10)
    milestone(community, make_member(), 50)
    page = client.get(feed(community), {"member": f"@{member.user.handle}"}).content.decode()
    assert "reached 10 posts" in page
    assert "reached 50 posts" not in page


def test_the_feed_of_someone_not_a_member_is_a_clear_error(client, community):
    outsider = MembershipFactory(community=CommunityFactory()).user
    response = client.get(feed(community), {"member": outsider.handle})
    assert response.status_code == 422
    assert outsider.handle in response.content.decode()


def test_the_feed_in_other_languages(community, member):
    milestone(community, member, 500)
    for language in ("bg", "pt", "af"):
        response = Client(headers={"Accept-Language": language}).get(feed(community))
        assert response.status_code == 200
        assert "500" in response.content.decode()


def test_the_feed_fragment_for_htmx(client, community, member):
    milestone(community, member, 10)
    response = client.get(feed(community), HTTP_HX_REQUEST="true")
    assert 'id="celebration-list"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_the_feed_costs_the_same_queries_for_15_celebrations_as_for_3(member_client, community, make_member):
    def make(count):
        for _ in range(count):
            milestone(community, make_member(), 10)

    make(3)
    few = queries_for(member_client, feed(community))
    make(12)
    assert queries_for(member_client, feed(community)) == few


# The API


def test_the_api_lists_celebrations_with_their_text(client, community, member):
    milestone(community, member, 1000)
    response = client.get(api(community))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["kind"], row["key"], row["text"], row["person"]["handle"]) == (
        "milestone", "posts:1000", "reached 1000 posts", member.user.handle
    )  # fmt: skip


def test_the_api_lists_one_members_celebrations_and_pages(client, community, member, make_member):
    for years in (1, 2, 3):
        anniversary(community, member, years)
    milestone(community, make_member(), 10)
    first = client.get(api(community), {"member": member.user.handle, "page_size": 2}).json()
    assert [row["key"] for row in first["results"]] == ["anniversary:3", "anniversary:2"]
    rest = client.get(api(community), {"member": member.user.handle, "cursor": first["next_cursor"]}).json()
    assert [row["key"] for row in rest["results"]] == ["anniversary:1"]


def test_the_api_refuses_a_member_filter_for_someone_not_a_member(client, community):
    body = assert_problem(client.get(api(community), {"member": "nobody"}), 422)
    assert "member" in body["errors"]


def test_the_api_costs_the_same_queries_for_15_celebrations_as_for_3(community, member, make_member):
    client = session_client(member.user)

    def make(count):
        for _ in range(count):
            anniversary(community, make_member(), 1)

    make(3)
    few = queries_for(client, api(community) + "?page_size=100")
    make(12)
    assert queries_for(client, api(community) + "?page_size=100") == few
