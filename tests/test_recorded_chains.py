"""Recorded chains: elementwise operations on large DualArrays run later, block
by block (see "recorded chains" in dualnum/_chains.pyx).

Every result is compared bit for bit with the same operations run one at a
time: an array whose storage was handed out (``.value`` read) is never
recorded, so the same code on such a copy runs eagerly, and the eager loops
are tested against the scalar Dual in test_dualarray.py.  Beyond the numbers,
recording must not be observable: operands changed after an operation, the
warnings and errors numpy's error state asks for, threads.
"""

import gc
import pickle
import threading
import warnings
import weakref

import numpy as np
import pytest

import dualnum as dn
from dualnum import _array, _chains, _kernels
from dualnum._core import dual_parts
from dualnum.dualarray import DualArray

TAG = 29
# above the recording threshold (value and tangent entries) with k = 1
N = 50_000


def fresh(values, k=1, seed=0):
    """A DualArray whose operations are recorded (storage never handed out)."""
    values = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    tangent = rng.uniform(-2, 2, values.shape + (k,))
    return _array.wrap(values.copy(), tangent, TAG, True)


def twin(values, k=1, seed=0):
    """The same DualArray as fresh(values, k, seed), with its storage handed
    out, so that its operations run at once (and fresh's are left alone)."""
    x = fresh(values, k, seed)
    x.value                                      # noqa: B018 (hands the storage out)
    return x


def assert_identical(a, b):
    assert a.shape == b.shape and a.directions == b.directions
    np.testing.assert_array_equal(a.value, b.value, strict=True)
    np.testing.assert_array_equal(a.tangent, b.tangent, strict=True)
    # the sign of zeros too
    assert np.array_equal(np.signbit(a.value), np.signbit(b.value))
    assert np.array_equal(np.signbit(a.tangent), np.signbit(b.tangent))


def domain_points(name, n):
    """n points inside the domain of the rule `name` (and a few on its edges)."""
    if name in ("arcsin", "arccos", "arctanh", "asin", "acos", "atanh"):
        return np.linspace(-0.99, 0.99, n)
    if name in ("arccosh", "acosh"):
        return np.linspace(1.01, 40.0, n)
    if name in ("log", "log2", "log10", "sqrt", "gamma", "lgamma", "digamma"):
        return np.linspace(0.05, 30.0, n)
    if name == "log1p":
        return np.linspace(-0.9, 30.0, n)
    return np.linspace(-6.0, 6.0, n)


def f_w2(x):
    return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)


# --------------------------------------------------------------------------
# the mechanism is on, and its results are the eager ones


@pytest.mark.eager_below_threshold
def test_large_elementwise_operations_are_recorded_and_small_ones_are_not():
    x = fresh(np.linspace(-1, 1, N))
    y = np.sin(x) * 2.0 + x
    assert _chains.is_pending(y)
    y.value                                      # noqa: B018
    assert not _chains.is_pending(y)
    small = fresh(np.linspace(-1, 1, 100))
    assert not _chains.is_pending(np.sin(small))


def test_shape_attributes_do_not_run_the_chain():
    x = fresh(np.linspace(-1, 1, 2 * N).reshape(400, -1))
    y = np.exp(x) + 1.0
    assert (y.shape, y.ndim, y.size, y.dtype, len(y)) == ((400, 250), 2, 2 * N, np.float64, 400)
    assert _chains.is_pending(y)


@pytest.mark.parametrize("name", sorted(_kernels.UNARY_NAMES))
def test_every_unary_rule_recorded_equals_eager(name):
    points = domain_points(name, N)
    func = getattr(np, name, None)
    apply = func if isinstance(func, np.ufunc) else (lambda v: getattr(dn, name)(v))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        recorded = apply(fresh(points) * 1.0)   # a chain of two steps
        assert _chains.is_pending(recorded)
        eager = apply(twin(points) * 1.0)
    assert_identical(recorded, eager)


@pytest.mark.parametrize("name", sorted(_kernels.BINARY_NAMES))
def test_every_binary_rule_recorded_equals_eager(name):
    func = getattr(np, name, None)
    if not isinstance(func, np.ufunc):
        pytest.skip(f"{name} has no numpy ufunc; dualnum.{name} is tested on arrays elsewhere")
    pa, pb = np.linspace(0.2, 5.0, N), np.linspace(3.0, -3.0, N)
    a, b = fresh(pa, seed=1), fresh(pb, seed=2)
    ea, eb = twin(pa, seed=1), twin(pb, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cases = [
            (func(a, b), func(ea, eb)),                                # two arrays
            (func(a, 1.5), func(ea, 1.5)),                             # array, scalar
            (func(2.5, b), func(2.5, eb)),                             # scalar, array
            (func(a, a), func(ea, ea)),                                # one operand twice
        ]
    assert all(_chains.is_pending(recorded) for recorded, _ in cases)
    for recorded, eager in cases:
        assert_identical(recorded, eager)


@pytest.mark.parametrize("k", [1, 3])
def test_a_long_chain_with_shared_subexpressions_equals_eager(k):
    points = np.linspace(-2, 2, N)
    points[::97] = 0.0                           # exact zeros: strong-zero tangents
    results = []
    for v in (fresh(points, k), twin(points, k)):
        s = v * v                                # used three times below
        w = np.tanh(s) - s / (1.0 + s) + np.cos(v) ** 2
        for _ in range(40):                      # longer than one chain may get
            w = w * 0.5 + np.sin(w) - s
        results.append(w)
    assert_identical(*results)


def test_a_chain_keeps_few_stored_arrays_alive():
    points = np.linspace(-1, 1, N)
    arrays = [fresh(points, seed=i) for i in range(20)]
    refs = [weakref.ref(a) for a in arrays]
    total = arrays[0] * 1.0
    for a in arrays[1:]:
        total = total + a
    del arrays, a
    gc.collect()
    assert _chains.is_pending(total)
    assert sum(r() is not None for r in refs) <= 8     # eager code would keep none
    expected = twin(points, seed=0) * 1.0
    for i in range(1, 20):
        expected = expected + twin(points, seed=i)
    assert_identical(total, expected)


def test_scalar_duals_and_numpy_scalars_as_operands():
    x, e = fresh(np.linspace(-1, 1, N)), twin(np.linspace(-1, 1, N))
    recorded = (x * x[3] + np.float32(2.0)) / np.int64(3) - True     # x[3]: a Dual of the same call
    eager = (e * e[3] + np.float32(2.0)) / np.int64(3) - True
    assert _chains.is_pending(recorded)
    assert_identical(recorded, eager)


def test_non_finite_inputs_give_the_eager_results_without_warnings():
    points = np.linspace(-5, 5, N)
    points[10], points[20], points[30] = np.nan, np.inf, -np.inf
    x, e = fresh(points), twin(points)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recorded = np.exp(x) * x - np.sin(x)
        recorded.value                           # noqa: B018
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eager = np.exp(e) * e - np.sin(e)
    assert_identical(recorded, eager)


def test_w2_through_the_api_against_the_hand_derived_derivative():
    x = np.linspace(-3, 3, 200_001)
    value, derivative = dn.value_and_derivative(f_w2, x)
    q = 1 + x * x
    expected = (np.cos(x) * np.exp(-x * x / 2) - x * np.sin(x) * np.exp(-x * x / 2)
                + (2 * x / q) / np.sqrt(q) - np.log(q) * x / q ** 1.5)
    np.testing.assert_allclose(value, f_w2(x), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(derivative, expected, rtol=1e-13, atol=1e-14)


def test_jvp_and_a_sparse_jacobian_with_several_directions():
    x = np.linspace(0.1, 2, 40_000)
    direction = np.cos(np.arange(x.size))
    f = lambda v: np.log(v) * v + np.exp(-v)
    value, jv = dn.jvp(f, x, direction)
    np.testing.assert_allclose(value, f(x), rtol=1e-15)
    np.testing.assert_allclose(jv, (np.log(x) + 1 - np.exp(-x)) * direction, rtol=1e-13, atol=1e-15)

    def bidiagonal(u):                           # two colours: k = 2 on 40 000 elements
        previous = np.concatenate([np.zeros(1), u[:-1]])
        return np.exp(u) * previous + np.sin(u) * 2.0
    pattern = scipy_sparse().eye(x.size, format="csr") + scipy_sparse().eye(x.size, k=-1, format="csr")
    jac = dn.jacobian(bidiagonal, x, sparsity=pattern != 0, sparse_output=True)
    previous = np.concatenate([[0.0], x[:-1]])
    np.testing.assert_allclose(jac.diagonal(), np.exp(x) * previous + 2 * np.cos(x), rtol=1e-14)
    np.testing.assert_allclose(jac.diagonal(-1), np.exp(x[1:]), rtol=1e-15)
    assert jac.nnz == 2 * x.size - 1
    wide = fresh(x, k=2)
    assert _chains.is_pending(np.log(wide) * wide)


def scipy_sparse():
    return pytest.importorskip("scipy.sparse")


# --------------------------------------------------------------------------
# operands changed after the operation


def test_changing_an_operand_through_value_after_the_operation():
    x = fresh(np.linspace(0, 1, N))
    expected = np.sin(twin(np.linspace(0, 1, N))) + 1.0
    y = np.sin(x) + 1.0
    assert _chains.is_pending(y)
    x.value[:] = 7.0                             # hands out x's storage, then changes it
    x.tangent[:] = 0.0
    assert_identical(y, expected)


def test_changing_an_operand_by_assignment_and_in_place_operators():
    x = fresh(np.linspace(0, 1, N))
    expected = np.exp(twin(np.linspace(0, 1, N))) * 3.0
    y = np.exp(x) * 3.0
    assert _chains.is_pending(y)
    x[:10] = 5.0
    x += 1.0
    assert_identical(y, expected)
    np.testing.assert_array_equal(x.value[:10], 6.0)


def test_changing_an_operand_through_a_view():
    x = fresh(np.linspace(0, 1, N))
    expected = np.cos(twin(np.linspace(0, 1, N))) - 2.0
    y = np.cos(x) - 2.0
    assert _chains.is_pending(y)
    view = x[100:200]                            # shares x's storage
    view[:] = 0.0
    assert np.all(x.value[100:200] == 0.0)
    assert_identical(y, expected)
    z = x.reshape(-1, 100)                       # a view of x again
    w = np.sqrt(x + 1.0)
    z[0, 0] = 99.0
    np.testing.assert_array_equal(w.value[:1], [1.0])


def test_changing_a_pending_intermediate_after_it_was_used():
    x, e = fresh(np.linspace(0, 1, N)), twin(np.linspace(0, 1, N))
    expected_z = np.sin(e * e) + e
    y = x * x
    z = np.sin(y) + x
    assert _chains.is_pending(z)
    y.value[:] = -1.0                            # y is run, handed out, changed
    assert_identical(z, expected_z)
    np.testing.assert_array_equal(y.value, -1.0)


def test_an_intermediate_run_first_then_changed_keeps_later_results():
    x, e = fresh(np.linspace(0, 1, N)), twin(np.linspace(0, 1, N))
    y = x * 2.0
    z = y + 1.0                                  # reads y while y is pending
    assert _chains.is_pending(z)
    y_value = y.value                            # runs y, hands it out ...
    later = np.exp(y)                            # ... so this one runs at once
    y_value[:] = 0.0
    assert_identical(z, e * 2.0 + 1.0)
    assert_identical(later, np.exp(e * 2.0))


# --------------------------------------------------------------------------
# numpy's error state: at the operation, not when the chain runs


def test_warnings_come_with_the_operation_that_caused_them():
    x = fresh(np.linspace(-1, 1, N))             # contains 0 and negatives
    y = np.log(x) + 1.0
    with pytest.warns(RuntimeWarning) as caught:
        y.value                                  # noqa: B018
    messages = {str(w.message) for w in caught}
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        np.log(np.linspace(-1, 1, N))
    assert messages == {str(w.message) for w in expected}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_identical(y, np.log(twin(np.linspace(-1, 1, N))) + 1.0)


def test_a_replayed_chain_warns_and_stores_as_the_operations_run_at_once():
    # a non-finite value replays the chain one step at a time: each step with
    # a Dual, a number or an array as operand warns as numpy does on what the
    # eager operation passes it, and every intermediate gets the eager numbers
    values = np.linspace(-1, 1, N)
    x, e = fresh(values), twin(values)
    zero = x[N // 2] * 0.0                       # a Dual of the same call, value 0
    assert dual_parts(zero)[0] == 0.0
    shifted = x - 0.5
    divided = shifted / zero
    recorded = np.log(shifted) * divided
    assert _chains.is_pending(recorded)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        recorded.value                           # noqa: B018
    previous = _chains.chain_settings(defer_entries=2**62)      # nothing recorded
    try:
        with warnings.catch_warnings(record=True) as expected:
            warnings.simplefilter("always")
            eager_divided = (e - 0.5) / (e[N // 2] * 0.0)
            eager = np.log(e - 0.5) * eager_divided
    finally:
        _chains.chain_settings(*previous)
    assert not _chains.is_pending(eager)
    assert len(expected) == 2                    # divide by zero, invalid value in log
    assert [str(w.message) for w in caught] == [str(w.message) for w in expected]
    assert not _chains.is_pending(divided)       # stored by the replay
    assert_identical(recorded, eager)
    assert_identical(divided, eager_divided)


def test_an_error_state_set_around_the_operation_holds_when_the_chain_runs():
    x = fresh(np.linspace(-1, 1, N))
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(x) * 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y.value                                  # no warning when the chain runs
    with np.errstate(all="ignore"):
        z = np.sqrt(x)
    w = z + np.log(x)                            # this one warns
    with pytest.warns(RuntimeWarning, match="log"):
        w.value                                  # noqa: B018


def test_raise_mode_raises_at_the_operation():
    x = fresh(np.linspace(-1, 1, N))
    with np.errstate(invalid="raise", divide="raise"):
        with pytest.raises(FloatingPointError):
            np.log(x)
        y = x * 2.0                              # fine values: no error
    assert not _chains.is_pending(y)


# --------------------------------------------------------------------------
# everything else reads a pending array as if it had run


def test_pending_arrays_through_numpy_functions_indexing_pickle_and_repr():
    points = np.linspace(-1, 1, N).reshape(200, 250)
    x, e = fresh(points), twin(points)
    y, expected = np.exp(x) * x, np.exp(e) * e
    assert repr(np.exp(x)).startswith("DualArray(value=array(")
    for operation in (lambda v: v.sum(), lambda v: v[3, 4], lambda v: v.T[5],
                      lambda v: np.sum(v, axis=0), lambda v: v @ np.ones(250),
                      lambda v: np.concatenate([v, v])[:, 0], lambda v: v > 0.1,
                      lambda v: pickle.loads(pickle.dumps(v)), lambda v: v.copy(),
                      lambda v: np.where(v.value > 0, v, 0.0), lambda v: list(v)[7]):
        got, want = operation(np.exp(x) * x), operation(expected)
        if isinstance(got, np.ndarray):
            np.testing.assert_array_equal(got, want)
        elif isinstance(got, DualArray):
            assert_identical(got, want)
        else:
            (value, partials, tag), (want_value, want_partials, want_tag) = dual_parts(got), dual_parts(want)
            assert (value, tag) == (want_value, want_tag)
            np.testing.assert_array_equal(partials, want_partials)
    assert_identical(y, expected)


def test_operands_of_different_widths_still_raise():
    x = fresh(np.linspace(0, 1, N))
    wide = _array.wrap(np.ones(N), np.ones((N, 2)), TAG, True)
    with pytest.raises(ValueError, match="directions"):
        np.sin(x) * wide
    with pytest.raises(ValueError, match="directions"):
        np.sin(x) * np.exp(wide)


def test_chains_run_from_several_threads():
    points = np.linspace(-2, 2, N)
    expected = f_w2(twin(points))
    results, errors = [None] * 4, []

    def work(i):
        try:
            x = fresh(points)
            shared = f_w2(x)
            results[i] = shared
            shared.value                         # noqa: B018
        except Exception as error:               # pragma: no cover (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        assert_identical(r, expected)


def test_one_pending_array_read_by_several_threads_at_once():
    x = fresh(np.linspace(-2, 2, 4 * N))
    expected = f_w2(twin(np.linspace(-2, 2, 4 * N)))
    y = f_w2(x)
    barrier = threading.Barrier(4)
    seen = []

    def read():
        barrier.wait()
        seen.append(y.value.copy())

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for value in seen:
        np.testing.assert_array_equal(value, expected.value)
    assert_identical(y, expected)


# --------------------------------------------------------------------------
# threads that change operands while a chain runs (issue 12, item 1)


def chain_through(x, steps=10):
    """sin(...sin(g) + g...) + g with g = x * 1.0: the chain reads x only
    through the pending intermediate g."""
    g = x * 1.0
    y = g
    for _ in range(steps):
        y = np.sin(y) + g
    return g, y


def run_both(first, second):
    """Run first in a thread, and second in another once first has started."""
    started = threading.Event()

    def a():
        started.set()
        first()

    def b():
        started.wait()
        second()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_changing_an_input_while_another_thread_runs_a_chain_that_reads_it_through_an_intermediate():
    # the storage of x is handed out (which runs its reader g) while the
    # other thread runs y's chain, which reads x's storage itself
    points = np.linspace(0.5, 1.5, 8 * N)
    _, expected = chain_through(twin(points))
    for _ in range(3):
        x = fresh(points)
        g, y = chain_through(x)
        run_both(lambda: y.value, lambda: x.value.__setitem__(slice(None), 0.0))
        assert_identical(y, expected)
        np.testing.assert_array_equal(x.value, 0.0)


def test_changing_an_intermediate_while_another_thread_runs_the_chain_that_recomputes_it():
    points = np.linspace(0.5, 1.5, 8 * N)
    e = twin(points)
    expected_g, expected = chain_through(e)
    for _ in range(3):
        g, y = chain_through(fresh(points))
        run_both(lambda: y.value, lambda: g.tangent.__setitem__(slice(None), 5.0))
        assert_identical(y, expected)
        np.testing.assert_array_equal(g.value, expected_g.value)
        np.testing.assert_array_equal(g.tangent, 5.0)


def test_an_operand_handed_out_while_its_operation_is_recorded(monkeypatch):
    # another thread may hand out an operand between the checks of _record
    # and the registration of the reader (here: numpy's error state is read
    # in between); the operation must then not read it later
    x = fresh(np.linspace(0, 1, N))
    expected = twin(np.linspace(0, 1, N)) * 2.0
    geterr, handed_out = np.geterr, []

    def handing_out():
        monkeypatch.setattr(np, "geterr", geterr)
        handed_out.append(x.value)               # as another thread could
        return geterr()

    monkeypatch.setattr(np, "geterr", handing_out)
    y = x * 2.0
    handed_out[0][:] = 7.0
    assert_identical(y, expected)


def test_threads_forcing_chains_that_share_intermediates_while_an_input_changes():
    points = np.linspace(-2, 2, 4 * N)
    e = twin(points)
    s = e * e
    expected = [np.sin(s) + e, np.cos(s) * s, np.exp(-s) - np.sin(s)]
    for _ in range(3):
        x = fresh(points)
        s = x * x
        chains = [np.sin(s) + x, np.cos(s) * s, np.exp(-s) - np.sin(s)]
        barrier = threading.Barrier(len(chains) + 1)
        seen = [None] * len(chains)

        def read(i):
            barrier.wait()
            seen[i] = (chains[i].value.copy(), chains[i].tangent.copy())

        def change():
            barrier.wait()
            x.value[:] = np.nan
            s.value[:] = np.nan

        threads = [threading.Thread(target=read, args=(i,)) for i in range(len(chains))]
        threads.append(threading.Thread(target=change))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for (value, tangent), want in zip(seen, expected):
            np.testing.assert_array_equal(value, want.value)
            np.testing.assert_array_equal(tangent, want.tangent)
