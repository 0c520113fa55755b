"""A corpus of numpy-written functions through every API function.

Each corpus function is plain numpy code (no dualnum calls), so the same
``f`` runs on the DualArray the API passes in and on ordinary float arrays;
the second gives the reference value and the finite differences.  Every case
carries its Jacobian written out with plain numpy formulas (never through
dualnum), with shape ``f(x).shape + x.shape`` (``x.shape`` for a scalar f).

Derivatives are checked three ways: against the analytic reference
(rtol 1e-12), against central differences of f on plain arrays (h = 1e-6,
rtol 1e-6), and, for functions that accept complex input and are analytic
there, against the complex-step derivative (exact to rounding, rtol 1e-12).
Values must equal f on plain arrays to 1e-15 relative.

Points sit at least 1e-3 away from every kink (clip bounds, ``where``
conditions, ties of ``max``/``sort``, interpolation knots), so the finite
differences see one smooth piece.  Sizes include n >= 96 (the API's sparse
one-pass range) and n > 128 (more than one dense chunk).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import dualnum as dn

# every test runs with dense chunked and with sparse one-pass seeding
pytestmark = pytest.mark.usefixtures("seeding")

RTOL = 1e-12          # AD against the analytic reference / complex step
VALUE_RTOL = 1e-15    # returned value against f on plain arrays
FD_STEP = 1e-6
FD_RTOL = 1e-6
CS_STEP = 1e-30       # complex step: no subtraction, so any tiny step works


# --------------------------------------------------------------------------- #
# comparison helpers
# --------------------------------------------------------------------------- #
def close(actual, expected, rtol=RTOL):
    # absolute slack scaled to the largest entry, for entries that are 0 or
    # nearly so (cancellation in the reference or in the AD result)
    expected = np.asarray(expected, dtype=float)
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


def same_value(actual, f_plain):
    # the value the API returns is f on the plain point: exact, or to 1e-15
    expected = np.asarray(f_plain, dtype=float)
    assert np.shape(actual) == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=VALUE_RTOL, atol=0)


def central_difference(f, x, h=FD_STEP):
    """J[..., idx] = (f(x + h e_idx) - f(x - h e_idx)) / 2h, on plain arrays."""
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(f(x.copy()), dtype=float)
    jac = np.zeros(f0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        jac[(Ellipsis,) + idx] = (np.asarray(f(xp), dtype=float)
                                  - np.asarray(f(xm), dtype=float)) / (2 * h)
    return jac


def complex_step(f, x, h=CS_STEP):
    """J[..., idx] = Im f(x + i h e_idx) / h (f analytic, real on real input)."""
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(f(x.astype(complex)))
    jac = np.zeros(f0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        xc = x.astype(complex)
        xc[idx] += 1j * h
        jac[(Ellipsis,) + idx] = np.imag(f(xc)) / h
    return jac


def diagonal_jacobian(d):
    """The Jacobian of an elementwise function with elementwise derivative d."""
    d = np.asarray(d, dtype=float)
    jac = np.zeros(d.shape + d.shape)
    for idx in np.ndindex(*d.shape):
        jac[idx + idx] = d[idx]
    return jac


def seeded_direction(shape, seed=0):
    # a direction with no special structure (jvp)
    return np.random.default_rng(1000 + seed).uniform(-1.0, 1.0, shape)


# --------------------------------------------------------------------------- #
# the corpus
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[[Any], Any]
    x: np.ndarray
    jac: np.ndarray                 # analytic: f(x).shape + x.shape
    elementwise: np.ndarray | None = None   # analytic f'(x) for elementwise f
    holomorphic: bool = False       # f accepts complex input (complex-step check)

    @property
    def scalar(self):
        return self.jac.shape == self.x.shape and np.ndim(self.f(self.x.copy())) == 0

    def __repr__(self):
        return self.name


RNG = np.random.default_rng(20261127)


def well_conditioned(n, shift=3.0):
    # diagonally dominant enough that inv/solve/det are accurate to ~1e-15
    return shift * np.eye(n) + RNG.uniform(-0.5, 0.5, (n, n))


def distinct_points(n, lo=-2.0, hi=2.0):
    # shuffled, pairwise at least (hi - lo) / n apart: no ties for sort/max
    return RNG.permutation(np.linspace(lo, hi, n))


def softmax_ref(z):
    e = np.exp(z - z.max())
    return e / e.sum()


X3 = np.array([[2.0, -0.5, 0.3],
               [0.4, 1.5, -0.7],
               [-0.2, 0.6, 1.8]])
X10 = well_conditioned(10)             # a 100-variable matrix point
X34 = np.array([[0.5, -1.2, 2.0, 0.3],
                [1.1, 0.7, -0.4, 1.6],
                [-0.9, 0.25, 1.3, -2.1]])
A4 = np.array([[2.0, -1.0, 0.5, 0.3],
               [0.3, 1.5, -2.0, 0.8],
               [1.0, 0.25, 3.0, -0.6],
               [-0.7, 0.4, 0.9, 1.2]])          # not symmetric
A100 = RNG.standard_normal((100, 100))           # not symmetric
A54 = np.array([[0.3, -0.2, 0.5, 0.1],
                [0.4, 0.1, -0.3, 0.2],
                [-0.5, 0.6, 0.2, -0.1],
                [0.2, 0.3, 0.4, 0.5],
                [0.1, -0.4, -0.2, 0.3]])
KNOTS = np.array([-2.0, -0.5, 0.3, 1.0, 2.5])
KNOT_VALUES = np.array([1.0, -0.4, 0.8, 0.1, 2.0])


# ---- the functions (numpy only, so they run on DualArrays and on floats)

def det(X):
    return np.linalg.det(X)


def trace_of_square(X):
    return np.trace(X @ X)


def frobenius(X):
    return np.linalg.norm(X)


def logsumexp(x):
    m = np.max(x)                 # max subtraction, as written for overflow safety
    return m + np.log(np.sum(np.exp(x - m)))


def sum_of_inverse(X):
    return np.sum(np.linalg.inv(X))


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def leaky_relu(x):
    return np.where(x > 0, x, 0.1 * x)


def pairwise_sq(x):
    return np.sum((x[:, None] - x[None, :]) ** 2)


def row_normalise(X):
    return X / X.sum(axis=1, keepdims=True)


def write_into_copy(x):
    y = x.copy()                  # the ndarray method
    y[1] = x[0] * 2
    return y


def copy_leaves_x_alone(x):
    y = x.copy()
    y[1] = x[0] * 2
    return y + x                  # x[1] must still be x_1 (value and tangent)


def write_into_np_copy(x):
    y = np.copy(x)                # the numpy function
    y[1] = x[0] * 2
    return y


def neighbour_products(x):
    # scalar style: every x[i] is a scalar Dual
    return sum(x[i] * x[i + 1] for i in range(len(x) - 1))


def _cases():
    c = []

    def add(name, f, x, jac, **kw):
        c.append(Case(name, f, np.asarray(x, dtype=float), np.asarray(jac, dtype=float), **kw))

    # ------------------------------------------------------------ matrix -> number
    for name, X in (("3x3", X3), ("10x10", X10)):
        # d det / dX = det(X) inv(X)^T (Jacobi's formula)
        add(f"det_{name}", det, X, np.linalg.det(X) * np.linalg.inv(X).T, holomorphic=True)
        # d tr(X X) / dX = 2 X^T
        add(f"trace_X_squared_{name}", trace_of_square, X, 2 * X.T, holomorphic=True)
        # d sum(inv X) / dX_jk = -(1^T inv X)_j (inv X 1)_k
        Xi = np.linalg.inv(X)
        add(f"sum_inv_{name}", sum_of_inverse, X,
            -np.outer(Xi.sum(axis=0), Xi.sum(axis=1)), holomorphic=True)
    for name, X in (("3x4", X34), ("10x10", X10)):
        # d ||X||_F / dX = X / ||X||_F
        add(f"frobenius_{name}", frobenius, X, X / np.sqrt(np.sum(X * X)))
    for name, x in (("n5", np.array([0.1, -0.7, 1.3, 0.4, -2.0])),
                    ("n120", distinct_points(120)),
                    ("3x4", X34)):
        # the gradient of log-sum-exp is the softmax of all entries
        e = np.exp(x - x.max())
        add(f"logsumexp_{name}", logsumexp, x, e / e.sum())
    x4 = np.array([0.5, -1.25, 2.0, 0.75])
    x100 = RNG.uniform(-1.0, 1.0, 100)
    # x.Ax with A not symmetric: gradient (A + A^T) x, in several spellings
    add("quadratic_matmul_n4", lambda x: x @ A4 @ x, x4, (A4 + A4.T) @ x4, holomorphic=True)
    add("quadratic_matmul_n100", lambda x: x @ A100 @ x, x100, (A100 + A100.T) @ x100,
        holomorphic=True)
    add("quadratic_einsum_n4", lambda x: np.einsum("i,ij,j->", x, A4, x), x4,
        (A4 + A4.T) @ x4, holomorphic=True)
    add("quadratic_dot_n4", lambda x: np.dot(x, np.dot(A4, x)), x4, (A4 + A4.T) @ x4,
        holomorphic=True)
    add("quadratic_inner_n4", lambda x: np.inner(np.tensordot(A4, x, axes=1), x), x4,
        (A4 + A4.T) @ x4, holomorphic=True)
    # sum of squares over both axes: gradient 2X
    add("sum_sq_axes01_3x4", lambda X: np.sum(X ** 2, axis=(0, 1)), X34, 2 * X34,
        holomorphic=True)
    # trapezoid rule of x^2 with spacing h: weights h/2, h, ..., h, h/2 times 2x
    xt = np.array([0.2, -0.4, 1.1, 0.9, -1.3, 0.6])
    w = np.full(6, 0.25)
    w[[0, -1]] = 0.125
    add("trapezoid_sq_n6", lambda x: np.trapezoid(x ** 2, dx=0.25), xt, 2 * w * xt,
        holomorphic=True)

    # ------------------------------------------------------------ vector -> vector
    for name, x in (("n5", np.array([0.1, -0.7, 1.3, 0.4, -2.0])),
                    ("n120", distinct_points(120))):
        s = softmax_ref(x)
        # softmax Jacobian: diag(s) - s s^T
        add(f"softmax_{name}", softmax, x, np.diag(s) - np.outer(s, s))
    for n in (6, 100, 150):
        x = RNG.uniform(-1.0, 1.0, n)
        # cumsum: y_i = sum_{j <= i} x_j, lower triangle of ones
        add(f"cumsum_n{n}", np.cumsum, x, np.tril(np.ones((n, n))), holomorphic=True)
    x = RNG.uniform(-1.0, 1.0, 7)
    # diff: y_i = x_{i+1} - x_i
    add("diff_n7", np.diff, x, np.eye(7, k=1)[:6] - np.eye(7)[:6], holomorphic=True)
    for n in (8, 100):
        x = distinct_points(n)
        perm = np.zeros((n, n))
        perm[np.arange(n), np.argsort(x)] = 1.0     # y_i = x_{order[i]}
        add(f"sort_n{n}", np.sort, x, perm)
    x = np.array([0.3, -1.1, 0.8, 2.0])
    t = np.tanh(A54 @ x)
    # y = tanh(A x): J = diag(1 - y^2) A, with A 5x4 (m != n)
    add("tanh_matvec_5x4", lambda x: np.tanh(A54 @ x), x, (1 - t ** 2)[:, None] * A54,
        holomorphic=True)
    for n in (4, 100):
        A = A4 if n == 4 else well_conditioned(100, shift=8.0)
        # x -> A^{-1} x is linear: J = A^{-1}
        add(f"solve_n{n}", lambda x, A=A: np.linalg.solve(A, x), RNG.uniform(-1, 1, n),
            np.linalg.inv(A), holomorphic=True)

    # elementwise functions (derivative on arrays gives f'(x))
    xe = np.array([-1.7, -0.62, -0.2, 0.05, 0.31, 0.69, 1.4])
    d = ((xe > -0.5) & (xe < 0.7)).astype(float)
    add("clip_n7", lambda x: np.clip(x, -0.5, 0.7), xe, np.diag(d), elementwise=d)
    xe120 = np.linspace(-1.5, 1.5, 120)          # no point within 7e-3 of a bound
    d = ((xe120 > -0.5) & (xe120 < 0.7)).astype(float)
    add("clip_n120", lambda x: np.clip(x, -0.5, 0.7), xe120, np.diag(d), elementwise=d)
    d = np.where(xe > 0, 1.0, 0.1)
    add("leaky_relu_where_n7", leaky_relu, xe, np.diag(d), elementwise=d)
    d = (xe > 0.3).astype(float)
    add("maximum_0.3_n7", lambda x: np.maximum(x, 0.3), xe, np.diag(d), elementwise=d)
    # piecewise linear through fixed knots: the slope of the segment holding x,
    # 0 outside the knots (np.interp is constant there)
    xi = np.array([-2.7, -1.3, -0.1, 0.55, 1.9, 3.1])
    slopes = np.diff(KNOT_VALUES) / np.diff(KNOTS)
    seg = np.searchsorted(KNOTS, xi) - 1
    d = np.where((xi > KNOTS[0]) & (xi < KNOTS[-1]), slopes[np.clip(seg, 0, 3)], 0.0)
    add("interp_knots_n6", lambda x: np.interp(x, KNOTS, KNOT_VALUES), xi, np.diag(d),
        elementwise=d)
    d = np.cos(X34) * np.exp(-X34 ** 2) - 2 * X34 * np.sin(X34) * np.exp(-X34 ** 2)
    add("sin_gauss_3x4", lambda X: np.sin(X) * np.exp(-X ** 2), X34, diagonal_jacobian(d),
        elementwise=d, holomorphic=True)
    X = np.array([[-1.2, 0.4, 0.9], [0.1, 1.5, -0.3]])
    d = ((X > -0.5) & (X < 0.7)).astype(float)
    add("clip_2x3", lambda X: np.clip(X, -0.5, 0.7), X, diagonal_jacobian(d), elementwise=d)

    # ------------------------------------------------------------ broadcasting
    for n in (6, 100):
        x = RNG.uniform(-1.0, 1.0, n)
        # sum_ij (x_i - x_j)^2: gradient 4 (n x_k - sum x)
        add(f"pairwise_sq_n{n}", pairwise_sq, x, 4 * (n * x - x.sum()), holomorphic=True)
    wc = np.array([1.5, -0.5, 2.0])
    x = np.array([0.4, -1.1, 0.7, 2.2])
    # y_ij = x_i w_j: J[i, j, k] = delta_ik w_j
    jac = np.zeros((4, 3, 4))
    for i in range(4):
        jac[i, :, i] = wc
    add("outer_const_w_4x3", lambda x: x[:, None] * wc[None, :], x, jac, holomorphic=True)
    add("outer_const_w_ravel", lambda x: np.ravel(x[:, None] * wc[None, :]), x,
        jac.reshape(12, 4), holomorphic=True)
    for name, X in (("3x4", np.abs(X34) + 0.2), ("12x10", RNG.uniform(0.5, 2.0, (12, 10)))):
        # Y_ij = X_ij / S_i, S_i = sum_l X_il:
        # dY_ij / dX_kl = delta_ik (delta_jl / S_i - X_ij / S_i^2)
        r, cols = X.shape
        S = X.sum(axis=1)
        jac = np.zeros((r, cols, r, cols))
        for i in range(r):
            for j in range(cols):
                jac[i, j, i, :] = -X[i, j] / S[i] ** 2
                jac[i, j, i, j] += 1 / S[i]
        add(f"row_normalise_{name}", row_normalise, X, jac, holomorphic=True)

    # ------------------------------------------------------------ reductions over axes
    r, cols = X34.shape
    jac = np.zeros((cols, r, cols))
    for j in range(cols):
        jac[j, :, j] = 1.0                      # y_j = sum_i X_ij
    add("sum_axis0_3x4", lambda X: X.sum(axis=0), X34, jac, holomorphic=True)
    jac = np.zeros((r, r, cols))
    for i in range(r):
        jac[i, i, :] = 1.0 / cols               # y_i = mean_j X_ij
    add("mean_axis1_3x4", lambda X: np.mean(X, axis=1), X34, jac, holomorphic=True)
    jac = np.zeros((cols, r, cols))
    P = np.prod(X34, axis=0)
    for j in range(cols):
        jac[j, :, j] = P[j] / X34[:, j]         # prod of the others (no zero entries)
    add("prod_axis0_3x4", lambda X: np.prod(X, axis=0), X34, jac, holomorphic=True)
    jac = np.zeros((r, r, cols))
    for i in range(r):
        jac[i, i, np.argmax(X34[i])] = 1.0      # distinct values: one winner per row
    add("max_axis1_3x4", lambda X: np.max(X, axis=1), X34, jac)
    jac = np.zeros((cols, r, cols))
    for j in range(cols):
        jac[j, np.argmin(X34[:, j]), j] = 1.0
    add("amin_axis0_3x4", lambda X: np.amin(X, axis=0), X34, jac)

    # ------------------------------------------------------------ indexing
    x = np.array([0.4, -1.1, 0.7, 2.2, -0.3])
    add("repeated_index", lambda x: x[[2, 0, 2]], x, np.eye(5)[[2, 0, 2]], holomorphic=True)
    add("take_repeated", lambda x: np.take(x, [4, 1, 1, 3]), x, np.eye(5)[[4, 1, 1, 3]],
        holomorphic=True)
    add("boolean_mask", lambda x: x[x > 0], x, np.eye(5)[x > 0])
    idx, idx2 = np.array([0, 3, 2, 4]), np.array([1, 3, 0, 2])
    jac = np.zeros((4, 5))
    for r_, (a, b) in enumerate(zip(idx, idx2)):
        jac[r_, a] += x[b]                      # product rule; a == b gives 2 x_a
        jac[r_, b] += x[a]
    add("fancy_product", lambda x: x[idx] * x[idx2], x, jac, holomorphic=True)
    jac = np.zeros((3, 2, 3, 4))
    for i in range(3):
        jac[i, 0, i, 2] = jac[i, 1, i, 0] = 1.0     # columns 2 and 0 of each row
    add("take_axis1_3x4", lambda X: np.take(X, [2, 0], axis=1), X34, jac, holomorphic=True)
    jac = np.eye(5)
    jac[1] = 0.0
    jac[1, 0] = 2.0                             # y_1 = 2 x_0 overwrites x_1
    add("write_into_copy", write_into_copy, x, jac, holomorphic=True)
    add("write_into_np_copy", write_into_np_copy, x, jac, holomorphic=True)
    add("copy_leaves_x_alone", copy_leaves_x_alone, x, jac + np.eye(5), holomorphic=True)
    for n in (5, 130):
        x = RNG.uniform(-1.0, 1.0, n)
        g = np.zeros(n)
        g[:-1] += x[1:]                         # d/dx_k sum x_i x_{i+1} = x_{k-1} + x_{k+1}
        g[1:] += x[:-1]
        add(f"neighbour_products_loop_n{n}", neighbour_products, x, g, holomorphic=True)

    # ------------------------------------------------------------ joining
    x = np.array([0.4, -1.1, 0.7, 2.2])
    # [x_1 x_0, x_2 x_1, x_3 x_2, exp x_0, exp x_1]
    jac = np.zeros((5, 4))
    for i in range(3):
        jac[i, i], jac[i, i + 1] = x[i + 1], x[i]
    jac[3, 0], jac[4, 1] = np.exp(x[0]), np.exp(x[1])
    add("concatenate_products_exp",
        lambda x: np.concatenate([x[1:] * x[:-1], np.exp(x[:2])]), x, jac, holomorphic=True)
    # rows x and x^2: J[0] = I, J[1] = diag(2x)
    add("stack_x_x2", lambda x: np.stack([x, x ** 2]), x,
        np.stack([np.eye(4), np.diag(2 * x)]), holomorphic=True)
    return c


CASES = _cases()
SCALAR_CASES = [c for c in CASES if c.scalar]
VECTOR_CASES = [c for c in CASES if not c.scalar]
ELEMENTWISE_CASES = [c for c in CASES if c.elementwise is not None]
HOLOMORPHIC_CASES = [c for c in CASES if c.holomorphic]
# sparsity= needs a 1-D point and a 1-D result
SPARSITY_CASES = [c for c in VECTOR_CASES if c.x.ndim == 1 and c.jac.ndim == 2]


def cases(selection):
    return pytest.mark.parametrize("case", selection, ids=[c.name for c in selection])


def test_corpus_covers_both_size_ranges():
    # small n (dense tangents) and n >= 96 (the sparse one-pass range) both occur,
    # for scalar and vector outputs, as does n > 128 (more than one dense chunk)
    sizes_scalar = [c.x.size for c in SCALAR_CASES]
    sizes_vector = [c.x.size for c in VECTOR_CASES]
    assert min(sizes_scalar) < 10 and max(sizes_scalar) >= 96
    assert min(sizes_vector) < 10 and max(sizes_vector) > 128
    assert any(c.x.ndim == 2 and c.x.size >= 96 for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)


def test_seeding_reaches_f(seeding):
    # the two seedings really differ: f gets sparse tangents in the one-pass mode
    seen = []

    def f(x):
        seen.append(x.sparse_tangent is not None)
        return np.sum(x ** 2)

    close(dn.gradient(f, X34), 2 * X34)
    assert seen == [seeding == "sparse one pass"]


# --------------------------------------------------------------------------- #
# the references themselves (no dualnum): analytic == finite differences
# --------------------------------------------------------------------------- #
@cases(CASES)
def test_reference_matches_finite_differences(case):
    # guards the hand-derived Jacobians, so a failure below is dualnum's
    close(central_difference(case.f, case.x), case.jac, rtol=FD_RTOL)


# --------------------------------------------------------------------------- #
# gradient / value_and_gradient (scalar outputs)
# --------------------------------------------------------------------------- #
@cases(SCALAR_CASES)
def test_gradient(case):
    g = dn.gradient(case.f, case.x)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64
    assert g.shape == case.x.shape              # also for matrix points
    close(g, case.jac)


@cases(SCALAR_CASES)
def test_value_and_gradient(case):
    v, g = dn.value_and_gradient(case.f, case.x)
    assert type(v) is float
    same_value(v, case.f(case.x.copy()))
    assert g.shape == case.x.shape
    close(g, case.jac)


@cases(SCALAR_CASES)
def test_gradient_matches_finite_differences(case):
    close(dn.gradient(case.f, case.x), central_difference(case.f, case.x), rtol=FD_RTOL)


@cases(SCALAR_CASES)
def test_jacobian_of_scalar_function_is_the_gradient(case):
    v, J = dn.value_and_jacobian(case.f, case.x)
    same_value(v, case.f(case.x.copy()))
    assert J.shape == case.x.shape              # f(x).shape == ()
    close(J, case.jac)


# --------------------------------------------------------------------------- #
# jacobian / value_and_jacobian (vector outputs)
# --------------------------------------------------------------------------- #
@cases(VECTOR_CASES)
def test_jacobian(case):
    J = dn.jacobian(case.f, case.x)
    assert isinstance(J, np.ndarray) and J.dtype == np.float64
    assert J.shape == np.shape(case.f(case.x.copy())) + case.x.shape
    close(J, case.jac)


@cases(VECTOR_CASES)
def test_value_and_jacobian(case):
    v, J = dn.value_and_jacobian(case.f, case.x)
    assert isinstance(v, np.ndarray) and v.dtype == np.float64
    same_value(v, case.f(case.x.copy()))
    close(J, case.jac)


@cases(VECTOR_CASES)
def test_jacobian_matches_finite_differences(case):
    close(dn.jacobian(case.f, case.x), central_difference(case.f, case.x), rtol=FD_RTOL)


@cases(HOLOMORPHIC_CASES)
def test_jacobian_matches_complex_step(case):
    # complex step has no cancellation: AD must agree to rounding
    close(dn.jacobian(case.f, case.x), complex_step(case.f, case.x))


# --------------------------------------------------------------------------- #
# jvp: J @ v in one evaluation
# --------------------------------------------------------------------------- #
@cases(CASES)
def test_jvp(case):
    v = seeded_direction(case.x.shape)
    value, tangent = dn.jvp(case.f, case.x, v)
    same_value(value, case.f(case.x.copy()))
    expected = np.tensordot(case.jac, v, axes=case.x.ndim)
    if case.scalar:
        assert type(value) is float and type(tangent) is float
    else:
        assert tangent.shape == expected.shape
    close(tangent, expected)


@cases(CASES)
def test_jvp_matches_finite_difference_along_v(case):
    # directional central difference (f(x + h v) - f(x - h v)) / 2h
    v = seeded_direction(case.x.shape, seed=1)
    _, tangent = dn.jvp(case.f, case.x, v)
    fd = (np.asarray(case.f(case.x + FD_STEP * v), dtype=float)
          - np.asarray(case.f(case.x - FD_STEP * v), dtype=float)) / (2 * FD_STEP)
    close(tangent, fd, rtol=FD_RTOL)


# --------------------------------------------------------------------------- #
# derivative on arrays: the elementwise derivative
# --------------------------------------------------------------------------- #
@cases(ELEMENTWISE_CASES)
def test_derivative_elementwise(case):
    d = dn.derivative(case.f, case.x)
    assert isinstance(d, np.ndarray) and d.shape == case.x.shape
    close(d, case.elementwise)


@cases(ELEMENTWISE_CASES)
def test_value_and_derivative_elementwise(case):
    v, d = dn.value_and_derivative(case.f, case.x)
    same_value(v, case.f(case.x.copy()))
    close(d, case.elementwise)
    # the elementwise derivative is the diagonal of the full Jacobian
    J = dn.jacobian(case.f, case.x)
    close(d, J.reshape(case.x.size, case.x.size).diagonal().reshape(case.x.shape))


# --------------------------------------------------------------------------- #
# sparsity="auto" (1-D vector functions): one traced pass gives J
# --------------------------------------------------------------------------- #
@cases(SPARSITY_CASES)
def test_jacobian_sparsity_auto_dense(case):
    v, J = dn.value_and_jacobian(case.f, case.x, sparsity="auto")
    same_value(v, case.f(case.x.copy()))
    assert isinstance(J, np.ndarray) and J.shape == case.jac.shape
    close(J, case.jac)


@cases(SPARSITY_CASES)
def test_jacobian_sparsity_auto_sparse_output(case):
    import scipy.sparse
    v, J = dn.value_and_jacobian(case.f, case.x, sparsity="auto", sparse_output=True)
    same_value(v, case.f(case.x.copy()))
    assert isinstance(J, scipy.sparse.csr_array) and J.shape == case.jac.shape
    close(J.toarray(), case.jac)
    # every structural nonzero of the reference is among the stored entries
    stored = np.zeros(J.shape, dtype=bool)
    coo = J.tocoo()
    stored[coo.row, coo.col] = True
    assert not np.any((case.jac != 0) & ~stored)


# the cases whose pattern can be traced (elementwise, indexing, concatenate):
# detect_sparsity raises for the others (matrix products, axis reductions, ...)
TRACEABLE = {"clip_n7", "clip_n120", "maximum_0.3_n7", "repeated_index", "boolean_mask",
             "fancy_product", "concatenate_products_exp"}


@cases(SPARSITY_CASES)
def test_jacobian_explicit_pattern(case):
    # the analytic nonzeros as the pattern: one pass with one direction per colour
    import scipy.sparse
    pattern = dn.SparsityPattern(case.jac != 0)
    v, J = dn.value_and_jacobian(case.f, case.x, sparsity=pattern)
    same_value(v, case.f(case.x.copy()))
    close(J, case.jac)
    Js = dn.jacobian(case.f, case.x, sparsity=case.jac != 0, sparse_output=True)
    assert isinstance(Js, scipy.sparse.csr_array)
    close(Js.toarray(), case.jac)


@cases([c for c in SPARSITY_CASES if c.name in TRACEABLE])
def test_detect_sparsity_then_coloured_jacobian(case):
    pattern = dn.detect_sparsity(case.f, case.x)
    assert pattern.shape == case.jac.shape
    traced = np.zeros(case.jac.shape, dtype=bool)
    traced[pattern.rows, pattern.cols] = True
    assert not np.any((case.jac != 0) & ~traced)     # structural: covers every nonzero
    close(dn.jacobian(case.f, case.x, sparsity=pattern), case.jac)


def test_traceable_names_exist():
    assert TRACEABLE <= {c.name for c in SPARSITY_CASES}


# --------------------------------------------------------------------------- #
# argnums: two-argument variants
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class ArgCase:
    name: str
    f: Callable[..., Any]
    args: tuple
    blocks: dict                    # argument index -> analytic block
    argnums: tuple                  # the argnums values to run

    def __repr__(self):
        return self.name


def _arg_cases():
    c = []
    x = np.array([0.5, -1.25, 2.0, 0.75])
    # x.Ax: d/dx = (A + A^T) x, d/dA = x x^T
    c.append(ArgCase("quadratic_x_A", lambda x, A: x @ A @ x, (x, A4),
                     {0: (A4 + A4.T) @ x, 1: np.outer(x, x)},
                     (0, 1, (0, 1), (1, 0))))
    x100 = RNG.uniform(-1.0, 1.0, 100)
    # only x seeded (100 variables), the 100x100 A held constant
    c.append(ArgCase("quadratic_x_A_n100", lambda x, A: x @ A @ x, (x100, A100),
                     {0: (A100 + A100.T) @ x100}, (0, (0,))))
    B3 = np.array([[1.2, 0.3, -0.4], [0.1, -0.9, 0.5], [0.6, 0.2, 1.4]])
    dAB = np.linalg.det(X3) * np.linalg.det(B3)
    # det(AB) = det A det B: d/dA = det(AB) inv(A)^T, d/dB = det(AB) inv(B)^T
    c.append(ArgCase("det_of_product", lambda A, B: np.linalg.det(A @ B), (X3, B3),
                     {0: dAB * np.linalg.inv(X3).T, 1: dAB * np.linalg.inv(B3).T},
                     (0, 1, (0, 1))))
    b = np.array([0.3, -0.8, 1.1, 0.2])
    Ai = np.linalg.inv(A4)
    sol = Ai @ b
    # x = A^{-1} b: dx_i/db = inv(A), dx_i/dA_jk = -inv(A)_ij x_k
    c.append(ArgCase("solve_A_b", lambda A, b: np.linalg.solve(A, b), (A4, b),
                     {0: -np.einsum("ij,k->ijk", Ai, sol), 1: Ai},
                     (0, 1, (0, 1))))
    xw, w = np.array([0.4, -1.1, 0.7]), np.array([1.5, -0.5])
    jx, jw = np.zeros((3, 2, 3)), np.zeros((3, 2, 2))
    for i in range(3):
        for j in range(2):
            jx[i, j, i] = w[j]                  # y_ij = x_i w_j
            jw[i, j, j] = xw[i]
    c.append(ArgCase("outer_x_w", lambda x, w: x[:, None] * w[None, :], (xw, w),
                     {0: jx, 1: jw}, (0, 1, (0, 1))))
    xs, T = np.array([0.1, -0.7, 1.3, 0.4]), 0.8
    s = softmax_ref(xs / T)
    Js = np.diag(s) - np.outer(s, s)
    # y = softmax(x / T): d/dx = Js / T, d/dT = Js (-x / T^2); T is a scalar argument
    c.append(ArgCase("softmax_temperature", lambda x, T: softmax(x / T), (xs, T),
                     {0: Js / T, 1: Js @ (-xs / T ** 2)}, (0, 1, (0, 1), (1, 0))))
    xi = np.array([-1.3, -0.1, 0.55, 1.9])
    slopes = np.diff(KNOT_VALUES) / np.diff(KNOTS)
    d = slopes[np.searchsorted(KNOTS, xi) - 1]
    # knots passed as (undifferentiated) arguments
    c.append(ArgCase("interp_x_knots", lambda x, xp, fp: np.interp(x, xp, fp),
                     (xi, KNOTS, KNOT_VALUES), {0: np.diag(d)}, (0, (0,))))
    return c


ARG_CASES = _arg_cases()
ARG_RUNS = [(c, a) for c in ARG_CASES for a in c.argnums]


def arg_runs():
    return pytest.mark.parametrize("case, argnums", ARG_RUNS,
                                   ids=[f"{c.name}-{a}" for c, a in ARG_RUNS])


def fd_block(case, a):
    # central differences in argument a, the others held at their values
    def g(v):
        args = list(case.args)
        args[a] = v if np.ndim(case.args[a]) else float(v)
        return case.f(*args)
    return central_difference(g, np.asarray(case.args[a], dtype=float))


def check_blocks(result, case, argnums, reference):
    if isinstance(argnums, tuple):
        assert isinstance(result, tuple) and len(result) == len(argnums)
        pairs = list(zip(result, argnums))
    else:
        pairs = [(result, argnums)]
    for block, a in pairs:
        out_shape = np.shape(case.f(*case.args))
        # each block: f(x).shape + the argument's shape (a float for a scalar one)
        assert np.shape(block) == out_shape + np.shape(case.args[a])
        if np.shape(block) == ():
            assert type(block) is float
        close(block, reference(a))


@arg_runs()
def test_argnums_gradient_or_jacobian(case, argnums):
    scalar = np.ndim(case.f(*case.args)) == 0
    if scalar:
        value, result = dn.value_and_gradient(case.f, case.args, argnums=argnums)
        assert type(value) is float
        check_blocks(dn.gradient(case.f, case.args, argnums=argnums), case, argnums,
                     case.blocks.__getitem__)
    else:
        value, result = dn.value_and_jacobian(case.f, case.args, argnums=argnums)
        check_blocks(dn.jacobian(case.f, case.args, argnums=argnums), case, argnums,
                     case.blocks.__getitem__)
    same_value(value, case.f(*case.args))
    check_blocks(result, case, argnums, case.blocks.__getitem__)


@arg_runs()
def test_argnums_matches_finite_differences(case, argnums):
    # jacobian for every case: a scalar f's Jacobian block is its gradient block
    result = dn.jacobian(case.f, case.args, argnums=argnums)
    blocks = result if isinstance(argnums, tuple) else (result,)
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for block, a in zip(blocks, nums):
        close(block, fd_block(case, a), rtol=FD_RTOL)
