"""Documented conventions at non-differentiable / singular points (SPEC.md).

One section per item of the spec's conventions list, plus strong zeros and signed
zeros.  Expected numbers are written out by hand (or from scipy for digamma).
"""
import math

import numpy as np
import pytest
import scipy.special

import dualnum as dn
from dualnum import Dual

NAN = math.nan
INF = math.inf


def same(a, b):
    """Float equality that treats nan as equal to nan."""
    return (math.isnan(a) and math.isnan(b)) or a == b


def assert_dual(r, value, partials, value_sign=None):
    assert isinstance(r, Dual), type(r)
    assert same(r.value, value), (r, value, partials)
    assert len(r.partials) == len(partials), (r, partials)
    assert all(same(p, q) for p, q in zip(r.partials, partials)), (r, partials)
    if value_sign is not None:
        assert math.copysign(1.0, r.value) == value_sign, r


# --------------------------------------------------------------------------------------
# abs'(0) = 1 (also at -0.0), fabs same; relu'(0) = 0
# --------------------------------------------------------------------------------------
ABS_LIKE = [abs, dn.fabs, dn.absolute]


@pytest.mark.parametrize("f", ABS_LIKE, ids=["abs", "fabs", "absolute"])
@pytest.mark.parametrize("zero", [0.0, -0.0], ids=["+0", "-0"])
def test_abs_derivative_at_zero_is_one(f, zero):
    assert_dual(f(Dual(zero, 1.0)), 0.0, (1.0,), value_sign=1.0)  # |-0.0| is +0.0
    assert_dual(f(Dual(zero, (1.0, -2.0, 0.0))), 0.0, (1.0, -2.0, 0.0), value_sign=1.0)


@pytest.mark.parametrize("f", ABS_LIKE, ids=["abs", "fabs", "absolute"])
def test_abs_away_from_zero(f):
    # the convention only concerns 0; elsewhere the sign of x
    assert_dual(f(Dual(-2.5, 1.0)), 2.5, (-1.0,))
    assert_dual(f(Dual(1e-300, 3.0)), 1e-300, (3.0,))
    assert_dual(f(Dual(-5e-324, 1.0)), 5e-324, (-1.0,))


@pytest.mark.parametrize("zero", [0.0, -0.0], ids=["+0", "-0"])
def test_relu_derivative_at_zero_is_zero(zero):
    r = dn.relu(Dual(zero, 1.0))
    assert r.value == 0.0 and r.partials == (0.0,)
    r = dn.relu(Dual(zero, (1.0, -3.0)))
    assert r.value == 0.0 and r.partials == (0.0, 0.0)


def test_relu_either_side_of_zero():
    assert_dual(dn.relu(Dual(5e-324, 2.0)), 5e-324, (2.0,))
    assert_dual(dn.relu(Dual(-5e-324, 2.0)), 0.0, (0.0,))


# --------------------------------------------------------------------------------------
# sqrt'(0) = +inf (also at -0.0), cbrt'(0) = +inf
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sqrt", "cbrt"])
@pytest.mark.parametrize("zero", [0.0, -0.0], ids=["+0", "-0"])
def test_root_derivative_at_zero_is_plus_inf(name, zero):
    f = getattr(dn, name)
    # value as math: sqrt(-0.0) == -0.0, cbrt(-0.0) == -0.0
    sign = math.copysign(1.0, zero)
    assert_dual(f(Dual(zero, 1.0)), 0.0, (INF,), value_sign=sign)
    # f'(0) * dx: a negative direction gives -inf, a zero direction stays 0 (strong zero)
    assert_dual(f(Dual(zero, (1.0, -2.0, 0.0))), 0.0, (INF, -INF, 0.0), value_sign=sign)


# --------------------------------------------------------------------------------------
# x**0: value 1, derivative 0 also at x = 0; x**c (c int) at negative x: c*x**(c-1)
# --------------------------------------------------------------------------------------
POW_CALLS = [
    pytest.param(lambda x, c: x**c, id="operator"),
    pytest.param(lambda x, c: dn.pow(x, c), id="dn.pow"),
    pytest.param(lambda x, c: dn.power(x, c), id="dn.power"),
]


@pytest.mark.parametrize("pw", POW_CALLS)
@pytest.mark.parametrize("x", [0.0, -0.0, 2.5, -3.0])
@pytest.mark.parametrize("zero", [0, 0.0, Dual(0.0)], ids=["int", "float", "const-dual"])
def test_x_to_the_zero(pw, x, zero):
    assert_dual(pw(Dual(x, 1.0), zero), 1.0, (0.0,))
    assert_dual(pw(Dual(x, (1.0, -1.0)), zero), 1.0, (0.0, 0.0))


@pytest.mark.parametrize("pw", POW_CALLS)
@pytest.mark.parametrize("c,value,deriv", [
    (1, -2.0, 1.0), (2, 4.0, -4.0), (3, -8.0, 12.0), (4, 16.0, -32.0),
    (-1, -0.5, -0.25), (-2, 0.25, 0.25), (-3, -0.125, -0.1875),
    (3.0, -8.0, 12.0), (-2.0, 0.25, 0.25),  # integer-valued floats behave the same
])
def test_integer_power_of_negative_base(pw, c, value, deriv):
    # x = -2: value x**c, derivative c * x**(c-1), real (no log of a negative number)
    assert_dual(pw(Dual(-2.0, 1.0), c), value, (deriv,))


@pytest.mark.parametrize("pw", POW_CALLS)
@pytest.mark.parametrize("c,deriv", [(1, 1.0), (2, 0.0), (3, 0.0), (2.0, 0.0)])
def test_integer_power_at_zero(pw, c, deriv):
    # c * 0**(c-1): 1 for c = 1, 0 for c >= 2 (no 0 * inf / log(0) leaking in)
    assert_dual(pw(Dual(0.0, 1.0), c), 0.0, (deriv,))


# --------------------------------------------------------------------------------------
# d/dy c**y at c = 0, y > 0: 0;
# negative constant base with integer-valued dual exponent: value real, d/dy nan
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("pw", POW_CALLS)
@pytest.mark.parametrize("base", [0.0, 0, Dual(0.0)], ids=["float", "int", "const-dual"])
@pytest.mark.parametrize("y", [2.0, 0.5, 3.0, 1e-300])
def test_zero_base_dual_exponent(pw, base, y):
    # 0**y * log(0) would be 0 * -inf = nan; the limit for y > 0 is 0
    assert_dual(pw(base, Dual(y, 1.0)), 0.0, (0.0,))
    assert_dual(pw(base, Dual(y, (1.0, 2.0))), 0.0, (0.0, 0.0))


@pytest.mark.parametrize("pw", POW_CALLS)
def test_zero_dual_base_and_dual_exponent(pw):
    # both dual (spec-silent extension): d/dx = y*0**(y-1) = 0 for y = 2, d/dy -> 0
    assert_dual(pw(Dual(0.0, (1.0, 0.0)), Dual(2.0, (0.0, 1.0))), 0.0, (0.0, 0.0))


@pytest.mark.parametrize("pw", POW_CALLS)
@pytest.mark.parametrize("base,y,value", [
    (-2.0, 3.0, -8.0), (-2.0, 2.0, 4.0), (-2.0, -2.0, 0.25), (-2, 3.0, -8.0),
    (-0.5, -3.0, -8.0), (Dual(-2.0), 3.0, -8.0),
])
def test_negative_base_integer_dual_exponent(pw, base, y, value):
    # log of a negative base is undefined: the derivative wrt the exponent is nan
    assert_dual(pw(base, Dual(y, 1.0)), value, (NAN,))
    # ... but an exactly zero direction stays 0 (strong zero)
    assert_dual(pw(base, Dual(y, (1.0, 0.0))), value, (NAN, 0.0))


@pytest.mark.parametrize("pw", POW_CALLS)
def test_negative_dual_base_integer_dual_exponent(pw):
    # d/dx (-2)**3 = 3*4 = 12 by the integer-power rule; d/dy is nan
    assert_dual(pw(Dual(-2.0, (1.0, 0.0)), Dual(3.0, (0.0, 1.0))), -8.0, (12.0, NAN))


@pytest.mark.parametrize("base", [-2.0, Dual(-2.0)], ids=["float", "const-dual"])
def test_negative_base_fractional_dual_exponent_is_an_error(base):
    # not real-valued: ValueError like Dual(-8.0, 1.0) ** 0.5 and math.pow(-2, 0.5)
    with pytest.raises(ValueError):
        base ** Dual(0.5, 1.0)
    with pytest.raises(ValueError):
        dn.pow(base, Dual(0.5, 1.0))


# --------------------------------------------------------------------------------------
# atan2 and hypot at the origin: value as math; partials nan
# --------------------------------------------------------------------------------------
ORIGINS = [(0.0, 0.0), (0.0, -0.0), (-0.0, 0.0), (-0.0, -0.0)]


@pytest.mark.parametrize("name", ["atan2", "arctan2", "hypot"])
@pytest.mark.parametrize("y,x", ORIGINS)
def test_origin_partials_are_nan(name, y, x):
    f = getattr(dn, name)
    mf = math.hypot if name == "hypot" else math.atan2
    want = mf(y, x)  # atan2: 0, pi, -0, -pi depending on the zero signs
    sign = math.copysign(1.0, want)
    assert_dual(f(Dual(y, (1.0, 0.0)), Dual(x, (0.0, 1.0))), want, (NAN, NAN), value_sign=sign)
    assert_dual(f(Dual(y, 1.0), x), want, (NAN,), value_sign=sign)
    assert_dual(f(y, Dual(x, 1.0)), want, (NAN,), value_sign=sign)
    # a zero direction stays 0 (strong zero), the others are nan
    assert_dual(f(Dual(y, (1.0, 0.0)), x), want, (NAN, 0.0), value_sign=sign)


@pytest.mark.parametrize("name", ["atan2", "hypot"])
def test_origin_numpy_ufunc_on_duals(name):
    ufunc = np.arctan2 if name == "atan2" else np.hypot
    r = ufunc(Dual(0.0, (1.0, 0.0)), Dual(0.0, (0.0, 1.0)))
    assert_dual(r, 0.0, (NAN, NAN))


# --------------------------------------------------------------------------------------
# maximum/minimum at a tie: value, partials 0.5*(da + db); nan propagates
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_tie_averages_partials(name):
    f = getattr(dn, name)
    assert_dual(f(Dual(1.0, (1.0, 0.0)), Dual(1.0, (0.0, 1.0))), 1.0, (0.5, 0.5))
    assert_dual(f(Dual(-3.0, (2.0, 4.0, -1.0)), Dual(-3.0, (0.0, 1.0, 1.0))), -3.0,
                (1.0, 2.5, 0.0))
    assert_dual(f(Dual(2.0, 3.0), Dual(2.0, 3.0)), 2.0, (3.0,))
    # a plain number is a constant: db = 0
    assert_dual(f(Dual(1.0, 3.0), 1.0), 1.0, (1.5,))
    assert_dual(f(1.0, Dual(1.0, 3.0)), 1.0, (1.5,))
    assert_dual(f(Dual(1.0, 3.0), 1), 1.0, (1.5,))
    # -0.0 == 0.0 is a tie too
    r = f(Dual(0.0, 2.0), Dual(-0.0, 4.0))
    assert r.value == 0.0 and r.partials == (3.0,)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_no_tie_takes_one_side(name):
    f = getattr(dn, name)
    big, small = Dual(2.0, (1.0, 0.0)), Dual(1.0, (0.0, 1.0))
    want = big if name == "maximum" else small
    assert_dual(f(big, small), want.value, want.partials)
    assert_dual(f(small, big), want.value, want.partials)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@pytest.mark.parametrize("a,b", [
    (Dual(NAN, 1.0), Dual(1.0, 1.0)), (Dual(1.0, 1.0), Dual(NAN, 1.0)),
    (Dual(1.0, 1.0), NAN), (NAN, Dual(1.0, 1.0)), (Dual(NAN, 1.0), 1.0),
    (Dual(NAN, 1.0), Dual(NAN, 2.0)),
], ids=["nan-first", "nan-second", "plain-nan-second", "plain-nan-first", "dual-nan-vs-1",
        "both-nan"])
def test_nan_propagates(name, a, b):
    r = getattr(dn, name)(a, b)
    assert isinstance(r, Dual) and math.isnan(r.value)


# --------------------------------------------------------------------------------------
# builtin max/min compare values: ties return the first argument (Python semantics)
# --------------------------------------------------------------------------------------
def test_builtin_max_min_tie_returns_first():
    a, b = Dual(1.0, 1.0), Dual(1.0, 2.0)
    assert max(a, b) is a and max(b, a) is b
    assert min(a, b) is a and min(b, a) is b
    c = Dual(1.0, 3.0)
    assert max([a, b, c]) is a and min([c, b, a]) is c
    # mixed with a plain float: whichever came first
    assert max(1.0, a) == 1.0 and type(max(1.0, a)) is float
    assert max(a, 1.0) is a
    assert min(1, a) == 1 and type(min(1, a)) is int


def test_builtin_max_min_no_tie():
    lo, hi = Dual(1.0, 1.0), Dual(2.0, -1.0)
    assert max(lo, hi) is hi and max(hi, lo) is hi
    assert min(lo, hi) is lo and min(hi, lo) is lo
    assert max(Dual(-1.0, 1.0), 0.5) == 0.5


# --------------------------------------------------------------------------------------
# floor/ceil/trunc/round: derivative 0 (a Dual with zero partials); math.floor(d) -> Dual
# --------------------------------------------------------------------------------------
def _zero_partials(r, n):
    # "a Dual with zero partials": no direction at all, or every direction exactly 0
    assert isinstance(r, Dual), type(r)
    assert r.partials == () or (len(r.partials) == n and all(p == 0 for p in r.partials)), r


STEP = [
    pytest.param(math.floor, math.floor, id="math.floor"),
    pytest.param(math.ceil, math.ceil, id="math.ceil"),
    pytest.param(math.trunc, math.trunc, id="math.trunc"),
    pytest.param(round, round, id="round"),
    pytest.param(dn.floor, math.floor, id="dn.floor"),
    pytest.param(dn.ceil, math.ceil, id="dn.ceil"),
    pytest.param(dn.trunc, math.trunc, id="dn.trunc"),
]


@pytest.mark.parametrize("f,ref", STEP)
@pytest.mark.parametrize("x", [2.5, -2.5, 3.5, -0.5, 0.3, 3.0, -7.0, 0.0, 1e300])
def test_step_functions_give_zero_derivative(f, ref, x):
    # at integers (the jumps) too: derivative 0 by convention
    r = f(Dual(x, 1.0))
    assert r.value == ref(x)  # round: banker's rounding as for floats (2.5 -> 2)
    _zero_partials(r, 1)
    r = f(Dual(x, (1.0, -2.0, 0.0)))
    _zero_partials(r, 3)


@pytest.mark.parametrize("f", [math.floor, dn.ceil, round], ids=["floor", "ceil", "round"])
def test_step_result_mixes_with_other_duals(f):
    # the zero-partial result still combines with a dual of any number of directions
    r = f(Dual(2.5, (1.0, 1.0))) + Dual(1.0, (3.0, 4.0))
    assert r.partials == (3.0, 4.0)


# --------------------------------------------------------------------------------------
# copysign(a, b): d/da = sign(a)*sign(b), sign(0) = +1 for a, signbit for b; d/db = 0
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b,da", [
    (2.0, 3.0, 1.0), (2.0, -3.0, -1.0), (-2.0, 3.0, -1.0), (-2.0, -3.0, 1.0),
    (0.0, 3.0, 1.0), (0.0, -3.0, -1.0),
    (-0.0, 3.0, 1.0), (-0.0, -3.0, -1.0),  # a = -0.0 is 0: sign +1 (like abs'(-0.0) = 1)
    (2.0, 0.0, 1.0), (2.0, -0.0, -1.0), (-2.0, -0.0, 1.0),  # b: sign from the sign bit
    (0.0, -0.0, -1.0), (-0.0, 0.0, 1.0), (2.0, INF, 1.0), (2.0, -INF, -1.0),
])
def test_copysign_partials(a, b, da):
    want = math.copysign(a, b)
    sign = math.copysign(1.0, want)
    assert_dual(dn.copysign(Dual(a, (1.0, 0.0)), Dual(b, (0.0, 1.0))), want, (da, 0.0),
                value_sign=sign)
    assert_dual(dn.copysign(Dual(a, 1.0), b), want, (da,), value_sign=sign)
    assert_dual(dn.copysign(a, Dual(b, 1.0)), want, (0.0,), value_sign=sign)


# --------------------------------------------------------------------------------------
# fmod(a, b): d/da = 1, d/db = -trunc(a/b)
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b,db", [
    (5.5, 2.0, -2.0), (-5.5, 2.0, 2.0), (5.5, -2.0, 2.0), (-5.5, -2.0, -2.0),
    (1.0, 3.0, 0.0), (-1.0, 3.0, 0.0), (7.0, 2.0, -3.0),
    (6.0, 2.0, -3.0),  # a/b an integer (the jump): still -trunc(a/b)
    (1e10 + 0.25, 3.0, -3333333333.0),
])
def test_fmod_partials(a, b, db):
    want = math.fmod(a, b)
    assert_dual(dn.fmod(Dual(a, (1.0, 0.0)), Dual(b, (0.0, 1.0))), want, (1.0, db))
    assert_dual(dn.fmod(Dual(a, 1.0), b), want, (1.0,))
    assert_dual(dn.fmod(a, Dual(b, 1.0)), want, (db,))


# --------------------------------------------------------------------------------------
# gamma' = gamma*digamma, lgamma' = digamma (also for negative non-integer x)
# --------------------------------------------------------------------------------------
NEG_NON_INT = [-0.5, -1.5, -2.5, -3.7, -10.3, -0.1, -5.999, -20.25]


@pytest.mark.parametrize("x", NEG_NON_INT + [0.5, 4.5])
def test_gamma_derivative(x):
    r = dn.gamma(Dual(x, 1.0))
    assert math.isclose(r.value, math.gamma(x), rel_tol=1e-14)
    want = math.gamma(x) * scipy.special.digamma(x)
    assert math.isclose(r.partials[0], want, rel_tol=1e-13), (r.partials, want)


@pytest.mark.parametrize("x", NEG_NON_INT + [0.5, 4.5])
def test_lgamma_derivative(x):
    # lgamma(x) = log|gamma(x)|: its derivative is digamma(x) on both sides of 0
    r = dn.lgamma(Dual(x, 1.0))
    assert math.isclose(r.value, math.lgamma(x), rel_tol=1e-13)
    want = scipy.special.digamma(x)
    assert math.isclose(r.partials[0], want, rel_tol=1e-13), (r.partials, want)


def test_gamma_sign_alternates_on_negative_axis():
    # gamma < 0 on (-1, 0), > 0 on (-2, -1): the derivative formula must use the signed
    # gamma (not exp(lgamma))
    assert dn.gamma(Dual(-0.5, 1.0)).value < 0
    assert dn.gamma(Dual(-1.5, 1.0)).value > 0
    assert dn.gamma(Dual(-0.5, 1.0)).partials[0] < 0  # gamma<0, digamma(-0.5)>0
    assert dn.gamma(Dual(-1.5, 1.0)).partials[0] > 0


# --------------------------------------------------------------------------------------
# Strong zeros: an exactly-0 input partial stays 0 even where f' is inf/nan
# --------------------------------------------------------------------------------------
def test_strong_zero_spec_example():
    # d/dy [sqrt(x) + y] at x = 0 is exactly 1, not nan
    r = dn.sqrt(Dual(0.0, (1.0, 0.0))) + Dual(1.0, (0.0, 1.0))
    assert_dual(r, 1.0, (INF, 1.0))


@pytest.mark.parametrize("name", ["sqrt", "cbrt"])
def test_strong_zero_through_products(name):
    # y * sqrt(x) at x = 0: d/dx = y * inf, d/dy = sqrt(0) = 0 (not 0 * inf = nan)
    s = getattr(dn, name)(Dual(0.0, (1.0, 0.0)))
    assert_dual(Dual(2.0, (0.0, 1.0)) * s, 0.0, (INF, 0.0))
    assert_dual(s * Dual(2.0, (0.0, 1.0)), 0.0, (INF, 0.0))


@pytest.mark.parametrize("call", [
    lambda d: dn.sqrt(d), lambda d: dn.cbrt(d), lambda d: dn.sqrt(-d),
    lambda d: dn.atan2(d, 0.0), lambda d: dn.hypot(d, 0.0), lambda d: (-2.0) ** (d + 3.0),
    lambda d: d ** 0.5, lambda d: dn.asin(d + 1.0), lambda d: dn.acos(d - 1.0),
    lambda d: dn.acosh(d + 1.0),
], ids=["sqrt", "cbrt", "sqrt(-0)", "atan2", "hypot", "negbase-pow", "pow-half",
        "asin(1)", "acos(-1)", "acosh(1)"])
def test_strong_zero_at_singular_points(call):
    # an all-zero direction must give exactly 0 whatever the local derivative is
    r = call(Dual(0.0, (0.0, 0.0)))
    assert r.partials == (0.0, 0.0), r
    r = call(Dual(0.0, 0.0))
    assert r.partials == (0.0,), r


# --------------------------------------------------------------------------------------
# Negative-zero inputs: value as math (sign kept), derivative as at +0
# --------------------------------------------------------------------------------------
ODD_AT_ZERO = [  # name, f'(0)
    ("sin", 1.0), ("tan", 1.0), ("asin", 1.0), ("atan", 1.0), ("sinh", 1.0), ("tanh", 1.0),
    ("asinh", 1.0), ("atanh", 1.0), ("expm1", 1.0), ("log1p", 1.0),
    ("erf", 2.0 / math.sqrt(math.pi)), ("degrees", 180.0 / math.pi),
    ("radians", math.pi / 180.0), ("arcsin", 1.0), ("arctan", 1.0),
]


@pytest.mark.parametrize("name,d0", ODD_AT_ZERO)
def test_negative_zero_input(name, d0):
    r = getattr(dn, name)(Dual(-0.0, 1.0))
    assert r.value == 0.0 and math.copysign(1.0, r.value) == -1.0, r  # -0.0 as math
    assert math.isclose(r.partials[0], d0, rel_tol=1e-15), r
    r = getattr(dn, name)(Dual(0.0, 1.0))
    assert math.copysign(1.0, r.value) == 1.0, r


@pytest.mark.parametrize("name,value,d0", [
    ("cos", 1.0, 0.0), ("cosh", 1.0, 0.0), ("exp", 1.0, 1.0), ("exp2", 1.0, math.log(2.0)),
    ("erfc", 1.0, -2.0 / math.sqrt(math.pi)), ("sigmoid", 0.5, 0.25),
    ("softplus", math.log(2.0), 0.5), ("acos", math.pi / 2, -1.0),
])
def test_even_or_shifted_functions_at_negative_zero(name, value, d0):
    for z in (0.0, -0.0):
        r = getattr(dn, name)(Dual(z, 1.0))
        assert math.isclose(r.value, value, rel_tol=1e-15), r
        assert math.isclose(r.partials[0], d0, rel_tol=1e-15, abs_tol=0.0) or (
            d0 == 0.0 and r.partials[0] == 0.0), r


def test_negative_zero_in_operators():
    # -0.0 ** 0 = 1 with derivative 0; |-0.0| derivative 1; relu(-0.0) derivative 0
    assert_dual(Dual(-0.0, 1.0) ** 0, 1.0, (0.0,))
    assert_dual(abs(Dual(-0.0, 1.0)), 0.0, (1.0,), value_sign=1.0)
    assert_dual(dn.relu(Dual(-0.0, 1.0)), 0.0, (0.0,))


STATIONARY_AT_A_SINGULAR_POINT = [   # g(u(x)) with g' infinite at u(0) and u'(0) = 0
    pytest.param(lambda x: dn.sqrt(x * x), id="sqrt(x*x)"),
    pytest.param(lambda x: dn.cbrt(x * x), id="cbrt(x*x)"),
    pytest.param(lambda x: (x * x) ** 0.5, id="(x*x)**0.5"),
    pytest.param(lambda x: dn.asin(1.0 - x * x), id="asin(1-x*x)"),
    pytest.param(lambda x: dn.acos(x * x - 1.0), id="acos(x*x-1)"),
    pytest.param(lambda x: dn.acosh(1.0 + x * x), id="acosh(1+x*x)"),
]


@pytest.mark.parametrize("f", STATIONARY_AT_A_SINGULAR_POINT)
def test_strong_zero_where_the_argument_is_stationary(f):
    # a zero tangent times an infinite local derivative is 0, on every number
    # type: Dual (derivative), Jet (derivatives, whose higher coefficients
    # do not exist there: nan), Dual2 (hessian's gradient), DualArray
    assert dn.derivative(f, 0.0) == 0.0
    jet = dn.derivatives(f, 0.0, 3)
    assert jet[1] == 0.0 and np.isnan(jet[2:]).all()
    assert dn.value_gradient_and_hessian(lambda v: f(v[0]), [0.0])[1][0] == 0.0
    np.testing.assert_array_equal(dn.derivative(f, np.zeros(3)), np.zeros(3))


def test_strong_zero_of_a_norm_at_the_origin():
    # sqrt(sum(v*v)) at v = 0: the tangent of the sum is 0, so the gradient is 0
    # (a subgradient), in every route; a moving argument keeps the infinite slope
    norm = lambda v: np.sqrt(np.sum(v * v))
    for route in (dn.gradient(norm, np.zeros(3)), dn.gradient(np.linalg.norm, np.zeros(3)),
                  dn.value_gradient_and_hessian(norm, np.zeros(3))[1],
                  dn.jvp(norm, np.zeros(3), np.ones(3))[1]):
        assert np.array_equal(route, np.zeros(3)) or route == 0.0
    assert list(dn.derivatives(dn.sqrt, 0.0, 3)) == [0.0, INF, -INF, INF]
