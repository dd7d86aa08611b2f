"""The insights overview in a real browser (headless Chromium), with a screenshot to look at.

Runs when Debian's Chromium is installed, like tests/test_browser.py; the screenshot goes to
$BELONG_SHOTS_DIR (default: the test's tmp_path) as insights-overview.png.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from belong.communities.models import Role
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations.models import Post
from belong.insights import rollups
from belong.insights.models import PostAnalysis
from belong.insights.tests.web_data import alert_of, analysed_post, posts_in_four_languages, theme_of

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "correct horse battery"

if not os.path.exists(CHROMIUM):
    if os.environ.get("BELONG_REQUIRE_BROWSER") == "1":
        raise RuntimeError("BELONG_REQUIRE_BROWSER=1 but Chromium is not installed at /usr/bin/chromium")
    pytest.skip("Chromium is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

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
            connections.close_all()


def a_month_of_posts(space: Any) -> None:
    """Thirty days of analysed posts with a bad last few days, so the chart has a story to tell."""
    rng = random.Random(6)
    now = timezone.now()
    languages = ["en", "en", "pt", "pt", "bg", "af"]
    for days_ago in range(30):
        bad = days_ago < 3
        for _ in range(rng.randint(3, 9) + (6 if bad else 0)):
            sentiment = rng.choices(["negative", "neutral", "positive"], [5 if bad else 1, 2, 3])[0]
            post = analysed_post(
                space, sentiment=sentiment, language=rng.choice(languages), flagged=rng.random() < 0.03
            )
            posted = now - timedelta(days=days_ago, minutes=rng.randint(10, 600))
            Post.objects.filter(pk=post.pk).update(created_at=posted)
            PostAnalysis.objects.filter(post=post).update(posted_at=posted)
    for days_ago in range(31):
        rollups.refresh(space.community_id, (now - timedelta(days=days_ago)).date())


def test_the_overview_draws_the_charts_for_a_manager(live_server, browser_page, tmp_path):
    community = CommunityFactory(name="Ponte Coffee", slug="ponte")
    support = SpaceFactory(community=community, name="Support")
    a_month_of_posts(SpaceFactory(community=community, name="Brewing"))
    posts = posts_in_four_languages(community, support)
    alert_of(community, posts[:1] + posts[3:4] + posts[5:6])
    theme_of(community, [posts[0], posts[3], posts[5], posts[7]], name="Battery drain")
    manager = MembershipFactory(community=community, role=Role.MANAGER)
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").first.fill(manager.user.email)
    page.get_by_label("Password").first.fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/c/ponte/insights/")

    assert page.locator("svg.sentiment-chart .chart-bar").count() == 30
    assert page.locator("svg.sentiment-chart path.score-line").count() == 1
    assert page.get_by_role("link", name="Rise in the share of negative posts", exact=True).count() == 1
    assert page.get_by_role("link", name="Battery drain", exact=True).count() == 1
    assert page.get_by_role("link", name="Insights", exact=True).get_attribute("aria-current") == "page"
    shots = Path(os.environ.get("BELONG_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "insights-overview.png"), full_page=True)

    page.get_by_label("Period").select_option("7")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("svg.sentiment-chart .chart-bar").count() == 7
