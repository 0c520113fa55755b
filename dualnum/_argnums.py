"""argnums: differentiate a multi-argument f with respect to some of its arguments.

The selected arguments are flattened into one vector, so gradient and
jacobian run unchanged on a one-argument wrapper; the result's last axis is
then split back into one block per selected argument.
"""
import operator

import numpy as np

from dualnum._points import as_array


def index(a, nargs, what):
    """One argument index as a non-negative int (negative counts from the end)."""
    if isinstance(a, bool):
        raise TypeError(f"{what} must be an int, got bool")
    try:
        a = operator.index(a)
    except TypeError:
        raise TypeError(f"{what} must be an int, got {type(a).__name__}") from None
    if not -nargs <= a < nargs:
        raise ValueError(f"{what} = {a} is out of range for {nargs} arguments")
    return a % nargs


def normalize(argnums, nargs):
    """argnums as a tuple of distinct non-negative ints, plus whether it was a single int."""
    single = not isinstance(argnums, (tuple, list))
    items = (argnums,) if single else tuple(argnums)
    result = tuple(index(a, nargs, "argnums" if single else "each argnums entry") for a in items)
    if not result:
        raise ValueError("argnums must select at least one argument")
    if len(set(result)) != len(result):
        raise ValueError(f"argnums has repeated entries: {argnums!r}")
    return result, single


def select(f, args, argnums):
    """Return (g, point, split) with g(vector) == f(*args with selected args from vector)."""
    if not isinstance(args, (tuple, list)):
        raise TypeError(
            f"with argnums, x must be the tuple of f's arguments, got {type(args).__name__}")
    args = tuple(args)
    nums, single = normalize(argnums, len(args))
    points = [as_array(args[i], name=f"argument {i}") for i in nums]
    sizes = [p.size for p in points]
    offsets = np.cumsum([0] + sizes)
    point = np.concatenate([p.reshape(-1) for p in points]) if points else np.empty(0)

    def g(vector):
        full = list(args)
        for i, p, lo, hi in zip(nums, points, offsets[:-1], offsets[1:]):
            piece = vector[lo:hi]
            full[i] = piece[0] if p.ndim == 0 else piece.reshape(p.shape)
        return f(*full)

    def split(result):
        """Cut the last axis of result (one entry per flattened variable) per argument."""
        lead = result.shape[:-1]
        blocks = []
        for p, lo, hi in zip(points, offsets[:-1], offsets[1:]):
            block = result[..., lo:hi].reshape(lead + p.shape)
            if block.ndim == 0:           # a scalar argument: a float (or a number of
                block = block[()] if block.dtype == object else float(block)   # an enclosing call)
            blocks.append(block)
        return blocks[0] if single else tuple(blocks)

    return g, point, split
