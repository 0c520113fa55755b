"""numpy.fft on DualArray and on its complex intermediates.

The transforms are linear, so the tangent is transformed like the value:
numpy's own transform of the tangent array along the same (non-negative)
axes, all k directions in one call, the trailing direction axis left alone.
A sparse tangent is densified first (a transform mixes every element of its
axes).  A complex result is a ComplexDualArray (dualnum/_complex_array.py),
a real one (``irfft``, ``hfft``, ``irfft2``, ``irfftn``) a DualArray.
``fftshift``/``ifftshift`` move elements: the tangent moves with them and
stays sparse if it is (at both orders).  ``fftfreq``/``rfftfreq`` take no
array and are not dispatched: they work as they do without dualnum.

The options are numpy's (``n``/``s``, ``axis``/``axes``, ``norm``); ``out=``
raises TypeError naming it.

hessian and hvp (SECOND_ORDER, joined into dualnum/_hessian_array.pyx's
table): their array holds real numbers, so a transform is a real linear map
of the real and imaginary parts (a ComplexParts, dualnum/_complex_parts.py),
compiled by ``engine.linear`` with the dense matrix of one 1-D transform per
axis: O(m) entries per element for an axis of length m, against numpy's
O(log m) at first order.
"""
import inspect
from typing import Any

import numpy as np

from dualnum._array_reductions import own_array
from dualnum._complex_array import ComplexDualArray
from dualnum._complex_parts import ComplexParts
from dualnum._function_args import axes as _axes, function_table, reject_options

__all__ = ["FUNCTIONS", "SECOND_ORDER"]

# numpy function -> handler(engine, *args, **kwargs), for DualArray and ComplexDualArray
FUNCTIONS, _implements = function_table()

_ONE_AXIS = (np.fft.fft, np.fft.ifft, np.fft.rfft, np.fft.irfft, np.fft.hfft, np.fft.ihfft)
_MANY_AXES = (np.fft.fft2, np.fft.ifft2, np.fft.rfft2, np.fft.irfft2,
              np.fft.fftn, np.fft.ifftn, np.fft.rfftn, np.fft.irfftn)
_SHIFTS = (np.fft.fftshift, np.fft.ifftshift)


def _transformed_axes(ndim, s, axes):
    """The non-negative axes an n-d transform works on; numpy's default for
    ``axes=None``: all axes, or the last len(s)."""
    if axes is None:
        axes = range(ndim) if s is None else range(ndim - len(s), ndim)
    return _axes(tuple(axes), ndim)


def _parts(engine, a, name):
    """(value, dense tangent) of a DualArray or a ComplexDualArray."""
    if isinstance(a, ComplexDualArray):
        return a.value, a.tangent
    own_array(engine, f"fft.{name}", a)
    return a.value, a.tangent                   # .tangent densifies a sparse tangent


def _result(engine, value, tangent, a):
    """The transform of a: complex in a's mode (holomorphic or the real path);
    real only on the real path (irfft & co. take real parts)."""
    holomorphic = getattr(a, "holomorphic", False)
    if np.iscomplexobj(value):
        return ComplexDualArray(value, tangent, a.tag, engine, FUNCTIONS, holomorphic)
    if holomorphic:
        a._holomorphic_only("a transform to real numbers (irfft, hfft, ...)")
    return engine.result(value, np.ascontiguousarray(tangent), a.tag)


def _one_axis(func):
    name = func.__name__

    def transform(engine, a, n=None, axis=-1, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        value, tangent = _parts(engine, a, name)
        result = func(value, n, axis, norm)     # numpy checks the arguments
        tangent = func(tangent, n, _axes(axis, value.ndim)[0], norm)
        return _result(engine, result, tangent, a)

    return transform


def _many_axes(func):
    name = func.__name__
    default_axes = inspect.signature(func).parameters["axes"].default

    def transform(engine, a, s=None, axes=default_axes, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        value, tangent = _parts(engine, a, name)
        result = func(value, s, axes, norm)     # numpy checks (and warns about) the arguments
        tangent = func(tangent, s, _transformed_axes(value.ndim, s, axes), norm)
        return _result(engine, result, tangent, a)

    return transform


def _shift(func):
    name = func.__name__

    def shift(engine, x, axes=None):
        if not isinstance(x, ComplexDualArray):
            own_array(engine, f"fft.{name}", x)
        value = func(x.value, axes)             # not _parts: a sparse tangent stays sparse
        axes = tuple(range(value.ndim)) if axes is None else _axes(axes, value.ndim)

        def move(component):                    # the value's axes; trailing ones stay
            return func(component, axes)

        if isinstance(x, ComplexDualArray):
            return ComplexDualArray(value, move(x.tangent), x.tag, engine, FUNCTIONS,
                                    x.holomorphic)
        return engine.restructure(x, value, move)

    return shift


_func: Any                           # numpy functions of different signatures
for _func in _ONE_AXIS:
    _implements(_func)(_one_axis(_func))
for _func in _MANY_AXES:
    _implements(_func)(_many_axes(_func))
for _func in _SHIFTS:
    _implements(_func)(_shift(_func))


# ------------------------------------------------------------ second order
# The array of hessian holds real numbers: a transform there is a real linear
# map of the real and imaginary parts (engine.linear, compiled), one 1-D
# transform per axis (numpy's n-d transforms are such products), with the
# map's matrix read off numpy's transform of the unit vectors.

def _one_dimensional_steps(func, shape, s, axes):
    """The (1-D transform, n, axis) whose product is the n-d ``func``."""
    name = func.__name__
    axes = _transformed_axes(len(shape), s, axes)
    if s is None:
        s = [shape[a] for a in axes]
        if name.startswith("irfft"):
            s[-1] = 2 * (shape[axes[-1]] - 1)
    plain = [(np.fft.ifft if name.startswith(("ifft", "irfft")) else np.fft.fft, n, a)
             for n, a in zip(s[:-1], axes[:-1])]
    if name.startswith("rfft"):
        return [(np.fft.rfft, s[-1], axes[-1])] + plain
    if name.startswith("irfft"):
        return plain + [(np.fft.irfft, s[-1], axes[-1])]
    return plain + [(np.fft.ifft if name.startswith("ifft") else np.fft.fft, s[-1], axes[-1])]


def _apply_step(engine, parts, value, step, norm):
    """One 1-D transform of (re, im) (each a Dual2Array or a constant) whose
    value is ``value``: (re, im, its complex value); numpy checks the arguments."""
    func, n, axis = step
    result = func(value, n, axis, norm)
    m = value.shape[axis]
    # column j of P is the transform of the unit vector e_j, of Q that of i e_j
    matrices = (func(np.eye(m), n, 0, norm), func(1j * np.eye(m), n, 0, norm)
                if parts[1] is not None else None)
    out = []
    for take in (np.real, np.imag):
        sources = [(part, take(matrix)) for part, matrix in zip(parts, matrices)
                   if isinstance(part, engine.array) and take(matrix).any()]
        plain = np.array(take(result), dtype=np.float64)
        out.append(_along(engine, sources, value.shape, axis, plain) if sources else plain)
    return out[0], (out[1] if np.iscomplexobj(result) else None), result


def _along(engine, sources, shape, axis, value):
    """sum over sources of matrix @ part along ``axis``, with the given value:
    one linear map of the sources' elements (engine.linear)."""
    src, coef, offset = [], [], 0
    for part, matrix in sources:
        lines = np.moveaxis(np.arange(part.size).reshape(shape) + offset, axis, -1)
        rows = lines.shape[:-1] + matrix.shape
        # result element (..., i) gathers (..., j) with matrix[i, j]; i back in place
        src.append(np.moveaxis(np.broadcast_to(lines[..., None, :], rows), -2, axis))
        coef.append(np.moveaxis(np.broadcast_to(matrix, rows), -2, axis))
        offset += part.size
    width = sum(matrix.shape[1] for _, matrix in sources)
    src = np.concatenate(src, axis=-1).reshape(-1, width)
    coef = np.concatenate(coef, axis=-1).reshape(-1, width)
    x = sources[0][0].reshape(-1) if len(sources) == 1 else np.concatenate(
        [part.reshape(-1) for part, _ in sources])
    ptr = np.arange(0, src.size + 1, width)
    return engine.linear(x, value, ptr, src.reshape(-1), coef.reshape(-1))


def _second_order_parts(engine, a, name):
    """(re, im or None) and the value of a Dual2Array (real) or a ComplexParts."""
    if isinstance(a, ComplexParts):
        return [a.re, a.im], a.value
    own_array(engine, f"fft.{name}", a)
    return [a, None], a.value


def _second_order_result(engine, re, im):
    return re if im is None else ComplexParts(re, im, engine, SECOND_ORDER)


def _one_axis_second_order(func):
    name = func.__name__

    def transform(engine, a, n=None, axis=-1, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        parts, value = _second_order_parts(engine, a, name)
        axis = _axes(axis, value.ndim)[0] if value.ndim else axis
        re, im, _ = _apply_step(engine, parts, value, (func, n, axis), norm)
        return _second_order_result(engine, re, im)

    return transform


def _many_axes_second_order(func):
    name = func.__name__
    default_axes = inspect.signature(func).parameters["axes"].default

    def transform(engine, a, s=None, axes=default_axes, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        parts, value = _second_order_parts(engine, a, name)
        func(value, s, axes, norm)              # numpy checks (and warns about) the arguments
        for step in _one_dimensional_steps(func, value.shape, s, axes):
            re, im, value = _apply_step(engine, parts, value, step, norm)
            parts = [re, im]
        return _second_order_result(engine, *parts)

    return transform


def _shift_second_order(func):
    name = func.__name__

    def shift(engine, x, axes=None):
        if isinstance(x, ComplexParts):
            return ComplexParts(func(x.re, axes), func(x.im, axes), engine, SECOND_ORDER)
        parts = engine.components(own_array(engine, f"fft.{name}", x), x.tag, x.n)
        value = func(parts[0], axes)
        axes = tuple(range(value.ndim)) if axes is None else _axes(axes, value.ndim)
        # value, index, grad, curv: the value's axes move, the trailing ones stay
        return engine.make(value, *(func(c, axes) for c in parts[1:]), x.n, x.tag)
    return shift


# numpy function -> handler, for the array of hessian (and its ComplexParts)
SECOND_ORDER: dict[Any, Any] = {**{func: _one_axis_second_order(func) for func in _ONE_AXIS},
                **{func: _many_axes_second_order(func) for func in _MANY_AXES},
                **{func: _shift_second_order(func) for func in _SHIFTS}}
