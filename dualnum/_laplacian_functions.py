"""numpy functions on LaplacianArray, the forward-Laplacian carrier of laplacian().

An array is the component tuple ``(value, grad, lap)``: grad extends the
value's shape by one trailing axis of n variables, lap has the value's shape
(the convention of dualnum/_array_functions.py, whose joins, choices and
shape moves are used here).  sum, mean, cumsum and diff, the functions that
only move entries, those that only read values and those written as numpy
compositions (var, std, cross, kron, polyval, interp, ...) are the ones the
other arrays share (dualnum/_array_reductions.py, _functions_moves.py,
_functions_values.py, _functions_composite.py, _functions_interp.py), on
CarrierPrimitives (``reduce``, ``cumulate``, ``components``, ``make``,
``linear``) below.  A linear function acts on the three alike; a
product of two carriers adds 2 g_a·g_b, contracted over the variables, to the
Laplacian:

    lap(a ⊗ b) = lap_a ⊗ b + a ⊗ lap_b + 2 Σ_i grad_a[..., i] ⊗ grad_b[..., i]

for every bilinear ⊗ (matmul, dot, inner, einsum of two operands).  A
function or an option not written here raises NotCarried, and laplacian()
takes the trace of hessian() instead.

The handlers take the carrier's primitives as their first argument,
``engine`` (dualnum/_laplacian_array.pyx: ``array``, ``made`` and
CarrierPrimitives' methods), so this module sits below the compiled carrier
and imports nothing of it.
"""
import numpy as np

from dualnum import _array_functions as _moves
from dualnum._function_args import axes as _axes, function_table, join_tables
from dualnum._functions_linalg import _direction_letter, _split_subscripts
from dualnum._array_reductions import FUNCTIONS as _REDUCTIONS
from dualnum._functions_composite import SECOND_ORDER_FUNCTIONS as _COMPOSED
from dualnum._functions_interp import FUNCTIONS as _INTERP
from dualnum._functions_moves import FUNCTIONS as _MOVES
from dualnum._functions_values import FUNCTIONS as _QUERIES, LIKE_FUNCTIONS
from dualnum._number import ForeignNumber

__all__ = ["CarrierPrimitives", "FUNCTIONS", "LIKE_FUNCTIONS", "NotCarried", "constant", "matmul"]


class NotCarried(Exception):
    """f used something the Laplacian carrier does not cover; laplacian() then
    takes the trace of hessian()."""


# numpy function -> handler(engine, *args, **kwargs): this module's own (joined
# with the shared ones at the end)
_OWN, implements = function_table()


# ------------------------------------------------------------ operands

def _source(engine, operands):
    """The first carrier among the operands; ForeignNumber for two calls' carriers."""
    found = [x for x in operands if isinstance(x, engine.array)]
    if not found:
        raise NotCarried("no Laplacian carrier among the operands")
    if any(x.tag != found[0].tag for x in found):
        raise ForeignNumber("cannot combine the arrays of different laplacian calls")
    return found[0]


def _parts(engine, x, n):
    """(value, grad, lap) of a carrier, or of a constant (zero derivatives)."""
    if isinstance(x, engine.array):
        return x.value, x.grad, x.lap
    value = constant(x)
    return value, np.zeros(value.shape + (n,)), np.zeros(value.shape)


class CarrierPrimitives:
    """The carrier's side of the numpy functions shared with the other arrays
    (reductions, moves, queries, compositions, ufunc methods), written on the
    compiled carrier's ``array`` and ``made``."""

    def components(self, x, tag, n):
        """(value, grad, lap) of an operand: a carrier's own, a constant's zeros."""
        if isinstance(x, self.array) and x.tag != tag:
            raise ForeignNumber("cannot combine the arrays of different laplacian calls")
        return _parts(self, x, n)

    def make(self, value, grad, lap, n, tag):
        return self.made(np.asarray(value, dtype=np.float64), np.asarray(grad, dtype=np.float64),
                         np.asarray(lap, dtype=np.float64), tag)

    def reduce(self, a, func, axis, keepdims):
        """np.sum or np.mean of a over ``axis`` (dualnum/_array_reductions.py)."""
        if func is np.mean and a.size == 0:
            raise NotCarried("the mean of an empty array")
        return _along(self, a, lambda c, ax: func(c, axis=ax, keepdims=keepdims), axis)

    def sum_all(self, a):
        return self.reduce(a, np.sum, None, False)

    def cumulate(self, a, axis):
        """np.cumsum of a along a non-negative axis."""
        return _along(self, a, lambda c, ax: np.cumsum(c, axis=ax), axis)

    def linear(self, a, value, ptr, src, coef):
        """The linear map of a's flattened elements whose result element r is
        Σ coef[t] a[src[t]] over t in ptr[r]:ptr[r+1], on all three components
        (np.pad's mean and linear_ramp modes)."""
        rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        coef = np.asarray(coef, dtype=np.float64)

        def mapped(component, trailing):
            flat = component.reshape((a.size,) + component.shape[component.ndim - trailing:])
            out = np.zeros((len(ptr) - 1,) + flat.shape[1:])
            np.add.at(out, rows, flat[src] * coef.reshape((-1,) + (1,) * trailing))
            return out.reshape(np.shape(value) + flat.shape[1:])
        return self.made(np.asarray(value, dtype=np.float64), mapped(a.grad, 1),
                         mapped(a.lap, 0), a.tag)

    @staticmethod
    def refuse(name, options, **defaults_only):
        _no_options(name, **options, **defaults_only)

    @staticmethod
    def foreign(name, a):
        return NotCarried(f"numpy.{name} of a {type(a).__name__}")


def _make(engine, parts, tag):
    return engine.made(np.asarray(parts[0], dtype=np.float64), *parts[1:], tag)


def _no_options(name, **options):
    given = sorted(k for k, v in options.items() if v is not None and v is not False)
    if given:
        raise NotCarried(f"numpy.{name} with {given}")


# ------------------------------------------------------------ along axes
# linear along value axes; the gradient's trailing axis is past them, so
# non-negative axes mean the same on all three components

def _along(engine, a, apply, axis):
    """apply(component, axis) on a's three components (axis None: all axes)."""
    if not isinstance(a, engine.array):
        raise NotCarried("a numpy function of a non-carrier operand")
    if axis is not None:
        axis = _axes(axis, a.ndim)
        axis = axis if len(axis) > 1 else axis[0]
    else:
        axis = tuple(range(a.ndim))
    return engine.made(np.asarray(apply(a.value, axis)), np.asarray(apply(a.grad, axis)),
                       np.asarray(apply(a.lap, axis)), a.tag)


def _extremum(engine, name, pick, reducer, a, axis, out, keepdims, initial, where):
    """max/min: the derivatives of the element argmax/argmin picks (the first
    of ties), as for the other arrays."""
    _no_options(name, out=out, initial=initial, where=where)
    if not isinstance(a, engine.array):
        raise NotCarried(f"numpy.{name} of a non-carrier operand")
    value = reducer(a.value, axis=axis, keepdims=keepdims)     # numpy's errors (empty arrays)
    if axis is None:
        a, axis = engine.made(*_moves.flatten((a.value, a.grad, a.lap)), a.tag), 0
    elif isinstance(axis, tuple):
        raise NotCarried(f"numpy.{name} over several axes")
    axis = _axes(axis, a.ndim)[0]
    positions = np.expand_dims(pick(a.value, axis=axis), axis)
    picked = engine.made(*_moves.take_along((a.value, a.grad, a.lap), positions, axis), a.tag)
    return np.reshape(picked, np.shape(value))


@implements(np.max, np.amax)
def _max(engine, a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum(engine, "max", np.argmax, np.max, a, axis, out, keepdims, initial, where)


@implements(np.min, np.amin)
def _min(engine, a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum(engine, "min", np.argmin, np.min, a, axis, out, keepdims, initial, where)


@implements(np.prod)
def _prod(engine, a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """The product rule on pairs (np.multiply.reduce: dualnum/_ufunc_methods.py)."""
    _no_options("prod", dtype=dtype, out=out, initial=initial, where=where)
    return np.multiply.reduce(a, axis=axis, keepdims=keepdims)


@implements(np.flip)
def _flip(engine, a, axis=None):
    return _along(engine, a, lambda c, ax: np.flip(c, axis=ax), axis)


# ------------------------------------------------------------ shape moves

def _moved(engine, a, value, move):
    """a with its value replaced by ``value`` and grad, lap moved as ``move`` does."""
    return engine.made(value, move(a.grad, 1), move(a.lap, 0), a.tag)


@implements(np.reshape)
def _reshape(engine, a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise NotCarried(f"numpy.reshape with order={order!r}")
    value = a.value.reshape(shape if shape is not None else newshape)
    return _moved(engine, a, value, _moves.reshaped(value.shape))


@implements(np.ravel)
def _ravel(engine, a, order="C"):
    return _reshape(engine, a, -1, order)


@implements(np.transpose)
def _transpose(engine, a, axes=None):
    order = tuple(reversed(range(a.ndim))) if axes is None else _axes(axes, a.ndim)
    return _moved(engine, a, a.value.transpose(order), _moves.transposed(order))


@implements(np.moveaxis)
def _moveaxis(engine, a, source, destination):
    # numpy's own construction of the order
    order = [d for d in range(a.ndim) if d not in _axes(source, a.ndim)]
    for dest, src in sorted(zip(_axes(destination, a.ndim), _axes(source, a.ndim))):
        order.insert(dest, src)
    return _transpose(engine, a, tuple(order))


@implements(np.swapaxes)
def _swapaxes(engine, a, axis1, axis2):
    order = list(range(a.ndim))
    i, j = _axes((axis1, axis2), a.ndim)
    order[i], order[j] = order[j], order[i]
    return _transpose(engine, a, tuple(order))


@implements(np.squeeze)
def _squeeze(engine, a, axis=None):
    return _reshape(engine, a, np.squeeze(a.value, axis=axis).shape)


@implements(np.expand_dims)
def _expand_dims(engine, a, axis):
    return _reshape(engine, a, np.expand_dims(a.value, axis).shape)


@implements(np.atleast_1d)
def _atleast_1d(engine, a):
    return _reshape(engine, a, np.atleast_1d(a.value).shape)


# ------------------------------------------------------------ joins, choices

def _joined(engine, arrays, join, axis):
    arrays = list(arrays)
    source = _source(engine, arrays)
    parts = [_parts(engine, x, source.n) for x in arrays]
    return _make(engine, join(parts, axis), source.tag)


@implements(np.concatenate)
def _concatenate(engine, arrays, axis=0, out=None, dtype=None, casting=None):
    _no_options("concatenate", out=out, dtype=dtype, casting=casting)
    return _joined(engine, arrays, _moves.concatenate, axis)


@implements(np.stack)
def _stack(engine, arrays, axis=0, out=None, dtype=None, casting=None):
    _no_options("stack", out=out, dtype=dtype, casting=casting)
    return _joined(engine, arrays, _moves.stack, axis)


@implements(np.hstack)
def _hstack(engine, tup, dtype=None, casting=None):
    _no_options("hstack", dtype=dtype, casting=casting)
    tup = [_atleast_1d(engine, x) if isinstance(x, engine.array) else np.atleast_1d(x) for x in tup]
    return _concatenate(engine, tup, axis=0 if all(np.ndim(_value(engine, x)) == 1 for x in tup) else 1)


def _value(engine, x):
    return x.value if isinstance(x, engine.array) else x


@implements(np.where)
def _where(engine, condition, x=None, y=None):
    if x is None or y is None:
        raise NotCarried("numpy.where with one argument")
    source = _source(engine, (x, y))
    a, b = _parts(engine, x, source.n), _parts(engine, y, source.n)
    shape = np.broadcast_shapes(np.shape(condition), a[0].shape, b[0].shape)

    def spread(parts):
        return (np.broadcast_to(parts[0], shape), np.broadcast_to(parts[1], shape + (source.n,)),
                np.broadcast_to(parts[2], shape))
    return _make(engine, _moves.choose(np.broadcast_to(condition, shape), spread(a), spread(b)),
                 source.tag)


# ------------------------------------------------------------ products

def _contract(engine, inputs, output, operands):
    """einsum(inputs -> output) of operands of which one or two are carriers:
    the value, the gradient (one more letter for the variables) and the
    Laplacian of the product rule."""
    source = _source(engine, operands)
    carriers = [i for i, x in enumerate(operands) if isinstance(x, engine.array)]
    if len(carriers) > 2:
        raise NotCarried("a product of more than two Laplacian carriers")
    d = _direction_letter("".join(inputs) + output)      # the variables' axis
    parts = [_parts(engine, x, source.n) if i in carriers else (constant(x),)
             for i, x in enumerate(operands)]

    def product(pick, grads, out):
        specs = [s + d if i in grads else s for i, s in enumerate(inputs)]
        return np.einsum(",".join(specs) + "->" + out, *[pick(i, p) for i, p in enumerate(parts)],
                         optimize=len(parts) > 2)

    def component(which):
        return lambda i, p: p[which.get(i, 0)]

    value = product(component({}), (), output)
    grad = sum(product(component({c: 1}), (c,), output + d) for c in carriers)
    lap = sum(product(component({c: 2}), (), output) for c in carriers)
    if len(carriers) == 2:
        lap = lap + 2.0 * product(component({c: 1 for c in carriers}), carriers, output)
    return engine.made(np.asarray(value, dtype=np.float64), np.asarray(grad), np.asarray(lap),
                       source.tag)


@implements(np.einsum)
def _einsum(engine, subscripts, *operands, out=None, optimize=False, **options):
    _no_options("einsum", out=out, **options)
    if not isinstance(subscripts, str):
        raise NotCarried("numpy.einsum with operands and sublists")
    inputs, output = _split_subscripts(subscripts, len(operands))
    return _contract(engine, inputs, output, operands)


def _matmul_subscripts(a_ndim, b_ndim):
    if a_ndim == 0 or b_ndim == 0:
        raise ValueError("matmul: an operand is a scalar (use * instead)")
    a = "...ij" if a_ndim > 1 else "j"
    b = "...jk" if b_ndim > 1 else "j"
    out = ("..." if max(a_ndim, b_ndim) > 1 else "") + ("i" if a_ndim > 1 else "") + (
        "k" if b_ndim > 1 else "")
    return [a, b], out


def matmul(engine, a, b):
    """a @ b with a or b a carrier (also reached by the operator).  With one
    constant operand it is numpy's matmul (BLAS) on each component, the
    gradient's axis of variables moved out of the contraction's way."""
    inputs, output = _matmul_subscripts(np.ndim(_value(engine, a)), np.ndim(_value(engine, b)))
    if isinstance(a, engine.array) and isinstance(b, engine.array):
        return _contract(engine, inputs, output, (a, b))
    source = _source(engine, (a, b))
    if isinstance(a, engine.array):
        B = constant(b)
        # grad[..., k, n] -> [..., n, k] @ B -> [..., n, m] -> [..., m, n]
        grad = _product(np.swapaxes(a.grad, -1, -2), B)
        grad = np.swapaxes(grad, -1, -2) if B.ndim > 1 else grad
        value, lap = _product(a.value, B), _product(a.lap, B)
    else:
        A = constant(a)
        g = b.grad
        if b.ndim > 1:       # grad[..., k, j, n] as [..., k, j n]: A contracts k
            moved = _product(A, g.reshape(g.shape[:-2] + (-1,)))
            grad = moved.reshape(moved.shape[:-1] + g.shape[-2:])
        else:
            grad = _product(A, g)
        value, lap = _product(A, b.value), _product(A, b.lap)
    return engine.made(np.asarray(value), np.asarray(grad), np.asarray(lap), source.tag)


# Below this many multiply-adds a product runs in einsum's own loop: the
# threads of a multithreaded BLAS cost more than they save there, and on a
# busy machine (more runnable threads than cores) much more (a 100 x 100
# product measured 0.3 ms in einsum, 23 ms in threaded matmul).
BLAS_FROM = 10_000_000


def _product(a, b):
    """np.matmul(a, b) of float arrays (neither 0-d)."""
    if a.size * (b.shape[-1] if b.ndim > 1 else 1) >= BLAS_FROM:
        return np.matmul(a, b)
    inputs, output = _matmul_subscripts(a.ndim, b.ndim)
    return np.einsum(",".join(inputs) + "->" + output, a, b)


def constant(x):
    """An operand without derivatives as a float64 array; NotCarried for an
    object array, ForeignNumber for another call's numbers, TypeError for
    what is not real."""
    if hasattr(x, "__dualnum_unary__") or hasattr(x, "tag"):
        raise ForeignNumber(f"a {type(x).__name__} cannot meet the array of laplacian")
    array = np.asarray(x)
    if array.dtype.kind == "O":
        raise NotCarried("an object array (e.g. of dual numbers)")
    if array.dtype.kind not in "biuf":
        what = "a complex operand" if array.dtype.kind == "c" else f"an operand of dtype {array.dtype}"
        raise TypeError(f"the array of laplacian is real: got {what}")
    return array.astype(np.float64, copy=False)


@implements(np.matmul)
def _matmul(engine, a, b, out=None, **options):
    _no_options("matmul", out=out, **options)
    return matmul(engine, a, b)


@implements(np.dot)
def _dot(engine, a, b, out=None):
    _no_options("dot", out=out)
    da, db = np.ndim(_value(engine, a)), np.ndim(_value(engine, b))
    if da == 0 or db == 0:
        return a * b
    if da > 2 or db > 2:
        raise NotCarried("numpy.dot of arrays of more than two dimensions")
    return matmul(engine, a, b)


@implements(np.inner)
def _inner(engine, a, b):
    da, db = np.ndim(_value(engine, a)), np.ndim(_value(engine, b))
    if da == 0 or db == 0:
        return a * b
    if da > 1 and db > 1:
        raise NotCarried("numpy.inner of two arrays of two or more dimensions")
    inputs = ["i" if da == 1 else "...i", "i" if db == 1 else "...i"]
    return _contract(engine, inputs, "..." if max(da, db) > 1 else "", (a, b))


def _flat(engine, x):
    return _ravel(engine, x) if isinstance(x, engine.array) else np.ravel(x)


@implements(np.trace)
def _trace(engine, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _no_options("trace", dtype=dtype, out=out)
    return np.sum(np.diagonal(a, offset, axis1, axis2), axis=-1)


@implements(np.vdot)
def _vdot(engine, a, b):
    return _contract(engine, ["i", "i"], "", (_flat(engine, a), _flat(engine, b)))


@implements(np.linalg.norm)
def _norm(engine, x, ord=None, axis=None, keepdims=False):
    """The Euclidean norm of a vector (ord None or 2), as sqrt(sum(x**2))."""
    if not isinstance(x, engine.array):
        raise NotCarried("numpy.linalg.norm of a non-carrier operand")
    if ord not in (None, 2) or (axis is None and x.ndim > 1 and ord is not None):
        raise NotCarried(f"numpy.linalg.norm with ord={ord!r}")
    if axis is not None and len(_axes(axis, x.ndim)) != 1:
        raise NotCarried("numpy.linalg.norm of a matrix")
    return np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))


# numpy function -> handler(engine, *args, **kwargs), for LaplacianArray.__array_function__
FUNCTIONS = join_tables(_OWN, _REDUCTIONS, _COMPOSED, _INTERP, shared=(_MOVES, _QUERIES))
