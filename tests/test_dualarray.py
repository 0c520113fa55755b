"""DualArray: consistency with the scalar Dual, numpy protocol, indexing,
shapes, reductions, tags, errors and warnings.

The scalar Dual is tested against mpmath elsewhere; here every kernel of
dualnum/_kernels.pyx is compared with the scalar Dual applying the same rule of
dualnum/_rules.pxd to the same value and partials, element by element, so the
comparison is exact: values bit for bit, tangents exactly (the sign of a zero
tangent is checked bit for bit in a test of its own).  Shape, indexing and
reduction results are compared with numpy applied to each tangent direction
separately, on dyadic values so that every summation order is exact.
"""

import functools
import math
import operator
import warnings

import numpy as np
import pytest

import dualnum as dn
from dualnum import _kernels
from dualnum._core import Dual, dual_from, dual_parts
from dualnum.dualarray import DualArray

TAG = 17                   # as if seeded by a differentiation call
UNARY_NAMES = sorted(_kernels.UNARY_NAMES)
BINARY_NAMES = sorted(_kernels.BINARY_NAMES)
AxisError = np.exceptions.AxisError


# --------------------------------------------------------------------------
# helpers


def make(values, k, seed=0, tag=TAG):
    """DualArray of the given values with a deterministic tangent of k
    directions: for k == 3 direction 1 is zero everywhere; for k == 1 the
    first element has a zero tangent (when there are several elements)."""
    values = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    tangent = np.round(rng.uniform(-2.0, 2.0, size=values.shape + (k,)), 3)
    tangent[tangent == 0.0] = 0.5
    if k == 3:
        tangent[..., 1] = 0.0
    elif k == 1 and values.size > 1:
        tangent.reshape(-1, 1)[0, 0] = 0.0
    return DualArray(values, tangent, tag)


def dyadic(shape, k, seed, tag=TAG):
    """DualArray of multiples of 1/8: sums in any order are exact."""
    rng = np.random.default_rng(seed)
    value = rng.integers(-16, 17, size=shape) / 8.0
    tangent = rng.integers(-16, 17, size=tuple(shape) + (k,)) / 8.0
    return DualArray(value, tangent, tag)


def partials(k):
    return np.array([0.75, 0.0, -1.5][:k] if k == 3 else [0.75] * k)


def shape_of(operand):
    if isinstance(operand, (DualArray, np.ndarray)):
        return operand.shape
    return ()


def elements(operand, shape):
    """Object array of the operand's scalar elements (Duals or floats),
    broadcast to shape."""
    out = np.empty(shape, dtype=object)
    if isinstance(operand, DualArray):
        v = np.broadcast_to(operand.value, shape)
        t = np.broadcast_to(operand.tangent, tuple(shape) + (operand.directions,))
        for idx in np.ndindex(*shape):
            out[idx] = dual_from(float(v[idx]), np.ascontiguousarray(t[idx]), operand.tag)
    elif isinstance(operand, np.ndarray):
        v = np.broadcast_to(operand, shape)
        for idx in np.ndindex(*shape):
            out[idx] = float(v[idx])
    else:
        for idx in np.ndindex(*shape):
            out[idx] = operand
    return out


def elementwise(fn, *operands):
    """fn applied to the scalar elements (scalar Duals / floats) of the operands."""
    shape = np.broadcast_shapes(*[shape_of(o) for o in operands])
    columns = [elements(o, shape) for o in operands]
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = fn(*[c[idx] for c in columns])
    return out


def parts_of(expected, k):
    """(values, tangents) arrays of an object array of scalar Duals."""
    value = np.empty(expected.shape)
    tangent = np.empty(expected.shape + (k,))
    for idx in np.ndindex(*expected.shape):
        d = expected[idx]
        assert type(d) is Dual, (idx, d)
        v, p, _ = dual_parts(d)
        assert p.shape == (k,), (idx, d)
        value[idx] = v
        tangent[idx] = p
    return value, tangent


def bits(a):
    return np.array(a, dtype=np.float64, order="C").view(np.uint64)


def assert_bits(actual, expected, what):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    bad = bits(actual) != bits(expected)
    if np.any(bad):
        pytest.fail(f"{what} differs bitwise at {np.argwhere(bad)[:6].tolist()}: "
                    f"got {actual[bad][:6].tolist()}, expected {expected[bad][:6].tolist()}")


def assert_exact(actual, expected, what):
    """Equal as floats (nan matches nan; +0.0 matches -0.0)."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    bad = ~((actual == expected) | (np.isnan(actual) & np.isnan(expected)))
    if np.any(bad):
        pytest.fail(f"{what} differs at {np.argwhere(bad)[:6].tolist()}: "
                    f"got {actual[bad][:6].tolist()}, expected {expected[bad][:6].tolist()}")


def unpack(result):
    """(value, tangent, tag) of a DualArray or a scalar Dual result."""
    if type(result) is Dual:
        v, p, tag = dual_parts(result)
        return np.array(v), p, tag
    assert type(result) is DualArray, type(result)
    assert result.value.dtype == np.float64 and result.tangent.dtype == np.float64
    return result.value, result.tangent, result.tag


def assert_matches(result, expected, k, tag=TAG, zero_sign=True):
    """result (DualArray, or a Dual for 0-d) equals the object array of
    scalar Duals `expected`: values bitwise, tangents bitwise (zero_sign) or
    exactly up to the sign of zero."""
    value, tangent = parts_of(expected, k)
    if expected.ndim == 0:
        assert type(result) is Dual, type(result)
    else:
        assert type(result) is DualArray, type(result)
    rv, rt, rtag = unpack(result)
    assert rtag == tag
    assert rv.shape == value.shape
    assert rt.shape == value.shape + (k,)
    assert_bits(rv, value, "value")
    (assert_bits if zero_sign else assert_exact)(rt, tangent, "tangent")


def per_direction(tangent, op):
    """op applied to every tangent direction separately, stacked back last."""
    return np.stack([op(tangent[..., j]) for j in range(tangent.shape[-1])], axis=-1)


def assert_same_array(result, value, tangent, tag=TAG):
    assert type(result) is DualArray, type(result)
    assert result.tag == tag
    assert_bits(result.value, value, "value")
    assert_bits(result.tangent, tangent, "tangent")


def assert_dual(result, value, partials_, tag=TAG):
    assert type(result) is Dual, type(result)
    v, p, t = dual_parts(result)
    assert t == tag
    assert_bits(v, value, "value")
    assert_bits(p, partials_, "partials")


# --------------------------------------------------------------------------
# 1. every kernel against the scalar Dual


def array_unary(name):
    f = getattr(np, name, None)
    return f if isinstance(f, np.ufunc) else getattr(dn, name)


def scalar_unary(name):
    return operator.neg if name == "negative" else getattr(dn, name)


def unary_points(name):
    if name in {"arcsin", "asin", "arccos", "acos", "arctanh", "atanh"}:
        return [-0.9, -0.3, 0.0, 0.5, 0.8]
    if name in {"arccosh", "acosh"}:
        return [1.1, 1.5, 3.0, 10.0, 1.0001]
    if name in {"log", "log2", "log10", "sqrt"}:
        return [0.25, 0.7, 1.0, 3.5, 100.0]
    if name == "log1p":
        return [-0.5, 0.0, 0.3, 2.0, 9.0]
    if name in {"gamma", "lgamma"}:
        return [-2.5, -0.5, 0.5, 1.0, 4.7]
    return [-2.5, -0.7, 0.0, 0.3, 1.9]


def unary_input(name, k, layout):
    pts = np.array(unary_points(name))
    if layout == "1d":
        return make(pts, k, seed=3)
    # a 2-D, non-contiguous (transposed) DualArray
    base = make(np.stack([pts, pts[::-1]]), k, seed=4)
    return base.T


def test_unary_names_all_have_a_reference():
    for name in UNARY_NAMES:
        assert callable(array_unary(name)), name
        assert callable(scalar_unary(name)), name
    assert {"sin", "sqrt", "erf", "gamma", "sigmoid", "expit", "negative", "asin",
            "arcsin", "absolute", "relu", "softplus"} <= set(UNARY_NAMES)


@pytest.mark.parametrize("layout", ["1d", "2d_transposed"])
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("name", UNARY_NAMES)
def test_unary_matches_scalar_dual(name, k, layout):
    x = unary_input(name, k, layout)
    before = (x.value.copy(), x.tangent.copy())
    result = array_unary(name)(x)
    expected = elementwise(scalar_unary(name), x)
    assert np.all(np.isfinite(parts_of(expected, k)[0])), "points must be in the domain"
    assert_matches(result, expected, k)
    assert_bits(x.value, before[0], "input value")          # inputs untouched
    assert_bits(x.tangent, before[1], "input tangent")
    assert not np.shares_memory(result.tangent, x.tangent)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("name", [n for n in UNARY_NAMES if hasattr(dn, n)])
def test_dualnum_unary_function_on_dualarray(name, k):
    x = make(unary_points(name), k, seed=5)
    result = getattr(dn, name)(x)
    assert_matches(result, elementwise(getattr(dn, name), x), k)


@pytest.mark.parametrize("name", ["sin", "sqrt", "gamma", "sigmoid"])
def test_unary_of_zero_dim_dualarray_is_a_dual(name):
    x = DualArray(0.7, [0.5, 0.0, -2.0], TAG)
    result = array_unary(name)(x)
    expected = scalar_unary(name)(dual_from(0.7, np.array([0.5, 0.0, -2.0]), TAG))
    assert_matches(result, np.array(expected, dtype=object), 3)


SCALAR_BINARY = {
    "add": operator.add, "subtract": operator.sub, "multiply": operator.mul,
    "divide": operator.truediv, "true_divide": operator.truediv,
    "floor_divide": operator.floordiv, "remainder": operator.mod, "mod": operator.mod,
    "power": operator.pow, "float_power": operator.pow,
    "arctan2": dn.atan2, "hypot": dn.hypot, "copysign": dn.copysign, "fmod": dn.fmod,
    "logaddexp": dn.logaddexp, "maximum": dn.maximum, "minimum": dn.minimum,
    "atan2": dn.atan2, "pow": operator.pow,          # numpy >= 2 spells them so too
    "fmax": dn.fmax, "fmin": dn.fmin, "logaddexp2": dn.logaddexp2, "heaviside": dn.heaviside,
}
POWER_NAMES = {"power", "float_power", "pow"}
S = 1.45        # the float operand; equal to element 2 of both arrays (a tie)


def test_binary_reference_table_covers_every_kernel():
    assert set(BINARY_NAMES) <= set(SCALAR_BINARY)
    assert {name for name in SCALAR_BINARY if hasattr(np, name)} <= set(BINARY_NAMES)
    for name in BINARY_NAMES:
        assert isinstance(getattr(np, name), np.ufunc), name


def binary_values(name):
    a = [0.3, 0.9, S, 2.5, 3.2] if name in POWER_NAMES else [-2.3, -0.6, S, 1.7, 3.2]
    return np.array(a), np.array([1.3, -0.8, S, -1.9, 0.7])


KINDS = ["array_array", "array_ndarray", "ndarray_array", "array_float", "float_array",
         "array_dual", "dual_array", "array_constant", "constant_array"]


def binary_operands(name, kind, k):
    a, b = binary_values(name)
    A, B = make(a, k, seed=1), make(b, k, seed=2)
    D = dual_from(S, partials(k), TAG)
    return {
        "array_array": (A, B),
        "array_ndarray": (A, b.copy()),
        "ndarray_array": (a.copy(), B),
        "array_float": (A, S),
        "float_array": (S, B),
        "array_dual": (A, D),
        "dual_array": (D, B),
        "array_constant": (A, Dual(S)),
        "constant_array": (Dual(S), B),
    }[kind]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("name", BINARY_NAMES)
def test_binary_ufunc_matches_scalar_dual(name, k, kind):
    left, right = binary_operands(name, kind, k)
    result = getattr(np, name)(left, right)
    expected = elementwise(SCALAR_BINARY[name], left, right)
    assert_matches(result, expected, k, zero_sign=False)


def test_binary_tangent_zeros_have_the_scalar_sign():
    """Bitwise, including the sign of zero tangents: e.g. a zero tangent times
    a negative local derivative is -0.0 for the scalar Dual."""
    mismatches = []
    for name in BINARY_NAMES:
        for kind in KINDS:
            left, right = binary_operands(name, kind, 3)
            result = getattr(np, name)(left, right)
            _, tangent = parts_of(elementwise(SCALAR_BINARY[name], left, right), 3)
            if not np.array_equal(bits(result.tangent), bits(tangent)):
                mismatches.append(f"{name}/{kind}")
    assert not mismatches, f"{len(mismatches)} cases differ in the sign of a zero: {mismatches}"


def random_points(name, shape, side, seed):
    rng = np.random.default_rng(seed)
    mag = np.asarray(rng.uniform(0.3, 3.0, size=shape))
    if name in POWER_NAMES and side == "left":
        return mag
    return np.where(np.asarray(rng.random(size=shape)) < 0.5, -mag, mag)


BROADCASTS = [((3,), ()), ((), (3,)), ((3, 1), (1, 4)), ((2, 3), (3,)), ((3,), (2, 3)), ((), ())]


@pytest.mark.parametrize("mode", ["both", "left_dual", "right_dual"])
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
@pytest.mark.parametrize("name", BINARY_NAMES)
def test_binary_broadcasting_matches_scalar_dual(name, shapes, k, mode):
    a = random_points(name, shapes[0], "left", 10)
    b = random_points(name, shapes[1], "right", 11)
    left = make(a, k, seed=12) if mode in ("both", "left_dual") else a
    right = make(b, k, seed=13) if mode in ("both", "right_dual") else b
    result = getattr(np, name)(left, right)
    expected = elementwise(SCALAR_BINARY[name], left, right)
    assert expected.shape == np.broadcast_shapes(*shapes)
    assert_matches(result, expected, k, zero_sign=False)


@pytest.mark.parametrize("name", ["add", "multiply", "divide", "power", "arctan2", "maximum"])
def test_binary_non_contiguous_operands(name):
    a = make(random_points(name, (4, 3), "left", 20), 3, seed=21).T        # (3, 4) transposed
    b = make(random_points(name, (3, 8), "right", 22), 3, seed=23)[:, ::2]  # (3, 4) strided
    before = [arr.copy() for arr in (a.value, a.tangent, b.value, b.tangent)]
    result = getattr(np, name)(a, b)
    assert_matches(result, elementwise(SCALAR_BINARY[name], a, b), 3, zero_sign=False)
    for arr, old in zip((a.value, a.tangent, b.value, b.tangent), before):
        assert_bits(arr, old, "input")


def test_numpy_scalar_and_int_operands():
    x = make([0.5, -1.25, 2.0], 3, seed=30)
    for left, right, fn in [(x, np.float64(2.5), operator.add), (np.float64(2.5), x, operator.mul),
                            (x, 2, operator.pow), (3, x, operator.sub),
                            (x, [1.0, 2.0, 4.0], operator.truediv)]:
        expected = elementwise(fn, *[np.asarray(o, dtype=float) if isinstance(o, list) else
                                     float(o) if isinstance(o, (np.generic, int)) else o
                                     for o in (left, right)])
        assert_matches(fn(left, right), expected, 3, zero_sign=False)


OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "//": operator.floordiv, "%": operator.mod, "**": operator.pow}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("op", list(OPERATORS))
def test_python_operators_match_scalar_dual(op, k, kind):
    left, right = binary_operands("power" if op == "**" else "add", kind, k)
    fn = OPERATORS[op]
    result = fn(left, right)
    assert_matches(result, elementwise(fn, left, right), k, zero_sign=False)


@pytest.mark.parametrize("k", [1, 3])
def test_unary_operators_match_scalar_dual(k):
    x = make([-2.5, -0.0, 0.0, 1.5], k, seed=31)
    assert_matches(-x, elementwise(operator.neg, x), k)
    assert_matches(abs(x), elementwise(abs, x), k)
    p = +x
    assert type(p) is DualArray and p is not x and p.tag == TAG
    assert_bits(p.value, x.value, "value")
    assert_bits(p.tangent, x.tangent, "tangent")
    assert not np.shares_memory(p.value, x.value)
    assert not np.shares_memory(p.tangent, x.tangent)


def test_square_and_reciprocal():
    x = make([-2.5, 0.5, 1.5], 3, seed=32)
    assert_matches(np.square(x), elementwise(lambda d: d * d, x), 3, zero_sign=False)
    assert_matches(np.reciprocal(x), elementwise(lambda d: 1.0 / d, x), 3, zero_sign=False)


def test_incompatible_shapes_raise():
    with pytest.raises(ValueError):
        make([1.0, 2.0, 3.0], 1) + make([1.0, 2.0], 1)


# --------------------------------------------------------------------------
# 2. strong zeros


def test_sqrt_at_zero_keeps_a_zero_direction_exactly_zero():
    x = DualArray([0.0, -0.0, 4.0], [[0.0, 1.0, -2.0], [0.0, 1.0, 0.0], [0.0, 1.0, 2.0]])
    r = np.sqrt(x)
    assert_bits(r.value, [0.0, -0.0, 2.0], "value")
    assert_bits(r.tangent, [[0.0, math.inf, -math.inf], [0.0, math.inf, 0.0], [0.0, 0.25, 0.5]],
                "tangent")


def test_strong_zero_on_the_one_direction_path():
    r = np.sqrt(DualArray([0.0, 0.0, 9.0], [[0.0], [3.0], [0.0]]))
    assert_bits(r.tangent, [[0.0], [math.inf], [0.0]], "tangent")
    r = np.cbrt(DualArray([0.0], [[0.0]]))
    assert_bits(r.tangent, [[0.0]], "tangent")


def test_strong_zeros_in_binary_kernels():
    x = DualArray([0.0, 0.0], [[0.0, 1.0], [0.0, 0.0]])
    r = np.power(x, 0.5)                      # d/dx x**0.5 = inf at 0
    assert np.all(r.tangent[:, 0] == 0.0) and r.tangent[0, 1] == math.inf
    assert r.tangent[1, 1] == 0.0
    y = DualArray([0.0, 0.0], [[1.0, 0.0], [0.0, 0.0]])
    for f in (np.hypot, np.arctan2):          # nan partials at the origin
        r = f(x, y)
        assert r.tangent[1, 0] == 0.0 and r.tangent[1, 1] == 0.0
        assert math.isnan(r.tangent[0, 0]) and math.isnan(r.tangent[0, 1])


# --------------------------------------------------------------------------
# 3. tags and directions


def test_results_keep_the_tag():
    x = make([0.5, 1.5], 2, tag=42)
    for r in (np.sin(x), x + 1.0, 2.0 * x, x * x, dn.erf(x), x.reshape(2, 1), x.T, x[0:1],
              -x, abs(x), np.maximum(x, 1.0)):
        assert r.tag == 42
    assert dual_parts(x[0])[2] == 42
    assert dual_parts(x.sum())[2] == 42
    assert DualArray([1.0], [[1.0]]).tag == 0


def _structure(x):
    """A nested dual number as nested tuples (tag, value, partials), for comparison."""
    from dualnum._nested import level as _level
    tag, value, partials = _level(x)
    if tag == 0:
        return float(value) if not hasattr(value, "partials") else ("hand-made", value.partials)
    return (tag, _structure(value), tuple(_structure(p) for p in partials))


def test_different_tags_nest_elementwise():
    # operands of two differentiation calls: each element pair nests
    # (dualnum/_nested.pyx), exactly as the scalar elements do
    a = make([1.0, 2.0, 3.0], 2, seed=1, tag=5)
    b = make([1.5, 2.5, 3.5], 2, seed=2, tag=6)
    d = dual_from(1.0, np.array([1.0, 0.0]), 6)
    for expr in (lambda a, b, d: a + b, lambda a, b, d: b * a,
                 lambda a, b, d: np.arctan2(a, b), lambda a, b, d: a + d,
                 lambda a, b, d: d - a, lambda a, b, d: np.maximum(a, d),
                 lambda a, b, d: np.power(d, a), lambda a, b, d: a ** d):
        result = expr(a, b, d)
        assert isinstance(result, np.ndarray) and result.dtype == object
        for i in range(3):
            assert _structure(result[i]) == _structure(expr(a[i], b[i], d))


def test_different_number_of_directions_raises():
    a = make([1.0, 2.0, 3.0], 2, seed=1)
    for other in (make([1.0, 2.0, 3.0], 3, seed=2), dual_from(1.0, np.ones(3), TAG),
                  make([1.0, 2.0, 3.0], 1, seed=2)):
        with pytest.raises(ValueError, match="direction"):
            a + other
        with pytest.raises(ValueError):
            np.hypot(other, a)


def test_constant_dual_combines_with_any_tag():
    a = make([1.0, -2.0, 3.0], 3, seed=1, tag=5)
    for const in (Dual(2.0), dual_from(2.0, np.empty(0), 99)):
        r = a + const
        assert r.tag == 5
        assert_bits(r.value, a.value + 2.0, "value")
        assert_bits(r.tangent, a.tangent, "tangent")
        r = const * a
        assert r.tag == 5
        assert_exact(r.tangent, 2.0 * a.tangent, "tangent")
        assert np.hypot(a, const).tag == 5
        b = make([1.0, 2.0], 3, tag=5)
        b[0] = const
        assert b.value[0] == 2.0 and np.all(b.tangent[0] == 0.0)


# --------------------------------------------------------------------------
# 4. indexing, assignment, iteration


X = dyadic((3, 4), 3, seed=40)
KEYS = {
    "int_int": (1, 2),
    "negative": (-1, -2),
    "numpy_ints": (np.int64(2), np.intp(1)),
    "row": 1,
    "negative_row": -3,
    "slice": slice(1, None),
    "slice_cols": (slice(None), slice(None, None, 2)),
    "reversed": (slice(None, None, -1), slice(1, 3)),
    "ellipsis_0": (Ellipsis, 0),
    "0_ellipsis": (0, Ellipsis),
    "ellipsis": Ellipsis,
    "mask_2d": X.value > 0,
    "mask_rows": np.array([True, False, True]),
    "int_list": [0, 2],
    "int_array_2d": np.array([[0, 1], [2, 0]]),
    "int_pairs": ([0, 2], [1, 3]),
    "newaxis": np.newaxis,
    "newaxis_mid": (slice(None), np.newaxis),
    "newaxis_last": (Ellipsis, np.newaxis),
    "empty_slice": slice(2, 2),
}


@pytest.mark.parametrize("key", list(KEYS.values()), ids=list(KEYS))
def test_getitem(key):
    value = X.value[key]
    tangent = per_direction(X.tangent, lambda t: t[key])
    result = X[key]
    if np.ndim(value) == 0:
        assert_dual(result, value, tangent)
    else:
        assert_same_array(result, value, tangent)
        assert result.tangent.shape == result.value.shape + (3,)


def test_getitem_on_one_dimensional():
    y = dyadic((5,), 2, seed=41)
    for i in range(-5, 5):
        assert_dual(y[i], y.value[i], y.tangent[i])
    assert_dual(y[..., 0], y.value[0], y.tangent[0])
    assert_dual(X[0][1], X.value[0, 1], X.tangent[0, 1])
    z = DualArray(1.5, [2.0, 0.0], TAG)
    assert_dual(z[()], 1.5, [2.0, 0.0])
    with pytest.raises(IndexError):
        y[5]
    with pytest.raises(IndexError):
        X[3, 0]


def test_setitem_from_duals_arrays_and_floats():
    y = dyadic((5,), 3, seed=42)
    v0, t0 = y.value.copy(), y.tangent.copy()
    y[1] = dual_from(9.5, np.array([1.0, 2.0, 3.0]), TAG)
    y[2:4] = DualArray([4.0, 5.0], [[1.0, 0.0, 1.0], [2.0, 0.0, 2.0]], TAG)
    y[-1] = 7.0
    v0[1], t0[1] = 9.5, [1.0, 2.0, 3.0]
    v0[2:4], t0[2:4] = [4.0, 5.0], [[1.0, 0.0, 1.0], [2.0, 0.0, 2.0]]
    v0[-1], t0[-1] = 7.0, 0.0
    assert_same_array(y, v0, t0)
    y[0] = Dual(3.0)                         # a constant: tangent 0
    y[y.value > 4.5] = 0.5                   # a mask, a float
    v0[0], t0[0] = 3.0, 0.0
    t0[v0 > 4.5] = 0.0
    v0[v0 > 4.5] = 0.5
    assert_same_array(y, v0, t0)
    y[0:2] = np.array([1.0, 2.0])            # a plain array: tangent 0
    v0[0:2], t0[0:2] = [1.0, 2.0], 0.0
    assert_same_array(y, v0, t0)


def test_setitem_broadcasts_on_two_dimensional():
    x = dyadic((3, 4), 2, seed=43)
    v0, t0 = x.value.copy(), x.tangent.copy()
    row = dyadic((4,), 2, seed=44)
    x[1] = row
    x[:, 0] = dual_from(-1.0, np.array([5.0, 6.0]), TAG)
    x[..., 3] = 2.0
    v0[1], t0[1] = row.value, row.tangent
    v0[:, 0], t0[:, 0] = -1.0, [5.0, 6.0]
    v0[..., 3], t0[..., 3, :] = 2.0, 0.0
    assert_same_array(x, v0, t0)


def test_setitem_checks_tag_and_directions_and_leaves_array_unchanged():
    y = dyadic((3,), 2, seed=45)
    v0, t0 = y.value.copy(), y.tangent.copy()
    with pytest.raises(ValueError, match="nested"):
        y[0] = dual_from(1.0, np.array([1.0, 1.0]), TAG + 1)
    with pytest.raises(ValueError, match="nested"):
        y[0:2] = dyadic((2,), 2, seed=46, tag=TAG + 1)
    with pytest.raises(ValueError):
        y[0] = dual_from(1.0, np.array([1.0, 1.0, 1.0]), TAG)
    with pytest.raises(ValueError):
        y[:] = dyadic((3,), 1, seed=46)
    assert_same_array(y, v0, t0)


def test_iteration_and_len():
    y = dyadic((4,), 3, seed=47)
    items = list(y)
    assert len(y) == 4 and len(items) == 4
    for i, d in enumerate(items):
        assert_dual(d, y.value[i], y.tangent[i])
    x = dyadic((3, 2), 3, seed=48)
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3
    for i, r in enumerate(rows):
        assert_same_array(r, x.value[i], x.tangent[i])
    z = DualArray(1.0, [1.0])
    with pytest.raises(TypeError):
        len(z)
    with pytest.raises(TypeError):
        iter(z).__next__()


# --------------------------------------------------------------------------
# 5. shapes


def test_constructor_and_attributes():
    v, t = np.array([[1, 2, 3], [4, 5, 6]]), np.arange(12).reshape(2, 3, 2)
    x = DualArray(v, t, tag=3)
    assert x.value.dtype == np.float64 and x.tangent.dtype == np.float64
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.directions == 2
    assert x.dtype == np.float64 and x.tag == 3
    assert np.shape(x) == (2, 3) and np.ndim(x) == 2 and np.size(x) == 6
    assert np.size(x, 1) == 3 and np.size(x, 0) == 2
    v2 = np.array([1.0, 2.0])
    t2 = np.array([[1.0], [2.0]])
    y = DualArray(v2, t2)
    v2[0] = t2[0, 0] = 99.0                  # the constructor copies
    assert y.value[0] == 1.0 and y.tangent[0, 0] == 1.0


RESHAPES = [((3, 2), lambda a: a.reshape((3, 2))), ((3, 2), lambda a: a.reshape(3, 2)),
            ((6,), lambda a: a.reshape(-1)), ((6,), lambda a: a.reshape([6])),
            ((1, 6), lambda a: a.reshape(1, -1)), ((3, 2), lambda a: np.reshape(a, (3, 2))),
            ((2, 1, 3), lambda a: np.reshape(a, (2, 1, 3))), ((6,), lambda a: np.reshape(a, -1))]


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("case", range(len(RESHAPES)))
def test_reshape(case, transposed):
    shape, f = RESHAPES[case]
    x = dyadic((3, 2) if transposed else (2, 3), 2, seed=50)
    if transposed:
        x = x.T
    result = f(x)
    assert_same_array(result, x.value.reshape(shape),
                      per_direction(x.tangent, lambda t: t.reshape(shape)))
    assert result.tangent.shape == shape + (2,)


def test_reshape_to_incompatible_size_raises():
    with pytest.raises(ValueError):
        dyadic((2, 3), 2, seed=51).reshape(4, 2)


def test_np_reshape_honours_order_or_refuses_it():
    x = dyadic((2, 3), 2, seed=52)
    try:
        result = np.reshape(x, (3, 2), order="F")
    except TypeError:
        return                               # refusing is fine; silently using "C" is not
    assert_same_array(result, np.reshape(x.value, (3, 2), order="F"),
                      per_direction(x.tangent, lambda t: np.reshape(t, (3, 2), order="F")))


TRANSPOSES = [(None, lambda a: a.T), (None, lambda a: a.transpose()),
              ((2, 0, 1), lambda a: a.transpose(2, 0, 1)), ((1, 2, 0), lambda a: a.transpose((1, 2, 0))),
              ((1, 0, 2), lambda a: a.transpose([1, 0, 2])), (None, lambda a: np.transpose(a)),
              ((2, 0, 1), lambda a: np.transpose(a, (2, 0, 1))),
              ((1, 0, 2), lambda a: np.transpose(a, axes=(1, 0, 2)))]


@pytest.mark.parametrize("case", range(len(TRANSPOSES)))
def test_transpose_keeps_tangent_axis_last(case):
    axes, f = TRANSPOSES[case]
    x = dyadic((2, 3, 4), 2, seed=53)
    result = f(x)
    assert_same_array(result, x.value.transpose(axes),
                      per_direction(x.tangent, lambda t: t.transpose(axes)))
    assert result.tangent.shape == result.shape + (2,)


def test_transpose_with_negative_axes():
    x = dyadic((2, 3, 4), 2, seed=54)
    for axes, f in [((-1, 0, 1), lambda a: a.transpose(-1, 0, 1)),
                    ((-1, -3, -2), lambda a: np.transpose(a, (-1, -3, -2)))]:
        result = f(x)
        assert_same_array(result, x.value.transpose(axes),
                          per_direction(x.tangent, lambda t: t.transpose(axes)))


def test_transpose_of_two_dimensional():
    x = dyadic((2, 3), 3, seed=55)
    assert_same_array(x.T, x.value.T, x.tangent.transpose(1, 0, 2))
    assert_same_array(x.T.T, x.value, x.tangent)


# --------------------------------------------------------------------------
# 6. reductions


AXES = [None, 0, 1, -1, -3, (0, 2), (-1, 0), (0, 1, 2), ()]


def reduction_calls(kind):
    if kind == "sum":
        return [lambda x, **kw: x.sum(**kw), lambda x, **kw: np.sum(x, **kw)]
    return [lambda x, **kw: x.mean(**kw), lambda x, **kw: np.mean(x, **kw)]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("kind", ["sum", "mean"])
def test_reductions(kind, axis, keepdims):
    x = dyadic((2, 3, 4), 3, seed=60)
    ref = np.sum if kind == "sum" else np.mean
    value = ref(x.value, axis=axis, keepdims=keepdims)
    tangent = per_direction(x.tangent, lambda t: ref(t, axis=axis, keepdims=keepdims))
    for call in reduction_calls(kind):
        result = call(x, axis=axis, keepdims=keepdims)
        if np.ndim(value) == 0:
            assert_dual(result, value, tangent)
        else:
            assert_same_array(result, value, tangent)


def test_full_sum_is_the_sum_of_the_scalar_duals():
    x = dyadic((3, 4), 3, seed=61)
    expected = functools.reduce(operator.add, elements(x, x.shape).reshape(-1))
    for result in (x.sum(), np.sum(x), np.add.reduce(x, axis=None)):
        assert_dual(result, *dual_parts(expected)[:2])
    mean = x.mean()
    assert_dual(mean, expected.value / 12, np.array(expected.partials) / 12)


def test_reduction_positional_axis():
    x = dyadic((2, 3), 2, seed=62)
    assert_same_array(x.sum(1), x.value.sum(1), per_direction(x.tangent, lambda t: t.sum(1)))
    assert_same_array(np.sum(x, 0), x.value.sum(0), per_direction(x.tangent, lambda t: t.sum(0)))
    assert_same_array(np.mean(x, -1, keepdims=True), x.value.mean(-1, keepdims=True),
                      per_direction(x.tangent, lambda t: t.mean(-1, keepdims=True)))


@pytest.mark.parametrize("kwargs", [{}, {"axis": 1}, {"axis": -1}, {"axis": None},
                                    {"axis": (0, 1)}, {"axis": 0, "keepdims": True},
                                    {"axis": None, "keepdims": True}], ids=str)
def test_add_reduce_works_like_sum(kwargs):
    x = dyadic((2, 3), 2, seed=63)
    kw = {"axis": 0, **kwargs}               # np.add.reduce reduces axis 0 by default
    value = np.add.reduce(x.value, **kw)
    tangent = per_direction(x.tangent, lambda t: np.add.reduce(t, **kw))
    result = np.add.reduce(x, **kwargs)
    if np.ndim(value) == 0:
        assert_dual(result, value, tangent)
    else:
        assert_same_array(result, value, tangent)


def test_add_reduce_accepts_default_valued_arguments():
    x = dyadic((2, 3), 2, seed=64)
    result = np.add.reduce(x, axis=1, dtype=None, keepdims=True)
    assert_same_array(result, x.value.sum(1, keepdims=True),
                      per_direction(x.tangent, lambda t: t.sum(1, keepdims=True)))


@pytest.mark.parametrize("call", [
    lambda x: x.sum(axis=3), lambda x: x.mean(axis=-4), lambda x: np.sum(x, axis=(0, 3)),
    lambda x: np.mean(x, axis=5), lambda x: np.add.reduce(x, axis=3),
    lambda x: np.sum(x, axis=-4, keepdims=True)])
def test_out_of_range_axis_raises_axis_error(call):
    with pytest.raises(AxisError):
        call(dyadic((2, 3, 4), 2, seed=65))


def test_unsupported_reduction_arguments_raise():
    x = dyadic((2, 3), 2, seed=66)
    for call in (lambda: np.sum(x, dtype=np.float32), lambda: np.mean(x, out=np.empty(3)),
                 lambda: np.multiply.reduce(x, dtype=np.float32),
                 lambda: np.add.accumulate(x, dtype=np.int64), lambda: np.add.outer(x, x, where=False),
                 lambda: np.add.reduce(x, axis=0, out=np.empty(3))):
        with pytest.raises(TypeError):
            call()


# --------------------------------------------------------------------------
# 7. comparisons


def test_comparisons_give_plain_boolean_arrays_of_the_values():
    x = DualArray([1.0, 2.0, math.nan, math.inf, -0.5], np.ones((5, 2)), TAG)
    y = DualArray([1.0, 3.0, 0.0, math.inf, -1.0], np.zeros((5, 2)), TAG)
    d = dual_from(1.5, np.array([1.0, 1.0]), TAG)
    other_tag = DualArray([1.0] * 5, np.ones((5, 2)), TAG + 1)
    cases = [
        (x < 1.5, x.value < 1.5), (x <= y, x.value <= y.value), (x == y, x.value == y.value),
        (x != y, x.value != y.value), (x > d, x.value > 1.5), (d < x, 1.5 < x.value),
        (x >= np.array([0.0, 2.0, 1.0, 5.0, 0.0]), x.value >= np.array([0.0, 2.0, 1.0, 5.0, 0.0])),
        (np.less(x, y), x.value < y.value), (x == other_tag, x.value == 1.0),
        (np.isnan(x), np.isnan(x.value)), (np.isfinite(x), np.isfinite(x.value)),
        (np.isinf(x), np.isinf(x.value)), (np.signbit(x), np.signbit(x.value)),
    ]
    for got, want in cases:
        assert type(got) is np.ndarray, type(got)
        assert got.dtype == np.bool_
        assert np.array_equal(got, want)


# --------------------------------------------------------------------------
# 8. errors


def test_no_conversion_to_ndarray():
    x = make([1.0, 2.0], 1)
    for convert in (np.asarray, np.array, lambda a: np.asarray(a, dtype=float)):
        with pytest.raises(TypeError):
            convert(x)


@pytest.mark.parametrize("func, name", [
    (lambda x: np.unwrap(x), "unwrap"), (lambda x: np.pad(x, 1, mode="median"), "pad"),
    (lambda x: np.intersect1d(x, x), "intersect1d"), (lambda x: np.polyfit(x, x, 1), "polyfit"),
    # real eigenvalues are covered since issue 15; complex ones wait for complex duals
    (lambda x: np.linalg.eigvals(np.stack([x, x[::-1] * [-1.0, 1.0]])), "eigvals")])
def test_unsupported_numpy_function_raises_naming_it(func, name):
    with pytest.raises(TypeError, match=name):
        func(make([1.0, 2.0], 1))


@pytest.mark.parametrize("func, name", [
    (lambda x: np.bitwise_and(x, x), "bitwise_and"), (lambda x: np.gcd(x, x), "gcd"),
    (lambda x: np.gcd(x, 2), "gcd"), (lambda x: np.nextafter(x, x), "nextafter"),
    (lambda x: np.nextafter(x, 0.5), "nextafter"), (lambda x: np.frexp(x, out=(x, x)), "frexp")])
def test_unsupported_ufunc_raises_naming_it(func, name):
    with pytest.raises(TypeError, match=name):
        func(make([1.0, 2.0], 1))


@pytest.mark.parametrize("call", [
    lambda x: np.sin(x, out=np.empty(2)), lambda x: np.add(x, x, out=np.empty(2)),
    lambda x: np.multiply(x, 2.0, out=(np.empty(2),)), lambda x: np.sqrt(x, where=True)])
def test_ufunc_with_out_raises(call):
    with pytest.raises(TypeError):
        call(make([1.0, 2.0], 1))


@pytest.mark.parametrize("value, tangent", [
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]), ([1.0, 2.0, 3.0], np.zeros((2, 1))),
    ([[1.0, 2.0]], np.zeros((2, 1))), (1.0, 1.0), ([1.0, 2.0], np.zeros((2, 1, 1)))])
def test_constructor_rejects_wrong_tangent_shape(value, tangent):
    with pytest.raises(ValueError):
        DualArray(value, tangent)


def test_combining_with_object_array_raises():
    x = make([1.0, 2.0, 3.0], 1)
    objects = np.empty(3, dtype=object)
    objects[:] = [Dual(1.0, 1.0), Dual(2.0, 1.0), 3.0]
    for call in (lambda: x + objects, lambda: objects * x, lambda: np.arctan2(x, objects),
                 lambda: np.hypot(objects, x)):
        with pytest.raises(TypeError):
            call()


# --------------------------------------------------------------------------
# 9. warnings


@pytest.mark.warns_at_operation
def test_sqrt_of_negative_warns_and_gives_nan():
    x = DualArray([4.0, -1.0], [[1.0], [1.0]], TAG)
    with pytest.warns(RuntimeWarning, match="invalid value encountered in sqrt"):
        r = np.sqrt(x)
    assert r.value[0] == 2.0 and math.isnan(r.value[1])
    assert r.tangent[0, 0] == 0.25 and math.isnan(r.tangent[1, 0])


def test_errstate_ignore_silences_and_raise_raises():
    x = DualArray([4.0, -1.0], [[1.0], [1.0]], TAG)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(invalid="ignore"):
            r = np.sqrt(x)
            g = dn.gamma(DualArray([-1.0], [[1.0]]))
    assert math.isnan(r.value[1]) and math.isnan(g.value[0])
    with np.errstate(invalid="raise"):
        with pytest.raises(FloatingPointError):
            np.sqrt(x)
        with pytest.raises(FloatingPointError):
            dn.gamma(DualArray([-1.0, 2.0], [[1.0], [1.0]]))


def test_no_warning_for_nan_input():
    x = DualArray([math.nan, 4.0], [[1.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = np.sqrt(x)
        g = dn.gamma(x)
    assert math.isnan(r.value[0]) and r.value[1] == 2.0 and math.isnan(g.value[0])


@pytest.mark.warns_at_operation
def test_log_at_zero_warns_divide_by_zero():
    x = DualArray([0.0, 1.0], [[1.0], [2.0]])
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        r = np.log(x)
    assert r.value[0] == -math.inf and r.value[1] == 0.0
    assert r.tangent[0, 0] == math.inf and r.tangent[1, 0] == 2.0


def test_division_by_zero_warns():
    x = DualArray([1.0, 2.0], [[1.0], [2.0]])
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        r = np.divide(x, np.array([0.0, 4.0]))
    assert r.value[0] == math.inf and r.value[1] == 0.5


@pytest.mark.warns_at_operation
def test_gamma_at_pole_warns():
    x = DualArray([-1.0, 2.0], [[1.0], [1.0]])
    with pytest.warns(RuntimeWarning, match="gamma"):
        r = dn.gamma(x)
    assert math.isnan(r.value[0]) and r.value[1] == 1.0


# --------------------------------------------------------------------------
# 10. dualnum functions on DualArrays


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("f", [
    dn.sin, dn.exp, dn.erf, dn.gamma, dn.sigmoid, lambda x: dn.log(x, 2.0),
    lambda x: dn.maximum(x, 0.5), lambda x: dn.maximum(0.5, x), lambda x: dn.atan2(x, 0.5),
    lambda x: dn.pow(x, 2.5), lambda x: dn.hypot(2.0, x), lambda x: dn.log(x, 10)],
    ids=["sin", "exp", "erf", "gamma", "sigmoid", "log2arg", "maximum", "maximum_r", "atan2",
         "pow", "hypot", "log10arg"])
def test_dualnum_functions_on_dualarray(f, k):
    x = make([0.25, 0.5, 1.5, 3.0], k, seed=70)
    result = f(x)
    assert_matches(result, elementwise(f, x), k, zero_sign=False)


def test_dualnum_binary_functions_with_dualarray_and_dual():
    x = make([0.25, 0.5, 1.5, 3.0], 3, seed=71)
    d = dual_from(0.5, partials(3), TAG)
    failures = []
    for f in (dn.maximum, dn.minimum, dn.atan2, dn.hypot, dn.pow, dn.copysign, dn.fmod,
              dn.logaddexp):
        for a, b in ((x, d), (d, x)):
            try:
                result = f(a, b)
            except TypeError as e:
                failures.append(f"{f.__name__}({type(a).__name__}, {type(b).__name__}): {e}")
                continue
            assert_matches(result, elementwise(f, a, b), 3, zero_sign=False)
    assert not failures, failures


# ------------------------------------------------- complex operands (issue 12, item 2)

def _complex_operands():
    return [np.complex128(1 + 2j), np.complex64(1 + 2j), 1 + 2j, complex(3.0, 0.0),
            np.array([1j, 1.0, 2.0]), [1j, 1.0, 2.0], np.array(2j)]


def _dense3():
    return DualArray([0.5, 1.5, 2.5], np.arange(6.0).reshape(3, 2), TAG)


def _sparse3():
    from dualnum._array import seed_sparse
    return seed_sparse(np.array([0.5, 1.5, 2.5]), TAG)


# (until issue 17 these raised TypeError: complex numbers had no dual type;
# now the operators and the holomorphic ufuncs make a complex dual array of
# the real path, checked against the complex arithmetic of value and tangent)
@pytest.mark.parametrize("make", [_dense3, _sparse3], ids=["dense", "sparse"])
@pytest.mark.parametrize("c", _complex_operands(), ids=lambda c: type(c).__name__)
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.pow, np.add, np.multiply],
                         ids=lambda f: getattr(f, "__name__", str(f)))
def test_complex_operand_makes_a_complex_dual_array(make, c, op):
    x = make()
    value, tangent = x.value, np.asarray(x.tangent)
    h = 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # never the real part with a ComplexWarning
        for result, plain in [(op(x, c), lambda t: op(t, np.asarray(c))),
                              (op(c, x), lambda t: op(np.asarray(c), t))]:
            assert result.dtype == np.complex128
            np.testing.assert_allclose(result.value, plain(value), rtol=1e-15)
            # the tangent along each direction: complex-step free central differences
            for j in range(tangent.shape[-1]):
                want = (plain(value + h * tangent[..., j]) - plain(value - h * tangent[..., j])) / (2 * h)
                np.testing.assert_allclose(result.tangent[..., j], want, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("make", [_dense3, _sparse3], ids=["dense", "sparse"])
@pytest.mark.parametrize("c", _complex_operands(), ids=lambda c: type(c).__name__)
@pytest.mark.parametrize("op", [np.arctan2, np.maximum], ids=lambda f: f.__name__)
def test_complex_operand_of_a_non_holomorphic_ufunc_raises(make, c, op):
    x = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="complex"):
            op(x, c)
        with pytest.raises(TypeError, match="complex"):
            op(c, x)


@pytest.mark.parametrize("f", [
    lambda x, c: x @ c, lambda x, c: c @ x, lambda x, c: np.dot(x, c), lambda x, c: np.where(x > 1, x, c[0]),
    lambda x, c: np.concatenate((x, c)), lambda x, c: np.stack((x, c)), lambda x, c: np.append(x, c),
    lambda x, c: np.clip(x, 0.0, c[0]), lambda x, c: np.trapezoid(x, c), lambda x, c: np.outer(x, c),
], ids=["matmul", "rmatmul", "dot", "where", "concatenate", "stack", "append", "clip", "trapezoid",
        "outer"])
def test_complex_operand_of_numpy_functions_raises(f):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="complex"):
            f(_dense3(), np.array([1j, 1.0, 2.0]))


@pytest.mark.parametrize("c", [np.complex128(1 + 2j), 1 + 2j, np.array([1j, 1.0, 1.0])],
                         ids=["complex128", "complex", "array"])
def test_complex_operand_in_api(c):
    # gradient runs on DualArray: a complex gradient since issue 17 (it raised
    # TypeError before); hessian's second-order array still refuses
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad = dn.gradient(lambda v: (v * c).sum(), np.ones(3))
        np.testing.assert_array_equal(grad, np.broadcast_to(c, (3,)))
        with pytest.raises(TypeError, match="complex"):
            dn.hessian(lambda v: (v * c).sum(), np.ones(3))


# ------------------------------- a DualArray with its own scalar duals (issue 12, item 12)

X0 = np.array([0.5, -1.25, 2.0, 0.75])


def _residual_list(x):
    return np.concatenate(([x[0] - 1.0], 10 * (x[1:] - x[:-1] ** 2)))


def _residual_atleast(x):
    return np.concatenate((np.atleast_1d(x[0] - 1.0), 10 * (x[1:] - x[:-1] ** 2)))


def _residual_jacobian(x):
    # hand-derived: r_0 = x_0 - 1, r_i = 10 (x_i - x_{i-1}^2)
    n = len(x)
    J = np.zeros((n, n))
    J[0, 0] = 1.0
    for i in range(1, n):
        J[i, i] = 10.0
        J[i, i - 1] = -20.0 * x[i - 1]
    return J


@pytest.mark.parametrize("api", ["jacobian", "jacobian_dense"])
@pytest.mark.parametrize("f", [_residual_list, _residual_atleast], ids=["list", "atleast_1d"])
def test_concatenate_with_scalar_duals(f, api):
    if api == "jacobian":
        J = dn.jacobian(f, X0)                   # sparse seeding
    else:
        y = f(DualArray(X0, np.eye(len(X0)), TAG))   # dense tangent
        np.testing.assert_array_equal(y.value, f(X0))
        J = y.tangent
    np.testing.assert_allclose(J, _residual_jacobian(X0), rtol=1e-15, atol=0)


def _object_idioms():
    # f(x) and its Jacobian, derived by hand
    def elements(x):
        return np.array([x[i] for i in range(len(x))])
    return [
        ("x + array(duals)", lambda x: x + elements(x), lambda x: 2 * np.eye(len(x))),
        ("array(duals) * x", lambda x: elements(x) * x, lambda x: np.diag(2 * x)),
        ("array(mixed) - x", lambda x: np.array([x[0] * x[1], 1.0, x[2], 2]) - x,
         lambda x: np.array([[x[1] - 1, x[0], 0, 0], [0, -1, 0, 0], [0, 0, 0, 0], [0, 0, 0, -1]])),
        ("x @ array(duals)", lambda x: x * (x @ elements(x)),
         lambda x: (x @ x) * np.eye(len(x)) + 2 * np.outer(x, x)),
        ("append(x, x[0])", lambda x: np.append(x, x[0]),
         lambda x: np.vstack([np.eye(len(x)), np.eye(len(x))[:1]])),
        ("append(x, [x[1], 3])", lambda x: np.append(x, [x[1], 3.0]),
         lambda x: np.vstack([np.eye(len(x)), np.eye(len(x))[1:2], np.zeros((1, len(x)))])),
        ("append(x[0], x)", lambda x: np.append(x[:1], x),
         lambda x: np.vstack([np.eye(len(x))[:1], np.eye(len(x))])),
    ]


IDIOMS = _object_idioms() + [("concatenate([x[0] - 1], ...)", _residual_list, _residual_jacobian),
                             ("concatenate(atleast_1d(x[0] - 1), ...)", _residual_atleast,
                              _residual_jacobian)]


@pytest.mark.parametrize("name,f,jac", IDIOMS, ids=[i[0] for i in IDIOMS])
def test_object_array_of_own_duals(name, f, jac):
    # each result is the DualArray the same code on floats implies
    y = f(DualArray(X0, np.eye(len(X0)), TAG))
    assert isinstance(y, DualArray)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # numpy on the float version
        np.testing.assert_array_equal(y.value, f(X0))
    np.testing.assert_array_equal(y.tangent, jac(X0))
    np.testing.assert_array_equal(dn.jacobian(f, X0), jac(X0))


def test_object_array_of_duals_of_another_call_nests_as_that_calls_array():
    # numbers of another call in an ndarray pair with this array's elementwise, each
    # pair nesting, exactly as the other call's DualArray itself does (it raised, which
    # stopped an inner call's np.array([...]) meeting an outer array closed over)
    x = DualArray(X0, np.eye(4), TAG)
    other = DualArray(X0, np.eye(4), TAG + 1)
    mixed = x + np.array([other[0], other[1], other[2], other[3]])
    paired = x + other
    assert len(mixed) == len(paired) == 4
    for got, want in zip(mixed, paired):
        assert type(got) is type(want) and repr(got) == repr(want)
    with pytest.raises(TypeError):
        x + np.array(["a", x[0], 1.0, 2.0], dtype=object)


def test_r_names_the_replacement():
    x = DualArray(X0, np.eye(4), TAG)
    with pytest.raises(TypeError, match="np.concatenate"):
        np.r_[x[0], x[1:]]


@pytest.mark.parametrize("name,f,J", IDIOMS, ids=[i[0] for i in IDIOMS])
def test_same_idioms_in_hessian(name, f, J):
    # the Hessian of sum(f(x)**2) = 2 (J^T J + sum_i f_i H_i), with H_i by
    # central differences of the hand-derived J (exact: J is at most quadratic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = f(X0)
    n, h = len(X0), 0.5
    second = np.zeros((len(r), n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        second[:, :, j] = (J(X0 + e) - J(X0 - e)) / (2 * h)
    expected = 2 * (J(X0).T @ J(X0) + np.einsum("i,ijk->jk", r, second))
    H = dn.hessian(lambda x: (f(x) ** 2).sum(), X0)
    np.testing.assert_allclose(H, expected, rtol=1e-13, atol=1e-13)


# ----------------------------------------- out=, tolist, item (issue 12, item 16)

@pytest.mark.parametrize("ufunc,inputs", [(np.add, (np.ones(3), np.arange(3.0))),
                                          (np.sin, (np.arange(3.0),)),
                                          (np.multiply, (2.0, np.arange(3.0)))],
                         ids=["add", "sin", "multiply"])
def test_out_dual_array_with_plain_inputs(ufunc, inputs):
    # as numpy: out receives the result, which is a constant (derivative 0)
    x = DualArray(np.full(3, 7.0), np.ones((3, 2)), TAG)
    r = ufunc(*inputs, out=x)
    assert r is x
    np.testing.assert_array_equal(x.value, ufunc(*inputs))
    np.testing.assert_array_equal(x.tangent, np.zeros((3, 2)))


def test_out_dual_array_with_dual_inputs():
    x = DualArray([1.0, 2.0], [[1.0], [2.0]], TAG)
    y = DualArray([0.0, 0.0], [[0.0], [0.0]], TAG)
    np.multiply(x, x, out=y)
    np.testing.assert_array_equal(y.value, [1.0, 4.0])
    np.testing.assert_array_equal(y.tangent, [[2.0], [8.0]])       # 2 x x'


@pytest.mark.parametrize("method", ["tolist", "item"])
def test_tolist_item_point_to_value(method):
    x = DualArray([1.0], [[1.0]], TAG)
    with pytest.raises(TypeError, match=r"\.value"):
        getattr(x, method)()
