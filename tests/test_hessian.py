"""hessian and value_gradient_and_hessian on second-order dual numbers (dualnum.Dual2).

References: mpmath's high-precision partial derivatives (mpmath.diff), the
analytic Hessian of the Rosenbrock function, and the first-order API.
"""
import copy
import importlib
import math
import pickle

import numpy as np
import pytest
import hessian_references as references  # tests/, on pytest's pythonpath

import dualnum as dn
from dualnum import Dual2

# the module (dualnum.hessian is the function of the same name)
hessian_module = importlib.import_module("dualnum.hessian")

BIVARIATE, mp_hessian = references.BIVARIATE, references.mp_hessian
rosenbrock, rosenbrock_hessian = references.rosenbrock, references.rosenbrock_hessian


@pytest.mark.parametrize("name, f, mp_f, point", BIVARIATE, ids=[b[0] for b in BIVARIATE])
def test_bivariate_against_mpmath(name, f, mp_f, point):
    value, grad, hess = dn.value_gradient_and_hessian(lambda v: f(v[0], v[1]), list(point))
    want_value, want_grad, want_hess = mp_hessian(mp_f, *point)
    assert value == pytest.approx(want_value, rel=1e-14, abs=1e-14)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(hess, want_hess, rtol=1e-12, atol=1e-12)
    assert np.array_equal(hess, hess.T)
    # and through argnums, with the two variables as separate arguments
    h2 = dn.hessian(f, point, argnums=(0, 1))
    np.testing.assert_array_equal(h2, hess)


@pytest.mark.parametrize("n", [2, 3, 10, 64, 65, 100])
def test_numpy_rosenbrock(n):
    x = (np.arange(n) % 7) / 7 - 0.3
    value, grad, hess = dn.value_gradient_and_hessian(rosenbrock, x)
    assert value == pytest.approx(rosenbrock(x), rel=1e-15)
    np.testing.assert_allclose(grad, dn.gradient(rosenbrock, x), rtol=1e-14, atol=1e-13)
    np.testing.assert_allclose(hess, rosenbrock_hessian(x), rtol=1e-14, atol=1e-12)
    assert np.array_equal(hess, hess.T)


def test_blocks_give_the_one_pass_hessian(monkeypatch):
    f = lambda v: dn.exp(v[0] * v[3]) * np.sum(v * v) + dn.sin(v[1] * v[4] * v[6])
    x = np.linspace(-0.5, 0.8, 7)
    one_pass = dn.value_gradient_and_hessian(f, x)

    def not_compiled(f, point):
        raise hessian_module._hessian_array.NotCompiled("for this test")

    # the blocks are those of the object-array path
    monkeypatch.setattr(hessian_module, "hessian_pass", not_compiled)
    monkeypatch.setattr(hessian_module, "ONE_PASS", 2)
    monkeypatch.setattr(hessian_module, "BLOCK", 3)               # blocks of 3, 3 and 1
    calls = []
    blocked = dn.value_gradient_and_hessian(lambda v: calls.append(1) or f(v), x)
    assert len(calls) == 3                                         # one per pair of blocks
    assert blocked[0] == one_pass[0]
    np.testing.assert_allclose(blocked[1], one_pass[1], rtol=1e-15)
    np.testing.assert_allclose(blocked[2], one_pass[2], rtol=1e-14, atol=1e-14)


def test_shapes_scalars_and_matrices():
    assert dn.hessian(lambda t: t ** 3, 2.0) == 12.0
    v, g, h = dn.value_gradient_and_hessian(lambda t: dn.exp(2 * t), 0.0)
    assert (v, g, h) == (1.0, 2.0, 4.0)
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    h = dn.hessian(lambda a: a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0], m)     # the determinant
    assert h.shape == (2, 2, 2, 2)
    assert h[0, 0, 1, 1] == 1.0 and h[0, 1, 1, 0] == -1.0 and h[0, 0, 0, 0] == 0.0
    assert dn.hessian(lambda v: 5.0, [1.0, 2.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    np.testing.assert_array_equal(dn.hessian(lambda v: v[0] * v[1], [1, 2]), [[0, 1], [1, 0]])


def test_hessian_agrees_with_second_derivatives_and_gradients():
    f = lambda v: dn.sin(v[0]) * dn.exp(v[1] * v[0]) / (1 + v[1] ** 2)
    x = np.array([0.3, -0.8])
    h = dn.hessian(f, x)
    assert h[0, 0] == pytest.approx(dn.derivative(lambda t: f([t, x[1]]), x[0], n=2), rel=1e-14)
    assert h[1, 1] == pytest.approx(dn.derivative(lambda t: f([x[0], t]), x[1], n=2), rel=1e-14)
    # a mixed partial: the derivative along y of the x-partial, by central differences
    step = 1e-5
    mixed = (dn.gradient(f, x + [0, step])[0] - dn.gradient(f, x - [0, step])[0]) / (2 * step)
    assert h[0, 1] == pytest.approx(mixed, rel=1e-8)


def test_errors():
    with pytest.raises(ValueError, match="real number"):
        dn.hessian(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(TypeError, match="returned a str"):
        dn.hessian(lambda v: "no", [1.0, 2.0])
    with pytest.raises(ValueError):
        dn.hessian(lambda v: dn.log(v[0] - 2), [1.0, 2.0])
    with pytest.raises(ZeroDivisionError):
        dn.hessian(lambda v: v[0] / (v[1] - 2), [1.0, 2.0])
    # a nan point propagates like floats (issue 12, item 19): H of v0 * v1**2
    # (2 v1 is nan; H[1, 1] = 2 v0 may become nan too, as 0 * nan does in floats)
    h = dn.hessian(lambda v: v[0] * v[1] ** 2, [1.0, math.nan])
    assert h[0, 0] == 0.0 and np.isnan(h[0, 1]) and np.isnan(h[1, 0])
    # nested: hessian inside other calls goes through dualnum.nesting
    assert dn.derivative(lambda a: dn.hessian(lambda v: a * v[0] ** 2, [1.0])[0, 0], 1.0) == 2.0
    assert dn.hessian(lambda v: dn.hessian(lambda w: v[0] ** 3 * w[0] ** 2, [1.0])[0, 0],
                      [1.0]).tolist() == [[12.0]]
    # a Taylor series meeting a second-order dual: both fall back to nesting
    assert dn.hessian(lambda v: dn.derivative(lambda t: v[0] ** 3 * t ** 3, 1.0, n=2),
                      [1.0]).tolist() == [[36.0]]
    with pytest.raises(TypeError, match="dualnum"):
        float(Dual2(1.0, [1.0]))


def test_dual2_type():
    d = Dual2(2.0, [1.0, -1.0], [[0.5, 1.0], [1.0, 0.0]])
    assert d.value == 2.0 and d.gradient == (1.0, -1.0)
    np.testing.assert_array_equal(d.hessian, [[0.5, 1.0], [1.0, 0.0]])
    back = eval(repr(d), {"Dual2": Dual2})
    assert back.gradient == d.gradient and np.array_equal(back.hessian, d.hessian)
    p = pickle.loads(pickle.dumps(d * d))
    np.testing.assert_array_equal(p.hessian, (d * d).hessian)
    assert copy.deepcopy(d) is d and d == 2.0 and d < 3 and hash(d) == hash(2.0)
    with pytest.raises(ValueError, match="symmetric"):
        Dual2(1.0, [1.0, 0.0], [[0.0, 1.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="shape"):
        Dual2(1.0, [1.0, 0.0], [[0.0]])
    with pytest.raises(TypeError, match="immutable"):
        d.__init__(1.0)
    # numpy ufuncs and object arrays of Dual2
    assert np.sin(d).gradient == dn.sin(d).gradient
    assert (np.float64(3.0) * d).gradient == (3.0, -3.0)
    total = np.sum(np.exp(np.array([d, d * 2.0], dtype=object)))
    assert isinstance(total, Dual2)
    # (x y)^2: its Hessian, by the product rule
    x, y = Dual2(3.0, [1.0, 0.0]), Dual2(2.0, [0.0, 1.0])
    np.testing.assert_array_equal(((x * y) ** 2).hessian, [[8.0, 24.0], [24.0, 18.0]])


# ----------------------------------------------------------- Hessian-vector products

@pytest.mark.parametrize("name, f, mp_f, point", BIVARIATE, ids=[b[0] for b in BIVARIATE])
def test_hvp_is_the_hessian_times_v(name, f, mp_f, point):
    g = lambda v: f(v[0], v[1])
    hess = dn.hessian(g, list(point))
    for v in ([1.0, 0.0], [0.0, 1.0], [0.3, -1.7]):
        value, grad, product = dn.value_gradient_and_hvp(g, list(point), v)
        assert value == dn.value_gradient_and_hessian(g, list(point))[0]
        np.testing.assert_allclose(product, hess @ np.array(v), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(grad, dn.gradient(g, list(point)), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("n", [1, 2, 10, 100])
def test_hvp_of_numpy_rosenbrock(n):
    x = (np.arange(n) % 7) / 7 - 0.3
    v = np.cos(np.arange(n))
    value, grad, product = dn.value_gradient_and_hvp(rosenbrock, x, v)
    assert value == pytest.approx(rosenbrock(x), rel=1e-15)
    np.testing.assert_allclose(product, rosenbrock_hessian(x) @ v, rtol=1e-13, atol=1e-11)
    np.testing.assert_allclose(grad, dn.gradient(rosenbrock, x), rtol=1e-14, atol=1e-13)


def test_hvp_shapes_and_errors():
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    direction = np.array([[1.0, 0.0], [0.0, -1.0]])
    det = lambda a: a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
    product = dn.hvp(det, m, direction)
    assert product.shape == (2, 2)
    want = np.tensordot(dn.hessian(det, m), direction, axes=2)
    np.testing.assert_array_equal(product, want)
    assert dn.hvp(lambda t: t ** 3, 2.0, 1.5) == pytest.approx(18.0)
    with pytest.raises(ValueError, match="shape"):
        dn.hvp(det, m, [1.0, 2.0])
    with pytest.raises(ValueError, match="real number"):
        dn.hvp(lambda v: v * 2, [1.0, 2.0], [1.0, 0.0])
    # an infinite direction propagates like floats: d/dv det = [[v11, -v10], [-v01, v00]]
    # (inf * 0 is nan in floats, so entries may be nan rather than 0)
    product = dn.hvp(det, m, [[math.inf, 0.0], [0.0, 1.0]])
    assert not np.isfinite(product).all()
    # nested: the inner Hessian is 2 v0**3, whose second derivative along v = 1 is 12 v0
    assert dn.hvp(lambda v: dn.hessian(lambda w: v[0] ** 3 * w[0] ** 2, [1.0])[0, 0],
                  [2.0], [1.0]).tolist() == [24.0]


def test_dual2_from_hvp():
    captured = []
    dn.hvp(lambda v: captured.append(v[0] * v[1]) or v[0], [2.0, 3.0], [1.0, -1.0])
    d = captured[0]
    assert d.gradient == (3.0, 2.0)
    assert d.hvp == (1.0, (-1.0, 1.0))                 # v . grad, H v with H = [[0, 1], [1, 0]]
    with pytest.raises(ValueError, match="hvp"):
        d.hessian
    with pytest.raises(ValueError, match="hessian"):
        Dual2(1.0, [1.0]).hvp
    back = pickle.loads(pickle.dumps(d))
    assert back.hvp == d.hvp and back.gradient == d.gradient
    assert "H v" in repr(d)


# ---------------------------------------------------------------- issue 12, items 9 and 16

def _alpine02(x):
    return np.prod(np.sqrt(x) * np.sin(x))


def _griewank(x):
    i = np.arange(1.0, x.size + 1)
    return 1 + np.sum(x ** 2) / 4000 - np.prod(np.cos(x / np.sqrt(i)))


def _shubert01(x):
    j = np.atleast_2d(np.arange(1, 6)).T
    return np.prod(np.sum(j * np.cos((j + 1) * x + j), axis=0))


def _xinsheyang03(x):
    u = np.sum((x / 15.0) ** 10)
    return np.exp(-u) - 2 * np.exp(-np.sum(x ** 2)) * np.prod(np.cos(x) ** 2)


@pytest.mark.parametrize("f", [_alpine02, _griewank, _shubert01, _xinsheyang03,
                               lambda y: np.prod(np.cos(y))],
                         ids=["Alpine02", "Griewank", "Shubert01", "XinSheYang03", "prod cos"])
def test_block_passes_beyond_64_variables_on_the_object_path(f):
    # unmodified scipy global-optimisation benchmark functions at n = 100: the
    # compiled array declines (prod), the block passes leave the other blocks'
    # variables as floats, which numpy's object loops cannot take a cos of
    n = 100 if f is not _alpine02 else 66
    x = np.linspace(0.2, 1.1, n)
    hess = dn.hessian(f, x)
    h = 1e-6                                  # central differences of the gradient
    reference = np.array([(dn.gradient(f, x + h * e) - dn.gradient(f, x - h * e)) / (2 * h)
                          for e in np.eye(n)])
    scale = np.abs(reference).max()
    np.testing.assert_allclose(hess, reference, rtol=1e-5, atol=1e-6 * scale)
    np.testing.assert_array_equal(hess, hess.T)


def test_unsupported_functions_on_the_object_path_are_named():
    # (np.linalg runs on the compiled array since issue 15, except qr's raw mode,
    # which is named there: the object path cannot run np.linalg either)
    with pytest.raises(TypeError, match="numpy.linalg.qr"):
        dn.hessian(lambda y: np.sum(np.linalg.qr(y.reshape(2, 2), mode="raw")[0]),
                   np.array([1.0, 2.0, 3.0, 4.0]))


# --------------------------------------------------------------------------- #
# entries above sqrt(DBL_MAX) = 1.34e154: a term f'' g_i g_j whose g_i g_j
# overflows must not give 0 * inf = nan where f'' = 0 (product, division by a
# constant, sum), in every Hessian route
# --------------------------------------------------------------------------- #
def _big_product(y):
    return 1e155 * y[0] * y[1]


def _big_quadratic(y):
    return 1e155 * np.sum(y ** 2) / 2


def _schwefel_2_22(x):          # the benchmark function, unmodified
    return np.sum(np.abs(x)) + np.prod(np.abs(x))


def _schwefel_hessian(x):
    """Exact: off the diagonal prod|x| / (x_i x_j) (with signs), 0 on it."""
    n = len(x)
    hess = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                others = [abs(int(x[k])) for k in range(n) if k not in (i, j)]
                hess[i, j] = float(math.prod(others)) * np.sign(x[i]) * np.sign(x[j])
    return hess


BIG_HESSIANS = [
    pytest.param(_big_product, np.array([1.0, 1.0]), np.array([[0.0, 1e155], [1e155, 0.0]]),
                 id="product"),
    pytest.param(_big_quadratic, np.array([1.0, 2.0]), 1e155 * np.eye(2), id="sum-of-squares"),
]


@pytest.mark.parametrize("f, x, want", BIG_HESSIANS)
def test_hessian_entries_above_sqrt_dbl_max(f, x, want):
    np.testing.assert_array_equal(dn.hessian(f, x), want)
    value, grad, hess = dn.value_gradient_and_hessian(f, x)
    np.testing.assert_array_equal(hess, want)
    np.testing.assert_array_equal(dn.hessian(lambda a, b: f(np.array([a, b])), (x[0], x[1]),
                                             argnums=(0, 1)), want)
    np.testing.assert_array_equal(dn.hessian(f, x, sparsity=np.ones((2, 2), bool)), want)
    v = np.array([1.0, -1.0])
    np.testing.assert_array_equal(dn.hvp(f, x, v), want @ v)
    # the object-array path of Dual2s (taken when f needs more of numpy)
    np.testing.assert_array_equal(hessian_module._object_hessian(f, x)[2], want)
    # jacobian(gradient) was right all along: the same numbers
    np.testing.assert_array_equal(dn.jacobian(lambda y: dn.gradient(f, y), x), want)


def test_dual2_entries_above_sqrt_dbl_max():
    x = Dual2(1.0, [1e155, 0.0])
    y = Dual2(1.0, [0.0, 1.0])
    np.testing.assert_array_equal((x * y).hessian, [[0.0, 1e155], [1e155, 0.0]])
    np.testing.assert_array_equal((x / 2.0).hessian, [[0.0, 0.0], [0.0, 0.0]])
    # a nonzero f'' = -1e-40 with g_i g_j = 1e310: f'' g_i g_j = -1e270 is in range
    z = Dual2(1e20, [1e155, 0.0])
    assert dn.log(z).hessian[0][0] == pytest.approx(-1e270, rel=1e-15)


def test_schwefel_2_22_hessian_at_n_100():
    x = np.array([40.0 if i % 3 else -40.0 for i in range(100)])
    assert 40.0 ** 99 > 1.4e154                 # gradient entries 40**99 = 1e158: squares overflow
    want = _schwefel_hessian(x)
    np.testing.assert_allclose(dn.hessian(_schwefel_2_22, x), want, rtol=1e-13)
