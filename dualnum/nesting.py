"""Nested differentiation without perturbation confusion.

Every dual number carries the tag of the differentiation call that seeded
it, and tags grow: an inner call has a higher tag than the call around it.
When numbers of two calls meet (``derivative(lambda x: x * derivative(lambda
y: x + y, 1.0), 1.0)``: ``x + y``), the result belongs to the inner call and
its value and partials are numbers of the outer one -- a ``Nested`` number.
So each call reads only its own perturbation, and the example gives 1, not
the 2 of perturbation confusion.

Array code takes part elementwise: a DualArray meeting another call's
numbers, and the points and results of gradient, jacobian, jvp, hessian and
hvp inside another call, become numpy object arrays of such numbers.  They
are Python objects: they serve correctness, not speed.  A unary function f
is applied as
``f(v + p e) = f(v) + f'(v) p e`` with f'(v) evaluated on the outer number v
(for a Dual v = v0 + q e', f'(v) = f'(v0) + f''(v0) q e', the higher
derivatives from the Taylor kernels, so any depth of nesting works).
"""
import math
import operator

import numpy as np

try:
    from numpy._core._exceptions import UFuncTypeError as _UFuncTypeError
except ImportError:                                     # numpy < 2
    from numpy.core._exceptions import UFuncTypeError as _UFuncTypeError

from dualnum import _array, _core, _elementary, _taylor
from dualnum._core import Dual, dual_from, dual_level
from dualnum._number import ON_NUMBERS, UFUNC_ROWS


def _level(x):
    """(tag, value, partials) of x at its own level; tag 0 for plain numbers."""
    if type(x) is Nested:
        return x.tag, x.value, x.partials
    if type(x) is Dual:
        value, partials, tag = dual_level(x)
        if partials:
            return tag, value, partials
        return 0, value, []
    return 0, x, []


def _innermost(x):
    """The plain float at the bottom of a (nested) dual number."""
    while type(x) is Nested:
        x = x.value
    return x.value if type(x) is Dual else float(x)


def _times(c, p):
    """c * p, except that an exact zero p stays zero (strong zeros, as in Dual)."""
    if type(p) is float and p == 0.0:
        return 0.0
    return c * p


def _make(value, partials, tag):
    """A Dual when every part is a plain float, else a Nested."""
    if type(value) is float and all(type(p) is float for p in partials):
        return dual_from(value, np.array(partials, dtype=np.float64), tag)
    return Nested(value, partials, tag)


def _variable(x, order):
    """The Taylor series x + t of the given order (>= 1), of no call."""
    return _taylor.Jet((x, 1.0) + (0.0,) * (order - 1))


def _derivative_at(f, k, v):
    """The k-th derivative of the dualnum function f at v (a float, Dual or Nested)."""
    if type(v) is Nested:
        return Nested(_derivative_at(f, k, v.value),
                      [_times(_derivative_at(f, k + 1, v.value), p) for p in v.partials], v.tag)
    if type(v) is Dual:
        value, partials, tag = dual_level(v)
        jet = f(_variable(value, k + 1))
        here, slope = jet.derivatives[k], jet.derivatives[k + 1]
        if not partials:
            return here
        return dual_from(here, np.array([_times(slope, p) for p in partials]), tag)
    v = float(v)
    return f(v) if k == 0 else f(_variable(v, k)).derivatives[k]


def _unary(f, x):
    """f(x) for a Nested x, f a dualnum elementary function."""
    value = f(x.value)
    slope = _derivative_at(f, 1, x.value)
    return _make(value, [_times(slope, p) for p in x.partials], x.tag)


def _binary(name, a, b):
    """a (name) b where a and b may belong to different differentiation calls."""
    ta, av, ap = _level(a)
    tb, bv, bp = _level(b)
    tag = max(ta, tb)
    if ta != tag:                      # a is a constant of the inner call
        av, ap = a, [0.0] * len(bp)
    if tb != tag:
        bv, bp = b, [0.0] * len(ap)
    if len(ap) != len(bp):
        raise ValueError(f"cannot combine dual numbers with {len(ap)} and {len(bp)} partial derivatives")
    if name == "add":
        return _make(av + bv, [x + y for x, y in zip(ap, bp)], tag)
    if name == "subtract":
        return _make(av - bv, [x - y for x, y in zip(ap, bp)], tag)
    if name == "multiply":
        return _make(av * bv, [_times(bv, x) + _times(av, y) for x, y in zip(ap, bp)], tag)
    if name == "divide":
        value = av / bv
        return _make(value, [_times(1.0 / bv, x) - _times(value / bv, y)
                             for x, y in zip(ap, bp)], tag)
    if name in ("power", "pow"):
        value = av ** bv
        if all(type(y) is float and y == 0.0 for y in bp):     # a constant exponent
            slope = 0.0 if _innermost(bv) == 0.0 else bv * av ** (bv - 1)
            return _make(value, [_times(slope, x) for x in ap], tag)
        log_a = _elementary.log(av)
        return _make(value, [_times(value * bv / av, x) + _times(value * log_a, y)
                             for x, y in zip(ap, bp)], tag)
    if name == "atan2":                # atan2(y = a, x = b)
        scale = av * av + bv * bv
        return _make(_elementary.atan2(av, bv), [_times(bv / scale, x) - _times(av / scale, y)
                                           for x, y in zip(ap, bp)], tag)
    if name == "hypot":
        value = _elementary.hypot(av, bv)
        return _make(value, [_times(av / value, x) + _times(bv / value, y)
                             for x, y in zip(ap, bp)], tag)
    if name == "logaddexp":
        wa, wb = _elementary.sigmoid(av - bv), _elementary.sigmoid(bv - av)
        return _make(_elementary.logaddexp(av, bv), [_times(wa, x) + _times(wb, y)
                                               for x, y in zip(ap, bp)], tag)
    # piecewise-linear functions: the slopes come from the innermost values,
    # as the first-order rules take them (dualnum/_rules.pxd)
    a0, b0 = _innermost(av), _innermost(bv)
    if name in ("maximum", "minimum"):
        pick = max if name == "maximum" else min
        value = _elementary.maximum(av, bv) if name == "maximum" else _elementary.minimum(av, bv)
        if math.isnan(a0) or math.isnan(b0):
            wa = wb = math.nan
        elif a0 == b0:
            wa = wb = 0.5
        else:
            wa, wb = (1.0, 0.0) if pick(a0, b0) == a0 else (0.0, 1.0)
        return _make(value, [_times(wa, x) + _times(wb, y) for x, y in zip(ap, bp)], tag)
    if name == "copysign":
        slope = math.copysign(1.0, a0) * math.copysign(1.0, b0)
        return _make(_elementary.copysign(av, bv), [_times(slope, x) for x in ap], tag)
    if name == "fmod":
        q = float(math.trunc(a0 / b0))
        return _make(_elementary.fmod(av, bv), [x - _times(q, y) for x, y in zip(ap, bp)], tag)
    if name == "remainder":
        q = float(a0 // b0)
        return _make(av % bv, [x - _times(q, y) for x, y in zip(ap, bp)], tag)
    if name == "floor_divide":
        return _make(av // bv, [0.0] * len(ap), tag)
    raise TypeError(f"{name} is not supported on nested dual numbers")


def is_dual_number(x):
    return type(x) is Dual or type(x) is Nested


def _elements(x):
    """A DualArray as an object array of its elements (a scalar Dual when 0-d)."""
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        out[index] = x[index]
    return out if out.ndim else out[()]


_NO_FLOAT = ("a nested dual number cannot become a {} without dropping its derivatives: "
             "use dualnum functions, or take .value explicitly")


class Nested:
    """A dual number of one differentiation call whose value and partials are
    numbers of enclosing calls (plain floats, Duals or other Nested numbers).

    Made by dualnum when calls are nested; not usually constructed by hand.
    """

    __slots__ = ("value", "partials", "tag")
    __array_priority__ = 100

    def __init__(self, value, partials, tag):
        self.value = value
        self.partials = list(partials)
        self.tag = tag

    def __repr__(self):
        return f"Nested({self.value!r}, {self.partials!r}, tag={self.tag})"

    def __float__(self):
        raise TypeError(_NO_FLOAT.format("float"))

    def __int__(self):
        raise TypeError(_NO_FLOAT.format("int"))

    def __complex__(self):
        raise TypeError(_NO_FLOAT.format("complex"))

    def __bool__(self):
        return _innermost(self) != 0.0

    def __hash__(self):
        return hash(_innermost(self))

    def _compare(self, other, op):
        if is_dual_number(other):
            other = _innermost(other)
        elif not isinstance(other, (int, float, np.integer, np.floating)):
            return NotImplemented
        return op(_innermost(self), other)

    def __eq__(self, other): return self._compare(other, operator.eq)
    def __ne__(self, other): return self._compare(other, operator.ne)
    def __lt__(self, other): return self._compare(other, operator.lt)
    def __le__(self, other): return self._compare(other, operator.le)
    def __gt__(self, other): return self._compare(other, operator.gt)
    def __ge__(self, other): return self._compare(other, operator.ge)

    def _binary(self, name, other, reflected=False):
        if not (is_dual_number(other) or isinstance(other, (int, float, np.integer, np.floating))):
            if isinstance(other, (np.ndarray, list, tuple)) or _is_dual_array(other):
                # elementwise, as numpy's ufunc of the two would do
                ufunc = UFUNC_ROWS[name].ufunc
                return apply(ufunc, "__call__", (other, self) if reflected else (self, other), {})
            return NotImplemented
        if isinstance(other, (np.integer, np.floating)):
            other = float(other)
        return _binary(name, other, self) if reflected else _binary(name, self, other)

    def __add__(self, other): return self._binary("add", other)
    def __radd__(self, other): return self._binary("add", other, True)
    def __sub__(self, other): return self._binary("subtract", other)
    def __rsub__(self, other): return self._binary("subtract", other, True)
    def __mul__(self, other): return self._binary("multiply", other)
    def __rmul__(self, other): return self._binary("multiply", other, True)
    def __truediv__(self, other): return self._binary("divide", other)
    def __rtruediv__(self, other): return self._binary("divide", other, True)
    def __floordiv__(self, other): return self._binary("floor_divide", other)
    def __rfloordiv__(self, other): return self._binary("floor_divide", other, True)
    def __mod__(self, other): return self._binary("remainder", other)
    def __rmod__(self, other): return self._binary("remainder", other, True)

    def __pow__(self, other, modulo=None):
        return NotImplemented if modulo is not None else self._binary("power", other)

    def __rpow__(self, other, modulo=None):
        return NotImplemented if modulo is not None else self._binary("power", other, True)

    def __neg__(self):
        return Nested(-self.value, [-p for p in self.partials], self.tag)

    def __pos__(self):
        return self

    def __abs__(self):
        return _unary(_elementary.fabs, self)

    def __dualnum_unary__(self, name):
        return _unary(_elementary.scalar_function(name), self)

    def __floor__(self):
        return _elementary.floor(self)

    def __ceil__(self):
        return _elementary.ceil(self)

    def __trunc__(self):
        return _elementary.trunc(self)

    def rint(self):
        """Rounded to the nearest integer (ties to even), derivative 0."""
        value = self.value.rint() if is_dual_number(self.value) else float(np.rint(self.value))
        return _make(value, [0.0] * len(self.partials), self.tag)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if (method != "__call__" or kwargs
                or not all(is_dual_number(v) or isinstance(v, (int, float, np.integer, np.floating))
                           for v in inputs)):
            return apply(ufunc, method, inputs, kwargs)       # arrays take part
        return _scalar_ufunc(ufunc.__name__, [float(v) if isinstance(v, (np.integer, np.floating))
                                              else v for v in inputs])


_core.register_nesting(_binary)

# ufuncs with a boolean result (comparisons, isnan, ...): they read the values
_PREDICATES = {name for name in ON_NUMBERS
               if all(t.endswith("?") for t in getattr(np, name).types if "O" not in t)}


def _scalar_ufunc(name, inputs):
    """numpy.<name>(*inputs) with a Nested among the scalar inputs."""
    row = UFUNC_ROWS.get(name)
    if row is not None and row.arity == len(inputs):
        if row.arity == 2:
            return _binary(row.name, *inputs)
        # the function on a Nested comes back to numpy: apply it to its value,
        # and the Taylor kernels for its derivatives
        return _unary(_elementary.scalar_function(row.name), inputs[0])
    func = ON_NUMBERS.get(name)
    if func is None:
        raise TypeError(f"numpy.{name} is not supported on nested dual numbers")
    if name in _PREDICATES:
        return func(*[_innermost(v) if is_dual_number(v) else v for v in inputs])
    return func(*inputs)


# methods named like numpy ufuncs, which numpy object arrays call
for _ufunc_name in [*UFUNC_ROWS, *ON_NUMBERS]:
    if not hasattr(Nested, _ufunc_name):
        setattr(Nested, _ufunc_name,
                (lambda name: lambda self, *others: _scalar_ufunc(name, (self,) + others))(_ufunc_name))


def _is_dual_array(x):
    return hasattr(x, "directions") and hasattr(x, "tangent")


class DualObjects(np.ndarray):
    """A numpy object array of dual numbers (Nested numbers of nested calls,
    Dual2s of hessian's object pass) on which every ufunc works elementwise.

    numpy's object loops call methods named like the ufunc, which plain
    numbers lack (hessian's passes leave the variables of other blocks as
    floats), and some ufuncs (logaddexp) have no object loop at all: there
    (see apply) the ufunc is applied element by element, so each element's
    own __array_ufunc__ computes it from dualnum._core's one table.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return apply(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if any(_is_dual_array(x) or isinstance(x, (list, tuple)) and any(map(_is_dual_array, x))
               for x in args):
            # DualArrays among the arguments: as object arrays of their elements
            return func(*[_objects(x) for x in args], **kwargs)
        try:
            return _wrap(super().__array_function__(func, types, args, kwargs))
        except _UFuncTypeError:       # e.g. numpy.linalg.det: no loop for objects
            raise TypeError(f"{_qualified(func)} is not supported on arrays of dual numbers "
                            "(numpy object arrays)") from None


def _objects(x):
    if _is_dual_array(x):
        return _elements(x).view(DualObjects)
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
    if _is_dual_array(x):
        return _elements(x)
    if hasattr(x, "__array_ufunc__") and not isinstance(x, np.ndarray):
        item = np.empty((), dtype=object)     # a dual number: not back to its __array_ufunc__
        item[()] = x
        return item
    return x


def _wrap(result):
    if isinstance(result, np.ndarray) and result.dtype == object:
        return result.view(DualObjects) if result.ndim else result[()]
    if isinstance(result, tuple):
        return tuple(_wrap(item) for item in result)
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
                   and (ufunc.__name__ in UFUNC_ROWS or ufunc.__name__ in ON_NUMBERS))
    if not elementwise or ufunc.__name__ not in ("maximum", "minimum"):
        # numpy's object loop, which calls the elements' operators and methods
        # named like the ufunc (the table's functions); for maximum and
        # minimum it would pick an operand, without the tie rule
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


def _array_binary(name, a, b):
    """numpy.<name>(a, b) for a DualArray and a dual number of another call (or
    an array of them): the scalar operation on each (broadcast) pair of
    elements, which nests."""
    return apply(getattr(np, name), "__call__", (a, b), {})


_array.register_nesting(_array_binary, Nested, DualObjects)
