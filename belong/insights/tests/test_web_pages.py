"""The managers' insights pages: who sees them, what they show, and that their lists stay query-constant."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.insights import rollups, tasks
from belong.insights.tests.web_data import alert_of, analysed_post, posts_in_four_languages, theme_of

pytestmark = pytest.mark.django_db

PAGES = ["insights:home", "insights:alerts", "insights:themes", "insights:posts"]


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


@pytest.fixture
def four_languages(community, space) -> list[Any]:
    return posts_in_four_languages(community, space)


def test_the_overview_shows_the_numbers_charts_alerts_and_themes(manager_client, community, space, four_languages):
    posts = four_languages
    alert = alert_of(community, [posts[0], posts[3]])
    theme = theme_of(community, [posts[0], posts[3], posts[5]], name="Battery drain")

    response = manager_client.get(reverse("insights:home", args=[community.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    totals = response.context["totals"]
    assert totals.posts == len(posts)
    assert totals.negative >= 4  # the four complaints, one per language
    assert f"<dd>{totals.posts}</dd>" in html
    assert "Sentiment over time" in html and "<svg" in html and "score-line" in html
    assert html.count('class="chart-bar"') == 30
    assert "The numbers as a table" in html
    for language in ("English", "Portuguese", "Bulgarian", "Afrikaans"):
        assert language in html
    assert reverse("insights:alert", args=[community.slug, alert.pk]) in html
    assert reverse("insights:theme", args=[community.slug, theme.pk]) in html
    assert "Battery drain" in html
    assert "Батерията се изтощава" in html  # a quote, and the recent negative posts


def test_the_overview_filters_by_period_language_space_and_kind(manager_client, community, space, four_languages):
    other = SpaceFactory(community=community, name="Elsewhere")
    analysed_post(other, sentiment="positive")
    rollups.refresh(community.pk, timezone.now().date())
    url = reverse("insights:home", args=[community.slug])

    week = manager_client.get(url, {"days": 7, "language": "bg"})
    assert week.context["totals"].posts == 2
    assert len(week.context["chart"].bars) == 7
    assert manager_client.get(url, {"space": other.pk}).context["totals"].posts == 1
    assert manager_client.get(url, {"kind": "criticism"}).context["totals"].posts == 4
    # Nonsense falls back to the defaults instead of failing.
    assert manager_client.get(url, {"days": "forever"}).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_are_refused_to_members_and_anonymous_people(name, community, member_client):
    url = reverse(name, args=[community.slug])
    assert member_client.get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_insights_tab_is_shown_to_managers_only(manager_client, member_client, community):
    url = reverse("insights:home", args=[community.slug])
    thread_list = reverse("conversations:threads", args=[community.slug])
    assert url in manager_client.get(thread_list).content.decode()
    assert url not in member_client.get(thread_list).content.decode()


def _lots(community, space, n: int, *, first_day: int = 0) -> None:
    for i in range(n):
        post = analysed_post(space, sentiment="negative", language=["en", "pt", "bg", "af"][i % 4], flagged=i % 2 == 0)
        alert_of(community, [post], days_ago=first_day + i)
        theme_of(community, [post], terms=[f"term{i}"])


def test_the_overview_reads_a_fixed_number_of_queries(manager_client, community, space):
    url = reverse("insights:home", args=[community.slug])
    _lots(community, space, 3)
    few = queries_for(manager_client, url)
    _lots(community, SpaceFactory(community=community), 12, first_day=3)
    assert queries_for(manager_client, url) == few


@pytest.mark.parametrize("name", ["insights:alerts", "insights:themes", "insights:posts"])
def test_the_lists_read_a_fixed_number_of_queries(name, manager_client, community, space):
    url = reverse(name, args=[community.slug])
    _lots(community, space, 3)
    few = queries_for(manager_client, url)
    _lots(community, space, 12, first_day=3)
    assert queries_for(manager_client, url) == few


# Alerts ---------------------------------------------------------------------------------------


def test_the_alert_page_explains_the_numbers_and_lists_the_posts(manager_client, community, space, four_languages):
    alert = alert_of(community, [four_languages[0], four_languages[5]])
    response = manager_client.get(reverse("insights:alert", args=[community.slug, alert.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "70%" in html and "20%" in html  # 14 of 20 negative, against a usual 20%
    assert "about once in 50,000 days" in html
    assert f"#post-{four_languages[5].pk}" in html
    assert "Acknowledge" in html and "Resolve" in html and "Reopen" not in html


def test_the_alert_list_filters_by_state(manager_client, community, space):
    post = analysed_post(space)
    open_alert = alert_of(community, [post])
    resolved = alert_of(community, [post], days_ago=3)
    resolved.state = "resolved"
    resolved.save()
    url = reverse("insights:alerts", args=[community.slug])
    listed = [alert.pk for alert in manager_client.get(url, {"state": "open"}).context["page"]]
    assert listed == [open_alert.pk]


def test_a_manager_acknowledges_resolves_and_reopens_an_alert(manager_client, manager, community, space):
    alert = alert_of(community, [analysed_post(space)])
    url = reverse("insights:alert_state", args=[community.slug, alert.pk])

    response = manager_client.post(url, {"state": "acknowledged", "note": "Looking into the batteries."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.state, alert.note, alert.handled_by_id) == (
        "acknowledged",
        "Looking into the batteries.",
        manager.user_id,
    )
    manager_client.post(url, {"state": "resolved"})
    manager_client.post(url, {"state": "open"})
    alert.refresh_from_db()
    assert alert.state == "open"


def test_the_alert_form_shows_errors_for_a_long_note_or_an_unknown_state(manager_client, community, space):
    alert = alert_of(community, [analysed_post(space)])
    url = reverse("insights:alert_state", args=[community.slug, alert.pk])

    long_note = manager_client.post(url, {"state": "resolved", "note": "x" * 2001})
    assert long_note.status_code == 422
    assert "Keep the note under 2000 characters." in long_note.content.decode()
    unknown = manager_client.post(url, {"state": "exploded"})
    assert unknown.status_code == 422
    alert.refresh_from_db()
    assert alert.state == "open"


def test_members_cannot_handle_alerts(member_client, community, space):
    alert = alert_of(community, [analysed_post(space)])
    url = reverse("insights:alert_state", args=[community.slug, alert.pk])
    assert member_client.post(url, {"state": "resolved"}).status_code == 403


def test_the_alert_email_links_to_the_alert_page(settings, community, manager, space):
    alert = alert_of(community, [analysed_post(space)])
    tasks.notify_alert.enqueue(alert.pk)
    body = mail.outbox[0].body
    assert reverse("insights:alert", args=[community.slug, alert.pk]) in body
    assert "14 of 20 posts were negative" in body


# Themes ---------------------------------------------------------------------------------------


def test_the_theme_pages_show_terms_trend_and_quotes(manager_client, community, space, four_languages):
    theme = theme_of(community, [four_languages[0], four_languages[3], four_languages[5]])
    listing = manager_client.get(reverse("insights:themes", args=[community.slug])).content.decode()
    assert "battery · drains · support" in listing and 'class="sparkline"' in listing
    detail = manager_client.get(reverse("insights:theme", args=[community.slug, theme.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "3 posts in the last 12 weeks" in html
    assert "A bateria acaba em duas horas" in html
    assert f"#post-{four_languages[5].pk}" in html


def test_a_manager_renames_a_theme_and_gets_an_error_for_a_long_name(manager_client, community, space):
    theme = theme_of(community, [analysed_post(space)])
    url = reverse("insights:rename_theme", args=[community.slug, theme.pk])
    assert manager_client.post(url, {"name": "Battery drain"}).status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Battery drain"
    too_long = manager_client.post(url, {"name": "x" * 121})
    assert too_long.status_code == 422
    assert "errorlist" in too_long.content.decode()


def test_a_manager_merges_a_theme_but_not_into_itself(manager_client, community, space):
    theme = theme_of(community, [analysed_post(space)])
    other = theme_of(community, [analysed_post(space)], terms=["screen"])
    url = reverse("insights:merge_theme", args=[community.slug, theme.pk])

    itself = manager_client.post(url, {"into": theme.pk})
    assert itself.status_code == 422
    assert "Choose another theme." in itself.content.decode()
    response = manager_client.post(url, {"into": other.pk})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.merged_into_id == other.pk
    # The merged theme's old address leads to the theme it lives on in.
    assert manager_client.get(reverse("insights:theme", args=[community.slug, theme.pk]))["Location"].endswith(
        f"/themes/{other.pk}/"
    )


def test_a_manager_links_a_theme_to_an_idea_and_unlinks_it(manager_client, community, space):
    from belong.ideas.tests.factories import IdeaFactory

    theme = theme_of(community, [analysed_post(space)])
    idea = IdeaFactory(thread__space=space)
    url = reverse("insights:link_theme", args=[community.slug, theme.pk])
    detail = manager_client.get(reverse("insights:theme", args=[community.slug, theme.pk])).content.decode()
    assert f'value="{idea.pk}"' in detail

    assert manager_client.post(url, {"idea": idea.pk}).status_code == 302
    theme.refresh_from_db()
    assert theme.idea_id == idea.pk
    assert manager_client.post(url, {"unlink": "1"}).status_code == 302
    theme.refresh_from_db()
    assert theme.idea_id is None
    assert manager_client.post(url, {"number": idea.pk}).status_code == 302
    theme.refresh_from_db()
    assert theme.idea_id == idea.pk


def test_linking_to_an_idea_of_another_community_or_no_idea_shows_an_error(manager_client, community, space):
    from belong.ideas.tests.factories import IdeaFactory

    theme = theme_of(community, [analysed_post(space)])
    foreign = IdeaFactory(thread__space=SpaceFactory(community=CommunityFactory()))
    url = reverse("insights:link_theme", args=[community.slug, theme.pk])

    by_number = manager_client.post(url, {"number": foreign.pk})
    assert by_number.status_code == 422
    assert "No such idea in this community." in by_number.content.decode()
    assert manager_client.post(url, {"idea": foreign.pk}).status_code == 422
    assert manager_client.post(url, {"number": 999999}).status_code == 422
    assert manager_client.post(url, {}).status_code == 422
    theme.refresh_from_db()
    assert theme.idea_id is None


def test_a_manager_rebuilds_the_themes_from_the_list(manager_client, community, four_languages):
    response = manager_client.post(reverse("insights:rebuild_themes", args=[community.slug]), follow=True)
    assert response.status_code == 200
    assert "The themes are rebuilt" in response.content.decode()


def test_members_cannot_use_the_theme_tools(member_client, community, space):
    theme = theme_of(community, [analysed_post(space)])
    assert (
        member_client.post(reverse("insights:rename_theme", args=[community.slug, theme.pk]), {"name": "x"}).status_code
        == 403
    )
    assert member_client.post(reverse("insights:rebuild_themes", args=[community.slug])).status_code == 403


# Posts and corrections ------------------------------------------------------------------------


def test_the_post_list_filters_by_sentiment_language_and_flags(manager_client, community, space, four_languages):
    url = reverse("insights:posts", args=[community.slug])
    negative_bg = manager_client.get(url, {"sentiment": "negative", "language": "bg"})
    rows = list(negative_bg.context["page"])
    assert [row.post_id for row in rows] == [four_languages[5].pk]
    html = negative_bg.content.decode()
    assert "Bulgarian" in html and "Correct the sentiment" in html
    flagged = analysed_post(space, sentiment="neutral", flagged=True)
    assert [row.post_id for row in manager_client.get(url, {"flagged": "yes"}).context["page"]] == [flagged.pk]


def test_a_manager_corrects_a_posts_sentiment(manager_client, community, space, four_languages):
    from belong.insights.models import DailyRollup, PostAnalysis, SentimentCorrection

    post = four_languages[7]  # the Afrikaans complaint
    url = reverse("insights:correct_sentiment", args=[community.slug, post.pk])
    back = reverse("insights:posts", args=[community.slug]) + "?language=af"
    response = manager_client.post(url, {"label": "neutral", "next": back})
    assert response.status_code == 302
    assert response["Location"] == f"{back}#analysis-{post.pk}"
    analysis = PostAnalysis.objects.get(post=post)
    assert (analysis.sentiment, analysis.corrected) == ("neutral", True)
    assert SentimentCorrection.objects.get(post=post).label == "neutral"
    day = DailyRollup.objects.get(community=community, day=analysis.posted_at.date(), language="af", kind="criticism")
    assert (day.negative, day.neutral) == (0, 1)


def test_a_correction_through_htmx_swaps_the_row(manager_client, community, space):
    post = analysed_post(space, sentiment="negative", language="pt")
    url = reverse("insights:correct_sentiment", args=[community.slug, post.pk])
    response = manager_client.post(url, {"label": "positive"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<li class="insights-post') and f'id="analysis-{post.pk}"' in html
    assert (
        "Saved." in html
        and 'value="positive" class="button-small sentiment-button sentiment-button-positive" aria-pressed="true"'
        in html
    )


def test_a_bad_label_shows_an_error_and_changes_nothing(manager_client, community, space):
    from belong.insights.models import PostAnalysis

    post = analysed_post(space, sentiment="negative")
    response = manager_client.post(
        reverse("insights:correct_sentiment", args=[community.slug, post.pk]), {"label": "furious"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert PostAnalysis.objects.get(post=post).sentiment == "negative"


def test_corrections_are_refused_to_members_and_for_posts_of_other_communities(
    manager_client, member_client, community, space
):
    post = analysed_post(space)
    foreign = analysed_post(SpaceFactory(community=CommunityFactory()))
    assert (
        member_client.post(
            reverse("insights:correct_sentiment", args=[community.slug, post.pk]), {"label": "neutral"}
        ).status_code
        == 403
    )
    assert (
        manager_client.post(
            reverse("insights:correct_sentiment", args=[community.slug, foreign.pk]), {"label": "neutral"}
        ).status_code
        == 404
    )
