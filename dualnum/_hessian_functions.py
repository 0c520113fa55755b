"""numpy functions on Dual2Array, the compiled second-order array of hessian().

Each is written with the array's compiled operations (arithmetic, indexing,
sums) or, for reductions and selections, with numpy on its component arrays
(value, index, grad, curv; see dualnum/_hessian_array.pyx).  Arguments these
versions do not handle raise NotCompiled, and hessian() evaluates f again on
an object array of Dual2s.
"""
import numpy as np

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:                                     # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple

from dualnum._array import _not_real
from dualnum._function_args import function_table
from dualnum._hessian_array import Dual2Array, NotCompiled, components, linear, make, sum_all
from dualnum._second import Dual2

# numpy function -> handler, for Dual2Array.__array_function__
FUNCTIONS, implements = function_table()


def _source(*operands):
    """(tag, n) of the first second-order operand."""
    for x in operands:
        if isinstance(x, (Dual2Array, Dual2)):
            return x.tag, (x.n if isinstance(x, Dual2Array) else len(x.gradient))
    raise NotCompiled("no second-order operand")


def _no_options(name, **options):
    if any(value is not None and value is not False for value in options.values()):
        raise NotCompiled(f"numpy.{name} with {sorted(k for k, v in options.items() if v)}")


def _dual_array(name, a):
    if not isinstance(a, Dual2Array):
        raise NotCompiled(f"numpy.{name} of a {type(a).__name__}")
    return a


# ------------------------------------------------------------ reductions

def _axes(axis, ndim):
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(normalize_axis_tuple(axes, ndim)))


def _reduce(a, axis, keepdims, value, scale):
    """sum (scale 1) or mean over ``axis`` as a linear map of a."""
    axes = _axes(axis, a.ndim)
    kept = [d for d in range(a.ndim) if d not in axes]
    flat = np.arange(a.size).reshape(a.shape).transpose(kept + list(axes))
    length = int(np.prod([a.shape[d] for d in axes], dtype=np.intp))
    rows = flat.size // length if length else int(np.prod([a.shape[d] for d in kept]))
    src = flat.reshape(rows, length)
    ptr = np.arange(0, rows * length + 1, length) if length else np.zeros(rows + 1, np.intp)
    coef = np.full(src.size, scale(length))
    return linear(a, np.asarray(value), ptr, src.reshape(-1), coef)


@implements(np.sum)
def _sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    a = _dual_array("sum", a)
    _no_options("sum", dtype=dtype, out=out, initial=initial, where=where)
    if axis is None and not keepdims:
        return sum_all(a)
    value = a.value.sum(axis=axis, keepdims=keepdims)
    return _reduce(a, tuple(range(a.ndim)) if axis is None else axis, keepdims, value,
                   lambda length: 1.0)


@implements(np.mean)
def _mean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    a = _dual_array("mean", a)
    _no_options("mean", dtype=dtype, out=out, where=where)
    if a.size == 0:
        raise NotCompiled("the mean of an empty array")
    value = a.value.mean(axis=axis, keepdims=keepdims)
    return _reduce(a, tuple(range(a.ndim)) if axis is None else axis, keepdims, value,
                   lambda length: 1.0 / length)


@implements(np.cumsum)
def _cumsum(a, axis=None, dtype=None, out=None):
    a = _dual_array("cumsum", a)
    _no_options("cumsum", dtype=dtype, out=out)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axes(axis, a.ndim)[0]
    # worked along the last axis: element i of a line sums elements 0..i
    order = [d for d in range(a.ndim) if d != axis] + [axis]
    lines = np.arange(a.size).reshape(a.shape).transpose(order)
    length = lines.shape[-1]
    lines = lines.reshape(-1, length)
    below = np.tril(np.ones((length, length), dtype=bool))
    src = np.broadcast_to(lines[:, None, :], (len(lines), length, length))[
        np.broadcast_to(below, (len(lines), length, length))]
    counts = np.tile(np.arange(1, length + 1), len(lines))
    ptr = np.concatenate(([0], np.cumsum(counts)))
    value = np.cumsum(a.value, axis=axis).transpose(order)
    moved = linear(a, value, ptr, src, np.ones(src.size))
    return moved.transpose(np.argsort(order))


# ------------------------------------------------------------ selections

def _take(a, positions, axis):
    """np.take_along_axis of a's components (axis >= 0): each picked element
    brings its own derivatives."""
    parts = []
    for component, trailing in zip((a.value, a.index, a.grad, a.curv), (0, 1, 1, 2)):
        where = positions.reshape(positions.shape + (1,) * trailing)
        parts.append(np.take_along_axis(component, where, axis=axis))
    return make(*parts, a.n, a.tag)


def _extremum(name, pick, reducer, a, axis, out, keepdims, initial, where):
    """max/min: the derivatives of the element argmax/argmin picks (the first
    of ties), as for first-order arrays."""
    a = _dual_array(name, a)
    _no_options(name, out=out, initial=initial, where=where)
    value = reducer(a.value, axis=axis, keepdims=keepdims)     # numpy's errors (empty arrays)
    if axis is None:
        a, axis = a.reshape(-1), 0
    elif isinstance(axis, tuple):
        raise NotCompiled(f"numpy.{name} over several axes")
    axis = _axes(axis, a.ndim)[0]
    picked = _take(a, np.expand_dims(pick(a.value, axis=axis), axis), axis)
    return picked.reshape(np.shape(value)) if np.ndim(value) else picked[(0,) * picked.ndim]


@implements(np.max, np.amax)
def _max(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum("max", np.argmax, np.max, a, axis, out, keepdims, initial, where)


@implements(np.min, np.amin)
def _min(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum("min", np.argmin, np.min, a, axis, out, keepdims, initial, where)


@implements(np.sort)
def _sort(a, axis=-1, kind=None, order=None, *, stable=None):
    a = _dual_array("sort", a)
    _no_options("sort", order=order)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axes(axis, a.ndim)[0]
    # a stable argsort, so that each element's derivatives travel with it
    return _take(a, np.argsort(a.value, axis=axis, kind="stable"), axis)


# ------------------------------------------------------------ products

@implements(np.dot, np.matmul)
def _product(a, b, out=None, **kwargs):
    if out is not None or kwargs:
        raise NotCompiled("a product with out= or other options")
    a, b = _operand(a), _operand(b)
    ndim_a, ndim_b = np.ndim(_value(a)), np.ndim(_value(b))
    if ndim_a in (1, 2) and ndim_b in (1, 2):
        np.dot(_value(a), _value(b))           # numpy's error for shapes that do not align
    if ndim_a == 1 and ndim_b == 1:
        return sum_all(a * b)
    if ndim_a == 2 and ndim_b == 1:
        return _sum(a * b[None, :], axis=1)
    if ndim_a == 1 and ndim_b == 2:
        return _sum(a[:, None] * b, axis=0)
    if ndim_a == 2 and ndim_b == 2:
        return _sum(a[:, :, None] * b[None, :, :], axis=1)
    raise NotCompiled("a product of arrays with more than two dimensions")


@implements(np.inner)
def _inner(a, b):
    """The sum over the last axes of a and b: dot(a, b.T) for a matrix b."""
    b = _operand(b)
    if np.ndim(_value(b)) == 2:
        b = b.T
    return _product(a, b)


@implements(np.vdot)
def _vdot(a, b):
    """The sum of the products of the flattened operands."""
    if np.size(_value(a)) != np.size(_value(b)):
        raise ValueError("vdot needs operands of the same size")
    return sum_all(_flat(a) * _flat(b))


def _operand(x):
    """A second-order operand as it is, anything else as a float64 array."""
    if isinstance(x, (Dual2Array, Dual2)):
        return x
    a = np.asarray(x)
    if a.dtype.kind == "O":                 # e.g. np.array([x[0], x[1]]): numpy's object loops
        raise NotCompiled("an object array (e.g. of dual numbers)")
    if a.dtype.kind not in "biuf":
        raise _not_real(a, "an operand of the array of hessian")
    return a.astype(np.float64, copy=False)


def _flat(x):
    return x.reshape(-1) if isinstance(x, Dual2Array) else np.ravel(x)


def _value(x):
    if isinstance(x, (Dual2Array, Dual2)):
        return x.value
    return np.asarray(x, dtype=float)


@implements(np.linalg.norm)
def _norm(x, ord=None, axis=None, keepdims=False):
    x = _dual_array("linalg.norm", x)
    if ord is not None or axis is not None or keepdims:
        raise NotCompiled("numpy.linalg.norm with ord, axis or keepdims")
    return np.sqrt(sum_all(x * x))


# ------------------------------------------------------------ shapes

@implements(np.reshape)
def _reshape(a, *args, **kwargs):
    a = _dual_array("reshape", a)
    if len(args) + len(kwargs) != 1:
        raise NotCompiled("numpy.reshape with these arguments")
    shape = args[0] if args else kwargs.get("shape", kwargs.get("newshape"))
    return a.reshape(shape)


@implements(np.ravel)
def _ravel(a, order="C"):
    a = _dual_array("ravel", a)
    if order != "C":
        raise NotCompiled("numpy.ravel with order != 'C'")
    return a.reshape(-1)


@implements(np.transpose)
def _transpose(a, axes=None):
    return _dual_array("transpose", a).transpose(axes)


@implements(np.diff)
def _diff(a, n=1, axis=-1, prepend=None, append=None):
    a = _dual_array("diff", a)
    _no_options("diff", prepend=prepend, append=append)
    axis = _axes(axis, a.ndim)[0]
    head = tuple([slice(None)] * axis)
    for _ in range(n):
        a = a[head + (slice(1, None),)] - a[head + (slice(None, -1),)]
    return a


def _padded(parts, width):
    value, index, grad, curv = parts
    extra = width - index.shape[-1]
    if extra == 0:
        return value, index, grad, curv
    pad = [(0, 0)] * value.ndim
    return (value, np.pad(index, pad + [(0, extra)], constant_values=-1),
            np.pad(grad, pad + [(0, extra)]), np.pad(curv, pad + [(0, extra), (0, extra)]))


def _common(operands, tag, n):
    """The operands' components padded to one width."""
    parts = [components(x, tag, n) for x in operands]
    width = max(p[1].shape[-1] for p in parts)
    return [_padded(p, width) for p in parts]


def _to_join(name, arrays, out, dtype, casting):
    """(the arrays' padded components, tag, n) for concatenate and stack."""
    _no_options(name, out=out, dtype=dtype, casting=casting)
    arrays = list(arrays)
    tag, n = _source(*arrays)
    return _common(arrays, tag, n), tag, n


@implements(np.concatenate)
def _concatenate(arrays, axis=0, out=None, dtype=None, casting=None):
    parts, tag, n = _to_join("concatenate", arrays, out, dtype, casting)
    if axis is None:
        parts = [(v.reshape(-1), i.reshape(-1, i.shape[-1]), g.reshape(-1, g.shape[-1]),
                  h.reshape((-1,) + h.shape[-2:])) for v, i, g, h in parts]
        axis = 0
    ndim = parts[0][0].ndim
    if ndim == 0:
        raise NotCompiled("concatenating scalars")
    axis = _axes(axis, ndim)[0]
    joined = [np.concatenate([p[k] for p in parts], axis=axis) for k in range(4)]
    return make(*joined, n, tag)


@implements(np.stack)
def _stack(arrays, axis=0, out=None, dtype=None, casting=None):
    parts, tag, n = _to_join("stack", arrays, out, dtype, casting)
    shapes = {p[0].shape for p in parts}
    if len(shapes) != 1:
        raise ValueError("all input arrays must have the same shape")
    axis = _axes(axis, parts[0][0].ndim + 1)[0]
    joined = [np.stack([p[k] for p in parts], axis=axis) for k in range(4)]
    return make(*joined, n, tag)


@implements(np.where)
def _where(condition, x=None, y=None):
    if x is None or y is None or isinstance(condition, (Dual2Array, Dual2)):
        raise NotCompiled("numpy.where with one argument or a dual condition")
    tag, n = _source(x, y)
    (vx, ix, gx, hx), (vy, iy, gy, hy) = _common([x, y], tag, n)
    condition = np.asarray(condition, dtype=bool)
    shape = np.broadcast_shapes(condition.shape, vx.shape, vy.shape)
    c = np.broadcast_to(condition, shape)

    def pick(a, b, trailing):
        """Elementwise choice between a and b, which have ``trailing`` axes more."""
        full = lambda t: np.broadcast_to(t, shape + t.shape[t.ndim - trailing:])  # noqa: E731
        return np.where(c[(...,) + (None,) * trailing], full(a), full(b))

    return make(pick(vx, vy, 0), pick(ix, iy, 1), pick(gx, gy, 1), pick(hx, hy, 2), n, tag)


@implements(np.clip)
def _clip(a, a_min=None, a_max=None, out=None, **kwargs):
    if out is not None or kwargs:
        raise NotCompiled("numpy.clip with out= or other options")
    if a_min is not None:
        a = np.maximum(a, a_min)
    if a_max is not None:
        a = np.minimum(a, a_max)
    return a


# ------------------------------------------------------------ ufuncs written with others

@implements(np.square)
def _square(x):
    return x * x


@implements(np.reciprocal)
def _reciprocal(x):
    return 1.0 / x


@implements(np.positive)
def _positive(x):
    return x
