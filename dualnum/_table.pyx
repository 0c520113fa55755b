# cython: freethreading_compatible = False
"""The function table: every elementary function and arithmetic operator, once.

A row ties one function to its kernels and its references:

- its spellings: dualnum's name, numpy's ufunc names and aliases (``names``),
  and which of them are module functions (``functions``);
- its first-order C rule (dualnum/_rules.pxd) and its Taylor kernel of any
  order (dualnum/_jets.pxd), from which Jet, Dual2 and the Hessian arrays
  take their higher derivatives;
- the float reference that gives math's values and errors, the numpy ufunc
  that applies it to float arrays, and which errors to check for;
- its complex column (the last argument, ``C.c_*``): for a function holomorphic off its
  branch cuts, the C kernel of f(z) and f'(z) at a complex point
  (dualnum/_complex_rules.pxd) that the complex dual numbers and arrays
  apply; a row without one (fabs, floor, maximum, the special functions,
  ...) raises TypeError on complex input.

Everything else is built by looping over ROWS: the numbers' methods and numpy
dispatch (dualnum/_number.pyx), the module functions (dualnum/_functions.pyx),
the array types' rule tables and nesting.  Adding a function is one row here,
its two kernels and its stub line.

This is a table of C function pointers filled at import, not a file generated
at build time: the kernels are ``cdef inline`` functions that the type modules
also inline into their hot loops, a pointer call costs about a nanosecond on
the paths that go through a row, and nothing needs a code generator to read.
"""
import math
import operator

import numpy as np

from dualnum cimport _complex_rules as C
from dualnum._complex cimport complex_binary, complex_unary
from dualnum cimport _jets as J
from dualnum cimport _rules as R
from dualnum cimport _scipy_special as S


def _math_exp2(x):
    return math.pow(2.0, x)


cdef class Row:
    """One function of the table (its fields: dualnum/_table.pxd)."""

    def __repr__(self):
        return f"<dualnum function table row {self.name!r}>"


cdef dict _BY_NAME = {}
ROWS = []


cdef Row _row(str names, int arity, object ufunc, object reference, Check check, str doc,
              str functions):
    """A row; ``names``: its spellings, dualnum's first; ``functions``: those of
    them (or others) that are module functions, "" for an operator."""
    cdef Row r = Row.__new__(Row)
    r.names = tuple(names.split())
    r.name = r.names[0]
    r.functions = tuple(functions.split())
    r.arity = arity
    r.ufunc = ufunc
    r.reference = reference
    r.check = CHECK_FINITE if check == NO_CHECK and reference is not None else check
    r.doc = doc
    for name in r.names:
        if name in _BY_NAME:
            raise RuntimeError(f"the function table spells {name!r} twice")
        _BY_NAME[name] = r
    ROWS.append(r)
    return r


cdef void unary(str names, object ufunc, object reference, R.unary_rule rule, J.jet_unary taylor,
                str doc, str functions=None, complex_unary holomorphic=NULL):
    cdef Row r = _row(names, 1, ufunc, reference, NO_CHECK, doc,
                      names if functions is None else functions)
    r.first_unary = rule
    r.taylor_unary = taylor
    r.holomorphic_unary = holomorphic


cdef void binary(str names, object ufunc, object reference, R.binary_rule rule,
                 J.jet_binary taylor, str doc, str functions=None, Check check=NO_CHECK,
                 int arith=0, complex_binary holomorphic=NULL):
    cdef Row r = _row(names, 2, ufunc, reference, check, doc,
                      names if functions is None else functions)
    r.first_binary = rule
    r.taylor_binary = taylor
    r.arith = arith
    r.holomorphic_binary = holomorphic


cdef Row row(str name):
    return _BY_NAME[name]


def is_holomorphic(Row r):
    """Whether the row has a complex kernel (its complex column is filled)."""
    return r.holomorphic_unary != NULL or r.holomorphic_binary != NULL


def find(str name):
    """The row a spelling names, or None."""
    return _BY_NAME.get(name)


# ---------------------------------------------------------------- the rows
# (docstrings: "name(x): what it is; its derivative, and the convention at
# singular points", shown by help(dualnum.name))

unary("sin", np.sin, math.sin, R.sin_rule, J.jet_sin, "sine; d/dx sin x = cos x.", None,
      C.c_sin)
unary("cos", np.cos, math.cos, R.cos_rule, J.jet_cos, "cosine; d/dx cos x = -sin x.", None,
      C.c_cos)
unary("tan", np.tan, math.tan, R.tan_rule, J.jet_tan, "tangent; d/dx tan x = 1 + tan(x)**2.", None,
      C.c_tan)
unary("asin arcsin", np.arcsin, math.asin, R.asin_rule, J.jet_asin,
      "inverse sine; d/dx = 1/sqrt(1 - x**2) (+inf at x = +-1).", None,
      C.c_arcsin)
unary("acos arccos", np.arccos, math.acos, R.acos_rule, J.jet_acos,
      "inverse cosine; d/dx = -1/sqrt(1 - x**2) (-inf at x = +-1).", None,
      C.c_arccos)
unary("atan arctan", np.arctan, math.atan, R.atan_rule, J.jet_atan,
      "inverse tangent; d/dx = 1/(1 + x**2).", None,
      C.c_arctan)
unary("sinh", np.sinh, math.sinh, R.sinh_rule, J.jet_sinh, "hyperbolic sine; d/dx = cosh x.", None,
      C.c_sinh)
unary("cosh", np.cosh, math.cosh, R.cosh_rule, J.jet_cosh, "hyperbolic cosine; d/dx = sinh x.", None,
      C.c_cosh)
unary("tanh", np.tanh, math.tanh, R.tanh_rule, J.jet_tanh,
      "hyperbolic tangent; d/dx = 1 - tanh(x)**2.", None,
      C.c_tanh)
unary("asinh arcsinh", np.arcsinh, math.asinh, R.asinh_rule, J.jet_asinh,
      "inverse hyperbolic sine; d/dx = 1/sqrt(x**2 + 1).", None,
      C.c_arcsinh)
unary("acosh arccosh", np.arccosh, math.acosh, R.acosh_rule, J.jet_acosh,
      "inverse hyperbolic cosine; d/dx = 1/sqrt(x**2 - 1) (+inf at 1).", None,
      C.c_arccosh)
unary("atanh arctanh", np.arctanh, math.atanh, R.atanh_rule, J.jet_atanh,
      "inverse hyperbolic tangent; d/dx = 1/(1 - x**2).", None,
      C.c_arctanh)
unary("exp", np.exp, math.exp, R.exp_rule, J.jet_exp, "exponential; d/dx = exp x.", None,
      C.c_exp)
unary("exp2", np.exp2, getattr(math, "exp2", _math_exp2), R.exp2_rule, J.jet_exp2,
      "2**x; d/dx = log(2) 2**x.", None,
      C.c_exp2)
unary("expm1", np.expm1, math.expm1, R.expm1_rule, J.jet_expm1,
      "exp(x) - 1 without cancellation; d/dx = exp x.", None,
      C.c_expm1)
unary("log", np.log, math.log, R.log_rule, J.jet_log,
      "natural logarithm, or logarithm to ``base``; d/dx ln x = 1/x.", None,
      C.c_log)
unary("log2", np.log2, math.log2, R.log2_rule, J.jet_log2,
      "base-2 logarithm; d/dx = 1/(x log 2).", None,
      C.c_log2)
unary("log10", np.log10, math.log10, R.log10_rule, J.jet_log10,
      "base-10 logarithm; d/dx = 1/(x log 10).", None,
      C.c_log10)
unary("log1p", np.log1p, math.log1p, R.log1p_rule, J.jet_log1p,
      "log(1 + x) without cancellation; d/dx = 1/(1 + x).", None,
      C.c_log1p)
unary("sqrt", np.sqrt, math.sqrt, R.sqrt_rule, J.jet_sqrt,
      "square root; d/dx = 1/(2 sqrt x), +inf at 0 (also at -0.0).", None,
      C.c_sqrt)
unary("cbrt", np.cbrt, getattr(math, "cbrt", None), R.cbrt_rule, J.jet_cbrt,
      "real cube root; d/dx = 1/(3 cbrt(x)**2), +inf at 0.")
unary("fabs", np.fabs, math.fabs, R.fabs_rule, J.jet_fabs,
      "absolute value as a float; derivative sign(x) with abs'(0) = 1.")
unary("absolute", np.absolute, math.fabs, R.fabs_rule, J.jet_fabs,
      "numpy spelling of fabs (numpy's result type for arrays).")
unary("erf", None, math.erf, R.erf_rule, J.jet_erf,
      "error function; d/dx = 2/sqrt(pi) exp(-x**2).")
unary("erfc", None, math.erfc, R.erfc_rule, J.jet_erfc,
      "complementary error function; d/dx = -2/sqrt(pi) exp(-x**2).")
unary("gamma", None, math.gamma, R.gamma_rule, J.jet_gamma,
      "the gamma function; d/dx = gamma(x) digamma(x).")
unary("lgamma", None, math.lgamma, R.lgamma_rule, J.jet_lgamma, "log|gamma(x)|; d/dx = digamma(x).")
unary("floor", np.floor, math.floor, R.floor_rule, J.jet_floor,
      "as math.floor for numbers; a number with derivative 0 for a dual number.")
unary("ceil", np.ceil, math.ceil, R.ceil_rule, J.jet_ceil,
      "as math.ceil for numbers; a number with derivative 0 for a dual number.")
unary("trunc", np.trunc, math.trunc, R.trunc_rule, J.jet_trunc,
      "as math.trunc for numbers; a number with derivative 0 for a dual number.")
unary("degrees rad2deg", np.degrees, math.degrees, R.degrees_rule, J.jet_degrees,
      "radians to degrees; d/dx = 180/pi.")
unary("radians deg2rad", np.radians, math.radians, R.radians_rule, J.jet_radians,
      "degrees to radians; d/dx = pi/180.")
unary("sigmoid expit", None, None, R.sigmoid_rule, J.jet_sigmoid,
      "logistic function 1/(1 + exp(-x)); d/dx = s(1 - s).")
unary("softplus", None, None, R.softplus_rule, J.jet_softplus,
      "log(1 + exp(x)) computed without overflow; d/dx = sigmoid(x).")
unary("relu", None, None, R.relu_rule, J.jet_relu,
      "max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0).")

binary("atan2 arctan2", np.arctan2, math.atan2, R.atan2_rule, J.jet_atan2,
       "angle of the point (b, a), atan(a/b) in its quadrant; partials (b, -a)/(a**2 + b**2), "
       "nan at the origin.")
binary("hypot", np.hypot, math.hypot, R.hypot_rule, J.jet_hypot,
       "sqrt(a**2 + b**2) without overflow; partials (a, b)/hypot, nan at the origin.")
binary("pow", np.power, math.pow, R.pow_rule, J.jet_pow,
       "a**b with math.pow's errors; x**0 has derivative 0 also at 0.", "pow power",
       NO_CHECK, 0, C.c_power)
binary("copysign", np.copysign, math.copysign, R.copysign_rule, J.jet_copysign,
       "|a| with the sign of b; d/da = sign(a) sign(b), d/db = 0.")
binary("fmod", np.fmod, math.fmod, R.fmod_rule, J.jet_fmod,
       "C remainder (sign of a); d/da = 1, d/db = -trunc(a/b).")
binary("logaddexp", np.logaddexp, None, R.logaddexp_rule, J.jet_logaddexp,
       "log(exp(a) + exp(b)) without overflow; partials sigmoid(a - b), sigmoid(b - a).")
binary("maximum", np.maximum, None, R.maximum_rule, J.jet_maximum,
       "the larger value; at a tie each partial is weighted 1/2; nan propagates.")
binary("minimum", np.minimum, None, R.minimum_rule, J.jet_minimum,
       "the smaller value; at a tie each partial is weighted 1/2; nan propagates.")
binary("fmax", np.fmax, None, R.fmax_rule, J.jet_fmax,
       "the larger value, ignoring a nan operand; at a tie each partial is weighted 1/2.")
binary("fmin", np.fmin, None, R.fmin_rule, J.jet_fmin,
       "the smaller value, ignoring a nan operand; at a tie each partial is weighted 1/2.")
binary("logaddexp2", np.logaddexp2, None, R.logaddexp2_rule, J.jet_logaddexp2,
       "log2(2**a + 2**b) without overflow; partials sigmoid((a - b) log 2), sigmoid((b - a) log 2).")
binary("heaviside", np.heaviside, None, R.heaviside_rule, J.jet_heaviside,
       "numpy's step (0, h0 at x = 0, 1); d/dx = 0, d/dh0 = 1 where x = 0.")

# the arithmetic operators: no module functions; their references are the
# float operators, whose errors (ZeroDivisionError, complex powers) they copy
unary("negative", np.negative, None, R.neg_rule, J.jet_neg, "-x.", "", C.c_negative)
binary("add", np.add, None, R.add_rule, J.jet_add, "a + b.", "", NO_CHECK, J.ARITH_ADD, C.c_add)
binary("subtract", np.subtract, None, R.sub_rule, J.jet_sub, "a - b.", "", NO_CHECK, J.ARITH_SUB,
       C.c_subtract)
binary("multiply", np.multiply, None, R.mul_rule, J.jet_times, "a * b.", "", NO_CHECK, J.ARITH_MUL,
       C.c_multiply)
binary("divide true_divide", np.divide, operator.truediv, R.div_rule, J.jet_divide, "a / b.", "",
       CHECK_DIVISOR, J.ARITH_DIV, C.c_divide)
binary("floor_divide", np.floor_divide, operator.floordiv, R.floordiv_rule, J.jet_floordiv,
       "a // b.", "", CHECK_DIVISOR)
binary("remainder mod", np.remainder, operator.mod, R.mod_rule, J.jet_mod, "a % b.", "",
       CHECK_DIVISOR)
binary("power float_power", np.power, operator.pow, R.pow_rule, J.jet_pow, "a ** b.", "",
       NO_CHECK, J.ARITH_POW, C.c_power)

cdef Py_ssize_t _numpy_rows = len(ROWS)

# scipy.special's functions (dualnum/_scipy_special.pyx: values from scipy's
# kernels, bound at run time).  No module functions: they are reached only
# through scipy's own ufuncs, found by identity, so they are kept out of ROWS
# (whose consumers find rows by name) in SPECIAL_ROWS.
unary("digamma psi", None, None, S.digamma_rule, S.jet_digamma,
      "psi(x) = d/dx log|gamma(x)|; d^k/dx^k = (-1)**(k+1) k! zeta(k+1, x); nan derivatives "
      "at the poles 0, -1, ...", "")
unary("erfinv", None, None, S.erfinv_rule, S.jet_erfinv,
      "inverse error function; d/dx = sqrt(pi)/2 exp(erfinv(x)**2), inf at +-1.", "")
unary("erfcinv", None, None, S.erfcinv_rule, S.jet_erfcinv,
      "inverse complementary error function; d/dx = -sqrt(pi)/2 exp(erfcinv(x)**2).", "")
unary("ndtr", None, None, S.ndtr_rule, S.jet_ndtr,
      "standard normal CDF; d/dx = exp(-x**2/2)/sqrt(2 pi).", "")
unary("log_ndtr", None, None, S.log_ndtr_rule, S.jet_log_ndtr,
      "log of the standard normal CDF; d/dx = exp(log phi(x) - log_ndtr(x)), accurate in the "
      "far left tail.", "")
unary("ndtri", None, None, S.ndtri_rule, S.jet_ndtri,
      "inverse of ndtr; d/dx = sqrt(2 pi) exp(ndtri(x)**2/2), inf at 0 and 1.", "")
unary("logit", None, None, S.logit_rule, S.jet_logit,
      "log(x/(1 - x)); d/dx = 1/(x (1 - x)).", "")
unary("log_expit", None, None, S.log_expit_rule, S.jet_log_expit,
      "log(expit(x)) without overflow; d/dx = expit(-x).", "")
unary("entr", None, None, S.entr_rule, S.jet_entr,
      "-x log x (0 at 0, -inf below); d/dx = -(log x + 1), +inf at 0 (from the right).", "")
unary("j0", None, None, S.j0_rule, S.jet_j0, "Bessel J0; d/dx = -J1(x).", "")
unary("j1", None, None, S.j1_rule, S.jet_j1, "Bessel J1; d/dx = J0(x) - J1(x)/x (1/2 at 0).", "")
unary("y0", None, None, S.y0_rule, S.jet_y0, "Bessel Y0; d/dx = -Y1(x).", "")
unary("y1", None, None, S.y1_rule, S.jet_y1, "Bessel Y1; d/dx = Y0(x) - Y1(x)/x.", "")
unary("i0", None, None, S.i0_rule, S.jet_i0, "modified Bessel I0; d/dx = I1(x).", "")
unary("i1", None, None, S.i1_rule, S.jet_i1,
      "modified Bessel I1; d/dx = I0(x) - I1(x)/x (1/2 at 0).", "")
unary("k0", None, None, S.k0_rule, S.jet_k0, "modified Bessel K0; d/dx = -K1(x).", "")
unary("k1", None, None, S.k1_rule, S.jet_k1, "modified Bessel K1; d/dx = -K0(x) - K1(x)/x.", "")
unary("riemann_zeta", None, None, S.riemann_zeta_rule, S.jet_riemann_zeta,
      "Riemann zeta(x) = zeta(x, 1) (scipy's zeta without q); d/dx = -sum log(n)/n**x "
      "(continued below 1); derivatives for x >= 0, nan below and at the pole 1.", "")

binary("xlogy", None, None, S.xlogy_rule, S.jet_xlogy,
       "x log y, 0 where x = 0; partials (log y, x/y), the one in y 0 where x = 0.", "")
binary("xlog1py", None, None, S.xlog1py_rule, S.jet_xlog1py,
       "x log1p(y), 0 where x = 0; partials (log1p y, x/(1 + y)), the one in y 0 where x = 0.",
       "")
binary("rel_entr", None, None, S.rel_entr_rule, S.jet_rel_entr,
       "x log(x/y) (0 at x = 0 <= y, inf outside); partials (log(x/y) + 1, -x/y), "
       "(-inf, 0) at x = 0.", "")
binary("betaln", None, None, S.betaln_rule, S.jet_betaln,
       "log|B(a, b)|; partials psi(a) - psi(a + b), psi(b) - psi(a + b).", "")
binary("jv", None, None, S.jv_rule, S.jet_jv,
       "Bessel J of order v; d/dx = (J_{v-1}(x) - J_{v+1}(x))/2; not in v.", "")
binary("iv", None, None, S.iv_rule, S.jet_iv,
       "modified Bessel I of order v; d/dx = (I_{v-1}(x) + I_{v+1}(x))/2; not in v.", "")
binary("kv", None, None, S.kv_rule, S.jet_kv,
       "modified Bessel K of order v; d/dx = -(K_{v-1}(x) + K_{v+1}(x))/2; not in v.", "")
binary("zeta", None, None, S.zeta_rule, S.jet_zeta,
       "Hurwitz zeta(x, q), x >= 1; d/dq = -x zeta(x + 1, q), d/dx = -sum log(n + q)/(n + q)**x "
       "(nan in x where q < 0).", "")

SPECIAL_ROWS = tuple(ROWS[_numpy_rows:])
ROWS = tuple(ROWS[:_numpy_rows])

# every spelling of every row, numpy's and dualnum's; where they disagree
# numpy's wins (np.power is the operator **, dualnum.pow the function)
BY_SPELLING = {name: r for r in ROWS for name in (<Row> r).names}
for _r in ROWS:
    for _name in (<Row> _r).functions:
        BY_SPELLING.setdefault(_name, _r)
