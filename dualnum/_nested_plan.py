"""The nested plan: the point holds numbers of an enclosing differentiation
call (a derivative, gradient, jacobian or jvp inside another call's function).

Each variable is seeded with a Nested number of a new call whose value is
the point's number (dualnum/_nested.pyx keeps the two calls' perturbations
apart), f is evaluated once, and dualnum/_read.pyx reads its result into
numbers of the enclosing call: object arrays of them for array results.
They are Python objects: they serve correctness, not speed.
"""
import numpy as np

from dualnum._core import dual_from, scalar_seed
from dualnum._number import new_tag
from dualnum._read import read_elementwise, read_enclosing, value_and_first_partial
from dualnum._nested import Nested, is_dual_number
from dualnum._object_arrays import DualObjects


def _point_elements(x):
    """The scalar numbers of a point holding dual numbers of an enclosing call, and its shape."""
    if hasattr(x, "directions") and hasattr(x, "tangent"):         # a DualArray
        return [x[index] for index in np.ndindex(x.shape)], x.shape
    if is_dual_number(x):
        return [x], ()
    arr = np.asarray(x, dtype=object)
    for item in arr.reshape(-1):
        if not (is_dual_number(item) or isinstance(item, (int, float, np.integer, np.floating))):
            raise TypeError(f"x must contain real or dual numbers, got {type(item).__name__}")
    return [item if is_dual_number(item) else float(item) for item in arr.reshape(-1)], arr.shape


def _point_array(x):
    """The point as an object array of its scalar numbers (a number for a scalar point)."""
    items, shape = _point_elements(x)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr.reshape(shape) if shape else items[0]


def derivative_pass(f, x):
    """(f(x), f'(x)) at a point x that is itself a dual number of an enclosing call."""
    tag = new_tag()
    return read_elementwise(f(Nested(x, [1.0], tag)), tag)


def jvp_pass(f, x, v):
    """(f(x), J v): the derivative of f(x + t v) at t = 0, t seeded by a new
    call (v None: all ones, the elementwise derivative)."""
    base = _point_array(x)
    direction = np.ones(np.shape(base)) if v is None else np.asarray(v, dtype=np.float64)
    if direction.shape != np.shape(base):
        raise ValueError(f"v must have the shape of x, {np.shape(base)}; got {direction.shape}")
    seed = scalar_seed(0.0)
    return value_and_first_partial(f(base + seed * direction), seed)


def jacobian_pass(f, x):
    """(f(x), J): every element is seeded with its own direction of a new
    call, and f's result is read per element."""
    items, shape = _point_elements(x)
    n = len(items)
    tag = new_tag()
    seeds = np.empty(n, dtype=object)
    for i, item in enumerate(items):
        direction = [0.0] * n
        direction[i] = 1.0
        seeds[i] = (Nested(item, direction, tag) if is_dual_number(item)
                    else dual_from(item, np.array(direction), tag))    # a float: a Dual of this call
    values, partials = read_enclosing(f(seeds.reshape(shape).view(DualObjects) if shape else seeds[0]),
                                      tag, n)
    return values, partials.reshape(np.shape(values) + shape)
