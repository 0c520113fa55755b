# Worker threads for the parts of a recorded chain (dualnum/_threads.pyx):
# claim the workers, then run the chunks without the GIL.
# task(arg, thread, chunk): thread (0 .. threads - 1) names the thread running
# the chunk, for the task's per-thread state (scratch, counters)
ctypedef void (*part_task)(void* arg, int thread, Py_ssize_t chunk) noexcept nogil

cdef int claim(int wanted) except -1
cdef void unclaim(int parts) noexcept
cdef void run_parts(part_task task, void* arg, int threads, Py_ssize_t chunks) noexcept nogil
