"""Arithmetic operators of Dual with every supported operand type on both sides.

Values are compared exactly with the same float operation; partials with the
analytic derivative (a reference written independently below)."""

import math
import operator
from fractions import Fraction

import numpy as np
import pytest

import dualnum as dn
from dualnum._core import dual_parts
from dualnum import Dual

INF = math.inf
NAN = math.nan

# op name -> (float operation, d/da (a, b), d/db (a, b))
OPS = {
    "add": (operator.add, lambda a, b: 1.0, lambda a, b: 1.0),
    "sub": (operator.sub, lambda a, b: 1.0, lambda a, b: -1.0),
    "mul": (operator.mul, lambda a, b: b, lambda a, b: a),
    "truediv": (operator.truediv, lambda a, b: 1.0 / b, lambda a, b: -a / b**2),
    "floordiv": (operator.floordiv, lambda a, b: 0.0, lambda a, b: 0.0),
    "mod": (operator.mod, lambda a, b: 1.0, lambda a, b: -math.floor(a / b)),
    "pow": (operator.pow, lambda a, b: b * a ** (b - 1), lambda a, b: a**b * math.log(a)),
}

# Constant operands: every supported scalar type. Values are exact in float32 too.
CONSTANTS = [
    3,
    2.5,
    True,
    np.float64(2.5),
    np.float32(1.5),
    np.int64(3),
    np.bool_(True),
    Fraction(3, 2),
]
# Complex numpy scalars are as unsupported as a Python complex: the imaginary
# part must not be dropped (not even with a ComplexWarning).
UNKNOWN = ["x", None, object()]
# complex numbers were unknown operands before issue 17; they now make complex
# dual numbers (tests/test_complex_scalar.py), except for the operators that
# complex numbers lack
COMPLEX = [1j, np.complex128(1 + 2j), np.complex64(1 + 2j), np.complex128(2 + 0j)]

# Duals with one and with several directions (a zero direction included);
# 7 directions is more than fit inline in the object.
XS = [Dual(1.75, 1.0), Dual(1.75, (0.5, -2.0, 0.0)), Dual(1.75, (0.5, -2.0, 0.0, 1.0, 3.0, -0.25, 8.0))]
X_IDS = ["1dir", "3dir", "7dir"]


def type_id(obj):
    return type(obj).__name__


def parts(operand):
    """(float value, partials or None for a constant)."""
    if isinstance(operand, Dual):
        return operand.value, operand.partials
    return float(operand), None


def reference(name, a, b):
    """Expected (value, partials, scales) of `a <op> b` from the float operation
    and the analytic derivative. A partial that is exactly 0 in an input
    contributes exactly 0 (strong zeros)."""
    op, d_da, d_db = OPS[name]
    av, ap = parts(a)
    bv, bp = parts(b)
    value = op(av, bv)
    n = len(ap) if ap is not None else len(bp)
    partials, scales = [], []
    for i in range(n):
        ta = d_da(av, bv) * ap[i] if ap is not None and ap[i] != 0 else 0.0
        tb = d_db(av, bv) * bp[i] if bp is not None and bp[i] != 0 else 0.0
        partials.append(ta + tb)
        scales.append(abs(ta) + abs(tb))
    return value, partials, scales


def same_float(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b


def close(actual, expected, scale=0.0):
    """rel 1e-12; the absolute allowance grows with the size of the terms
    that were summed, so that cancellation does not make the test flaky."""
    if math.isnan(expected) or math.isinf(expected):
        return same_float(actual, expected)
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=max(1e-300, 1e-12 * scale))


def check(result, value, partials, scales=None):
    assert type(result) is Dual, type(result)
    assert same_float(result.value, value), (result.value, value)
    assert len(result.partials) == len(partials), (result.partials, partials)
    scales = scales or [0.0] * len(partials)
    for got, want, scale in zip(result.partials, partials, scales):
        assert close(got, want, scale), (result.partials, partials)


def check_op(name, a, b):
    result = OPS[name][0](a, b)
    check(result, *reference(name, a, b))


# --------------------------------------------------------------------------
# Dual with constants of every type, on both sides


@pytest.mark.parametrize("x", XS, ids=X_IDS)
@pytest.mark.parametrize("c", CONSTANTS, ids=type_id)
@pytest.mark.parametrize("name", list(OPS))
def test_dual_op_constant(name, c, x):
    check_op(name, x, c)


@pytest.mark.parametrize("x", XS, ids=X_IDS)
@pytest.mark.parametrize("c", CONSTANTS, ids=type_id)
@pytest.mark.parametrize("name", list(OPS))
def test_constant_op_dual(name, c, x):
    check_op(name, c, x)


@pytest.mark.parametrize("x", XS, ids=X_IDS)
@pytest.mark.parametrize("c", CONSTANTS, ids=type_id)
def test_divmod_with_constant(c, x):
    for a, b in ((x, c), (c, x)):
        q, r = divmod(a, b)
        q_ref = reference("floordiv", a, b)
        r_ref = reference("mod", a, b)
        assert (q_ref[0], r_ref[0]) == divmod(parts(a)[0], parts(b)[0])
        check(q, *q_ref)
        check(r, *r_ref)


def test_divmod_returns_a_tuple():
    result = divmod(Dual(7.0, 1.0), 2.0)
    assert type(result) is tuple and len(result) == 2


# --------------------------------------------------------------------------
# Dual with Dual


# (a, b) values; floor division and modulo get negative operands too.
PAIRS = [(1.75, 0.8), (0.8, 1.75), (1.75, -0.8), (-1.25, 0.8), (-1.75, -0.5), (3.0, 4.0)]
DIRECTIONS = {
    1: ((1.0,), (0.5,)),
    3: ((1.0, 0.0, -0.5), (0.25, 2.0, 0.0)),
    7: ((1.0, 0.0, -0.5, 2.0, 0.0, 3.0, -1.0), (0.25, 2.0, 0.0, -1.0, 0.0, 0.5, 4.0)),
}


# a negative base with a non-integer exponent is a domain error: not in this table
OP_PAIRS = [(name, pair) for name in OPS for pair in PAIRS if not (name == "pow" and pair[0] < 0)]


@pytest.mark.parametrize("n", list(DIRECTIONS))
@pytest.mark.parametrize("name, pair", OP_PAIRS, ids=str)
def test_dual_op_dual(name, pair, n):
    av, bv = pair
    da, db = DIRECTIONS[n]
    check_op(name, Dual(av, da), Dual(bv, db))


@pytest.mark.parametrize("n", list(DIRECTIONS))
@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_divmod_dual_dual(pair, n):
    da, db = DIRECTIONS[n]
    a, b = Dual(pair[0], da), Dual(pair[1], db)
    q, r = divmod(a, b)
    check(q, *reference("floordiv", a, b))
    check(r, *reference("mod", a, b))
    assert (q.value, r.value) == divmod(pair[0], pair[1])


@pytest.mark.parametrize(
    "name, expected_value, expected_partial",
    [
        ("add", 3.5, 2.0),
        ("sub", 0.0, 0.0),
        ("mul", 1.75**2, 2 * 1.75),
        ("truediv", 1.0, 0.0),
        ("floordiv", 1.0, 0.0),
        ("mod", 0.0, 0.0),
        ("pow", 1.75**1.75, 1.75**1.75 * (math.log(1.75) + 1.0)),
    ],
)
def test_dual_with_itself(name, expected_value, expected_partial):
    x = Dual(1.75, 1.0)
    result = OPS[name][0](x, x)
    check(result, expected_value, [expected_partial], [4.0])


def test_exact_sum_and_difference():
    # Integer-valued floats: the result must be exact, not merely close.
    a = Dual(3.0, (1.0, 2.0, 0.0))
    b = Dual(4.0, (5.0, -6.0, 0.0))
    assert (a + b).value == 7.0 and (a + b).partials == (6.0, -4.0, 0.0)
    assert (a - b).value == -1.0 and (a - b).partials == (-4.0, 8.0, 0.0)
    assert (a * 2).partials == (2.0, 4.0, 0.0)
    assert (a - a).partials == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "expr",
    [
        lambda x: 2.0 ** x,
        lambda x: x ** x,
        lambda x: np.float64(2) * x,
        lambda x: x * np.float64(2),
        lambda x: np.float32(2) ** x,
        lambda x: np.int64(2) - x,
        lambda x: Fraction(1, 2) / x,
        lambda x: divmod(np.float64(5), x)[1],
    ],
)
def test_result_type_is_dual(expr):
    assert type(expr(Dual(1.5, 1.0))) is Dual


# --------------------------------------------------------------------------
# unary operators


@pytest.mark.parametrize("value", [1.75, -1.75, 0.0, -0.0, INF, -INF, NAN])
@pytest.mark.parametrize("partials", [(1.0,), (0.5, -2.0, 0.0)])
def test_negation(value, partials):
    result = -Dual(value, partials)
    assert type(result) is Dual
    assert same_float(result.value, -value)
    if not math.isnan(value):
        # -0.0 for 0.0 and vice versa, like float negation
        assert math.copysign(1.0, result.value) == math.copysign(1.0, -value)
    assert result.partials == tuple(-p for p in partials)


@pytest.mark.parametrize("value", [1.75, -1.75, 0.0, -0.0])
def test_unary_plus(value):
    d = Dual(value, (0.5, -2.0))
    result = +d
    assert type(result) is Dual
    assert math.copysign(1.0, result.value) == math.copysign(1.0, value)
    assert result.value == value and result.partials == d.partials


@pytest.mark.parametrize(
    "value, sign",
    [(1.75, 1.0), (-1.75, -1.0), (0.0, 1.0), (-0.0, 1.0), (INF, 1.0), (-INF, -1.0)],
)
@pytest.mark.parametrize("partials", [(1.0,), (0.5, -2.0, 0.0)])
def test_abs(value, sign, partials):
    # Convention: abs'(0) = 1, also at -0.0.
    result = abs(Dual(value, partials))
    assert type(result) is Dual
    assert result.value == abs(value)
    assert math.copysign(1.0, result.value) == 1.0
    assert result.partials == tuple(sign * p for p in partials)


# --------------------------------------------------------------------------
# unknown operand types


BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "divmod": divmod,
}


@pytest.mark.parametrize("other", UNKNOWN, ids=type_id)
@pytest.mark.parametrize("name", list(BINARY))
def test_unknown_operand_raises_type_error(name, other):
    x = Dual(1.0, 1.0)
    with pytest.raises(TypeError):
        BINARY[name](x, other)
    with pytest.raises(TypeError):
        BINARY[name](other, x)


METHODS = [
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
    "__mod__", "__rmod__", "__pow__", "__rpow__", "__divmod__", "__rdivmod__",
]


@pytest.mark.parametrize("other", UNKNOWN, ids=type_id)
@pytest.mark.parametrize("method", METHODS)
def test_unknown_operand_gives_not_implemented(method, other):
    # NotImplemented (not an exception) lets the other operand have its turn.
    assert getattr(Dual(1.0, 1.0), method)(other) is NotImplemented


@pytest.mark.parametrize("other", COMPLEX, ids=type_id)
@pytest.mark.parametrize("name", list(BINARY))
def test_complex_operand_gives_a_complex_dual_or_raises_as_complex(name, other):
    from dualnum._complex_dual import ComplexDual
    x = Dual(1.75, 1.0)
    c = complex(other)
    if name in ("floordiv", "mod", "divmod"):
        # complex numbers have no // and %: TypeError, as for complex
        for a, b in ((x, other), (other, x)):
            with pytest.raises(TypeError):
                BINARY[name](a, b)
        return
    for a, b, plain in ((x, other, lambda t: BINARY[name](t, c)),
                        (other, x, lambda t: BINARY[name](c, t))):
        result = BINARY[name](a, b)
        assert type(result) is ComplexDual and not result.holomorphic
        assert result.value == pytest.approx(plain(1.75), rel=1e-15)
        h = 1e-6
        slope = (plain(1.75 + h) - plain(1.75 - h)) / (2 * h)
        assert result.partials[0] == pytest.approx(slope, rel=1e-7)


def test_add_str_not_implemented():
    assert Dual(1.0, 1.0).__add__("x") is NotImplemented


def test_other_operand_gets_its_turn():
    # Because Dual returns NotImplemented, a third-party type can handle it.
    class Other:
        def __radd__(self, other):
            return "handled"

        def __rmul__(self, other):
            return "handled"

    assert Dual(1.0, 1.0) + Other() == "handled"
    assert Dual(1.0, 1.0) * Other() == "handled"


def test_three_argument_pow_is_rejected():
    # Like float: pow() 3rd argument not allowed unless all arguments are integers.
    with pytest.raises(TypeError):
        pow(Dual(2.0, 1.0), 2, 5)


# --------------------------------------------------------------------------
# errors like floats


@pytest.mark.parametrize(
    "expr",
    [
        lambda: Dual(1.0, 1.0) / 0.0,
        lambda: Dual(1.0, 1.0) / 0,
        lambda: Dual(1.0, 1.0) / -0.0,
        lambda: Dual(1.0, 1.0) / False,
        lambda: Dual(1.0, 1.0) / Dual(0.0, 1.0),
        lambda: Dual(1.0, 1.0) / Dual(0.0),
        lambda: 1.0 / Dual(0.0, 1.0),
        lambda: 1 / Dual(0.0, (1.0, 2.0)),
        lambda: Fraction(1, 2) / Dual(0.0, 1.0),
        lambda: Dual(1.0, 1.0) // 0,
        lambda: Dual(1.0, 1.0) // 0.0,
        lambda: Dual(1.0, 1.0) // Dual(0.0, 1.0),
        lambda: 1.0 // Dual(0.0, 1.0),
        lambda: Dual(1.0, 1.0) % 0,
        lambda: Dual(1.0, 1.0) % 0.0,
        lambda: Dual(1.0, 1.0) % Dual(0.0, 1.0),
        lambda: 1.0 % Dual(0.0, 1.0),
        lambda: divmod(Dual(1.0, 1.0), 0),
        lambda: divmod(Dual(1.0, 1.0), 0.0),
        lambda: divmod(3, Dual(0.0, 1.0)),
        lambda: Dual(0.0, 1.0) ** -1,
        lambda: Dual(0.0, 1.0) ** -1.0,
        lambda: Dual(0.0, 1.0) ** -0.5,
        lambda: Dual(0.0, 1.0) ** Dual(-1.0),
        lambda: 0.0 ** Dual(-1.0, 1.0),
        lambda: 0 ** Dual(-2.0, 1.0),
    ],
)
def test_zero_division(expr):
    with pytest.raises(ZeroDivisionError):
        expr()


@pytest.mark.parametrize(
    "expr",
    [
        lambda: Dual(-8.0, 1.0) ** 0.5,
        lambda: Dual(-8.0, 1.0) ** Fraction(1, 3),
        lambda: Dual(-8.0, 1.0) ** Dual(0.5, 0.0),
        lambda: Dual(-8.0, (1.0, 0.0)) ** Dual(0.5, (0.0, 1.0)),
        # constant negative base, non-integer exponent: math.pow raises ValueError
        lambda: (-8.0) ** Dual(0.5, 1.0),
    ],
)
def test_negative_base_fractional_exponent(expr):
    with pytest.raises(ValueError):
        expr()


@pytest.mark.parametrize(
    "expr",
    [
        lambda: Dual(10.0, 1.0) ** 400.0,
        lambda: Dual(10.0, 1.0) ** 400,
        lambda: 10.0 ** Dual(400.0, 1.0),
        lambda: Dual(1.0, 1.0) + 10**400,
        lambda: 10**400 * Dual(1.0, 1.0),
    ],
)
def test_overflow_like_float(expr):
    # float raises OverflowError for these (10.0 ** 400.0, 1.0 + 10**400).
    with pytest.raises(OverflowError):
        expr()


# --------------------------------------------------------------------------
# conventions of ** at special points


@pytest.mark.parametrize(
    "base, exponent, value, partials",
    [
        # x**0 is 1 with derivative 0, also at x = 0
        (Dual(0.0, 1.0), 0, 1.0, (0.0,)),
        (Dual(0.0, 1.0), 0.0, 1.0, (0.0,)),
        (Dual(0.0, 1.0), Dual(0.0), 1.0, (0.0,)),
        (Dual(-3.0, 1.0), 0, 1.0, (0.0,)),
        # integer exponents at negative x: c * x**(c-1)
        (Dual(-2.0, 1.0), 3, -8.0, (12.0,)),
        (Dual(-2.0, 1.0), 3.0, -8.0, (12.0,)),
        (Dual(-2.0, 1.0), np.int64(3), -8.0, (12.0,)),
        (Dual(-2.0, 1.0), Fraction(3, 1), -8.0, (12.0,)),
        (Dual(-2.0, 1.0), 2.0, 4.0, (-4.0,)),
        (Dual(-2.0, 1.0), -1, -0.5, (-0.25,)),
        (Dual(-2.0, 1.0), -2, 0.25, (0.25,)),
        (Dual(-2.0, 1.0), Dual(3.0), -8.0, (12.0,)),
        # at zero
        (Dual(0.0, 1.0), 1, 0.0, (1.0,)),
        (Dual(0.0, 1.0), 2, 0.0, (0.0,)),
        (Dual(0.0, 1.0), 1.5, 0.0, (0.0,)),
        (Dual(0.0, 1.0), 0.5, 0.0, (INF,)),
        # strong zero: a zero input partial stays exactly zero next to an inf
        (Dual(0.0, (1.0, 0.0)), 0.5, 0.0, (INF, 0.0)),
        # constant base 0, positive dual exponent: derivative 0 (not nan)
        (0.0, Dual(2.0, 1.0), 0.0, (0.0,)),
        (0, Dual(0.5, (1.0, 0.0)), 0.0, (0.0, 0.0)),
        # negative constant base, integer-valued dual exponent: derivative nan
        (-2.0, Dual(3.0, 1.0), -8.0, (NAN,)),
        (-2, Dual(2.0, 1.0), 4.0, (NAN,)),
        (-2.0, Dual(3.0, (0.0, 1.0)), -8.0, (0.0, NAN)),
        # base 1: derivative wrt the exponent is log(1) = 0
        (1.0, Dual(3.0, 1.0), 1.0, (0.0,)),
        # constant positive base
        (2.0, Dual(3.0, (1.0, 0.5)), 8.0, (8.0 * math.log(2.0), 4.0 * math.log(2.0))),
    ],
)
def test_pow_special_points(base, exponent, value, partials):
    check(base**exponent, value, list(partials))


@pytest.mark.parametrize(
    "base, exponent, value, partials",
    [
        # Dual base and exponent, the spec conventions applied to each direction:
        # negative base with integer-valued exponent: d/dbase finite, d/dexp nan
        (Dual(-2.0, (1.0, 0.0)), Dual(3.0, (0.0, 1.0)), -8.0, (12.0, NAN)),
        # base 0 with positive exponent: both derivatives 0
        (Dual(0.0, (1.0, 0.0)), Dual(2.0, (0.0, 1.0)), 0.0, (0.0, 0.0)),
    ],
)
def test_pow_dual_dual_special_points(base, exponent, value, partials):
    check(base**exponent, value, list(partials))


@pytest.mark.parametrize(
    "expr, value, partials",
    [
        # strong zeros: a direction the input does not depend on stays exactly 0
        (lambda: Dual(2.0, (1.0, 0.0)) * INF, INF, (INF, 0.0)),
        (lambda: INF * Dual(2.0, (1.0, 0.0)), INF, (INF, 0.0)),
        (lambda: Dual(2.0, (1.0, 0.0)) * NAN, NAN, (NAN, 0.0)),
        (lambda: Dual(2.0, (1.0, 0.0)) * Dual(INF, (0.0, 1.0)), INF, (INF, 2.0)),
        (lambda: Dual(0.0, (1.0, 0.0)) ** Dual(0.5, (0.0, 1.0)), 0.0, (INF, 0.0)),
    ],
)
def test_strong_zeros(expr, value, partials):
    check(expr(), value, list(partials))


# --------------------------------------------------------------------------
# direction counts


@pytest.mark.parametrize("name", list(BINARY))
def test_mismatched_direction_counts_raise(name):
    a = Dual(1.5, 1.0)
    b = Dual(0.5, (1.0, 2.0))
    with pytest.raises(ValueError):
        BINARY[name](a, b)
    with pytest.raises(ValueError):
        BINARY[name](b, a)


def duals_from_two_calls():
    """The seeded duals of two separate differentiation calls (escaped on purpose)."""
    captured = []
    for x0 in (1.5, 2.5):
        dn.derivative(lambda x: captured.append(x) or x * 1.0, x0)
    return captured


@pytest.mark.parametrize("name", list(OPS))
def test_duals_from_different_calls_nest_exactly(name):
    # Duals of two differentiation calls combine as nested perturbations
    # (dualnum/nesting.py): the newer call's partial is a number of the older
    # call, so each call reads exactly its own derivative -- never a mix.
    from dualnum._read import read_level as split
    func, da, db = OPS[name]
    a, b = duals_from_two_calls()                  # a: the older call (1.5), b: the newer (2.5)
    _, _, tag_a = dual_parts(a)
    _, _, tag_b = dual_parts(b)
    assert tag_a < tag_b
    # (result, its float counterpart, slope along the newer call's variable, along the older's)
    for r, x, y, slope_b, slope_a in ((func(a, b), 1.5, 2.5, db(1.5, 2.5), da(1.5, 2.5)),
                                      (func(b, a), 2.5, 1.5, da(2.5, 1.5), db(2.5, 1.5))):
        value, d_newer = split(r, tag_b)
        outer_value, d_older = split(value, tag_a)
        assert outer_value == func(x, y)
        inner = d_newer if type(d_newer) is float else d_newer.value
        assert inner == pytest.approx(slope_b, rel=1e-15)
        assert d_older == pytest.approx(slope_a, rel=1e-15)


@pytest.mark.parametrize("name", list(OPS))
def test_zero_direction_dual_mixes_with_anything(name):
    const = Dual(1.5)
    x = Dual(0.5, (1.0, 2.0))
    # A zero-direction dual behaves exactly like the plain float.
    check(OPS[name][0](const, x), *reference(name, 1.5, x))
    check(OPS[name][0](x, const), *reference(name, x, 1.5))
    both = OPS[name][0](const, Dual(0.5))
    assert type(both) is Dual and both.partials == ()
    assert both.value == OPS[name][0](1.5, 0.5)


@pytest.mark.parametrize("name", list(OPS))
def test_constant_result_has_zero_directions(name):
    result = OPS[name][0](Dual(1.5), 2)
    assert type(result) is Dual
    assert result.partials == ()
    assert result.value == OPS[name][0](1.5, 2.0)


# --------------------------------------------------------------------------- #
# x**n for |n| > 2**53 at a negative base: every such float is an even
# integer, so n - 1 is odd, though it rounds to an even float.  An exponent is
# first converted to float, as Python's float ** int and numpy do, so an odd
# Python int above 2**53 counts as the even float it rounds to.
# --------------------------------------------------------------------------- #
HUGE_EXPONENTS = [2 ** 60, 2 ** 60 + 1, np.int64(2 ** 60), 2.0 ** 60, -(2.0 ** 60),
                  2.0 ** 53 + 2, 2 ** 53 + 1, 2.0 ** 1000]


def _power_derivative(x, n):
    """n x**(n-1) with n - 1 as the exact integer float(n) - 1 (x = +-1)."""
    m = int(float(n))
    return float(m) * (-1.0 if x < 0 and (m - 1) % 2 else 1.0)


@pytest.mark.parametrize("n", HUGE_EXPONENTS, ids=repr)
@pytest.mark.parametrize("x", [-1.0, 1.0])
def test_power_beyond_2_53_has_the_parity_of_n(x, n):
    want = _power_derivative(x, n)
    d = Dual(x, 1.0) ** n
    assert d.value == x ** float(n)
    assert d.partials == (want,)
    assert dn.pow(Dual(x, 1.0), n).partials == (want,)
    assert dn.derivative(lambda t: t ** n, x) == want
    np.testing.assert_array_equal(dn.derivative(lambda t: t ** n, np.array([x, x])), [want, want])
    np.testing.assert_array_equal(dn.gradient(lambda t: np.sum(t ** n), np.array([x])), [want])
    assert dn.value_gradient_and_hessian(lambda t: t[0] ** n, np.array([x]))[1][0] == want
    assert dn.derivatives(lambda t: t ** n, x, 1)[1] == want       # the Jet path


def test_power_beyond_2_53_small_negative_base():
    # (-0.5) ** (2**60 - 1) underflows to -0.0: the derivative keeps the sign
    d = Dual(-0.5, 1.0) ** 2.0 ** 60
    assert d.partials == (0.0,) and math.copysign(1.0, d.partials[0]) == -1.0
