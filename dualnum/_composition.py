"""What the composed numpy functions share (dualnum/_functions_statistics.py,
_functions_signal.py, _functions_composite.py).

Those handlers are written with numpy calls on their dual operands (sum,
mean, sort, where, indexing, arithmetic, matmul), which dispatch again to
whichever array order the operands are: one handler serves DualArray and
the array of hessian alike.  The helpers here read values and shapes the
same way for both orders; ``engine`` is the order's primitives
(dualnum/_array.pyx's ``_FirstOrder`` or dualnum/_hessian_array.pyx's
``_SecondOrder``).
"""
import numpy as np

from dualnum._core import Dual
from dualnum._function_args import axes as _axes
from dualnum._second import Dual2

__all__ = ["finish", "front", "is_dual", "kept_shape", "plain", "replaced", "value_of"]


def is_dual(engine, x):
    """True for an array of the engine's order or a scalar dual number."""
    return isinstance(x, (engine.array, Dual, Dual2))


def value_of(engine, x):
    """The float64 values of an operand, dual or not."""
    if is_dual(engine, x):
        return np.asarray(x.value, dtype=np.float64)
    return np.asarray(x, dtype=np.float64)


def plain(engine, name, **operands):
    """Refuse dual numbers in arguments that have no derivative here (sample
    points, spacings, conditions): a TypeError naming the argument (the
    second order's NotCompiled, which then tries object arrays)."""
    for key, x in operands.items():
        if is_dual(engine, x) or (isinstance(x, (list, tuple))
                                  and any(is_dual(engine, item) for item in x)):
            engine.refuse(name, {key: x})


def front(a, axis):
    """a with the axes ``axis`` (None: all) moved to the front and joined into
    one: (array of shape (m,) + rest, the reduced axes as a tuple)."""
    ndim = a.ndim
    axes = tuple(range(ndim)) if axis is None else _axes(axis, ndim)
    if len(set(axes)) != len(axes):
        raise ValueError("repeated axis")
    rest = [i for i in range(ndim) if i not in axes]
    m = int(np.prod([a.shape[i] for i in axes], dtype=np.int64))
    if list(axes) + rest != list(range(ndim)):
        a = a.transpose(tuple(axes) + tuple(rest))
    return a.reshape((m,) + tuple(a.shape[len(axes):])), axes


def kept_shape(shape, axes, keepdims):
    """The shape of a reduction of ``shape`` over ``axes``."""
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def finish(result, shape):
    """result reshaped to ``shape``; a 0-d result as a scalar dual number, as
    numpy's reductions give a scalar."""
    if shape == ():
        return result.reshape(-1)[0]
    return result.reshape(shape)


def replaced(condition, fill, a):
    """np.where(condition, fill, a) for a dual a: a constant where replaced."""
    if not np.any(condition):
        return a
    return np.where(condition, fill, a)
