"""The forward passes on an array point: seed a DualArray with a chunk of
directions (as dualnum/_plan.py chooses), evaluate f once, read its result.

f receives a DualArray of the point's shape (a scalar Dual for a 0-d point),
so numpy code runs through the fused kernels and scalar-style code
(``x[0] * x[1]``) gets scalar Duals by indexing.
"""
import numpy as np

from dualnum import _plan
from dualnum._array import DenseTangentTooLarge, seed_block, seed_sparse, set_dense_budget
from dualnum._complex_array import ComplexDualArray
from dualnum._functions_fft import FUNCTIONS as _FFT
from dualnum._number import new_tag
from dualnum._read import read, same_shape
from dualnum._slow_path import converted, objects
from dualnum.dualarray import DualArray


def seed(point, tangent, tag):
    """f's argument: ``point`` (float64, not modified) with ``tangent`` of shape
    point.shape + (k,); a 0-d point is passed as a scalar Dual."""
    x = DualArray._wrap(point.copy(), tangent, tag, True)     # fresh: f's operations may be recorded
    return x[()] if point.ndim == 0 else x


def _sparse_pass(f, point):
    """(value, J) from all directions stored sparsely, or None when f needs
    more dense derivatives than the budget allows."""
    tag = new_tag()
    previous = set_dense_budget(_plan.DENSE_BUDGET)
    try:
        result = f(seed_sparse(point, tag))
    except DenseTangentTooLarge:
        return None                   # f needs dense derivatives: chunks instead
    finally:
        set_dense_budget(previous)
    value, partials = read(result, tag, point.size)
    return value, partials.reshape(partials.shape[:-1] + point.shape)


def jacobian_passes(f, point, operation="jacobian"):
    """f(point) and J with J.shape == value.shape + point.shape (point: float64
    array); on object arrays of Duals when f converts its argument (the slow
    path, dualnum/_slow_path.py: named ``operation`` in its warning)."""
    n = point.size
    try:
        if 0 < n < _plan.SPARSE_SEEDING[0] and n <= _plan.MAX_CHUNK and point.ndim == 1:
            # array_plan's ONE_PASS for a small vector, inlined from _compiled_jacobian
            # since at n = 2 every microsecond outside f counts
            tag = new_tag()
            return read(f(seed_block(point, 0, n, tag)), tag, n)
        return _compiled_jacobian(f, point)
    except TypeError as error:
        if not converted(error, operation):
            raise
    return _object_jacobian(f, point)


def _compiled_jacobian(f, point):
    n = point.size
    plan = _plan.array_plan(n)
    if plan is _plan.SPARSE:
        found = _sparse_pass(f, point)
        if found is not None:
            return found
        plan = _plan.ONE_PASS if n <= _plan.MAX_CHUNK else _plan.CHUNKS
    if plan is _plan.ONE_PASS:        # the common case, without the chunk loop
        tag = new_tag()
        value, partials = read(f(seed_block(point, 0, n, tag)), tag, n)
        if point.ndim == 1:           # partials already end in the point's one axis
            return value, partials
        return value, partials.reshape(partials.shape[:-1] + point.shape)
    return _dense_jacobian(f, point)


def _object_jacobian(f, point):
    return _dense_jacobian(f, point, objects)


def _dense_jacobian(f, point, argument=None):
    """(value, J) from dense chunks of directions (one pass up to MAX_CHUNK);
    ``argument`` turns each seeded DualArray into f's argument (the slow path's
    object arrays)."""
    n = point.size
    if n == 0:
        tag = new_tag()
        x = seed(point, np.zeros(point.shape + (1,)), tag)
        value, _ = read(f(argument(x) if argument else x), tag, 1)
        return value, np.zeros(np.shape(value) + point.shape)
    value = jac = None
    for start, k in _plan.chunks(n):
        tag = new_tag()
        x = seed_block(point, start, k, tag)
        chunk_value, partials = read(f(argument(x) if argument else x), tag, k)
        if k == n:                # one pass: the partials are the whole Jacobian
            return chunk_value, partials.reshape(partials.shape[:-1] + point.shape)
        if jac is None:
            value = chunk_value
            jac = np.empty(partials.shape[:-1] + (n,), dtype=partials.dtype)
        else:
            same_shape(value, chunk_value)
        jac[..., start:start + k] = partials
    return value, jac.reshape(jac.shape[:-1] + point.shape)


def jvp_pass(f, point, direction=None, operation="jvp"):
    """f(point) and J @ direction in one evaluation (both float64 arrays of one
    shape; no direction: all ones, the elementwise derivative); on object
    arrays of Duals when f converts its argument, as jacobian_passes."""
    try:
        return _jvp(f, point, direction)
    except TypeError as error:
        if not converted(error, operation):
            raise
    return _object_jvp(f, point, direction)


def _object_jvp(f, point, direction):
    return _jvp(f, point, direction, objects)


def _jvp(f, point, direction, argument=None):
    tag = new_tag()
    if direction is None:
        tangent = np.ones(point.shape + (1,))
    else:
        tangent = direction[..., np.newaxis].copy()
    x = seed(point, tangent, tag)
    value, partials = read(f(argument(x) if argument else x), tag, 1)
    if type(value) is float:
        return value, float(partials[0])
    if partials.ndim == 1 and not isinstance(value, np.ndarray):   # a number of an enclosing call
        return value, partials[0]
    return value, partials[..., 0]


def complex_pass(f, point, direction=None):
    """f(point) and J (no direction; J.shape == value.shape + point.shape) or
    J @ direction, complex128, at a complex point (a complex128 array) in
    holomorphic mode: f runs once on a ComplexDualArray seeded with every
    direction (a scalar ComplexDual for a 0-d point)."""
    if direction is None:
        tangent = np.eye(point.size, dtype=np.complex128).reshape(point.shape + (point.size,))
    else:
        tangent = np.asarray(direction, dtype=np.complex128)[..., np.newaxis]
    tag = new_tag()
    k = tangent.shape[-1]
    x = ComplexDualArray(point.copy(), tangent, tag, DualArray._engine, _FFT, holomorphic=True)
    value, partials = read(f(x[()] if point.ndim == 0 else x), tag, k)
    value = np.asarray(value, dtype=np.complex128)
    partials = np.asarray(partials, dtype=np.complex128)
    if direction is not None:
        return value, partials[..., 0]
    return value, partials.reshape(partials.shape[:-1] + point.shape)
