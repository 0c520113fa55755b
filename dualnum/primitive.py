"""primitive: make a plain-float function (a black box, e.g. from scipy.special)
join the chain rule, given its derivative."""
import functools

import numpy as np

from dualnum._core import Dual, lift


def primitive(func=None, derivative=None):
    """primitive(func, derivative) -> dual-aware version of ``func``

    ``func`` computes with plain floats; ``derivative`` gives its derivative
    (for several arguments: a tuple of partial-derivative functions, one per
    argument, each taking all the arguments).  The result accepts dual numbers
    and applies the chain rule ``d func(u) = func'(u) du``; on plain numbers
    and float arrays it is ``func`` itself.  Numpy object arrays of duals are
    mapped elementwise.  Usable as a decorator: ``@primitive(derivative=df)``.

    Examples
    --------
    >>> import math, dualnum as dn
    >>> erfcx = dn.primitive(lambda x: math.exp(x * x) * math.erfc(x),
    ...                      lambda x: 2 * x * math.exp(x * x) * math.erfc(x) - 2 / math.sqrt(math.pi))
    >>> round(dn.derivative(lambda x: erfcx(2 * x), 0.0), 12)
    -2.256758334191
    """
    if func is None:
        return lambda fn: primitive(fn, derivative)
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    partials = tuple(derivative) if isinstance(derivative, (tuple, list)) else (derivative,)
    for d in partials:
        if not callable(d):
            raise TypeError(
                "derivative must be a callable or a tuple of callables (one per argument), "
                f"got {type(d).__name__}")

    @functools.wraps(func)
    def dual_aware(*args):
        if not any(type(a) is Dual for a in args):
            if any(isinstance(a, np.ndarray) and a.dtype == object for a in args):
                return np.frompyfunc(dual_aware, len(args), 1)(*args)
            return func(*args)
        if len(args) != len(partials):
            raise TypeError(
                f"{getattr(func, '__name__', 'primitive')} has {len(partials)} partial "
                f"derivative function(s) but was called with {len(args)} argument(s)")
        values = tuple(a.value if type(a) is Dual else a for a in args)
        grads = tuple(d(*values) if type(a) is Dual else 0.0 for a, d in zip(args, partials))
        return lift(_real(func(*values), "value"), args, tuple(_real(g, "derivative") for g in grads))

    return dual_aware


def _real(x, what):
    try:
        return float(x) if np.ndim(x) == 0 else _fail(x, what)
    except TypeError:
        return _fail(x, what)


def _fail(x, what):
    raise TypeError(f"a primitive's {what} must be a real number on real input, got {type(x).__name__}")
