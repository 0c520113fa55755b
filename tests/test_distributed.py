"""What a user ships to Dask workers: it pickles, and a two-process cluster
gives the single-process results bit for bit.

The cluster test needs the ``distributed`` extra.  It skips without it,
because README's test command installs only ``.[test]`` (Dask and its dozen
dependencies are not worth that install for one test); ``.ci/run`` installs
the extra and runs this file explicitly, so in CI it runs.
"""
import importlib
import pickle
from pathlib import Path

import numpy as np
import pytest
from scipy import special

import dualnum as dn

NEEDS_EXTRA = "needs the distributed extra (.ci/run installs it and runs this file)"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _erfcx_derivative(x):
    return 2.0 * x * erfcx(x) - 2.0 / np.sqrt(np.pi)


# a user primitive defined at module level, as a user would ship it (pickle
# finds it by its name, so the decorated function keeps the module's name)
@dn.primitive(derivative=_erfcx_derivative)
def erfcx(x):
    return np.exp(x * x) * dn.erfc(x)


def _j0_derivative(x):
    return -special.j1(x)


def _erfcx_plain(x):
    return np.exp(x * x) * dn.erfc(x)


# the same function made a primitive under another name than its own, and a
# scipy ufunc made one: pickle cannot find these by their functions' names
erfcx_renamed = dn.primitive(_erfcx_plain, _erfcx_derivative)
j0 = dn.primitive(special.j0, _j0_derivative)


def _picklers():
    yield pytest.param(pickle, id="pickle")
    try:
        import cloudpickle
    except ImportError:
        return
    yield pytest.param(cloudpickle, id="cloudpickle")


PICKLERS = list(_picklers())


def round_trip(pickler, obj):
    return pickle.loads(pickler.dumps(obj))


def same_bits(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


@pytest.mark.parametrize("pickler", PICKLERS)
def test_sparsity_pattern_pickles(pickler):
    tridiagonal = np.eye(6, dtype=bool) | np.eye(6, k=1, dtype=bool) | np.eye(6, k=-1, dtype=bool)
    pattern = dn.SparsityPattern(tridiagonal)
    copy = round_trip(pickler, pattern)
    assert repr(copy) == repr(pattern) == "SparsityPattern(shape=(6, 6), nonzeros=16, colours=3)"

    def g(x):                                   # a tridiagonal Jacobian
        return x * x + np.concatenate(([0.0], x[:-1])) * np.concatenate((x[1:], [0.0]))

    x = np.linspace(0.5, 1.5, 6)

    assert same_bits(dn.jacobian(g, x, sparsity=copy), dn.jacobian(g, x, sparsity=pattern))
    assert same_bits(dn.jacobian(g, x, sparsity=copy), dn.jacobian(g, x))


@pytest.mark.parametrize("pickler", PICKLERS)
def test_dual_array_result_pickles(pickler):
    captured = []

    def f(x):
        y = dn.sin(x) * x
        captured.append(y)
        return y.sum()

    x = np.array([0.25, -1.5, 3.0])
    gradient = dn.gradient(f, x)
    (result,) = captured
    assert type(result) is dn.DualArray
    copy = round_trip(pickler, result)
    assert type(copy) is dn.DualArray
    assert same_bits(copy.value, result.value)
    assert same_bits(np.asarray(copy.tangent), np.asarray(result.tangent))
    # the analytic gradient: sin(x) + x cos(x)
    assert np.allclose(gradient, np.sin(x) + x * np.cos(x), rtol=1e-15, atol=0)


@pytest.mark.parametrize("pickler", PICKLERS)
def test_module_level_primitive_pickles(pickler):
    copy = round_trip(pickler, erfcx)
    x = np.array([0.0, 0.5, 2.0])
    value, slope = dn.value_and_derivative(lambda t: copy(2.0 * t), x)
    want_value, want_slope = dn.value_and_derivative(lambda t: erfcx(2.0 * t), x)
    assert same_bits(value, want_value) and same_bits(slope, want_slope)
    # against the closed form of the derivative, computed without dualnum's chain rule
    assert np.allclose(slope, 2.0 * _erfcx_derivative(2.0 * x), rtol=1e-14, atol=0)


def test_two_process_cluster_matches_one_process_bit_for_bit(monkeypatch):
    pytest.importorskip("dask.array", reason=NEEDS_EXTRA)
    distributed = pytest.importorskip("distributed", reason=NEEDS_EXTRA)
    import dask

    # the workers import the example by name: spawned processes start with this sys.path
    monkeypatch.syspath_prepend(str(EXAMPLES))
    example = importlib.import_module("dask_greeks")
    lazy = example.greeks(points=4_000, chunk=1_000)
    local = dask.compute(lazy, scheduler="synchronous")[0]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        remote = client.compute(lazy).result()
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert type(remote) is np.ndarray and remote.shape == (4_000, 4)
    assert same_bits(remote, local)
    # and one call on the whole array, no Dask at all
    assert same_bits(local, example.greeks_block(np.arange(4_000, dtype=np.float64)))
    # the Greeks themselves, against the closed forms
    exact = example.closed_form_block(np.arange(4_000, dtype=np.float64))
    assert np.allclose(local, exact, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("pickler", PICKLERS)
def test_primitive_bound_under_another_name_pickles(pickler):
    x = np.array([0.0, 0.5, 2.0])
    copy = round_trip(pickler, erfcx_renamed)
    assert same_bits(dn.derivative(copy, x), dn.derivative(erfcx, x))
    assert np.allclose(dn.derivative(copy, x), _erfcx_derivative(x), rtol=1e-14, atol=0)
    copy = round_trip(pickler, j0)
    assert copy.func is special.j0
    assert same_bits(dn.derivative(copy, x), dn.derivative(j0, x))
    assert np.allclose(dn.derivative(copy, x), -special.j1(x), rtol=1e-15, atol=0)   # J0' = -J1
