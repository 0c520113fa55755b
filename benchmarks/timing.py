"""Interleaved timing of dualnum against a baseline.

Absolute times on a shared machine drift by tens of percent from one minute
to the next, so only the ratio to a baseline measured alongside is reported.
Baseline and candidate batches alternate within each round, so slow phases
of the machine hit both sides alike.
"""

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Settings:
    rounds: int  # interleaved rounds (baseline batch, candidate batch) to aim for
    min_rounds: int  # rounds always run, even past the budget
    target: float  # seconds one timed batch should last
    budget: float  # seconds after which an entry stops adding rounds


def time_batch(fn: Callable[[], object], calls: int) -> float:
    """Seconds per call over `calls` back-to-back calls of fn.

    The collector is off while timing: a collection triggered by garbage
    from earlier batches would otherwise be charged to whichever side it
    happened to land in.
    """
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()
    return elapsed / calls


def batch_size(fn: Callable[[], object], target: float) -> int:
    """Calls per batch so that a batch lasts about `target` seconds (at least 1).

    Grows the trial batch tenfold until it lasts a tenth of the target, so
    that microsecond calls are not sized from a single noisy timing.
    """
    calls = 1
    while True:
        per_call = time_batch(fn, calls)
        if per_call * calls >= target / 10:
            return max(1, round(target / per_call))
        calls *= 10


@dataclass(frozen=True)
class Comparison:
    baseline_calls: int  # calls per baseline batch
    candidate_calls: int  # calls per candidate batch
    baseline_times: tuple  # seconds per call, one entry per round
    candidate_times: tuple

    @property
    def rounds(self) -> int:
        return len(self.baseline_times)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline_times)

    @property
    def candidate_median(self) -> float:
        return statistics.median(self.candidate_times)

    @property
    def ratio(self) -> float:
        """The reported figure: median(candidate) / median(baseline)."""
        return self.candidate_median / self.baseline_median

    @property
    def round_ratios(self) -> list:
        """candidate / baseline within each round: the spread shows how noisy the run was."""
        return [c / b for b, c in zip(self.baseline_times, self.candidate_times)]

    @property
    def round_ratio_quartiles(self) -> tuple:
        q1, _, q3 = statistics.quantiles(self.round_ratios, n=4, method="inclusive")
        return q1, q3


def compare(
    baseline: Callable[[], object],
    candidate: Callable[[], object],
    settings: Settings,
) -> Comparison:
    """Time candidate against baseline in interleaved rounds after a warm-up."""
    # Warm-up: first calls pay for lazy imports, caches and allocator growth.
    # Sizing the batches below runs each function again, warming it further.
    baseline()
    candidate()
    baseline_calls = batch_size(baseline, settings.target)
    candidate_calls = batch_size(candidate, settings.target)

    baseline_times, candidate_times = [], []
    deadline = time.perf_counter() + settings.budget
    for done in range(1, settings.rounds + 1):
        baseline_times.append(time_batch(baseline, baseline_calls))
        candidate_times.append(time_batch(candidate, candidate_calls))
        if done >= settings.min_rounds and time.perf_counter() > deadline:
            break
    return Comparison(
        baseline_calls, candidate_calls, tuple(baseline_times), tuple(candidate_times)
    )
