"""Drafts in a real browser: the reply box saves itself while the member types, and comes back filled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.conversations import actions as conversation_actions
from belong.conversations.models import Draft, Post, ThreadKind
from tests.test_browser import browser_page, sign_in  # noqa: F401  (the fixture, shared)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reply_is_kept_as_a_draft_while_typing_and_goes_once_posted(live_server, browser_page, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("BELONG_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    community = CommunityFactory(name="Ponte", slug="ponte")
    space = community.spaces.create(name="Brew help", slug="brew-help")
    asker = MembershipFactory(community=community)
    helper = MembershipFactory(community=community)
    thread = conversation_actions.create_thread(
        author=asker.user, space=space, kind=ThreadKind.QUESTION, title="Qual moagem?", body="Para V60."
    )
    page = browser_page

    sign_in(page, live_server.url, helper.user.email)
    page.goto(f"{live_server.url}/c/ponte/t/{thread.pk}/")
    page.locator("#reply-form textarea[name=body]").press_sequentially("Média, como sal grosso.", delay=20)
    page.locator("#draft-status", has_text="Draft saved").wait_for()
    assert Draft.objects.get(user=helper.user, thread=thread).body == "Média, como sal grosso."

    page.reload()
    assert page.locator("#reply-form textarea[name=body]").input_value() == "Média, como sal grosso."
    assert "Restored from your draft" in page.locator("#draft-status").inner_text()
    page.screenshot(path=str(shots / "reply-draft.png"), full_page=True)

    page.goto(f"{live_server.url}/c/ponte/drafts/")
    assert "Média, como sal grosso." in page.content()
    page.screenshot(path=str(shots / "drafts.png"), full_page=True)

    page.goto(f"{live_server.url}/c/ponte/t/{thread.pk}/")
    page.locator("#reply-form button[type=submit]").click()
    page.locator("#posts p", has_text="sal grosso").wait_for()
    assert Post.objects.filter(thread=thread, is_opening=False, author=helper.user).exists()
    assert not Draft.objects.filter(user=helper.user).exists()
