"""Complex dual numbers (issue 17, item 1): the complex column of the function
table, holomorphic mode at complex points, the real path of real-seeded calls,
and the refusals.

References: values are numpy's complex128 values (exactly); derivatives at
complex points are mpmath's numerical derivative at 50 digits (mpmath.diff of
the mpmath function, independent of dualnum's formulas); real paths are
checked against central differences of the real and imaginary parts.
"""
import cmath
import math
import pickle

import numpy as np
import pytest

import dualnum as dn
from dualnum._complex_dual import ComplexDual, complex_seed

# row name -> the name of the mpmath function of the same principal branch
# (mpmath is imported when a test runs, as tests/test_api_errors.py does: a
# module import at collection would put it before scipy.special in
# sys.modules, where pickle looks functions up by name)
MPMATH = {
    "exp": "exp", "exp2": lambda mp, z: mp.power(2, z), "expm1": "expm1",
    "log": "log", "log2": lambda mp, z: mp.log(z, 2), "log10": "log10",
    "log1p": "log1p", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh",
    "square": lambda mp, z: z * z, "reciprocal": lambda mp, z: 1 / z,
}


def _mpmath():
    import mpmath
    return mpmath

# ordinary points, small and large |z|, and both sides of the negative real
# axis (the cut of log, sqrt, arccosh) and of the real axis beyond +-1 (the
# cuts of arcsin, arccos, arctanh), and of the imaginary axis beyond +-i
# (arctan, arcsinh)
POINTS = [0.3 + 0.7j, -2.0 - 0.5j, 1e-3 + 2e-3j, 25.0 + 3.0j, -3.0 + 1e-7j, -3.0 - 1e-7j,
          1.5 + 1e-7j, 1.5 - 1e-7j, 1e-7 + 2.0j, -1e-7 + 2.0j, -0.4 - 1.1j]


def _reference(name, z):
    """f'(z) by mpmath's numerical derivative at 50 digits."""
    mp = _mpmath()
    f = MPMATH[name]
    f = getattr(mp, f) if isinstance(f, str) else (lambda w, f=f: f(mp, w))
    with mp.workdps(50):
        return complex(mp.diff(f, mp.mpc(z.real, z.imag)))


def _close(got, want, rtol=1e-11, atol=1e-15):
    # atol: where f' is far below 1 (tanh far from the origin, 1 - tanh**2)
    # its rounding error is absolute
    assert abs(got - want) <= rtol * abs(want) + atol, (got, want)


@pytest.mark.parametrize("name", sorted(MPMATH))
@pytest.mark.parametrize("z", POINTS, ids=str)
def test_holomorphic_rows_match_numpy_values_and_mpmath_derivatives(name, z):
    if name in ("exp", "expm1", "sinh", "cosh", "exp2") and abs(z) > 20:
        z = z / 10                                  # keep mpmath's reference well scaled
    ufunc = getattr(np, name)
    value, deriv = dn.value_and_derivative(ufunc, z)
    if name in ("reciprocal", "square"):            # 1 / z and z * z: within an ulp
        _close(value, ufunc(np.complex128(z)), 4e-16, 0.0)
    else:
        assert value == ufunc(np.complex128(z))     # numpy's value, to the last bit
    _close(deriv, _reference(name, z))


@pytest.mark.parametrize("name", ["exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin",
                                  "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan",
                                  "asinh", "acosh", "atanh", "exp2"])
def test_module_functions_and_methods_take_complex_duals(name):
    z = 0.4 - 0.9j
    numpy_name = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
                  "acosh": "arccosh", "atanh": "arctanh"}.get(name, name)
    want = _reference(numpy_name, z)
    _close(dn.derivative(getattr(dn, name), z), want)
    _close(dn.derivative(lambda w: getattr(w, numpy_name)(), z), want)


@pytest.mark.parametrize("name", sorted(MPMATH))
def test_rows_through_jacobian_jvp_and_gradient(name):
    points = np.array([0.3 + 0.7j, -0.6 - 0.2j, 0.8 + 0.1j])
    want = np.array([_reference(name, z) for z in points])
    ufunc = getattr(np, name)
    jac = dn.jacobian(ufunc, points)
    assert jac.dtype == np.complex128
    np.testing.assert_allclose(np.diag(jac), want, rtol=1e-11)
    assert np.all(jac[~np.eye(3, dtype=bool)] == 0)
    v = np.array([1.0, 1j, -0.5 + 2j])
    value, tangent = dn.jvp(ufunc, points, v)
    np.testing.assert_allclose(value, ufunc(points), rtol=4e-16)
    np.testing.assert_allclose(tangent, want * v, rtol=1e-11)
    np.testing.assert_allclose(dn.gradient(lambda w: ufunc(w).sum(), points), want, rtol=1e-11)
    value, elementwise = dn.value_and_derivative(ufunc, points)
    np.testing.assert_allclose(elementwise, want, rtol=1e-11)


@pytest.mark.parametrize("a, b", [(1 + 2j, 3 - 1j), (-0.5 + 0.25j, 2.0), (2.0 - 1j, -1.5 + 0.5j)])
def test_arithmetic_partials_are_the_closed_forms(a, b):
    cases = {
        "add": (lambda u, w: u + w, 1, 1),
        "subtract": (lambda u, w: u - w, 1, -1),
        "multiply": (lambda u, w: u * w, b, a),
        "divide": (lambda u, w: u / w, 1 / b, -a / b ** 2),
        "power": (lambda u, w: u ** w, b * a ** (b - 1), cmath.log(a) * a ** b),
    }
    for name, (op, da, db) in cases.items():
        value, jac = dn.value_and_jacobian(lambda v: op(v[0], v[1]), [a, b])
        assert value == getattr(np, name)(np.complex128(a), np.complex128(b)), name
        np.testing.assert_allclose(jac, [da, db], rtol=1e-13, err_msg=name)


def test_power_with_real_and_complex_constant_exponents():
    mpmath = _mpmath()
    z = 0.7 + 0.4j
    for p in [2, 3, -1, 0.5, 2.5, 1 + 1j, -0.5j]:
        _close(dn.derivative(lambda w: w ** p, z), p * complex(mpmath.power(mpmath.mpc(z), p - 1)))
        _close(dn.derivative(lambda w: np.power(w, p), z), p * complex(mpmath.power(mpmath.mpc(z), p - 1)))
    # a constant base: d/dz c**z = log(c) c**z
    for c in [2.0, 1j, -1.5]:
        _close(dn.derivative(lambda w: c ** w, z), complex(mpmath.log(c) * mpmath.power(c, z)))


def test_the_issue_examples_and_square_and_reciprocal():
    assert dn.derivative(lambda z: z ** 2, 1 + 1j) == 2 + 2j
    assert dn.derivative(lambda z: z * z * z, 1j) == -3
    _close(dn.derivative(np.square, 0.3 - 2j), 2 * (0.3 - 2j))
    _close(dn.derivative(np.reciprocal, 0.3 - 2j), -1 / (0.3 - 2j) ** 2)


def test_power_conventions_at_zero():
    # z**0 = 1 with derivative 0 also at 0 (the real rule's convention); z**2 at 0
    assert dn.value_and_derivative(lambda z: z ** 0, 0j) == (1, 0)
    assert dn.value_and_derivative(lambda z: z ** 2, 0j) == (0, 0)
    assert dn.derivative(lambda z: z ** 1, 0j) == 1
    assert dn.derivative(np.sqrt, 0j) == complex(math.inf, 0.0)


@pytest.mark.parametrize("x", [0.3, -1.2, 2.5])
def test_real_path_matches_central_differences(x):
    def f(t):
        z = dn.exp(1j * t) * (t + 2j) ** 2 / (1 + 1j * t)
        return np.sin(z) + dn.log(z) * 1j
    def plain(t):
        z = cmath.exp(1j * t) * (t + 2j) ** 2 / (1 + 1j * t)
        return cmath.sin(z) + cmath.log(z) * 1j
    h = 1e-6
    want = (plain(x + h) - plain(x - h)) / (2 * h)
    got = dn.derivative(f, x)
    assert type(got) is complex
    assert abs(got - want) < 1e-7 * max(1.0, abs(want))


@pytest.mark.parametrize("x", [0.3, -1.2, 2.5])
def test_real_path_parts_abs_conj_angle(x):
    def central(g):
        h = 1e-6
        return (g(x + h) - g(x - h)) / (2 * h)
    w = lambda t: (t + 0.5j) * cmath.exp(1j * t * t)         # noqa: E731
    z = lambda t: (t + 0.5j) * np.exp(1j * t * t)             # noqa: E731
    cases = [
        (lambda t: z(t).real, lambda t: w(t).real),
        (lambda t: z(t).imag, lambda t: w(t).imag),
        (lambda t: np.real(z(t)), lambda t: w(t).real),
        (lambda t: np.imag(z(t)), lambda t: w(t).imag),
        (lambda t: abs(z(t)), lambda t: abs(w(t))),
        (lambda t: np.abs(z(t)), lambda t: abs(w(t))),
        (lambda t: np.angle(z(t)), lambda t: cmath.phase(w(t))),
        (lambda t: np.angle(z(t), deg=True), lambda t: math.degrees(cmath.phase(w(t)))),
    ]
    for g, plain in cases:
        value, deriv = dn.value_and_derivative(g, x)
        assert type(value) is float
        assert abs(value - plain(x)) < 1e-14 * max(1, abs(plain(x)))
        assert abs(deriv - central(plain)) < 1e-7 * max(1, abs(deriv))
    for g, plain in [(lambda t: z(t).conjugate(), lambda t: w(t).conjugate()),
                     (lambda t: np.conj(z(t)), lambda t: w(t).conjugate()),
                     (lambda t: z(t).conj(), lambda t: w(t).conjugate())]:
        assert abs(dn.derivative(g, x) - central(plain)) < 1e-7


def test_real_path_conventions_at_zero():
    # |z| takes the unit phase 1 at z = 0: d|z| = Re dz; angle has derivative 0
    assert dn.derivative(lambda t: abs(t * (1 + 2j)), 0.0) == 1.0
    assert dn.derivative(lambda t: abs(t * 1j), 0.0) == 0.0
    assert dn.derivative(lambda t: np.angle(t * (1 + 2j)), 0.0) == 0.0


def test_real_dual_meets_complex_numbers_on_every_side():
    x = dn.Dual(0.5, 1.0)
    for z in [1j * x, x * 1j, np.complex128(1j) * x, x * np.complex128(1j),
              np.multiply(x, 1j), np.multiply(1j, x), x + 0j - 0j * x]:
        assert isinstance(z, ComplexDual) and not z.holomorphic
    assert (1j * x).value == 0.5j and (1j * x).partials == (1j,)
    assert (x / (2 + 0j)).partials == (0.5,)
    assert (x ** (1 + 0j)).value == 0.5 + 0j
    assert (2j) ** x == ComplexDual(np.power(2j, 0.5))


def test_jacobian_of_a_real_to_complex_function():
    t = np.array([0.1, 0.7])
    jac = dn.jacobian(lambda v: [dn.exp(1j * v[0]) * v[1], v[0] + 0j], t)
    want = np.array([[1j * np.exp(0.1j) * 0.7, np.exp(0.1j)], [1, 0]])
    np.testing.assert_allclose(jac, want, rtol=1e-14)
    value, tangent = dn.jvp(lambda v: dn.exp(1j * v[0]) * v[1], t, np.array([1.0, 2.0]))
    _close(tangent, 1j * np.exp(0.1j) * 0.7 + 2 * np.exp(0.1j))


NOT_HOLOMORPHIC = [
    ("abs", abs), ("np.abs", np.abs), (".real", lambda z: z.real), (".imag", lambda z: z.imag),
    ("np.real", np.real), ("np.imag", np.imag), ("conj", np.conj),
    ("conj", lambda z: z.conjugate()), ("angle", np.angle),
]


@pytest.mark.parametrize("what, f", NOT_HOLOMORPHIC, ids=[w for w, _ in NOT_HOLOMORPHIC])
def test_non_holomorphic_operations_raise_at_complex_points(what, f):
    with pytest.raises(TypeError, match="not holomorphic") as info:
        dn.derivative(f, 1 + 1j)
    assert "real and imaginary parts" in str(info.value)
    assert "dualnum.jacobian" in str(info.value)
    with pytest.raises(TypeError, match="not holomorphic"):
        dn.jacobian(lambda v: f(v[0]), [1 + 1j])


def test_what_the_suggested_workaround_computes():
    # |z|**2 as a function of (x, y): its real gradient
    grad = dn.gradient(lambda v: abs(v[0] + 1j * v[1]) ** 2, [1.0, 2.0])
    np.testing.assert_allclose(grad, [2.0, 4.0])


@pytest.mark.parametrize("f", [lambda z: z < 1, lambda z: z >= 1j, lambda z: math.floor(z),
                               lambda z: round(z), lambda z: np.floor(z), lambda z: np.rint(z),
                               lambda z: np.sign(z)],
                         ids=["lt", "ge", "floor", "round", "np.floor", "rint", "sign"])
def test_orderings_and_rounding_raise(f):
    with pytest.raises(TypeError):
        dn.derivative(f, 1 + 1j)
    with pytest.raises(TypeError):
        dn.derivative(lambda t: f(1j * t), 0.5)


@pytest.mark.parametrize("f, name", [(dn.erf, "erf"), (dn.fabs, "fabs"), (dn.cbrt, "cbrt"),
                                     (lambda z: dn.atan2(z, 1.0), "atan2"),
                                     (lambda z: np.maximum(z, 1.0), "maximum"),
                                     (lambda z: z // 2, "floor_divide")])
def test_rows_without_a_complex_kernel_name_themselves(f, name):
    with pytest.raises(TypeError, match=f"{name} of a complex number is not supported") as info:
        dn.derivative(f, 0.5 + 0.5j)
    assert "real and imaginary parts" in str(info.value)


def test_equality_hash_and_truth_act_on_the_value():
    z = complex_seed(1 + 2j)
    assert z == 1 + 2j and z != 1 and hash(z) == hash(1 + 2j)
    assert bool(z) and not bool(ComplexDual(0j))
    assert ComplexDual(2.0) == dn.Dual(2.0, 1.0)


def test_higher_orders_at_complex_points_are_refused():
    for call in [lambda: dn.derivative(lambda z: z ** 3, 1j, n=2),
                 lambda: dn.derivatives(lambda z: z ** 3, 1j, 3),
                 lambda: dn.derivative(np.sin, [1j, 2.0], n=3)]:
        with pytest.raises(NotImplementedError, match="complex dual numbers are first order"):
            call()
    assert dn.derivative(lambda z: z ** 3, 1j, n=0) == (1j) ** 3


def test_nesting_complex_calls_is_refused():
    with pytest.raises(ValueError, match="do not nest"):
        dn.derivative(lambda z: dn.derivative(lambda w: w * z, 2j), 1j)
    with pytest.raises(ValueError, match="do not nest"):
        dn.derivative(lambda x: dn.derivative(lambda w: w * x * 1j, 2j), 0.5)


def test_division_by_zero_raises_as_for_complex():
    with pytest.raises(ZeroDivisionError, match="complex division by zero"):
        dn.derivative(lambda z: 1 / (z - 1j), 1j)


def test_repr_pickle_copy_and_constructor():
    z = ComplexDual(1 + 2j, (1, 1j), holomorphic=True)
    assert repr(z) == "ComplexDual((1+2j), ((1+0j), 1j), holomorphic=True)"
    assert repr(ComplexDual(1j, 2)) == "ComplexDual(1j, (2+0j))"
    back = pickle.loads(pickle.dumps(z))
    assert back.value == z.value and back.partials == z.partials and back.holomorphic
    assert back.tag == z.tag
    with pytest.raises(TypeError, match="value must be a complex number"):
        ComplexDual("1j")
    with pytest.raises(TypeError, match="partials must be complex numbers"):
        ComplexDual(1j, ["a"])
    with pytest.raises(TypeError, match="cannot become a complex"):
        complex(z)


@pytest.mark.parametrize("call", [
    lambda: dn.hessian(lambda v: (v ** 2).sum(), [1j, 2.0]),
    lambda: dn.hvp(lambda v: (v ** 2).sum(), [1j, 2.0], [1.0, 1.0]),
    lambda: dn.value_gradient_and_hessian(lambda v: (v ** 2).sum(), np.array([1j, 2.0])),
    lambda: dn.jacobian(lambda v: v, [1j, 2.0], sparsity="auto"),
    lambda: dn.gradient(lambda a, b: a * b, (1j, 2.0), argnums=0),
], ids=["hessian", "hvp", "value_gradient_and_hessian", "sparsity", "argnums"])
def test_second_order_and_planned_operations_refuse_complex_points(call):
    with pytest.raises(TypeError, match="complex dual numbers are first order") as info:
        call()
    assert "real and imaginary parts" in str(info.value)


def test_partial_at_a_complex_argument():
    assert dn.partial(lambda a, b: a * b ** 2, (1j, 2.0 + 1j), 1) == 2j * (2.0 + 1j)


def test_real_numbers_have_their_complex_parts_as_floats_do():
    # x.real is x, x.imag is 0 with derivative 0, conj(x) is x: on every real number type
    assert dn.derivative(lambda x: x.real * x + x.imag, 2.0) == 4.0
    assert dn.derivative(lambda x: np.real(x) * np.conj(x) + x.conjugate(), 2.0) == 5.0
    assert dn.derivative(lambda x: x.real ** 3 + x.imag, 2.0, n=2) == 12.0          # Jet
    np.testing.assert_allclose(dn.hessian(lambda v: v[0].real * v[1] + v[0].imag, [1.0, 2.0]),
                               [[0.0, 1.0], [1.0, 0.0]])                            # Dual2
    with pytest.raises(TypeError, match="numpy.angle is not supported for dualnum.Dual"):
        dn.derivative(np.angle, 2.0)


def test_real_paths_nest_through_real_parts_and_complex_ones_refuse():
    # an inner real path's real part is a real number of the inner call: it nests
    assert dn.derivative(lambda x: dn.derivative(lambda y: (1j * y).imag * x * y, 1.0), 0.5) == 2.0
    # complex numbers of two calls do not: a clear ValueError, never a wrong number
    for f in [lambda x: dn.derivative(lambda y: np.exp(1j * x * y), 1.0),
              lambda x: dn.derivative(lambda y: 1j * y * x, 1.0)]:
        with pytest.raises(ValueError, match="complex duals are first order and do not nest"):
            dn.derivative(f, 0.5)
