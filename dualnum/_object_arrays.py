"""numpy object arrays of dual numbers on which every ufunc works elementwise.

Nested differentiation (dualnum/_nested.pyx) meets arrays elementwise: a
DualArray meeting another call's numbers, and the points and results of
gradient, jacobian, jvp, hessian and hvp inside another call, become numpy
object arrays of dual numbers (hessian's object pass uses them for Dual2s
too, and the slow path of gradient, jacobian and jvp: dualnum/_slow_path.py).
They hold Python objects: they serve correctness, not speed.  A numpy
function that fails on them but runs on their float values raises a
TypeError naming it ("not supported on arrays of dual numbers") rather than
numpy's message about objects.
"""
import numpy as np

try:
    from numpy._core._exceptions import UFuncTypeError as _UFuncTypeError
except ImportError:                                     # numpy < 2
    from numpy.core._exceptions import UFuncTypeError as _UFuncTypeError

from dualnum._number import ON_NUMBERS, UFUNC_ROWS, is_row_ufunc


def is_dual_array(x):
    """A DualArray (or hessian's array), known by its attributes: the arrays sit above."""
    return hasattr(x, "directions") and hasattr(x, "tangent")


def elements(x):
    """A DualArray as an object array of its elements (a scalar Dual when 0-d)."""
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        out[index] = x[index]
    return out if out.ndim else out[()]


class DualObjects(np.ndarray):
    """A numpy object array of dual numbers (Nested numbers of nested calls,
    Dual2s of hessian's object pass) on which every ufunc works elementwise.

    numpy's object loops call methods named like the ufunc, which plain
    numbers lack (hessian's passes leave the variables of other blocks as
    floats), and some ufuncs (logaddexp) have no object loop at all: there
    (see apply) the ufunc is applied element by element, so each element's
    own __array_ufunc__ computes it from the function table.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return apply(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if any(is_dual_array(x) or isinstance(x, (list, tuple)) and any(map(is_dual_array, x))
               for x in args):
            # DualArrays among the arguments: as object arrays of their elements
            return func(*[_objects(x) for x in args], **kwargs)
        try:
            # a 0-d array stays one, as numpy returns it (np.squeeze): library code asks its .ndim
            return _wrap(super().__array_function__(func, types, args, kwargs), keep_0d=True)
        except (TypeError, ValueError, AttributeError) as error:
            # numpy's own message about objects (np.linalg.det: no loop for them;
            # np.polyfit: "data type object not inexact") is not the user's answer
            if _refused_by_dualnum(error) or not _runs_on_values(func, args, kwargs):
                raise                 # dualnum's refusal already, or an error on floats too
            raise TypeError(f"{_qualified(func)} is not supported on arrays of dual numbers "
                            "(numpy object arrays)") from None


def _refused_by_dualnum(error):
    """An element's own refusal (it names the function already)."""
    return "dualnum" in str(error) or "dual number" in str(error)


def _value(item):
    while hasattr(item, "value") and not isinstance(item, np.ndarray):
        item = item.value          # a Nested number's value may be a dual number itself
    return item


def _values(x):
    """The arguments with dual numbers replaced by their float values."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return np.frompyfunc(_value, 1, 1)(x.view(np.ndarray)).astype(np.float64)
    if isinstance(x, (list, tuple)):
        return type(x)(_values(item) for item in x)
    return _value(x)


def _runs_on_values(func, args, kwargs):
    """True when func succeeds on the arguments' float values: it failed only
    because they hold dual numbers."""
    try:
        with np.errstate(all="ignore"):
            func(*_values(args), **{key: _values(v) for key, v in kwargs.items()})
    except Exception:
        return False
    return True


def _objects(x):
    if is_dual_array(x):
        return elements(x).view(DualObjects)
    if isinstance(x, (list, tuple)):
        return type(x)(_objects(item) for item in x)
    return x


def _qualified(func):
    module = getattr(func, "__module__", None) or "numpy"
    return f"{'numpy' if module.startswith('numpy._') else module}.{func.__name__}"


def _plain(x):
    """An operand of numpy's object loops (dual arrays as object arrays of their elements)."""
    if isinstance(x, DualObjects):
        return x.view(np.ndarray)
    if is_dual_array(x):
        return elements(x)
    if hasattr(x, "__array_ufunc__") and not isinstance(x, np.ndarray):
        item = np.empty((), dtype=object)     # a dual number: not back to its __array_ufunc__
        item[()] = x
        return item
    return x


def _wrap(result, keep_0d=False):
    # masks stay DualObjects too: library code casts them to the values' (object)
    # dtype and sums them (scipy's logsumexp), giving ints that then meet ufuncs
    if isinstance(result, np.ndarray) and result.dtype in (object, bool):
        return result.view(DualObjects) if result.ndim or keep_0d else result[()]
    if isinstance(result, tuple):
        return tuple(_wrap(item, keep_0d) for item in result)
    return result


def _element(ufunc):
    def call(*items):
        out = ufunc(*items)
        return float(out) if isinstance(out, np.floating) else out   # not a numpy scalar
    return call


def apply(ufunc, method, inputs, kwargs):
    """ufunc.method(*inputs) where inputs hold dual numbers in object arrays: a
    DualObjects result (an element for a scalar one)."""
    operands = [_plain(x) for x in inputs]
    if "out" in kwargs:
        kwargs = dict(kwargs, out=tuple(_plain(x) for x in kwargs["out"]))
    elementwise = (method == "__call__" and not kwargs
                   and (ufunc.__name__ in UFUNC_ROWS or ufunc.__name__ in ON_NUMBERS
                        or is_row_ufunc(ufunc)))
    if method != "__call__" and ufunc.__name__ in UFUNC_ROWS and "O->O" not in ufunc.types \
            and "OO->O" not in ufunc.types:
        # reduce, outer, ... of a row without an object loop (logaddexp): numpy's
        # method of the ufunc that computes element by element
        ufunc = np.frompyfunc(_element(ufunc), ufunc.nin, ufunc.nout)
    if not elementwise or ufunc.__name__ not in ("maximum", "minimum", "fmax", "fmin"):
        # numpy's object loop, which calls the elements' operators and methods
        # named like the ufunc (the table's functions); for maximum, minimum,
        # fmax and fmin it would pick an operand, without the tie rule
        try:
            return _wrap(getattr(ufunc, method)(*operands, **kwargs))
        except (TypeError, AttributeError) as exc:
            if not elementwise:
                if not isinstance(exc, _UFuncTypeError):
                    raise
                raise TypeError(f"numpy.{ufunc.__name__} is not supported on arrays of dual "
                                "numbers (numpy object arrays)") from None
    # element by element, so that each element's __array_ufunc__ computes it
    # from the table: where the object loop calls a method that floats lack
    # (hessian's other blocks), or has no loop for objects (logaddexp)
    operands = [np.asarray(x, dtype=object) if isinstance(x, (list, tuple)) else x
                for x in operands]
    return _wrap(np.frompyfunc(_element(ufunc), ufunc.nin, ufunc.nout)(*operands))


def binary(name, a, b):
    """numpy.<name>(a, b) for a DualArray and a dual number of another call (or
    an array of them): the scalar operation on each (broadcast) pair of
    elements, which nests."""
    return apply(getattr(np, name), "__call__", (a, b), {})
