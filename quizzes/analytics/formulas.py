"""The arithmetic of the statistics, on sums the database has already aggregated.

Every function returns ``None`` where a statistic is undefined (too few values, zero variance)
so pages can show "n/a" instead of dividing by zero. Variances are sample variances (divisor
n - 1), as Moodle's quiz statistics use.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import atanh, sqrt, tanh

TOLERANCE = 1e-12
"""A centred sum of squares below this (relative to the raw one) counts as zero variance."""


def mean(total: float, n: int) -> float | None:
    """Return ``total / n``; None when ``n`` is 0."""
    return total / n if n else None


def percent(share: float | None) -> int | None:
    """Return a share (0..1) as a whole percentage; None stays None."""
    return None if share is None else round(100 * share)


def centred_sum_of_squares(n: int, total: float, total_of_squares: float) -> float:
    """Return sum((x - mean)^2) = sum(x^2) - (sum x)^2 / n."""
    return total_of_squares - total * total / n if n else 0.0


def sample_variance(n: int, total: float, total_of_squares: float) -> float | None:
    """Return the sample variance sum((x - mean)^2) / (n - 1); None for fewer than two values."""
    if n < 2:
        return None
    return max(centred_sum_of_squares(n, total, total_of_squares), 0.0) / (n - 1)


def sample_sd(n: int, total: float, total_of_squares: float) -> float | None:
    """Return the sample standard deviation; None for fewer than two values."""
    variance = sample_variance(n, total, total_of_squares)
    return None if variance is None else sqrt(variance)


def correlation(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Return Pearson's r from the sums of x, y, x^2, y^2 and xy over ``n`` pairs.

    r = cov(x, y) / sqrt(var(x) var(y)) = Sxy / sqrt(Sxx Syy), with the centred sums
    Sxy = sum(xy) - sum(x) sum(y) / n, Sxx = sum(x^2) - sum(x)^2 / n, Syy likewise.
    None when n < 2 or either variable has zero variance.
    """
    if n < 2:
        return None
    cxx = sxx - sx * sx / n
    cyy = syy - sy * sy / n
    if cxx <= TOLERANCE * max(1.0, abs(sxx)) or cyy <= TOLERANCE * max(1.0, abs(syy)):
        return None
    r = (sxy - sx * sy / n) / sqrt(cxx * cyy)
    return max(-1.0, min(1.0, r))


def median_of_counts(counts: Iterable[tuple[float, int]]) -> float | None:
    """Return the median of values given as (value, how many times); None when there are none.

    For an even count it is the mean of the two middle values.
    """
    ordered = sorted((value, count) for value, count in counts if count > 0)
    n = sum(count for _, count in ordered)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]  # 0-based ranks of the middle value(s)
    found: list[float] = []
    seen = 0
    for value, count in ordered:
        for rank in wanted:
            if seen <= rank < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def cronbach_alpha(item_variances: list[float | None], total_variance: float | None) -> float | None:
    """Return alpha = k / (k - 1) * (1 - sum(var item_i) / var(total)) for ``k`` items.

    None with fewer than two items, an undefined item variance, or a total of zero variance.
    Item and total variances must use the same divisor (they do: both n - 1 over the same attempts).
    """
    k = len(item_variances)
    if k < 2 or total_variance is None or total_variance <= TOLERANCE or any(v is None for v in item_variances):
        return None
    return k / (k - 1) * (1 - sum(item_variances) / total_variance)


Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95 % interval."""


def wilson_interval(right: int, n: int, *, z: float = Z95) -> tuple[float, float] | None:
    """Return the Wilson score interval (low, high) for a proportion ``right / n``; None when n is 0.

    centre = (p + z^2 / 2n) / (1 + z^2 / n), half-width = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2).
    Wilson (1927), "Probable inference, the law of succession, and statistical inference", JASA 22:
    209-212; recommended over the Wald interval p +- z sqrt(p (1 - p) / n) for small n and for p
    near 0 or 1 by Brown, Cai and DasGupta (2001), Statistical Science 16: 101-133.
    """
    if n <= 0:
        return None
    p = right / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def fisher_interval(r: float, n: int, *, z: float = Z95) -> tuple[float, float] | None:
    """Return the 95 % interval (low, high) of a correlation ``r`` over ``n`` pairs; None for n <= 3.

    Fisher's z-transformation: atanh(r) is close to normal with standard error 1 / sqrt(n - 3), so
    the interval is tanh(atanh(r) +- z / sqrt(n - 3)). Fisher (1921), "On the 'probable error' of a
    coefficient of correlation deduced from a small sample", Metron 1: 3-32.
    """
    if n <= 3:
        return None
    centre = atanh(max(-0.999999, min(0.999999, r)))
    half = z / sqrt(n - 3)
    return tanh(centre - half), tanh(centre + half)
