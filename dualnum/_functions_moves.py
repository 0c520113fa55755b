"""numpy functions that only move entries, on both array orders, written once.

numpy runs the function itself three times: on the operands' values (which
gives the result's value, numpy's own), and twice on *labels* in place of
the dual operands -- operand j's elements numbered offset_j + arange(size_j),
as float64 (exact below 2**53) -- once as they are and once shifted by N, the
count of all their elements.  An entry of the result whose two label results
differ by exactly N is the input element its first result numbers; one whose
two results are equal is a constant the function put there (pad's constant,
triu's zeros, insert's plain values), with zero derivative.  Every
derivative component -- a dense tangent, sparse rows, the second order's
rows -- is then one gather (dualnum/_array_functions.py: ``gather``).  An
entry that is neither means the function combined entries: an error (a
check; the table lists only functions that move entries).

Choices made on values are made on the values and then moved the same way:
``partition`` moves the tangents as ``argpartition`` orders the values,
``unique`` gives each value the derivative of its first occurrence, and
``trim_zeros`` cuts where the values are zero.  numpy's in-place writes
(put, place, putmask, copyto, fill_diagonal, put_along_axis) move entries
into a copy, which is then assigned into the array (an array of either
order; a plain ndarray cannot hold derivatives and is refused).  ``pad``'s
mean and linear_ramp modes are linear maps, applied as a matrix (np.pad of
the identity); the modes that pick by value (median, maximum, minimum), a
function as mode, and reflect_type="odd" are refused, naming the mode.

Each function's row names the parameters whose dual operands move (arrays,
sequences of them, insert's values, pad's constant_values) and those whose
operand gives only a shape (zeros_like's a); any other parameter holding a
dual number raises TypeError naming it, and ``out=`` or a dtype other than
float64 is refused, naming the option.  At order 1 the result keeps sparse
tangents sparse when every moving operand is stored sparsely.

The handlers take the array's engine (dualnum/_array.pyx, or
dualnum/_hessian_array.pyx at the second order: the one with
``components``), and both arrays join this module's table into theirs below
their own handlers, so an order's own faster version of a function wins.
"""
import inspect
from typing import Any

import numpy as np

from dualnum import _array_functions as _moves
from dualnum._core import Dual
from dualnum._function_args import axes as _axes, function_table
from dualnum._second import Dual2

__all__ = ["FUNCTIONS", "dual_operands", "move", "substitute"]

FUNCTIONS, _implements = function_table()


# ------------------------------------------------------------ operands

def _second_order(engine):
    # the second order's engine builds arrays from components (make/components)
    return hasattr(engine, "components")


def _is_dual(engine, x):
    return isinstance(x, (engine.array, Dual2 if _second_order(engine) else Dual))


def substitute(engine, tree, replace):
    """``tree`` (nested lists, tuples and dicts) with each dual number or array
    x in it replaced by replace(x), met in a fixed order."""
    if _is_dual(engine, tree):
        return replace(tree)
    if type(tree) in (list, tuple):
        return type(tree)([substitute(engine, t, replace) for t in tree])
    if type(tree) is dict:
        return {key: substitute(engine, t, replace) for key, t in tree.items()}
    return tree


def dual_operands(engine, tree):
    """The dual numbers and arrays in ``tree``, in the order substitute meets them."""
    found = []
    substitute(engine, tree, found.append)
    return found


def _first_order_parts(engine, operands, sources):
    """(components of each operand, of one constant element, rows?, build)."""
    tag, k = engine.source(*sources)
    if all(isinstance(x, engine.array) and x.sparse_tangent is not None for x in operands):
        parts = []
        for x in operands:
            if x.tag != tag or x.directions != k:
                engine.parts(x, tag, k)                 # raises the mismatch error
            parts.append((x.value,) + tuple(x.sparse_tangent))

        def build_sparse(value, index, weight):
            result = engine.wrap_sparse(value, index, weight, k, tag)
            return result if value.ndim else result[()]
        constant = (np.zeros(1), np.full((1, 0), -1, dtype=np.intp), np.zeros((1, 0)))
        return parts, constant, True, build_sparse
    parts = []
    for x in operands:
        value, tangent = engine.parts(x, tag, k)
        value = np.asarray(value, dtype=np.float64)
        parts.append((value, np.zeros(value.shape + (k,)) if tangent is None else tangent))
    return parts, (np.zeros(1), np.zeros((1, k))), False, \
        lambda value, tangent: engine.result(value, tangent, tag)


def _second_order_parts(engine, operands, sources):
    arrays = [x for x in sources if isinstance(x, engine.array)]
    if not arrays:                      # numpy hands the call to an array
        raise engine.foreign("a function", sources[0] if sources else None)
    tag, n = arrays[0].tag, arrays[0].n
    parts = [engine.components(x, tag, n) for x in operands]
    constant = engine.components(np.zeros(1), tag, n)
    return parts, constant, True, lambda *components: engine.make(*components, n, tag)


# ------------------------------------------------------------ the move

def move(engine, name, run, moved, shaped=()):
    """numpy.{name} of dual operands as ``run(moved, shaped)``, a numpy call
    that only moves the entries of the dual operands in ``moved`` (a tree);
    those in ``shaped`` give only their value's shape.  Returns run's result
    (an array, or lists and tuples of them) as dual arrays."""
    operands = dual_operands(engine, moved)
    sources = operands + dual_operands(engine, shaped)
    parts, constant, rows, build = (_second_order_parts if _second_order(engine)
                                    else _first_order_parts)(engine, operands, sources)
    plain_shaped = substitute(engine, shaped, lambda x: x.value)
    values = [np.asarray(p[0]) for p in parts]
    total = sum(v.size for v in values)
    offsets = np.cumsum([0] + [v.size for v in values])
    labels = [np.arange(o, o + v.size, dtype=np.float64).reshape(v.shape)
              for o, v in zip(offsets, values)]

    def call(items):
        it = iter(items)
        return run(substitute(engine, moved, lambda x: next(it)), plain_shaped)

    def dual(value, first, second):
        first, second = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
        moved_here = (second - first == total) if total else np.zeros(first.shape, dtype=bool)
        constant_here = (first == second) | (np.isnan(first) & np.isnan(second))
        if not (moved_here | constant_here).all():
            raise TypeError(f"numpy.{name} of a dual array combined entries of its operands "
                            "here, which dualnum does not differentiate")
        source = np.where(moved_here, first, total).astype(np.intp)
        derivative = _moves.gather(parts + [constant], source, rows)[1:]
        return build(np.array(value, dtype=np.float64), *derivative)

    return _each(dual, call(values), call(labels), call([label + total for label in labels]))


def _each(func, *trees):
    """func on the leaves of trees of one structure (lists and tuples of arrays)."""
    if type(trees[0]) in (list, tuple):
        return type(trees[0])([_each(func, *leaves) for leaves in zip(*trees)])
    return func(*trees)


# ------------------------------------------------------------ the table

def _refuse(engine, name, option):
    engine.refuse(name, {option: True})     # (a value: the second order refuses what is set)


def _check_options(engine, name, arguments):
    """Refuse out= and a dtype other than float64 (the result is float64)."""
    if arguments.get("out") is not None:
        _refuse(engine, name, "out")
    dtype = arguments.get("dtype")
    if dtype is not None and np.dtype(dtype) != np.float64:
        _refuse(engine, name, "dtype")


def _plain(engine, name, arguments, differentiable):
    for key, value in arguments.items():
        if key not in differentiable and dual_operands(engine, value):
            raise TypeError(f"numpy.{name} of a dual array: argument {key!r} cannot be a "
                            "dual number")


def moves(func, *moved, shaped=(), run=None):
    """The handler of numpy ``func`` whose parameters ``moved`` hold operands
    that move and ``shaped`` operands that give a shape; ``run``: the numpy
    function to run in its place (default: func)."""
    signature = inspect.signature(func)
    name = func.__name__
    run = run or func

    def handler(engine, *args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        arguments = bound.arguments
        _check_options(engine, name, arguments)
        _plain(engine, name, arguments, moved + shaped)

        def call(moved_values, shaped_values):
            bound.arguments = {**arguments, **moved_values, **shaped_values}
            return run(*bound.args, **bound.kwargs)
        return move(engine, name, call, {key: arguments[key] for key in moved if key in arguments},
                    {key: arguments[key] for key in shaped if key in arguments})
    return handler


_ROWS = {
    "split": ("ary",), "array_split": ("ary",), "hsplit": ("ary",), "vsplit": ("ary",),
    "dsplit": ("ary",), "tile": ("A",), "repeat": ("a",), "roll": ("a",), "flip": ("m",),
    "fliplr": ("m",), "flipud": ("m",), "rot90": ("m",), "moveaxis": ("a",),
    "swapaxes": ("a",), "rollaxis": ("a",), "column_stack": ("tup",), "dstack": ("tup",),
    "block": ("arrays",), "insert": ("arr", "values"), "delete": ("arr",),
    "meshgrid": ("xi",), "take_along_axis": ("arr",), "diag": ("v",), "diagonal": ("a",),
    "diagflat": ("v",), "triu": ("m",), "tril": ("m",), "resize": ("a",),
    "extract": ("arr",), "compress": ("a",), "broadcast_arrays": ("args",),
    "matrix_transpose": ("x",), "permute_dims": ("a",), "unstack": ("x",),
    "choose": ("choices",),
    # the first order has its own faster versions of these
    "take": ("a",), "append": ("arr", "values"), "hstack": ("tup",), "vstack": ("tup",),
    "squeeze": ("a",), "expand_dims": ("a",), "broadcast_to": ("array",), "copy": ("a",),
}
for _name, _moved in _ROWS.items():
    if hasattr(np, _name):                  # numpy 2 names (unstack, permute_dims, ...)
        _implements(getattr(np, _name))(moves(getattr(np, _name), *_moved))
if hasattr(np, "row_stack"):                # deprecated for vstack, which it runs
    _implements(np.row_stack)(moves(np.row_stack, "tup", run=np.vstack))
_implements(np.full_like)(moves(np.full_like, "fill_value", shaped=("a",)))
_implements(np.zeros_like)(moves(np.zeros_like, shaped=("a",)))
_implements(np.ones_like)(moves(np.ones_like, shaped=("a",)))
# empty_like's entries are arbitrary: zeros are as good, and the same in each run
_implements(np.empty_like)(moves(np.empty_like, shaped=("prototype",),
                                  run=lambda prototype, *args, **kwargs: np.zeros_like(
                                      prototype, *args, **kwargs)))


# ------------------------------------------------------------ special cases

_PAD_MODES = frozenset({"constant", "edge", "reflect", "symmetric", "wrap"})
# modes whose entries are linear maps of the array (plain end values)
_PAD_LINEAR = frozenset({"mean", "linear_ramp"})
_LARGEST_PAD_MATRIX = 2 ** 24          # entries of the matrix of a linear pad


@_implements(np.pad)
def _pad(engine, array, pad_width, mode="constant", **kwargs):
    # the modes that pick by value (median, maximum, minimum), a function, and
    # reflect_type="odd" (2 * edge - x) are refused
    if isinstance(mode, str) and mode in _PAD_LINEAR:
        return _pad_linear(engine, array, pad_width, mode, kwargs)
    if not isinstance(mode, str) or mode not in _PAD_MODES:
        _refuse(engine, "pad", f"mode={mode!r}")
    if kwargs.get("reflect_type", "even") != "even":
        _refuse(engine, "pad", f"reflect_type={kwargs['reflect_type']!r}")
    _plain(engine, "pad", {"pad_width": pad_width}, ())
    return move(engine, "pad", lambda m, _: np.pad(m["array"], pad_width, mode, **m["kwargs"]),
                {"array": array, "kwargs": kwargs})


def _pad_linear(engine, a, pad_width, mode, kwargs):
    """pad's mean and linear_ramp modes: a linear map of the entries (plus the
    plain end values), whose matrix is np.pad of the identity, padded along
    one more axis that numbers the input elements."""
    _plain(engine, "pad", {"pad_width": pad_width, **kwargs}, ())
    a = _own(engine, "pad", a)
    value = np.pad(a.value, pad_width, mode, **kwargs)            # numpy's checks
    size = a.value.size
    if value.size * size > _LARGEST_PAD_MATRIX:
        _refuse(engine, "pad", f"mode={mode!r} of so large an array")
    pairs = np.broadcast_to(np.asarray(pad_width), (a.ndim, 2)).tolist() + [[0, 0]]
    options = {"end_values": 0.0} if mode == "linear_ramp" else {}  # their derivative
    if kwargs.get("stat_length") is not None:
        options["stat_length"] = np.broadcast_to(np.asarray(kwargs["stat_length"]),
                                                 (a.ndim, 2)).tolist() + [[1, 1]]
    matrix = np.pad(np.eye(size).reshape(a.shape + (size,)), pairs, mode, **options)
    matrix = matrix.reshape(value.size, size)
    if _second_order(engine):
        rows, columns = np.nonzero(matrix)
        ptr = np.searchsorted(rows, np.arange(value.size + 1))
        return engine.linear(a, value, ptr, columns, matrix[rows, columns])
    tangent = engine.parts(a, a.tag, a.directions)[1]
    tangent = matrix @ tangent.reshape(size, a.directions)
    return engine.result(value, tangent.reshape(value.shape + (a.directions,)), a.tag)


def _atleast(func):
    def handler(engine, *arys):
        # plain operands stay plain, as numpy returns them
        # (all of arys given as shaped: an array among them gives tag and n)
        results = tuple(move(engine, func.__name__, lambda a, _: func(a), x, arys)
                        if _is_dual(engine, x) else func(x) for x in arys)
        return results[0] if len(results) == 1 else results
    return handler


_func: Any                           # numpy functions of different signatures
for _func in (np.atleast_1d, np.atleast_2d, np.atleast_3d):
    _implements(_func)(_atleast(_func))


def _own(engine, name, a):
    if not isinstance(a, engine.array):
        raise TypeError(f"numpy.{name}: the array argument must be a dual array here")
    return a


@_implements(np.partition)
def _partition(engine, a, kth, axis=-1, kind="introselect", order=None):
    if order is not None:
        _refuse(engine, "partition", "order")
    _plain(engine, "partition", {"kth": kth}, ())
    positions = np.argpartition(_own(engine, "partition", a).value, kth, axis=axis, kind=kind)
    return move(engine, "partition", lambda x, _: np.take_along_axis(x, positions, axis=axis), a)


@_implements(np.unique)
def _unique(engine, ar, return_index=False, return_inverse=False, return_counts=False,
            axis=None, **options):                  # equal_nan=, sorted=: numpy's
    value = _own(engine, "unique", ar).value
    found = np.unique(value, True, return_inverse, return_counts, axis, **options)
    first = found[1]                    # each unique value's first occurrence

    def pick(x, _):
        return np.take(x.reshape(-1), first) if axis is None else np.take(x, first, axis=axis)
    unique = move(engine, "unique", pick, ar)
    extras = found[1 if return_index else 2:]
    return (unique,) + tuple(extras) if extras else unique


@_implements(np.trim_zeros)
def _trim_zeros(engine, filt, trim="fb", axis=None):
    value = _own(engine, "trim_zeros", filt).value
    trim = trim.lower()
    cut = [slice(None)] * value.ndim
    for a in range(value.ndim) if axis is None else _axes(axis, value.ndim):
        others = tuple(d for d in range(value.ndim) if d != a)
        nonzero = np.flatnonzero(np.any(value != 0, axis=others))
        if nonzero.size == 0:
            cut[a] = slice(0, 0)                # all zeros: nothing is left
        else:
            cut[a] = slice(nonzero[0] if "f" in trim else 0,
                           nonzero[-1] + 1 if "b" in trim else value.shape[a])
    return move(engine, "trim_zeros", lambda x, _: x[tuple(cut)], filt)


def _put(func, target, source):
    """numpy's in-place writes (put, place, putmask, copyto, fill_diagonal,
    put_along_axis): the written array is computed by the move on a copy,
    then assigned into ``target``."""
    signature = inspect.signature(func)

    def handler(engine, *args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        arguments = dict(bound.arguments)
        _plain(engine, func.__name__, arguments, (target, source))

        def written(m, _):
            copy = np.array(m[target])          # numpy writes into its operand
            bound.arguments = {**arguments, target: copy, source: m[source]}
            func(*bound.args, **bound.kwargs)
            return copy
        a = _own(engine, func.__name__, arguments[target])
        a[...] = move(engine, func.__name__, written,
                      {target: a, source: arguments[source]})
    return handler


for _func, _target, _source in ((np.put, "a", "v"), (np.place, "arr", "vals"),
                                (np.putmask, "a", "values"), (np.copyto, "dst", "src"),
                                (np.fill_diagonal, "a", "val"),
                                (np.put_along_axis, "arr", "values")):
    _implements(_func)(_put(_func, _target, _source))
