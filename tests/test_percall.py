"""The per-call fast paths of issue 18 agree with the general paths.

gradient, jacobian and hessian take a C-contiguous float64 ndarray point
without as_point's conversion and skip the plan and reshapes for a small
1-D point; read() takes a Dual result of this call without the generic
reader; a pattern given as a dense ndarray is analysed once per content.
Each test compares a point the fast path takes with the same point given
so that it declines (a list, a strided view, a 2-D shape), against closed
forms or central differences, and checks that errors are the same.
"""
import warnings

import numpy as np
import pytest
import scipy.sparse

import dualnum as dn
from dualnum import _plan, sparsity
from hessian_references import rosenbrock, rosenbrock_hessian   # tests/, on pytest's pythonpath
from test_sparsity import _bratu as bratu, _bratu_jacobian as bratu_jacobian


def rosenbrock_gradient(x):
    """The gradient derived by hand."""
    residual = x[1:] - x[:-1] ** 2
    g = 200 * np.concatenate(([0.0], residual))
    g[:-1] -= 400 * x[:-1] * residual + 2 * (1 - x[:-1])
    return g


def _declined(x):
    """The same point in forms the fast path does not take: a list, a strided view."""
    wide = np.zeros(2 * x.size)
    wide[::2] = x
    return [list(x), wide[::2]]


# the sizes around the fast path's limits: 1, small, the last one-pass n, the first sparse n
SIZES = (1, 2, 3, 17, _plan.SPARSE_SEEDING[0] - 1, _plan.SPARSE_SEEDING[0])


@pytest.mark.parametrize("n", SIZES)
def test_gradient_fast_path_matches_the_closed_form_and_the_general_path(n):
    x = np.linspace(-1.2, 1.3, n)
    value, grad = dn.value_and_gradient(rosenbrock, x)
    assert type(value) is float and grad.shape == (n,) and grad.dtype == np.float64
    np.testing.assert_allclose(grad, rosenbrock_gradient(x), rtol=1e-13, atol=1e-12)
    assert value == pytest.approx(float(rosenbrock(x)), rel=1e-14)
    for other in _declined(x):
        other_value, other_grad = dn.value_and_gradient(rosenbrock, other)
        assert other_value == value
        np.testing.assert_array_equal(other_grad, grad)


@pytest.mark.parametrize("n", (1, 2, 5, 12))
def test_hessian_fast_path_matches_the_closed_form_and_the_general_path(n):
    x = np.linspace(-1.2, 1.3, n)
    value, grad, hess = dn.value_gradient_and_hessian(rosenbrock, x)
    np.testing.assert_allclose(hess, rosenbrock_hessian(x), rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(grad, rosenbrock_gradient(x), rtol=1e-13, atol=1e-12)
    assert hess.shape == (n, n) and grad.shape == (n,)
    for other in _declined(x):
        found = dn.value_gradient_and_hessian(rosenbrock, other)
        assert found[0] == value
        np.testing.assert_array_equal(found[1], grad)
        np.testing.assert_array_equal(found[2], hess)


def test_fast_paths_keep_the_shape_of_a_2d_point(fd):
    def f(m):
        return np.sum(np.sin(m) * m[::-1, :]) + m[0, 1] * m[1, 0]
    x = np.array([[0.3, -0.7], [1.1, 0.4]])
    grad = dn.gradient(f, x)
    assert grad.shape == (2, 2)
    np.testing.assert_allclose(grad, fd(f, x), rtol=1e-7, atol=1e-8)
    hess = dn.hessian(f, x)
    assert hess.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(hess, fd(lambda y: dn.gradient(f, y), x), rtol=1e-6, atol=1e-7)
    jac = dn.jacobian(lambda m: np.sin(m) * m.T, x)
    assert jac.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(jac, fd(lambda m: np.sin(m) * m.T, x), rtol=1e-7, atol=1e-8)


def test_jacobian_fast_path_matches_central_differences(fd):
    def f(u):
        return np.concatenate((np.exp(u[:1]) * u[1:2], u * u[::-1]))
    for x in (np.array([0.2, -0.4, 1.5]), [0.2, -0.4, 1.5]):
        np.testing.assert_allclose(dn.jacobian(f, x), fd(f, np.asarray(x)), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("call", [dn.gradient, dn.hessian])
def test_fast_paths_raise_the_general_paths_errors(call):
    x = np.array([1.0, 2.0])
    messages = []
    for point in (x, [1.0, 2.0]):
        with pytest.raises(ValueError) as vector_result:
            call(lambda v: v * 2, point)
        with pytest.raises(TypeError) as bad_result:
            call(lambda v: "text", point)
        messages.append((str(vector_result.value), str(bad_result.value)))
    assert messages[0] == messages[1]
    assert "jacobian" in messages[0][0]          # says what to use instead


def test_fast_paths_take_the_slow_path_when_f_converts_its_argument():
    from scipy.optimize import rosen, rosen_der, rosen_hess
    x = np.array([0.4, -0.3, 1.2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dn.SlowPathWarning)   # warned once per route
        np.testing.assert_allclose(dn.gradient(rosen, x), rosen_der(x), rtol=1e-13)
        np.testing.assert_allclose(dn.hessian(rosen, x), rosen_hess(x), rtol=1e-13)


def test_fast_paths_nest_inside_another_call(fd):
    # the ndarray point is plain floats, but f closes over the outer call's Dual
    def inner_gradient(t):
        return dn.gradient(lambda v: t * np.sum(v ** 3), np.array([1.0, 2.0]))[1]

    def inner_hessian(t):
        return dn.hessian(lambda v: t ** 2 * v[0] * v[1] ** 2, np.array([1.0, 2.0]))[1, 1]

    for g in (inner_gradient, inner_hessian):
        assert dn.derivative(g, 0.7) == pytest.approx(float(fd(g, 0.7)), rel=1e-7)
    assert dn.derivative(inner_gradient, 0.7) == pytest.approx(12.0, rel=1e-15)   # 3 v_1**2
    assert dn.derivative(inner_hessian, 0.7) == pytest.approx(2 * 0.7 * 2 * 1.0, rel=1e-15)


def test_a_constant_or_a_foreign_dual_result_is_read_as_before():
    x = np.array([1.0, 2.0])
    assert dn.value_and_gradient(lambda v: 3.0, x)[1].tolist() == [0.0, 0.0]
    assert dn.gradient(lambda v: dn.Dual(2.0, [1.0]) * 0 + 1.0, x).tolist() == [0.0, 0.0]
    outer = dn.Dual(2.0, [1.0])       # made by hand: a number of no call, read as on the general path
    for f in (lambda v: v[0] * outer, lambda v: outer, lambda v: v[1] ** 2):
        assert repr(dn.value_and_gradient(f, x)) == repr(dn.value_and_gradient(f, [1.0, 2.0]))
    assert dn.gradient(lambda v: v[1] ** 2, x).tolist() == [0.0, 4.0]


# ------------------------------------------------- dense patterns, cached by content

def band(n, width, dtype=bool):
    return sum(np.eye(n, k=k, dtype=dtype) for k in range(-width, width + 1)).astype(dtype)


@pytest.mark.parametrize("dtype", [bool, np.float64, np.int32])
def test_a_dense_pattern_passed_every_call_gives_the_jacobian(dtype):
    u = np.linspace(-0.5, 0.5, 13)
    pattern = band(13, 1, dtype)
    for _ in range(3):
        for output in (False, True):
            jac = dn.jacobian(bratu, u, sparsity=pattern, sparse_output=output)
            dense = jac.toarray() if output else jac
            np.testing.assert_allclose(dense, bratu_jacobian(u), rtol=1e-14, atol=1e-12)


def test_a_pattern_edited_in_place_between_calls_is_analysed_again():
    u = np.linspace(-0.5, 0.5, 9)
    pattern = np.zeros((9, 9), dtype=bool)      # too narrow for bratu: its nonzeros are refused
    pattern[0, 0] = True
    with pytest.raises(ValueError, match="outside the given sparsity pattern"):
        dn.jacobian(bratu, u, sparsity=pattern)
    pattern |= band(9, 1)                       # now right: the edit must be seen
    np.testing.assert_allclose(dn.jacobian(bratu, u, sparsity=pattern), bratu_jacobian(u),
                               rtol=1e-14, atol=1e-12)
    pattern[1:] = False                         # narrow again: refused again, not served from cache
    with pytest.raises(ValueError, match="outside the given sparsity pattern"):
        dn.jacobian(bratu, u, sparsity=pattern)


def test_a_cached_analysis_is_reused_only_for_equal_contents():
    n = 16
    first = band(n, 1)
    found = sparsity.analysed_pattern(first)
    assert sparsity.analysed_pattern(first.copy()) is found           # equal contents
    assert sparsity.analysed_pattern(np.asfortranarray(first)) is found   # another layout
    assert sparsity.analysed_pattern(first.astype(np.uint8)) is not found  # another dtype
    wider = band(n, 2)
    assert sparsity.analysed_pattern(wider).colours == 5
    assert sparsity.analysed_pattern(first, symmetric=True) is not found  # a Hessian's colouring
    assert sparsity.analysed_pattern(first, symmetric=True).symmetric
    given = dn.SparsityPattern(first)
    assert sparsity.analysed_pattern(given) is given
    odd = band(7, 1)                            # 49 bytes: compared entry by entry
    assert sparsity.analysed_pattern(odd.copy()) is sparsity.analysed_pattern(odd)


def test_a_dense_pattern_for_a_jacobian_and_a_hessian_keep_their_own_colourings():
    n = 8
    arrowhead = np.eye(n, dtype=bool)
    arrowhead[0, :] = arrowhead[:, 0] = True

    def f(x):
        return np.sum(x ** 2 * x[:1] + np.sin(x))

    x = np.linspace(0.1, 0.8, n)
    expected = np.diag(2 * x[0] - np.sin(x))
    expected[0, 1:] = expected[1:, 0] = 2 * x[1:]
    expected[0, 0] = 6 * x[0] - np.sin(x[0])
    for _ in range(2):
        np.testing.assert_allclose(dn.hessian(f, x, sparsity=arrowhead), expected, rtol=1e-13)
        np.testing.assert_allclose(dn.jacobian(lambda v: dn.gradient(f, v), x, sparsity=arrowhead),
                                   expected, rtol=1e-13)


def test_bad_dense_patterns_raise_as_before_and_are_not_cached():
    u = np.ones(4)
    for _ in range(2):
        with pytest.raises(ValueError, match="2-D pattern"):
            dn.jacobian(bratu, u, sparsity=np.ones(4, dtype=bool))
        with pytest.raises(TypeError, match="boolean or numeric"):
            dn.jacobian(bratu, u, sparsity=np.full((4, 4), "x"))
        with pytest.raises(ValueError, match="must be symmetric"):
            dn.hessian(lambda v: np.sum(v ** 2), u, sparsity=np.triu(np.ones((4, 4), dtype=bool)))
        with pytest.raises(ValueError, match="columns"):
            dn.jacobian(bratu, u, sparsity=np.ones((4, 5), dtype=bool))


def test_a_scipy_sparse_pattern_still_works():
    u = np.linspace(-0.5, 0.5, 11)
    pattern = scipy.sparse.csr_array(band(11, 1))
    np.testing.assert_allclose(dn.jacobian(bratu, u, sparsity=pattern), bratu_jacobian(u),
                               rtol=1e-14, atol=1e-12)


class _Marked(np.ndarray):
    """An ndarray subclass: not a plain point, converted like any array-like."""


@pytest.mark.parametrize("form", ["byte-swapped", "subclass", "float32", "int", "read-only",
                                  "fortran 2-d"])
def test_points_the_fast_path_declines_or_takes_give_the_same_derivatives(form, fd):
    x = np.array([[0.5, -1.0], [2.0, 1.5]])
    point = {
        "byte-swapped": x.astype(">f8"),
        "subclass": x.view(_Marked),
        "float32": x.astype(np.float32),
        "int": np.array([[1, -1], [2, 3]]),
        "read-only": x.copy(),
        "fortran 2-d": np.asfortranarray(x),
    }[form]
    point.flags.writeable = form != "read-only"
    plain = np.array(point, dtype=np.float64, order="C")
    assert dn._read.is_plain_point(point) == (form == "read-only")
    assert dn._read.is_plain_point(plain)

    def f(m):
        return np.sum(m ** 3) * m[0, 1]

    for call in (dn.gradient, dn.hessian, lambda g, p: dn.jacobian(lambda m: m * g(m), p)):
        np.testing.assert_array_equal(call(f, point), call(f, plain))
    np.testing.assert_allclose(dn.gradient(f, point), fd(f, plain), rtol=1e-7, atol=1e-8)


def test_a_pattern_past_the_cache_limit_is_analysed_every_call(monkeypatch):
    monkeypatch.setattr(sparsity, "_CACHED_BYTES", 100)
    monkeypatch.setattr(sparsity, "_analysed", ())
    u = np.linspace(-0.5, 0.5, 11)
    big = band(11, 1)                           # 121 bytes: past the limit
    first = sparsity.analysed_pattern(big)
    assert sparsity.analysed_pattern(big) is not first and sparsity._analysed == ()
    np.testing.assert_allclose(dn.jacobian(bratu, u, sparsity=big), bratu_jacobian(u),
                               rtol=1e-14, atol=1e-12)
    small = band(9, 1)                          # 81 bytes: kept
    assert sparsity.analysed_pattern(small) is sparsity.analysed_pattern(small.copy())
