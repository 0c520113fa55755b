"""Primitives at every order (Jet, Dual2, hessian's compiled array, nested
calls) and primitives given by a JVP rule, against mpmath, closed forms and
central finite differences."""
import pickle

import mpmath
import numpy as np
import pytest
import scipy.sparse as ssp
import scipy.sparse.linalg as sla
from scipy import special

import dualnum as dn

mpmath.mp.dps = 30


# ------------------------------------------------------------ the primitives

def _erf_derivative(x):
    return 2.0 / np.sqrt(np.pi) * dn.exp(-x * x)     # dualnum functions: differentiable


def _erf(x):
    return special.erf(x)          # a module-level function: the primitive pickles by its parts


erf = dn.primitive(_erf, _erf_derivative)


def polygamma(m):
    """psi^(m) as a primitive whose derivative is psi^(m+1), made when first needed."""
    return dn.primitive(lambda x: special.polygamma(m, x), lambda x: polygamma(m + 1)(x))


digamma = polygamma(0)
gammaln = dn.primitive(special.gammaln, digamma)
# betaln(a, b) = gammaln(a) + gammaln(b) - gammaln(a + b): two partials
betaln = dn.primitive(special.betaln, (lambda a, b: digamma(a) - digamma(a + b),
                                       lambda a, b: digamma(b) - digamma(a + b)))
# the derivative a plain-float function: first order only
erf_float_derivative = dn.primitive(special.erf, lambda x: 2.0 / np.sqrt(np.pi) * np.exp(-float(x) ** 2))
# (scipy.special.digamma itself takes dual numbers since it became a row of the
# function table: a derivative written for floats only converts its argument)
gammaln_plain = dn.primitive(special.gammaln, lambda x: special.digamma(np.asarray(x, dtype=float)))


def _mp_derivative(f, x, n):
    return float(mpmath.diff(f, mpmath.mpf(x), n))


def _recording(f):
    """f, recording the type of each argument it is called with."""
    calls = []

    def wrapper(x):
        calls.append(type(x).__name__)
        return f(x)
    return wrapper, calls


def _fd_jacobian(f, x, step=1e-6):
    x = np.asarray(x, dtype=float)
    columns = [(np.asarray(f(x + step * e)) - np.asarray(f(x - step * e))) / (2 * step)
               for e in np.eye(x.size).reshape((x.size,) + x.shape)]
    return np.stack(columns, axis=-1)


# ------------------------------------------------------------ Jet: derivative(p, x, n)

@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("x", [-0.7, 0.3, 1.6])
def test_erf_orders_vs_mpmath(n, x):
    assert dn.derivative(erf, x, n) == pytest.approx(_mp_derivative(mpmath.erf, x, n), rel=1e-12,
                                                     abs=1e-14)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("x", [0.4, 2.5, 7.0])
def test_gammaln_orders_vs_mpmath(n, x):
    assert dn.derivative(gammaln, x, n) == pytest.approx(_mp_derivative(mpmath.loggamma, x, n),
                                                         rel=1e-10)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_composed_primitive_orders_vs_mpmath(n):
    # erf(sin(x)) * gammaln(x**2): the jet rule under the chain rule of other functions
    def f(x):
        return erf(dn.sin(x)) * gammaln(x * x)

    def mp_f(x):
        return mpmath.erf(mpmath.sin(x)) * mpmath.loggamma(x * x)
    assert dn.derivative(f, 1.3, n) == pytest.approx(_mp_derivative(mp_f, 1.3, n), rel=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_two_argument_primitive_orders_vs_mpmath(n):
    # both arguments vary along the series: the mixed partials come in
    def mp_f(t):
        return mpmath.log(mpmath.beta(t, 2 * t + 1))
    got = dn.derivative(lambda t: betaln(t, 2 * t + 1), 1.7, n)
    assert got == pytest.approx(_mp_derivative(mp_f, 1.7, n), rel=1e-9)


def test_two_argument_primitive_one_argument_constant():
    got = dn.derivative(lambda t: betaln(t, 3.0), 1.2, 3)
    assert got == pytest.approx(float(mpmath.psi(2, 1.2) - mpmath.psi(2, 4.2)), rel=1e-10)


def test_jet_on_arrays_of_points():
    x = np.array([0.5, 1.5, 4.0])
    want = [_mp_derivative(mpmath.loggamma, v, 3) for v in x]
    np.testing.assert_allclose(dn.derivative(gammaln, x, 3), want, rtol=1e-10)


# ------------------------------------------------------------ Dual2 and the compiled array

def _hessian_compiled(f, x):
    recorded, calls = _recording(f)
    h = dn.hessian(recorded, x)
    assert calls and set(calls) == {"Dual2Array"}, calls      # no object-array fallback
    return h


def test_hessian_of_elementwise_primitive_is_compiled():
    x = np.array([-0.4, 0.2, 1.1])
    h = _hessian_compiled(lambda v: (erf(v) * v).sum(), x)
    # d²/dx² (x erf x) = 2 erf'(x) + x erf''(x), erf'' = -2x erf'
    d1 = 2 / np.sqrt(np.pi) * np.exp(-x * x)
    np.testing.assert_allclose(h, np.diag(2 * d1 - 2 * x * x * d1), rtol=1e-12, atol=1e-15)


def test_hessian_of_coupled_primitive_vs_finite_differences():
    x = np.array([0.6, 1.3, 2.2, 0.9])

    def f(v):
        return (gammaln(v[:-1] * v[1:]) + erf(v[1:] - v[:-1])).sum()
    h = _hessian_compiled(f, x)
    want = _fd_jacobian(lambda y: dn.gradient(f, y), x)
    np.testing.assert_allclose(h, want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(h, h.T, rtol=0, atol=1e-13)


def test_hessian_of_two_argument_primitive_on_arrays_vs_mpmath():
    x = np.array([1.4, 2.6])

    def f(v):
        return betaln(v[:1], v[1:]).sum()
    h = _hessian_compiled(f, x)
    a, b = (mpmath.mpf(v) for v in x)
    psi1 = lambda z: float(mpmath.psi(1, z))      # noqa: E731
    want = np.array([[psi1(a) - psi1(a + b), -psi1(a + b)],
                     [-psi1(a + b), psi1(b) - psi1(a + b)]])
    np.testing.assert_allclose(h, want, rtol=1e-10)


@pytest.mark.parametrize("f", [
    lambda v: betaln(v, v.sum()).sum(),             # an array and a scalar Dual2 of all variables
    lambda v: betaln(v, 2.0).sum(),                 # a constant argument
    lambda v: betaln(2.5, v[::-1]).sum(),
    lambda v: betaln(v[:, None], v[None, :] ** 2).sum(),     # broadcasting
], ids=["scalar-dual2", "constant-second", "constant-first", "broadcast"])
def test_hessian_of_two_argument_primitive_mixes_vs_finite_differences(f):
    x = np.array([0.6, 1.3, 2.2])
    h = _hessian_compiled(f, x)
    np.testing.assert_allclose(h, _fd_jacobian(lambda y: dn.gradient(f, y), x), rtol=1e-6, atol=1e-8)


def test_hessian_of_primitive_on_scalar_dual2():
    # x[0] is a scalar Dual2: the Taylor polynomial on Dual2 arithmetic
    x = np.array([1.4, 2.6])
    h = dn.hessian(lambda v: betaln(v[0], v[1]) + erf(v[0] * v[1]), x)
    want = _fd_jacobian(lambda y: dn.gradient(lambda v: betaln(v[0], v[1]) + erf(v[0] * v[1]), y), x)
    np.testing.assert_allclose(h, want, rtol=1e-6, atol=1e-8)


def test_hessian_with_dense_dual2_objects_matches_compiled():
    x = np.array([0.3, 0.8, 1.9])

    def f(v):
        return sum(gammaln(v[i] + v[(i + 1) % 3]) * erf(v[i]) for i in range(3))
    np.testing.assert_allclose(dn.hessian(f, x), dn.hessian(lambda v: (gammaln(v + np.roll(v, -1))
                                                                         * erf(v)).sum(), x),
                               rtol=1e-12)


def test_hvp_of_primitive_vs_hessian():
    x = np.array([0.6, 1.3, 2.2])
    v = np.array([1.0, -2.0, 0.5])

    def f(y):
        return (gammaln(y * y[::-1]) * erf(y)).sum()
    recorded, calls = _recording(f)
    got = dn.hvp(recorded, x, v)
    assert set(calls) == {"Dual2Array"}, calls
    np.testing.assert_allclose(got, dn.hessian(f, x) @ v, rtol=1e-12)
    np.testing.assert_allclose(got, _fd_jacobian(lambda y: dn.gradient(f, y), x) @ v, rtol=1e-6)


def test_hessian_sparsity_with_primitive():
    x = np.array([0.6, 1.3, 2.2, 0.9, 1.7])

    def f(v):
        return gammaln(v[:-1] + v[1:] ** 2).sum()
    pattern = np.abs(np.subtract.outer(np.arange(5), np.arange(5))) <= 1
    np.testing.assert_allclose(dn.hessian(f, x, sparsity=pattern), dn.hessian(f, x), rtol=1e-12)


# ------------------------------------------------------------ nested calls

def test_nested_derivative_of_primitive_closed_form():
    got = dn.derivative(lambda a: dn.derivative(lambda b: erf(a * b), 1.0), 2.0)
    # d/da [a erf'(a b)] at b = 1 = erf'(a) (1 - 2 a²)
    assert got == pytest.approx(2 / np.sqrt(np.pi) * np.exp(-4.0) * (1 - 8.0), rel=1e-12)


def test_nested_two_argument_primitive_vs_mpmath():
    got = dn.derivative(lambda a: dn.derivative(lambda b: betaln(a * b, a + b), 1.5), 0.8)

    def inner(a):
        return mpmath.diff(lambda b: mpmath.log(mpmath.beta(a * b, a + b)), mpmath.mpf(1.5))
    assert got == pytest.approx(float(mpmath.diff(inner, mpmath.mpf(0.8))), rel=1e-9)


def test_nested_primitive_of_duals_of_two_calls():
    # a of the outer call, b of the inner: d/da d/db betaln(a, b) = -psi'(a + b)
    got = dn.derivative(lambda a: dn.derivative(lambda b: betaln(a, b) * erf(b), 1.5), 0.8)

    def inner(a):
        return mpmath.diff(lambda b: mpmath.log(mpmath.beta(a, b)) * mpmath.erf(b), mpmath.mpf(1.5))
    assert got == pytest.approx(float(mpmath.diff(inner, mpmath.mpf(0.8))), rel=1e-10)


def _mp_nested(inner_order, outer_order):
    def inner(a):
        return mpmath.diff(lambda b: mpmath.erf(a * b), mpmath.mpf(1), inner_order)
    return float(mpmath.diff(inner, mpmath.mpf(2), outer_order))


def test_nested_higher_orders_inside_and_outside():
    inner_second = dn.derivative(lambda a: dn.derivative(lambda b: erf(a * b), 1.0, 2), 2.0)
    assert inner_second == pytest.approx(_mp_nested(2, 1), rel=1e-11)
    outer_third = dn.derivative(lambda a: dn.derivative(lambda b: erf(a * b), 1.0), 2.0, 3)
    assert outer_third == pytest.approx(_mp_nested(1, 3), rel=1e-11)


def test_hessian_inside_derivative():
    got = dn.derivative(lambda a: dn.hessian(lambda v: erf(a * v).sum(), np.array([0.5, 1.0]))[1, 1],
                        2.0)
    assert got == pytest.approx(_mp_nested(2, 1), rel=1e-11)


def _mp_mixed_betaln():
    def inner(a):
        return mpmath.diff(lambda b: mpmath.log(mpmath.beta(a, b)), mpmath.mpf(1), 2)
    return float(mpmath.diff(inner, mpmath.mpf(2)))


@pytest.mark.parametrize("call", [
    lambda: dn.derivative(lambda a: dn.derivative(lambda b: betaln(a, b), 1.0, 2), 2.0),
    lambda: dn.derivative(lambda a: dn.hessian(lambda v: betaln(a, v[0] * v[1]),
                                               np.array([1.0, 1.0]))[0, 0], 2.0),
], ids=["derivative-n2-inside", "hessian-inside"])
def test_primitive_with_an_outer_number_and_an_inner_higher_order(call):
    assert call() == pytest.approx(_mp_mixed_betaln(), rel=1e-10)


def test_primitive_in_hessian_object_fallback():
    # einsum is not compiled for the second-order array: f runs on object arrays of Dual2s
    x = np.array([0.3, 0.9, 1.4])

    def f(v):
        return np.einsum("i,i", gammaln(v + 1.0), erf(v))
    np.testing.assert_allclose(dn.hessian(f, x), _fd_jacobian(lambda y: dn.gradient(f, y), x),
                               rtol=1e-6, atol=1e-8)


def test_gradient_of_gradient_through_primitive():
    x = np.array([0.7, 1.9])

    def f(v):
        return gammaln(v[0] * v[1]) + erf(v[0] - v[1])
    got = dn.jacobian(lambda y: dn.gradient(f, y), x)
    np.testing.assert_allclose(got, dn.hessian(f, x), rtol=1e-11)


# ------------------------------------------------------------ refusing a plain-float derivative

@pytest.mark.parametrize("call", [
    lambda: dn.derivative(gammaln_plain, 2.0, 2),
    lambda: dn.hessian(lambda v: gammaln_plain(v).sum(), np.array([1.5, 2.5])),
    lambda: dn.hessian(lambda v: gammaln_plain(v[0] * v[1]), np.array([1.5, 2.5])),
    lambda: dn.hvp(lambda v: gammaln_plain(v).sum(), np.array([1.5, 2.5]), np.ones(2)),
    lambda: dn.derivative(lambda a: dn.derivative(lambda b: gammaln_plain(a * b), 1.0), 2.0),
])
def test_plain_float_derivative_refused_above_first_order(call):
    with pytest.raises(TypeError, match="primitive with its own derivative") as info:
        call()
    # it names the primitive, not the numpy function its derivative met
    assert str(info.value).startswith("the derivative of primitive 'gammaln'")


def test_plain_float_derivative_first_order_still_works():
    assert dn.derivative(gammaln_plain, 2.0) == pytest.approx(float(mpmath.psi(0, 2)), rel=1e-13)
    x = np.array([1.5, 2.5])
    np.testing.assert_allclose(dn.gradient(lambda v: gammaln_plain(v).sum(), x), special.digamma(x))
    assert dn.derivative(erf_float_derivative, 0.3) == pytest.approx(
        2 / np.sqrt(np.pi) * np.exp(-0.09), rel=1e-13)


def test_a_deeper_order_than_the_chain_of_derivatives_names_the_last():
    short = dn.primitive(special.gammaln,
                         dn.primitive(special.digamma, lambda x: special.polygamma(1, x)))
    assert dn.derivative(short, 2.0, 2) == pytest.approx(float(mpmath.psi(1, 2)), rel=1e-12)
    with pytest.raises(TypeError, match="primitive with its own derivative"):
        dn.derivative(short, 2.0, 3)


# ------------------------------------------------------------ a JVP rule

N = 6
_A = (ssp.random(N, N, density=0.4, random_state=3, format="csc") + 4 * ssp.eye(N, format="csc"))
_A = ssp.csc_matrix(_A)
_A.sort_indices()
_ROWS, _INDPTR = _A.indices, _A.indptr
_COLS = np.repeat(np.arange(N), np.diff(_INDPTR))


def _matrix(data):
    return ssp.csc_matrix((data, _ROWS, _INDPTR), shape=(N, N))


def _solve(data, b):
    return sla.spsolve(_matrix(data), b)


def _solve_jvp(data, b, ddata, db):
    """d(A⁻¹ b) = A⁻¹ (db - dA x), all directions in one solve; dA x gathered
    once as the matrix (n x nnz) that takes ddata to dA x."""
    a = _matrix(data)
    x = sla.spsolve(a, b)
    times_x = ssp.csc_matrix((x[_COLS], (_ROWS, np.arange(_ROWS.size))), shape=(N, _ROWS.size))
    return sla.spsolve(a, db - times_x @ ddata).reshape(N, -1)


solve = dn.primitive(_solve, jvp=_solve_jvp)


def _lowpass(x):
    spectrum = np.fft.rfft(x)
    spectrum[x.size // 4:] = 0.0
    return np.fft.irfft(spectrum, n=x.size)


def _lowpass_jvp(x, v):
    # linear: the filter of each direction, along the signal axis
    spectrum = np.fft.rfft(v, axis=0)
    spectrum[x.size // 4:] = 0.0
    return np.fft.irfft(spectrum, n=x.size, axis=0)


lowpass = dn.primitive(_lowpass, jvp=_lowpass_jvp)
_B = np.linspace(-1.0, 2.0, N)


def test_jvp_rule_sparse_solve_jacobian_in_b_closed_form():
    np.testing.assert_allclose(dn.jacobian(lambda b: solve(_A.data, b), _B),
                               np.linalg.inv(_A.toarray()), rtol=1e-12, atol=1e-14)


def test_jvp_rule_sparse_solve_jacobian_in_matrix_vs_finite_differences():
    got = dn.jacobian(lambda d: solve(d, _B), _A.data)
    np.testing.assert_allclose(got, _fd_jacobian(lambda d: _solve(d, _B), _A.data), rtol=1e-6,
                               atol=1e-8)


def test_jvp_rule_gradient_and_jvp_both_arguments():
    def f(p):
        return (solve(p[:-N], p[-N:]) ** 2).sum()
    p = np.concatenate([_A.data, _B])
    want = _fd_jacobian(f, p)
    np.testing.assert_allclose(dn.gradient(f, p), want, rtol=1e-6, atol=1e-8)
    v = np.linspace(0.5, -0.5, p.size)
    value, derivative = dn.jvp(f, p, v)
    assert value == pytest.approx(f(p), rel=1e-13)
    np.testing.assert_allclose(derivative, want @ v, rtol=1e-6, atol=1e-8)


def test_jvp_rule_fft_filter_jacobian_closed_form():
    x = np.sin(np.arange(16.0))
    # linear: its Jacobian is the filter applied to the unit vectors
    want = np.stack([_lowpass(e) for e in np.eye(16)], axis=-1)
    np.testing.assert_allclose(dn.jacobian(lowpass, x), want, atol=1e-14)
    np.testing.assert_allclose(dn.jacobian(lambda y: lowpass(y * y), x), want * (2 * x), atol=1e-13)


def test_jvp_rule_on_sparse_tangents():
    x = np.cos(np.arange(16.0))
    pattern = np.ones((16, 16), dtype=bool)
    np.testing.assert_allclose(dn.jacobian(lambda y: lowpass(y ** 3), x, sparsity=pattern),
                               dn.jacobian(lambda y: lowpass(y ** 3), x), atol=1e-13)
    d = _A.data

    def f(y):
        return solve(d, y * y)
    np.testing.assert_allclose(dn.jacobian(f, _B, sparsity=np.ones((N, N), dtype=bool)),
                               _fd_jacobian(f, _B), rtol=1e-6, atol=1e-8)


def test_jvp_rule_on_a_scalar_dual():
    double = dn.primitive(lambda x: 2 * x ** 3, jvp=lambda x, v: 6 * x[..., None] ** 2 * v)
    assert dn.derivative(double, 1.5) == pytest.approx(6 * 1.5 ** 2, rel=1e-14)


def test_jvp_rule_refuses_second_order():
    with pytest.raises(TypeError, match="JVP rule: first derivatives only"):
        dn.hessian(lambda y: lowpass(y).sum(), np.ones(8))
    with pytest.raises(TypeError, match="JVP rule: first derivatives only"):
        dn.hvp(lambda y: (lowpass(y) ** 2).sum(), np.ones(8), np.ones(8))
    with pytest.raises(TypeError, match="JVP rule: first derivatives only"):
        dn.derivative(lambda t: lowpass(t * np.ones(8)).sum(), 1.0, 2)


def test_jvp_rule_of_the_wrong_shape():
    bad = dn.primitive(_lowpass, jvp=lambda x, v: v[..., 0])
    with pytest.raises(ValueError, match="directions on the last axis"):
        dn.jacobian(bad, np.ones(8))


def test_jvp_rule_and_derivative_exclusive():
    with pytest.raises(TypeError, match="not both"):
        dn.primitive(_lowpass, lambda x: x, jvp=_lowpass_jvp)
    with pytest.raises(TypeError, match="jvp must be callable"):
        dn.primitive(_lowpass, jvp=3)


def test_jvp_rule_on_floats_is_func():
    x = np.sin(np.arange(8.0))
    np.testing.assert_array_equal(lowpass(x), _lowpass(x))


# ------------------------------------------------------------ pickling

def test_higher_order_primitive_pickles():
    again = pickle.loads(pickle.dumps(erf))
    assert dn.derivative(again, 0.4, 3) == pytest.approx(_mp_derivative(mpmath.erf, 0.4, 3), rel=1e-12)


def test_jvp_primitive_pickles():
    again = pickle.loads(pickle.dumps(solve))
    np.testing.assert_allclose(dn.jacobian(lambda b: again(_A.data, b), _B),
                               dn.jacobian(lambda b: solve(_A.data, b), _B), rtol=1e-15)
