"""Two sparse operands of different directions (x[1:] - x[:-1] ** 2): the result's
rows are a's entries scaled by the partial in a, then b's scaled by the partial
in b (binary_concat_loop in dualnum/_loops.pxd, with add, subtract and multiply
inlined and every other rule through its pointer; the directions side by side
by _concat_index in dualnum/_array.pyx).

The reference is plain numpy on the stored (index, weight) arrays: the closed
form partials of each rule, the strong zero (a zero weight stays +0.0) and the
directions concatenated with np.concatenate, compared to the bit.
"""

import numpy as np
import pytest

import dualnum as dn
from dualnum._array import seed_sparse, wrap_sparse

TAG = 37
K = 50

# the partials (d/da, d/db) of each rule in closed form
PARTIALS = {
    "add": (np.add, lambda a, b: (np.ones_like(a), np.ones_like(b))),
    "subtract": (np.subtract, lambda a, b: (np.ones_like(a), -np.ones_like(b))),
    "multiply": (np.multiply, lambda a, b: (b, a)),
    # (as the rule: -q * (1/b) where 1/b is finite, -q / b for a subnormal b)
    "divide": (np.divide, lambda a, b: (1 / b, np.where(np.isfinite(1 / b), -(a / b) * (1 / b),
                                                        -(a / b) / b))),

}


def operand(value, width, seed):
    rng = np.random.default_rng(seed)
    value = np.asarray(value, dtype=np.float64)
    index = rng.integers(-1, K, size=value.shape + (width,)).astype(np.intp)
    weight = rng.standard_normal(index.shape)
    weight[rng.random(index.shape) < 0.2] = 0.0
    weight[rng.random(index.shape) < 0.1] = -0.0
    return wrap_sparse(value.copy(), index, weight, K, TAG)


def strong(g, w):
    with np.errstate(all="ignore"):
        return np.where(w == 0.0, 0.0, g * w)


def expected(name, x, y):
    function, partials = PARTIALS[name]
    a, b = x.value, y.value
    shape = np.broadcast_shapes(a.shape, b.shape)
    (ia, wa), (ib, wb) = x.sparse_tangent, y.sparse_tangent
    with np.errstate(all="ignore"):
        ga, gb = partials(a, b)
        value = function(a, b)
    weight = np.concatenate([np.broadcast_to(strong(ga[..., None], wa), shape + (wa.shape[-1],)),
                             np.broadcast_to(strong(gb[..., None], wb), shape + (wb.shape[-1],))],
                            axis=-1)
    index = np.concatenate([np.broadcast_to(ia, shape + (ia.shape[-1],)),
                            np.broadcast_to(ib, shape + (ib.shape[-1],))], axis=-1)
    return value, index, weight


def assert_bits(actual, wanted):
    actual, wanted = np.asarray(actual), np.asarray(wanted)
    assert actual.shape == wanted.shape and actual.dtype == wanted.dtype
    assert np.array_equal(actual, wanted, equal_nan=actual.dtype.kind == "f")
    if actual.dtype.kind == "f":
        assert np.array_equal(np.signbit(actual), np.signbit(wanted))


VALUES_A = [1.5, -2.0, 0.0, -0.0, 1e-300, 3.25, 7.0, -0.5]
VALUES_B = [0.5, 4.0, -3.0, 2.0, 1e300, -0.0, 0.125, 9.0]


@pytest.mark.parametrize("name", sorted(PARTIALS))
@pytest.mark.parametrize("widths", [(1, 1), (2, 1), (1, 3), (3, 4)])
@pytest.mark.parametrize("shapes", [((8,), (8,)), ((2, 4), (2, 4)), ((8,), (1,)), ((1,), (8,)),
                                    ((2, 1, 4), (3, 1))],
                         ids=["same", "2-d", "b-one", "a-one", "broadcast"])
def test_rows_side_by_side(name, widths, shapes):
    rng = np.random.default_rng(len(name) + 10 * widths[0] + widths[1])
    a = rng.choice(VALUES_A, size=shapes[0])
    b = rng.choice(VALUES_B, size=shapes[1])
    x, y = operand(a, widths[0], 1), operand(b, widths[1], 2)
    with np.errstate(all="ignore"):
        result = getattr(np, name)(x, y)
    value, index, weight = expected(name, x, y)
    assert_bits(result.value, value)
    assert_bits(result.sparse_tangent[0], index)
    assert_bits(result.sparse_tangent[1], weight)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply"])
def test_operators_take_the_same_path_as_ufuncs(name):
    x, y = operand([1.0, -2.0, 0.5], 2, 3), operand([4.0, 0.25, -1.0], 1, 4)
    operator_result = {"add": x + y, "subtract": x - y, "multiply": x * y}[name]
    ufunc_result = getattr(np, name)(x, y)
    for got, want in zip((operator_result.value, *operator_result.sparse_tangent),
                         (ufunc_result.value, *ufunc_result.sparse_tangent)):
        assert_bits(got, want)


def test_many_neighbours_merge_repeated_directions():
    # wider than COMPACT_WIDTH: repeated directions are merged, the dense tangent is unchanged
    point = np.linspace(-1.0, 1.0, 40)
    x = seed_sparse(point, TAG)
    total = x[:-4] - x[1:-3] * x[2:-2] + x[3:-1] * x[4:] - x[:-4] * x[4:] + x[2:-2]
    assert total.sparse_tangent is not None
    dense = np.zeros((36, 40))
    rows = np.arange(36)
    np.add.at(dense, (rows, rows), 1.0 - point[4:])
    np.add.at(dense, (rows, rows + 1), -point[2:-2])
    np.add.at(dense, (rows, rows + 2), -point[1:-3] + 1.0)
    np.add.at(dense, (rows, rows + 3), point[4:])
    np.add.at(dense, (rows, rows + 4), point[3:-1] - point[:-4])
    np.testing.assert_allclose(total.tangent, dense, rtol=1e-15, atol=1e-15)


@pytest.mark.warns_at_operation
def test_overflow_warns_as_numpy():
    x, y = operand([1e200, 2.0], 1, 5), operand([1e200, 3.0], 2, 6)
    with pytest.warns(RuntimeWarning) as numpy_warning:
        np.multiply(x.value, y.value)
    with pytest.warns(RuntimeWarning) as ours:
        x * y
    assert [str(w.message) for w in ours] == [str(w.message) for w in numpy_warning]
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        x * y


def test_different_numbers_of_directions_are_refused():
    x = operand([1.0, 2.0], 1, 7)
    more = wrap_sparse(np.array([1.0, 2.0]), np.array([[0], [1]], dtype=np.intp),
                       np.ones((2, 1)), K + 1, TAG)
    with pytest.raises(ValueError, match="directions"):
        x - more


@pytest.mark.parametrize("n", [100, 400])
def test_banded_gradients_against_central_differences(n):
    def f(x):
        return np.sum((x[1:] - x[:-1]) * (x[1:] + x[:-1]) ** 2) + np.sum(x[2:] * x[:-2])

    point = np.cos(np.arange(n))
    h = 1e-6
    steps = np.eye(n)[[0, 1, n // 2, n - 2, n - 1]]
    fd = [(f(point + h * e) - f(point - h * e)) / (2 * h) for e in steps]
    g = dn.gradient(f, point)
    np.testing.assert_allclose(g[[0, 1, n // 2, n - 2, n - 1]], fd, rtol=1e-6, atol=1e-7)
    # the dense one-direction passes of jvp agree with the sparse pass
    for e, column in zip(steps, g[[0, 1, n // 2, n - 2, n - 1]]):
        np.testing.assert_allclose(dn.jvp(f, point, e)[1], column, rtol=1e-13, atol=1e-13)
