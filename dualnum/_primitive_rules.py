"""The chain rule of a user primitive (dualnum/primitive.py) beyond first-order Duals.

Every order is built from the first: ``d f(u) = sum_i f_i(u) du_i`` with the
partial f_i evaluated on ``u`` one order lower, so f_i must itself be
differentiable (a primitive with its own derivative, or code written with
dualnum functions).  A plain-float partial works at order 1 only; at higher
orders it raises the TypeError of :func:`differentiable`.

- Jet (order K): ``w' = sum_i f_i(u) u_i'`` on jets of order K - 1, then
  integrated term by term (``w_k = p_{k-1} / k``).
- Dual2: f(u0) plus the second-order Taylor polynomial in ``du = u - u0``,
  with slopes and the matrix of second partials read from the partials on
  Duals (so the Dual2 arithmetic, in hvp mode too, does the rest).
- Dual2Array (hessian's compiled array): the same on value arrays, one call
  of each partial on a DualArray with one tangent direction per varying
  argument; the arguments' entries go side by side.
- Nested and Duals of other calls: the rule at the innermost call's level,
  value and partials evaluated on the numbers of the enclosing calls.

As in the core, a zero tangent stays zero where a slope is inf or nan.
"""
import numpy as np

from dualnum._array import parts, result
from dualnum._core import Dual, dual_from, dual_parts
from dualnum._hessian_array import components, make
from dualnum._nested import Nested, level
from dualnum._number import Number, new_tag
from dualnum._second import Dual2
from dualnum._taylor import Jet


def name_of(func):
    return getattr(func, "__name__", None) or type(func).__name__


class NotDifferentiable(TypeError):
    """A primitive's derivative met numbers of a higher order than it handles."""


def differentiable(partial, args, func, i):
    """partial(*args) where args hold dual numbers: a plain-float partial fails here."""
    try:
        return partial(*args)
    except NotDifferentiable:
        raise                          # a primitive inside the partial said it (first)
    except TypeError as error:
        kinds = sorted({type(a).__name__ for a in args
                        if not isinstance(a, (float, int, np.ndarray))})
        raise NotDifferentiable(
            f"the derivative of primitive {name_of(func)!r} (argument {i}) could not be "
            f"evaluated on {', '.join(kinds)}: a higher derivative differentiates the given "
            "derivative, which works with plain floats only.  Make that derivative a "
            "primitive with its own derivative (dn.primitive(df, d2f)), or write it with "
            f"dualnum/numpy functions.  ({error})") from error


def _real(x):
    return x if isinstance(x, Number) else float(x)


# ------------------------------------------------------------------ scalars

def on_nested(prim, args):
    """The rule at the innermost call's level: Nested numbers, Duals of several calls."""
    levels = [level(a) for a in args]
    tag = max(t for t, _, _ in levels)
    values = [v if t == tag else a for a, (t, v, _) in zip(args, levels)]
    k = max(len(p) for t, _, p in levels if t == tag)
    value = _real(prim(*values))
    out = [0.0] * k
    for i, (t, _, tangent) in enumerate(levels):
        if t != tag or all(type(p) is float and p == 0.0 for p in tangent):
            continue
        slope = differentiable(prim.partials[i], values, prim.func, i)
        for j, p in enumerate(tangent):
            if not (type(p) is float and p == 0.0):    # strong zeros
                out[j] = out[j] + slope * p
    out = [_real(p) for p in out]
    if type(value) is float and all(type(p) is float for p in out):
        return dual_from(value, np.array(out, dtype=np.float64), tag)
    return Nested(value, out, tag)


def on_jets(prim, args):
    """Taylor coefficients of f(u) for jets u (or floats) of one series."""
    order = min(a.order for a in args if type(a) is Jet)
    series = [np.array(a.coefficients[:order + 1]) if type(a) is Jet else None for a in args]
    points = [s[0] if s is not None else a for a, s in zip(args, series)]
    value = float(prim.func(*points))
    if order == 0:
        return Jet([value])
    # the arguments one order lower; at order 1 plain floats (a float partial works)
    lower = [Jet(s[:order]) if s is not None and order > 1 else p for s, p in zip(series, points)]
    powers = np.arange(1, order + 1)
    product = np.zeros(order)                       # of f(u)' = sum_i f_i(u) u_i'
    for i, s in enumerate(series):
        if s is None or not s[1:].any():
            continue
        slope = differentiable(prim.partials[i], lower, prim.func, i)
        slope = np.array(slope.coefficients if type(slope) is Jet else [float(slope)])
        product += np.convolve(slope, s[1:] * powers)[:order]
    return Jet([value, *(product / powers)])


def _slopes_and_curvatures(prim, points, varying, make_seed, read):
    """For the varying arguments (positions), each partial's value and its
    derivatives along all of them: (slopes[r], second[r][s])."""
    tag = new_tag()
    m = len(varying)
    seeded = list(points)
    for r, i in enumerate(varying):
        seeded[i] = make_seed(points[i], r, m, tag)
    slopes, second = [], []
    for i in varying:
        slope, row = read(differentiable(prim.partials[i], seeded, prim.func, i), tag, m)
        slopes.append(slope)
        second.append(row)
    return slopes, second


def _seed_scalar(x, r, m, tag):
    return dual_from(float(x), np.eye(m)[r], tag)


def _read_scalar(d, tag, m):
    if type(d) is not Dual or dual_parts(d)[2] != tag:
        return float(d), np.zeros(m)
    value, partials, _ = dual_parts(d)
    return value, partials


def on_dual2(prim, args):
    """f(u0) + sum_r f_r du_r + 1/2 sum_rs f_rs du_r du_s, on Dual2 arithmetic."""
    varying = [i for i, a in enumerate(args) if type(a) is Dual2]
    points = [a.value if type(a) is Dual2 else a for a in args]
    slopes, second = _slopes_and_curvatures(prim, points, varying, _seed_scalar, _read_scalar)
    steps = [args[i] - points[i] for i in varying]
    out = float(prim.func(*points))
    for r, step in enumerate(steps):
        curvature = sum(0.5 * second[r][s] * steps[s] for s in range(len(steps)))
        out = out + step * (slopes[r] + curvature)
    return out


# ------------------------------------------------------------ hessian's array

def _seed_array(x, r, m, tag):
    tangent = np.zeros(np.shape(x) + (m,))
    tangent[..., r] = 1.0
    return result(np.asarray(x, dtype=np.float64), tangent, tag)


def _read_array(d, tag, m):
    value, tangent = parts(d, tag, m)
    value = np.asarray(value, dtype=np.float64)
    return value, (np.zeros(value.shape + (m,)) if tangent is None else np.asarray(tangent))


def on_dual2_arrays(prim, args, array_type, on_values):
    """f on hessian's compiled array: value, gradient and curvature entries
    per element, each partial called once on whole value arrays."""
    first = next(a for a in args if isinstance(a, array_type))
    tag, n = first.tag, first.n
    varying = [i for i, a in enumerate(args) if isinstance(a, (array_type, Dual2))]
    pieces = {i: components(args[i], tag, n) for i in varying}
    points = [pieces[i][0] if i in pieces else np.asarray(a, dtype=np.float64)
              for i, a in enumerate(args)]
    shape = np.broadcast_shapes(*(np.shape(p) for p in points))
    value = on_values(prim.func, points, shape, "value")
    points = [np.broadcast_to(p, shape) for p in points]
    slopes, second = _slopes_and_curvatures(prim, points, varying, _seed_array, _read_array)
    index, grad, blocks = [], [], []
    for r, i in enumerate(varying):
        _, idx, g, c = pieces[i]
        w = idx.shape[-1]
        slope = np.broadcast_to(slopes[r], shape)[..., None]
        index.append(np.broadcast_to(idx, shape + (w,)))
        grad.append(_strong(slope, np.broadcast_to(g, shape + (w,))))
        g = np.broadcast_to(g, shape + (w,))
        row = []
        for s, j in enumerate(varying):
            gj = np.broadcast_to(pieces[j][2], shape + (pieces[j][1].shape[-1],))
            outer = g[..., :, None] * gj[..., None, :]
            block = _strong(np.broadcast_to(second[r][..., s], shape)[..., None, None], outer)
            if s == r:
                block = block + _strong(slope[..., None], np.broadcast_to(c, shape + (w, w)))
            row.append(block)
        blocks.append(np.concatenate(row, axis=-1))
    # the loop runs over the primitive's arguments (a few), not over elements or directions
    curv = np.concatenate(blocks, axis=-2)
    curv = 0.5 * (curv + np.swapaxes(curv, -1, -2))
    return make(value, np.concatenate(index, axis=-1), np.concatenate(grad, axis=-1), curv, n, tag)


def _strong(slope, tangent):
    """slope * tangent, zero where the tangent is (as in the core)."""
    with np.errstate(invalid="ignore"):
        return np.where(tangent == 0.0, 0.0, slope * tangent)
