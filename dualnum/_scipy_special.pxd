# The kernels of scipy.special's rows of the function table (dualnum/_table.pyx):
# first-order rules and Taylor kernels, with the signatures of _rules.pxd and
# _jets.pxd.  Their values come from scipy's own kernels, bound at run time
# (dualnum/_scipy_special.pyx says why and how).

cdef double digamma_rule(double x, double* df) noexcept nogil
cdef double erfinv_rule(double x, double* df) noexcept nogil
cdef double erfcinv_rule(double x, double* df) noexcept nogil
cdef double ndtri_rule(double x, double* df) noexcept nogil
cdef double ndtr_rule(double x, double* df) noexcept nogil
cdef double log_ndtr_rule(double x, double* df) noexcept nogil
cdef double logit_rule(double x, double* df) noexcept nogil
cdef double log_expit_rule(double x, double* df) noexcept nogil
cdef double entr_rule(double x, double* df) noexcept nogil
cdef double j0_rule(double x, double* df) noexcept nogil
cdef double j1_rule(double x, double* df) noexcept nogil
cdef double y0_rule(double x, double* df) noexcept nogil
cdef double y1_rule(double x, double* df) noexcept nogil
cdef double i0_rule(double x, double* df) noexcept nogil
cdef double i1_rule(double x, double* df) noexcept nogil
cdef double k0_rule(double x, double* df) noexcept nogil
cdef double k1_rule(double x, double* df) noexcept nogil
cdef double riemann_zeta_rule(double x, double* df) noexcept nogil

cdef double xlogy_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double xlog1py_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double rel_entr_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double betaln_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double jv_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double iv_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double kv_rule(double a, double b, double* da, double* db) noexcept nogil
cdef double zeta_rule(double a, double b, double* da, double* db) noexcept nogil

cdef void jet_digamma(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_erfinv(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_erfcinv(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_ndtri(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_ndtr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_log_ndtr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_logit(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_log_expit(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_entr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_j0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_j1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_y0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_y1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_i0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_i1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_k0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_k1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
cdef void jet_riemann_zeta(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil

cdef void jet_xlogy(const double* u, const double* v, double* w, Py_ssize_t K,
                    double* s) noexcept nogil
cdef void jet_xlog1py(const double* u, const double* v, double* w, Py_ssize_t K,
                      double* s) noexcept nogil
cdef void jet_rel_entr(const double* u, const double* v, double* w, Py_ssize_t K,
                       double* s) noexcept nogil
cdef void jet_betaln(const double* u, const double* v, double* w, Py_ssize_t K,
                     double* s) noexcept nogil
cdef void jet_jv(const double* u, const double* v, double* w, Py_ssize_t K,
                 double* s) noexcept nogil
cdef void jet_iv(const double* u, const double* v, double* w, Py_ssize_t K,
                 double* s) noexcept nogil
cdef void jet_kv(const double* u, const double* v, double* w, Py_ssize_t K,
                 double* s) noexcept nogil
cdef void jet_zeta(const double* u, const double* v, double* w, Py_ssize_t K,
                   double* s) noexcept nogil
