"""numpy.fft on DualArray and on its complex intermediates.

The transforms are linear, so the tangent is transformed like the value:
numpy's own transform of the tangent array along the same (non-negative)
axes, all k directions in one call, the trailing direction axis left alone.
A sparse tangent is densified first (a transform mixes every element of its
axes).  A complex result is a ComplexDualArray (dualnum/_complex_array.py),
a real one (``irfft``, ``hfft``, ``irfft2``, ``irfftn``) a DualArray.
``fftshift``/``ifftshift`` move elements: the tangent moves with them and
stays sparse if it is (at both orders).  ``fftfreq``/``rfftfreq`` take no array and are not
dispatched: they work as they do without dualnum.

The options are numpy's (``n``/``s``, ``axis``/``axes``, ``norm``); ``out=``
raises TypeError naming it.  hessian and hvp refuse the transforms with a TypeError
(SECOND_ORDER): their array has no complex numbers.
"""
import inspect

import numpy as np

from dualnum._array_reductions import own_array
from dualnum._complex_array import ComplexDualArray
from dualnum._function_args import axes as _axes, function_table, reject_options

__all__ = ["FUNCTIONS", "SECOND_ORDER"]

# numpy function -> handler(engine, *args, **kwargs), for DualArray and ComplexDualArray
FUNCTIONS, _implements = function_table()

_ONE_AXIS = (np.fft.fft, np.fft.ifft, np.fft.rfft, np.fft.irfft, np.fft.hfft, np.fft.ihfft)
_MANY_AXES = (np.fft.fft2, np.fft.ifft2, np.fft.rfft2, np.fft.irfft2,
              np.fft.fftn, np.fft.ifftn, np.fft.rfftn, np.fft.irfftn)
_SHIFTS = (np.fft.fftshift, np.fft.ifftshift)


def _parts(engine, a, name):
    """(value, dense tangent) of a DualArray or a ComplexDualArray."""
    if isinstance(a, ComplexDualArray):
        return a.value, a.tangent
    own_array(engine, f"fft.{name}", a)
    return a.value, a.tangent                   # .tangent densifies a sparse tangent


def _result(engine, value, tangent, tag):
    if np.iscomplexobj(value):
        return ComplexDualArray(value, tangent, tag, engine, FUNCTIONS)
    return engine.result(value, np.ascontiguousarray(tangent), tag)


def _one_axis(func):
    name = func.__name__

    def transform(engine, a, n=None, axis=-1, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        value, tangent = _parts(engine, a, name)
        result = func(value, n, axis, norm)     # numpy checks the arguments
        tangent = func(tangent, n, _axes(axis, value.ndim)[0], norm)
        return _result(engine, result, tangent, a.tag)

    return transform


def _many_axes(func):
    name = func.__name__
    default_axes = inspect.signature(func).parameters["axes"].default

    def transform(engine, a, s=None, axes=default_axes, norm=None, out=None):
        reject_options(f"fft.{name}", {}, out=out)
        value, tangent = _parts(engine, a, name)
        result = func(value, s, axes, norm)     # numpy checks (and warns about) the arguments
        if axes is None:                        # numpy's default: all axes, or the last len(s)
            axes = range(value.ndim) if s is None else range(value.ndim - len(s), value.ndim)
        tangent = func(tangent, s, _axes(tuple(axes), value.ndim), norm)
        return _result(engine, result, tangent, a.tag)

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
            return ComplexDualArray(value, move(x.tangent), x.tag, engine, FUNCTIONS)
        return engine.restructure(x, value, move)

    return shift


for _func in _ONE_AXIS:
    _implements(_func)(_one_axis(_func))
for _func in _MANY_AXES:
    _implements(_func)(_many_axes(_func))
for _func in _SHIFTS:
    _implements(_func)(_shift(_func))


# ------------------------------------------------------------ second order

def _refused_at_second_order(func):
    name = func.__name__

    def refuse(engine, *args, **kwargs):
        raise TypeError(
            f"numpy.fft.{name} is not supported by hessian/hvp: their second-order array "
            "has no complex numbers yet (gradient, jacobian and jvp take np.fft). For a "
            "Hessian, write the transform as real matrix products, e.g. rfft along the "
            "last axis: with F = np.exp(-2j * np.pi * np.outer(np.arange(n // 2 + 1), "
            "np.arange(n)) / n), x @ F.real.T and x @ F.imag.T are its real and "
            "imaginary parts")
    return refuse


def _shift_second_order(func):
    def shift(engine, x, axes=None):
        parts = engine.components(own_array(engine, f"fft.{func.__name__}", x), x.tag, x.n)
        value = func(parts[0], axes)
        axes = tuple(range(value.ndim)) if axes is None else _axes(axes, value.ndim)
        # value, index, grad, curv: the value's axes move, the trailing ones stay
        return engine.make(value, *(func(c, axes) for c in parts[1:]), x.n, x.tag)
    return shift


# numpy function -> handler, for the array of hessian: the shifts move rows;
# the transforms raise TypeError, not NotCompiled, since the object-array
# fallback cannot run np.fft either
SECOND_ORDER = {**{func: _refused_at_second_order(func) for func in _ONE_AXIS + _MANY_AXES},
                **{func: _shift_second_order(func) for func in _SHIFTS}}
