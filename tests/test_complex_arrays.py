"""Complex dual arrays (issue 17, item 3): ComplexDualArray as the array of
holomorphic calls at complex points and of real paths through complex
numbers; its elementwise rules from the function table's complex column.

References: closed forms (linear maps, z**2), mpmath's numerical derivative
at 50 digits for the elementwise rows, central differences of the real and
imaginary parts for real paths.
"""
import cmath

import numpy as np
import pytest

import dualnum as dn
from dualnum._complex_array import ComplexDualArray
from dualnum._complex_dual import ComplexDual

Z = np.array([0.3 + 0.7j, -1.2 - 0.4j, 2.0 + 0.1j])

ROWS = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos", "tan",
        "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh"]
MPMATH_NAMES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
                "arccosh": "acosh", "arctanh": "atanh"}


def _mpmath_derivative(name, z):
    import mpmath
    if name == "exp2":
        f = lambda w: mpmath.power(2, w)          # noqa: E731
    elif name == "log2":
        f = lambda w: mpmath.log(w, 2)            # noqa: E731
    else:
        f = getattr(mpmath, MPMATH_NAMES.get(name, name))
    with mpmath.workdps(50):
        return complex(mpmath.diff(f, mpmath.mpc(z.real, z.imag)))


def _central(g, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        columns.append((np.asarray(g(x + e)) - np.asarray(g(x - e))) / (2 * h))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("name", ROWS)
def test_each_row_on_a_complex_array_is_the_table_kernel(name):
    ufunc = getattr(np, name)
    seen = []
    value, jac = dn.value_and_jacobian(lambda z: seen.append(type(z)) or ufunc(z), Z)
    assert seen == [ComplexDualArray]                 # one pass, on the complex array
    np.testing.assert_array_equal(value, ufunc(Z))    # numpy's values
    want = np.array([_mpmath_derivative(name, z) for z in Z])
    np.testing.assert_allclose(np.diag(jac), want, rtol=1e-11, atol=1e-15)
    assert np.count_nonzero(jac - np.diag(np.diag(jac))) == 0


def test_linear_maps_at_complex_points():
    a = np.array([[1, 2j, 0.5], [3 - 1j, 4 + 1j, -2]])
    np.testing.assert_allclose(dn.jacobian(lambda z: a @ z, Z), a)
    np.testing.assert_allclose(dn.jacobian(lambda z: np.matmul(a, z), Z), a)
    np.testing.assert_allclose(dn.jacobian(lambda z: z @ a.T, Z), a)
    np.testing.assert_allclose(dn.jacobian(lambda z: np.dot(z, z), Z), 2 * Z)
    np.testing.assert_allclose(dn.jacobian(lambda z: z @ z, Z), 2 * Z)
    np.testing.assert_allclose(dn.jacobian(lambda z: np.outer(z, z).sum() if False else
                                           np.concatenate([z, z ** 2]), Z),
                               np.concatenate([np.eye(3), np.diag(2 * Z)]))
    jac = dn.jacobian(lambda z: np.stack([z, 3 * z], axis=1), Z)
    np.testing.assert_allclose(jac[:, 1, :], 3 * np.eye(3))
    np.testing.assert_allclose(dn.gradient(lambda z: z.sum() + z.mean(), Z), np.full(3, 4 / 3))
    np.testing.assert_allclose(dn.jacobian(lambda z: z.reshape(3, 1).T[0], Z), np.eye(3))
    np.testing.assert_allclose(dn.jacobian(lambda z: np.fft.fft(z), Z),
                               np.fft.fft(np.eye(3), axis=0), atol=1e-15)


def test_scalar_style_code_at_complex_points():
    # elements are scalar ComplexDuals, as a DualArray's are Duals
    def f(z):
        assert type(z[0]) is ComplexDual
        return [z[0] * z[1], dn.exp(z[2]) / z[0], np.array([z[0], z[1] ** 2])[1]]
    jac = dn.jacobian(f, Z)
    a, b, c = Z
    want = np.array([[b, a, 0], [-np.exp(c) / a ** 2, 0, np.exp(c) / a], [0, 2 * b, 0]])
    np.testing.assert_allclose(jac, want, rtol=1e-14)


def test_jvp_with_a_complex_tangent_and_the_elementwise_derivative():
    v = np.array([1.0, 1j, -2 + 0.5j])
    value, tangent = dn.jvp(lambda z: z ** 3 + 1j * z, Z, v)
    np.testing.assert_allclose(value, Z ** 3 + 1j * Z)
    np.testing.assert_allclose(tangent, (3 * Z ** 2 + 1j) * v, rtol=1e-14)
    np.testing.assert_allclose(dn.derivative(lambda z: z ** 3, Z), 3 * Z ** 2, rtol=1e-14)
    value, tangent = dn.jvp(lambda z: z ** 2, 1 + 1j, 1j)
    assert (value, tangent) == ((1 + 1j) ** 2, 2 * (1 + 1j) * 1j)


def test_real_path_arrays_match_central_differences():
    t = np.array([0.2, -0.7, 1.3])
    k = np.array([1.0, 2.5, -3.0])

    def f(x):
        z = np.exp(1j * k * x) * (x + 0.5j) + 2j * x ** 2
        return np.stack([np.abs(z), np.angle(z), z.real, np.imag(z), np.real(np.conj(z) * z)])

    def plain(x):
        z = np.exp(1j * k * x) * (x + 0.5j) + 2j * x ** 2
        return np.stack([np.abs(z), np.angle(z), z.real, z.imag, (np.conj(z) * z).real])

    jac = dn.jacobian(f, t)
    assert jac.dtype == np.float64
    np.testing.assert_allclose(jac, _central(plain, t), rtol=1e-7, atol=1e-8)
    # a complex result is a complex Jacobian
    jac = dn.jacobian(lambda x: np.exp(1j * k * x) * x, t)
    np.testing.assert_allclose(jac, _central(lambda x: np.exp(1j * k * x) * x, t), rtol=1e-7, atol=1e-8)


def test_real_path_conventions_at_zero_on_arrays():
    jac = dn.jacobian(lambda x: np.abs(x * np.array([1 + 2j, 1j])), [0.0, 0.0])
    np.testing.assert_array_equal(jac, [[1.0, 0.0], [0.0, 0.0]])
    jac = dn.jacobian(lambda x: np.angle(x * (1 + 2j)), [0.0])
    np.testing.assert_array_equal(jac, [[0.0]])


@pytest.mark.parametrize("what, f", [
    ("abs", np.abs), (".real", lambda z: z.real), (".imag", np.imag), ("angle", np.angle),
    ("conj", np.conj), ("a transform to real numbers", lambda z: np.fft.irfft(z)),
], ids=["abs", "real", "imag", "angle", "conj", "irfft"])
def test_non_holomorphic_operations_on_complex_arrays_raise(what, f):
    for api in (dn.jacobian, lambda g, x: dn.jvp(g, x, x)):
        with pytest.raises(TypeError, match="not holomorphic") as info:
            api(f, Z)
        assert what in str(info.value) and "dualnum.jacobian" in str(info.value)


def test_rows_without_a_complex_kernel_and_comparisons_raise_on_arrays():
    for f, what in [(np.floor, "numpy.floor"), (lambda z: np.maximum(z, 1), "numpy.maximum"),
                    (lambda z: z < 1, "comparison"), (np.asarray, "conversion to an ndarray")]:
        with pytest.raises(TypeError, match=what):
            dn.jacobian(f, Z)


def test_nested_complex_array_calls_raise():
    with pytest.raises(ValueError, match="do not nest"):
        dn.jacobian(lambda z: dn.jacobian(lambda w: w * z, Z) .sum(axis=0), Z)


def test_complex_point_forms_are_accepted_alike():
    for x in [Z, list(Z), tuple(Z), Z.astype(np.complex64)]:
        np.testing.assert_allclose(dn.jacobian(lambda z: z ** 2, x), np.diag(2 * np.asarray(x, complex)),
                                   rtol=1e-6)
    assert dn.derivative(lambda z: cmath.pi * z, np.complex128(1j)) == cmath.pi
