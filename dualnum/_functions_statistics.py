"""Statistics of dual arrays, for both array orders: numpy compositions
(dualnum/_composition.py says how one handler serves both).

Conventions where the function is not differentiable:

* ``std``/``nanstd`` at zero spread (all elements of a slice equal): the
  directional derivatives there are ``±std(v)``, not linear in v; dualnum
  gives 0, their midpoint, at both orders (sqrt's infinite slope would
  give nan).  Elsewhere std is sqrt(var), var the mean squared deviation.
* ``median``, ``percentile``, ``quantile`` and their nan versions: every
  ``method`` numpy offers is a combination of one or two order statistics
  with weights that depend on q, the count and the method only, so the
  derivative is the same combination of the derivatives of the elements at
  those ranks.  Ranks come from a stable sort: equal elements are ranked in
  array order, so a median between two equal elements averages their
  derivatives.  A slice holding a NaN gives NaN (nan versions: NaNs are
  left out).
* ``ptp`` is ``max - min``, with their convention at ties (the first).
* nan functions: a NaN entry contributes nothing, derivative 0; an all-NaN
  slice gives NaN as in numpy.
* ``cumprod`` is a scan of products in log2(n) rounds, so the derivative is
  exact also at zeros (the values may differ from numpy's left-to-right
  products in the last bit).

``where=`` (plain) is taken by var, std, nanvar, nanstd, nansum and
nanmean.  Weights (``average``'s may be dual; ``cov``'s ``fweights``/
``aweights`` and quantile's ``q`` must be plain), ``out=``, ``dtype=`` other
than None, ``where=`` elsewhere and quantile's ``weights=`` raise a
TypeError naming them.
"""
import warnings
from typing import Any

import numpy as np

from dualnum._array_reductions import own_array
from dualnum._composition import finish, front, is_dual, kept_shape, plain, replaced, value_of
from dualnum._function_args import axes as _axes, function_table

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


def _all_axes(axis, ndim):
    return tuple(range(ndim)) if axis is None else _axes(axis, ndim)


def _no_where(where):
    # numpy's default is "no mask"; passing where=True is the same
    return None if where is True else where


def _counted(engine, name, a, where, skip_nan):
    """The mask of the entries a reduction counts (NaNs left out, ``where=``),
    or None for all of them."""
    plain(engine, name, where=where)
    mask = ~np.isnan(a.value) if skip_nan else None
    if where is not True:
        where = np.broadcast_to(np.asarray(where, dtype=bool), a.shape)
        mask = where if mask is None else mask & where
    return mask


def _degrees(ddof, correction):
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        return correction
    return ddof


# ------------------------------------------------------------- moments

def _variance(a, axis, ddof, mean=None, valid=None):
    """The variance over ``axis`` with the reduced axes kept (length 1), and
    those axes; ``valid`` (nanvar): the mask of the entries that count."""
    axes = _all_axes(axis, a.ndim)
    if valid is None:
        count = int(np.prod([a.shape[i] for i in axes], dtype=np.int64))
        centre = np.mean(a, axis=axes, keepdims=True) if mean is None else mean
        deviation = a - centre
    else:
        count = np.sum(valid, axis=axes, keepdims=True)
        if mean is None:
            mean = np.sum(replaced(~valid, 0.0, a), axis=axes, keepdims=True) / count
        deviation = replaced(~valid, 0.0, a - mean)
    squares = np.sum(deviation * deviation, axis=axes, keepdims=True)
    return squares / np.maximum(count - ddof, 0), axes


def _root(variance):
    """sqrt, with derivative 0 where the variance is 0 (zero spread)."""
    zero = np.asarray(variance.value) == 0.0
    if not zero.any():
        return np.sqrt(variance)
    return np.where(zero, 0.0, np.sqrt(np.where(zero, 1.0, variance)))


def _moment_handler(name, root, skip_nan):
    """The handler of var, std, nanvar or nanstd."""
    def handler(engine, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
                where=True, mean=None, correction=None):
        engine.refuse(name, {}, dtype=dtype, out=out)
        valid = _counted(engine, name, own_array(engine, name, a), where, skip_nan)
        variance, axes = _variance(a, axis, _degrees(ddof, correction), mean, valid)
        return finish(_root(variance) if root else variance, kept_shape(a.shape, axes, keepdims))
    return handler


_function: Any                       # numpy functions of different signatures
for _function, _root_taken, _skip in ((np.var, False, False), (np.std, True, False),
                                      (np.nanvar, False, True), (np.nanstd, True, True)):
    _implements(_function)(_moment_handler(_function.__name__, _root_taken, _skip))


@_implements(np.average)
def _average(engine, a, axis=None, weights=None, returned=False, *, keepdims=False):
    values = value_of(engine, a)
    if not is_dual(engine, a):                 # dual weights of plain data
        a = values
    axes = _all_axes(axis, values.ndim)
    if weights is None:
        total = np.mean(a, axis=axis, keepdims=True)
        scale = np.full(total.shape, values.size / max(total.size, 1))
    else:
        weights = _weights_like(engine, values, weights, axis, axes)
        scale = np.sum(weights, axis=axes, keepdims=True)
        if np.any(value_of(engine, scale) == 0.0):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        total = np.sum(a * weights, axis=axes, keepdims=True) / scale
    shape = kept_shape(values.shape, axes, keepdims)
    average = finish(total, shape)
    if not returned:
        return average
    if not is_dual(engine, scale):
        return average, np.broadcast_to(scale, total.shape).reshape(shape)[()]
    return average, finish(scale + np.zeros(total.shape), shape)


def _weights_like(engine, values, weights, axis, axes):
    """average's weights shaped to broadcast against a (numpy's rules)."""
    shape = value_of(engine, weights).shape
    if shape == values.shape:
        return weights
    if axis is None:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    if shape != tuple(values.shape[i] for i in axes):
        raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
    if not is_dual(engine, weights):
        weights = np.asarray(weights, dtype=np.float64)
    weights = weights.transpose(tuple(np.argsort(axes)))      # to the order of a's axes
    return weights.reshape(tuple(n if i in axes else 1 for i, n in enumerate(values.shape)))


# ------------------------------------------------------------- order statistics

# method -> (alpha, beta) of Hyndman and Fan's continuous sample quantiles
_HYNDMAN_FAN = {"interpolated_inverted_cdf": (0.0, 1.0), "hazen": (0.5, 0.5),
                "weibull": (0.0, 0.0), "median_unbiased": (1 / 3, 1 / 3),
                "normal_unbiased": (3 / 8, 3 / 8)}
_ROUNDED = {"lower": np.floor, "higher": np.ceil, "nearest": np.around}
_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation",
            *_HYNDMAN_FAN, "linear", "lower", "higher", "midpoint", "nearest")


def _ranks(method, n, q):
    """(lower, upper, weight of upper or None) of numpy's quantile ``method``
    for counts n and quantiles q (broadcast); ranks may still lie outside
    [0, n - 1] where n is 0."""
    if method in _ROUNDED:
        rank = _ROUNDED[method]((n - 1) * q).astype(np.intp)
        return rank, rank, None
    if method in ("inverted_cdf", "closest_observation"):
        virtual = n * q - 1 if method == "inverted_cdf" else n * q - 1.5
        previous = np.floor(virtual)
        stay = virtual == previous
        if method == "closest_observation":           # the even order statistic (1-based)
            stay &= previous % 2 == 1
        rank = np.maximum(np.where(stay, previous, previous + 1), 0).astype(np.intp)
        return rank, rank, None
    if method == "linear":
        virtual = (n - 1) * q
    elif method == "midpoint":
        virtual = 0.5 * (np.floor((n - 1) * q) + np.ceil((n - 1) * q))
    elif method == "averaged_inverted_cdf":
        virtual = n * q - 1
    elif method in _HYNDMAN_FAN:
        alpha, beta = _HYNDMAN_FAN[method]
        virtual = n * q + (alpha + q * (1 - alpha - beta)) - 1
    else:
        raise ValueError(f"{method!r} is not a valid method. Use one of: {_METHODS}")
    previous = np.floor(virtual)
    weight = virtual - previous
    if method == "averaged_inverted_cdf":
        weight = np.where(weight == 0, 0.5, 1.0)
    elif method == "midpoint":
        weight = np.where(virtual % 1 == 0, 0.0, 0.5)
    above, below = virtual >= n - 1, virtual < 0
    lower = np.where(above, n - 1, np.where(below, 0, previous)).astype(np.intp)
    upper = np.where(above | below, lower, lower + 1)
    return lower, upper, np.where(above | below, 0.0, weight)


def _lerp(a, b, t):
    """numpy's interpolation a + (b - a) t, from b's side for t >= 0.5."""
    step = b - a
    from_b = np.broadcast_to(t >= 0.5, step.shape)
    return np.where(from_b, b - step * (1 - t), a + step * t)


def _sorted_lines(a, axis, skip_nan):
    """(sorted lines (m, R), per-line count of numbers, reduced axes)."""
    lines, axes = front(a, axis)
    lines = lines.reshape(lines.shape[0], -1)
    ordered = np.sort(lines, axis=0)                      # NaNs last
    if skip_nan:
        count = np.sum(~np.isnan(lines.value), axis=0)
    else:
        count = lines.shape[0]
    return ordered, count, axes


def _pick(ordered, rank):
    """The elements of the sorted lines at ``rank`` (broadcast against the lines)."""
    last = ordered.shape[0] - 1
    return ordered[np.clip(rank, 0, last), np.arange(ordered.shape[1])]


def _nan_through(ordered, result, skip_nan):
    """A line holding a NaN gives NaN (numpy's median and quantile)."""
    if skip_nan:
        return result
    last = ordered[ordered.shape[0] - 1]
    has_nan = np.isnan(last.value)
    if not has_nan.any():
        return result
    return np.where(np.broadcast_to(has_nan, result.shape), last, result)


def _median(a, axis, keepdims, skip_nan):
    ordered, count, axes = _sorted_lines(a, axis, skip_nan)
    # numpy's median: the mean of the middle element(s)
    middle = (_pick(ordered, (count - 1) // 2) + _pick(ordered, count // 2)) / 2.0
    result = _nan_through(ordered, middle, skip_nan)
    return finish(result, kept_shape(a.shape, axes, keepdims))


def _quantiles(engine, name, a, q, scale, axis, method, keepdims, skip_nan):
    own_array(engine, name, a)
    plain(engine, name, q=q)
    q = np.true_divide(q, scale) if scale != 1 else np.asarray(q, dtype=np.float64)
    if not np.all((0 <= q) & (q <= 1)):
        bound = "Percentiles must be in the range [0, 100]" if scale != 1 else \
            "Quantiles must be in the range [0, 1]"
        raise ValueError(bound)
    ordered, count, axes = _sorted_lines(a, axis, skip_nan)
    lower, upper, weight = _ranks(method, count, q.reshape(-1, 1))
    result = _pick(ordered, lower)
    if weight is not None:
        result = _lerp(result, _pick(ordered, upper), weight)
    result = _nan_through(ordered, result, skip_nan)
    return finish(result, q.shape + kept_shape(a.shape, axes, keepdims))


@_implements(np.median)
def _median_handler(engine, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    engine.refuse("median", {}, out=out)
    return _median(own_array(engine, "median", a), axis, keepdims, skip_nan=False)


@_implements(np.nanmedian)
def _nanmedian(engine, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    engine.refuse("nanmedian", {}, out=out)
    return _median(own_array(engine, "nanmedian", a), axis, keepdims, skip_nan=True)


def _quantile_handler(name, scale, skip_nan):
    def handler(engine, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):
        engine.refuse(name, {}, out=out, weights=weights, interpolation=interpolation)
        return _quantiles(engine, name, a, q, scale, axis, method, keepdims, skip_nan)
    return handler


for _function, _scale, _skip in ((np.quantile, 1, False), (np.percentile, 100, False),
                                 (np.nanquantile, 1, True), (np.nanpercentile, 100, True)):
    _implements(_function)(_quantile_handler(_function.__name__, _scale, _skip))


@_implements(np.ptp)
def _ptp(engine, a, axis=None, out=None, keepdims=False):
    engine.refuse("ptp", {}, out=out)
    own_array(engine, "ptp", a)
    return np.max(a, axis=axis, keepdims=keepdims) - np.min(a, axis=axis, keepdims=keepdims)


# ------------------------------------------------------------- nan functions

def _nan_filled(engine, name, a, fill):
    return replaced(np.isnan(own_array(engine, name, a).value), fill, a)


@_implements(np.nansum)
def _nansum(engine, a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    engine.refuse("nansum", {}, dtype=dtype, out=out, initial=initial)
    valid = _counted(engine, "nansum", own_array(engine, "nansum", a), where, skip_nan=True)
    return np.sum(replaced(~valid, 0.0, a), axis=axis, keepdims=keepdims)


@_implements(np.nanmean)
def _nanmean(engine, a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    engine.refuse("nanmean", {}, dtype=dtype, out=out)
    valid = _counted(engine, "nanmean", own_array(engine, "nanmean", a), where, skip_nan=True)
    axes = _all_axes(axis, a.ndim)
    count = np.sum(valid, axis=axes, keepdims=True)
    total = np.sum(replaced(~valid, 0.0, a), axis=axes, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    if not count.all():
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=4)
    return finish(mean, kept_shape(a.shape, axes, keepdims))


def _nan_extremum(engine, name, reducer, fill, a, axis, out, keepdims, initial, where):
    engine.refuse(name, {}, out=out, initial=initial, where=_no_where(where))
    axes = _all_axes(axis, own_array(engine, name, a).ndim)
    result = reducer(_nan_filled(engine, name, a, fill), axis=axis, keepdims=True)
    all_nan = np.all(np.isnan(a.value), axis=axes, keepdims=True)
    if all_nan.any():
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)
        result = np.where(all_nan, np.nan, result)
    return finish(result, kept_shape(a.shape, axes, keepdims))


@_implements(np.nanmax)
def _nanmax(engine, a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _nan_extremum(engine, "nanmax", np.max, -np.inf, a, axis, out, keepdims, initial, where)


@_implements(np.nanmin)
def _nanmin(engine, a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _nan_extremum(engine, "nanmin", np.min, np.inf, a, axis, out, keepdims, initial, where)


@_implements(np.nanprod)
def _nanprod(engine, a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    engine.refuse("nanprod", {}, dtype=dtype, out=out, initial=initial, where=_no_where(where))
    return np.prod(_nan_filled(engine, "nanprod", a, 1.0), axis=axis, keepdims=keepdims)


@_implements(np.nancumsum)
def _nancumsum(engine, a, axis=None, dtype=None, out=None):
    engine.refuse("nancumsum", {}, dtype=dtype, out=out)
    return np.cumsum(_nan_filled(engine, "nancumsum", a, 0.0), axis=axis)


@_implements(np.nancumprod)
def _nancumprod(engine, a, axis=None, dtype=None, out=None):
    engine.refuse("nancumprod", {}, dtype=dtype, out=out)
    return _cumprod(engine, _nan_filled(engine, "nancumprod", a, 1.0), axis)


@_implements(np.cumprod)
def _cumprod(engine, a, axis=None, dtype=None, out=None):
    engine.refuse("cumprod", {}, dtype=dtype, out=out)
    own_array(engine, "cumprod", a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axes(axis, a.ndim)[0]
    head = (slice(None),) * axis
    length, shift = a.shape[axis], 1
    # inclusive scan: after the round of ``shift``, element i holds the product
    # of elements max(0, i - 2 shift + 1)..i; log2(n) rounds of vectorised products
    while shift < length:
        a = np.concatenate([a[head + (slice(None, shift),)],
                            a[head + (slice(shift, None),)] * a[head + (slice(None, -shift),)]],
                           axis=axis)
        shift *= 2
    return a


# ------------------------------------------------------------- covariance

def _observations(engine, x, rowvar):
    """x as a 2-d array with one variable per row (numpy.cov's reading)."""
    if not is_dual(engine, x):
        x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = x.reshape(1, 1)
    elif x.ndim == 1:
        x = x.reshape(1, -1)
    elif x.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if not rowvar and x.shape[0] != 1:
        x = x.T
    return x


@_implements(np.cov)
def _cov(engine, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None,
         *, dtype=None):
    engine.refuse("cov", {}, dtype=dtype)
    plain(engine, "cov", fweights=fweights, aweights=aweights)
    x = _observations(engine, m, rowvar)
    if y is not None:
        x = np.concatenate([x, _observations(engine, y, rowvar)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    # the combined weights, checked as numpy checks them
    weights = None
    if fweights is not None or aweights is not None:
        weights = _combined_weights(x.shape[1], fweights, aweights)
    centre, weight_sum = np.average(x, axis=1, weights=weights, returned=True)
    weight_sum = np.asarray(weight_sum).reshape(-1)[0]
    if weights is None:
        fact = x.shape[1] - ddof
    elif ddof == 0:
        fact = weight_sum
    elif aweights is None:
        fact = weight_sum - ddof
    else:
        fact = weight_sum - ddof * np.sum(weights * np.asarray(aweights, dtype=float)) / weight_sum
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
        fact = 0.0
    deviations = x - centre.reshape(-1, 1)
    weighted = deviations if weights is None else deviations * weights
    with np.errstate(divide="ignore"):
        inverse = np.true_divide(1, fact)
    product = (deviations @ weighted.T) * inverse
    return finish(product, tuple(n for n in product.shape if n != 1))


def _combined_weights(count, fweights, aweights):
    weights = np.ones(count)
    if fweights is not None:
        fweights = np.asarray(fweights)
        if not np.all(fweights == np.around(fweights)):
            raise TypeError("fweights must be integer")
        if fweights.shape != (count,):
            raise RuntimeError("incompatible numbers of samples and fweights")
        if np.any(fweights < 0):
            raise ValueError("fweights cannot be negative")
        weights = weights * fweights
    if aweights is not None:
        aweights = np.asarray(aweights, dtype=np.float64)
        if aweights.shape != (count,):
            raise RuntimeError("incompatible numbers of samples and aweights")
        if np.any(aweights < 0):
            raise ValueError("aweights cannot be negative")
        weights = weights * aweights
    return weights


@_implements(np.corrcoef)
def _corrcoef(engine, x, y=None, rowvar=True, *, dtype=None):
    engine.refuse("corrcoef", {}, dtype=dtype)
    c = np.cov(x, y, rowvar)
    if not hasattr(c, "shape") or c.shape == ():
        return c / c                      # numpy: nan for a zero variance, else 1
    diagonal = np.arange(c.shape[0])
    spread = np.sqrt(c[diagonal, diagonal])
    c = c / spread.reshape(-1, 1)
    c = c / spread.reshape(1, -1)
    return np.clip(c, -1, 1)              # as numpy: rounding may leave |c| above 1
