"""Cross-cutting API rules: authentication, CSRF, problem details, the spec, rate limits."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from belong.accounts.models import ApiToken
from belong.api.api import api
from belong.api.tests.helpers import API, assert_problem, session_client, token_client, token_for
from belong.communities.models import Community

pytestmark = pytest.mark.django_db

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

EXPECTED_OPERATIONS = {
    ("GET", "/api/v1/me"): "get_me",
    ("PATCH", "/api/v1/me"): "update_me",
    ("DELETE", "/api/v1/me"): "delete_me",
    ("POST", "/api/v1/me/exports"): "request_data_export",
    ("GET", "/api/v1/me/exports"): "list_data_exports",
    ("GET", "/api/v1/me/exports/{export_id}"): "get_data_export",
    ("GET", "/api/v1/me/exports/{export_id}/download"): "download_data_export",
    ("GET", "/api/v1/communities/{slug}/drafts"): "list_drafts",
    ("PUT", "/api/v1/communities/{slug}/spaces/{space_slug}/draft"): "save_thread_draft",
    ("PUT", "/api/v1/communities/{slug}/threads/{thread_id}/draft"): "save_reply_draft",
    ("DELETE", "/api/v1/communities/{slug}/drafts/{draft_id}"): "discard_draft",
    ("GET", "/api/v1/communities/{slug}/rules"): "list_rules",
    ("POST", "/api/v1/communities/{slug}/rules"): "add_rule",
    ("POST", "/api/v1/communities/{slug}/rules/accept"): "accept_rules",
    ("PATCH", "/api/v1/communities/{slug}/rules/{rule_id}"): "update_rule",
    ("DELETE", "/api/v1/communities/{slug}/rules/{rule_id}"): "remove_rule",
    ("POST", "/api/v1/communities/{slug}/rules/{rule_id}/move"): "move_rule",
    ("GET", "/api/v1/communities/{slug}/moderation/settings"): "get_moderation_settings",
    ("PATCH", "/api/v1/communities/{slug}/moderation/settings"): "update_moderation_settings",
    ("POST", "/api/v1/communities/{slug}/posts/{post_id}/flags"): "flag_post",
    ("GET", "/api/v1/communities/{slug}/review-items"): "list_review_items",
    ("GET", "/api/v1/communities/{slug}/review-items/{item_id}"): "get_review_item",
    ("POST", "/api/v1/communities/{slug}/review-items/{item_id}/claim"): "claim_review_item",
    ("POST", "/api/v1/communities/{slug}/review-items/{item_id}/release"): "release_review_item",
    ("POST", "/api/v1/communities/{slug}/review-items/{item_id}/decision"): "decide_review_item",
    ("GET", "/api/v1/communities/{slug}/moderation/log"): "list_moderation_log",
    ("GET", "/api/v1/communities/{slug}/moderation/log/{entry_id}"): "get_moderation_log_entry",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/warn"): "warn_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/silence"): "silence_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/unsilence"): "unsilence_member",
    ("GET", "/api/v1/communities/{slug}/members/{member_id}/notes"): "list_member_notes",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/notes"): "add_member_note",
    ("GET", "/api/v1/communities/{slug}/moderation/record"): "list_my_moderation_record",
    ("POST", "/api/v1/communities/{slug}/moderation/record/{entry_id}/appeal"): "appeal_moderation_entry",
    ("GET", "/api/v1/communities/{slug}/appeals"): "list_appeals",
    ("POST", "/api/v1/communities/{slug}/appeals/{appeal_id}/decision"): "decide_appeal",
    ("POST", "/api/v1/communities/{slug}/posts/{post_id}/hide"): "hide_post",
    ("POST", "/api/v1/communities/{slug}/posts/{post_id}/unhide"): "unhide_post",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/move"): "move_thread",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/merge"): "merge_thread",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/split"): "split_thread",
    ("GET", "/api/v1/me/tokens"): "list_my_tokens",
    ("POST", "/api/v1/me/tokens"): "create_my_token",
    ("DELETE", "/api/v1/me/tokens/{token_id}"): "revoke_my_token",
    ("GET", "/api/v1/me/memberships"): "list_my_memberships",
    ("GET", "/api/v1/communities"): "list_communities",
    ("POST", "/api/v1/communities"): "create_community",
    ("GET", "/api/v1/communities/{slug}"): "get_community",
    ("PATCH", "/api/v1/communities/{slug}"): "update_community",
    ("GET", "/api/v1/communities/{slug}/spaces"): "list_spaces",
    ("POST", "/api/v1/communities/{slug}/spaces"): "create_space",
    ("GET", "/api/v1/communities/{slug}/spaces/{space_slug}"): "get_space",
    ("PATCH", "/api/v1/communities/{slug}/spaces/{space_slug}"): "update_space",
    ("GET", "/api/v1/communities/{slug}/members"): "list_members",
    ("GET", "/api/v1/communities/{slug}/members/{member_id}"): "get_member",
    ("POST", "/api/v1/communities/{slug}/join"): "join_community",
    ("POST", "/api/v1/communities/{slug}/leave"): "leave_community",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/approve"): "approve_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/decline"): "decline_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/suspend"): "suspend_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/ban"): "ban_member",
    ("POST", "/api/v1/communities/{slug}/members/{member_id}/reinstate"): "reinstate_member",
    ("PUT", "/api/v1/communities/{slug}/members/{member_id}/role"): "change_member_role",
    ("GET", "/api/v1/communities/{slug}/invitations"): "list_invitations",
    ("POST", "/api/v1/communities/{slug}/invitations"): "create_invitation",
    ("DELETE", "/api/v1/communities/{slug}/invitations/{invitation_id}"): "revoke_invitation",
    ("POST", "/api/v1/invitations/{token}/accept"): "accept_invitation",
    ("GET", "/api/v1/communities/{slug}/threads"): "list_threads",
    ("POST", "/api/v1/communities/{slug}/threads"): "create_thread",
    ("GET", "/api/v1/communities/{slug}/threads/{thread_id}"): "get_thread",
    ("PATCH", "/api/v1/communities/{slug}/threads/{thread_id}"): "moderate_thread",
    ("PUT", "/api/v1/communities/{slug}/threads/{thread_id}/tags"): "set_thread_tags",
    ("GET", "/api/v1/communities/{slug}/threads/{thread_id}/posts"): "list_posts",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/posts"): "create_post",
    ("PATCH", "/api/v1/communities/{slug}/posts/{post_id}"): "update_post",
    ("DELETE", "/api/v1/communities/{slug}/posts/{post_id}"): "delete_post",
    ("GET", "/api/v1/communities/{slug}/posts/{post_id}/revisions"): "list_post_revisions",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/accept"): "accept_answer",
    ("PUT", "/api/v1/communities/{slug}/posts/{post_id}/reactions/{kind}"): "add_reaction",
    ("DELETE", "/api/v1/communities/{slug}/posts/{post_id}/reactions/{kind}"): "remove_reaction",
    ("PUT", "/api/v1/communities/{slug}/threads/{thread_id}/follow"): "follow_thread",
    ("DELETE", "/api/v1/communities/{slug}/threads/{thread_id}/follow"): "unfollow_thread",
    ("PUT", "/api/v1/communities/{slug}/spaces/{space_slug}/follow"): "follow_space",
    ("DELETE", "/api/v1/communities/{slug}/spaces/{space_slug}/follow"): "unfollow_space",
    ("PUT", "/api/v1/communities/{slug}/tags/{tag}/follow"): "follow_tag",
    ("DELETE", "/api/v1/communities/{slug}/tags/{tag}/follow"): "unfollow_tag",
    ("PUT", "/api/v1/communities/{slug}/threads/{thread_id}/bookmark"): "bookmark_thread",
    ("DELETE", "/api/v1/communities/{slug}/threads/{thread_id}/bookmark"): "remove_bookmark",
    ("GET", "/api/v1/communities/{slug}/bookmarks"): "list_bookmarks",
    ("GET", "/api/v1/communities/{slug}/tags"): "list_tags",
    ("POST", "/api/v1/communities/{slug}/tags"): "create_tag",
    ("GET", "/api/v1/communities/{slug}/products"): "list_products",
    ("POST", "/api/v1/communities/{slug}/products"): "create_product",
    ("GET", "/api/v1/communities/{slug}/collections"): "list_collections",
    ("POST", "/api/v1/communities/{slug}/collections"): "create_collection",
    ("GET", "/api/v1/communities/{slug}/collections/{collection_id}"): "get_collection",
    ("PUT", "/api/v1/communities/{slug}/collections/{collection_id}/threads/{thread_id}"): "add_to_collection",
    ("DELETE", "/api/v1/communities/{slug}/collections/{collection_id}/threads/{thread_id}"): "remove_from_collection",
    ("GET", "/api/v1/communities/{slug}/search"): "search_posts",
    ("GET", "/api/v1/communities/{slug}/ideas"): "list_ideas",
    ("POST", "/api/v1/communities/{slug}/ideas"): "create_idea",
    ("GET", "/api/v1/communities/{slug}/ideas/similar"): "find_similar_ideas",
    ("GET", "/api/v1/communities/{slug}/ideas/statuses"): "list_idea_statuses",
    ("POST", "/api/v1/communities/{slug}/ideas/statuses"): "create_idea_status",
    ("PATCH", "/api/v1/communities/{slug}/ideas/statuses/{key}"): "update_idea_status",
    ("DELETE", "/api/v1/communities/{slug}/ideas/statuses/{key}"): "delete_idea_status",
    ("GET", "/api/v1/communities/{slug}/ideas/categories"): "list_idea_categories",
    ("POST", "/api/v1/communities/{slug}/ideas/categories"): "create_idea_category",
    ("PATCH", "/api/v1/communities/{slug}/ideas/categories/{category_slug}"): "update_idea_category",
    ("DELETE", "/api/v1/communities/{slug}/ideas/categories/{category_slug}"): "delete_idea_category",
    ("GET", "/api/v1/communities/{slug}/ideas/{idea_id}"): "get_idea",
    ("PATCH", "/api/v1/communities/{slug}/ideas/{idea_id}"): "update_idea",
    ("PUT", "/api/v1/communities/{slug}/ideas/{idea_id}/vote"): "vote_for_idea",
    ("DELETE", "/api/v1/communities/{slug}/ideas/{idea_id}/vote"): "withdraw_vote",
    ("GET", "/api/v1/communities/{slug}/ideas/{idea_id}/voters"): "list_idea_voters",
    ("POST", "/api/v1/communities/{slug}/ideas/{idea_id}/status"): "change_idea_status",
    ("GET", "/api/v1/communities/{slug}/ideas/{idea_id}/history"): "list_idea_history",
    ("POST", "/api/v1/communities/{slug}/ideas/{idea_id}/merge"): "merge_idea",
    ("GET", "/api/v1/communities/{slug}/roadmap"): "get_roadmap",
    ("GET", "/api/v1/communities/{slug}/changelog"): "list_changelog",
    ("GET", "/api/v1/communities/{slug}/beta-groups"): "list_beta_groups",
    ("POST", "/api/v1/communities/{slug}/beta-groups"): "create_beta_group",
    ("GET", "/api/v1/communities/{slug}/beta-groups/{group_id}"): "get_beta_group",
    ("POST", "/api/v1/communities/{slug}/beta-groups/{group_id}/invitations"): "invite_to_beta_group",
    ("GET", "/api/v1/communities/{slug}/beta-groups/{group_id}/candidates"): "suggest_beta_candidates",
    ("GET", "/api/v1/communities/{slug}/beta-invitations"): "list_my_beta_invitations",
    ("POST", "/api/v1/communities/{slug}/beta-invitations/{invitation_id}/accept"): "accept_beta_invitation",
    ("POST", "/api/v1/communities/{slug}/beta-invitations/{invitation_id}/decline"): "decline_beta_invitation",
    ("DELETE", "/api/v1/communities/{slug}/beta-invitations/{invitation_id}"): "remove_from_beta_group",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/close"): "close_thread",
    ("POST", "/api/v1/communities/{slug}/threads/{thread_id}/reopen"): "reopen_thread",
    ("PUT", "/api/v1/communities/{slug}/posts/{post_id}/wiki"): "make_wiki",
    ("DELETE", "/api/v1/communities/{slug}/posts/{post_id}/wiki"): "remove_wiki",
    ("GET", "/api/v1/communities/{slug}/leaderboard"): "get_leaderboard",
    ("GET", "/api/v1/communities/{slug}/points/rules"): "list_points_rules",
    ("PATCH", "/api/v1/communities/{slug}/points/rules"): "update_points_rules",
    ("GET", "/api/v1/communities/{slug}/points/settings"): "get_points_settings",
    ("PATCH", "/api/v1/communities/{slug}/points/settings"): "update_points_settings",
    ("GET", "/api/v1/communities/{slug}/members/{handle}/points"): "get_member_points",
    ("POST", "/api/v1/communities/{slug}/members/{handle}/points"): "give_member_points",
    ("GET", "/api/v1/communities/{slug}/members/{handle}/points/history"): "list_member_points_history",
    ("POST", "/api/v1/communities/{slug}/points/entries/{entry_id}/cancel"): "cancel_points_entry",
    ("GET", "/api/v1/communities/{slug}/badges"): "list_badges",
    ("POST", "/api/v1/communities/{slug}/badges"): "create_badge",
    ("GET", "/api/v1/communities/{slug}/badges/{key}"): "get_badge",
    ("PATCH", "/api/v1/communities/{slug}/badges/{key}"): "update_badge",
    ("DELETE", "/api/v1/communities/{slug}/badges/{key}"): "delete_badge",
    ("GET", "/api/v1/communities/{slug}/badges/{key}/holders"): "list_badge_holders",
    ("POST", "/api/v1/communities/{slug}/badges/{key}/awards"): "award_badge",
    ("DELETE", "/api/v1/communities/{slug}/badge-awards/{award_id}"): "revoke_badge",
    ("GET", "/api/v1/communities/{slug}/members/{handle}/badges"): "get_member_badges",
    ("GET", "/api/v1/communities/{slug}/trust-levels"): "get_trust_levels",
    ("GET", "/api/v1/communities/{slug}/members/{handle}/trust"): "get_member_trust",
    ("PUT", "/api/v1/communities/{slug}/members/{handle}/trust"): "pin_member_trust",
    ("GET", "/api/v1/communities/{slug}/ranks"): "list_ranks",
    ("POST", "/api/v1/communities/{slug}/ranks"): "create_rank",
    ("PATCH", "/api/v1/communities/{slug}/ranks/{rank_id}"): "update_rank",
    ("DELETE", "/api/v1/communities/{slug}/ranks/{rank_id}"): "delete_rank",
    ("GET", "/api/v1/communities/{slug}/perks"): "list_perks",
    ("POST", "/api/v1/communities/{slug}/perks"): "create_perk",
    ("GET", "/api/v1/communities/{slug}/perks/{perk_id}"): "get_perk",
    ("PATCH", "/api/v1/communities/{slug}/perks/{perk_id}"): "update_perk",
    ("POST", "/api/v1/communities/{slug}/perks/{perk_id}/codes"): "add_perk_codes",
    ("POST", "/api/v1/communities/{slug}/perks/{perk_id}/claim"): "claim_perk",
    ("GET", "/api/v1/communities/{slug}/perks/{perk_id}/claims"): "list_perk_claims",
    ("GET", "/api/v1/communities/{slug}/celebrations"): "list_celebrations",
    ("GET", "/api/v1/communities/{slug}/programme/candidates"): "suggest_programme_candidates",
    ("GET", "/api/v1/communities/{slug}/nominations"): "list_nominations",
    ("POST", "/api/v1/communities/{slug}/nominations"): "nominate_member",
    ("GET", "/api/v1/communities/{slug}/nominations/{nomination_id}"): "get_nomination",
    ("POST", "/api/v1/communities/{slug}/nominations/{nomination_id}/accept"): "accept_nomination",
    ("POST", "/api/v1/communities/{slug}/nominations/{nomination_id}/decline"): "decline_nomination",
    ("POST", "/api/v1/communities/{slug}/nominations/{nomination_id}/withdraw"): "withdraw_nomination",
    ("GET", "/api/v1/communities/{slug}/experts"): "list_programme_members",
    ("PUT", "/api/v1/communities/{slug}/members/{handle}/areas"): "set_expert_areas",
    ("DELETE", "/api/v1/communities/{slug}/programme/members/{handle}"): "leave_programme",
    ("GET", "/api/v1/communities/{slug}/members/{handle}/recognition"): "get_member_recognition",
    ("GET", "/api/v1/communities/{slug}/insights/summary"): "get_insights_summary",
    ("GET", "/api/v1/communities/{slug}/insights/alerts"): "list_insight_alerts",
    ("GET", "/api/v1/communities/{slug}/insights/alerts/{alert_id}"): "get_insight_alert",
    ("POST", "/api/v1/communities/{slug}/insights/alerts/{alert_id}/state"): "set_insight_alert_state",
    ("GET", "/api/v1/communities/{slug}/insights/themes"): "list_insight_themes",
    ("POST", "/api/v1/communities/{slug}/insights/themes/rebuild"): "rebuild_insight_themes",
    ("GET", "/api/v1/communities/{slug}/insights/themes/{theme_id}"): "get_insight_theme",
    ("PATCH", "/api/v1/communities/{slug}/insights/themes/{theme_id}"): "update_insight_theme",
    ("POST", "/api/v1/communities/{slug}/insights/themes/{theme_id}/merge"): "merge_insight_theme",
    ("GET", "/api/v1/communities/{slug}/insights/posts"): "list_analysed_posts",
    ("GET", "/api/v1/communities/{slug}/posts/{post_id}/analysis"): "get_post_analysis",
    ("PUT", "/api/v1/communities/{slug}/posts/{post_id}/sentiment"): "correct_post_sentiment",
    ("GET", "/api/v1/communities/{slug}/threads/{thread_id}/similar"): "find_similar_threads",
}


# The spec


@pytest.fixture
def spec():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_the_spec_lists_every_operation_with_its_stable_id(spec):
    found = {(method, path): operation["operationId"] for method, path, operation in operations(spec)}
    assert found == EXPECTED_OPERATIONS


def test_every_operation_has_a_summary_and_a_description(spec):
    for method, path, operation in operations(spec):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)


def test_every_operation_documents_its_problem_responses(spec):
    problem = {"$ref": "#/components/schemas/ProblemOut"}
    for method, path, operation in operations(spec):
        codes = {int(code) for code in operation["responses"]}
        expected = {401, 403, 404, 422} | ({400, 409, 429} if method in UNSAFE else set())
        assert expected <= codes, (method, path, codes)
        for code in codes - {200, 201, 202, 204}:
            content = operation["responses"][str(code)]["content"]
            assert content == {"application/problem+json": {"schema": problem}}, (method, path, code)


def test_the_problem_schema_has_the_rfc_9457_members(spec):
    assert {"type", "title", "status", "detail"} <= set(spec["components"]["schemas"]["ProblemOut"]["required"])


def test_lists_are_cursor_paginated(spec):
    for _method, path, operation in operations(spec):
        if operation["operationId"].startswith("list_"):
            parameters = {parameter["name"] for parameter in operation["parameters"]}
            assert {"cursor", "page_size"} <= parameters, path
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
            assert set(spec["components"]["schemas"][schema]["properties"]) == {
                "results",
                "next_cursor",
                "previous_cursor",
            }


def test_the_docs_page_is_served():
    assert Client().get(f"{API}/docs").status_code == 200


def test_every_unsafe_operation_is_rate_limited():
    checked = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if set(operation.methods) & UNSAFE:
                    assert getattr(operation.view_func, "_belong_rate_limited", False), operation.view_func
                    checked += 1
    assert checked == sum(1 for method, _path in EXPECTED_OPERATIONS if method in UNSAFE)


# Authentication


def test_no_credentials_is_a_401_problem_with_a_challenge():
    response = Client().get(f"{API}/me")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("garbage", ["blg_not-a-real-token", "nonsense", "blg_"])
def test_a_garbage_token_is_a_401_problem(garbage):
    response = Client(headers={"Authorization": f"Bearer {garbage}"}).get(f"{API}/me")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_garbage_token_is_refused_even_on_public_reads(community):
    client = Client(headers={"Authorization": "Bearer blg_wrong"})
    assert_problem(client.get(f"{API}/communities"), 401)


def test_a_revoked_token_is_a_401_problem(user):
    raw = token_for(user)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert_problem(Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me"), 401)


def test_an_expired_token_is_a_401_problem(user):
    raw = token_for(user, expires_at=timezone.now() + timedelta(minutes=5))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me"), 401)


def test_a_token_of_a_deactivated_person_is_a_401_problem(user):
    client = token_client(user)
    user.is_active = False
    user.save()
    assert_problem(client.get(f"{API}/me"), 401)


def test_a_read_only_token_reads_but_cannot_write(user):
    client = token_client(user, scopes=("read",))
    assert client.get(f"{API}/me").status_code == 200
    response = client.post(f"{API}/communities", {"name": "Acme", "slug": "acme"}, content_type="application/json")
    assert_problem(response, 403)
    assert not Community.objects.exists()


def test_using_a_token_notes_when_it_was_last_used(user):
    raw = token_for(user)
    assert ApiToken.objects.get().last_used_at is None
    Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me")
    used = ApiToken.objects.get().last_used_at
    assert used is not None and timezone.now() - used < timedelta(seconds=10)


def test_a_session_write_without_the_csrf_token_is_a_403_problem(user):
    client = session_client(user, enforce_csrf_checks=True)
    response = client.post(f"{API}/communities", {"name": "Acme", "slug": "acme"}, content_type="application/json")
    body = assert_problem(response, 403)
    assert "CSRF" in body["detail"]
    assert not Community.objects.exists()


def test_a_session_write_with_the_csrf_token_succeeds(user):
    client = session_client(user, enforce_csrf_checks=True)
    secret = "abcdefghijklmnopqrstuvwxyzABCDEF"  # any 32 letters: the cookie's secret, sent back unmasked
    client.cookies["csrftoken"] = secret
    response = client.post(
        f"{API}/communities",
        {"name": "Acme", "slug": "acme"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, response.content


def test_a_session_read_needs_no_csrf_token(user):
    assert session_client(user, enforce_csrf_checks=True).get(f"{API}/me").status_code == 200


def test_a_token_write_needs_no_csrf_token(user):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token_for(user)}"})
    response = client.post(f"{API}/communities", {"name": "Acme", "slug": "acme"}, content_type="application/json")
    assert response.status_code == 201, response.content


# Rate limits


def test_writes_past_the_rate_are_a_429_problem_with_retry_after(user, settings):
    settings.BELONG_WRITE_RATE = "2/m"
    client = token_client(user)
    for bio in ("one", "two"):
        assert client.patch(f"{API}/me", {"bio": bio}, content_type="application/json").status_code == 200
    response = client.patch(f"{API}/me", {"bio": "three"}, content_type="application/json")
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    user.refresh_from_db()
    assert user.bio == "two"


def test_reads_are_not_rate_limited(user, settings):
    settings.BELONG_WRITE_RATE = "1/m"
    client = token_client(user)
    for _ in range(3):
        assert client.get(f"{API}/me").status_code == 200


def test_the_write_rate_is_counted_per_ip_address_across_members(settings):
    from belong.accounts.tests.factories import UserFactory

    settings.BELONG_WRITE_RATE = "2/m"
    first, second, elsewhere = UserFactory(), UserFactory(), UserFactory()
    first_client = token_client(first)
    second_client = token_client(second)
    assert first_client.patch(f"{API}/me", {"bio": "a"}, content_type="application/json").status_code == 200
    assert second_client.patch(f"{API}/me", {"bio": "b"}, content_type="application/json").status_code == 200
    assert_problem(second_client.patch(f"{API}/me", {"bio": "c"}, content_type="application/json"), 429)
    other_ip = token_client(elsewhere)
    response = other_ip.patch(f"{API}/me", {"bio": "d"}, content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200


def test_the_write_rate_is_counted_per_member_across_addresses(user, settings):
    settings.BELONG_WRITE_RATE = "2/m"
    client = token_client(user)
    for address in ("10.0.0.1", "10.0.0.2"):
        response = client.patch(f"{API}/me", {"bio": address}, content_type="application/json", REMOTE_ADDR=address)
        assert response.status_code == 200
    response = client.patch(f"{API}/me", {"bio": "x"}, content_type="application/json", REMOTE_ADDR="10.0.0.3")
    assert_problem(response, 429)


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_404_problem():
    assert_problem(Client().get(f"{API}/no-such-thing/here"), 404)
