# The readers that compiled API passes (dualnum/_hessian_pass.pyx) call in C.

cpdef tuple read_hessian(object result, unsigned long long tag, Py_ssize_t n)
cpdef tuple read_hvp(object result, unsigned long long tag, Py_ssize_t n)
