"""Duals with numpy: ufuncs on a Dual, object arrays of Duals, Dual * ndarray,
and refusal of everything that would silently drop derivatives."""

import math

import numpy as np
import pytest

from dualnum import Dual

X = 0.3
DIRS = [(1.0,), (0.5, -2.0, 0.0)]
LN2 = math.log(2.0)

# ufunc -> derivative at x
UNARY = {
    np.sin: math.cos,
    np.cos: lambda x: -math.sin(x),
    np.tan: lambda x: 1.0 / math.cos(x) ** 2,
    np.arcsin: lambda x: 1.0 / math.sqrt(1.0 - x * x),
    np.arccos: lambda x: -1.0 / math.sqrt(1.0 - x * x),
    np.arctan: lambda x: 1.0 / (1.0 + x * x),
    np.sinh: math.cosh,
    np.cosh: math.sinh,
    np.tanh: lambda x: 1.0 - math.tanh(x) ** 2,
    np.arcsinh: lambda x: 1.0 / math.sqrt(x * x + 1.0),
    np.arctanh: lambda x: 1.0 / (1.0 - x * x),
    np.exp: math.exp,
    np.exp2: lambda x: 2.0**x * LN2,
    np.expm1: math.exp,
    np.log: lambda x: 1.0 / x,
    np.log2: lambda x: 1.0 / (x * LN2),
    np.log10: lambda x: 1.0 / (x * math.log(10.0)),
    np.log1p: lambda x: 1.0 / (1.0 + x),
    np.sqrt: lambda x: 0.5 / math.sqrt(x),
    np.cbrt: lambda x: 1.0 / (3.0 * x ** (2.0 / 3.0)),
    np.deg2rad: lambda x: math.pi / 180.0,
    np.rad2deg: lambda x: 180.0 / math.pi,
    np.negative: lambda x: -1.0,
    np.absolute: lambda x: 1.0,
    np.fabs: lambda x: 1.0,
}


def close(actual, expected):
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-300)


def assert_dual(result, value, partials):
    assert type(result) is Dual, type(result)
    assert close(result.value, value), (result.value, value)
    assert len(result.partials) == len(partials), (result.partials, partials)
    for got, want in zip(result.partials, partials):
        assert close(got, want), (result.partials, partials)


def duals_array(*duals):
    arr = np.empty(len(duals), dtype=object)
    arr[:] = duals
    return arr


# --------------------------------------------------------------------------
# ufuncs applied to a single Dual


@pytest.mark.parametrize("dirs", DIRS, ids=["1dir", "3dir"])
@pytest.mark.parametrize("ufunc", list(UNARY), ids=lambda u: u.__name__)
def test_unary_ufunc_on_dual(ufunc, dirs):
    result = ufunc(Dual(X, dirs))
    slope = UNARY[ufunc](X)
    assert_dual(result, float(ufunc(X)), [slope * p for p in dirs])


@pytest.mark.parametrize(
    "call, value, partial",
    [
        (lambda d: np.add(d, 1.0), X + 1.0, 1.0),
        (lambda d: np.add(1.0, d), X + 1.0, 1.0),
        (lambda d: np.subtract(1.0, d), 1.0 - X, -1.0),
        (lambda d: np.multiply(np.float64(2), d), 2 * X, 2.0),
        (lambda d: np.multiply(d, np.float64(2)), 2 * X, 2.0),
        (lambda d: np.multiply(d, d), X * X, 2 * X),
        (lambda d: np.true_divide(1.0, d), 1.0 / X, -1.0 / X**2),
        (lambda d: np.divide(d, 4), X / 4, 0.25),
        (lambda d: np.power(d, 2.0), X**2, 2 * X),
        (lambda d: np.power(2.0, d), 2.0**X, 2.0**X * LN2),
        (lambda d: np.arctan2(d, 1.0), math.atan2(X, 1.0), 1.0 / (1.0 + X * X)),
        (lambda d: np.arctan2(1.0, d), math.atan2(1.0, X), -1.0 / (1.0 + X * X)),
        (lambda d: np.hypot(d, 0.4), math.hypot(X, 0.4), X / math.hypot(X, 0.4)),
        (lambda d: np.maximum(d, 0.1), X, 1.0),
        (lambda d: np.minimum(0.5, d), X, 1.0),
    ],
)
def test_binary_ufunc_on_dual(call, value, partial):
    assert_dual(call(Dual(X, 1.0)), value, [partial])


@pytest.mark.parametrize(
    "expr",
    [
        lambda d: np.float64(2) * d,
        lambda d: d * np.float64(2),
        lambda d: np.float32(2) + d,
        lambda d: np.int64(2) ** d,
        lambda d: np.sin(d),
        lambda d: np.exp(d),
        lambda d: np.arctan2(d, 1.0),
        lambda d: np.multiply(np.float64(2), d),
    ],
)
def test_results_are_duals_not_numpy_objects(expr):
    result = expr(Dual(X, 1.0))
    assert type(result) is Dual
    assert not isinstance(result, (np.ndarray, np.generic))


# --------------------------------------------------------------------------
# object arrays of Duals


def vector():
    # x0 seeded in direction 0, x1 in direction 1
    return duals_array(Dual(0.3, (1.0, 0.0)), Dual(0.7, (0.0, 1.0)))


def test_array_of_duals_is_object_array():
    arr = np.array([Dual(0.3, 1.0), Dual(0.7, 2.0)])
    assert arr.dtype == object and arr.shape == (2,)
    assert all(type(e) is Dual for e in arr)


@pytest.mark.parametrize("ufunc", [np.sin, np.exp, np.sqrt, np.tanh, np.arctan], ids=lambda u: u.__name__)
def test_unary_ufunc_on_object_array(ufunc):
    result = ufunc(vector())
    assert isinstance(result, np.ndarray) and result.dtype == object
    for i, x in enumerate((0.3, 0.7)):
        expected = [0.0, 0.0]
        expected[i] = UNARY[ufunc](x)
        assert_dual(result[i], float(ufunc(x)), expected)


def test_ufunc_on_list_of_duals():
    result = np.sin([Dual(0.3, 1.0), Dual(0.7, 2.0)])
    assert result.dtype == object
    assert_dual(result[1], math.sin(0.7), [2.0 * math.cos(0.7)])


def test_sum_of_object_array():
    assert_dual(np.sum(vector()), 1.0, [1.0, 1.0])
    assert_dual(np.sum(vector() ** 2), 0.58, [0.6, 1.4])
    assert_dual(np.add.reduce(vector()), 1.0, [1.0, 1.0])


def test_mean_and_prod_of_object_array():
    assert_dual(np.mean(vector()), 0.5, [0.5, 0.5])
    assert_dual(np.prod(vector()), 0.21, [0.7, 0.3])


def test_dot_of_object_arrays():
    v = vector()
    assert_dual(np.dot(v, v), 0.58, [0.6, 1.4])
    assert_dual(v @ v, 0.58, [0.6, 1.4])
    assert_dual(np.dot(v, np.array([1.0, 2.0])), 1.7, [1.0, 2.0])
    assert_dual(np.dot(np.array([1.0, 2.0]), v), 1.7, [1.0, 2.0])


def test_matrix_vector_product():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = A @ vector()
    assert y.shape == (3,) and y.dtype == object
    for i in range(3):
        assert_dual(y[i], A[i, 0] * 0.3 + A[i, 1] * 0.7, [A[i, 0], A[i, 1]])


def test_elementwise_arithmetic_on_object_arrays():
    v = vector()
    result = v * v + 2.0 * v - v / 2.0
    for i, x in enumerate((0.3, 0.7)):
        expected = [0.0, 0.0]
        expected[i] = 2 * x + 2.0 - 0.5
        assert_dual(result[i], x * x + 2.0 * x - x / 2.0, expected)


def test_mixed_object_array_of_duals_and_floats():
    # Gradient front-ends pass arrays holding Duals and plain floats.
    mixed = np.array([Dual(0.3, (1.0,)), 2.0], dtype=object)
    total = np.sum(mixed**2)
    assert_dual(total, 0.09 + 4.0, [0.6])
    scaled = mixed * 3.0
    assert_dual(scaled[0], 0.9, [3.0])
    assert scaled[1] == 6.0


@pytest.mark.parametrize("reduce", [np.sum, np.prod, np.mean, np.max, np.min], ids=lambda f: f.__name__)
def test_reduction_of_a_single_dual(reduce):
    # Like np.sum(2.0) == 2.0: reducing one scalar gives it back. Matters for
    # f(x) = np.sum(x**2) differentiated at a scalar x.
    assert_dual(reduce(Dual(0.3, (1.0, 2.0))), 0.3, [1.0, 2.0])


def test_cumsum_of_object_array():
    result = np.cumsum(vector())
    assert_dual(result[0], 0.3, [1.0, 0.0])
    assert_dual(result[1], 1.0, [1.0, 1.0])


# --------------------------------------------------------------------------
# Dual with float ndarrays


ARR = np.array([1.0, 2.0, -3.0])
D = Dual(0.5, (1.0, 2.0))


@pytest.mark.parametrize(
    "expr, value, partials",
    [
        (lambda: D * ARR, lambda a: 0.5 * a, lambda a: (a, 2 * a)),
        (lambda: ARR * D, lambda a: a * 0.5, lambda a: (a, 2 * a)),
        (lambda: D + ARR, lambda a: 0.5 + a, lambda a: (1.0, 2.0)),
        (lambda: ARR + D, lambda a: a + 0.5, lambda a: (1.0, 2.0)),
        (lambda: ARR - D, lambda a: a - 0.5, lambda a: (-1.0, -2.0)),
        (lambda: D - ARR, lambda a: 0.5 - a, lambda a: (1.0, 2.0)),
        (lambda: ARR / D, lambda a: a / 0.5, lambda a: (-a / 0.25, -2 * a / 0.25)),
        (lambda: D / ARR, lambda a: 0.5 / a, lambda a: (1 / a, 2 / a)),
        (lambda: ARR // D, lambda a: a // 0.5, lambda a: (0.0, 0.0)),
        (lambda: D // ARR, lambda a: 0.5 // a, lambda a: (0.0, 0.0)),
        (lambda: D % ARR, lambda a: 0.5 % a, lambda a: (1.0, 2.0)),
        (lambda: ARR % D, lambda a: a % 0.5, lambda a: (-(a // 0.5), -2 * (a // 0.5))),
        (lambda: D ** np.array([1.0, 2.0, 3.0]), None, None),
    ],
)
def test_dual_with_float_array(expr, value, partials):
    result = expr()
    assert isinstance(result, np.ndarray)
    assert result.dtype == object and result.shape == (3,)
    if value is None:  # D ** [1, 2, 3]
        for k, r in zip((1.0, 2.0, 3.0), result):
            slope = k * 0.5 ** (k - 1)
            assert_dual(r, 0.5**k, [slope, 2 * slope])
        return
    for a, r in zip(ARR, result):
        assert_dual(r, value(float(a)), list(partials(float(a))))


def test_float_array_to_dual_power():
    bases = np.array([1.0, 2.0, 4.0])  # positive: a real power for any exponent
    result = bases ** D
    assert result.dtype == object and result.shape == (3,)
    for a, r in zip(bases, result):
        slope = a**0.5 * math.log(a)
        assert_dual(r, a**0.5, [slope, 2 * slope])


@pytest.mark.parametrize(
    "arr", [np.ones((2, 3)), np.ones((2, 3), dtype=np.int64), np.ones(4, dtype=np.float32)]
)
def test_dual_times_array_keeps_shape(arr):
    for result in (D * arr, arr * D):
        assert result.shape == arr.shape and result.dtype == object
        for r in result.flat:
            assert_dual(r, 0.5, [1.0, 2.0])


def test_dual_times_zero_dim_array():
    result = D * np.array(2.0)
    # numpy may hand back a 0-d object array or the element itself
    r = result[()] if isinstance(result, np.ndarray) else result
    assert_dual(r, 1.0, [2.0, 4.0])


# --------------------------------------------------------------------------
# unsupported ufuncs and out=


@pytest.mark.parametrize(
    "ufunc, args",
    [
        (np.bitwise_and, (1,)),
        (np.bitwise_or, (1,)),
        (np.left_shift, (1,)),
        (np.gcd, (2,)),
        (np.lcm, (2,)),
        (np.isnat, ()),
        (np.invert, ()),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_unsupported_ufunc_raises_type_error_naming_it(ufunc, args):
    with pytest.raises(TypeError, match=ufunc.__name__):
        ufunc(Dual(3.0, 1.0), *args)


@pytest.mark.parametrize("ufunc", [np.bitwise_and, np.gcd], ids=lambda u: u.__name__)
def test_unsupported_ufunc_on_object_array(ufunc):
    with pytest.raises(TypeError):
        ufunc(vector(), 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda d: np.sin(d, out=np.empty(())),
        lambda d: np.sin(d, out=(np.empty(()),)),
        lambda d: np.exp(d, out=np.empty(1)),
        lambda d: np.add(d, 1.0, out=np.empty(())),
        lambda d: np.multiply(np.float64(2), d, out=np.empty(())),
    ],
)
def test_out_argument_raises(call):
    # Writing into a float array would silently drop the derivatives.
    with pytest.raises(TypeError):
        call(Dual(0.3, 1.0))


def test_out_argument_with_object_array_of_duals():
    with pytest.raises(TypeError):
        np.multiply(vector(), 2.0, out=np.zeros(2))


@pytest.mark.parametrize(
    "convert",
    [
        lambda d: np.array([d], dtype=float),
        lambda d: np.asarray(d, dtype=np.float64),
        lambda d: np.array([d, d]).astype(float),
        lambda d: np.float64(d),
    ],
)
def test_no_silent_conversion_to_float_arrays(convert):
    with pytest.raises(TypeError):
        convert(Dual(0.3, 1.0))


def test_assignment_into_float_array_raises():
    arr = np.zeros(2)
    with pytest.raises(TypeError):
        arr[0] = Dual(0.3, 1.0)
    assert arr[0] == 0.0
