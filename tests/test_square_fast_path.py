"""x ** 2 on a DualArray with a constant exponent 2 (SQUARE_BY_POWER in
dualnum/_kernels.pyx, swapped in by _binary_now in dualnum/_array.pyx).

The fast path must give numpy's value (x * x, as np.power does for a scalar 2)
and the tangent 2 x t of the chain rule, to the last bit and to the sign of
zero, on dense and sparse tangents and through the API; where it declines
(an exponent with a tangent, an exponent array, 2 ** x, other exponents) the
power rule must still hold.  References: the closed form in plain numpy, and
the general power path (the same exponent 2 given as a one-element array,
which the fast path does not take).
"""

import numpy as np
import pytest

import dualnum as dn
from dualnum._array import seed_sparse, wrap_sparse
from dualnum.dualarray import DualArray

TAG = 31
EDGES = np.array([0.0, -0.0, 1.5, -2.25, 1e-170, -1e-200, 1e200, np.inf, -np.inf, np.nan, 3.0, 0.1])


def dense(value, k=3, seed=0):
    rng = np.random.default_rng(seed)
    tangent = rng.standard_normal(value.shape + (k,))
    tangent[..., 0] = 0.0                      # zero entries at inf/nan values stay 0 (strong zeros)
    return DualArray(value.copy(), tangent, TAG)


def sparse(value, seed=0):
    rng = np.random.default_rng(seed)
    k = value.size + 7
    index = np.stack([rng.permutation(k)[:value.size], rng.permutation(k)[:value.size]], axis=-1)
    index = index.reshape(value.shape + (2,))
    weight = rng.standard_normal(index.shape)
    weight[..., 1] = 0.0
    return wrap_sparse(value.copy(), index.astype(np.intp), weight, k, TAG)


def stored_tangent(x):
    """The tangent as stored: the sparse weights, or the dense tangent."""
    return x.sparse_tangent[1] if x.sparse_tangent is not None else x.tangent


def closed_form_tangent(value, tangent):
    """2 x t; where 2 x is not finite, a zero tangent entry stays exactly zero
    (the strong zero)."""
    g = 2.0 * value[..., np.newaxis]
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(np.isfinite(g) | (tangent != 0.0), g * tangent, 0.0)


def assert_identical(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    assert np.array_equal(actual, expected, equal_nan=True)
    assert np.array_equal(np.signbit(actual), np.signbit(expected))


@pytest.mark.parametrize("exponent", [2, 2.0, np.float64(2.0), np.array(2.0), np.int64(2)],
                         ids=["int", "float", "float64", "0-d", "int64"])
@pytest.mark.parametrize("make", [dense, sparse], ids=["dense", "sparse"])
def test_square_matches_the_closed_form_and_numpy(make, exponent):
    x = make(EDGES)
    with np.errstate(all="ignore"):
        result = x ** exponent
        through_ufunc = np.power(x, exponent)
        expected_value = EDGES ** 2
    assert_identical(result.value, expected_value)
    assert_identical(through_ufunc.value, expected_value)
    assert_identical(stored_tangent(result), closed_form_tangent(EDGES, stored_tangent(x)))
    assert_identical(stored_tangent(through_ufunc), stored_tangent(result))


@pytest.mark.parametrize("make", [dense, sparse], ids=["dense", "sparse"])
def test_square_equals_the_general_power_path(make):
    rng = np.random.default_rng(5)
    value = np.concatenate([EDGES, rng.standard_normal(200) * 10.0 ** rng.integers(-5, 5, 200)])
    x = make(value)
    with np.errstate(all="ignore"):
        fast = x ** 2
        general = x ** np.array([2.0])          # an exponent array: the power rule itself
    assert_identical(fast.value, general.value)
    assert_identical(stored_tangent(fast), stored_tangent(general))


def test_sparse_square_stays_sparse_and_shares_the_directions():
    x = sparse(np.array([1.0, -3.0, 0.5]))
    y = x ** 2
    assert y.sparse_tangent is not None
    assert y.sparse_tangent[0] is x.sparse_tangent[0]


def test_one_direction_square_of_a_large_array():
    # the vectorised one-direction loop (k == 1) and its careful rerun at a non-finite value
    value = np.linspace(-3.0, 3.0, 5001)
    x = DualArray(value.copy(), np.ones(value.shape + (1,)), TAG)
    assert_identical((x ** 2).tangent[:, 0], 2.0 * value)
    value[17] = np.inf
    x = DualArray(value.copy(), np.ones(value.shape + (1,)), TAG)
    assert_identical((x ** 2).tangent[:, 0], 2.0 * value)


@pytest.mark.warns_at_operation
@pytest.mark.parametrize("make", [dense, sparse], ids=["dense", "sparse"])
def test_overflow_warns_and_raises_as_numpy_power(make):
    value = np.array([1e200, 2.0])
    with pytest.warns(RuntimeWarning) as numpy_warning:
        np.power(value, 2)
    with pytest.warns(RuntimeWarning) as ours:
        make(value) ** 2
    assert [str(w.message) for w in ours] == [str(w.message) for w in numpy_warning]
    assert "power" in str(ours[0].message)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="power"):
        make(value) ** 2
    with np.errstate(over="ignore"):
        assert np.isinf((make(value) ** 2).value[0])


@pytest.mark.parametrize("make", [dense, sparse], ids=["dense", "sparse"])
def test_declined_exponents_keep_the_power_rule(make):
    value = np.array([0.5, 1.5, 2.0, 3.0])
    x = make(value)
    t = x.tangent
    # other constants: a x^(a-1) t
    for a in (3.0, 1.0, 0.5, -1.0, 2.5):
        y = x ** a
        np.testing.assert_allclose(y.value, value ** a, rtol=1e-15)
        np.testing.assert_allclose(y.tangent, (a * value ** (a - 1))[:, None] * t, rtol=1e-14)
    # 2 ** x, the constant as the base: 2^x log 2 t
    y = 2 ** x
    np.testing.assert_allclose(y.tangent, (2 ** value * np.log(2.0))[:, None] * t, rtol=1e-14)
    # an exponent with a tangent: d(x^c) = c x^(c-1) dx + x^c log x dc, here c = x[2] = 2
    c = x[2]
    y = x ** c
    expected = 2 * value[:, None] * t + (value ** 2 * np.log(value))[:, None] * np.asarray(c.partials)
    np.testing.assert_allclose(y.value, value ** 2, rtol=1e-15)
    np.testing.assert_allclose(y.tangent, expected, rtol=1e-14, atol=1e-15)


def test_central_differences_through_the_api():
    def f(x):
        return np.sum(3.0 * x ** 2 - x) + x[0] ** 2 * x[-1]

    for n in (3, 200):                        # dense one pass, sparse seeding
        point = np.linspace(-1.0, 2.0, n)
        h = 1e-6
        fd = np.array([(f(point + h * e) - f(point - h * e)) / (2 * h) for e in np.eye(n)])
        np.testing.assert_allclose(dn.gradient(f, point), fd, rtol=1e-7, atol=1e-7)
        closed = 6.0 * point - 1.0
        closed[0] += 2 * point[0] * point[-1]
        closed[-1] += point[0] ** 2
        np.testing.assert_allclose(dn.gradient(f, point), closed, rtol=1e-14, atol=1e-14)


def test_api_functions_that_take_arrays():
    point = np.linspace(-2.0, 2.0, 150)
    assert_identical(dn.jacobian(lambda x: x ** 2, point), np.diag(2.0 * point))
    assert_identical(dn.jvp(lambda x: x ** 2, point, np.ones_like(point))[1], 2.0 * point)
    assert_identical(dn.derivative(lambda x: x ** 2, point), 2.0 * point)
    value, grad = dn.value_and_gradient(lambda x: np.sum(x ** 2), point)
    assert value == np.sum(point ** 2)
    assert_identical(grad, 2.0 * point)


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_rosenbrock_gradient_bitwise_against_the_power_rule(n):
    # W3 of benchmarks/workloads.py: the gradient is the general power path's to the bit
    def rosen(x, two=2):
        return np.sum(100 * (x[1:] - x[:-1] ** two) ** two + (1 - x[:-1]) ** two)

    point = (np.arange(n) % 7) / 7 - 0.3
    sparse_gradient = dn.gradient(rosen, point)
    assert_identical(sparse_gradient, dn.gradient(lambda x: rosen(x, np.array([2.0])), point))
    residual = point[1:] - point[:-1] ** 2
    g = np.zeros_like(point)
    g[:-1] = -400 * point[:-1] * residual - 2 * (1 - point[:-1])
    g[1:] += 200 * residual
    np.testing.assert_allclose(sparse_gradient, g, rtol=1e-13, atol=1e-12)


def test_nested_derivative_of_a_square():
    # d/dy of the gradient of sum(y x^2) is 2 x (numbers of the outer call in the array)
    point = np.linspace(-1.0, 1.0, 5)
    result = dn.derivative(lambda y: dn.gradient(lambda x: np.sum(y * x ** 2), point), 0.7)
    np.testing.assert_allclose(result, 2.0 * point, rtol=1e-15)


def test_seeded_sparse_square_reads_the_identity_times_2x():
    point = np.linspace(-1.0, 1.0, 7)
    y = seed_sparse(point, TAG) ** 2
    assert_identical(y.tangent, np.diag(2.0 * point))
