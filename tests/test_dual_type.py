"""The Dual type itself: construction, attributes, immutability, repr, hashing,
comparisons, truthiness and the refusal to be silently converted to a float."""

import math
import operator
from fractions import Fraction

import numpy as np
import pytest

import dualnum as dn
from dualnum import Dual

INF = math.inf
NAN = math.nan


def same_float(a, b):
    """Bitwise-style equality: nan equals nan, 0.0 differs from -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def same_partials(d, expected):
    return len(d.partials) == len(expected) and all(
        same_float(p, e) for p, e in zip(d.partials, expected)
    )


# --------------------------------------------------------------------------
# construction


def test_exported_type_is_the_compiled_one():
    from dualnum import _core

    assert dn.Dual is _core.Dual


@pytest.mark.parametrize(
    "partials, expected",
    [
        ((), ()),
        ([], ()),
        (np.array([]), ()),
        (1.0, (1.0,)),
        (-2.5, (-2.5,)),
        (3, (3.0,)),
        (np.float64(0.5), (0.5,)),
        ([1.0], (1.0,)),
        ((1.0, 0.0), (1.0, 0.0)),
        ([1.0, -2.0, 0.25], (1.0, -2.0, 0.25)),
        ([1, 2], (1.0, 2.0)),
        (np.array([1.0, 2.0]), (1.0, 2.0)),
        (np.array([1, 2], dtype=np.int64), (1.0, 2.0)),
        (np.array([0.5], dtype=np.float32), (0.5,)),
        (range(3), (0.0, 1.0, 2.0)),
    ],
)
def test_partials_forms(partials, expected):
    d = Dual(2.0, partials)
    assert d.value == 2.0
    assert type(d.partials) is tuple
    assert d.partials == expected
    assert all(type(p) is float for p in d.partials)


def test_constant_has_zero_directions():
    d = Dual(2.0)
    assert d.value == 2.0
    assert d.partials == ()


def test_partials_keyword():
    assert Dual(1.0, partials=(2.0, 3.0)).partials == (2.0, 3.0)


@pytest.mark.parametrize(
    "value, expected",
    [
        (2, 2.0),
        (2.0, 2.0),
        (True, 1.0),
        (np.float64(2.5), 2.5),
        (np.float32(2.5), 2.5),
        (np.int64(2), 2.0),
        (Fraction(5, 2), 2.5),
    ],
)
def test_value_is_converted_to_float(value, expected):
    d = Dual(value, 1.0)
    assert type(d.value) is float
    assert d.value == expected


def test_many_directions():
    d = Dual(0.5, [float(i) for i in range(200)])
    assert d.partials == tuple(float(i) for i in range(200))


@pytest.mark.parametrize(
    "value, partials",
    [
        (INF, 1.0),
        (-INF, (1.0, 2.0)),
        (NAN, 1.0),
        (1.0, (INF, -INF, NAN)),
        (NAN, (NAN,)),
    ],
)
def test_non_finite_values_are_allowed(value, partials):
    # Only the differentiation front-end rejects non-finite x; the number type
    # must represent whatever float arithmetic produces.
    d = Dual(value, partials)
    expected = partials if isinstance(partials, tuple) else (partials,)
    assert same_float(d.value, value)
    assert same_partials(d, expected)


def test_negative_zero_is_kept():
    d = Dual(-0.0, (-0.0, 0.0))
    assert same_float(d.value, -0.0)
    assert same_partials(d, (-0.0, 0.0))


@pytest.mark.parametrize("value", ["2.0", None, 1j, [1.0], (1.0,), object(), {}])
def test_bad_value_raises_type_error(value):
    with pytest.raises(TypeError):
        Dual(value, 1.0)


@pytest.mark.parametrize(
    "partials",
    [
        "ab", "1", None, 1j, [1.0, None], ["1.0"], [1.0, 1j], object(),
        {1.0, 2.0}, {1.0: 2.0}, [Dual(1.0, 1.0)], Dual(1.0, 1.0),
    ],
)
def test_bad_partials_raise_type_error(partials):
    # A str is iterable but is not a sequence of reals: must not be accepted.
    # Neither are a set (no order: which partial is which?) or a dict.
    with pytest.raises(TypeError):
        Dual(1.0, partials)


@pytest.mark.parametrize(
    "partials",
    [[[1.0, 2.0]], [[1.0], [2.0]], [1.0, [2.0]], np.ones((2, 2))],
)
def test_nested_partials_are_rejected(partials):
    # Spec: partials are a real or a flat sequence of reals. A nested list must
    # not be silently flattened. TypeError (not a real) or ValueError (bad shape)
    # are both reasonable.
    with pytest.raises((TypeError, ValueError)):
        Dual(1.0, partials)


def test_too_many_constructor_arguments():
    with pytest.raises(TypeError):
        Dual(1.0, 1.0, 2.0)


def test_missing_value():
    with pytest.raises(TypeError):
        Dual()


# --------------------------------------------------------------------------
# immutability


@pytest.mark.parametrize("name", ["value", "partials"])
def test_attributes_are_read_only(name):
    d = Dual(1.0, (2.0, 3.0))
    with pytest.raises(AttributeError):
        setattr(d, name, 5.0)
    with pytest.raises(AttributeError):
        delattr(d, name)
    assert d.value == 1.0 and d.partials == (2.0, 3.0)


def test_no_new_attributes():
    d = Dual(1.0, 2.0)
    with pytest.raises(AttributeError):
        d.foo = 1


@pytest.mark.parametrize("args", [(5.0,), (5.0, 7.0), (5.0, (7.0, 8.0))])
def test_reinit_does_not_mutate(args):
    d = Dual(1.0, (2.0, 3.0))
    with pytest.raises(TypeError):
        d.__init__(*args)
    assert d.value == 1.0
    assert d.partials == (2.0, 3.0)


@pytest.mark.parametrize("make", [list, np.array])
def test_input_container_is_copied(make):
    # Mutating the sequence passed in must not change the dual afterwards.
    src = make([1.0, 2.0])
    d = Dual(0.0, src)
    src[0] = 99.0
    assert d.partials == (1.0, 2.0)


def test_many_temporaries_keep_their_partials():
    # Objects are recycled; partials live inline (few) or on the heap (many).
    # Interleave both kinds so a stale buffer would show up.
    kept = []
    for i in range(3000):
        n = 1 + i % 9
        d = Dual(float(i), [float(i + k) for k in range(n)])
        kept.append((i, n, (d * 2.0 + d) - d))  # several temporaries die here
    for i, n, e in kept:
        assert e.value == 2.0 * i
        assert e.partials == tuple(2.0 * (i + k) for k in range(n))


def test_inplace_operator_rebinds_instead_of_mutating():
    d = Dual(1.0, 2.0)
    alias = d
    alias += 1.0
    alias *= 3.0
    assert d.value == 1.0 and d.partials == (2.0,)
    assert alias.value == 6.0 and alias.partials == (6.0,)


# --------------------------------------------------------------------------
# repr


@pytest.mark.parametrize(
    "d, text",
    [
        (Dual(2.0), "Dual(2.0)"),
        (Dual(2.0, 1.0), "Dual(2.0, 1.0)"),
        (Dual(2.0, [1.0]), "Dual(2.0, 1.0)"),
        (Dual(2, 1), "Dual(2.0, 1.0)"),
        (Dual(2.0, (1.0, 0.0)), "Dual(2.0, (1.0, 0.0))"),
        (Dual(-0.5, (1.0, 0.0, -3.0)), "Dual(-0.5, (1.0, 0.0, -3.0))"),
    ],
)
def test_repr_format(d, text):
    assert repr(d) == text


@pytest.mark.parametrize(
    "d",
    [
        Dual(2.0),
        Dual(0.1, 0.2),
        Dual(-0.0, -0.0),
        Dual(1e-300, (1e300, 5e-324)),
        Dual(1.0 / 3.0, (2.0 / 3.0, -1.0 / 7.0, 0.0)),
        Dual(123456789.123456789, [float(i) / 7 for i in range(10)]),
    ],
)
def test_repr_round_trip(d):
    namespace = {}
    exec("from dualnum import Dual", namespace)
    back = eval(repr(d), namespace)
    assert type(back) is Dual
    assert same_float(back.value, d.value)
    assert same_partials(back, d.partials)


def test_str_is_readable():
    # str() is not specified beyond being a string; it must not raise.
    assert isinstance(str(Dual(2.0, (1.0, 0.0))), str)


# --------------------------------------------------------------------------
# hashing and equality


@pytest.mark.parametrize("value", [0.0, -0.0, 1.0, 2.0, -1.0, 0.5, 1e300, INF, -INF])
@pytest.mark.parametrize("partials", [(), 1.0, (3.0, -4.0)])
def test_hash_is_hash_of_value(value, partials):
    assert hash(Dual(value, partials)) == hash(value)


def test_hash_is_stable_for_nan():
    # hash(nan) cannot equal hash(d.value) (it is per object since Python 3.10),
    # but the hash of one immutable object must not change.
    d = Dual(NAN, 1.0)
    assert hash(d) == hash(d)
    assert d in {d}


def test_equal_dual_and_number_are_interchangeable_as_keys():
    # hash/eq consistent with the plain number => usable as dict keys and in sets.
    table = {2: "two", 0.5: "half"}
    assert table[Dual(2.0, 1.0)] == "two"
    assert table[Dual(0.5, (1.0, 2.0))] == "half"
    assert len({Dual(1.0, 1.0), Dual(1.0, 5.0), 1.0, 1}) == 1  # noqa: B033  (1 and 1.0: one key)


@pytest.mark.parametrize(
    "other",
    [2, 2.0, True + 1, np.float64(2.0), np.float32(2.0), np.int64(2), Dual(2.0, 9.0), Dual(2.0)],
)
def test_equality_on_value(other):
    d = Dual(2.0, 1.0)
    assert d == other
    assert other == d
    assert not (d != other)
    assert not (other != d)


@pytest.mark.parametrize(
    "other", [3, 2.5, np.float64(2.5), np.int64(3), Dual(2.5, 1.0), False, np.bool_(True)]
)
def test_inequality_on_value(other):
    d = Dual(2.0, 1.0)
    assert d != other
    assert other != d
    assert not (d == other)


def test_equality_with_bool():
    assert Dual(1.0, 1.0) == True  # noqa: E712  (bool is an int)
    assert Dual(0.0, 1.0) == False  # noqa: E712
    assert Dual(1.0, 1.0) == np.bool_(True)


def test_equality_with_fraction():
    # Spec lists Fraction among operands; a careful user expects == to agree
    # with float == Fraction.
    assert Dual(0.5, 1.0) == Fraction(1, 2)
    assert Fraction(1, 2) == Dual(0.5, 1.0)
    assert Dual(0.5, 1.0) < Fraction(2, 3)


EXACT_CASES = [
    (2.0**53, 2**53 + 1),  # the int is not representable as a float
    (2.0**53, 2**53),
    (1.0 / 3.0, Fraction(1, 3)),
    (0.1, Fraction(1, 10)),
    (0.5, Fraction(1, 2)),
    (1.0, 10**400),  # too large for a float, still comparable
    (1e308, -(10**400)),
]
EXACT_IDS = ["2**53+1", "2**53", "Fraction(1,3)", "Fraction(1,10)", "Fraction(1,2)", "10**400", "-10**400"]


@pytest.mark.parametrize("value, other", EXACT_CASES, ids=EXACT_IDS)
def test_comparisons_are_exact_like_float(value, other):
    # "Comparisons act on the value": d OP other must give what
    # d.value OP other gives, and Python compares floats with ints and
    # Fractions exactly (no rounding of the other operand).
    d = Dual(value, 1.0)
    for op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
        assert op(d, other) == op(value, other), op
        assert op(other, d) == op(other, value), op


@pytest.mark.parametrize("value, other", EXACT_CASES, ids=EXACT_IDS)
def test_equal_implies_equal_hash(value, other):
    # Python's invariant for dict/set keys: a == b  =>  hash(a) == hash(b)
    d = Dual(value, 1.0)
    if d == other:
        assert hash(d) == hash(other)


def test_comparison_ignores_direction_counts():
    # Comparisons look at values only, so duals with different numbers of
    # directions compare (only arithmetic between them is an error).
    a, b = Dual(2.0, 1.0), Dual(2.0, (1.0, 2.0))
    assert a == b and not (a != b) and a <= b and not (a < b)
    assert Dual(1.0, 1.0) < Dual(3.0, (1.0, 2.0))


def test_nan_is_not_equal_to_itself():
    d = Dual(NAN, 1.0)
    assert d != d
    assert not (d == d)
    assert d != NAN


@pytest.mark.parametrize("other", ["2.0", None, object(), [2.0]])
def test_equality_with_unrelated_types_is_false(other):
    # Falls back to identity like any Python object; must not raise.
    d = Dual(2.0, 1.0)
    assert (d == other) is False
    assert (d != other) is True


# --------------------------------------------------------------------------
# truthiness


@pytest.mark.parametrize(
    "d, expected",
    [
        (Dual(0.0, 1.0), False),
        (Dual(-0.0, 1.0), False),
        (Dual(0.0), False),
        (Dual(2.0, 0.0), True),
        (Dual(-1e-300, 1.0), True),
        (Dual(NAN, 1.0), True),  # nan != 0
        (Dual(INF), True),
    ],
)
def test_bool_is_value_nonzero(d, expected):
    assert bool(d) is expected
    assert (not d) is (not expected)


# --------------------------------------------------------------------------
# ordering


OTHERS = [1, 1.0, True, np.float64(1.0), np.float32(1.0), np.int64(1), np.bool_(True), Dual(1.0, 5.0)]


@pytest.mark.parametrize("other", OTHERS, ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("value", [0.5, 1.0, 2.0])
def test_ordering_on_value(value, other):
    d = Dual(value, (3.0, -1.0))
    # Dual on the left and on the right, compared with the plain float result.
    assert bool(d < other) is (value < 1.0)
    assert bool(d <= other) is (value <= 1.0)
    assert bool(d > other) is (value > 1.0)
    assert bool(d >= other) is (value >= 1.0)
    assert bool(other < d) is (1.0 < value)
    assert bool(other <= d) is (1.0 <= value)
    assert bool(other > d) is (1.0 > value)
    assert bool(other >= d) is (1.0 >= value)


def test_comparison_with_python_numbers_returns_bool():
    d = Dual(1.0, 1.0)
    for result in (d < 2, d <= 2.0, d > 0, d >= Dual(0.0), d == 1, d != 1):
        assert type(result) is bool


def test_nan_comparisons_are_false():
    d = Dual(NAN, 1.0)
    assert not (d < 1.0) and not (d > 1.0) and not (d <= 1.0) and not (d >= 1.0)
    assert not (1.0 < d) and not (1.0 >= d)


@pytest.mark.parametrize("other", ["a", None, object(), 1j])
def test_ordering_with_unrelated_types_raises(other):
    d = Dual(1.0, 1.0)
    with pytest.raises(TypeError):
        d < other  # noqa: B015
    with pytest.raises(TypeError):
        other >= d  # noqa: B015


def test_sorting_uses_values_and_is_stable():
    items = [Dual(3.0, 1.0), 1.5, Dual(-1.0, 2.0), Dual(1.5, 3.0), 2, Dual(0.0, 4.0)]
    result = sorted(items)
    assert [float(x.value) if isinstance(x, Dual) else float(x) for x in result] == [
        -1.0, 0.0, 1.5, 1.5, 2.0, 3.0,
    ]
    # stable: the float 1.5 came before Dual(1.5) in the input
    assert result[2] == 1.5 and not isinstance(result[2], Dual)
    assert isinstance(result[3], Dual) and result[3].partials == (3.0,)
    assert result[0].partials == (2.0,)


def test_sort_key_and_reverse():
    items = [Dual(float(v), float(i)) for i, v in enumerate([5, 3, 9, 1])]
    result = sorted(items, reverse=True)
    assert [d.partials[0] for d in result] == [2.0, 0.0, 1.0, 3.0]


def test_builtin_max_min():
    a, b, c = Dual(1.0, 10.0), Dual(3.0, 30.0), Dual(2.0, 20.0)
    assert max(a, b, c) is b
    assert min(a, b, c) is a
    assert max([a, 2.5]) == 2.5 and not isinstance(max([a, 2.5]), Dual)
    assert min(a, 0.5) == 0.5
    assert max(a, 0.5) is a


def test_builtin_max_min_ties_return_first_argument():
    # Spec: ties return the first argument (plain Python semantics).
    a, b = Dual(1.0, 1.0), Dual(1.0, 2.0)
    assert max(a, b) is a
    assert max(b, a) is b
    assert min(a, b) is a
    assert min(b, a) is b
    assert max(a, 1.0) is a
    assert max(1.0, a) == 1.0 and not isinstance(max(1.0, a), Dual)


# --------------------------------------------------------------------------
# no silent conversion to float


@pytest.mark.parametrize("convert", [float, int, complex, math.sin], ids=lambda f: f.__name__)
@pytest.mark.parametrize("d", [Dual(0.5, 1.0), Dual(2.0), Dual(1.0, (1.0, 2.0))])
def test_float_conversion_raises_with_hint(convert, d):
    # The message must point users to dualnum.sin (dual-aware functions) and
    # to .value (explicitly dropping derivatives).
    with pytest.raises(TypeError) as info:
        convert(d)
    message = str(info.value)
    assert "dualnum.sin" in message
    assert ".value" in message


@pytest.mark.parametrize(
    "use",
    [
        math.exp,
        math.sqrt,
        math.isfinite,
        lambda d: [1, 2, 3][d],
        lambda d: range(d),
        lambda d: "%d" % d,
        lambda d: hex(d),
        lambda d: np.float64(d),
    ],
)
def test_no_integer_or_float_coercion_elsewhere(use):
    with pytest.raises(TypeError):
        use(Dual(1.0, 1.0))


def test_nan_dual_hash_is_stable_so_it_can_be_found_in_a_set():
    # nan != nan, so only identity can find it; that needs a stable hash
    d = Dual(float("nan"), 1.0)
    assert hash(d) == hash(d)
    assert d in {d}
    assert d in [d]


@pytest.mark.parametrize(
    "d, spec, text",
    [
        (Dual(1.0), ".2f", "Dual(1.00)"),
        (Dual(1.0, 2.0), ".3f", "Dual(1.000, 2.000)"),
        (Dual(1.0, (0.5, -2.0)), ".1e", "Dual(1.0e+00, (5.0e-01, -2.0e+00))"),
        (Dual(1.0, (0.5, -2.0)), "", "Dual(1.0, (0.5, -2.0))"),
    ],
)
def test_format_spec_applies_to_value_and_every_partial(d, spec, text):
    assert format(d, spec) == text
    assert f"{d:{spec}}" == text


# Partials are real numbers: text and raw bytes (str, bytes, bytearray,
# memoryview) are rejected alike, though numpy would read a bytearray as
# uint8 codes; bools count as 0/1 as in float() and numpy; complex is a TypeError.
@pytest.mark.parametrize("partials", [bytearray(b"ab"), memoryview(b"ab"), b"ab", "ab",
                                      bytearray(), 1j, (1j,), np.array([1 + 1j])],
                         ids=["bytearray", "memoryview", "bytes", "str", "empty-bytearray",
                              "complex", "complex-item", "complex-array"])
def test_partials_must_be_real_numbers(partials):
    with pytest.raises(TypeError, match="partials must be"):
        Dual(1.0, partials)


@pytest.mark.parametrize("bad", [bytearray(b"ab"), memoryview(b"ab")])
def test_other_dual_types_reject_raw_bytes(bad):
    with pytest.raises(TypeError, match="must be a sequence of real"):
        dn.Jet(bad)
    with pytest.raises(TypeError, match="must be a sequence of reals"):
        dn.Dual2(1.0, bad)


def test_bool_partials_are_numbers():
    assert Dual(1.0, (True, False)).partials == tuple(np.array([True, False], dtype=float))
