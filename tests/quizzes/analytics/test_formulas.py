"""The arithmetic on aggregated sums: hand-computed values and every undefined case."""

import math

import pytest

from quizzes.analytics import formulas


def test_sample_variance_and_sd():
    values = [3, 2, 2, 1, 1]
    n, total, squares = len(values), sum(values), sum(v * v for v in values)
    assert formulas.sample_variance(n, total, squares) == pytest.approx(0.7)
    assert formulas.sample_sd(n, total, squares) == pytest.approx(math.sqrt(0.7))


@pytest.mark.parametrize("n, total, squares", [(0, 0, 0), (1, 5, 25)])
def test_variance_of_fewer_than_two_values_is_undefined(n, total, squares):
    assert formulas.sample_variance(n, total, squares) is None
    assert formulas.sample_sd(n, total, squares) is None


def test_correlation_from_sums():
    x, y = [1, 1, 0, 1, 0], [2, 1, 2, 0, 1]
    sums = (len(x), sum(x), sum(y), sum(a * a for a in x), sum(b * b for b in y), sum(a * b for a, b in zip(x, y, strict=True)))
    assert formulas.correlation(*sums) == pytest.approx(-0.6 / math.sqrt(1.2 * 2.8))


@pytest.mark.parametrize("x, y", [([1], [2]), ([1, 1, 1], [0, 1, 2]), ([0, 1, 0], [2, 2, 2]), ([], [])])
def test_correlation_is_undefined_without_two_values_or_without_variance(x, y):
    sums = (len(x), sum(x), sum(y), sum(a * a for a in x), sum(b * b for b in y), sum(a * b for a, b in zip(x, y, strict=True)))
    assert formulas.correlation(*sums) is None


def test_correlation_with_float_noise_in_a_constant_variable_is_undefined():
    y = [0.1 * 3] * 7  # 0.30000000000000004: its centred sum of squares is rounding noise
    x = [0, 1, 0, 1, 1, 0, 1]
    sums = (7, sum(x), sum(y), sum(x), sum(v * v for v in y), sum(a * b for a, b in zip(x, y, strict=True)))
    assert formulas.correlation(*sums) is None


@pytest.mark.parametrize("counts, median", [
    ([(10, 1), (20, 1), (30, 1)], 20), ([(10, 1), (20, 1), (30, 1), (60, 1)], 25), ([(5, 3)], 5),
    ([(1, 1), (9, 2)], 9), ([(2, 2), (1, 2)], 1.5), ([], None), ([(4, 0)], None),
])
def test_median_of_counts(counts, median):
    assert formulas.median_of_counts(counts) == median


def test_cronbach_alpha_by_hand():
    assert formulas.cronbach_alpha([0.2, 0.3, 0.3], 0.7) == pytest.approx(1.5 * (1 - 0.8 / 0.7))


@pytest.mark.parametrize("items, total", [([0.2], 0.5), ([0.2, 0.3], 0.0), ([0.2, None], 0.5), ([0.2, 0.3], None)])
def test_cronbach_alpha_undefined_cases(items, total):
    assert formulas.cronbach_alpha(items, total) is None


def test_mean_and_percent():
    assert (formulas.mean(3, 4), formulas.mean(3, 0)) == (0.75, None)
    assert (formulas.percent(0.666), formulas.percent(None)) == (67, None)
