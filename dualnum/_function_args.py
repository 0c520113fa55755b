"""What the numpy functions on DualArray share (dualnum/_functions_*.py):
their tables, axis normalisation and refused options.

Each module of numpy functions builds its own table (numpy function ->
handler) with the decorator of :func:`function_table`; dualnum/_array.pyx
imports the tables and joins them into the one the class dispatches on.
"""
import operator

import numpy as np


def function_table():
    """A new table (numpy function -> handler) and the decorator that fills it."""
    table = {}

    def implements(*numpy_functions):
        """Make the decorated function the DualArray version of numpy functions."""
        def add(handler):
            for func in numpy_functions:
                table[func] = handler
            return handler
        return add

    return table, implements


# ufuncs that act on the values and return plain arrays (booleans, signs, spacings), at both orders
VALUE_UFUNCS = frozenset({
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "isnan", "isinf", "isfinite", "signbit", "sign", "spacing",
    "logical_and", "logical_or", "logical_xor", "logical_not",
})


def join_tables(*own, shared=()):
    """One order's dispatch table: its ``own`` tables, then the ``shared`` ones
    (written once for both orders) for the functions the own tables leave.
    Two own tables, or two shared ones, claiming one numpy function is an
    error here rather than a silent override."""
    joined = _disjoint(own)
    for func, handler in _disjoint(shared).items():
        joined.setdefault(func, handler)
    return joined


def _disjoint(tables):
    joined = {}
    for table in tables:
        for func, handler in table.items():
            if joined.get(func, handler) is not handler:
                raise RuntimeError(f"two handlers for numpy.{func.__name__}: "
                                   f"{joined[func].__module__} and {handler.__module__}")
            joined[func] = handler
    return joined


def axes(axis, ndim):
    """``axis`` (an int or a sequence) as a tuple of non-negative axes, as numpy checks them."""
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in items:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(a, ndim)
        out.append(a % ndim)
    return tuple(out)


def reject_options(name, kwargs, **defaults_only):
    """TypeError naming the numpy function for any option dualnum does not support:
    every key of ``kwargs``, and every ``defaults_only`` option not left at None."""
    if not kwargs:
        # the common call gives no option: a plain loop, as this runs on every
        # numpy function call (a generator cost ~0.7 us of a 6 us concatenate)
        for value in defaults_only.values():
            if value is not None:
                break
        else:
            return
    extra = sorted(kwargs) + sorted(key for key, value in defaults_only.items() if value is not None)
    if extra:
        raise TypeError(f"numpy.{name} of a DualArray does not support the argument(s) {extra}")
