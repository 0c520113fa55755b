# cython: freethreading_compatible = False
"""The storage of a DualArray and the recorded-chain engine: elementwise
operations on large arrays recorded and run together, block by block.

dualnum/_array.pyx (the array operations) cimports this module; nothing
here knows the operations above it.  Also here, because both the chains and
the eager operations use them: the dispatch of the fused loops
(dualnum/_loops.pxd) and the allocation of results.
"""
cimport cython
cimport numpy as cnp
from cpython.pythread cimport (
    NOWAIT_LOCK, WAIT_LOCK, PyThread_acquire_lock, PyThread_allocate_lock, PyThread_free_lock,
    PyThread_get_thread_ident, PyThread_release_lock, PyThread_type_lock,
)
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

from dualnum._core cimport Dual
from dualnum._rules cimport binary_rule, unary_rule
from dualnum._fused cimport Source, Step, run_blocks
from dualnum._kernels cimport (
    FAST_ADD, FAST_COS, FAST_DIV, FAST_EXP, FAST_LOG, FAST_MUL, FAST_NEG, FAST_POW, FAST_SIN,
    FAST_SQRT, FAST_SUB, FAST_TANH, Rule,
)
from dualnum._rows cimport MAX_DIMS, ONE_BLOCK_ENTRIES, view
from dualnum._threads cimport claim, run_parts, unclaim
from dualnum._loops cimport (
    AddOp, AnyBinaryOp, AnyUnaryOp, CosOp, DivOp, ExpOp, LogOp, MulOp, NegOp, PowOp, SinOp,
    SqrtOp, SubOp, TanhOp, binary_loop, unary_loop,
)

import numbers
import warnings
import weakref

import numpy as np

cnp.import_array()

# real scalars (np.number would take complex ones too, and float() drops the
# imaginary part); a complex operand raises _not_real until complex duals exist
cdef tuple _REAL = (numbers.Real, np.floating, np.integer, np.bool_)
REAL_SCALARS = _REAL                  # the same classification for the array of hessian


cdef class ArrayStorage:
    """The storage of :class:`dualnum.DualArray`, stored or pending (the
    fields are declared in dualnum/_chains.pxd; dualnum._array.DualArrayCore
    adds the operations).

    The tangent is stored dense (``value.shape + (k,)``) or sparse: for each
    element, ``w`` entries of (direction, weight), with direction -1 for an
    unused entry and repeated directions adding up.  A gradient of n
    variables seeds the sparse form (one entry per element, k = n), so
    banded and elementwise code costs O(n) per operation instead of O(n²);
    anything the sparse form does not cover reads ``tangent``, which converts
    the array to the dense form once.
    """


@cython.final
cdef class Pending:
    """An elementwise operation recorded on a pending array (see "recorded
    chains" below; the fields are in dualnum/_chains.pxd)."""


cdef bint real_scalar(object x, double* value) except -1:
    """Store the value of a scalar operand (a real number or a Dual); False
    for anything else."""
    if type(x) is float or type(x) is int:
        value[0] = x
    elif type(x) is Dual:
        value[0] = (<Dual> x).val
    elif isinstance(x, _REAL):
        value[0] = float(x)
    else:
        return False
    return True


cdef tuple empty(int ndim, cnp.npy_intp* shape, Py_ssize_t k):
    """Fresh (value, tangent) arrays of the given shape and k directions
    (large ones: two views of one allocation, see dualnum/_rows.pxd)."""
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    cdef cnp.npy_intp m = 1, total
    cdef int i
    if ndim >= MAX_DIMS:
        raise ValueError(f"a DualArray supports at most {MAX_DIMS - 1} dimensions")
    for i in range(ndim):
        dims[i] = shape[i]
        m *= shape[i]
    dims[ndim] = k
    total = m * (k + 1)
    if total < ONE_BLOCK_ENTRIES:
        return (cnp.PyArray_EMPTY(ndim, dims, cnp.NPY_DOUBLE, 0),
                cnp.PyArray_EMPTY(ndim + 1, dims, cnp.NPY_DOUBLE, 0))
    block = cnp.PyArray_EMPTY(1, &total, cnp.NPY_DOUBLE, 0)
    cdef double* data = <double*> cnp.PyArray_DATA(block)
    return (view(ndim, dims, cnp.NPY_DOUBLE, data, block),
            view(ndim + 1, dims, cnp.NPY_DOUBLE, data + m, block))


def report(str name, tuple values):
    """Non-finite results from finite inputs warn (or raise) as numpy would."""
    ufunc = getattr(np, name, None)
    if isinstance(ufunc, np.ufunc):
        ufunc(*values)                       # numpy emits its own warning per np.errstate
        return
    mode = np.geterr()["invalid"]
    message = f"invalid value encountered in {name}"
    if mode == "raise":
        raise FloatingPointError(message)
    if mode != "ignore":
        warnings.warn(message, RuntimeWarning, stacklevel=3)


# ----------------------------------------------------- recorded chains
#
# An elementwise operation on large dense operands does not run at once: it
# returns a pending array that records it, and the first use of the result's
# storage runs the whole chain of recorded operations block by block
# (run_blocks in dualnum/_fused.pxd).  Run one at a time, each operation of
# numpy code such as sin(x) * exp(-x*x/2) on 10^6 elements would move value
# and tangent arrays larger than the cache out to memory and back; run in
# blocks, only the chain's inputs and its result travel.  Each step runs the
# loop the operation runs on its own, so the numbers are the same.
#
# A pending array reads its operands' storage later, so that storage must not
# change before then.  Operands are therefore pending arrays, scalars, or
# "fresh" arrays: storage allocated here and never handed out.  Handing it
# out (.value, .tangent, a view through indexing or reshaping) first runs
# every pending array that reads it (expose).  Plain ndarrays, which their
# owner may change at any time, make the operation run at once.
#
# Threads.  A chain runs without the GIL, and a pending array that was a step
# of a running chain may be run (and its operands handed out) by another
# thread meanwhile, so running the direct readers is not enough: every chain
# also registers, in each stored array it reads (_runs), a Run whose lock its
# thread holds until it no longer reads them, and expose waits for those.
# The invariant is kept by locks, not by the GIL (so it would hold on a
# free-threaded interpreter too): every change of the bookkeeping (_pending
# to stored, _fresh, _readers, _runs, Pending.run) happens under _chains,
# and so does the reading of it that decides what a chain reads:
# - record registers a reader only of an operand still pending or fresh;
# - force builds a chain and registers its Run in one hold of _chains;
# - expose clears _fresh first (no new readers), then runs the readers
#   (after which no chain can be built that reads x), then waits for the
#   Runs registered in x by then.
# A thread that needs a chain another thread is running waits for it
# (Pending.run) instead of running it a second time.  Two fast paths read
# without the lock: ready's test of _pending (which only ever goes from a
# pending operation to None; force looks again under the lock) and expose's
# "handed out before" test (see there).  On a free-threaded build these two
# loads would need acquire ordering; until this module declares itself
# free-threading compatible, such an interpreter keeps the GIL for it.
#
# What the loops run without the GIL read (each `with nogil` names its case):
# - a chain (_run_chain): its registered stored inputs, see above;
# - an eager operation or reduction: the storage of the operands its caller
#   passed; a write to one of them from another thread meanwhile is a race
#   in the caller's program, as it is with ndarrays;
# - all of them write only arrays allocated for their result, which no other
#   thread sees before they return.

# record only results with this many value and tangent entries or more (below
# it the operands fit in cache and the eager loops are as fast)
cdef Py_ssize_t _DEFER_ENTRIES = 65536
# operations one chain may hold, and stored arrays it may read (and so keep
# alive: eager operations would have let them go); beyond either, it runs its
# operands first
cdef Py_ssize_t _MAX_CHAIN = 32
cdef Py_ssize_t _MAX_INPUTS = 8
# scratch for a chain's blocks (all steps but the last), sized to stay in L2
cdef Py_ssize_t _CHAIN_BYTES = 262144
# the least work (elements x steps x (k + 1)) that one more thread must get
# for a chain to run on it (see "Parts" below).  benchmarks/threads_crossover.py
# on the 2-core test machine (2026-12-06): waking a worker and waiting for it
# costs ~4.5 us; one unit of work ~1 ns (a 4-step chain of 2^17 elements,
# k = 1: 1.04 ms); over 2 threads, chains of 1-2 ms took 0.56-0.61 of their
# time when the second core was free, and 1.03-1.06 when another process
# kept it busy (the calling thread then takes nearly every block).  2^18
# units (~0.26 ms) a thread keeps the hand-off under 2 %, and every chain
# of W3-W5 on one thread.
cdef Py_ssize_t _PART_WORK = 262144


cdef PyThread_type_lock _chains = PyThread_allocate_lock()
cdef unsigned long _chains_owner = 0           # the thread holding _chains, else 0


cdef int _lock() except -1:
    """Take _chains.  The sections it guards call no Python code of their own,
    but a garbage collection inside one may (a finalizer): re-entering raises
    instead of deadlocking."""
    global _chains_owner
    cdef unsigned long me = PyThread_get_thread_ident()
    if not PyThread_acquire_lock(_chains, NOWAIT_LOCK):
        if _chains_owner == me:
            raise RuntimeError("dualnum: recorded chains used from a finalizer while "
                               "their bookkeeping was being changed")
        with nogil:                              # its holder may need the GIL to finish
            PyThread_acquire_lock(_chains, WAIT_LOCK)
    _chains_owner = me
    return 0


cdef inline void _unlock() noexcept:
    global _chains_owner
    _chains_owner = 0
    PyThread_release_lock(_chains)


cdef class Run:
    """A chain one thread is running: that thread holds the lock until the chain
    no longer reads its inputs (nor writes its result), so that other threads
    can wait for it (expose, force)."""

    def __cinit__(self):
        self.lock = PyThread_allocate_lock()
        if self.lock == NULL:
            raise MemoryError()
        self.held = PyThread_acquire_lock(self.lock, NOWAIT_LOCK)     # new: never blocks
        self.thread = PyThread_get_thread_ident()

    def __dealloc__(self):
        if self.lock != NULL:
            self.done()
            PyThread_free_lock(self.lock)

    cdef void done(self) noexcept:
        if self.held:
            self.held = False
            PyThread_release_lock(self.lock)

    cdef int wait(self) except -1:
        """Block, without the GIL, until the chain has run."""
        if self.thread == PyThread_get_thread_ident():
            raise RuntimeError("dualnum: a recorded chain was needed while it ran in "
                               "the same thread (from a warning handler?)")
        with nogil:
            PyThread_acquire_lock(self.lock, WAIT_LOCK)
            PyThread_release_lock(self.lock)
        return 0


cdef int expose(ArrayStorage x) except -1:
    """Prepare x's storage to be handed out (and maybe changed, by any thread):
    afterwards no pending array reads it and no chain that reads it is still
    running (see "Threads" above)."""
    cdef list readers, runs
    cdef Run run
    # nothing to do, without the lock, where no chain reads x nor can start
    # to: x was handed out before and nothing recorded since (each field only
    # moves to this state once no chain reads x any more), or x is too small
    # to be recorded (record; chain_settings changes that only in tests)
    if x._pending is None and x._readers is None:
        if not x._fresh:
            return 0
        if cnp.PyArray_SIZE(x._value) * (x.directions + 1) < _DEFER_ENTRIES:
            x._fresh = False
            return 0
    ready(x)
    _lock()
    x._fresh = False                             # from now on no operation records x
    readers = x._readers
    _unlock()
    if readers is None:
        return 0                                 # no chain ever read x
    for ref in readers:
        reader = ref()
        if reader is not None:
            ready(<ArrayStorage> reader)
    # no chain built from now on reads x (its readers have stored results);
    # wait for those that were built before and still run
    _lock()
    try:
        runs = list(x._runs) if x._runs is not None else None
    finally:
        _unlock()
    if runs is not None:
        for run in runs:
            run.wait()
    _lock()
    x._readers = None                            # (kept if a reader raised)
    _unlock()
    return 0


def chain_settings(defer_entries=None, chain_bytes=None, max_chain=None, part_work=None):
    """Set the limits of recorded chains (None: keep); returns the previous
    (defer_entries, chain_bytes, max_chain, part_work).  For tests and
    measurements."""
    global _DEFER_ENTRIES, _CHAIN_BYTES, _MAX_CHAIN, _PART_WORK
    previous = (_DEFER_ENTRIES, _CHAIN_BYTES, _MAX_CHAIN, _PART_WORK)
    if part_work is not None:
        if part_work < 1:
            raise ValueError("part_work must be at least 1")
        _PART_WORK = part_work
    if defer_entries is not None:
        _DEFER_ENTRIES = defer_entries
    if chain_bytes is not None:
        _CHAIN_BYTES = chain_bytes
    if max_chain is not None:
        if max_chain < 1:
            raise ValueError("max_chain must be at least 1")
        _MAX_CHAIN = max_chain
    return previous


def is_pending(ArrayStorage x):
    """Whether x records an operation that has not run yet (for tests)."""
    return x._pending is not None


# (x._pending read once: another thread may run x's chain in between)
cdef tuple shape_of(ArrayStorage x):
    cdef Pending p = x._pending
    return p.shape if p is not None else (<object> x._value).shape


cdef Py_ssize_t size_of(ArrayStorage x):
    cdef Pending p = x._pending
    return p.size if p is not None else cnp.PyArray_SIZE(x._value)


cdef bint contiguous_storage(ArrayStorage x):
    return (x._dense is not None and cnp.PyArray_IS_C_CONTIGUOUS(x._value)
            and cnp.PyArray_IS_C_CONTIGUOUS(x._dense))


cdef bint _take(Pending p, bint second, object x, ArrayStorage lead):
    """Store operand x of a recorded operation; False if it cannot be recorded."""
    cdef ArrayStorage d
    cdef double scalar
    cdef Dual dual = None
    if isinstance(x, ArrayStorage):
        d = <ArrayStorage> x
        if d.tag != lead.tag or d.directions != lead.directions:
            return False
        if d._pending is None and not (d._fresh and contiguous_storage(d)):
            return False
        if d is not lead and shape_of(d) != p.shape:
            return False
        if second:
            p.b = d
        else:
            p.a = d
        return True
    if not real_scalar(x, &scalar):
        return False
    if type(x) is Dual and (<Dual> x).n:
        dual = <Dual> x
        if dual.tag != lead.tag or dual.n != lead.directions:
            return False                        # (the eager operation raises the error)
    if second:
        p.scalar_b, p.dual_b = scalar, dual
    else:
        p.scalar_a, p.dual_a = scalar, dual
    return True


cdef Pending plan(Rule rule, object a, object b, bint binary):
    """The record of rule(a) or rule(a, b) for a pending result (see attach),
    or None where the operation must run now (small, sparse, broadcasting, a
    plain array operand, ...)."""
    cdef ArrayStorage lead
    if isinstance(a, ArrayStorage):
        lead = <ArrayStorage> a
    elif binary and isinstance(b, ArrayStorage):
        lead = <ArrayStorage> b
    else:
        return None
    if lead._pending is None and lead._dense is None:
        return None                             # sparse
    cdef Py_ssize_t k = lead.directions, size = size_of(lead)
    if size * (k + 1) < _DEFER_ENTRIES or not shape_of(lead):
        return None                             # small, or 0-d (whose results are Duals)
    cdef Pending p = Pending.__new__(Pending)
    p.rule, p.binary, p.size, p.shape = rule, binary, size, shape_of(lead)
    if not _take(p, False, a, lead) or (binary and not _take(p, True, b, lead)):
        return None
    errstate = np.geterr()
    if "raise" in errstate.values() or "call" in errstate.values():
        return None                             # so that the error comes from this operation
    p.errstate = errstate
    _measure(p)
    if p.length > _MAX_CHAIN or len(p.inputs) > _MAX_INPUTS:
        for d in (p.a, p.b):
            if d is not None:
                ready(<ArrayStorage> d)
        _measure(p)
    return p


cdef bint attach(ArrayStorage r, Pending p) except -1:
    """Make the new array r the pending result of p; False where an operand
    was handed out meanwhile, and the operation must run now."""
    cdef ArrayStorage lead = p.a if p.a is not None else p.b
    r._pending, r.tag, r.directions = p, lead.tag, lead.directions
    ref = weakref.ref(r)
    _lock()
    try:
        # the operands were checked without the lock: one may have been
        # handed out since (by another thread), and then r must not read it
        if not (_unexposed(p.a) and _unexposed(p.b)):
            return False
        if p.a is not None:
            _add_reader(p.a, ref)
        if p.b is not None and p.b is not p.a:
            _add_reader(p.b, ref)
    finally:
        _unlock()
    return True


cdef inline bint _unexposed(ArrayStorage d):
    """Whether a recorded operation may read d later (under _chains)."""
    return d is None or d._pending is not None or d._fresh


cdef int _measure(Pending p) except -1:
    """The operations and the distinct stored arrays of the chain p ends."""
    cdef Pending q
    p.length, p.inputs = 1, set()
    for d in (p.a, p.b):
        if d is None:
            continue
        q = (<ArrayStorage> d)._pending
        if q is not None:
            p.length += q.length
            p.inputs |= q.inputs
        else:
            p.inputs.add(id(d))
    return 0


cdef int _add_reader(ArrayStorage x, object ref) except -1:
    if x._readers is None:
        x._readers = [ref]
        return 0
    if len(x._readers) >= 16:                    # drop the readers that ran or died
        x._readers = [r for r in x._readers
                      if r() is not None and (<ArrayStorage> r())._pending is not None]
    x._readers.append(ref)
    return 0


cdef list _chain(ArrayStorage root):
    """The pending arrays root's chain runs, operands before their users, root last."""
    cdef list order = [], stack = [(root, False)]
    cdef set seen = set()
    cdef ArrayStorage node
    while stack:
        node, expanded = stack.pop()
        if id(node) in seen:
            continue
        if expanded:
            seen.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        for d in (node._pending.a, node._pending.b):
            if d is not None and (<ArrayStorage> d)._pending is not None and id(d) not in seen:
                stack.append((d, False))
    return order


cdef int _set_source(Source* src, ArrayStorage d, double* scalar, Dual dual,
                     dict position, Run run, list inputs) except -1:
    if d is None:
        src.step, src.value, src.stride = -1, scalar, 0
        src.tangent = NULL if dual is None else dual.d
    elif d._pending is not None:
        src.step, src.stride = position[id(d)], 1
    else:
        # a stored array, read later without the GIL: run tells d so
        if d._runs is None:
            d._runs = [run]
            inputs.append(d)
        elif d._runs[-1] is not run:            # (not when the chain reads d twice)
            d._runs.append(run)
            inputs.append(d)
        src.step, src.stride = -1, 1
        src.value = <double*> cnp.PyArray_DATA(d._value)
        src.tangent = <double*> cnp.PyArray_DATA(d._dense)
    return 0


cdef int force(ArrayStorage root) except -1:
    """Run root's chain and store its result in root, or wait for the thread
    that is running it."""
    cdef Run run = Run.__new__(Run), other
    cdef Pending p
    while True:
        _lock()
        p = root._pending
        other = None if p is None else p.run
        if p is not None and other is None:
            p.run = run                         # this thread runs it
        _unlock()
        if p is None:
            return 0                            # it ran meanwhile
        if other is None:
            break
        other.wait()
    cdef list inputs = []                       # the stored arrays run is registered in
    try:
        _run_chain(root, p, run, inputs)
    finally:
        _lock()
        try:
            for d in inputs:
                (<ArrayStorage> d)._runs.remove(run)
                if not (<ArrayStorage> d)._runs:
                    (<ArrayStorage> d)._runs = None
            p.run = None
        finally:
            _unlock()
            run.done()
    return 0


cdef int _run_chain(ArrayStorage root, Pending p, Run run, list inputs) except -1:
    """force's work, by the thread that p.run names."""
    cdef list order, keep = []
    cdef Py_ssize_t n, k = root.directions, m = p.size, i, block
    cdef dict position
    cdef ArrayStorage node
    cdef Pending q
    cdef bint bad = False
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    cdef tuple shape = p.shape
    for i in range(len(shape)):
        dims[i] = shape[i]
    value, tangent = empty(len(shape), dims, k)
    cdef double* out_v = <double*> cnp.PyArray_DATA(<cnp.ndarray> value)
    cdef double* out_t = <double*> cnp.PyArray_DATA(<cnp.ndarray> tangent)
    cdef Step* steps = NULL
    cdef double* scratch = NULL
    cdef Py_ssize_t blocks
    cdef int threads, j
    cdef Parts run_on
    try:
        # in one hold of _chains: which operands the chain recomputes (pending
        # ones) and which it reads (stored ones), and run registered in those
        _lock()
        try:
            if root._pending is not p:
                return 0                        # stored by another thread's _force_stepwise
            order = _chain(root)
            n = len(order)
            position = {id(order[i]): i for i in range(n)}
            steps = <Step*> malloc(n * sizeof(Step))
            if steps == NULL:
                raise MemoryError()
            for i in range(n):
                node = order[i]
                q = node._pending
                keep.append(q)                  # (another thread may store node meanwhile)
                _set_step(&steps[i], q, position, run, inputs)
        finally:
            _unlock()
        block = _CHAIN_BYTES // (sizeof(double) * (k + 1) * max(n - 1, 1))
        block = max(16, min(4096, block)) // 8 * 8
        blocks = (m + block - 1) // block
        threads = claim(max(1, min(blocks, m * n * (k + 1) // _PART_WORK)))
        try:
            run_on.steps = <Step*> realloc(steps, threads * n * sizeof(Step))
            if run_on.steps == NULL:
                raise MemoryError()
            steps = run_on.steps
            for i in range(1, threads):         # each thread counts its own non-finite values
                memcpy(steps + i * n, steps, n * sizeof(Step))
            run_on.scratch_size = max(n - 1, 1) * block * (k + 1)
            scratch = <double*> malloc(threads * run_on.scratch_size * sizeof(double))
            if scratch == NULL:
                raise MemoryError()
        except BaseException:
            unclaim(threads)
            raise
        run_on.n, run_on.m, run_on.k = n, m, k
        run_on.block = block if threads > 1 else m      # one thread: one call of run_blocks
        run_on.scratch, run_on.out_v, run_on.out_t = scratch, out_v, out_t
        run_on.scratch_block = block
        # Without the GIL, run_blocks reads the storage of `inputs`, which
        # nobody changes before run is done (expose waits for it), the
        # partials of Dual operands (immutable; kept by `keep`) and scratch,
        # and writes value and tangent, which nobody sees before they are
        # stored below.  The workers running other chunks read and write the
        # same, each its own elements and its own scratch, and are done when
        # run_parts returns.
        with nogil:
            run_parts(_run_chunk, &run_on, threads, blocks if threads > 1 else 1)
        for i in range(n):
            for j in range(1, threads):
                steps[i].bad += steps[j * n + i].bad
            bad |= steps[i].bad != 0
    finally:
        free(steps)
        free(scratch)
    if bad:
        # replay one operation at a time, so that numpy warns as it would have
        _force_stepwise(order, run, inputs)
        return 0
    _lock()
    if root._pending is p:                      # (else as above: the same numbers)
        root._value, root._dense, root._pending, root._fresh = value, tangent, None, True
    _unlock()
    return 0


# Parts.  A chain with enough work runs on several threads (dualnum/_threads.pyx
# hands it to its workers): each block is a chunk, which the threads take
# one after the other, so every block, and so every call of a loop, is the
# one a single thread runs, and the numbers do not depend on the threads;
# a thread the system stops holds back one block at most.  Each thread has
# its own scratch and its own copy of the steps, whose non-finite counts
# are summed afterwards (for _force_stepwise).  The threshold: _PART_WORK.

cdef struct Parts:
    Step* steps                 # a copy of the chain's n steps per thread
    int n
    Py_ssize_t m, k
    Py_ssize_t block            # the elements of a chunk (m on one thread: one chunk)
    Py_ssize_t scratch_block    # the elements of a block of run_blocks
    double* scratch             # an area of scratch_size doubles per thread
    Py_ssize_t scratch_size
    double* out_v
    double* out_t


cdef void _run_chunk(void* arg, int thread, Py_ssize_t chunk) noexcept nogil:
    """Run one chunk of a chain on one thread (see "Parts")."""
    cdef Parts* c = <Parts*> arg
    cdef Py_ssize_t start = chunk * c.block
    cdef Py_ssize_t end = start + c.block
    run_blocks(c.steps + thread * c.n, c.n, start, end if end < c.m else c.m, c.k, c.scratch_block,
               c.scratch + thread * c.scratch_size, c.out_v, c.out_t, run_unary, run_binary)


cdef int _force_stepwise(list order, Run run, list inputs) except -1:
    """Run the chain's operations one at a time, storing every intermediate
    result, so that numpy warns (or raises) under the error handling each
    was recorded with, as the operations run at once would have.

    Each step registers run in the stored arrays it reads, as _run_chain
    does, in the hold of _chains that checks the step is still pending: an
    intermediate stored here and handed out by another thread meanwhile had
    its readers stored first (expose runs them), so the later step is
    skipped then."""
    cdef ArrayStorage node
    cdef Pending p
    cdef Step step
    cdef Py_ssize_t k, i
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    for node in order:
        _lock()
        try:
            p = node._pending
            if p is not None:                   # its operands are stored by now
                _set_step(&step, p, None, run, inputs)
        finally:
            _unlock()
        if p is None:
            continue                            # stored by another thread
        k = node.directions
        for i in range(len(p.shape)):
            dims[i] = p.shape[i]
        value, tangent = empty(len(p.shape), dims, k)
        with nogil:                             # reads what run is registered in
            run_blocks(&step, 1, 0, p.size, k, p.size, NULL,
                       <double*> cnp.PyArray_DATA(<cnp.ndarray> value),
                       <double*> cnp.PyArray_DATA(<cnp.ndarray> tangent), run_unary, run_binary)
        if step.bad:
            values = (_original(p.a, p.scalar_a),)
            if p.binary:
                values += (_original(p.b, p.scalar_b),)
            with np.errstate(**p.errstate):
                report(p.rule.name, values)
        _lock()
        if node._pending is p:
            node._value, node._dense, node._pending, node._fresh = value, tangent, None, True
        _unlock()
    return 0


cdef object _original(ArrayStorage d, double scalar):
    """An operand of a step as numpy would have seen it (a Dual as its value)."""
    return scalar if d is None else d._value


cdef int _set_step(Step* step, Pending q, dict position, Run run, list inputs) except -1:
    """The step that runs q (under _chains: it registers run, see _set_source)."""
    step.fast, step.bad = q.rule.fast, 0
    step.unary = NULL if q.binary else q.rule.unary
    step.binary = q.rule.binary
    _set_source(&step.a, q.a, &q.scalar_a, q.dual_a, position, run, inputs)
    if q.binary:
        _set_source(&step.b, q.b, &q.scalar_b, q.dual_b, position, run, inputs)
    return 0


# ------------------------------------------------------------- dispatch

cdef Py_ssize_t run_unary(int fast, unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                           const double* v, const double* t,
                           double* ov, double* ot) noexcept nogil:
    """The unary loop; returns the number of non-finite values from finite inputs."""
    # the common rules have loops compiled for them (the *Op types pick those)
    if fast == FAST_NEG:
        return unary_loop(<NegOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_EXP:
        return unary_loop(<ExpOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_LOG:
        return unary_loop(<LogOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_SIN:
        return unary_loop(<SinOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_COS:
        return unary_loop(<CosOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_SQRT:
        return unary_loop(<SqrtOp*> NULL, rule, m, k, v, t, ov, ot)
    if fast == FAST_TANH:
        return unary_loop(<TanhOp*> NULL, rule, m, k, v, t, ov, ot)
    return unary_loop(<AnyUnaryOp*> NULL, rule, m, k, v, t, ov, ot)


cdef Py_ssize_t run_binary(int fast, binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                            const double* a, const double* ta, Py_ssize_t step_a,
                            const double* b, const double* tb, Py_ssize_t step_b,
                            double* ov, double* ot) noexcept nogil:
    """The binary loop (step 0: a scalar operand); returns as run_unary."""
    if fast == FAST_ADD:
        return binary_loop(<AddOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
    if fast == FAST_SUB:
        return binary_loop(<SubOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
    if fast == FAST_MUL:
        return binary_loop(<MulOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
    if fast == FAST_DIV:
        return binary_loop(<DivOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
    if fast == FAST_POW:
        return binary_loop(<PowOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
    return binary_loop(<AnyBinaryOp*> NULL, rule, m, k, a, ta, step_a, b, tb, step_b, ov, ot)
