"""The benchmark output contract (issue 14): one line per figure,

    figure: NAME VALUE UNIT ratio R goal G met        (or ``not met``)

``VALUE UNIT`` is what was measured (``ms``, ``KiB``, ``s``, ``rows``, ``req/s`` …); ``R`` its
ratio to the raw baseline measured in the same run (``-`` when the figure has none); ``G``
the goal: ``≤N`` / ``≥N`` on VALUE in UNIT, or ``≤Nx`` on the ratio. A figure without a goal
prints ``goal - met``. ``benchmarks/run.py`` collects these lines from every benchmark.
"""

from __future__ import annotations

import math
import statistics


def percentile(values, q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` by the nearest-rank method (p95 of 20 samples is
    the 19th smallest). Raises ``ValueError`` on no values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def median(values) -> float:
    return statistics.median(values)


def figure(name: str, value: float, unit: str, ratio: float | None = None, goal: str | None = None) -> bool:
    """Print one figure line; returns whether its goal is met. ``goal`` is ``"<=300"`` /
    ``">=10"`` (on ``value``) or ``"<=1.5x"`` (on ``ratio``); ``None`` for no goal."""
    met = True
    if goal:
        op, bound = goal[:2], goal[2:]
        on_ratio = bound.endswith("x")
        number = float(bound.rstrip("x"))
        subject = ratio if on_ratio else value
        if subject is None:
            met = False
        else:
            met = subject <= number if op == "<=" else subject >= number
    shown_goal = (goal.replace("<=", "≤").replace(">=", "≥")) if goal else "-"
    shown_ratio = "-" if ratio is None else f"{ratio:.2f}"
    shown_value = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    print(f"figure: {name} {shown_value} {unit} ratio {shown_ratio} goal {shown_goal} "
          f"{'met' if met else 'not met'}", flush=True)
    return met
