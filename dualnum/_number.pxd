# The number protocol, written once for Dual, Jet, Dual2 and Nested (dualnum/_number.pyx),
# and the tags of differentiation calls.
cimport cython
from cpython.float cimport PyFloat_AS_DOUBLE
from cpython.long cimport PyLong_AsDouble

from dualnum._table cimport Row


# one counter for every number and array type, so that tags of all of them are
# ordered together: a newer (inner) differentiation call has a higher tag
cdef unsigned long long next_tag() noexcept


@cython.no_gc                        # holds only a bytes buffer: no reference cycles
cdef class Number:
    # storage for the coefficients past those a type keeps inside the object
    # (None when they fit); the one object field of every number, first, so
    # that the freelist's deallocation below finds it at a fixed place
    cdef bytes heap
    # What each number type supplies; the base writes the operators, comparisons,
    # hashing, refused conversions, copying, numpy's protocols and the
    # ufunc-named methods on top of these.
    cdef double value_of(self) noexcept
    # the row applied to self (a unary function)
    cdef object unary(self, Row row)
    # the row applied to (a, b), one of which is self; NotImplemented when the
    # other operand is neither a real number nor a number of self's kind
    cdef object binary(self, Row row, object a, object b)
    # a number of self's kind and call with this value and zero derivatives
    cdef object flat(self, double value)
    # Nesting (dualnum/_nested.pyx), for the types whose numbers of two calls
    # nest (Dual, Nested); the base's answers fit the others (Jet, Dual2).
    # self at its own call's level: (tag, value, partials as a list), tag 0 for
    # a constant; None for a type that takes no part in nesting
    cdef tuple level(self)
    # a first-order dual number (a Dual) of call ``tag`` with these float parts,
    # made by self or by a number self holds
    cdef object first_order(self, double value, list partials, unsigned long long tag)
    # numpy's ufunc (method) on inputs that include arrays: numpy's object loops
    cdef object ufunc_on_arrays(self, object ufunc, str method, tuple inputs, dict kwargs)
    # a complex number (ComplexDual): it takes complex operands and real numbers
    # of every kind take it
    cdef bint is_complex(self) noexcept


cdef bint _real_number(object o, double* out) except -1


# ------------------------------------------------------------- allocation
# A number is made and dropped per operation.  Cython keeps a freelist
# (@cython.freelist) only for types without a base class, and the generic
# allocation of a subclass costs about 60 instructions more than its freelist
# (W1 measured 7% slower).  So each number type's module keeps its own
# freelist (these statics are compiled into every module that cimports this
# file; each defines at most one number type): ``give`` is the type's tp_free,
# and ``fresh`` copies a template instance of the type -- its method table
# pointer and the None of its object field -- into memory from the freelist.

from cpython.object cimport PyObject, PyTypeObject

cdef extern from *:
    """
    #define DUALNUM_FREELIST_SIZE 64
    static PyObject *dualnum_free_items[DUALNUM_FREELIST_SIZE];
    static int dualnum_free_count = 0;

    static CYTHON_UNUSED void dualnum_give(void *p) {
        if (dualnum_free_count < DUALNUM_FREELIST_SIZE) {
            dualnum_free_items[dualnum_free_count++] = (PyObject *) p;
        } else {
            PyObject_Free(p);
        }
    }

    /* Cython's layout of a Number: the object head, the method table, heap */
    typedef struct { PyObject_HEAD void *vtab; PyObject *heap; } dualnum_number_layout;

    static CYTHON_UNUSED PyObject *dualnum_heap_of(PyObject *o) {
        return ((dualnum_number_layout *) o)->heap;
    }

    /* The type's tp_dealloc: what Cython's would do for a final type whose
       one object field is heap, without its calls through the base type's
       tp_dealloc and tp_free (two indirect calls per number dropped). */
    static CYTHON_UNUSED void dualnum_drop(PyObject *o) {
        Py_CLEAR(((dualnum_number_layout *) o)->heap);
        dualnum_give(o);
    }

    /* A new number: memory from the freelist, with the object head, the
       method table of template and None in heap; the caller sets the rest.
       On release builds of CPython before 3.13, PyObject_Init only sets
       the type and a reference count of 1 (and tells tracemalloc, whose
       record of this memory then stays the first allocation's), so the
       head is written here without the two calls; other builds, whose
       reference tracers must see every new object, call it. */
    static CYTHON_INLINE PyObject *dualnum_fresh(PyTypeObject *type, PyObject *template,
                                                 size_t size) {
        PyObject *o = dualnum_free_count > 0 ? dualnum_free_items[--dualnum_free_count]
                                             : (PyObject *) PyObject_Malloc(size);
        if (o == NULL) return PyErr_NoMemory();
        ((dualnum_number_layout *) o)->vtab = ((dualnum_number_layout *) template)->vtab;
        Py_INCREF(Py_None);
        ((dualnum_number_layout *) o)->heap = Py_None;
    #if PY_VERSION_HEX < 0x030D0000 && !defined(Py_TRACE_REFS) && !defined(Py_REF_DEBUG) \
            && !defined(Py_GIL_DISABLED) && !defined(PYPY_VERSION)
        Py_SET_TYPE(o, type);
        if (type->tp_flags & Py_TPFLAGS_HEAPTYPE)
            Py_INCREF(type);          /* as PyObject_Init does */
        Py_SET_REFCNT(o, 1);
        return o;
    #else
        return PyObject_Init(o, type);
    #endif
    }
    """
    void dualnum_give(void* p) noexcept
    void dualnum_drop(PyObject* o) noexcept
    PyObject* dualnum_heap_of(PyObject* o) noexcept
    object dualnum_fresh(PyTypeObject* type, PyObject* template, size_t size)


cdef inline int use_freelist(type number_type, Number template) except -1:
    """Drop numbers of this (final) type into this module's freelist (at the
    module's import); template is an instance, to check the layout."""
    template.heap = b"layout"
    if dualnum_heap_of(<PyObject*> template) != <PyObject*> template.heap:
        raise ImportError(f"dualnum: unexpected object layout of {number_type.__name__}")
    template.heap = None
    (<PyTypeObject*> number_type).tp_dealloc = dualnum_drop
    (<PyTypeObject*> number_type).tp_free = dualnum_give
    return 0


cdef inline object fresh(type number_type, object template, size_t size):
    """A new number of template's type, holding None in its one object field
    (the caller fills in the rest)."""
    return dualnum_fresh(<PyTypeObject*> number_type, <PyObject*> template, size)


cdef inline bint to_double(object o, double* out) except -1:
    """Store o as a C double if it is a real number (not a dual number of any
    kind: int, float, bool, numpy real, Fraction...); else return False."""
    if type(o) is float:
        out[0] = PyFloat_AS_DOUBLE(o)
        return True
    if type(o) is int:
        out[0] = PyLong_AsDouble(o)
        return True
    return _real_number(o, out)


# evaluate a float reference so that it raises what math / float would
cdef int raise_like(object ref, tuple args) except -1
