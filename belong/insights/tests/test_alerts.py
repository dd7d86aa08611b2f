"""Crisis alerts: injected spikes fire; quiet, busy and young communities stay silent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from belong.communities.models import Role
from belong.insights import alerts, queries
from belong.insights.models import Alert, AlertKind, DailyRollup, PostAnalysis
from belong.insights.tests.conftest import NEGATIVE, POSITIVE, rollup, rollup_history

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 1)
SHARE, VOLUME = AlertKind.NEGATIVE_SHARE, AlertKind.NEGATIVE_VOLUME


@pytest.fixture
def usual(multilingual_community, space):
    """Four weeks of 40 posts a day, 8 of them negative (a 20% share)."""
    rollup_history(multilingual_community, space, DAY, alerts.BASELINE_DAYS, posts=40, negative=8)
    return multilingual_community


def judge_day(community, space, posts, negative, day=DAY):
    DailyRollup.objects.filter(community=community, day=day).delete()
    rollup(community, space, day, posts, negative).save()
    return sorted(alert.kind for alert in alerts.detect(community.pk, day))


def test_a_share_spike_fires(usual, space):
    assert judge_day(usual, space, 20, 12) == [SHARE]  # 60% negative on a normal-sized day


def test_a_volume_spike_fires(usual, space):
    # Five times the posts and a share a little above the usual: the negative count is what rose.
    assert judge_day(usual, space, 200, 60) == [VOLUME]


def test_a_spike_in_both_fires_both(usual, space):
    assert judge_day(usual, space, 60, 40) == [SHARE, VOLUME]


def test_a_merely_busy_day_stays_silent(usual, space):
    assert judge_day(usual, space, 200, 40) == []  # five times the posts, the usual share


@pytest.mark.parametrize(("posts", "negative"), [(40, 8), (40, 12), (0, 0), (5, 4), (9, 9)])
def test_ordinary_and_quiet_days_stay_silent(usual, space, posts, negative):
    assert judge_day(usual, space, posts, negative) == []
    assert not Alert.objects.exists()


def test_a_new_community_is_quiet_unless_the_day_is_extreme(multilingual_community, space):
    assert judge_day(multilingual_community, space, 12, 6) == []
    assert judge_day(multilingual_community, space, 20, 9) == []
    assert judge_day(multilingual_community, space, 30, 28) == [SHARE, VOLUME]


def test_a_community_with_a_few_days_of_history_uses_their_pooled_share(multilingual_community, space):
    rollup_history(multilingual_community, space, DAY, 3, posts=20, negative=2)  # 10%, three days only
    assert judge_day(multilingual_community, space, 20, 4) == []
    assert judge_day(multilingual_community, space, 20, 11) == [SHARE, VOLUME]


def test_one_bad_day_in_the_baseline_does_not_hide_the_next(multilingual_community, space):
    bad = DAY - timedelta(days=2)
    rollup_history(
        multilingual_community, space, DAY, alerts.BASELINE_DAYS, posts=40, negative=8, changed={bad: (120, 90)}
    )
    assert judge_day(multilingual_community, space, 40, 24) == [SHARE, VOLUME]


def test_a_day_is_judged_on_all_its_rows(usual, space, multilingual_community):
    for language, negative in (("en", 6), ("pt", 6), ("bg", 1)):
        row = rollup(usual, space, DAY, 7, negative)
        row.language = language
        row.save()
    assert sorted(alert.kind for alert in alerts.detect(usual.pk, DAY)) == [SHARE]


def test_one_alert_per_kind_and_day_is_updated_by_later_posts(usual, space):
    judge_day(usual, space, 20, 12)
    first = Alert.objects.get()

    judge_day(usual, space, 30, 20)

    alert = Alert.objects.get()
    assert alert.pk == first.pk
    assert (alert.total, alert.negative) == (30, 20)
    assert alert.p_value < first.p_value
    assert alert.baseline_share == pytest.approx(0.2)
    assert alert.baseline_negative == 8


def test_an_alert_on_another_day_is_another_alert(usual, space):
    judge_day(usual, space, 20, 12)
    rollup_history(usual, space, DAY + timedelta(days=1), 0, posts=0, negative=0)
    judge_day(usual, space, 20, 15, day=DAY + timedelta(days=1))
    assert Alert.objects.filter(kind=SHARE).count() == 2


# -- end to end, with real posts and the e-mail to managers -----------------------------------------

COMPLAINTS = [
    NEGATIVE["en"],
    NEGATIVE["pt"],
    "The app crashes every time I open it. Terrible update, I want my money back.",
    "Customer service is useless, nobody answers and my order never arrived.",
    "The screen cracked after one week. Awful quality, very disappointed.",
    "Worst purchase ever. The charger stopped working and the shop refused a refund.",
    "A aplicação bloqueia sempre que a abro. Péssima atualização, quero o meu dinheiro de volta.",
    "O atendimento é inútil, ninguém responde e a encomenda nunca chegou.",
    "O ecrã rachou ao fim de uma semana. Qualidade horrível, estou muito desiludido.",
    "I am furious: the device overheats and burned my hand. This is dangerous and unacceptable.",
    "Pior compra de sempre. O carregador deixou de funcionar e a loja recusou o reembolso.",
]


def test_real_complaints_raise_one_alert_with_their_posts_and_mail_the_managers_once(
    insights_on, multilingual_community, space, start_thread, writer, make_member
):
    today = timezone.now().date()
    rollup_history(multilingual_community, space, today, alerts.BASELINE_DAYS, posts=40, negative=8)
    manager = make_member(Role.MANAGER, community=multilingual_community)
    owner = make_member(Role.OWNER, community=multilingual_community)
    owner.user.locale = "pt"
    owner.user.save(update_fields=["locale"])
    make_member(Role.STAFF, community=multilingual_community)  # brand staff, not managers: no e-mail
    start_thread(writer.user, POSITIVE["en"], title="Thanks")  # the usual kind of post, not held

    posts = [start_thread(writer.user, text, title=f"Problem {n}") for n, text in enumerate(COMPLAINTS)]

    alert = Alert.objects.get(kind=SHARE)
    assert alert.day == today
    negative = PostAnalysis.objects.filter(post__in=posts, sentiment="negative")
    assert negative.count() >= 8  # zero-shot reading of a few may be neutral; most are negative
    assert (alert.total, alert.negative) == (len(posts) + 1, negative.count())
    assert alert.baseline_share == pytest.approx(0.2)
    assert set(alert.posts.values_list("pk", flat=True)) == set(negative.values_list("post_id", flat=True))
    # The managers read the most negative posts first.
    scores = [float(analysis.score or 0) for analysis in queries.alert_posts(alert)]
    assert len(scores) == negative.count()
    assert scores == sorted(scores)
    assert alert.notified_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == sorted([manager.user.email, owner.user.email])
    message = mail.outbox[0]
    assert multilingual_community.name in message.subject
    assert f"/{alert.pk}" in message.body
    assert "negative" in message.body or "negativ" in message.body
