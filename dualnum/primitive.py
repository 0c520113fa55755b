"""primitive: make a plain-float function (a black box, e.g. from scipy.special)
join the chain rule, given its derivative."""
import functools
import sys
import types

import numpy as np

from dualnum import _primitive_rules as _rules
from dualnum._array import DualArrayCore, parts, result, source
from dualnum._core import Dual, dual_parts, lift
from dualnum._hessian_array import Dual2Array
from dualnum._number import Number
from dualnum._primitive_jvp import on_jvp
from dualnum._second import Dual2
from dualnum._taylor import Jet


def primitive(func=None, derivative=None, *, jvp=None):
    """primitive(func, derivative) or primitive(func, jvp=rule) -> dual-aware version of ``func``

    ``func`` computes with plain floats; ``derivative`` gives its derivative
    (for several arguments: a tuple of partial-derivative functions, one per
    argument, each taking all the arguments).  The result accepts dual numbers
    and applies the chain rule ``d func(u) = func'(u) du``; on plain numbers
    and float arrays it is ``func`` itself.  On a :class:`dualnum.DualArray`
    (what gradient and jacobian pass to numpy-written functions) ``func`` and
    ``derivative`` are called once on the value arrays, as scipy.special
    functions accept them, or element by element if they raise TypeError or
    ValueError on arrays.  Numpy object arrays of duals are mapped elementwise.  Usable as a
    decorator: ``@primitive(derivative=df)``.

    Higher orders (``derivative(p, x, n)``, hessian, hvp, nested calls)
    differentiate ``derivative`` itself, calling it on dual numbers of one
    order lower: so it must be differentiable too, a primitive with its own
    derivative or code written with dualnum/numpy functions.  A plain-float
    derivative serves first order only; above it a TypeError says so.

    ``primitive(func, jvp=rule)`` is for array-to-array black boxes that are
    not elementwise (a sparse solve, an FFT filter): ``rule(*values,
    *tangents)`` gets each argument's value array and its tangents as one
    array of shape ``value.shape + (k,)`` (all k directions at once, on the
    last axis; zeros for an argument that does not vary) and returns the
    result's tangents, ``result.shape + (k,)``.  First order only (gradient,
    jacobian, jvp, derivative); hessian and hvp raise a TypeError.  A keyword
    of primitive rather than a function of its own: one entry point, and a
    primitive of either kind pickles alike.

    Examples
    --------
    >>> import math, dualnum as dn
    >>> erfcx = dn.primitive(lambda x: math.exp(x * x) * math.erfc(x),
    ...                      lambda x: 2 * x * math.exp(x * x) * math.erfc(x) - 2 / math.sqrt(math.pi))
    >>> round(dn.derivative(lambda x: erfcx(2 * x), 0.0), 12)
    -2.256758334191
    """
    if func is None:
        return lambda fn: primitive(fn, derivative, jvp=jvp)
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    if jvp is not None:
        if derivative is not None:
            raise TypeError("give a primitive either derivative (elementwise) or jvp, not both")
        if not callable(jvp):
            raise TypeError(f"jvp must be callable, got {type(jvp).__name__}")
        return _Primitive(func, (), jvp)
    partials = tuple(derivative) if isinstance(derivative, (tuple, list)) else (derivative,)
    for d in partials:
        if not callable(d):
            raise TypeError(
                "derivative must be a callable or a tuple of callables (one per argument), "
                f"got {type(d).__name__}")

    return _Primitive(func, partials)


class _Primitive:
    """What primitive returns: func made dual-aware.  A class rather than a
    closure so that it pickles (to ship to worker processes) as
    ``primitive(func, derivative)`` whatever name it is bound to: pickle finds
    a function by its name, and a closure named after func (functools.wraps)
    bound under another name, or wrapping scipy's ufunc, is not found there."""

    def __init__(self, func, partials, jvp=None):
        self.func = func
        self.partials = partials
        self.jvp = jvp
        functools.update_wrapper(self, func)

    def __call__(self, *args):
        func, partials = self.func, self.partials
        kinds = set(map(type, args))
        if Dual in kinds and kinds <= _FIRST_ORDER_SCALARS and self.jvp is None:
            return _on_duals(self, args)      # the common case first
        if self.jvp is not None:
            if not any(isinstance(a, (Number, DualArrayCore, Dual2Array))
                       or isinstance(a, np.ndarray) and a.dtype == object for a in args):
                return func(*args)
            return on_jvp(self, args)
        if any(isinstance(a, DualArrayCore) for a in args):
            _check_arity(func, partials, args)
            return _on_dual_arrays(func, partials, args)
        if any(isinstance(a, Dual2Array) for a in args):
            _check_arity(func, partials, args)
            return _rules.on_dual2_arrays(self, args, Dual2Array, _on_values)
        numbers = {type(a) for a in args if isinstance(a, Number)}
        if not numbers:
            if any(isinstance(a, np.ndarray) and a.dtype == object for a in args):
                return np.frompyfunc(self, len(args), 1)(*args)
            return func(*args)
        _check_arity(func, partials, args)
        if numbers == {Dual}:
            return _on_duals(self, args)
        if numbers == {Jet}:
            return _rules.on_jets(self, args)
        if numbers == {Dual2}:
            return _rules.on_dual2(self, args)
        return _rules.on_nested(self, args)

    def __get__(self, obj, objtype=None):
        # as a function would: a primitive in a class body becomes a method
        return self if obj is None else types.MethodType(self, obj)

    def __reduce__(self):
        # bound to func's own name (the decorator): by that name, as a function
        # pickles; else by its parts, func and the derivatives
        qualname = self.__dict__.get("__qualname__")     # func's, if it has one
        found = sys.modules.get(self.__dict__.get("__module__"))
        for name in (qualname or "").split("."):
            found = getattr(found, name, None)
        if qualname and found is self:
            return qualname
        return (_Primitive, (self.func, self.partials, self.jvp))

    def __repr__(self):
        return f"<dualnum primitive {getattr(self.func, '__qualname__', self.func)!r}>"


# argument types of the first-order scalar chain rule (Duals among real constants)
_FIRST_ORDER_SCALARS = frozenset({Dual, float, int, bool, np.float64, np.float32, np.int64})


def _on_duals(prim, args):
    """The chain rule on Duals (floats inside): func and the partials on floats."""
    func, partials = prim.func, prim.partials
    _check_arity(func, partials, args)
    if len(args) > 1 and len({dual_parts(a)[2] for a in args if type(a) is Dual}) > 1:
        return _rules.on_nested(prim, args)          # Duals of two calls (nested)
    values = tuple(a.value if type(a) is Dual else a for a in args)
    grads = tuple(d(*values) if type(a) is Dual else 0.0 for a, d in zip(args, partials))
    return lift(_real(func(*values), "value"), args, tuple(_real(g, "derivative") for g in grads))


def _check_arity(func, partials, args):
    if len(args) != len(partials):
        raise TypeError(
            f"{getattr(func, '__name__', 'primitive')} has {len(partials)} partial "
            f"derivative function(s) but was called with {len(args)} argument(s)")


def _on_dual_arrays(func, partials, args):
    """The chain rule on whole arrays: value = func(values), tangent = sum_i g_i * tangent_i."""
    tag, k = source(*args)
    pieces = [parts(a, tag, k) for a in args]
    values = tuple(value for value, _ in pieces)
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    value = _on_values(func, values, shape, "value")
    tangent = np.zeros(shape + (k,))
    for (_, t), d in zip(pieces, partials):
        if t is not None:
            g = _on_values(d, values, shape, "derivative")[..., np.newaxis]
            # a zero tangent stays zero where the local derivative is inf/nan (as in the core)
            with np.errstate(invalid="ignore"):
                tangent += np.where(t == 0.0, 0.0, g * t)
    return result(value, tangent, tag)


def _on_values(fn, values, shape, what):
    """fn on the value arrays (element by element if fn rejects arrays), as float64 of shape."""
    try:
        out = fn(*values)
    except (TypeError, ValueError):   # a float-only function (math.*, `if x > 0`)
        out = np.vectorize(fn, otypes=[np.float64])(*values)
    try:
        out = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(out, what)
    if what == "derivative" and out.shape != shape:
        # a partial that does not depend on every argument may come out smaller
        try:
            out = np.broadcast_to(out, shape)
        except ValueError:
            pass
    if out.shape != shape:
        raise ValueError(
            f"a primitive's {what} on arrays of shape {shape} has shape {out.shape}; "
            "it must act elementwise")
    return out


def _real(x, what):
    try:
        return float(x) if np.ndim(x) == 0 else _fail(x, what)
    except TypeError:
        return _fail(x, what)


def _fail(x, what):
    raise TypeError(f"a primitive's {what} must be a real number on real input, got {type(x).__name__}")
