# cython: freethreading_compatible = False
"""The elementary functions dualnum.sin & co., built from the function table.

Each is one row of dualnum/_table.pyx applied to its argument: a dual number
of any kind applies the row itself (dualnum/_number.pyx), a real number gets
the float reference (math's value and errors), a float array the numpy ufunc,
an object array the function elementwise, and a dual array its own kernels
(through numpy's ufunc protocol or ``__dualnum_unary__``).
"""
cimport cython
from cpython.mem cimport PyMem_Malloc
from cpython.object cimport PyCFunction, PyMethodDef, PyObject

from dualnum._number cimport Number, to_double
from dualnum._table cimport Row

import math
import numbers

import numpy as np

from dualnum._table import ROWS as _ROWS, find as _find

cdef object _ndarray = np.ndarray
cdef object _np_generic = np.generic


@cython.boundscheck(False)
@cython.wraparound(False)
cdef object _map_rule(Row r, object x):
    """Apply a unary rule elementwise to a float array (no numpy equivalent)."""
    cdef double g
    cdef Py_ssize_t i
    cdef object out = np.array(x, dtype=np.float64, copy=True, order="C")
    cdef double[::1] flat = out.reshape(-1)
    with nogil:
        for i in range(flat.shape[0]):
            flat[i] = r.first_unary(flat[i], &g)
    return out


cdef object _elementwise(Row r, object arr):
    """Apply the row to every element of an object array (e.g. an array of Duals)."""
    cdef object out = np.empty(arr.shape, dtype=object)
    cdef object flat_out = out.reshape(-1)
    cdef Py_ssize_t i = 0
    for item in arr.reshape(-1):
        flat_out[i] = apply_unary(r, item)
        i += 1
    return out


cdef object apply_unary(Row r, object x):
    cdef double v, g
    if isinstance(x, Number):
        return (<Number> x).unary(r)
    if type(x) is float or type(x) is int:
        return r.reference(x) if r.reference is not None else r.first_unary(<double> x, &g)
    if isinstance(x, _ndarray):
        if x.dtype == object:
            return _elementwise(r, x)
        return r.ufunc(x) if r.ufunc is not None else _map_rule(r, x)
    if isinstance(x, _np_generic) and r.ufunc is not None:
        return r.ufunc(x)
    if isinstance(x, (list, tuple)):
        return apply_unary(r, np.asarray(x))
    if to_double(x, &v):
        return r.reference(v) if r.reference is not None else r.first_unary(v, &g)
    if r.ufunc is not None and hasattr(x, "__array_ufunc__"):
        return r.ufunc(x)
    if hasattr(x, "__dualnum_unary__"):         # a dual array or a nested number: erf, gamma...
        return x.__dualnum_unary__(r.name)
    raise TypeError(
        f"dualnum.{r.name}() expects a real number, an ndarray or a dual number, "
        f"got {type(x).__name__}")


cdef object apply_binary(Row r, object a, object b):
    cdef double av, bv, ga, gb
    cdef object result
    if isinstance(a, Number) or isinstance(b, Number):
        if isinstance(a, (_ndarray, list, tuple)) or isinstance(b, (_ndarray, list, tuple)):
            return r.ufunc(a, b)     # object arrays, through the numbers' __array_ufunc__
        result = (<Number> a).binary(r, a, b) if isinstance(a, Number) else NotImplemented
        if result is NotImplemented and isinstance(b, Number):
            result = (<Number> b).binary(r, a, b)
        if result is not NotImplemented:
            return result
        if hasattr(b if isinstance(a, Number) else a, "__array_ufunc__"):
            return r.ufunc(a, b)     # a dual array or a nested number: numpy dispatches to it
    elif (isinstance(a, (_ndarray, _np_generic, list, tuple))
          or isinstance(b, (_ndarray, _np_generic, list, tuple))):
        return r.ufunc(a, b)
    elif to_double(a, &av) and to_double(b, &bv):
        if r.reference is not None:
            return r.reference(a, b)
        return r.first_binary(av, bv, &ga, &gb)
    elif hasattr(a, "__array_ufunc__") or hasattr(b, "__array_ufunc__"):
        return r.ufunc(a, b)
    raise TypeError(
        f"dualnum.{r.name}() expects real numbers, ndarrays or dual numbers, "
        f"got {type(a).__name__} and {type(b).__name__}")


# The module functions are built-in functions bound to their row (as CPython
# binds a built-in method to its object): a call costs what a compiled
# module-level function costs, and the interpreter's fast path for one-argument
# built-ins applies (a Python closure per row would cost ~100 instructions
# more per call, about 10% of W1).

cdef extern from "Python.h":
    object PyCFunction_NewEx(PyMethodDef* ml, object self, object module)
    int METH_O, METH_FASTCALL, METH_KEYWORDS


cdef object _unary_entry(object r, object x):
    return apply_unary(<Row> r, x)


cdef object _binary_entry(object r, PyObject** args, Py_ssize_t nargs):
    if nargs != 2:
        raise TypeError(f"{(<Row> r).name}() takes exactly 2 arguments ({nargs} given)")
    return apply_binary(<Row> r, <object> args[0], <object> args[1])


cdef object _log_entry(object r, PyObject** args, Py_ssize_t nargs, PyObject* kwnames):
    """log(x[, base]); kwnames: NULL or the names of the keyword arguments after args[nargs - 1]"""
    cdef Py_ssize_t nkw = len(<object> kwnames) if kwnames != NULL else 0
    if (nkw > 1 or (nkw == 1 and (<object> kwnames)[0] != "base")
            or nargs + nkw not in (1, 2) or nargs == 0):
        raise TypeError("log() takes x and an optional base")
    x = <object> args[0]
    if nargs + nkw == 1:
        return apply_unary(<Row> r, x)
    base = <object> args[1]
    if _plain_real(x) and _plain_real(base):
        return math.log(x, base)
    return apply_unary(<Row> r, x) / apply_unary(<Row> r, base)   # duals, arrays and dual arrays


cdef inline bint _plain_real(object x):
    return isinstance(x, numbers.Real) and not isinstance(x, (Number, _np_generic))


cdef list _keep = []             # the names and docstrings the method definitions point into


cdef object _builtin(Row r, str name):
    cdef PyMethodDef* ml = <PyMethodDef*> PyMem_Malloc(sizeof(PyMethodDef))
    if ml == NULL:
        raise MemoryError()
    if name == "log":                # the one function with an optional argument
        call = "log(x[, base])"
        ml.ml_meth = <PyCFunction> <void*> _log_entry
        ml.ml_flags = METH_FASTCALL | METH_KEYWORDS
    elif r.arity == 1:
        call = f"{name}(x)"
        ml.ml_meth = <PyCFunction> _unary_entry
        ml.ml_flags = METH_O
    else:
        call = f"{name}(a, b)"
        ml.ml_meth = <PyCFunction> <void*> _binary_entry
        ml.ml_flags = METH_FASTCALL
    encoded_name = name.encode()
    # (no __text_signature__: the stub's overloads give the types, as for the
    # compiled functions these replace)
    encoded_doc = f"{call}: {r.doc}".encode()
    _keep.extend((encoded_name, encoded_doc))
    ml.ml_name = encoded_name
    ml.ml_doc = encoded_doc
    return PyCFunction_NewEx(ml, r, "dualnum")


cdef dict _made = {}
for _r in _ROWS:
    for _name in (<Row> _r).functions:
        _made[_name] = _builtin(_r, _name)

globals().update(_made)
FUNCTIONS = dict(sorted(_made.items()))     # name -> module function, for dualnum/__init__.py


def scalar_function(str name):
    """The row a numpy spelling names, as a function of scalars: the module
    function where there is one, else the operator applied through the row."""
    r = _find(name)
    if r is None:
        return None
    for spelling in (<Row> r).functions:
        return _made[spelling]
    if name not in _operators:
        _operators[name] = _builtin(r, name)
    return _operators[name]


cdef dict _operators = {}        # the operators' rows as functions, made at first use
