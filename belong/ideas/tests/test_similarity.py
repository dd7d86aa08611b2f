"""How alike short texts are: the ranking behind "similar ideas", without a database."""

from __future__ import annotations

import pytest

from belong.ideas import similarity
from belong.ideas.similarity import MIN_SCORE, rank, trigrams, words

TITLES = [
    (1, "Mobile app for ordering coffee"),
    (2, "Longer opening hours on Sundays"),
    (3, "Coffee subscription with free delivery"),
    (4, "Мобилно приложение за поръчки"),
    (5, "Програма за лоялност с точки"),
    (6, "Herwinbare koffiekapsules"),
    (7, "Cápsulas de café recicláveis"),
]


def ids(ranked: list[tuple[int, float]]) -> list[int]:
    return [candidate_id for candidate_id, _score in ranked]


def test_the_closest_title_comes_first():
    ranked = rank("app for ordering coffee", TITLES, limit=5, min_score=0.05)
    assert ids(ranked)[:2] == [1, 3]  # 3 shares only "coffee"
    assert ranked[0][1] > 2 * ranked[1][1]


def test_scores_run_from_zero_to_one_and_best_first():
    ranked = rank("coffee", TITLES, limit=10)
    scores = [score for _id, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_an_identical_title_scores_one():
    [(candidate_id, score)] = rank("Herwinbare koffiekapsules", TITLES, limit=1)
    assert candidate_id == 6
    assert score == pytest.approx(1.0, abs=0.001)


def test_unrelated_titles_fall_below_the_threshold():
    assert rank("Вегански сладкиши", TITLES, limit=5) == []
    assert rank("zzz qqq", TITLES, limit=5) == []


def test_the_threshold_can_be_raised_and_lowered():
    loose = rank("coffee delivery", TITLES, limit=10, min_score=0.01)
    strict = rank("coffee delivery", TITLES, limit=10, min_score=0.5)
    assert set(ids(strict)) < set(ids(loose))
    assert all(score >= 0.5 for _id, score in strict)
    assert all(score >= MIN_SCORE for _id, score in rank("coffee delivery", TITLES, limit=10))


def test_the_limit_caps_the_results():
    assert len(rank("coffee", TITLES, limit=1)) == 1
    assert rank("coffee", TITLES, limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "!!! ???"])
def test_empty_input_finds_nothing(query):
    assert rank(query, TITLES, limit=5) == []


def test_no_candidates_find_nothing():
    assert rank("coffee", [], limit=5) == []


def test_cyrillic_inflections_still_match():
    """приложение / приложения and поръчки / поръчка share stems and trigrams."""
    ranked = rank("Приложения за поръчка", TITLES, limit=3)
    assert ids(ranked)[0] == 4
    assert ranked[0][1] >= 0.4


def test_cyrillic_matches_ignore_case():
    assert ids(rank("МОБИЛНО ПРИЛОЖЕНИЕ", TITLES, limit=1)) == [4]


def test_portuguese_accents_and_plurals_match():
    assert ids(rank("Cápsula de café reciclável", TITLES, limit=1)) == [7]


def test_ties_are_broken_by_id_so_the_order_is_stable():
    twins = [(9, "Oat milk"), (3, "Oat milk"), (5, "Oat milk")]
    assert ids(rank("oat milk", twins, limit=3)) == [3, 5, 9]


def test_rare_words_weigh_more_than_common_ones():
    candidates = [
        (1, "coffee beans from Kenya"),
        (2, "coffee grinder"),
        (3, "coffee cups"),
        (4, "coffee filters"),
    ]
    assert ids(rank("Kenya coffee", candidates, limit=4))[0] == 1


def test_words_are_cut_to_stems_and_drop_digits_and_single_letters():
    assert words("Koffiekapsules 2024 a Ideias") == ["koffie", "ideias"]
    assert words("Приложения") == ["прилож"]
    assert similarity.STEM_CHARS == 6


def test_trigrams_are_padded_per_word():
    assert trigrams("Ok") == {" ok", "ok "}
    assert {" яд", "яд "} <= trigrams("яд")
