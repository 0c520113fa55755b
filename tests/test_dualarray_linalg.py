"""DualArray linear algebra (dualnum/_functions_linalg.py).

Values must equal numpy's result on the values bit for bit.  Tangents are
checked against central finite differences along each tangent direction
(numpy on plain arrays only), and where a closed form is short, against the
hand-derived formula as well.
"""

import numpy as np
import pytest

import dualnum as dn
from dualnum._core import Dual, dual_from, dual_parts
from dualnum.dualarray import DualArray

import dualnum._functions_linalg as linalg


def matmul(a, b):
    """The handler itself (numpy.matmul reaches it as a ufunc), given the DualArray engine."""
    return linalg.matmul(DualArray._engine, a, b)


TAG = 5
LinAlgError = np.linalg.LinAlgError


# --------------------------------------------------------------------------
# helpers


def make(shape, k, seed=0, tag=TAG):
    """DualArray with deterministic random values and tangents."""
    rng = np.random.default_rng(seed)
    return DualArray(rng.uniform(-2.0, 2.0, size=shape),
                     rng.uniform(-1.0, 1.0, size=tuple(shape) + (k,)), tag)


def well_conditioned(shape, k, seed=0):
    """Square matrices (or stacks) = identity*3 + noise: safely invertible."""
    x = make(shape, k, seed)
    x.value[...] = 0.5 * x.value + 3.0 * np.eye(shape[-1])
    return x


def split(x):
    """(value, tangent or None) of an operand; a plain operand has no tangent."""
    if isinstance(x, DualArray):
        return x.value, x.tangent
    if type(x) is Dual:
        value, partials, _ = dual_parts(x)
        return value, partials
    return np.asarray(x, dtype=np.float64), None


def finite_difference(np_func, args, k, h=1e-6):
    """Central differences of np_func along each of the k tangent directions."""
    parts = [split(a) for a in args]
    columns = []
    for j in range(k):
        plus = [v if t is None else v + h * t[..., j] for v, t in parts]
        minus = [v if t is None else v - h * t[..., j] for v, t in parts]
        columns.append((np.asarray(np_func(*plus)) - np.asarray(np_func(*minus))) / (2 * h))
    return np.stack(columns, axis=-1)


def check(func, np_func, *args, k, expected=None):
    """func(*args) has numpy's value exactly and tangents matching differences."""
    result = func(*args)
    want = np.asarray(np_func(*[split(a)[0] for a in args]))
    value, tangent = split(result)
    if want.ndim == 0:
        assert type(result) is Dual
        assert dual_parts(result)[2] == TAG
    else:
        assert type(result) is DualArray and result.tag == TAG
    assert np.shape(value) == want.shape
    assert np.array_equal(value, want)
    assert tangent.shape == want.shape + (k,)
    scale = 1.0 + np.max(np.abs(tangent), initial=0.0)
    np.testing.assert_allclose(tangent, finite_difference(np_func, args, k),
                               rtol=1e-6, atol=1e-7 * scale)
    if expected is not None:
        np.testing.assert_allclose(tangent, expected, rtol=1e-12, atol=1e-12 * scale)
    return result


K = pytest.mark.parametrize("k", [1, 3])


# --------------------------------------------------------------------------
# 1. products


@K
@pytest.mark.parametrize("shape_a, shape_b", [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)), ((3, 4), (4, 2)),
    ((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2)), ((), (3,)), ((2, 2), ())])
def test_dot_shapes(shape_a, shape_b, k):
    a, b = make(shape_a, k, 1), make(shape_b, k, 2)
    check(np.dot, np.dot, a, b, k=k)


@K
def test_dot_product_rule_by_hand(k):
    a, b = make((3, 4), k, 1), make((4, 2), k, 2)
    expected = (np.einsum("ijz,jl->ilz", a.tangent, b.value)
                + np.einsum("ij,jlz->ilz", a.value, b.tangent))
    check(np.dot, np.dot, a, b, k=k, expected=expected)


@K
def test_dot_mixed_operands(k):
    a, m = make((3,), k, 1), np.arange(6.0).reshape(2, 3)
    check(np.dot, np.dot, m, a, k=k, expected=np.einsum("ij,jz->iz", m, a.tangent))
    check(np.dot, np.dot, a, m.T, k=k)
    check(np.dot, np.dot, a, [1.0, -2.0, 0.5], k=k)
    s = dual_from(1.5, np.linspace(-1.0, 1.0, k), TAG)
    check(np.dot, np.dot, s, a, k=k,
          expected=1.5 * a.tangent + a.value[:, None] * np.linspace(-1.0, 1.0, k))


@K
@pytest.mark.parametrize("shape_a, shape_b", [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)), ((3, 4), (4, 2)),
    ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((2, 3, 4), (4,))])
def test_matmul_shapes(shape_a, shape_b, k):
    a, b = make(shape_a, k, 1), make(shape_b, k, 2)
    check(matmul, np.matmul, a, b, k=k)


@K
def test_matmul_mixed_operands(k):
    a = make((2, 3, 4), k, 1)
    m = np.arange(8.0).reshape(4, 2)
    check(matmul, np.matmul, a, m, k=k,
          expected=np.einsum("bijz,jl->bilz", a.tangent, m))
    check(matmul, np.matmul, m.T, a.transpose(0, 2, 1), k=k)
    # a dual matrix against a constant stack, and a dual vector against one
    stack = np.arange(24.0).reshape(3, 4, 2) / 7.0
    check(matmul, np.matmul, a[0], stack, k=k,
          expected=np.einsum("ijz,bjl->bilz", a.tangent[0], stack))
    check(matmul, np.matmul, a[0, 0], stack, k=k)
    check(matmul, np.matmul, stack.transpose(0, 2, 1), a[0, 0], k=k)


@K
@pytest.mark.parametrize("shape_a, shape_b", [((3, 0), (0, 2)), ((0, 3), (3, 2)), ((0,), (0,))])
def test_matmul_empty(shape_a, shape_b, k):
    a, b = make(shape_a, k, 1), make(shape_b, k, 2)
    check(matmul, np.matmul, a, b, k=k)
    check(matmul, np.matmul, a, b.value, k=k)


def test_matmul_errors_as_numpy():
    a = make((3, 4), 1)
    with pytest.raises(ValueError):
        matmul(a, make((3, 4), 1, 2))
    with pytest.raises(ValueError):
        matmul(a, dual_from(2.0, np.ones(1), TAG))


def test_matmul_operator_and_ufunc():
    a, b = make((3, 4), 2, 1), make((4,), 2, 2)
    want = matmul(a, b)
    for result in (a @ b, np.matmul(a, b)):
        assert np.array_equal(result.value, want.value)
        assert np.array_equal(result.tangent, want.tangent)
    # a plain matrix on the left goes through DualArray.__array_ufunc__ too
    m = np.arange(6.0).reshape(2, 3)
    left = m @ make((3, 4), 2, 3)
    assert np.array_equal(left.value, m @ make((3, 4), 2, 3).value)


@K
@pytest.mark.parametrize("shape_a, shape_b", [
    ((4,), (4,)), ((3, 4), (4,)), ((3, 4), (2, 4)), ((2, 3, 4), (5, 4)), ((), (3,))])
def test_inner(shape_a, shape_b, k):
    check(np.inner, np.inner, make(shape_a, k, 1), make(shape_b, k, 2), k=k)


@K
def test_inner_with_constant(k):
    check(np.inner, np.inner, np.ones((2, 4)), make((3, 4), k, 1), k=k)


@K
@pytest.mark.parametrize("shape_a, shape_b", [((3,), (4,)), ((2, 2), (3,)), ((), (2,))])
def test_outer(shape_a, shape_b, k):
    a, b = make(shape_a, k, 1), make(shape_b, k, 2)
    check(np.outer, np.outer, a, b, k=k)
    check(np.outer, np.outer, a, np.arange(3.0), k=k)


@K
def test_outer_by_hand(k):
    a, b = make((3,), k, 1), make((2,), k, 2)
    expected = a.tangent[:, None, :] * b.value[None, :, None] + \
        a.value[:, None, None] * b.tangent[None, :, :]
    check(np.outer, np.outer, a, b, k=k, expected=expected)


@K
def test_vdot(k):
    a, b = make((2, 3), k, 1), make((3, 2), k, 2)
    result = check(np.vdot, np.vdot, a, b, k=k)
    assert type(result) is Dual
    check(np.vdot, np.vdot, np.arange(6.0), b, k=k,
          expected=np.einsum("i,iz->z", np.arange(6.0), b.tangent.reshape(6, k)))


@K
@pytest.mark.parametrize("shape_a, shape_b, axes", [
    ((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2,), (3,), 0),
    ((2, 3, 4), (4, 3, 5), ([1, 2], [1, 0])), ((3, 2), (4, 3), (0, -1)),
    ((2, 3, 4), (4, 2), ([-1, 0], [0, 1]))])
def test_tensordot(shape_a, shape_b, axes, k):
    a, b = make(shape_a, k, 1), make(shape_b, k, 2)

    def td(x, y):
        return np.tensordot(x, y, axes)
    check(td, td, a, b, k=k)
    check(td, td, a, b.value, k=k)
    check(td, td, a.value, b, k=k)


# --------------------------------------------------------------------------
# 2. einsum


@K
@pytest.mark.parametrize("subscripts, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),                       # implicit output
    ("ba,cb", [(2, 3), (4, 2)]),                       # implicit output is sorted: ac
    ("ii", [(3, 3)]),                                  # trace
    ("ii->i", [(3, 3)]),                               # diagonal
    ("ij->ji", [(2, 3)]),
    ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
    ("bij, bjk -> bik", [(2, 2, 3), (2, 3, 2)]),       # spaces
    ("...i,...i", [(2, 3), (2, 3)]),                   # implicit output with ellipsis
    ("ij,jk,kl->il", [(2, 3), (3, 3), (3, 2)]),
    ("i,->i", [(3,), ()]),
])
def test_einsum_all_dual(subscripts, shapes, k):
    operands = [make(s, k, seed) for seed, s in enumerate(shapes)]

    def es(*xs):
        return np.einsum(subscripts, *xs)
    check(es, es, *operands, k=k)


@K
def test_einsum_mixed_and_repeated_operand(k):
    x = make((3,), k, 1)
    a = np.array([[2.0, -1.0, 0.5], [0.3, 1.5, -2.0], [1.0, 0.25, 3.0]])

    def quad(u, m, v):
        return np.einsum("i,ij,j", u, m, v)
    # x.A.x: gradient (A + A^T) x
    check(quad, quad, x, a, x, k=k, expected=np.einsum("i,iz->z", (a + a.T) @ x.value, x.tangent))
    s = dual_from(0.5, np.arange(1.0, k + 1.0), TAG)

    def scaled(u, c):
        return np.einsum("i,->i", u, c)
    check(scaled, scaled, x, s, k=k)


def test_einsum_optimize_passes_through():
    a, b, c = make((2, 3), 2, 1), make((3, 4), 2, 2), make((4, 2), 2, 3)

    def es(*xs):
        return np.einsum("ij,jk,kl->il", *xs, optimize=True)
    check(es, es, a, b, c, k=2)


def test_einsum_errors():
    a = make((2, 3), 1)
    with pytest.raises(TypeError, match="einsum"):
        np.einsum(a, [0, 1], [1, 0])
    with pytest.raises(TypeError, match="einsum.*out"):
        np.einsum("ij->ji", a, out=np.empty((3, 2)))
    with pytest.raises(TypeError, match="einsum.*dtype"):
        np.einsum("ij->ji", a, dtype=np.float32)
    with pytest.raises(ValueError):
        np.einsum("ij,jk->ik", a, a)                    # numpy's shape mismatch


# --------------------------------------------------------------------------
# 3. trace


@K
def test_trace_matrix_gives_scalar_dual(k):
    a = make((3, 3), k, 1)
    result = check(np.trace, np.trace, a, k=k, expected=np.einsum("iiz->z", a.tangent))
    assert type(result) is Dual


@K
@pytest.mark.parametrize("offset, axis1, axis2", [(0, 0, 1), (1, 0, 1), (-1, 1, 2), (0, -1, 0)])
def test_trace_stacked(offset, axis1, axis2, k):
    a = make((3, 4, 3), k, 1)

    def tr(x):
        return np.trace(x, offset, axis1, axis2)
    check(tr, tr, a, k=k)


def test_trace_rejects_out_and_dtype():
    a = make((2, 2), 1)
    with pytest.raises(TypeError, match="trace"):
        np.trace(a, out=np.empty(()))
    with pytest.raises(TypeError, match="trace"):
        np.trace(a, dtype=np.float32)


# --------------------------------------------------------------------------
# 4. numpy.linalg


@K
@pytest.mark.parametrize("shape, axis, keepdims", [
    ((4,), None, False), ((3, 4), None, False), ((2, 3, 4), None, False),
    ((3, 4), 1, False), ((3, 4), -2, True), ((2, 3, 4), (0, 2), False),
    ((3, 4), None, True)])
def test_norm(shape, axis, keepdims, k):
    x = make(shape, k, 1)

    def nrm(v):
        return np.linalg.norm(v, axis=axis, keepdims=keepdims)
    check(nrm, nrm, x, k=k)


@K
def test_norm_by_hand(k):
    x = make((5,), k, 1)
    expected = x.value @ x.tangent / np.sqrt(np.sum(x.value ** 2))
    check(np.linalg.norm, np.linalg.norm, x, k=k, expected=expected)


def test_norm_fro_and_2():
    m = make((3, 4), 2, 1)
    for ord, axis in (("fro", None), ("fro", (0, 1)), (2, 1), (None, 0)):
        def nrm(v):
            return np.linalg.norm(v, ord=ord, axis=axis)
        check(nrm, nrm, m, k=2)


def test_norm_at_zero_has_derivative_zero_like_sqrt_of_sum_of_squares():
    x = DualArray(np.zeros((2, 3)), np.ones((2, 3, 2)), TAG)
    result = np.linalg.norm(x, axis=1)                  # no warning under -W error
    assert np.array_equal(result.value, [0.0, 0.0])
    assert np.array_equal(result.tangent, np.zeros((2, 2)))
    assert np.array_equal(np.sqrt(np.sum(x * x, axis=1)).tangent, result.tangent)
    y = DualArray([0.0, 3.0], [[1.0], [1.0]], TAG)
    assert dual_parts(np.linalg.norm(y[:1]))[1] == (0.0,)   # 0-d result: a Dual
    assert dual_parts(np.linalg.norm(y))[1][0] == 1.0


def test_norm_gradient_at_zero_agrees_across_orders_and_spellings():
    origin = np.zeros(3)
    first = dn.gradient(np.linalg.norm, origin)
    _, second, _ = dn.value_gradient_and_hessian(np.linalg.norm, origin)
    spelled_out = dn.gradient(lambda v: np.sqrt(np.sum(v * v)), origin)
    assert np.array_equal(first, np.zeros(3))
    assert np.array_equal(second, first) and np.array_equal(spelled_out, first)


@pytest.mark.parametrize("ord, axis", [(1, None), (np.inf, 1), (2, None), ("nuc", None)])
def test_norm_other_orders(ord, axis):
    # every order is covered since issue 15 (tests/test_numpy_linalg.py has them all)
    def norm(v):
        return np.linalg.norm(v, ord=ord, axis=axis)
    check(norm, norm, make((3, 3), 2), k=2)


@K
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_det(shape, k):
    a = make(shape, k, 1)
    value = a.value
    # d det = det * tr(A^-1 dA)
    expected = np.linalg.det(value)[..., None] * np.einsum(
        "...ij,...jiz->...z", np.linalg.inv(value), a.tangent)
    check(np.linalg.det, np.linalg.det, a, k=k, expected=expected)


@K
def test_det_singular_is_cofactor(k):
    # det [[a, b], [c, d]] = ad - bc: partials d, -c, -b, a, also where the det is 0
    rng = np.random.default_rng(3)
    tangent = rng.uniform(-1, 1, size=(2, 2, k))
    a = DualArray([[1.0, 2.0], [2.0, 4.0]], tangent, TAG)
    cof = np.array([[4.0, -2.0], [-2.0, 1.0]])
    result = check(np.linalg.det, np.linalg.det, a, k=k,
                   expected=np.einsum("ij,ijz->z", cof, tangent))
    assert dual_parts(result)[0] == 0.0


def test_det_singular_rank_deficient_3x3():
    # rank 1: every cofactor is 0, so the derivative is 0
    a = DualArray(np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 2.0]), np.ones((3, 3, 2)), TAG)
    np.testing.assert_allclose(dual_parts(np.linalg.det(a))[1], 0.0, atol=1e-12)
    # rank 2: derivative from finite differences
    b = make((3, 3), 2, 4)
    b.value[2] = b.value[0] + b.value[1]
    check(np.linalg.det, np.linalg.det, b, k=2)


@K
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_inv(shape, k):
    a = well_conditioned(shape, k, 1)
    ai = np.linalg.inv(a.value)
    expected = -np.einsum("...ij,...jlz,...lm->...imz", ai, a.tangent, ai)
    check(np.linalg.inv, np.linalg.inv, a, k=k, expected=expected)


def test_inv_of_product_with_constant():
    a, m = well_conditioned((3, 3), 2, 1), np.diag([1.0, 2.0, 4.0])
    result = np.linalg.inv(np.dot(m, a))
    check(lambda x: np.linalg.inv(np.dot(m, x)), lambda x: np.linalg.inv(np.dot(m, x)), a, k=2)
    assert type(result) is DualArray


@K
@pytest.mark.parametrize("shape_a, shape_b", [
    ((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 4)),
    ((3, 3), (2, 3, 1))])
def test_solve(shape_a, shape_b, k):
    a, b = well_conditioned(shape_a, k, 1), make(shape_b, k, 2)
    check(np.linalg.solve, np.linalg.solve, a, b, k=k)
    check(np.linalg.solve, np.linalg.solve, a, b.value, k=k)
    check(np.linalg.solve, np.linalg.solve, a.value, b, k=k)


@K
def test_solve_by_hand(k):
    a, b = well_conditioned((3, 3), k, 1), make((3,), k, 2)
    x = np.linalg.solve(a.value, b.value)
    expected = np.linalg.solve(a.value, b.tangent - np.einsum("ijz,j->iz", a.tangent, x))
    check(np.linalg.solve, np.linalg.solve, a, b, k=k, expected=expected)


def test_singular_matrices_raise_linalgerror():
    a = DualArray([[1.0, 2.0], [2.0, 4.0]], np.ones((2, 2, 1)), TAG)
    with pytest.raises(LinAlgError):
        np.linalg.inv(a)
    with pytest.raises(LinAlgError):
        np.linalg.solve(a, np.ones(2))
    with pytest.raises(LinAlgError):
        np.linalg.det(make((2, 3), 1))                  # not square


# --------------------------------------------------------------------------
# 5. errors shared by all products


@pytest.mark.parametrize("call, name", [
    (lambda a: np.dot(a, a, out=np.empty(())), "dot"),
    (lambda a: np.outer(a, a, out=np.empty((3, 3))), "outer")])
def test_out_rejected_naming_function(call, name):
    with pytest.raises(TypeError, match=name):
        call(make((3,), 1))


@pytest.mark.parametrize("func", [
    np.dot, np.inner, np.outer, np.vdot, matmul, np.linalg.solve])
def test_tags_and_directions_must_agree(func):
    a = make((3, 3), 2, 1)
    with pytest.raises(ValueError, match="different differentiation calls"):
        func(a, make((3, 3), 2, 2, tag=TAG + 1))
    with pytest.raises(ValueError, match="tangent directions"):
        func(a, make((3, 3), 3, 2))


def test_result_is_a_fresh_array():
    a, b = make((2, 2), 1, 1), make((2, 2), 1, 2)
    result = np.dot(a, b)
    result.tangent[...] = 0.0
    assert np.any(a.tangent != 0.0) and np.any(b.tangent != 0.0)
