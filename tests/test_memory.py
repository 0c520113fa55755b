"""Memory stays flat over long loops of scalar and array operations.

Each workload runs a warm-up phase (caches, freelists and numpy's allocator
reach their steady state), then two equal measured phases. A leak of one
object per operation grows the traced memory, and a leak of raw C memory
(``malloc`` in the recorded-chain runner, which tracemalloc cannot see) grows
the resident set size, by a similar amount in each phase; a steady state
grows neither. The loops are short enough for CI (about a second each).
"""
import gc
import os
import pickle
import sys
import tracemalloc

import numpy as np
import pytest

import dualnum as dn

# A leak of one small object per iteration over the 2 x 2000 measured
# iterations of a workload (each doing tens of operations) passes these bounds
# by far; allocator noise stays well within them.
TRACED_GROWTH_LIMIT = 64 * 1024           # bytes, between the two measured phases
RSS_GROWTH_LIMIT = 4 * 1024 * 1024        # bytes, between the two measured phases
WARMUP, PHASE = 500, 2000


def _rss_bytes():
    """The resident set size on Linux (None elsewhere: tracemalloc still checks)."""
    if not sys.platform.startswith("linux"):
        return None
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _scalar_duals(i):
    x = dn.Dual(0.1 + i * 1e-4, (1.0, 2.0, 3.0))
    y = dn.sin(x) * dn.exp(-x * x / 2) + dn.log(1 + x * x) / dn.sqrt(1 + x * x)
    y = dn.atan2(y, x) + dn.hypot(x, y) ** 2.5 - abs(y) // 1 + y % 0.3
    pickle.loads(pickle.dumps(y))
    try:
        dn.sqrt(-x)                       # the error path allocates and frees too
    except ValueError:
        pass
    try:
        float(x)
    except TypeError:
        pass


def _jets_and_dual2(i):
    g = lambda x: dn.exp(x) / dn.sqrt(dn.sin(x) ** 3 + dn.cos(x) ** 3)
    dn.derivative(g, 1.5, n=3)
    dn.derivatives(g, 1.0 + i * 1e-4, 12)
    dn.hessian(lambda v: v[0] * dn.sin(v[1]) + v[1] ** 3, [0.3, 0.7])


ROSENBROCK = lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _api_on_arrays(i):
    x = np.linspace(-1, 1, 12) + i * 1e-6
    dn.gradient(ROSENBROCK, x)
    dn.hessian(ROSENBROCK, x)
    dn.hvp(ROSENBROCK, x, np.ones_like(x))
    dn.jacobian(lambda u: np.sin(u) * u[::-1], x)
    dn.jvp(lambda u: np.exp(u) @ u, x, np.ones_like(x))


def _dual_arrays(i):
    a = dn.DualArray(np.linspace(0.5, 1.5, 64), np.ones((64, 2)))
    b = np.sin(a) * np.exp(-a) + a @ a
    b = b[::2] + np.sum(b)
    pickle.loads(pickle.dumps(b))
    np.log(a - 1.0)[0]                    # nan with a warning is filtered below


def _recorded_chains(i):
    # large enough to be recorded (>= 65 536 value and tangent entries)
    x = dn.DualArray(np.linspace(0.5, 1.5, 40_000), np.ones((40_000, 1)))
    y = x
    for _ in range(5):
        y = np.sin(y) * x + 1.0
    y.value                               # runs the chain: scratch is malloc'd and freed


@pytest.mark.parametrize("workload", [
    _scalar_duals, _jets_and_dual2, _api_on_arrays, _dual_arrays, _recorded_chains,
], ids=lambda w: w.__name__.strip("_"))
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_memory_stays_flat(workload):
    iterations = PHASE // 20 if workload is _recorded_chains else PHASE
    for i in range(WARMUP // 20 if workload is _recorded_chains else WARMUP):
        workload(i)
    gc.collect()
    tracemalloc.start()
    try:
        readings = []
        for _phase in range(2):
            for i in range(iterations):
                workload(i)
            gc.collect()
            readings.append((tracemalloc.get_traced_memory()[0], _rss_bytes()))
    finally:
        tracemalloc.stop()
    (traced_1, rss_1), (traced_2, rss_2) = readings
    assert traced_2 - traced_1 < TRACED_GROWTH_LIMIT, (traced_1, traced_2)
    if rss_1 is not None:
        assert rss_2 - rss_1 < RSS_GROWTH_LIMIT, (rss_1, rss_2)


def _numbers_of_every_kind():
    """Numbers made by the operators of Dual, Jet and Dual2 (each type's freelist)."""
    x = dn.Dual(0.3, 1.0)
    jet = dn.Jet([0.3, 1.0, 0.0])
    dual2 = dn.Dual2(0.3, [1.0, 0.0])
    return [x * x, dn.sin(x), jet * jet, dn.exp(jet), dual2 * dual2, dn.log(dual2)]


def test_new_numbers_hold_one_reference_and_release_none():
    # numbers are made from a freelist with their object head written in place
    # (dualnum/_number.pxd): each must start with one reference, and the None
    # each holds must be released as often as it is taken
    gc.collect()
    nones = sys.getrefcount(None)
    for _ in range(1000):
        numbers = _numbers_of_every_kind()
        for number in numbers:
            assert sys.getrefcount(number) == 3       # the list, the loop name, the argument
        del numbers, number
    gc.collect()
    assert abs(sys.getrefcount(None) - nones) < 50    # (other code may hold a few more or fewer)


def test_numbers_made_under_tracemalloc_behave():
    tracemalloc.start()
    try:
        numbers = _numbers_of_every_kind()
        again = _numbers_of_every_kind()
    finally:
        tracemalloc.stop()
    assert [repr(a) for a in numbers] == [repr(b) for b in again]
