"""Property tests: ring identities, differentiation rules and agreement with
complex-step differentiation, on random finite inputs."""

import cmath
import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dualnum as dn
from dualnum import Dual

SETTINGS = settings(deadline=None, max_examples=100, database=None)

REALS = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
SMALL = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
INTS = st.integers(-1000, 1000)


@st.composite
def duals(draw, count, values=REALS, partials=REALS):
    """`count` Duals sharing one random number (1..6) of directions."""
    n = draw(st.integers(1, 6))
    return tuple(
        Dual(draw(values), draw(st.lists(partials, min_size=n, max_size=n)))
        for _ in range(count)
    )


def close(actual, expected, scale=0.0):
    """rel 1e-12, plus an absolute allowance proportional to the size of the
    terms that were added: equivalent formulas may round differently, and
    after cancellation only the absolute error is small."""
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=max(1e-300, 1e-12 * scale))


def same(a, b):
    """Exactly the same value and partials."""
    return a.value == b.value and a.partials == b.partials


# --------------------------------------------------------------------------
# ring identities


@SETTINGS
@given(duals(2))
def test_add_commutative(ab):
    a, b = ab
    assert same(a + b, b + a)


@SETTINGS
@given(duals(2))
def test_mul_commutative(ab):
    a, b = ab
    left, right = a * b, b * a
    assert left.value == right.value
    for l, r, da, db in zip(left.partials, right.partials, a.partials, b.partials):
        assert close(l, r, abs(a.value * db) + abs(b.value * da))


@SETTINGS
@given(duals(3))
def test_add_associative(abc):
    a, b, c = abc
    left, right = (a + b) + c, a + (b + c)
    assert close(left.value, right.value, abs(a.value) + abs(b.value) + abs(c.value))
    for l, r, da, db, dc in zip(left.partials, right.partials, a.partials, b.partials, c.partials):
        assert close(l, r, abs(da) + abs(db) + abs(dc))


@SETTINGS
@given(duals(3))
def test_mul_associative(abc):
    a, b, c = abc
    left, right = (a * b) * c, a * (b * c)
    x, y, z = a.value, b.value, c.value
    assert close(left.value, right.value, abs(x * y * z))
    for l, r, da, db, dc in zip(left.partials, right.partials, a.partials, b.partials, c.partials):
        assert close(l, r, abs(da * y * z) + abs(x * db * z) + abs(x * y * dc))


@SETTINGS
@given(duals(3))
def test_distributive(abc):
    a, b, c = abc
    left, right = a * (b + c), a * b + a * c
    x, y, z = a.value, b.value, c.value
    assert close(left.value, right.value, abs(x) * (abs(y) + abs(z)))
    for l, r, da, db, dc in zip(left.partials, right.partials, a.partials, b.partials, c.partials):
        assert close(l, r, abs(da) * (abs(y) + abs(z)) + abs(x) * (abs(db) + abs(dc)))


@SETTINGS
@given(duals(2))
def test_additive_inverse(ab):
    a, b = ab
    # x + (-x) and x - x are exactly 0 in IEEE arithmetic
    for zero in (a + (-a), a - a, -a + a):
        assert zero.value == 0.0
        assert zero.partials == (0.0,) * len(a.partials)
    # subtraction is addition of the negation, exactly
    assert same(a - b, a + (-b))
    assert same(-(-a), a)  # noqa: B002  (double negation, not a decrement)


@SETTINGS
@given(duals(1))
def test_multiplicative_inverse(a_):
    (a,) = a_
    assume(abs(a.value) >= 1e-3)
    for one in (a * (1.0 / a), a / a, (1 / a) * a):
        assert close(one.value, 1.0)
        for p, da in zip(one.partials, a.partials):
            assert close(p, 0.0, 4 * abs(da / a.value))


@SETTINGS
@given(duals(1))
def test_identity_elements(a_):
    (a,) = a_
    assert same(a + 0.0, a)
    assert same(a * 1.0, a)
    assert same(a - 0, a)
    assert same(a / 1, a)
    zero = a * 0.0
    assert zero.value == 0.0 and all(p == 0.0 for p in zero.partials)


def int_pair(n):
    one = st.tuples(INTS, st.lists(INTS, min_size=n, max_size=n))
    return st.tuples(one, one)


@SETTINGS
@given(st.integers(1, 6).flatmap(int_pair))
def test_integer_valued_arithmetic_is_exact(ab):
    # Small integers: +, -, * are exact in floating point, so results must be too.
    (x, dx), (y, dy) = ab
    a, b = Dual(x, dx), Dual(y, dy)
    assert same(a + b, Dual(x + y, [p + q for p, q in zip(dx, dy)]))
    assert same(a - b, Dual(x - y, [p - q for p, q in zip(dx, dy)]))
    assert same(a * b, Dual(x * y, [p * y + x * q for p, q in zip(dx, dy)]))
    assert same(a * 3, Dual(3 * x, [3 * p for p in dx]))


# --------------------------------------------------------------------------
# differentiation rules


@SETTINGS
@given(duals(2))
def test_product_rule(ab):
    a, b = ab
    result = a * b
    assert result.value == a.value * b.value
    for p, da, db in zip(result.partials, a.partials, b.partials):
        assert close(p, da * b.value + a.value * db, abs(da * b.value) + abs(a.value * db))


@SETTINGS
@given(duals(2))
def test_quotient_rule(ab):
    a, b = ab
    assume(abs(b.value) >= 1e-3)
    x, y = a.value, b.value
    result = a / b
    assert result.value == x / y
    for p, da, db in zip(result.partials, a.partials, b.partials):
        expected = (da * y - x * db) / (y * y)
        assert close(p, expected, (abs(da * y) + abs(x * db)) / (y * y))


@SETTINGS
@given(duals(1, values=st.floats(-5.0, 5.0)))
def test_chain_rule_sin_exp(a_):
    (a,) = a_
    x = a.value
    result = dn.sin(dn.exp(a))
    e = math.exp(x)
    assert close(result.value, math.sin(e), e)
    for p, da in zip(result.partials, a.partials):
        # an ulp of difference in exp(x) moves cos(exp(x)) by about e * eps
        assert close(p, math.cos(e) * e * da, abs(e * da) * (1.0 + e))


@SETTINGS
@given(duals(1))
def test_chain_rule_exp_sin(a_):
    (a,) = a_
    x = a.value
    result = dn.exp(dn.sin(a))
    for p, da in zip(result.partials, a.partials):
        assert close(p, math.exp(math.sin(x)) * math.cos(x) * da, math.e * abs(da))


@SETTINGS
@given(duals(1, values=st.floats(-10.0, 10.0)), st.integers(2, 4))
def test_integer_power_is_repeated_product(a_, k):
    (a,) = a_
    power, product = a**k, a
    for _ in range(k - 1):
        product = product * a
    x = a.value
    assert close(power.value, product.value, abs(x) ** k)
    for p, q, da in zip(power.partials, product.partials, a.partials):
        assert close(p, q, k * abs(x) ** (k - 1) * abs(da))


@SETTINGS
@given(duals(2))
def test_divmod_matches_float_semantics(ab):
    a, b = ab
    x, y = a.value, b.value
    assume(abs(y) >= 1e-3)  # keeps the quotient finite
    assume(math.floor(x / y) == x // y)  # spec states the derivative with floor(a/b)
    q, r = divmod(a, b)
    assert q.value == x // y and r.value == x % y
    # the sign of a zero remainder follows the divisor, as for floats
    assert math.copysign(1.0, r.value) == math.copysign(1.0, x % y)
    assert q.partials == (0.0,) * len(a.partials)
    for p, da, db in zip(r.partials, a.partials, b.partials):
        k = math.floor(x / y)
        assert close(p, da - k * db, abs(da) + abs(k * db))
    assert same((a // b), q) and same((a % b), r)


# --------------------------------------------------------------------------
# agreement with complex-step differentiation


def f_trig_quotient(x, m):
    return m.sin(x * x + 3.0) / (2.0 + m.cos(x)) - m.exp(x / 4.0) * x


def f_rational(x, m):
    return (x - 1.5) * (x + 0.5) / (1.0 + x * x)


def f_exp_of_difference(x, m):
    return m.exp(m.sin(x) - m.cos(2.0 * x)) * (3.0 - x)


def f_nested(x, m):
    return 1.0 / (2.0 + m.sin(m.exp(x / 2.0))) + m.cos(x) * m.cos(x)


def f_deep_quotient(x, m):
    return x / (1.5 + m.cos(x / (1.0 + x * x))) - 2.0 * m.sin(m.cos(x) - x)


FUNCTIONS = st.sampled_from(
    [f_trig_quotient, f_rational, f_exp_of_difference, f_nested, f_deep_quotient]
)
H = 1e-30


def complex_step(f, x):
    # f(x + ih) = f(x) + ih f'(x) + O(h^2): no subtraction, so exact to rounding
    return f(complex(x, H), cmath).imag / H


@SETTINGS
@given(FUNCTIONS, SMALL, st.floats(-10.0, 10.0))
def test_agrees_with_complex_step(f, x, s):
    result = f(Dual(x, (1.0, s, 0.0)), dn)
    expected = complex_step(f, x)
    assert type(result) is Dual
    assert close(result.value, f(x, math), 10.0)
    # On [-3, 3] every intermediate term of these functions is below ~100,
    # so rounding differences stay far below the 1e-10 absolute allowance.
    assert close(result.partials[0], expected, 10.0)
    assert close(result.partials[1], s * expected, 10.0 * (1.0 + abs(s)))
    assert result.partials[2] == 0.0
