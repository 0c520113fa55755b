"""numpy shape, selection and reduction functions on DualArray
(dualnum/_functions_shape.py).

Values are compared with numpy on ``.value``.  Tangents of linear functions
are compared with numpy applied to each tangent direction separately; those
of nonlinear ones (prod, max, min, sort, interp, clip) with central finite
differences of the value function and with hand-derived derivatives at the
non-differentiable points whose convention the module documents.
"""

import numpy as np
import pytest

from dualnum._core import Dual, dual_from, dual_parts
from dualnum.dualarray import DualArray

TAG = 17
AxisError = np.exceptions.AxisError
KS = [1, 3]


# --------------------------------------------------------------------------
# helpers


def make(shape, k, seed=0, tag=TAG):
    """DualArray with distinct random values and random tangents."""
    rng = np.random.default_rng(seed)
    value = rng.permutation(np.prod(shape, dtype=int)).reshape(shape) * 0.37 - 1.1
    value = value + rng.uniform(0.0, 0.01, size=shape)
    return DualArray(value, rng.normal(size=tuple(shape) + (k,)), tag)


def parts(result):
    """(value array, tangent array) of a DualArray or scalar Dual result."""
    if isinstance(result, DualArray):
        assert result.tag == TAG
        return result.value, result.tangent
    assert type(result) is Dual
    value, tangent, tag = dual_parts(result)
    assert tag == TAG
    return np.asarray(value), tangent


def per_direction(func, tangent):
    """func applied to each tangent direction, stacked on a trailing axis."""
    return np.stack([np.asarray(func(tangent[..., j])) for j in range(tangent.shape[-1])], axis=-1)


def check_linear(func, a, *constants):
    """func(a, *constants) against numpy on .value and on every tangent
    direction, where the constant operands contribute zero tangents."""
    value, tangent = parts(func(a, *constants))
    expected = np.asarray(func(a.value, *constants))
    assert value.shape == expected.shape
    np.testing.assert_array_equal(value, expected)
    zeros = [np.zeros_like(np.asarray(c, dtype=np.float64)) for c in constants]
    np.testing.assert_allclose(tangent, per_direction(lambda t: func(t, *zeros), a.tangent),
                               rtol=1e-13, atol=1e-13)


def finite_differences(func, a, h=1e-6):
    """Central differences of the value function along each tangent direction."""
    return per_direction(
        lambda t: (np.asarray(func(a.value + h * t)) - np.asarray(func(a.value - h * t))) / (2 * h),
        a.tangent)


def check_nonlinear(func, a):
    value, tangent = parts(func(a))
    np.testing.assert_array_equal(value, np.asarray(func(a.value)))
    np.testing.assert_allclose(tangent, finite_differences(func, a), rtol=1e-6, atol=1e-7)


def dual(value, partials):
    return dual_from(float(value), np.asarray(partials, dtype=np.float64), TAG)


# --------------------------------------------------------------------------
# joining


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [0, 1, -1, -2, None])
def test_concatenate(k, axis):
    a, b = make((2, 3), k, 1), make((2, 3), k, 2)
    value, tangent = parts(np.concatenate([a, b], axis=axis))
    np.testing.assert_array_equal(value, np.concatenate([a.value, b.value], axis=axis))
    flat = axis is None
    tangents = [t.reshape(-1, k) if flat else t for t in (a.tangent, b.tangent)]
    np.testing.assert_array_equal(tangent, np.concatenate(tangents, axis=0 if flat else (axis % 2)))


@pytest.mark.parametrize("k", KS)
def test_concatenate_with_plain_array(k):
    a = make((2, 3), k)
    c = np.full((2, 1), 5.0)
    check_linear(lambda x, c: np.concatenate([c, x, c], axis=-1), a, c)


def test_concatenate_errors():
    a = make((2, 3), 3)
    with pytest.raises(TypeError, match="concatenate"):
        np.concatenate([a, a], out=np.empty((4, 3)))
    with pytest.raises(TypeError, match="concatenate"):
        np.concatenate([a, a], dtype=np.float32)
    with pytest.raises(ValueError):
        np.concatenate([a, make((2, 2), 3)], axis=0)
    with pytest.raises(AxisError):
        np.concatenate([a, a], axis=2)
    with pytest.raises(ValueError, match="directions"):
        np.concatenate([a, make((2, 3), 1)])
    with pytest.raises(ValueError, match="differentiation calls"):
        np.concatenate([a, make((2, 3), 3, tag=TAG + 1)])


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack(k, axis):
    a, b = make((2, 3), k, 1), make((2, 3), k, 2)
    value, tangent = parts(np.stack([a, b], axis=axis))
    np.testing.assert_array_equal(value, np.stack([a.value, b.value], axis=axis))
    np.testing.assert_array_equal(tangent, np.stack([a.tangent, b.tangent], axis=axis % 3))
    check_linear(lambda x, c: np.stack([c, x], axis=axis), a, np.ones((2, 3)))


def test_stack_of_scalars_and_dual():
    a = make((), 2)
    result = np.stack([a, dual(2.0, [1.0, -1.0]), 3.0])
    np.testing.assert_array_equal(result.value, [a.value, 2.0, 3.0])
    np.testing.assert_array_equal(result.tangent, [a.tangent, [1.0, -1.0], [0.0, 0.0]])
    with pytest.raises(TypeError, match="stack"):
        np.stack([a, a], out=np.empty(2))


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("shape", [(3,), (2, 3)])
def test_hstack_vstack(k, shape):
    a = make(shape, k)
    other = np.ones(shape)
    check_linear(lambda x, c: np.hstack([x, c, x]), a, other)
    check_linear(lambda x, c: np.vstack([c, x]), a, other)


def test_hstack_vstack_scalars():
    a = make((), 1)
    h = np.hstack([a, 2.0, make((2,), 1)])
    assert h.shape == (4,)
    np.testing.assert_array_equal(h.tangent[1], [0.0])
    v = np.vstack([a, 2.0])
    assert v.shape == (2, 1) and v.tangent.shape == (2, 1, 1)
    with pytest.raises(TypeError, match="hstack"):
        np.hstack([a, a], dtype=np.float32)


@pytest.mark.parametrize("k", KS)
def test_atleast_1d(k):
    zero_d = make((), k)
    result = np.atleast_1d(zero_d)
    assert result.shape == (1,) and result.tangent.shape == (1, k)
    np.testing.assert_array_equal(result.tangent[0], zero_d.tangent)
    a = make((2, 2), k)
    assert np.atleast_1d(a) is a
    first, second, third = np.atleast_1d(a, 4.0, dual(1.0, [2.0] * k))
    assert first is a
    np.testing.assert_array_equal(second, [4.0])
    np.testing.assert_array_equal(third.tangent, [[2.0] * k])


# --------------------------------------------------------------------------
# selection


@pytest.mark.parametrize("k", KS)
def test_where(k):
    a, b = make((2, 3), k, 1), make((2, 3), k, 2)
    cond = np.array([[True, False, True], [False, False, True]])
    value, tangent = parts(np.where(cond, a, b))
    np.testing.assert_array_equal(value, np.where(cond, a.value, b.value))
    np.testing.assert_array_equal(tangent, np.where(cond[..., None], a.tangent, b.tangent))


@pytest.mark.parametrize("k", KS)
def test_where_mixed_and_broadcast(k):
    a = make((3,), k)
    cond = np.array([[True], [False]])                     # broadcasts to (2, 3)
    for other in (7.0, np.arange(3.0), np.ones((2, 1))):
        check_linear(lambda x, c: np.where(cond, x, c), a, other)
        check_linear(lambda x, c: np.where(cond, c, x), a, other)
    d = dual(5.0, np.arange(k))
    result = np.where(cond, a, d)
    np.testing.assert_array_equal(result.value, np.where(cond, a.value, 5.0))
    np.testing.assert_array_equal(result.tangent[1], np.broadcast_to(np.arange(k), (3, k)))
    np.testing.assert_array_equal(result.tangent[0], a.tangent)


def test_where_errors():
    a = make((3,), 2)
    with pytest.raises(ValueError, match="directions"):
        np.where(a.value > 0, a, make((3,), 1))
    with pytest.raises(ValueError, match="differentiation calls"):
        np.where(a.value > 0, a, dual_from(1.0, np.ones(2), TAG + 1))
    with pytest.raises(TypeError, match="where"):
        np.where(a)
    with pytest.raises(TypeError, match="condition"):
        np.where(a, a, 1.0)
    with pytest.raises(ValueError):
        np.where(np.ones((2,), bool), a, 1.0)


@pytest.mark.parametrize("k", KS)
def test_clip(k):
    a = make((4, 5), k)
    low, high = -0.5, 3.0
    value, tangent = parts(np.clip(a, low, high))
    np.testing.assert_array_equal(value, np.clip(a.value, low, high))
    inside = (a.value > low) & (a.value < high)
    assert inside.any() and not inside.all()
    np.testing.assert_array_equal(tangent, np.where(inside[..., None], a.tangent, 0.0))
    check_nonlinear(lambda x: np.clip(x, low, high), a)
    check_nonlinear(lambda x: np.clip(x, min=low), a)
    check_nonlinear(lambda x: np.clip(x, None, high), a)


def test_clip_ties_and_dual_bounds():
    a = DualArray([1.0, 2.0, 3.0], [[1.0], [1.0], [1.0]], TAG)
    # a tie with a bound: the maximum/minimum ufunc rule averages the tangents
    np.testing.assert_array_equal(np.clip(a, 1.0, 3.0).tangent[:, 0], [0.5, 1.0, 0.5])
    low = DualArray([1.5, 1.5, 1.5], [[2.0], [2.0], [2.0]], TAG)
    np.testing.assert_array_equal(np.clip(a, low, 2.5).tangent[:, 0], [2.0, 1.0, 0.0])
    # a plain array clipped to dual bounds
    result = np.clip(np.array([0.0, 2.0]), low[:2], 2.5)
    np.testing.assert_array_equal(result.tangent[:, 0], [2.0, 0.0])
    # a scalar Dual bound; at the tie 2 == 2 the mean of 1 and -1
    result = np.clip(a, 0.0, dual(2.0, [-1.0]))
    np.testing.assert_array_equal(result.tangent[:, 0], [1.0, 0.0, -1.0])
    with pytest.raises(TypeError, match="clip"):
        np.clip(a, 0, 1, out=np.empty(3))
    copied = np.clip(a)
    assert copied.value is not a.value
    np.testing.assert_array_equal(copied.tangent, a.tangent)


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, -2])
def test_take(k, axis):
    a = make((3, 4), k)
    indices = np.array([[2, 0], [1, 1]])
    check_linear(lambda x: np.take(x, indices, axis=axis), a)
    check_linear(lambda x: np.take(x, [-1, 5], axis=axis, mode="wrap"), a)


def test_take_scalar_and_errors():
    a = make((3,), 2)
    result = np.take(a, 1)
    assert type(result) is Dual
    assert dual_parts(result)[0] == a.value[1]
    with pytest.raises(TypeError, match="take"):
        np.take(a, [0], out=np.empty(1))
    with pytest.raises(TypeError, match="indices"):
        np.take(a, a)
    with pytest.raises(IndexError):
        np.take(a, [3])


# --------------------------------------------------------------------------
# shape


@pytest.mark.parametrize("k", KS)
def test_broadcast_to(k):
    a = make((3, 1), k)
    check_linear(lambda x: np.broadcast_to(x, (2, 3, 4)), a)
    assert type(np.broadcast_to(make((), k), ())) is Dual
    with pytest.raises(ValueError):
        np.broadcast_to(a, (2, 2))
    with pytest.raises(TypeError, match="broadcast_to"):
        np.broadcast_to(a, (3, 1), subok=True)


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), -4])
def test_squeeze(k, axis):
    a = make((1, 3, 1, 1), k)
    check_linear(lambda x: np.squeeze(x, axis=axis), a)
    assert np.squeeze(a, axis=axis).tangent.shape[-1] == k     # k == 1 is kept


def test_squeeze_errors():
    with pytest.raises(ValueError):
        np.squeeze(make((1, 3), 1), axis=1)
    assert type(np.squeeze(make((1, 1), 1))) is Dual


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [0, 2, -1, -3, (0, -1)])
def test_expand_dims(k, axis):
    check_linear(lambda x: np.expand_dims(x, axis), make((2, 3), k))


@pytest.mark.parametrize("k", KS)
def test_ravel_and_copy(k):
    a = make((2, 3, 2), k)
    check_linear(np.ravel, a)
    check_linear(lambda x: np.ravel(x.transpose()), a)           # non-contiguous
    copied = np.copy(a)
    check_linear(np.copy, a)
    copied.value[0, 0, 0] = 99.0
    copied.tangent[0, 0, 0, 0] = 99.0
    assert a.value[0, 0, 0] != 99.0 and a.tangent[0, 0, 0, 0] != 99.0
    with pytest.raises(TypeError, match="ravel"):
        np.ravel(a, order="F")
    with pytest.raises(TypeError, match="copy"):
        np.copy(a, order="F")


# --------------------------------------------------------------------------
# linear maps


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n, axis", [(1, -1), (2, 0), (1, 1), (0, 0), (2, -2)])
def test_diff(k, n, axis):
    check_linear(lambda x: np.diff(x, n=n, axis=axis), make((4, 5), k))


def test_diff_errors():
    a = make((4,), 2)
    with pytest.raises(TypeError, match="diff"):
        np.diff(a, prepend=0.0)
    with pytest.raises(AxisError):
        np.diff(a, axis=1)
    assert type(np.diff(make((2,), 2))) is DualArray


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [None, 0, -1, -2])
def test_cumsum(k, axis):
    check_linear(lambda x: np.cumsum(x, axis=axis), make((3, 4), k))


def test_cumsum_errors():
    with pytest.raises(TypeError, match="cumsum"):
        np.cumsum(make((3,), 1), dtype=np.float32)


@pytest.mark.skipif(not hasattr(np, "trapezoid"), reason="numpy without trapezoid")
@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [0, -1, 1, -2])
def test_trapezoid(k, axis):
    a = make((4, 5), k)
    n = a.shape[axis]
    x1 = np.cumsum(np.linspace(0.5, 1.5, n))
    xn = np.cumsum(np.random.default_rng(3).uniform(0.1, 1.0, a.shape), axis=axis)
    check_linear(lambda y: np.trapezoid(y, axis=axis), a)
    check_linear(lambda y: np.trapezoid(y, dx=0.25, axis=axis), a)
    check_linear(lambda y: np.trapezoid(y, x1, axis=axis), a)
    check_linear(lambda y: np.trapezoid(y, xn, axis=axis), a)


@pytest.mark.skipif(not hasattr(np, "trapezoid"), reason="numpy without trapezoid")
def test_trapezoid_scalar_and_errors():
    a = make((5,), 2)
    assert type(np.trapezoid(a)) is Dual
    with pytest.raises(TypeError, match="'x'"):
        np.trapezoid(a, a)
    with pytest.raises(TypeError, match="'x'"):
        np.trapezoid(a.value, a)


# --------------------------------------------------------------------------
# nonlinear reductions


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (-1, 0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod(k, axis, keepdims):
    a = make((2, 3, 4), k)
    a = DualArray(a.value / 2.0, a.tangent, TAG)          # keep the products moderate
    check_nonlinear(lambda x: np.prod(x, axis=axis, keepdims=keepdims), a)


@pytest.mark.parametrize("k", KS)
def test_prod_with_zeros(k):
    rng = np.random.default_rng(5)
    value = np.array([[2.0, 0.0, 3.0, -1.5], [0.0, 4.0, 0.0, 2.0], [1.0, 2.0, 3.0, 4.0]])
    a = DualArray(value, rng.normal(size=value.shape + (k,)), TAG)
    tangent = np.prod(a, axis=-1).tangent
    # one zero: only its own tangent counts, times the product of the others
    np.testing.assert_allclose(tangent[0], 2.0 * 3.0 * -1.5 * a.tangent[0, 1], rtol=1e-15)
    # two zeros: every term has a zero factor
    np.testing.assert_array_equal(tangent[1], np.zeros(k))
    check_nonlinear(lambda x: np.prod(x, axis=1), a)
    empty = np.prod(make((2, 0), k), axis=1)
    np.testing.assert_array_equal(empty.value, [1.0, 1.0])
    np.testing.assert_array_equal(empty.tangent, np.zeros((2, k)))


def test_prod_errors():
    a = make((3,), 1)
    for kwargs in ({"dtype": np.float32}, {"out": np.empty(())}, {"initial": 2.0},
                   {"where": np.ones(3, bool)}):
        with pytest.raises(TypeError, match="prod"):
            np.prod(a, **kwargs)


EXTREMA = [np.max, np.min, np.amax, np.amin]


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("func", EXTREMA)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (-1, -2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_max_min(k, func, axis, keepdims):
    check_nonlinear(lambda x: func(x, axis=axis, keepdims=keepdims), make((3, 4, 2), k))


@pytest.mark.parametrize("func, pick", [(np.max, np.argmax), (np.min, np.argmin),
                                        (np.amax, np.argmax), (np.amin, np.argmin)])
def test_max_min_ties_pick_first(func, pick):
    value = np.array([[1.0, 3.0, 3.0], [-2.0, -2.0, 0.5]])
    tangent = np.arange(12.0).reshape(2, 3, 2)
    a = DualArray(value, tangent, TAG)
    result = func(a, axis=1)
    index = pick(value, axis=1)
    np.testing.assert_array_equal(result.tangent, tangent[[0, 1], index])
    flat = func(a)
    np.testing.assert_array_equal(dual_parts(flat)[1], tangent.reshape(-1, 2)[pick(value)])


def test_max_min_errors():
    a = make((3,), 1)
    with pytest.raises(TypeError, match="max"):
        np.max(a, initial=0.0)
    with pytest.raises(TypeError, match="min"):
        np.min(a, out=np.empty(()))
    with pytest.raises(ValueError):
        np.max(make((0,), 1))
    with pytest.raises(AxisError):
        np.min(a, axis=1)


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("axis", [None, 0, -1, 1, -2])
def test_sort(k, axis):
    a = make((3, 4), k)
    check_nonlinear(lambda x: np.sort(x, axis=axis), a)
    value, tangent = parts(np.sort(a, axis=axis))
    if axis is None:
        index = np.argsort(a.value, axis=None)
        np.testing.assert_array_equal(tangent, a.tangent.reshape(-1, k)[index])
    else:
        index = np.argsort(a.value, axis=axis)
        # the tangent's own axis count is one more: use the non-negative axis
        np.testing.assert_array_equal(tangent, np.take_along_axis(a.tangent, index[..., None], axis % 2))


def test_sort_ties_and_errors():
    a = DualArray([2.0, 1.0, 2.0], [[1.0], [2.0], [3.0]], TAG)
    np.testing.assert_array_equal(np.sort(a).tangent[:, 0], [2.0, 1.0, 3.0])    # stable
    with pytest.raises(TypeError, match="sort"):
        np.sort(a, order="x")


# --------------------------------------------------------------------------
# interpolation


XP = np.array([0.0, 1.0, 3.0, 4.0])
FP = np.array([1.0, 3.0, 2.0, 2.0])


@pytest.mark.parametrize("k", KS)
def test_interp(k):
    value = np.array([[-1.0, 0.5, 1.7], [3.2, 4.5, 2.9]])
    a = DualArray(value, np.random.default_rng(0).normal(size=value.shape + (k,)), TAG)
    check_nonlinear(lambda x: np.interp(x, XP, FP), a)
    slopes = np.array([[0.0, 2.0, -0.5], [0.0, 0.0, -0.5]])
    np.testing.assert_array_equal(np.interp(a, XP, FP).tangent, slopes[..., None] * a.tangent)
    check_nonlinear(lambda x: np.interp(x, XP, FP, left=-3.0, right=7.0), a)


def test_interp_at_knots():
    # numpy's segments are [xp[j], xp[j+1]): at a knot, the slope on its right;
    # 0 at and beyond xp[-1] where the result is constant
    a = DualArray(XP, np.ones((4, 1)), TAG)
    np.testing.assert_array_equal(np.interp(a, XP, FP).tangent[:, 0], [2.0, -0.5, 0.0, 0.0])
    np.testing.assert_array_equal(np.interp(a, XP, FP).value, FP)
    scalar = np.interp(DualArray(0.5, [2.0], TAG), XP, FP)
    assert type(scalar) is Dual and dual_parts(scalar)[1][0] == 4.0


def test_interp_repeated_knot_and_single_point():
    xp, fp = np.array([0.0, 1.0, 1.0, 2.0]), np.array([0.0, 1.0, 5.0, 6.0])
    a = DualArray([0.5, 1.0, 1.5], np.ones((3, 1)), TAG)
    np.testing.assert_array_equal(np.interp(a, xp, fp).value, np.interp(a.value, xp, fp))
    np.testing.assert_array_equal(np.interp(a, xp, fp).tangent[:, 0], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(np.interp(a, [1.0], [2.0]).tangent, np.zeros((3, 1)))


def test_interp_errors():
    a = make((3,), 1)
    with pytest.raises(TypeError, match="'left'"):
        np.interp(a, XP, FP, left=DualArray(1.0, [1.0], TAG))
    with pytest.raises(TypeError, match="'xp'"):
        np.interp(a, DualArray(XP, np.ones((4, 1)), TAG), FP)
    with pytest.raises(TypeError, match="interp"):
        np.interp(a, XP, FP, period=2.0)


# --------------------------------------------------------------------------
# ndarray methods: the same numbers as the numpy functions they stand for


def test_ndarray_methods_match_the_numpy_functions():
    rng = np.random.default_rng(70)
    x = DualArray(rng.normal(size=(3, 4)), rng.normal(size=(3, 4, 2)), tag=9)
    pairs = [
        (x.ravel(), np.ravel(x)), (x.flatten(), np.ravel(x)),
        (x.reshape(1, 12).squeeze(), np.squeeze(x.reshape(1, 12))),
        (x.max(axis=1), np.max(x, axis=1)), (x.min(), np.min(x)),
        (x.prod(axis=0), np.prod(x, axis=0)), (x.cumsum(axis=1), np.cumsum(x, axis=1)),
        (x.clip(-0.5, 0.5), np.clip(x, -0.5, 0.5)), (x.take([0, 5]), np.take(x, [0, 5])),
        (x[:, :3].trace(), np.trace(x[:, :3])), (x[0].dot(x[1]), np.dot(x[0], x[1])),
        (x.astype(float), x),
    ]
    for method, function in pairs:
        np.testing.assert_array_equal(np.asarray(method.value), np.asarray(function.value))
        np.testing.assert_array_equal(method.partials if isinstance(method, Dual) else method.tangent,
                                      function.partials if isinstance(function, Dual) else function.tangent)


def test_copies_from_methods_are_independent_and_astype_keeps_float64_only():
    x = DualArray([1.0, 2.0], [[1.0], [1.0]])
    for y in (x.flatten(), x.astype(np.float64)):
        y[0] = 9.0
        assert x.value[0] == 1.0 and x.tangent[0, 0] == 1.0
    with pytest.raises(TypeError, match="float64"):
        x.astype(np.float32)
