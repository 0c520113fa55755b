"""The numpy functions both array orders share, written once on component arrays.

An array of either order is a tuple of component arrays whose first is the
value and whose others extend the value's shape by trailing axes:

* order 1 (DualArray): ``(value, tangent)``, the tangent with one trailing
  axis of k directions;
* order 2 (Dual2Array of hessian): ``(value, index, grad, curv)`` with one,
  one and two trailing axes of w row entries.

Moving elements (joining, stacking, choosing, picking) moves every component
the same way on the value's axes and leaves the trailing axes alone, so each
such operation is one function here.  Each order's handlers
(dualnum/_functions_shape.py, dualnum/_hessian_functions.py) check the
arguments, turn the operands into components of one width and build the
result; these functions only move elements, and leave shape errors to numpy.
"""
import numpy as np

from dualnum._function_args import axes as _axes

__all__ = ["choose", "concatenate", "flatten", "gather", "pad_rows", "reshaped", "stack",
           "take_along", "transposed"]


def _trailing(component, value):
    """How many axes ``component`` has beyond those of ``value``."""
    return component.ndim - value.ndim


def flatten(parts):
    """The components of a 1-d array of the same elements, in C order."""
    value = parts[0]
    return tuple(c.reshape((value.size,) + c.shape[value.ndim:]) for c in parts)


def concatenate(operands, axis):
    """numpy.concatenate of arrays given as components (axis None: flattened first)."""
    if axis is None:
        operands, axis = [flatten(p) for p in operands], 0
    value = np.concatenate([p[0] for p in operands], axis=axis)    # numpy checks shapes
    axis = _axes(axis, operands[0][0].ndim)[0]
    return (value,) + tuple(np.concatenate([p[c] for p in operands], axis=axis)
                            for c in range(1, len(operands[0])))


def stack(operands, axis):
    """numpy.stack of arrays given as components."""
    value = np.stack([p[0] for p in operands], axis=axis)          # numpy checks shapes
    axis = _axes(axis, value.ndim)[0]
    return (value,) + tuple(np.stack([p[c] for p in operands], axis=axis)
                            for c in range(1, len(operands[0])))


def choose(condition, x, y):
    """numpy.where(condition, x, y) of two arrays given as components: every
    component of an element comes from the operand its value comes from."""
    condition = np.asarray(condition)
    value = np.where(condition, x[0], y[0])
    return (value,) + tuple(
        np.where(condition[(...,) + (None,) * _trailing(a, x[0])], a, b)
        for a, b in zip(x[1:], y[1:]))


def take_along(parts, positions, axis):
    """numpy.take_along_axis of every component (axis >= 0): each picked
    element brings its derivatives."""
    value = parts[0]
    return tuple(np.take_along_axis(c, positions.reshape(positions.shape + (1,) * _trailing(c, value)),
                                    axis=axis)
                 for c in parts)


def pad_rows(parts, width):
    """Components of sparse rows -- (value, index, then one array per entry
    index, e.g. weight; or grad and curv) -- padded to ``width`` entries, so
    that arrays of different widths can be joined: index -1 and zeros mark
    an unused entry, in both orders' row storage (dualnum/_rows.pxd)."""
    value, index = parts[0], parts[1]
    extra = width - index.shape[-1]
    if extra == 0:
        return parts

    def widths(component):
        return [(0, 0)] * value.ndim + [(0, extra)] * _trailing(component, value)

    return (value, np.pad(index, widths(index), constant_values=-1)) + tuple(
        np.pad(c, widths(c)) for c in parts[2:])


def gather(operands, source, rows):
    """The components of the elements ``source`` picks from the operands
    flattened and joined end to end: an array of the result's shape whose
    entries number those elements (operand j's element i is its offset plus
    i).  ``rows``: the operands are sparse rows (see :func:`pad_rows`), padded
    to one width first.  The value component is gathered too."""
    if rows:
        width = max(p[1].shape[-1] for p in operands)
        operands = [pad_rows(p, width) for p in operands]
    joined = [np.concatenate(c) for c in zip(*(flatten(p) for p in operands))]
    return tuple(np.take(c, source, axis=0) for c in joined)


# ------------------------------------------------------------ shape moves
# How a reshape or transpose of the value moves a component with ``trailing``
# axes more (one by default: a DualArray's tangent or a row of entries).

def reshaped(shape):
    """The move of a reshape of the value to ``shape`` (a tuple, no -1)."""
    def move(component, trailing=1):
        return component.reshape(shape + component.shape[component.ndim - trailing:])
    return move


def transposed(order):
    """The move of a transpose of the value by ``order`` (non-negative axes)."""
    ndim = len(order)

    def move(component, trailing=1):
        return component.transpose(order + tuple(range(ndim, ndim + trailing)))
    return move
