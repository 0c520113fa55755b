"""sum, mean, cumsum and diff of both array orders, written once.

Each handler takes the order's engine as its first argument (DualArray:
``_FirstOrder`` of dualnum/_array.pyx; the array of hessian: ``_SecondOrder``
of dualnum/_hessian_array.pyx) and reads the call the same way for both.
What differs is where the derivatives live, so that part is the engine's:

* sum, mean and cumsum are linear maps of the elements, which
  ``engine.reduce`` and ``engine.cumulate`` apply in the order's storage
  (the first order maps its tangent with the numpy function itself, the
  second merges rows of variables; see ``TangentPrimitives`` in
  dualnum/_functions_shape.py and ``RowPrimitives`` in
  dualnum/_hessian_functions.py);
* diff is the difference of neighbours, each order's own subtraction.

Options an order does not support are refused by ``engine.refuse``
(TypeError for DualArray; NotCompiled for the array of hessian, which then
evaluates f on an object array of Dual2s).  numpy.linalg.norm is not here:
the first order has a closed form for its derivative that takes every axis
and numpy's own norm value, the second needs the curvature and composes the
norm from its rules (dualnum/_functions_linalg.py, _hessian_functions.py).
"""
import numpy as np

from dualnum._function_args import axes as _axes, function_table

__all__ = ["FUNCTIONS", "own_array"]

# numpy function -> handler(engine, *args, **kwargs), part of both orders' tables
FUNCTIONS, _implements = function_table()


def own_array(engine, name, a):
    """a, which must be an array of the engine's order (the array argument of
    numpy.{name}); else the order's error, ``engine.foreign``."""
    if not isinstance(a, engine.array):
        raise engine.foreign(name, a)
    return a


# Each handler asks engine.refuse only when an option is given: the common
# call gives none, and the full sum is the hot path of gradients (W3, W4).

@_implements(np.sum)
def _sum(engine, a, axis=None, dtype=None, out=None, keepdims=False, **options):
    if options or dtype is not None or out is not None:
        engine.refuse("sum", options, dtype=dtype, out=out)
    if not isinstance(a, engine.array):         # own_array, inline on the hot path
        raise engine.foreign("sum", a)
    if axis is None and not keepdims:
        return engine.sum_all(a)                # compiled
    return engine.reduce(a, np.sum, axis, keepdims)


@_implements(np.mean)
def _mean(engine, a, axis=None, dtype=None, out=None, keepdims=False, **options):
    if options or dtype is not None or out is not None:
        engine.refuse("mean", options, dtype=dtype, out=out)
    return engine.reduce(own_array(engine, "mean", a), np.mean, axis, keepdims)


@_implements(np.cumsum)
def _cumsum(engine, a, axis=None, dtype=None, out=None):
    if dtype is not None or out is not None:
        engine.refuse("cumsum", {}, dtype=dtype, out=out)
    own_array(engine, "cumsum", a)
    if axis is None:                            # as numpy: over the flattened array
        a, axis = a.reshape(-1), 0
    return engine.cumulate(a, _axes(axis, a.ndim)[0])


@_implements(np.diff)
def _diff(engine, a, n=1, axis=-1, **options):
    if options:                                 # prepend=, append=
        engine.refuse("diff", options)
    own_array(engine, "diff", a)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    head = (slice(None),) * _axes(axis, a.ndim)[0]
    for _ in range(n):                          # numpy's definition, in the order's arithmetic
        a = a[head + (slice(1, None),)] - a[head + (slice(None, -1),)]
    return a
