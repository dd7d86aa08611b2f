"""Recalibration: a community's logit map is fitted to its managers' corrections, and only kept when it helps."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import TestCase

from belong.conversations.tests.factories import ThreadFactory
from belong.insights import actions, calibration, pipeline
from belong.insights.models import Calibration, DailyRollup, PostAnalysis

pytestmark = pytest.mark.django_db

# Plain statements in four languages that the head reads as neutral or mildly positive, and clear opinions.
STATEMENTS = [
    "The store opens at nine on Mondays.",
    "Version 3.2 changes the layout of the settings page.",
    "The parcel was delivered to the reception desk.",
    "A loja abre às nove da manhã de segunda a sexta.",
    "Магазинът отваря в девет часа сутринта.",
    "The manual is in the box with the charger.",
    "Our team will publish the roadmap in March.",
    "The app asks for the location permission at start.",
    "O pedido foi enviado pelos correios na terça-feira.",
    "Die app vra vir toestemming om die kamera te gebruik.",
    "Новата версия излиза през март.",
    "The battery is 4000 mAh and the screen is six inches.",
]
OPINIONS = [
    "I love this phone, the camera is brilliant and the battery lasts for days.",
    "Adoro este produto, chegou rápido e funciona perfeitamente.",
    "Много съм доволен от новата версия, работи бързо и надеждно.",
    "Ek is baie gelukkig met die nuwe weergawe, dit werk pragtig.",
    "Best customer service I have ever had, thank you so much!",
    "Que maravilha, a equipa resolveu o meu problema em minutos.",
    "This is the worst update ever, everything crashes and nobody helps.",
    "O produto chegou partido e ninguém responde. Que desilusão terrível.",
    "Ужасно обслужване, никой не отговаря на оплакванията ми.",
    "Die battery is baie swak en die toestel raak heeltyd warm. Ek is teleurgesteld.",
    "Terrible support, I waited three weeks for a broken replacement.",
    "Péssimo serviço, nunca mais compro nada desta marca.",
]


def analysed_posts(space, texts):
    threads = [ThreadFactory(space=space, title="Post", opening=text) for text in texts]
    posts = [thread.posts.get() for thread in threads]
    pipeline.analyse_posts([post.pk for post in posts])
    return posts


def complaint_label(analysis: PostAnalysis) -> str:
    """This community's managers read every plain statement as a complaint; opinions they leave as they are."""
    return "negative" if analysis.model_sentiment == "neutral" else analysis.model_sentiment


def correct(manager, posts, label_of):
    for post in posts:
        actions.correct_sentiment(user=manager.user, post=post, label=label_of(PostAnalysis.objects.get(post=post)))


def test_consistent_corrections_give_a_calibration_that_rescores_the_community(space, manager):
    posts = analysed_posts(space, STATEMENTS + OPINIONS)
    extra = analysed_posts(space, ["The shop sells chargers and cases.", "A nova loja fica na rua principal."])
    assert any(PostAnalysis.objects.get(post=p).model_sentiment == "neutral" for p in posts)
    # Each post corrected twice: the latest correction is the one that counts.
    correct(manager, posts, lambda analysis: "positive")
    correct(manager, posts, complaint_label)
    labels = {post.pk: PostAnalysis.objects.get(post=post).sentiment for post in posts}

    outcome = calibration.attempt(space.community_id)

    assert outcome.calibration is not None, outcome.reason
    stored = Calibration.objects.get(community=space.community)
    assert stored.corrections == len(posts)
    assert stored.accuracy_after > stored.accuracy_before
    assert np.asarray(stored.weights).shape == (3, 4)
    assert outcome.rescored == len(posts) + len(extra)
    # Corrected posts keep the managers' label; uncorrected plain statements now read as complaints.
    assert {post.pk: PostAnalysis.objects.get(post=post).sentiment for post in posts} == labels
    shown = [PostAnalysis.objects.get(post=post).sentiment for post in extra]
    assert shown == ["negative", "negative"]
    negative = PostAnalysis.objects.filter(community=space.community, sentiment="negative").count()
    assert sum(DailyRollup.objects.filter(community=space.community).values_list("negative", flat=True)) == negative
    # New posts of the community are read through its calibration.
    (newcomer,) = analysed_posts(space, ["Die winkel verkoop laaiers en omhulsels."])
    assert PostAnalysis.objects.get(post=newcomer).model_sentiment == "negative"


def test_too_few_corrections_are_refused(space, manager):
    posts = analysed_posts(space, (STATEMENTS + OPINIONS)[: calibration.MIN_CORRECTIONS - 1])
    correct(manager, posts, complaint_label)

    assert calibration.recalibrate(space.community_id) is None
    outcome = calibration.attempt(space.community_id)
    assert outcome.calibration is None and str(calibration.MIN_CORRECTIONS) in outcome.reason
    assert not Calibration.objects.exists()


def test_corrections_of_one_label_are_refused(space, manager):
    posts = analysed_posts(space, STATEMENTS + OPINIONS)
    correct(manager, posts, lambda analysis: "negative")

    outcome = calibration.attempt(space.community_id)

    assert outcome.calibration is None and "two labels" in outcome.reason
    assert not Calibration.objects.exists()


def test_a_map_that_does_not_beat_the_head_is_refused_and_the_old_one_kept(space, manager):
    posts = analysed_posts(space, STATEMENTS + OPINIONS)
    old = Calibration.objects.create(
        community=space.community,
        weights=calibration.IDENTITY.tolist(),
        head_version="old",
        corrections=20,
        accuracy_before=0.5,
        accuracy_after=0.6,
    )
    # The managers agree with the head on every post: nothing to learn.
    correct(manager, posts, lambda analysis: analysis.model_sentiment)

    outcome = calibration.attempt(space.community_id)

    assert outcome.calibration is None and "would not help" in outcome.reason
    assert outcome.accuracy_before == 1.0
    assert Calibration.objects.get().pk == old.pk and Calibration.objects.get().head_version == "old"


def test_fit_map_stays_the_identity_without_evidence_against_the_head():
    logits = np.array([[3.0, 0.0, -3.0], [-3.0, 0.0, 3.0], [0.0, 3.0, 0.0]] * 5)
    labels = np.array([0, 2, 1] * 5)
    weights = calibration.fit_map(logits, labels)
    assert (calibration.apply_map(logits, weights).argmax(axis=1) == labels).all()
    assert np.abs(weights - calibration.IDENTITY).max() < 1.0


def test_every_tenth_correction_from_the_minimum_on_recalibrates(settings, space, manager):
    settings.BELONG_INSIGHTS_ENABLED = True
    posts = analysed_posts(space, STATEMENTS + OPINIONS)
    first, rest = posts[: calibration.MIN_CORRECTIONS - 1], posts[calibration.MIN_CORRECTIONS - 1 :]
    with TestCase.captureOnCommitCallbacks(execute=True):
        correct(manager, first, complaint_label)
    assert not Calibration.objects.exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        correct(manager, rest[:1], complaint_label)  # the 20th correction
    assert Calibration.objects.get(community=space.community).corrections == calibration.MIN_CORRECTIONS

    Calibration.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        correct(manager, rest[1:], complaint_label)  # 21st to 24th: no recalibration until the 30th
    assert not Calibration.objects.exists()
