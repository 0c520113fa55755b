"""Error behaviour of the Python layer: bad f results, bad points, bad options."""

import math
import re

import numpy as np
import pytest

import dualnum as dn

# every test runs with dense chunked and with sparse one-pass seeding
pytestmark = pytest.mark.usefixtures("seeding")

# --------------------------------------------------------------------------- #
# f returning something that is not a real number / array of them
# --------------------------------------------------------------------------- #
# Each bad result with a pattern the error message must match: it has to say
# what f returned (its type) or what was expected (a number / "return" / ...),
# not be some unrelated internal error such as numpy's "setting an array
# element with a sequence" or an AttributeError turned into TypeError.
EXPECTED_WORDS = r"expect|must|should|return|got"

BAD_RESULTS = [
    pytest.param(lambda x: "abc", rf"(?i)\bstr\b|{EXPECTED_WORDS}", id="str"),
    pytest.param(lambda x: None, rf"(?i)None|{EXPECTED_WORDS}", id="None"),
    pytest.param(lambda x: {"a": x}, rf"(?i)dict|{EXPECTED_WORDS}", id="dict"),
]


def _ragged_scalar(x):
    return [x, [x, x]]


def _ragged_vector(x):
    return [x[0], [x[0], x[1]]]


RAGGED = rf"(?i)ragged|inhomogeneous|{EXPECTED_WORDS}"


@pytest.mark.parametrize("f,pattern",
                         BAD_RESULTS + [pytest.param(_ragged_scalar, RAGGED, id="ragged")])
@pytest.mark.parametrize("api", ["derivative", "value_and_derivative"])
def test_bad_result_scalar_point(api, f, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern) as exc:
        getattr(dn, api)(f, 1.5)
    assert "setting an array element with a sequence" not in str(exc.value)


@pytest.mark.parametrize("f,pattern",
                         BAD_RESULTS + [pytest.param(_ragged_vector, RAGGED, id="ragged")])
@pytest.mark.parametrize("api", ["gradient", "value_and_gradient",
                                 "jacobian", "value_and_jacobian"])
def test_bad_result_vector_point(api, f, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern) as exc:
        getattr(dn, api)(f, [1.5, -0.5])
    assert "setting an array element with a sequence" not in str(exc.value)


@pytest.mark.parametrize("f,pattern",
                         BAD_RESULTS + [pytest.param(_ragged_vector, RAGGED, id="ragged")])
def test_bad_result_jvp(f, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern):
        dn.jvp(f, [1.5, -0.5], [1.0, 0.0])


@pytest.mark.parametrize("f,pattern", BAD_RESULTS)
def test_bad_result_partial(f, pattern):
    with pytest.raises((TypeError, ValueError), match=pattern):
        dn.partial(lambda a, b: f(a), (1.5, -0.5), 0)


def test_bad_result_list_of_str():
    # a sequence whose elements are not numbers
    with pytest.raises((TypeError, ValueError), match=rf"(?i)\bstr\b|{EXPECTED_WORDS}"):
        dn.jacobian(lambda x: [x[0], "b"], [1.0, 2.0])


# --------------------------------------------------------------------------- #
# x of the wrong type -> TypeError
# --------------------------------------------------------------------------- #
BAD_X = [
    pytest.param("1.0", id="str"),
    pytest.param(None, id="None"),
    pytest.param({"a": 1.0}, id="dict"),
    pytest.param(object(), id="object"),
]


def _scalar_f(x):
    return x * x


def _vector_f(x):
    return x * x


# f ignores x and returns a valid result, so the TypeError must come from
# dualnum's own check of x, not from f tripping over a bad element
def _const_scalar(x):
    return 1.0


def _const_vector(x):
    return [1.0, 2.0]


@pytest.mark.parametrize("x", BAD_X)
@pytest.mark.parametrize("call", [
    pytest.param(lambda x: dn.derivative(_const_scalar, x), id="derivative"),
    pytest.param(lambda x: dn.value_and_derivative(_const_scalar, x), id="value_and_derivative"),
    pytest.param(lambda x: dn.gradient(_const_scalar, x), id="gradient"),
    pytest.param(lambda x: dn.value_and_gradient(_const_scalar, x), id="value_and_gradient"),
    pytest.param(lambda x: dn.jacobian(_const_vector, x), id="jacobian"),
    pytest.param(lambda x: dn.value_and_jacobian(_const_vector, x), id="value_and_jacobian"),
    # v = 1.0 has the shape () that np.asarray gives these x: only x's type is wrong
    pytest.param(lambda x: dn.jvp(_const_vector, x, 1.0), id="jvp"),
    pytest.param(lambda x: dn.gradient(lambda a, b: 1.0, (1.0, x), argnums=1), id="argnums"),
])
def test_bad_x_type(call, x):
    with pytest.raises(TypeError):
        call(x)


# (a complex entry makes a complex point since issue 17: tests/test_complex_scalar.py)
@pytest.mark.parametrize("x", [["a", "b"], [1.0, None], [1.0, "2"]],
                         ids=["strs", "None", "mixed"])
@pytest.mark.parametrize("api", ["gradient", "jacobian", "derivative"])
def test_bad_x_elements(api, x):
    # x must be real numbers (spec: "x sequence or ndarray of reals")
    with pytest.raises(TypeError):
        getattr(dn, api)(_const_scalar, x)


@pytest.mark.parametrize("api", ["gradient", "jacobian", "derivative"])
def test_ragged_x(api):
    with pytest.raises((TypeError, ValueError)):
        getattr(dn, api)(_const_scalar, [1.0, [2.0, 3.0]])


@pytest.mark.parametrize("args,i", [(("1.0", 2.0), 0), ((1.0, None), 1), ((1.0, {}), 1)],
                         ids=["str", "None", "dict"])
def test_bad_args_partial(args, i):
    # f ignores its arguments, so the TypeError must come from dualnum's check
    with pytest.raises(TypeError):
        dn.partial(lambda a, b: 1.0, args, i)


# --------------------------------------------------------------------------- #
# non-finite points: nan in, nan out, as on floats (issue 12, item 19)
# --------------------------------------------------------------------------- #
def _propagates(actual, expected):
    """nan wherever the float formula ``expected`` is nan; elsewhere its value, or
    nan (a path may carry the nan into partials that do not need it, as numpy's
    0 * nan does)."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    assert np.isnan(actual[np.isnan(expected)]).all()
    finite = ~np.isnan(expected)
    assert ((actual[finite] == expected[finite]) | np.isnan(actual[finite])).all()


def test_nonfinite_points_propagate_like_floats():
    # nan in, nan out for every API function (issue 12, item 19); the
    # references are the analytic derivatives evaluated in float arithmetic
    bad = math.nan
    cube = lambda x: x ** 3
    _propagates(dn.derivative(dn.sin, bad), math.nan)
    _propagates(dn.derivative(cube, bad), 3 * bad ** 2)
    _propagates(dn.value_and_derivative(cube, bad), (bad ** 3, 3 * bad ** 2))
    _propagates(dn.derivative(dn.sin, bad, n=2), math.nan)
    _propagates(dn.derivative(dn.sin, np.float64(bad), n=3), math.nan)
    _propagates(dn.derivative(dn.sin, bad, n=200), math.nan)           # the rescaled seed
    _propagates(dn.derivatives(cube, bad, 3), [bad, bad, bad, 6.0])
    _propagates(dn.partial(lambda a, b: a * b ** 2, (2.0, bad), 1), 4 * bad)
    x = np.array([1.0, bad, 2.0])
    quartic = lambda v: np.sum(v ** 4) + v[0] * v[2]
    grad = 4 * x ** 3 + np.array([x[2], 0.0, x[0]])
    _propagates(dn.gradient(quartic, x), grad)
    _propagates(dn.value_and_gradient(quartic, x)[1], grad)
    wide = np.concatenate([x, np.ones(100)])                  # the sparse pass
    _propagates(dn.gradient(quartic, wide), 4 * wide ** 3 + np.r_[x[2], 0, x[0], np.zeros(100)])
    _propagates(dn.gradient(lambda a, b: a * np.sum(b ** 2), (3.0, x), argnums=1), 6 * x)
    _propagates(dn.derivative(cube, x), 3 * x ** 2)                      # elementwise
    diagonal = np.diag(2 * x)
    diagonal[~np.eye(3, dtype=bool)] = 0.0
    _propagates(dn.jacobian(lambda v: v ** 2, x), diagonal)
    _propagates(dn.value_and_jacobian(lambda v: v ** 2, x)[1], diagonal)
    _propagates(dn.jacobian(lambda v: v ** 2, x, sparsity=np.eye(3, dtype=bool)), diagonal)
    _propagates(dn.jacobian(lambda v: v ** 2, x, sparsity="auto"), diagonal)
    _propagates(dn.jvp(lambda v: v ** 2, x, np.ones(3))[1], 2 * x)
    hess = np.diag(12 * x ** 2) + np.array([[0, 0, 1.0], [0, 0, 0], [1.0, 0, 0]])
    hess[1] = hess[:, 1] = math.nan
    _propagates(dn.hessian(quartic, x), hess)
    _propagates(dn.value_gradient_and_hessian(quartic, x)[2], hess)
    _propagates(dn.hessian(quartic, x, sparsity=np.ones((3, 3), dtype=bool)), hess)
    _propagates(dn.hessian(lambda v: np.prod(v) + v[1] ** 4, x),           # the object pass
                [[0, bad, bad], [bad, bad, bad], [bad, bad, 0]])
    _propagates(dn.hvp(quartic, x, np.ones(3)), [bad, bad, bad])
    _propagates(dn.hvp(quartic, np.array([1.0, 2.0, 3.0]), np.array([bad, 0.0, 0.0])),
                [bad, 0.0, bad])                                         # a nan direction
    _propagates(dn.hessian(lambda a, b: a * np.sum(b ** 4), (2.0, x), argnums=1),
                np.where(np.isnan(hess), bad, np.diag(24 * x ** 2)))


def test_infinite_points_follow_float_arithmetic():
    # inf goes through like nan; where math raises on floats (sin(inf)), so does dualnum
    assert dn.derivative(lambda x: x ** 3, math.inf) == math.inf
    assert dn.gradient(lambda v: v[0] * v[1], [math.inf, 2.0]).tolist() == [2.0, math.inf]
    assert np.isnan(dn.hessian(lambda v: v[0] ** 3, [math.inf])[0, 0]) or \
        dn.hessian(lambda v: v[0] ** 3, [math.inf])[0, 0] == math.inf
    with pytest.raises(ValueError):
        dn.derivative(dn.sin, math.inf)


def test_trust_krylov_recovers_from_nonfinite_points():
    # scipy's trust-krylov evaluates the derivatives at the points it tries,
    # non-finite ones too, and recovers: dualnum's derivatives must let it, as
    # the hand-written ones do
    optimize = pytest.importorskip("scipy.optimize")
    x0 = np.array([-1.2, 1.0])
    by_hand = optimize.minimize(optimize.rosen, x0, method="trust-krylov",
                                jac=optimize.rosen_der, hessp=optimize.rosen_hess_prod)
    rosen = lambda v: 100 * (v[1] - v[0] ** 2) ** 2 + (1 - v[0]) ** 2
    dual = optimize.minimize(rosen, x0, method="trust-krylov",
                             jac=lambda v: dn.gradient(rosen, v),
                             hessp=lambda v, p: dn.hvp(rosen, v, p))
    assert by_hand.status == 0 and dual.status == 0
    np.testing.assert_allclose(dual.x, by_hand.x, rtol=1e-10)
    np.testing.assert_allclose(dual.x, [1.0, 1.0], atol=1e-3)


# --------------------------------------------------------------------------- #
# gradient of a vector-valued f -> ValueError
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("f", [
    pytest.param(lambda x: x * 2, id="ndarray"),
    pytest.param(lambda x: [x[0], x[1]], id="list"),
    pytest.param(lambda x: np.outer(x, x), id="2d"),
])
@pytest.mark.parametrize("api", ["gradient", "value_and_gradient"])
def test_gradient_of_vector_f(api, f):
    # the message should point at the cause, not be an incidental ValueError
    with pytest.raises(ValueError, match=r"(?i)scalar|real number|jacobian|vector"):
        getattr(dn, api)(f, [1.0, 2.0])


@pytest.mark.parametrize("argnums", [0, 1, (0, 1)])
def test_gradient_argnums_of_vector_f(argnums):
    with pytest.raises(ValueError):
        dn.gradient(lambda a, b: [a, b], (1.0, 2.0), argnums=argnums)


# --------------------------------------------------------------------------- #
# jvp with v of the wrong shape -> ValueError
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("x,v", [
    pytest.param([1.0, 2.0, 3.0], [1.0, 0.0], id="too_short"),
    pytest.param([1.0, 2.0, 3.0], [1.0, 0.0, 0.0, 0.0], id="too_long"),
    pytest.param([1.0, 2.0, 3.0], [[1.0, 0.0, 0.0]], id="extra_dim"),
    pytest.param([1.0, 2.0, 3.0], [[1.0], [0.0], [0.0]], id="column"),
    pytest.param(np.ones((2, 3)), np.ones(6), id="flattened"),
    pytest.param(np.ones((2, 3)), np.ones((3, 2)), id="transposed"),
])
def test_jvp_v_wrong_shape(x, v):
    with pytest.raises(ValueError):
        dn.jvp(lambda x: x * x, x, v)


@pytest.mark.parametrize("v", [["a", "b"], None, {"a": 1.0}], ids=["strs", "None", "dict"])
def test_jvp_v_wrong_type(v):
    # spec silent on v's type; same rule as for x: not real numbers -> TypeError
    with pytest.raises(TypeError):
        dn.jvp(lambda x: x * x, [1.0, 2.0], v)


# --------------------------------------------------------------------------- #
# argnums
# --------------------------------------------------------------------------- #
def _f2(a, b):
    return a * b + b


@pytest.mark.parametrize("argnums", [1.5, "0", (0, "1"), (1.0,)],
                         ids=["float", "str", "tuple_with_str", "tuple_with_float"])
@pytest.mark.parametrize("api", ["gradient", "value_and_gradient",
                                 "jacobian", "value_and_jacobian"])
def test_argnums_not_int(api, argnums):
    with pytest.raises(TypeError):
        getattr(dn, api)(_f2, (1.0, 2.0), argnums=argnums)


@pytest.mark.parametrize("argnums", [2, 5, (0, 2), (3,)], ids=["2", "5", "tuple_0_2", "tuple_3"])
@pytest.mark.parametrize("api", ["gradient", "value_and_gradient",
                                 "jacobian", "value_and_jacobian"])
def test_argnums_out_of_range(api, argnums):
    with pytest.raises(ValueError):
        getattr(dn, api)(_f2, (1.0, 2.0), argnums=argnums)


@pytest.mark.parametrize("i", [2, 7])
def test_partial_index_out_of_range(i):
    # spec silent for partial; argnums' rule says ValueError, IndexError is also fair
    with pytest.raises((ValueError, IndexError)):
        dn.partial(_f2, (1.0, 2.0), i)


@pytest.mark.parametrize("i", [1.0, "0"])
def test_partial_index_not_int(i):
    with pytest.raises(TypeError):
        dn.partial(_f2, (1.0, 2.0), i)


# --------------------------------------------------------------------------- #
# derivative order
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("n", [2.0, "2", None])
def test_order_must_be_an_int(n):
    with pytest.raises(TypeError, match="n must be an int"):
        dn.derivative(dn.sin, 0.5, n=n)
    with pytest.raises(TypeError, match="n must be an int"):
        dn.derivatives(dn.sin, 0.5, n)


def test_negative_order():
    # spec silent; a negative order makes no sense: ValueError
    with pytest.raises(ValueError):
        dn.derivative(dn.sin, 0.5, n=-1)


# --------------------------------------------------------------------------- #
# nesting: derivative of a function that differentiates, closing over x
# --------------------------------------------------------------------------- #
NESTED_ERRORS = (ValueError, TypeError, NotImplementedError)

NESTED = [
    # name, the nested computation, the mathematically right answer
    pytest.param(lambda: dn.derivative(lambda x: x * dn.derivative(lambda y: x + y, 1.0), 1.0),
                 1.0, id="x_times_d_dy_x_plus_y"),
    # d/dx [d/dy (x y)] = d/dx [x] = 1
    pytest.param(lambda: dn.derivative(lambda x: dn.derivative(lambda y: x * y, 2.0), 3.0),
                 1.0, id="d_dx_d_dy_xy"),
    # d/dx [x * d/dy (x y)] at x = 3 = d/dx x^2 = 6
    pytest.param(lambda: dn.derivative(lambda x: x * dn.derivative(lambda y: x * y, 2.0), 3.0),
                 6.0, id="x_times_d_dy_xy"),
    # gradient over x of sum(x) * d/dy (x0 + y): = (1, 1)
    pytest.param(lambda: dn.gradient(
        lambda x: np.sum(x) * dn.derivative(lambda y: x[0] + y, 0.5), [1.0, 2.0]),
        np.array([1.0, 1.0]), id="gradient_over_derivative"),
]


@pytest.mark.parametrize("compute,right", NESTED)
def test_nested_closure_right_answer_or_error(compute, right):
    # perturbation confusion must never produce a wrong number
    try:
        result = compute()
    except NESTED_ERRORS:
        return
    assert np.array_equal(np.asarray(result, dtype=float), np.asarray(right, dtype=float)), \
        f"nested derivative returned {result!r}, the right answer is {right!r}"


def test_nested_closure_value_error_mentions_nested():
    # spec: mixing duals of two differentiation calls raises ValueError
    # mentioning "nested"; a correct 1.0 is accepted too (better than the spec)
    try:
        r = dn.derivative(lambda x: x * dn.derivative(lambda y: x + y, 1.0), 1.0)
    except ValueError as e:
        assert "nested" in str(e).lower(), f"unhelpful message: {e}"
    except (TypeError, NotImplementedError):
        pass
    else:
        assert r == 1.0


@pytest.mark.parametrize("api", ["derivative", "gradient"])
def test_dual_leaked_from_finished_call(api):
    # a dual kept from an earlier gradient call and fed into a new call: its
    # partials belong to the old call. Spec: error (ValueError "nested");
    # treating it as a constant (d/dx = 1 per direction) is the only right number.
    leaked = []
    dn.gradient(lambda x: leaked.append(x[0]) or x[0] * x[1], [1.0, 2.0])
    x = 0.5 if api == "derivative" else [0.5, 0.25]
    f = (lambda x: x + leaked[0]) if api == "derivative" else (lambda x: x[0] + leaked[0])
    right = 1.0 if api == "derivative" else np.array([1.0, 0.0])
    try:
        r = getattr(dn, api)(f, x)
    except NESTED_ERRORS:
        return
    assert np.array_equal(r, right), f"leaked dual gave {r!r}, right answer {right!r}"


def test_nested_without_closure_works():
    # an inner differentiation that does not touch the outer dual is legitimate:
    # d/dx [x * (d/dy y^2 at 3)] = 6
    r = dn.derivative(lambda x: x * dn.derivative(lambda y: y ** 2, 3.0), 2.0)
    assert r == 6.0


def test_state_is_clean_after_error():
    # a failing call must not leave state behind that breaks the next call
    with pytest.raises((TypeError, ValueError)):
        dn.derivative(lambda x: "bad", 1.0)
    try:
        dn.derivative(lambda x: x * dn.derivative(lambda y: x + y, 1.0), 1.0)
    except NESTED_ERRORS:
        pass
    assert dn.derivative(lambda x: x ** 2, 3.0) == 6.0
    np.testing.assert_allclose(dn.gradient(lambda x: x[0] * x[1], [2.0, 5.0]), [5.0, 2.0],
                               rtol=1e-12)


# --------------------------------------------------------------------------- #
# DualArray input: strings, None, complex, tags (issue 12, items 14 and 15)
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("value,tangent", [
    (None, [1.0]), (["1.5"], [[1.0]]), ([1.0], [["2"]]), ([1j], [[1.0]]), ([1.0], [[1j]]),
    ([1.0, None], [[1.0], [1.0]]), ([{}], [[1.0]]),
], ids=["None", "str value", "str tangent", "complex value", "complex tangent",
        "None element", "dict"])
def test_dual_array_rejects_non_real(value, tangent):
    # numpy's float ufuncs reject these too: np.add(np.ones(1), ['1.5']) raises
    with pytest.raises(TypeError):
        dn.DualArray(value, tangent)


@pytest.mark.parametrize("other", [["1", "2", "3"], np.array(["1", "2", "3"]), ("1", 2, 3),
                                   [None, 1, 2], np.array([b"1", b"2", b"3"])],
                         ids=["str list", "str array", "str tuple", "None", "bytes"])
@pytest.mark.parametrize("op", [lambda x, o: x + o, lambda x, o: o * x, np.add, np.multiply,
                                np.concatenate.__call__],
                         ids=["+", "r*", "np.add", "np.multiply", "concatenate"])
def test_dual_array_operand_strings_raise(op, other):
    x = dn.DualArray([1.0, 2.0, 3.0], np.eye(3))
    if op is np.concatenate.__call__:
        op = lambda x, o: np.concatenate((x, o))           # noqa: E731
    else:
        # the reference: numpy on floats raises a TypeError as well
        with pytest.raises(TypeError):
            op(np.ones(3), other)
    with pytest.raises(TypeError):
        op(x, other)


@pytest.mark.parametrize("tag,error", [(-1, ValueError), (2 ** 64, ValueError),
                                       (1.5, TypeError), ("1", TypeError)])
def test_dual_array_bad_tag(tag, error):
    with pytest.raises(error):
        dn.DualArray([1.0], [[1.0]], tag=tag)


def test_dual_array_tag_kept():
    assert dn.DualArray([1.0], [[1.0]], tag=2 ** 64 - 1).tag == 2 ** 64 - 1


# the order has a practical limit (a jet of order K costs O(K**2) per
# operation); above it a ValueError names it, never an OverflowError or a crash
@pytest.mark.parametrize("n", [10 ** 20, 2 ** 62, np.int64(2 ** 62), dn._seed.MAX_ORDER + 1],
                         ids=["1e20", "2**62", "int64", "limit+1"])
def test_order_above_the_limit(n):
    pattern = f"largest supported order, {dn._seed.MAX_ORDER}"
    for call in (lambda: dn.derivative(dn.sin, 0.5, n=n),
                 lambda: dn.derivative(dn.sin, np.array([0.5, 1.0]), n=n),
                 lambda: dn.derivatives(dn.sin, 0.5, n),
                 lambda: dn.derivatives(dn.sin, [0.5], n)):
        with pytest.raises(ValueError, match=pattern):
            call()


# numpy functions written in Python that use array attributes of their
# argument (np.sinc reads .dtype from numpy 2.3 on) give a TypeError naming
# the function, as on a DualArray, never an AttributeError; where numpy's
# implementation runs on object scalars (numpy <= 2.2) the number must be right
def _sinc_derivative(x, n):
    import mpmath
    with mpmath.workdps(30):
        return float(mpmath.diff(lambda t: mpmath.sin(mpmath.pi * t) / (mpmath.pi * t), x, n))


def _named_error_or_right(call, expected, number_type):
    try:
        got = call()
    except TypeError as error:
        assert re.search(rf"numpy\.sinc.*dualnum\.{number_type}", str(error)), error
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_numpy_python_function_on_a_dual():
    _named_error_or_right(lambda: dn.derivative(np.sinc, 0.7), _sinc_derivative(0.7, 1), "Dual")
    _named_error_or_right(lambda: np.sinc(dn.Dual(0.7, 1.0)).partials[0], _sinc_derivative(0.7, 1),
                          "Dual")
    # DualArray: its registry has np.sinc (dualnum/_functions_composite.py)
    np.testing.assert_allclose(dn.derivative(np.sinc, np.array([0.7, 0.2])),
                               [_sinc_derivative(0.7, 1), _sinc_derivative(0.2, 1)], rtol=1e-12)
    # the other scalar number types: Jet (n >= 2) and Dual2 (hessian, hvp)
    second = _sinc_derivative(0.7, 2)
    for call, expected, number_type in (
            (lambda: dn.derivative(np.sinc, 0.7, n=2), second, "Jet"),
            (lambda: dn.derivatives(np.sinc, 0.7, 3),
             [np.sinc(0.7)] + [_sinc_derivative(0.7, k) for k in (1, 2, 3)], "Jet"),
            (lambda: dn.hessian(np.sinc, 0.7), second, "Dual2"),
            (lambda: dn.hessian(lambda x: np.sinc(x[0]), np.array([0.7])), [[second]], "Dual2"),
            (lambda: dn.hvp(np.sinc, 0.7, 1.0), second, "Dual2")):
        _named_error_or_right(call, expected, number_type)


def test_numpy_functions_that_worked_on_a_dual_still_do():
    # np.round calls Dual.round; np.stack / np.where build object arrays of Duals
    x = dn.Dual(0.7, 1.0)
    assert dn.derivative(lambda t: np.round(t) + t, 0.7) == 1.0
    assert np.stack([x, x]).tolist() == [x, x]
    assert dn.derivative(lambda t: np.where(True, t * 2.0, t), 0.7) == 2.0
    assert dn.derivative(lambda t: np.round(t) + t * t, 0.7, n=2) == 2.0          # Jet
    assert dn.hessian(lambda y: np.round(y[0]) + y[0] ** 3, np.array([0.7]))[0, 0] == \
        pytest.approx(6 * 0.7, rel=1e-15)                                          # Dual2
    # a Dual with a DualArray: the DualArray's handler, as before
    np.testing.assert_array_equal(
        dn.derivative(lambda t: np.where(np.array([True, False]), t, t[0] * 3.0),
                      np.array([1.0, 2.0])), [1.0, 3.0])


# --------------------------------------------------------------------------- #
# one message per situation, whatever the operation and its number type
# (the reader of f's result, dualnum/_read.pyx)
# --------------------------------------------------------------------------- #

def _message(call):
    with pytest.raises((TypeError, ValueError)) as exc:
        call()
    return type(exc.value), str(exc.value)


# (a result that is not a number: tests/test_api_plan.py)

def test_one_message_for_a_ragged_result():
    calls = {
        "derivative": lambda: dn.derivative(_ragged_scalar, 1.5),
        "derivative n=2": lambda: dn.derivative(_ragged_scalar, 1.5, n=2),
        "derivatives": lambda: dn.derivatives(_ragged_scalar, 1.5, 2),
        "jacobian": lambda: dn.jacobian(_ragged_vector, [1.5, -0.5]),
    }
    want = (TypeError, "the function must return a real number, a dual number, or a "
                       "sequence/ndarray of them; it returned a ragged or nested sequence "
                       "(an element is a list)")
    for name, call in calls.items():
        assert _message(call) == want, name


@pytest.mark.parametrize("operation,call", [
    ("gradient", lambda f, x: dn.gradient(f, x)),
    ("hessian", lambda f, x: dn.hessian(f, x)),
    ("hvp", lambda f, x: dn.hvp(f, x, np.ones_like(x))),
])
@pytest.mark.parametrize("f,returned", [
    (lambda v: v * 2, "an array of shape (2,)"),
    (lambda v: np.array([v[0], v[1]], dtype=object), "an array of shape (2,)"),
])
def test_one_message_for_an_array_where_a_real_number_is_needed(operation, call, f, returned):
    kind, message = _message(lambda: call(f, np.array([1.0, 2.0])))
    assert kind is ValueError
    assert message.startswith(f"{operation} needs a function returning a real number; "
                              f"it returned {returned} (use jacobian")


def test_hessian_of_a_sequence_names_it():
    for call in (lambda: dn.hessian(lambda v: [v[0], v[1]], [1.0, 2.0]),
                 lambda: dn.hessian(lambda v: [v, v], 1.0)):
        kind, message = _message(call)
        assert kind is ValueError
        assert "hessian needs a function returning a real number; it returned a sequence" in message


def test_one_message_for_a_number_of_another_call():
    leaked = []

    def keep(v):
        leaked.append(v[0])
        return v[0] * v[1]

    dn.hessian(keep, [1.0, 2.0])           # leaked[0]: a second-order number of a finished call
    other = dn.DualArray([1.0, 2.0], np.eye(2), tag=12345)
    calls = {
        "a second-order dual number": lambda: dn.hessian(lambda v: leaked[0], [1.0, 2.0]),
        "a second-order dual number (hvp)": lambda: dn.hvp(lambda v: leaked[0], [1.0, 2.0],
                                                           [1.0, 0.0]),
        "a dual array": lambda: dn.jacobian(lambda v: other, [1.0, 2.0]),
    }
    for name, call in calls.items():
        kind, message = _message(call)
        assert issubclass(kind, ValueError), name
        what = name.split(" (")[0]
        assert message.startswith(
            f"the function returned {what} that was not seeded by this differentiation call"), name
        assert "nested" in message, name
