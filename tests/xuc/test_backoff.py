"""Reconnect back-off: doubling delays, jittered, always within the bounds."""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.xivo.xuc.backoff import Backoff, _fold


def fixed(value: float) -> Backoff:
    """A back-off whose jitter always draws `value`."""
    return Backoff(minimum=1.0, maximum=60.0, jitter=0.2, rng=lambda: value)


def test_defaults() -> None:
    """1 s doubling to 60 s, jittered by 20 %.

    The delays are not checked against [1, 60]: `next()` folds every draw into its
    band, so that check could not fail. The middle draw gives the schedule, the lowest
    draw the default jitter (0.8 s mirrored at the 1 s bound to 1.2 s).
    """
    backoff = Backoff()
    assert (backoff.minimum, backoff.maximum) == (1.0, 60.0)
    middle = Backoff(rng=lambda: 0.5)
    assert [middle.next() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    low = Backoff(rng=lambda: 0.0)
    assert [low.next() for _ in range(4)] == pytest.approx([1.2, 1.6, 3.2, 6.4])


def test_without_jitter_delays_double_up_to_the_maximum() -> None:
    backoff = Backoff(minimum=1.0, maximum=60.0, jitter=0.0)
    assert [backoff.next() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_middle_draw_is_the_base_delay() -> None:
    backoff = fixed(0.5)
    assert [backoff.next() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_first_delay_starts_at_about_the_minimum() -> None:
    # 0.8 is mirrored to 1.2 (clamping it to 1.0 would pile draws up at the minimum).
    assert fixed(0.0).next() == pytest.approx(1.2)
    assert fixed(0.5).next() == 1.0
    assert fixed(0.999999).next() == pytest.approx(1.2, abs=1e-5)


def test_jitter_spreads_around_the_base() -> None:
    low, high = fixed(0.0), fixed(0.999999)
    for _ in range(3):
        low.next()
        high.next()
    # Fourth attempt: base 8, +/- 20 %.
    assert low.next() == pytest.approx(6.4)
    assert high.next() == pytest.approx(9.6, abs=1e-4)


def test_capped_delays_stay_at_the_maximum_even_jittered_down() -> None:
    backoff = fixed(0.0)
    delays = [backoff.next() for _ in range(100)]
    assert delays[-1] == pytest.approx(48.0)  # 60 - 20 %, still within bounds
    assert max(delays) <= 60.0
    backoff = fixed(0.999999)
    # 72 is mirrored to 48 (clamping it to 60 would pile draws up at the maximum).
    assert [backoff.next() for _ in range(100)][-1] == pytest.approx(48.0, abs=1e-3)
    backoff = fixed(0.5)
    assert [backoff.next() for _ in range(10)][-1] == 60.0  # the middle draw


def test_very_many_attempts_do_not_overflow() -> None:
    backoff = Backoff(minimum=0.5, maximum=1e300, jitter=0.0)
    for _ in range(2000):
        delay = backoff.next()
    assert math.isfinite(delay)
    assert delay == 0.5 * 2.0**32


def test_reset() -> None:
    backoff = fixed(0.5)
    for _ in range(10):
        backoff.next()
    assert backoff.next() == 60.0
    backoff.reset()
    assert [backoff.next() for _ in range(3)] == [1, 2, 4]


def test_equal_bounds() -> None:
    backoff = Backoff(minimum=5.0, maximum=5.0)
    assert {backoff.next() for _ in range(20)} == {5.0}


@pytest.mark.parametrize(
    ("minimum", "maximum"),
    [
        (0.0, 60.0),
        (-1.0, 60.0),
        (10.0, 5.0),
        (0.0, 0.0),
        (-5.0, -1.0),
        (math.nan, 60.0),
    ],
)
def test_invalid_bounds_raise(minimum: float, maximum: float) -> None:
    with pytest.raises(ValueError, match="bounds"):
        Backoff(minimum=minimum, maximum=maximum)


@settings(max_examples=200, deadline=None)
@given(
    minimum=st.floats(min_value=1e-3, max_value=1e3),
    factor=st.floats(min_value=1.0, max_value=1e4),
    jitter=st.floats(min_value=0.0, max_value=1.0),
    draws=st.lists(
        st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
        min_size=1,
        max_size=60,
    ),
    reset_at=st.integers(min_value=0, max_value=60),
)
def test_delays_stay_within_bounds_for_any_draw(
    minimum: float, factor: float, jitter: float, draws: list[float], reset_at: int
) -> None:
    maximum = minimum * factor
    values = iter(draws)
    backoff = Backoff(minimum, maximum, jitter, rng=lambda: next(values))
    bases: list[float] = []
    for index in range(len(draws)):
        if index == reset_at:
            backoff.reset()
            bases.clear()
        delay = backoff.next()
        assert isinstance(delay, float)
        assert minimum <= delay <= maximum
        base = min(maximum, minimum * 2.0 ** len(bases))
        bases.append(base)
        # Within the jitter band around the base, once clamped to the bounds.
        low = max(minimum, min(maximum, base * (1 - jitter)))
        high = min(maximum, base * (1 + jitter))
        assert low * (1 - 1e-9) <= delay <= high * (1 + 1e-9)
        # The band is where `next()` folds every draw, so the checks above hold for
        # any mapping of the draw: a draw whose delay needs no folding must give
        # exactly the base moved by its share of the jitter.
        raw = base + base * jitter * (2 * draws[index] - 1)
        if minimum <= raw <= maximum:
            assert delay == pytest.approx(raw, rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_first_delay_is_the_minimum_up_to_the_jitter(draw: float) -> None:
    """The draw spreads 2 s by +/- 20 %; what falls under 2 s is mirrored above it.

    `2 <= delay <= 2.4` alone could not fail (the band is where `next()` folds every
    draw): the exact value checks the mapping of the draw and the mirror.
    """
    delay = Backoff(2.0, 100.0, 0.2, rng=lambda: draw).next()
    raw = 1.6 + 0.8 * draw  # 2 s +/- 0.4 s
    assert delay == pytest.approx(raw if raw >= 2.0 else 4.0 - raw, abs=1e-12)
    assert 2.0 <= delay <= 2.4


def test_no_pile_up_at_the_bounds() -> None:
    """With real random draws, no delay lands exactly on a bound, and all stay within."""
    first = [Backoff().next() for _ in range(2000)]
    assert all(1.0 <= delay <= 1.2 for delay in first)
    assert sum(delay == 1.0 for delay in first) <= 2
    # Spread over the whole band: both halves are well populated.
    assert sum(delay < 1.1 for delay in first) > 600
    assert sum(delay > 1.1 for delay in first) > 600

    capped = Backoff()
    for _ in range(10):
        capped.next()
    late = [capped.next() for _ in range(2000)]
    assert all(48.0 <= delay <= 60.0 for delay in late)
    assert sum(delay == 60.0 for delay in late) <= 2
    assert sum(delay > 54.0 for delay in late) > 600


@settings(max_examples=300, deadline=None)
@given(
    value=st.floats(min_value=-1e6, max_value=1e6),
    low=st.floats(min_value=0.001, max_value=100.0),
    width=st.floats(min_value=0.0, max_value=100.0),
)
def test_fold_always_lands_in_the_band(value: float, low: float, width: float) -> None:
    high = low + width
    folded = _fold(value, low, high)
    assert low - 1e-6 <= folded <= high + 1e-6
    if low <= value <= high:
        assert folded == pytest.approx(value)
