"""scipy.special's ufuncs on dual numbers: which row of the function table each is.

A ufunc is found by identity, never by name, so that a ufunc that merely
shares a name (``np.frompyfunc``, numba) is not taken for a row.  scipy is
never imported here: a scipy ufunc in hand means ``scipy.special`` is in
``sys.modules``, and the first such dispatch builds the map and binds scipy's
kernels (dualnum/_scipy_special.pyx).  The number types (dualnum/_number.pyx),
DualArray (dualnum/_array_methods.py), hessian's array and object arrays ask
``special_row``.  Nested calls take the partials of the binary rows from
``NESTED_RULES`` (as dualnum/_nested.pyx's RULES for numpy's rows).
"""
import math
import sys

import numpy as np

from dualnum._scipy_special import bind_kernels
from dualnum._table import find

# scipy.special's spelling -> the row's name (dualnum/_table.pyx); private
# ufuncs are looked up in scipy.special._ufuncs (scipy's zeta(x, q) calls _zeta)
_SPELLINGS = {
    "erf": "erf", "erfc": "erfc", "gamma": "gamma", "gammaln": "lgamma", "expit": "sigmoid",
    "cbrt": "cbrt", "exp2": "exp2", "expm1": "expm1", "log1p": "log1p",
    "psi": "digamma", "digamma": "digamma", "erfinv": "erfinv", "erfcinv": "erfcinv",
    "ndtr": "ndtr", "log_ndtr": "log_ndtr", "ndtri": "ndtri", "logit": "logit",
    "log_expit": "log_expit", "entr": "entr", "xlogy": "xlogy", "xlog1py": "xlog1py",
    "rel_entr": "rel_entr", "betaln": "betaln", "j0": "j0", "j1": "j1", "y0": "y0", "y1": "y1",
    "i0": "i0", "i1": "i1", "k0": "k0", "k1": "k1", "jv": "jv", "iv": "iv", "kv": "kv",
    "_zeta": "zeta", "_riemann_zeta": "riemann_zeta",
}
# rows differentiated in their second argument only: what their first is
_CONSTANT_FIRST = {"jv": ("jv", "order v"), "iv": ("iv", "order v"), "kv": ("kv", "order v")}

_by_ufunc = None        # scipy's ufunc -> row (or the binding's error), made at the first dispatch

# numpy's own ufuncs, for the callers' test "not numpy's" (getattr(np, name) of a
# name numpy lacks goes through numpy's module __getattr__: about a microsecond)
NUMPY_UFUNCS = frozenset(value for value in vars(np).values() if isinstance(value, np.ufunc))


def _carries_tangent(x):
    if isinstance(x, (int, float, np.number, np.bool_)):
        return False
    if type(x) in (list, tuple):
        x = np.asarray(x)
    return not (type(x) is np.ndarray and x.dtype != object)


def _made():
    """{scipy's ufunc: row}, or {scipy's ufunc: the error of binding the kernels}."""
    from scipy import special
    from scipy.special import _ufuncs

    ufuncs = {getattr(special, spelling, None) or getattr(_ufuncs, spelling, None): name
              for spelling, name in _SPELLINGS.items()}
    try:
        bind_kernels()
    except RuntimeError as error:
        return {ufunc: error for ufunc in ufuncs if isinstance(ufunc, np.ufunc)}
    return {ufunc: find(name) for ufunc, name in ufuncs.items() if isinstance(ufunc, np.ufunc)}


def special_row(ufunc, inputs):
    """The row of the function table that ``ufunc`` is if it is one of
    scipy.special's, else None.  Raises a TypeError where an argument the row
    does not differentiate in carries a tangent."""
    global _by_ufunc
    if _by_ufunc is None:
        if "scipy.special" not in sys.modules:    # then no ufunc of scipy's is in hand
            return None
        _by_ufunc = _made()
    row = _by_ufunc.get(ufunc)
    if isinstance(row, Exception):              # scipy's kernels could not be bound
        raise type(row)(*row.args)
    if row is not None and row.name in _CONSTANT_FIRST and inputs and _carries_tangent(inputs[0]):
        call, constant = _CONSTANT_FIRST[row.name]
        raise TypeError(
            f"scipy.special.{call}: the derivative in the {constant} is not offered (dualnum "
            f"differentiates it in its second argument only); pass the {constant} as a plain "
            "number or array")
    return row


# ----------------------------------------------------- nested binary rows
# Partial derivatives (da, db) at (a, b), numbers of the enclosing calls, as
# dualnum/_nested.pyx's RULES give them for numpy's rows: written with the
# ufuncs, which find the rows again on those numbers (scipy is imported: the
# user called one of its ufuncs).  None: an operand that cannot contribute (an
# order or exponent is a constant; x held at 0 in xlogy).  Comparisons of
# dual numbers act on their values.

def _xlogy(a, b, f, b_varies):
    return np.log(b), None if a == 0.0 else a / b


def _xlog1py(a, b, f, b_varies):
    return np.log1p(b), None if a == 0.0 else a / (1.0 + b)


def _rel_entr(a, b, f, b_varies):
    if a == 0.0:
        return -math.inf, None             # the limits of dualnum/_scipy_special.pyx
    return np.log(a / b) + 1.0, -(a / b)


def _betaln(a, b, f, b_varies):
    from scipy.special import psi
    both = psi(a + b)
    return psi(a) - both, psi(b) - both


def _jv(a, b, f, b_varies):
    from scipy.special import jv
    return None, (jv(a - 1.0, b) - jv(a + 1.0, b)) * 0.5


def _iv(a, b, f, b_varies):
    from scipy.special import iv
    return None, (iv(a - 1.0, b) + iv(a + 1.0, b)) * 0.5


def _kv(a, b, f, b_varies):
    from scipy.special import kv
    return None, (kv(a - 1.0, b) + kv(a + 1.0, b)) * -0.5


class _NotOffered:
    """A partial that is not offered: it raises where it meets a nonzero
    partial of its operand (nesting skips exact zeros)."""

    def __init__(self, message):
        self.message = message

    def __mul__(self, other):
        raise TypeError(self.message)

    __rmul__ = __mul__


_ZETA_IN_X = _NotOffered(
    "scipy.special.zeta(x, q) on nested calls: the derivative in x is not offered there "
    "(only in q); differentiate in x without nesting, or pass x as a plain number")


def _zeta(a, b, f, b_varies):
    from scipy.special import zeta
    return _ZETA_IN_X, -a * zeta(a + 1.0, b)


NESTED_RULES = {find(name): rule for name, rule in [
    ("xlogy", _xlogy), ("xlog1py", _xlog1py), ("rel_entr", _rel_entr), ("betaln", _betaln),
    ("jv", _jv), ("iv", _iv), ("kv", _kv), ("zeta", _zeta),
]}
