"""scipy.special's ufuncs as rows of the function table (dualnum/_scipy_special.pyx,
dualnum/_scipy_dispatch.py) on every number and array type.

The references are independent of dualnum: scipy's values, and mpmath's
derivatives at 40 digits (closed forms such as ``mp.psi(k, x)`` and
``mp.besselj(v, x, derivative=k)``, else ``mp.diff`` of the function)."""
import math
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
import scipy.special as sp

import dualnum as dn
from dualnum import _hessian_array


def by_diff(f):
    """The k-th derivative of f (an mpmath function) at x, by mpmath's differences."""
    return lambda x, k: mp.diff(f, x, k)


# name: (k-th derivative at x in mpmath, points)
UNARY = {
    "erfinv": (by_diff(mp.erfinv), [-0.9, -0.3, 0.2, 0.7]),
    "erfcinv": (by_diff(lambda x: mp.erfinv(1 - x)), [0.1, 0.6, 1.3, 1.9]),
    "ndtr": (by_diff(mp.ncdf), [-3.0, -0.4, 0.5, 2.5]),
    "log_ndtr": (by_diff(lambda x: mp.log(mp.ncdf(x))), [-3.0, -1.2, 0.3, 4.0]),
    "ndtri": (by_diff(lambda p: mp.sqrt(2) * mp.erfinv(2 * p - 1)), [0.01, 0.3, 0.65, 0.97]),
    "logit": (by_diff(lambda x: mp.log(x / (1 - x))), [0.05, 0.4, 0.8]),
    "expit": (by_diff(lambda x: 1 / (1 + mp.exp(-x))), [-4.0, 0.3, 2.0]),
    "log_expit": (by_diff(lambda x: -mp.log(1 + mp.exp(-x))), [-30.0, -1.0, 0.5, 20.0]),
    "entr": (by_diff(lambda x: -x * mp.log(x)), [0.05, 0.6, 3.0]),
    "gammaln": (by_diff(mp.loggamma), [0.3, 1.7, 6.5]),
    "psi": (lambda x, k: mp.psi(k, x), [-1.5, 0.4, 1.4616, 3.2]),
    "digamma": (lambda x, k: mp.psi(k, x), [-0.3, 2.5]),
    "erf": (by_diff(mp.erf), [-1.1, 0.4]),
    "gamma": (by_diff(mp.gamma), [-1.5, 0.7, 3.3]),
    "j0": (lambda x, k: mp.besselj(0, x, derivative=k), [0.5, 2.4, 7.0]),
    "j1": (lambda x, k: mp.besselj(1, x, derivative=k), [0.0, 0.5, 3.8, 9.0]),
    "y0": (lambda x, k: mp.bessely(0, x, derivative=k), [0.3, 2.0, 8.0]),
    "y1": (lambda x, k: mp.bessely(1, x, derivative=k), [0.3, 2.0, 8.0]),
    "i0": (by_diff(lambda x: mp.besseli(0, x)), [-1.2, 0.5, 4.0]),
    "i1": (by_diff(lambda x: mp.besseli(1, x)), [0.0, 0.5, 4.0]),
    "k0": (by_diff(lambda x: mp.besselk(0, x)), [0.3, 1.5, 6.0]),
    "k1": (by_diff(lambda x: mp.besselk(1, x)), [0.3, 1.5, 6.0]),
}
# functions of x with the first argument fixed (an order, an exponent)
IN_X = {
    "jv(2.5, x)": (lambda x: sp.jv(2.5, x), lambda x, k: mp.besselj(2.5, x, derivative=k),
                   [0.7, 3.0, 11.0]),
    "jv(-1, x)": (lambda x: sp.jv(-1, x), lambda x, k: mp.besselj(-1, x, derivative=k),
                  [0.7, 3.0]),
    "iv(0.5, x)": (lambda x: sp.iv(0.5, x), lambda x, k: mp.besseli(0.5, x, derivative=k),
                   [0.7, 3.0]),
    "kv(1.3, x)": (lambda x: sp.kv(1.3, x), by_diff(lambda x: mp.besselk(1.3, x)), [0.7, 3.0]),
    "zeta(2.5, q)": (lambda q: sp.zeta(2.5, q), by_diff(lambda q: mp.zeta(2.5, q)),
                     [0.4, 1.0, 7.5]),
    "zeta(3, q)": (lambda q: sp.zeta(3, q), by_diff(lambda q: mp.zeta(3, q)), [-1.5, 2.0]),
    "zeta(x)": (sp.zeta, lambda x, k: mp.zeta(x, 1, derivative=k), [0.02, 0.5, 1.5, 3.0, 11.0]),
}
CASES = [(name, getattr(sp, name), ref, points) for name, (ref, points) in UNARY.items()]
CASES += [(name, f, ref, points) for name, (f, ref, points) in IN_X.items()]


def reference(ref, x, k):
    with mp.workdps(40):
        return float(ref(mp.mpf(x), k))


def dense(jacobian):
    return jacobian.toarray() if hasattr(jacobian, "toarray") else jacobian


def close(actual, expected, rel=1e-9, absolute=None):
    return math.isclose(actual, expected, rel_tol=rel,
                        abs_tol=rel * 1e-3 if absolute is None else absolute)


@pytest.mark.parametrize("name, f, ref, points", CASES, ids=[c[0] for c in CASES])
def test_orders_one_to_four_on_numbers(name, f, ref, points):
    for x in points:
        value = float(f(x))
        assert close(f(dn.Dual(x, 1.0)).value, value, 1e-15), (name, x)
        assert close(dn.Dual(x, 1.0).value, x)
        for n in range(1, 5):
            want = reference(ref, x, n)
            assert close(dn.derivative(f, x, n), want, 1e-9 if n < 3 else 1e-8), (name, x, n, want)
        first, second = reference(ref, x, 1), reference(ref, x, 2)
        assert close(f(dn.Dual(x, 1.0)).partials[0], first), (name, x)
        d2 = f(dn.Dual2(x, [1.0]))
        assert close(d2.value, value, 1e-15)
        assert close(d2.gradient[0], first) and close(d2.hessian[0, 0], second), (name, x)
        assert close(dn.derivative(lambda t: dn.derivative(f, t), x), second), (name, x)


def compiled_hessian(f, x):
    """hessian(f, x), asserting it ran on the compiled second-order array."""
    seen = []
    hess = dn.hessian(lambda v: (seen.append(type(v)), f(v))[1], x)
    assert seen == [_hessian_array.Dual2Array], seen         # no object-array fallback
    return hess


@pytest.mark.parametrize("name, f, ref, points", CASES, ids=[c[0] for c in CASES])
def test_on_arrays(name, f, ref, points):
    xs = np.array(points)
    firsts = np.array([reference(ref, x, 1) for x in points])
    seconds = np.array([reference(ref, x, 2) for x in points])
    n = xs.size
    np.testing.assert_allclose(dn.gradient(lambda v: np.sum(f(v)), xs), firsts, rtol=1e-9)
    np.testing.assert_allclose(dn.jacobian(f, xs), np.diag(firsts), rtol=1e-9, atol=1e-300)
    sparse = dn.jacobian(f, xs, sparsity=np.eye(n, dtype=bool), sparse_output=True)
    np.testing.assert_allclose(dense(sparse), np.diag(firsts), rtol=1e-9, atol=1e-300)
    direction = np.linspace(0.5, 1.5, n)
    jvp = dn.jvp(f, xs, direction)
    np.testing.assert_allclose(jvp[1] if isinstance(jvp, tuple) else jvp, firsts * direction,
                               rtol=1e-9)
    hess = compiled_hessian(lambda v: np.sum(f(v)), xs)
    np.testing.assert_allclose(hess, np.diag(seconds), rtol=1e-9, atol=1e-300)
    # a sum over products: off-diagonal entries through the second-order chain
    pairs = compiled_hessian(lambda v: np.sum(f(v) * v[::-1]), xs)
    step = 1e-6 * np.maximum(1.0, np.abs(xs))
    columns = [(dn.gradient(lambda v: np.sum(f(v) * v[::-1]), xs + h * e)
                - dn.gradient(lambda v: np.sum(f(v) * v[::-1]), xs - h * e)) / (2 * h)
               for h, e in zip(step, np.eye(n))]
    np.testing.assert_allclose(pairs, np.array(columns).T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dn.hvp(lambda v: np.sum(f(v)), xs, direction),
                               seconds * direction, rtol=1e-9)


def mixed(f, a, b, i, j):
    with mp.workdps(40):
        return float(mp.diff(f, (mp.mpf(a), mp.mpf(b)), (i, j)))


BINARY = {
    "xlogy": (lambda a, b: a * mp.log(b), [(0.6, 1.3), (-1.2, 0.4), (2.0, 5.0)]),
    "xlog1py": (lambda a, b: a * mp.log1p(b), [(0.6, 1.3), (-1.2, -0.4), (2.0, 5.0)]),
    "rel_entr": (lambda a, b: a * mp.log(a / b), [(0.6, 1.3), (0.2, 0.05), (2.0, 5.0)]),
    "betaln": (lambda a, b: mp.log(mp.beta(a, b)), [(0.6, 1.3), (4.5, 0.2), (30.0, 12.0)]),
}


@pytest.mark.parametrize("name", BINARY)
def test_binary_rows(name):
    f, ref = getattr(sp, name), BINARY[name][0]
    points = BINARY[name][1]
    for a, b in points:
        assert close(f(dn.Dual(a, 1.0), b).value, float(f(a, b)), 1e-15)
        for n in range(1, 5):
            assert close(dn.derivative(lambda t: f(t, b), a, n), mixed(ref, a, b, n, 0), 1e-8,
                         1e-13), (name, a, b, n)
            assert close(dn.derivative(lambda t: f(a, t), b, n), mixed(ref, a, b, 0, n), 1e-8,
                         1e-13), (name, a, b, n)
        x = np.array([a, b])
        grad = [mixed(ref, a, b, 1, 0), mixed(ref, a, b, 0, 1)]
        hess = [[mixed(ref, a, b, 2, 0), mixed(ref, a, b, 1, 1)],
                [mixed(ref, a, b, 1, 1), mixed(ref, a, b, 0, 2)]]
        np.testing.assert_allclose(dn.gradient(lambda v: f(v[0], v[1]), x), grad, rtol=1e-9)
        # (mpmath's differences leave ~1e-50 where a partial is 0)
        np.testing.assert_allclose(compiled_hessian(lambda v: f(v[0], v[1]), x), hess,
                                   rtol=1e-8, atol=1e-13)
        d2 = f(dn.Dual2(a, [1.0, 0.0]), dn.Dual2(b, [0.0, 1.0]))
        np.testing.assert_allclose(d2.hessian, hess, rtol=1e-8, atol=1e-13)
        nested = dn.derivative(lambda s: dn.derivative(lambda t: f(t, s * b), a), 1.0)
        assert close(nested, b * mixed(ref, a, b, 1, 1), 1e-8), (name, a, b)
    # elementwise on arrays, dense and sparse
    a, b = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    da = np.array([mixed(ref, *p, 1, 0) for p in points])
    db = np.array([mixed(ref, *p, 0, 1) for p in points])
    n = a.size
    pattern = np.hstack([np.eye(n, dtype=bool)] * 2)
    want = np.hstack([np.diag(da), np.diag(db)])
    g = lambda v: f(v[:n], v[n:])                         # noqa: E731
    np.testing.assert_allclose(dn.jacobian(g, np.concatenate([a, b])), want, rtol=1e-9)
    sparse = dn.jacobian(g, np.concatenate([a, b]), sparsity=pattern, sparse_output=True)
    np.testing.assert_allclose(dense(sparse), want, rtol=1e-9)
    np.testing.assert_allclose(dn.gradient(lambda v: np.sum(f(v, b)), a), da, rtol=1e-9)


# ------------------------------------------------------------------ edges

def test_entr_and_rel_entr_at_zero():
    assert sp.entr(dn.Dual(0.0, 1.0)).value == 0.0
    assert dn.derivative(sp.entr, 0.0) == math.inf                   # from the right
    below = sp.entr(dn.Dual(-1.0, 1.0))
    assert below.value == -math.inf and math.isnan(below.partials[0])
    grad = dn.gradient(lambda v: sp.rel_entr(v[0], v[1]), np.array([0.0, 2.0]))
    assert grad[0] == -math.inf and grad[1] == 0.0
    assert sp.rel_entr(dn.Dual(-1.0, 1.0), 2.0).value == math.inf
    # x held at 0: constant in y, at every order
    assert dn.derivative(lambda y: sp.rel_entr(0.0, y), 2.0, 3) == 0.0


def test_xlogy_at_zero():
    # x held at 0: zero for every y, derivatives 0 even at y = 0
    for y in (0.0, 2.0):
        assert dn.derivative(lambda t: sp.xlogy(0.0, t), y) == 0.0
        assert dn.derivative(lambda t: sp.xlogy(0.0, t), y, 3) == 0.0
        assert dn.derivative(lambda t: sp.xlog1py(0.0, t), y - 1.0) == 0.0
    # a tangent in x: the partial log(y), -inf at y = 0
    grad = dn.gradient(lambda v: sp.xlogy(v[0], v[1]), np.array([0.0, 2.0]))
    assert grad[0] == math.log(2.0) and grad[1] == 0.0
    assert dn.derivative(lambda t: sp.xlogy(t, 0.0), 0.0) == -math.inf
    assert sp.xlogy(dn.Dual(0.0, 1.0), 3.0).value == 0.0
    second = dn.hessian(lambda v: sp.xlogy(v[0], v[1]), np.array([0.0, 2.0]))
    np.testing.assert_allclose(second, [[0.0, 0.5], [0.5, 0.0]], rtol=1e-15)


@pytest.mark.parametrize("x", [-40.0, -200.0, -1e4])
def test_log_ndtr_far_left(x):
    with mp.workdps(60):
        want = float(mp.npdf(x) / mp.ncdf(x))
        second = float(mp.diff(lambda t: mp.log(mp.ncdf(t)), x, 2))
    assert close(dn.derivative(sp.log_ndtr, x), want, 1e-12)
    assert close(dn.derivative(sp.log_ndtr, x, 2), second, 1e-8)
    np.testing.assert_allclose(dn.gradient(lambda v: np.sum(sp.log_ndtr(v)), np.array([x])),
                               [want], rtol=1e-12)
    # ndtr itself: its slope is phi, tiny but not 0 until phi underflows
    assert close(dn.derivative(sp.ndtr, x), float(mp.npdf(x)), 1e-12)


@pytest.mark.parametrize("pole", [-1.0, -2.0, 0.0])
def test_psi_at_poles(pole):
    d = sp.psi(dn.Dual(pole, 1.0))
    value = sp.psi(pole)
    assert d.value == value or (math.isnan(d.value) and math.isnan(value))
    assert math.isnan(d.partials[0]) or math.isinf(d.partials[0])


def test_not_offered_arguments_raise():
    with pytest.raises(TypeError, match="derivative in the order v is not offered"):
        dn.derivative(lambda v: sp.jv(v, 1.3), 0.5)
    with pytest.raises(TypeError, match="order v"):
        dn.gradient(lambda v: np.sum(sp.kv(v, 2.0)), np.array([0.5, 1.5]))
    with pytest.raises(TypeError, match="order v"):
        dn.hessian(lambda v: np.sum(sp.iv(v, 2.0)), np.array([0.5, 1.5]))
    with pytest.raises(TypeError, match="derivative in x is not offered"):
        dn.derivative(lambda t: dn.derivative(lambda s: sp.zeta(s * t, 2.0), 2.5), 1.0)
    # the Riemann zeta function: scipy's value everywhere, derivatives for x >= 0
    below = sp.zeta(dn.Dual(-2.5, 1.0))
    assert close(below.value, sp.zeta(-2.5), 1e-14) and math.isnan(below.partials[0])
    with mp.workdps(40):
        at_zero = float(mp.zeta(0, 1, derivative=1))                 # -log(2 pi)/2
    assert close(dn.derivative(sp.zeta, 0.0), at_zero, 1e-13)
    pole = sp.zeta(dn.Dual(1.0, 1.0))
    assert pole.value == sp.zeta(1.0) and math.isnan(pole.partials[0])


def test_found_by_identity_not_by_name():
    """A ufunc that only shares a name with a row is not taken for it."""
    class Impostor:
        __name__ = "erf"
        nin, nout = 1, 1

    x = dn.Dual(0.4, 1.0)
    with pytest.raises(TypeError, match="erf is not supported"):
        x.__array_ufunc__(Impostor(), "__call__", x)
    array = dn.DualArray(np.array([0.4, 0.5]), np.eye(2))
    with pytest.raises(TypeError, match="not numpy's or scipy.special's"):
        array.__array_ufunc__(Impostor(), "__call__", array)

    def erf(v):
        return 3.0 * v

    tripled = np.frompyfunc(erf, 1, 1)
    with pytest.raises(TypeError, match="erf"):
        tripled(x)
    with pytest.raises(TypeError, match="erf"):
        dn.hessian(lambda v: tripled(v[0]) * v[0], np.array([0.5]))


def test_scipy_is_not_imported_by_dualnum(tmp_path):
    code = "import sys, dualnum; print('scipy' in sys.modules)"
    # from an empty directory: the installed build, not the source tree's dualnum/
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.strip() == "False"


def test_jets_of_high_order():
    # derivative n = 8 of erfinv and j0 against mpmath
    for f, ref, x in ((sp.erfinv, mp.erfinv, 0.35), (sp.j0, lambda t: mp.besselj(0, t), 1.7),
                      (sp.log_ndtr, lambda t: mp.log(mp.ncdf(t)), -3.0)):
        with mp.workdps(50):
            want = float(mp.diff(ref, mp.mpf(x), 8))
        assert close(dn.derivative(f, x, 8), want, 1e-7)


def test_unsupported_options_are_named():
    for x in (dn.Dual(0.3, 1.0), dn.Jet([0.3, 1.0, 0.0]), dn.Dual2(0.3, [1.0])):
        with pytest.raises(TypeError, match=r"scipy.special.erfinv with the options \['dtype'\]"):
            sp.erfinv(x, dtype=np.float32)
        with pytest.raises(TypeError, match=r"\['out'\]"):
            sp.ndtr(x, out=np.empty(()))
    array = dn.DualArray(np.array([0.3, 0.6]), np.eye(2))
    with pytest.raises(TypeError, match=r"\['dtype'\]"):
        sp.erfinv(array, dtype=np.float32)


def test_a_number_with_plain_arrays():
    # an object array of numbers, each element computed by its own row
    y = dn.Dual(0.5, 1.0)
    out = sp.xlogy(np.array([1.0, 2.0]), y)
    assert out.dtype == object
    for a, element in zip((1.0, 2.0), out):
        assert element.value == sp.xlogy(a, 0.5) and close(element.partials[0], a / 0.5, 1e-15)


def test_on_the_object_pass_of_hessian():
    """einsum sends hessian to the object pass (DualObjects of Dual2s), where
    scipy's ufuncs run element by element."""
    def f(v):
        w = np.einsum("i,i->i", v, v)
        return np.sum(sp.erfinv(w) * sp.xlogy(v, w + 1.0) + sp.j1(w))

    x = np.array([0.3, 0.6, 0.2])
    step = 1e-5
    columns = [(dn.gradient(f, x + step * e) - dn.gradient(f, x - step * e)) / (2 * step)
               for e in np.eye(3)]
    np.testing.assert_allclose(dn.hessian(f, x), np.array(columns), rtol=1e-7, atol=1e-9)


def test_a_missing_or_changed_kernel_is_named(monkeypatch):
    from scipy.special import cython_special

    from dualnum import _scipy_dispatch, _scipy_special

    with pytest.raises(RuntimeError, match=r"scipy.special.psi with scipy 0\.0: .* no psi of "
                                           r"signature 'double \(double, int __pyx_skip_dispatch\)'"):
        _scipy_special.bind_kernels({}, "0.0")
    changed = {"psi": cython_special.__pyx_capi__["__pyx_fuse_0psi"]}   # the complex one
    with pytest.raises(RuntimeError, match="no psi of signature"):
        _scipy_special.bind_kernels(changed, "0.0")
    # nothing was rebound by the failed calls
    assert close(dn.derivative(sp.psi, 1.5), float(mp.psi(1, 1.5)), 1e-14)
    # and at dispatch, the error reaches the user
    def refuse():
        raise RuntimeError("dualnum cannot differentiate scipy.special.erfinv with scipy 9.9")

    monkeypatch.setattr(_scipy_dispatch, "_by_ufunc", None)
    monkeypatch.setattr(_scipy_dispatch, "bind_kernels", refuse)
    with pytest.raises(RuntimeError, match="erfinv with scipy 9.9"):
        dn.derivative(sp.erfinv, 0.3)


def test_hessian_with_a_sparsity_pattern():
    x = np.array([0.3, 1.1, 2.5, 0.7])
    f = lambda v: np.sum(sp.j0(v[1:] * v[:-1])) + np.sum(sp.log_ndtr(v))    # noqa: E731
    pattern = np.abs(np.subtract.outer(np.arange(4), np.arange(4))) <= 1
    sparse = dn.hessian(f, x, sparsity=pattern, sparse_output=True)
    np.testing.assert_allclose(dense(sparse), dn.hessian(f, x), rtol=1e-13, atol=1e-15)
    step = 1e-5
    columns = [(dn.gradient(f, x + step * e) - dn.gradient(f, x - step * e)) / (2 * step)
               for e in np.eye(4)]
    np.testing.assert_allclose(dense(sparse), np.array(columns), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("x, q", [(2.5, 1.0), (1.3, 0.4), (4.0, 7.5), (3.0, 2.0)])
def test_zeta_in_x_and_q(x, q):
    """zeta(x, q) in its exponent: Euler-Maclaurin in Taylor arithmetic."""
    for n in range(1, 5):
        with mp.workdps(40):
            want = float(mp.zeta(x, q, derivative=n))
            both = float(mp.diff(lambda t: mp.zeta(x + t, q + 0.5 * t), 0, n))
        assert close(dn.derivative(lambda s: sp.zeta(s, q), x, n), want, 1e-10), (x, q, n)
        assert close(dn.derivative(lambda t: sp.zeta(x + t, q + 0.5 * t), 0.0, n), both,
                     1e-10), (x, q, n)
    with mp.workdps(40):
        grad = [mixed(mp.zeta, x, q, 1, 0), mixed(mp.zeta, x, q, 0, 1)]
        hess = [[mixed(mp.zeta, x, q, 2, 0), mixed(mp.zeta, x, q, 1, 1)],
                [mixed(mp.zeta, x, q, 1, 1), mixed(mp.zeta, x, q, 0, 2)]]
    point = np.array([x, q])
    np.testing.assert_allclose(dn.gradient(lambda v: sp.zeta(v[0], v[1]), point), grad, rtol=1e-10)
    np.testing.assert_allclose(compiled_hessian(lambda v: sp.zeta(v[0], v[1]), point), hess,
                               rtol=1e-9)


@pytest.mark.parametrize("x", [41.0, 60.0, 300.0])
@pytest.mark.parametrize("q", [1.0, 1.5, 7.0])
def test_zeta_at_a_large_exponent_sums_only_the_terms_that_count(x, q):
    """Above an exponent of 40 the sums stop at a negligible term: a huge x took
    x shifts (it hung at 1e300); the derivatives stay mpmath's."""
    for n in (1, 3):
        with mp.workdps(40):
            in_x = float(mp.zeta(x, q, derivative=n))
            in_q = float(mp.diff(lambda t: mp.zeta(x, t), q, n))
        assert close(dn.derivative(lambda s: sp.zeta(s, q), x, n), in_x, 1e-12), (x, q, n)
        assert close(dn.derivative(lambda t: sp.zeta(x, t), q, n), in_q, 1e-12), (x, q, n)


def test_zeta_at_a_huge_or_infinite_exponent_returns():
    assert dn.derivative(lambda s: sp.zeta(s, 1.5), 1e300) == 0.0     # underflows, as its value
    assert dn.derivative(sp.zeta, 1e300) == 0.0
    assert dn.derivative(lambda t: sp.zeta(1e300, t), 2.0) == 0.0
    assert math.isnan(dn.derivative(lambda t: sp.zeta(math.inf, t), 2.0))   # -x zeta(x + 1, q): inf * 0
    # at x = inf itself: the value is the limit (scipy says nan for q = 1.5, 1 for q = 1:
    # 1.5**-x -> 0), the derivative in x nan
    value = sp.zeta(dn.Dual(math.inf, 1.0), 1.5)
    assert value.value == 0.0 and math.isnan(value.partials[0])
    assert sp.zeta(dn.Dual(math.inf, 1.0), 1.0).value == 1.0 == sp.zeta(math.inf, 1.0)


def test_inverse_functions_at_the_ends():
    for f, ends in ((sp.erfinv, (-1.0, 1.0)), (sp.erfcinv, (0.0, 2.0)), (sp.ndtri, (0.0, 1.0))):
        for end in ends:
            d = f(dn.Dual(end, 1.0))
            assert d.value == f(end) and math.isinf(d.value)
            assert abs(d.partials[0]) == math.inf
        outside = f(dn.Dual(ends[1] + 0.5, 1.0))
        assert math.isnan(outside.value) and math.isnan(outside.partials[0])
