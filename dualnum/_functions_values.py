"""numpy functions that only read values, and NEP 35 ``like=`` constructors,
on both array orders.

* Queries (argmax, argsort, nonzero, isclose, searchsorted, histogram, ...)
  give numpy's plain result on the values: indices, booleans and counts have
  no derivative.  Weights that are dual numbers (histogram, bincount) are
  refused, naming ``weights``: the weighted counts would have one.
* ``np.zeros(3, like=x)`` and the other constructors give, for a float
  result, a constant dual array of x's order, tag and directions; the
  entries of ``np.array([x[0], 1.0], like=x)`` that are dual numbers keep
  their derivative (the move of dualnum/_functions_moves.py).  A result that
  is not float (``np.arange(3, like=x)``, indices) stays a plain ndarray.

numpy hands a ``like=`` call to the like object alone, so the arrays look
up LIKE_FUNCTIONS only when a function is not in their table, and pass
themselves (the like object) after the engine.
"""
import inspect

import numpy as np

from dualnum._function_args import function_table
from dualnum._functions_moves import dual_operands, move, substitute

__all__ = ["FUNCTIONS", "LIKE_FUNCTIONS"]

FUNCTIONS, _implements = function_table()
# numpy function -> handler(engine, like, *args, **kwargs)
LIKE_FUNCTIONS, _implements_like = function_table()

_QUERIES = (
    "argmax", "argmin", "nanargmax", "nanargmin", "argsort", "argpartition", "nonzero",
    "flatnonzero", "argwhere", "isclose", "allclose", "array_equal", "array_equiv",
    "count_nonzero", "searchsorted", "digitize", "lexsort", "isin", "in1d", "histogram",
    "histogram2d", "histogramdd", "histogram_bin_edges", "bincount", "shares_memory",
    "may_share_memory", "iscomplexobj", "isrealobj", "iscomplex", "isreal", "isneginf",
    "isposinf", "result_type", "can_cast", "min_scalar_type", "all", "any", "einsum_path",
)


def _on_values(func):
    name = func.__name__
    try:
        signature = inspect.signature(func)
    except ValueError:                      # a C function without a signature
        signature = None
    weighted = signature is not None and "weights" in signature.parameters

    def handler(engine, *args, **kwargs):
        # weighted counts would have a derivative
        if weighted and dual_operands(engine, signature.bind(*args, **kwargs).arguments.get("weights")):
            engine.refuse(name, {"weights": True})
        args, kwargs = substitute(engine, (args, kwargs), lambda x: x.value)
        return func(*args, **kwargs)
    return handler


for _name in _QUERIES:
    if hasattr(np, _name):
        _implements(getattr(np, _name))(_on_values(getattr(np, _name)))


def _like(func):
    name = func.__name__

    def handler(engine, like, *args, **kwargs):
        if not dual_operands(engine, (args, kwargs)):
            plain = func(*args, **kwargs)       # once: fromiter may read an iterator
            if np.asarray(plain).dtype.kind != "f":
                return plain                    # integers, booleans: indices and masks
            return move(engine, name, lambda *_: plain, (), like)
        if kwargs.get("dtype") is not None and np.dtype(kwargs["dtype"]) != np.float64:
            engine.refuse(name, {"dtype": True})
        return move(engine, name, lambda call, _: func(*call[0], **call[1]), (args, kwargs),
                    like)
    return handler


for _name in ("array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray",
              "require", "zeros", "ones", "empty", "full", "arange", "identity", "eye", "tri",
              "fromfunction", "frombuffer", "fromiter", "fromstring", "fromfile", "loadtxt",
              "genfromtxt"):
    if hasattr(np, _name):
        _implements_like(getattr(np, _name))(_like(getattr(np, _name)))
