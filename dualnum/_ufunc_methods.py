"""numpy's ufunc methods -- reduce, accumulate, reduceat, outer, at -- on the
arrays of both orders, written once.

Each method is built from what both array orders compute themselves
(elementwise ufunc calls, indexing, reshape/transpose, concatenate, where,
sum, cumsum), so the derivatives are those of the table's rules.  Every
method first runs numpy's own method on the values: its result fixes the
shape, and numpy raises its own errors (axes, empty reductions, ``where``
without ``initial``) before any dual arithmetic.  A reduction works on
"lines": the reduced axes moved to the front and merged into one of length
m; ``initial`` is a constant line put first (numpy's order), and elements
left out by ``where`` are the ufunc's identity (or, with no identity, are
skipped in the left-to-right order).

Reductions and accumulations, by ufunc:

* ``add``: the sum and cumsum of the order (linear, exact).
* ``maximum``, ``minimum``, ``fmax``, ``fmin``: the value is numpy's; the
  derivatives are those of the element it equals, the first of ties (as
  np.max, np.argmax), so ``initial`` wins a tie (derivative 0).  A nan
  result (maximum/minimum with a nan, fmax/fmin when all are nan) takes the
  first nan's derivatives.  Accumulating, element i takes the derivatives
  of the first element where the running result reached its value.
* ``logaddexp``, ``logaddexp2``: m + log(sum(exp(x - m))) with m numpy's
  result (softmax weights as derivatives); an entry of +inf gives nan
  derivatives.
* the other associative rows (``multiply``, ``hypot``): a tree of pairwise
  calls of the ufunc, log2(m) vectorised steps (multiply: the product rule
  on pairs, exact with zeros, as np.prod's prefix/suffix products);
  accumulating, a Hillis-Steele scan, log2(m) steps.
* the others (``subtract``, ``divide``, ``power``, ``arctan2``,
  ``copysign``, ``fmod``, ``floor_divide``, ``remainder``, ``heaviside``):
  numpy's left to right order, one vectorised call per element of the line.

``reduceat`` reduces each segment as ``reduce`` does (a loop over the
segments).  ``outer`` broadcasts the operands and calls the ufunc.  ``at``
is unbuffered: the indices are split into rounds (the r-th occurrence of
each position), one vectorised call per round, so repeated indices apply in
order; the array is then replaced in place.  ``out=`` must be an array of
the same order (assigned into); ``dtype`` may only be None or float64.
Anything else is refused: a TypeError naming it at first order,
NotCompiled at second (hessian then uses its object-array path).
"""
import numpy as np

from dualnum._function_args import axes as _axes
from dualnum._table import ROWS as _ROWS

__all__ = ["apply"]

# the function table's binary ufuncs: what reduce, accumulate and reduceat take
_BINARY = frozenset(row.ufunc.__name__ for row in _ROWS if row.arity == 2 and row.ufunc is not None)
_PICKS = frozenset({"maximum", "minimum", "fmax", "fmin"})
_LOG_SUMS = {"logaddexp": (np.exp, np.log), "logaddexp2": (np.exp2, np.log2)}
_ASSOCIATIVE = frozenset({"add", "multiply", "hypot"}) | _PICKS | frozenset(_LOG_SUMS)
_NO_VALUE = np._NoValue


def apply(engine, ufunc, method, inputs, kwargs):
    """``ufunc.method(*inputs, **kwargs)`` where an input is an array of the
    engine's order (dualnum/_array.pyx or dualnum/_hessian_array.pyx)."""
    name = ufunc.__name__
    kwargs = dict(kwargs)
    out = kwargs.pop("out", None)
    dtype = kwargs.pop("dtype", None)
    if dtype is not None and np.dtype(dtype) != np.float64:
        engine.refuse(f"{name}.{method}", {}, dtype=dtype)
    if method in ("reduce", "accumulate", "reduceat") and name not in _BINARY:
        raise _unsupported(engine, f"numpy.{name}.{method}")
    run = _METHODS.get(method)
    if run is None:
        raise _unsupported(engine, f"numpy.{name}.{method}")
    result = run(engine, ufunc, inputs, kwargs)
    if out is None:
        return result
    return _store(engine, out[0] if isinstance(out, tuple) and len(out) == 1 else out, result, name)


def _unsupported(engine, what):
    return getattr(engine, "unsupported", TypeError)(f"{what} is not supported for dual arrays")


def _own(engine, a, name):
    if not isinstance(a, engine.array):
        raise _unsupported(engine, f"numpy.{name} of a {type(a).__name__} (not a dual array)")
    return a


def _store(engine, target, result, name):
    """out=: write result into target, an array of the same order."""
    if not isinstance(target, engine.array):
        raise _unsupported(engine, f"numpy.{name} with out= a {type(target).__name__}")
    assign = getattr(engine, "assign", None)
    if assign is None:
        target[...] = result                     # DualArray: assignment into its storage
    elif isinstance(result, engine.array):
        assign(target, result)
    else:
        raise _unsupported(engine, f"numpy.{name} with out= for a scalar result")
    return target


# ------------------------------------------------------------ lines

def _lines(x, axes):
    """x (a dual or plain array) with ``axes`` moved to the front and merged
    into one: shape (m,) + the other axes' shape."""
    kept = [d for d in range(x.ndim) if d not in axes]
    m = int(np.prod([x.shape[d] for d in axes], dtype=np.intp))
    moved = x.transpose(list(axes) + kept) if x.ndim else x
    return moved.reshape((m,) + tuple(x.shape[d] for d in kept))


def _same(a, b):
    """a == b, nan equal to nan."""
    return (a == b) | (np.isnan(a) & np.isnan(b))


def _pick(lines, positions):
    """The elements of lines at ``positions`` along the first axis (positions:
    shape (j,) + the other axes' shape), with their derivatives."""
    rest = lines.shape[1:]
    count = int(np.prod(rest, dtype=np.intp))
    flat = lines.reshape((lines.shape[0], count))
    j = positions.shape[0]
    return flat[positions.reshape(j, count), np.arange(count)].reshape((j,) + rest)


def _tree(ufunc, lines):
    """ufunc over each line as a balanced tree of pairwise calls (associative ufuncs)."""
    while lines.shape[0] > 1:
        m = lines.shape[0]
        half = m // 2
        paired = ufunc(lines[0:2 * half:2], lines[1:2 * half:2])
        lines = paired if m % 2 == 0 else np.concatenate([paired, lines[m - 1:]])
    return lines


def _in_order(ufunc, lines, mask):
    """ufunc over each line left to right; elements where ``mask`` is False
    leave the running result as it is (the first element is never masked)."""
    result = lines[0:1]
    for i in range(1, lines.shape[0]):
        step = ufunc(result, lines[i:i + 1])
        result = step if mask is None else np.where(mask[i:i + 1], step, result)
    return result


def _reduce_lines(ufunc, lines, mask, value):
    """ufunc.reduce of each line (shape (1,) + others); ``value``: numpy's
    result on the values, of shape (1,) + others."""
    name = ufunc.__name__
    if lines.shape[0] == 0:                      # the identity, a constant
        return np.sum(lines, axis=0, keepdims=True) + value
    if name in _PICKS:
        found = _same(lines.value, value)
        if mask is not None:
            found &= mask
        return _pick(lines, np.argmax(found, axis=0, keepdims=True))
    if mask is not None and ufunc.identity is not None:
        lines, mask = np.where(mask, lines, float(ufunc.identity)), None
    if name == "add":
        return np.sum(lines, axis=0, keepdims=True)
    if name in _LOG_SUMS:
        exp, log = _LOG_SUMS[name]
        shift = np.where(np.isfinite(value), value, 0.0)
        total = np.sum(exp(lines - shift), axis=0, keepdims=True)
        some = total.value > 0.0                 # else all -inf: numpy's -inf, derivative 0
        return np.where(some, log(np.where(some, total, 1.0)) + shift, value)
    if name in _ASSOCIATIVE and mask is None:
        return _tree(ufunc, lines)
    return _in_order(ufunc, lines, mask)


def _prepend(lines, mask, initial):
    """``initial`` as a constant first line (numpy puts it first)."""
    first = np.full((1,) + lines.shape[1:], float(initial))
    lines = np.concatenate([first, lines])
    if mask is not None:
        mask = np.concatenate([np.ones(first.shape, dtype=bool), mask])
    return lines, mask


# ------------------------------------------------------------ the methods

def _reduce(engine, ufunc, inputs, kwargs):
    name = f"{ufunc.__name__}.reduce"
    axis = kwargs.pop("axis", 0)
    keepdims = kwargs.pop("keepdims", False)
    initial = kwargs.pop("initial", _NO_VALUE)
    where = kwargs.pop("where", True)
    if kwargs:
        engine.refuse(name, kwargs)
    a = _own(engine, inputs[0], name)
    given = {} if initial is _NO_VALUE else {"initial": initial}
    if ufunc.__name__ == "add" and where is True and not given:
        return np.sum(a, axis=axis, keepdims=keepdims)       # the order's own sum
    value = np.asarray(ufunc.reduce(a.value, axis=axis, keepdims=keepdims, where=where, **given))
    axes = tuple(range(a.ndim)) if axis is None else _axes(axis, a.ndim)
    lines = _lines(a, axes)
    mask = None if where is True else _lines(np.broadcast_to(np.asarray(where, dtype=bool), a.shape), axes)
    if given:
        lines, mask = _prepend(lines, mask, initial)
    result = _reduce_lines(ufunc, lines, mask, value.reshape((1,) + lines.shape[1:]))
    return result.reshape(value.shape)


def _along_one_axis(engine, ufunc, method, inputs, kwargs):
    """(a, numpy's result on its values, axis, the axis order that puts axis
    first) of accumulate or reduceat."""
    name = f"{ufunc.__name__}.{method}"
    axis = kwargs.pop("axis", 0)
    if kwargs:
        engine.refuse(name, kwargs)
    a = _own(engine, inputs[0], name)
    value = getattr(ufunc, method)(a.value, *inputs[1:], axis=axis)     # numpy's errors
    axis = _axes(axis, a.ndim)[0]
    return a, value, axis, [axis] + [d for d in range(a.ndim) if d != axis]


def _accumulate(engine, ufunc, inputs, kwargs):
    a, value, axis, order = _along_one_axis(engine, ufunc, "accumulate", inputs, kwargs)
    if ufunc.__name__ == "add":
        return np.cumsum(a, axis=axis)
    result = _scan(ufunc, a.transpose(order), value.transpose(order))
    return result.transpose(list(np.argsort(order)))


def _scan(ufunc, lines, value):
    """ufunc.accumulate along the first axis of ``lines``; ``value``: numpy's."""
    name, m = ufunc.__name__, lines.shape[0]
    if name in _PICKS:
        # each element: the first element where the running result took its value
        new = np.ones(value.shape, dtype=bool)
        new[1:] = ~_same(value[1:], value[:-1])
        steps = np.arange(m).reshape((m,) + (1,) * (value.ndim - 1))
        return _pick(lines, np.maximum.accumulate(np.where(new, steps, 0), axis=0))
    if name in _ASSOCIATIVE:
        step = 1                                  # Hillis-Steele: log2(m) vectorised steps
        while step < m:
            lines = np.concatenate([lines[:step], ufunc(lines[:m - step], lines[step:])])
            step *= 2
        return lines
    running = [lines[0:1]]
    for i in range(1, m):
        running.append(ufunc(running[-1], lines[i:i + 1]))
    return np.concatenate(running) if m else lines


def _reduceat(engine, ufunc, inputs, kwargs):
    a, value, axis, order = _along_one_axis(engine, ufunc, "reduceat", inputs, kwargs)
    indices = np.asarray(inputs[1], dtype=np.intp)
    lines, values = a.transpose(order), value.transpose(order)
    ends = list(indices[1:]) + [lines.shape[0]]
    # numpy's segments: indices[i]:indices[i + 1], or the one element indices[i]
    # where the next index is not larger (a loop over the segments)
    parts = [_reduce_lines(ufunc, lines[start:end] if start < end else lines[start:start + 1],
                           None, values[i:i + 1])
             for i, (start, end) in enumerate(zip(indices, ends))]
    return np.concatenate(parts).transpose(list(np.argsort(order)))


def _outer(engine, ufunc, inputs, kwargs):
    where = kwargs.pop("where", True)
    if kwargs or where is not True:
        engine.refuse(f"{ufunc.__name__}.outer", dict(kwargs, **({} if where is True else {"where": where})))
    a, b = inputs
    ndim_b = np.ndim(b.value if hasattr(b, "value") else b)
    if np.ndim(a.value if hasattr(a, "value") else a):
        a = _expand(a, ndim_b)
    return ufunc(a, b)


def _expand(x, count):
    """x with ``count`` axes of length 1 after its own."""
    if hasattr(x, "value"):
        return x.reshape(x.shape + (1,) * count)
    x = np.asarray(x)
    return x.reshape(x.shape + (1,) * count)


def _at(engine, ufunc, inputs, kwargs):
    name = f"{ufunc.__name__}.at"
    if kwargs:
        engine.refuse(name, kwargs)
    a, indices = inputs[0], inputs[1]
    a = _own(engine, a, name)
    positions = np.arange(a.size).reshape(a.shape)[indices].reshape(-1)     # numpy's indexing
    operand = inputs[2] if len(inputs) > 2 else None
    scalar = operand is None or (not isinstance(operand, engine.array) and hasattr(operand, "value"))
    if not scalar:                             # an operand per index, flat as the positions
        shape = np.shape(np.arange(a.size).reshape(a.shape)[indices])
        if isinstance(operand, engine.array):
            operand = (operand * np.ones(shape)).reshape(-1)     # broadcast, values unchanged
        else:
            operand = np.broadcast_to(np.asarray(operand, dtype=np.float64), shape).reshape(-1)
    flat = a.reshape(-1)
    rounds = _occurrence(positions)
    for r in range(int(rounds.max()) + 1 if rounds.size else 0):     # one per repeat
        chosen = np.flatnonzero(rounds == r)
        targets = positions[chosen]
        current = flat[targets]
        if operand is None:
            new = ufunc(current)
        else:
            new = ufunc(current, operand if scalar else operand[chosen])
        gather = np.arange(a.size)            # the new elements replace their targets
        gather[targets] = a.size + np.arange(len(targets))
        flat = np.concatenate([flat, new])[gather]
    _store(engine, a, flat.reshape(a.shape), name)


def _occurrence(positions):
    """For each entry, how many earlier entries name the same position."""
    order = np.argsort(positions, kind="stable")
    ranked = positions[order]
    count = np.arange(len(ranked))
    starts = np.ones(len(ranked), dtype=bool)
    starts[1:] = ranked[1:] != ranked[:-1]
    rank = np.empty(len(ranked), dtype=np.intp)
    rank[order] = count - np.maximum.accumulate(np.where(starts, count, 0)) if len(ranked) else count
    return rank


_METHODS = {"reduce": _reduce, "accumulate": _accumulate, "reduceat": _reduceat,
            "outer": _outer, "at": _at}
