"""A person's path through the site in a real browser (headless Chromium driven by Playwright).

Runs when Debian's Chromium is installed (`.ci/run` installs it and sets BELONG_REQUIRE_BROWSER=1,
which turns a missing browser into a failure instead of a skip).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Membership, MembershipState, Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct horse battery"

if not os.path.exists(CHROMIUM):
    if os.environ.get("BELONG_REQUIRE_BROWSER") == "1":
        raise RuntimeError("BELONG_REQUIRE_BROWSER=1 but Chromium is not installed at /usr/bin/chromium")
    pytest.skip("Chromium is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls the test makes in between are
    # plain synchronous calls and safe, so Django's async guard is lifted for these tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # The test's ORM calls ran inside Playwright's greenlet, whose context holds its own
            # database connection; close it here or PostgreSQL cannot drop the test database.
            connections.close_all()


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("Password").first.fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_a_visitor_signs_in_joins_a_community_and_switches_language(live_server, browser_page, tmp_path):
    community = CommunityFactory(name="Trailhead Outfitters", slug="trailhead")
    MembershipFactory(community=community, role=Role.OWNER)
    person = UserFactory(handle="maria", email="maria@example.com")
    page = browser_page

    page.goto(live_server.url + "/")
    assert "Trailhead Outfitters" in page.content()

    sign_in(page, live_server.url, person.email)
    page.goto(f"{live_server.url}/c/trailhead/")
    page.get_by_role("button", name="Join").first.click()
    page.wait_for_load_state()
    membership = Membership.objects.get(user=person, community=community)
    assert membership.state == MembershipState.ACTIVE
    page.screenshot(path=str(tmp_path / "community.png"), full_page=True)

    page.locator("select[name=language]").first.select_option("bg")
    page.locator(
        "form[action$='/i18n/setlang/'] button, form[action$='/i18n/setlang/'] input[type=submit]"
    ).first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "bg"


def test_a_manager_approves_a_request_in_place_without_leaving_the_page(live_server, browser_page):
    community = CommunityFactory(name="Ponte", slug="ponte")
    manager = MembershipFactory(community=community, role=Role.MANAGER)
    applicant = MembershipFactory(community=community, state=MembershipState.PENDING, joined_at=None)
    page = browser_page

    sign_in(page, live_server.url, manager.user.email)
    page.goto(f"{live_server.url}/c/ponte/members/?state=pending")
    row = page.locator(f"#member-{applicant.pk}")
    page.evaluate("window.stillTheSamePage = true")
    row.get_by_role("button", name="Approve").click()
    page.locator(f"#member-{applicant.pk} .row-notice").wait_for()

    # htmx swapped the row: no navigation happened, and the row now says what changed.
    assert page.evaluate("window.stillTheSamePage") is True
    assert "pending" in page.url
    assert "is now a member" in page.locator(f"#member-{applicant.pk}").inner_text()
    applicant.refresh_from_db()
    assert applicant.state == MembershipState.ACTIVE


def test_a_member_replies_and_reacts_in_a_thread_without_reloading(live_server, browser_page):
    from belong.conversations import actions as conversation_actions
    from belong.conversations.models import Post, ThreadKind

    community = CommunityFactory(name="Ponte", slug="ponte")
    space = community.spaces.create(name="Brew help", slug="brew-help")
    asker = MembershipFactory(community=community)
    helper = MembershipFactory(community=community)
    thread = conversation_actions.create_thread(
        author=asker.user, space=space, kind=ThreadKind.QUESTION, title="Колко фино да меля?", body="За V60."
    )
    page = browser_page

    sign_in(page, live_server.url, helper.user.email)
    page.goto(f"{live_server.url}/c/ponte/t/{thread.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#reply-form textarea[name=body]").fill("Средно фино, като морска сол. **Опитай** 15 g.")
    page.locator("#reply-form button[type=submit]").click()
    page.locator("#posts strong", has_text="Опитай").wait_for()

    opening = Post.objects.get(thread=thread, is_opening=True)
    page.locator(f"#react-{opening.pk}-helpful").click()
    page.locator(f"#react-{opening.pk}-helpful[aria-pressed=true]").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True
    reply = Post.objects.get(thread=thread, is_opening=False)
    assert reply.author_id == helper.user_id and "<strong>Опитай</strong>" in reply.body_html
    assert opening.reactions.filter(user=helper.user, kind="helpful").exists()


def test_a_member_sees_a_duplicate_while_typing_proposes_another_idea_and_votes(live_server, browser_page, tmp_path):
    from belong.ideas import actions as idea_actions
    from belong.ideas.models import Idea

    shots = Path(os.environ.get("BELONG_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    community = CommunityFactory(name="Ponte", slug="ponte")
    space = community.spaces.create(name="Ideias", slug="ideias")
    proposer = MembershipFactory(community=community)
    member = MembershipFactory(community=community)
    existing = idea_actions.propose_idea(
        author=proposer.user, space=space, title="Modo escuro para a aplicação", description="Os olhos agradecem."
    )
    page = browser_page

    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/c/ponte/ideas/new/")
    title = page.get_by_label("Title")
    title.press_sequentially("modo escuro na app", delay=40)
    page.locator("#similar-ideas", has_text="Already proposed?").wait_for()
    assert "Modo escuro para a aplicação" in page.locator("#similar-ideas").inner_text()

    title.fill("Exportar encomendas em CSV")
    page.get_by_label("Description").fill("Para a contabilidade, **por favor**.")
    page.get_by_role("button", name="Propose the idea").click()
    page.wait_for_load_state()
    mine = Idea.objects.exclude(pk=existing.pk).get()
    assert page.url.endswith(f"/c/ponte/ideas/{mine.pk}/")
    assert page.locator("#posts strong", has_text="por favor").is_visible()
    page.screenshot(path=str(shots / "idea.png"), full_page=True)

    page.goto(f"{live_server.url}/c/ponte/ideas/?sort=top")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(f"#vote-button-{existing.pk}").click()
    page.locator(f"#vote-button-{existing.pk}[aria-pressed=true]").wait_for()
    assert page.locator(f"#vote-count-{existing.pk}").inner_text() == "2"
    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=str(shots / "board.png"), full_page=True)
    existing.refresh_from_db()
    assert existing.vote_count == 2 and existing.votes.filter(user=member.user).exists()
