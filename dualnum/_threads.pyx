# cython: freethreading_compatible = False
"""Worker threads that run the parts of a recorded chain, and the thread
count the user controls (:func:`set_num_threads`, :func:`get_num_threads`,
:func:`num_threads`, the environment variable ``DUALNUM_NUM_THREADS``).

Conventions:

- A count of n threads lets up to n threads run one chain at once: the
  calling thread and n - 1 workers.  They take the chain's chunks (its
  blocks) one after the other from a shared counter, so a thread that the
  system does not schedule (a busy machine) delays the others by one chunk
  at most: they take the rest.  The
  default is the number of physical cores available to the process
  (:func:`physical_cores`); hyperthreads share a core's vector units, and
  the chains' loops are bound by those.
- The count is one setting for the process, not per thread.
- The caller decides how many parts a chain is worth (dualnum/_chains.pyx:
  small chains stay on one thread, where the hand-off would cost more than
  it saves).  While one thread's chain uses the workers, a chain of another
  thread runs on its own thread alone: it never waits for the pool.
- Parts never change what is computed: each element goes through the same
  kernel whatever part it is in (the caller splits at its block edges).

Mechanism: a pool of native threads started once through CPython's portable
thread API (``PyThread_start_new_thread``: pthreads on POSIX, Win32 threads
on Windows) and woken through ``PyThread`` locks, which may be taken and
released by threads without a Python thread state.  The workers never touch
a Python object nor the GIL.  Unlike OpenMP (``prange``), this needs no
compiler flag and no OpenMP runtime in the wheels (libgomp, libomp, which
Apple's clang does not ship, MSVC's /openmp), so every platform of
``[tool.cibuildwheel]`` and the sdist build as before.  After ``fork`` the
child has none of the parent's workers: it starts its own when it needs them.
"""
import contextlib
import operator
import os
import sys

from cpython.pythread cimport (
    NOWAIT_LOCK, WAIT_LOCK, PyThread_acquire_lock, PyThread_allocate_lock, PyThread_free_lock,
    PyThread_release_lock, PyThread_type_lock,
)
from libc.stdlib cimport free, malloc, realloc

cdef extern from "pythread.h":
    # (Cython's declaration lacks noexcept nogil on the thread's function)
    unsigned long start_thread "PyThread_start_new_thread" (
        void (*func)(void*) noexcept nogil, void* arg) nogil
    unsigned long PYTHREAD_INVALID_THREAD_ID

ENVIRONMENT_VARIABLE = "DUALNUM_NUM_THREADS"


cdef struct Worker:
    PyThread_type_lock wake     # held while the worker has nothing to do
    PyThread_type_lock done     # held while it takes chunks
    part_task task
    void* arg
    int thread                  # its index for the task (the caller is 0)


cdef struct Chunks:
    PyThread_type_lock lock     # guards next
    Py_ssize_t next, count


cdef Chunks _chunks                 # of the chain running on the workers (under _pool)


cdef void _take_chunks(part_task task, void* arg, int thread) noexcept nogil:
    """Run chunks of the current chain until none is left."""
    cdef Py_ssize_t chunk
    while True:
        PyThread_acquire_lock(_chunks.lock, WAIT_LOCK)
        chunk = _chunks.next
        _chunks.next += 1
        PyThread_release_lock(_chunks.lock)
        if chunk >= _chunks.count:
            return
        task(arg, thread, chunk)


cdef void _work(void* p) noexcept nogil:
    """A worker's life: wait to be woken, take chunks, say when none is left."""
    cdef Worker* w = <Worker*> p
    while True:
        PyThread_acquire_lock(w.wake, WAIT_LOCK)
        _take_chunks(w.task, w.arg, w.thread)
        PyThread_release_lock(w.done)


cdef Worker** _workers = NULL       # the started workers (never stopped)
cdef int _started = 0, _capacity = 0
cdef PyThread_type_lock _pool = PyThread_allocate_lock()   # held by the chain using the workers
_count = None                       # the thread count; None: the default, not yet computed
cdef Py_ssize_t _split_runs = 0     # runs on more than one thread (for tests and measurements)


cdef int _start_workers(int wanted) except -1:
    """Start workers until there are `wanted` (fewer if the system refuses a
    thread); returns how many there are.  Called with _pool held."""
    global _workers, _started, _capacity
    cdef Worker* w
    cdef Worker** grown
    while _started < wanted:
        if _started == _capacity:
            grown = <Worker**> realloc(_workers, 2 * (_capacity + 4) * sizeof(Worker*))
            if grown == NULL:
                break
            _workers, _capacity = grown, 2 * (_capacity + 4)
        w = <Worker*> malloc(sizeof(Worker))
        if w == NULL:
            break
        w.wake, w.done = PyThread_allocate_lock(), PyThread_allocate_lock()
        if w.wake == NULL or w.done == NULL:
            if w.wake != NULL:
                PyThread_free_lock(w.wake)
            if w.done != NULL:
                PyThread_free_lock(w.done)
            free(w)
            break
        PyThread_acquire_lock(w.wake, NOWAIT_LOCK)      # new locks: never block
        PyThread_acquire_lock(w.done, NOWAIT_LOCK)
        if start_thread(_work, w) == PYTHREAD_INVALID_THREAD_ID:
            PyThread_free_lock(w.wake)
            PyThread_free_lock(w.done)
            free(w)
            break
        _workers[_started] = w
        _started += 1
    return _started


cdef int claim(int wanted) except -1:
    """How many threads may run the caller's chunks, at most `wanted`: 1 (its
    own thread alone), or more, and then the workers are the caller's until
    it calls run_parts (or unclaim)."""
    if wanted > 1:
        wanted = min(wanted, get_num_threads())
    if wanted <= 1 or not PyThread_acquire_lock(_pool, NOWAIT_LOCK):
        return 1
    wanted = 1 + _start_workers(wanted - 1)
    if wanted == 1:
        PyThread_release_lock(_pool)
    return wanted


cdef void unclaim(int parts) noexcept:
    """Give the workers back without running (the caller failed before)."""
    if parts > 1:
        PyThread_release_lock(_pool)


cdef void run_parts(part_task task, void* arg, int threads, Py_ssize_t chunks) noexcept nogil:
    """Run task(arg, thread, chunk) for every chunk < chunks, on this thread
    (thread 0) and the threads - 1 workers claim() granted, and return when
    all are done (giving the workers back).  Each thread runs its chunks one
    at a time.  Call it without the GIL: the chunks may take long."""
    global _split_runs
    cdef int i
    cdef Py_ssize_t chunk
    cdef Worker* w
    if threads <= 1:
        for chunk in range(chunks):
            task(arg, 0, chunk)
        return
    _split_runs += 1                                    # (under _pool)
    _chunks.next, _chunks.count = 0, chunks
    for i in range(1, threads):
        w = _workers[i - 1]
        w.task, w.arg, w.thread = task, arg, i
        PyThread_release_lock(w.wake)                   # (publishes the fields above)
    _take_chunks(task, arg, 0)
    for i in range(1, threads):
        PyThread_acquire_lock(_workers[i - 1].done, WAIT_LOCK)
    PyThread_release_lock(_pool)


def statistics():
    """(workers started, runs split over more than one thread) since import,
    for tests and measurements."""
    return _started, _split_runs


def _forget_workers():
    """In a child after fork: the parent's workers do not exist here, and the
    pool lock may have been held by a thread that does not either."""
    global _workers, _started, _capacity, _pool
    _workers, _started, _capacity = NULL, 0, 0          # (the parent's memory: left alone)
    _pool = PyThread_allocate_lock()
    _chunks.lock = PyThread_allocate_lock()


_chunks.lock = PyThread_allocate_lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)


# ------------------------------------------------------------- the count

def physical_cores(cpus=None, topology="/sys/devices/system/cpu", platform=None):
    """The number of physical cores available to this process (at least 1).

    Linux: the distinct (package, core) pairs of sysfs' topology among the
    CPUs of ``os.sched_getaffinity`` (the CPUs themselves where sysfs has no
    topology); macOS: ``sysctl hw.physicalcpu``; elsewhere ``os.cpu_count()``.
    The arguments replace the system's, for tests.
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("linux"):
        if cpus is None:
            cpus = os.sched_getaffinity(0)
        cores = set()
        for cpu in cpus:
            try:
                cores.add(tuple(_read_int(f"{topology}/cpu{cpu}/topology/{name}")
                                for name in ("physical_package_id", "core_id")))
            except (OSError, ValueError):
                return max(1, len(cpus))
        return max(1, len(cores))
    if platform == "darwin":
        cores = _sysctl_int(b"hw.physicalcpu")
        if cores is not None and cores > 0:
            return cores
    return max(1, os.cpu_count() or 1)


def _read_int(path):
    with open(path) as f:
        return int(f.read())


def _sysctl_int(bytes name):
    """An integer of sysctlbyname(3), or None."""
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        value, size = ctypes.c_int(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_int))
        if libc.sysctlbyname(name, ctypes.byref(value), ctypes.byref(size), None,
                             ctypes.c_size_t(0)) != 0:
            return None
    except (OSError, AttributeError):
        return None
    return value.value


def _as_count(n, str origin):
    """n as a thread count, or an error that says what is accepted."""
    try:
        if isinstance(n, bool):
            raise TypeError
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"{origin}: the number of threads must be an integer >= 1, "
                        f"got {n!r} of type {type(n).__name__}") from None
    if n < 1:
        raise ValueError(f"{origin}: the number of threads must be at least 1, got {n} "
                         f"(1 runs everything on the calling thread)")
    return n


def get_num_threads():
    """The number of threads a large recorded chain may run on.

    Returns
    -------
    int
        The count :func:`set_num_threads` set, else ``DUALNUM_NUM_THREADS``
        as read at import, else the physical cores available to the process.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.get_num_threads() >= 1
    True
    """
    global _count
    if _count is None:
        _count = physical_cores()
    return _count


def set_num_threads(n):
    """Set the number of threads large recorded chains run on.

    The elementwise numpy code on large DualArrays (a million points, as in
    ``dn.value_and_derivative(f, x)``) runs as recorded chains, split into
    parts that run at once on up to ``n`` threads.  The results do not
    depend on ``n``: they are bitwise the same.  The setting is one for the
    whole process; small chains run on one thread whatever it is.

    Parameters
    ----------
    n : int
        The number of threads, at least 1 (1: everything on the calling
        thread).  The default is the number of physical cores available to
        the process, or ``DUALNUM_NUM_THREADS`` if that was set at import.

    Returns
    -------
    int
        The previous count.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n`` is less than 1.

    Examples
    --------
    >>> import dualnum as dn
    >>> previous = dn.set_num_threads(1)
    >>> dn.get_num_threads()
    1
    >>> _ = dn.set_num_threads(previous)
    """
    global _count
    n = _as_count(n, "set_num_threads")
    previous = get_num_threads()
    _count = n
    return previous


@contextlib.contextmanager
def num_threads(n):
    """Run a block with ``n`` threads for recorded chains, then restore the
    count (see :func:`set_num_threads`; the count is the process's, so other
    threads see it too while the block runs).

    Parameters
    ----------
    n : int
        The number of threads, at least 1.

    Examples
    --------
    >>> import numpy as np
    >>> import dualnum as dn
    >>> x = np.linspace(0.0, 1.0, 200_000)
    >>> with dn.num_threads(1):
    ...     one = dn.derivative(np.sin, x)
    >>> bool(np.array_equal(one, dn.derivative(np.sin, x)))
    True
    """
    previous = set_num_threads(n)
    try:
        yield n
    finally:
        set_num_threads(previous)


def _read_environment():
    global _count
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not text:
        return
    try:
        n = int(text, 10)
    except ValueError:
        raise ValueError(f"{ENVIRONMENT_VARIABLE}={text!r}: expected a whole number of threads "
                         f">= 1; unset it for the default (the physical cores)") from None
    _count = _as_count(n, ENVIRONMENT_VARIABLE)


_read_environment()
