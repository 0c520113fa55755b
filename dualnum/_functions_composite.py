"""Products and elementwise extras of dual arrays, for both array orders
(numpy compositions: dualnum/_composition.py), and the one table of all
composed numpy functions (with dualnum/_functions_statistics.py and
dualnum/_functions_signal.py) that both orders join.

Conventions:

* ``sinc`` at and near 0: for |pi x| < 1 its Taylor series through
  (pi x)**20, exact to rounding with its first and second derivatives
  (sin(y)/y would divide 0 by 0); elsewhere sin(pi x)/(pi x).
* ``round``/``around``/``fix``, ``nan_to_num`` where it replaces: a dual
  array with derivative 0 (as floor and trunc); numpy >= 2.5's
  DeprecationWarning of ``fix`` reaches the user once, at their call.
  ``real`` of a real dual array is the array, ``imag`` plain zeros
  (``isreal``/``iscomplex``: the queries of dualnum/_functions_values.py).
* ``piecewise`` calls each function on the selected entries (as numpy
  does) and assembles with np.where, later conditions winning; ``select``
  takes the first true condition.  Conditions must be plain.
* ``apply_along_axis``/``apply_over_axes`` call the function on each 1-d
  slice / axis (a Python loop, as numpy's) and stack the results.
* ``kron`` and ``cross`` are products of the operands' elements; ``cross``
  takes 2-element vectors where the installed numpy does (2.0-2.4, with its
  DeprecationWarning) and raises numpy's ValueError where it does not (>= 2.5);
  ``outer`` and ``tensordot`` are here for the second order only (DualArray's
  are dualnum/_functions_linalg.py; ``trace``'s second order is
  dualnum/_hessian_linalg.py's).
"""
import os
import sys
import warnings

import numpy as np

from dualnum import _functions_signal, _functions_statistics
from dualnum._array_reductions import own_array
from dualnum._composition import is_dual, plain, value_of
from dualnum._function_args import axes as _axes, function_table
from dualnum._number import sinc_series

__all__ = ["FUNCTIONS", "SECOND_ORDER_FUNCTIONS"]

_OWN, _implements = function_table()
_SECOND, _second_order = function_table()


def _operand(engine, x):
    return x if is_dual(engine, x) else np.asarray(x, dtype=np.float64)


def _constant(a, values):
    """A dual array of a's order with the plain ``values`` and derivative 0."""
    return np.where(np.ones(np.shape(values), dtype=bool), values, a)


def _spread(a, piece):
    """``piece`` (a scalar dual number) as an array of a's order and shape."""
    return np.where(np.zeros(a.shape, dtype=bool), a, piece)


# ------------------------------------------------------------- products

@_implements(np.kron)
def _kron(engine, a, b):
    a, b = _operand(engine, a), _operand(engine, b)
    shape_a, shape_b = value_of(engine, a).shape, value_of(engine, b).shape
    ndim = max(len(shape_a), len(shape_b))
    shape_a = (1,) * (ndim - len(shape_a)) + shape_a
    shape_b = (1,) * (ndim - len(shape_b)) + shape_b
    # a's axes interleaved with b's: element (i, j) of each pair of axes is a_i b_j
    product = (a.reshape(sum(((n, 1) for n in shape_a), ()))
               * b.reshape(sum(((1, n) for n in shape_b), ())))
    return product.reshape(tuple(p * q for p, q in zip(shape_a, shape_b)))


def _last(engine, x, axis):
    """x with ``axis`` moved last (a transpose, which both orders have)."""
    ndim = value_of(engine, x).ndim
    axis = _axes(axis, ndim)[0]
    order = tuple(i for i in range(ndim) if i != axis) + (axis,)
    return x.transpose(order) if order != tuple(range(ndim)) else x


# numpy's warnings re-issued at the user's call: past dualnum's frames (Python >= 3.12,
# which numpy >= 2.5 needs; before, one frame up, as the dispatch puts it)
_AT_THE_USERS_CALL = (
    {"skip_file_prefixes": (os.path.dirname(os.path.abspath(__file__)) + os.sep,)}
    if sys.version_info >= (3, 12) else {"stacklevel": 3})


def _numpy_crosses_2_vectors():
    """Whether the installed numpy takes 2-element vectors in np.cross (numpy
    2.0-2.4, with a DeprecationWarning; numpy >= 2.5 raises a ValueError)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            np.cross(np.zeros(2), np.zeros(3))
        except ValueError:
            return False
    return True


_NUMPY_CROSSES_2_VECTORS = _numpy_crosses_2_vectors()


@_implements(np.cross)
def _cross(engine, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _last(engine, _operand(engine, a), axisa), _last(engine, _operand(engine, b), axisb)
    na, nb = value_of(engine, a).shape[-1], value_of(engine, b).shape[-1]
    if not (na == nb == 3 or (_NUMPY_CROSSES_2_VECTORS and {na, nb} <= {2, 3})):
        np.cross(np.zeros(na), np.zeros(nb))    # numpy's ValueError, as the installed numpy words it
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    if na == 2 or nb == 2:                       # numpy 2.0-2.4 warn on either
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=3)
    if na == 2 and nb == 2:
        return a0 * b1 - a1 * b0
    # a missing third component is 0: those terms drop out, as in numpy
    z = a0 * b1 - a1 * b0
    if na == 3 and nb == 3:
        a2, b2 = a[..., 2], b[..., 2]
        x, y = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2
    elif na == 2:
        b2 = b[..., 2]
        x, y = a1 * b2, -(a0 * b2)
    else:
        a2 = a[..., 2]
        x, y = -(a2 * b1), a2 * b0
    shape = np.broadcast_shapes(*(value_of(engine, c).shape for c in (x, y, z)))
    parts = [c if value_of(engine, c).shape == shape else c + np.zeros(shape) for c in (x, y, z)]
    result = np.stack(parts, axis=-1)
    ndim = len(shape) + 1
    axisc = _axes(axisc, ndim)[0]
    order = tuple(range(axisc)) + (ndim - 1,) + tuple(range(axisc, ndim - 1))
    return result.transpose(order) if axisc != ndim - 1 else result


@_second_order(np.outer)
def _outer(engine, a, b, out=None):
    engine.refuse("outer", {}, out=out)
    return _operand(engine, a).reshape(-1, 1) * _operand(engine, b).reshape(1, -1)


@_second_order(np.tensordot)
def _tensordot(engine, a, b, axes=2):
    a, b = _operand(engine, a), _operand(engine, b)
    ndim_a, ndim_b = value_of(engine, a).ndim, value_of(engine, b).ndim
    if isinstance(axes, (int, np.integer)):
        summed_a, summed_b = list(range(ndim_a - axes, ndim_a)), list(range(axes))
    else:
        summed_a, summed_b = ([axes_i] if np.ndim(axes_i) == 0 else list(axes_i) for axes_i in axes)
    summed_a, summed_b = _axes(summed_a, ndim_a), _axes(summed_b, ndim_b)
    shape_a, shape_b = value_of(engine, a).shape, value_of(engine, b).shape
    if [shape_a[i] for i in summed_a] != [shape_b[i] for i in summed_b]:
        raise ValueError("shape-mismatch for sum")
    free_a = [i for i in range(ndim_a) if i not in summed_a]
    free_b = [i for i in range(ndim_b) if i not in summed_b]
    length = int(np.prod([shape_a[i] for i in summed_a], dtype=np.int64))
    left = a.transpose(tuple(free_a) + summed_a).reshape(-1, length)
    right = b.transpose(summed_b + tuple(free_b)).reshape(length, -1)
    product = left @ right
    return product.reshape(tuple(shape_a[i] for i in free_a) + tuple(shape_b[i] for i in free_b))


# ------------------------------------------------------------- elementwise

@_implements(np.sinc)
def _sinc(engine, x):
    value = own_array(engine, "sinc", x).value
    y = np.pi * x
    small = np.abs(np.pi * value) < 1.0
    if small.any():
        series = sinc_series(y * y)
        if small.all():
            return series
        y = np.where(small, 1.0, y)              # no 0/0 in the branch not taken
    direct = np.sin(y) / y
    return np.where(small, series, direct) if small.any() else direct


# ufuncs that are not rows of the function table, each written with rows; both
# arrays look their ufunc calls up here when no row has the name

@_implements(np.modf)
def _modf(engine, x, /):
    whole = np.trunc(x)                                   # derivative 0
    values = value_of(engine, x)
    # x - trunc(x) is exact; at +-inf numpy's fraction is +-0 (derivative 0)
    return np.where(np.isinf(values), np.copysign(0.0, values), x - whole), whole


def _scaled(x, exponent):
    """x * 2**exponent as two exact scalings, so that neither factor overflows
    (a subnormal's frexp exponent is near -1074)."""
    exponent = np.asarray(exponent, dtype=np.float64)
    half = np.floor(exponent / 2)
    return x * np.exp2(half) * np.exp2(exponent - half)


@_implements(np.frexp)
def _frexp(engine, x, /):
    exponent = np.frexp(value_of(engine, x))[1]           # plain integers
    return _scaled(x, -exponent), exponent


@_implements(np.ldexp)
def _ldexp(engine, x, exponent, /):
    plain(engine, "ldexp", exponent=exponent)
    return _scaled(x, exponent)


@_implements(np.divmod)
def _divmod(engine, x, y, /):
    return np.floor_divide(x, y), np.remainder(x, y)


if hasattr(np, "matvec"):                                 # numpy >= 2.2's gufuncs
    @_implements(np.vecdot)
    def _vecdot(engine, x1, x2, /):
        return np.sum(x1 * x2, axis=-1)                   # real: conj(x1) is x1

    @_implements(np.matvec)
    def _matvec(engine, x1, x2, /):
        return np.sum(x1 * np.expand_dims(x2, -2), axis=-1)

    @_implements(np.vecmat)
    def _vecmat(engine, x1, x2, /):
        return np.sum(np.expand_dims(x1, -1) * x2, axis=-2)


@_implements(np.nan_to_num)
def _nan_to_num(engine, x, copy=True, nan=0.0, posinf=None, neginf=None):
    plain(engine, "nan_to_num", nan=nan, posinf=posinf, neginf=neginf)
    value = own_array(engine, "nan_to_num", x).value
    finite = np.isfinite(value)
    if finite.all():
        return x
    filled = np.nan_to_num(value, nan=nan, posinf=posinf, neginf=neginf)
    return np.where(finite, x, filled)


@_implements(np.round, np.around)
def _round(engine, a, decimals=0, out=None):
    engine.refuse("round", {}, out=out)
    return _constant(a, np.round(own_array(engine, "round", a).value, decimals))


@_implements(np.fix)
def _fix(engine, x, out=None):
    engine.refuse("fix", {}, out=out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = np.fix(own_array(engine, "fix", x).value)
    for warning in caught:      # numpy >= 2.5 deprecates fix: its warning, at the user's call
        warnings.warn(warning.message, warning.category, **_AT_THE_USERS_CALL)
    return _constant(x, value)


@_implements(np.real)
def _real(engine, val):
    return own_array(engine, "real", val)


@_implements(np.imag)
def _imag(engine, val):
    return np.zeros(own_array(engine, "imag", val).shape)


@_implements(np.angle)
def _angle(engine, z, deg=False):
    # of a real array: 0 or pi (180), constant where defined, so plain values
    return np.angle(own_array(engine, "angle", z).value, deg=deg)


@_implements(np.real_if_close)
def _real_if_close(engine, a, tol=100):
    return own_array(engine, "real_if_close", a)


# ------------------------------------------------------------- ranges

@_implements(np.linspace)
def _linspace(engine, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0,
              **options):
    """numpy's own steps, ``arange(num) * step + start`` with ``stop`` itself last,
    so the values are numpy's; start and stop may be dual (arrays broadcast)."""
    engine.refuse("linspace", options, dtype=dtype)
    value_of(engine, start) + value_of(engine, stop)      # numpy's broadcasting errors
    num = int(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    divisions = num - 1 if endpoint else num
    start, stop = _operand(engine, start), _operand(engine, stop)
    shape = np.broadcast_shapes(np.shape(value_of(engine, start)), np.shape(value_of(engine, stop)))
    along = (num,) + (1,) * len(shape)                  # the new axis first, then start's shape
    steps = np.arange(num, dtype=np.float64).reshape(along)
    if divisions > 0:
        step = (stop - start) / divisions
        result = steps * step + start
    else:                                                # num <= 1: start alone (numpy's step: nan)
        step, result = np.nan, steps * (stop - start) + start
    if endpoint and num > 1:
        result = np.where((np.arange(num) == num - 1).reshape(along), stop, result)
    result = np.moveaxis(result, 0, axis)
    return (result, step) if retstep else result


@_implements(np.logspace)
def _logspace(engine, start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    engine.refuse("logspace", {}, dtype=dtype)
    exponents = _linspace(engine, start, stop, num=num, endpoint=endpoint, axis=axis)
    return np.power(base, exponents)


def _cumulative(engine, name, scan, initial, x, axis, dtype, out, include_initial):
    """numpy 2.1's cumulative_sum/cumulative_prod: the scan, after ``initial``
    (a constant) when ``include_initial``."""
    engine.refuse(name, {}, dtype=dtype, out=out)
    a = own_array(engine, name, x)
    getattr(np, name)(a.value, axis=axis)                # numpy's errors (axis needed for n-d)
    axis = 0 if axis is None else _axes(axis, a.ndim)[0]
    result = scan(a, axis=axis)
    if include_initial:
        first = _constant(a[(slice(None),) * axis + (slice(0, 1),)], initial)
        result = np.concatenate([first, result], axis=axis)
    return result


if hasattr(np, "cumulative_sum"):                        # numpy >= 2.1
    @_implements(np.cumulative_sum)
    def _cumulative_sum(engine, x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        return _cumulative(engine, "cumulative_sum", np.cumsum, 0.0, x, axis, dtype, out,
                           include_initial)

    @_implements(np.cumulative_prod)
    def _cumulative_prod(engine, x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        return _cumulative(engine, "cumulative_prod", np.cumprod, 1.0, x, axis, dtype, out,
                           include_initial)


# ------------------------------------------------------------- assembling

@_implements(np.piecewise)
def _piecewise(engine, x, condlist, funclist, *args, **kw):
    plain(engine, "piecewise", condlist=condlist)
    value = own_array(engine, "piecewise", x).value
    if np.isscalar(condlist) or (not isinstance(condlist[0], (list, np.ndarray)) and value.ndim != 0):
        condlist = [condlist]
    conditions = np.asarray(condlist, dtype=bool)
    count, functions = len(conditions), len(funclist)
    if count == functions - 1:              # the last function: where no condition holds
        otherwise = ~np.any(conditions, axis=0, keepdims=True)
        conditions = np.concatenate([conditions, otherwise])
    elif count != functions:
        raise ValueError(f"with {count} condition(s), either {count} or {count + 1} "
                         "functions are expected")
    result = np.zeros(value.shape)
    for condition, func in zip(conditions, funclist):
        condition = np.broadcast_to(condition, value.shape)
        if not callable(func):
            piece = func
        elif not condition.any():
            continue
        else:
            piece = func(x[condition], *args, **kw)
            if np.ndim(value_of(engine, piece)) != 0:
                # back to x's shape: each selected entry takes its place in order
                places = np.maximum(np.cumsum(condition.reshape(-1)) - 1, 0).reshape(value.shape)
                piece = piece[places]
        if is_dual(engine, piece) and not hasattr(piece, "shape"):
            piece = _spread(x, piece)
        result = np.where(condition, piece, result)
    return result


@_implements(np.select)
def _select(engine, condlist, choicelist, default=0):
    plain(engine, "select", condlist=condlist)
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    for i, condition in enumerate(condlist):
        if np.asarray(condition).dtype != np.bool_:
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
    result = default
    for condition, choice in zip(reversed(condlist), reversed(choicelist)):   # the first true wins
        result = np.where(condition, choice, result)
    return result


def _as_array(engine, x, carrier):
    """x as an array: a scalar dual number becomes one element of carrier's order."""
    if is_dual(engine, x) and not isinstance(x, engine.array):
        return _spread(carrier.reshape(-1)[:1], x)
    return x if is_dual(engine, x) else np.asarray(x, dtype=np.float64)


@_implements(np.apply_along_axis)
def _apply_along_axis(engine, func1d, axis, arr, *args, **kwargs):
    value = own_array(engine, "apply_along_axis", arr).value
    axis = _axes(axis, value.ndim)[0]
    others = tuple(i for i in range(value.ndim) if i != axis)
    lines = arr.transpose(others + (axis,))
    outer = lines.shape[:-1]
    if 0 in outer:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    # one call per 1-d slice, as numpy (the function sees one line at a time)
    results = [func1d(lines[index], *args, **kwargs) for index in np.ndindex(*outer)]
    inner = value_of(engine, results[0]).shape
    # scalars as one-element arrays of arr's order, joined end to end
    results = [_as_array(engine, r, arr).reshape((1,) + inner) for r in results]
    stacked = np.concatenate(results).reshape(outer + inner)
    # the result's axes take the place of ``axis``, as numpy puts them
    order = (tuple(range(axis)) + tuple(range(len(outer), len(outer) + len(inner)))
             + tuple(range(axis, len(outer))))
    return stacked.transpose(order) if order != tuple(range(len(order))) else stacked


@_implements(np.apply_over_axes)
def _apply_over_axes(engine, func, a, axes):
    ndim = own_array(engine, "apply_over_axes", a).ndim
    for axis in (axes,) if np.ndim(axes) == 0 else axes:
        axis = axis + ndim if axis < 0 else axis
        result = _as_array(engine, func(a, axis), a)
        shape = value_of(engine, result).shape
        if len(shape) == ndim - 1:
            result = result.reshape(shape[:axis] + (1,) + shape[axis:])
        elif len(shape) != ndim:
            raise ValueError("function is not returning an array of the correct shape")
        a = result
    return a


# numpy function -> handler(engine, *args, **kwargs), for both orders
FUNCTIONS = {**_functions_statistics.FUNCTIONS, **_functions_signal.FUNCTIONS, **_OWN}
# ... and for the second order, with what DualArray has from elsewhere
SECOND_ORDER_FUNCTIONS = {**FUNCTIONS, **_SECOND}
