"""Unmodified library code that converts its argument with np.asarray (issue 16).

scipy.optimize.rosen, scipy.special.logsumexp and softmax, np.polynomial's
Polynomial and np.vectorize turn a DualArray into an ndarray; gradient,
jacobian and jvp then evaluate f again on an object array of Duals (the slow
path, dualnum/_slow_path.py) and warn once, naming the converting call.  hessian
and hvp take their object-array path as before.  References: scipy's
rosen_der/rosen_hess, closed forms, central differences.
"""
import warnings

import numpy as np
import pytest
import scipy.optimize
import scipy.special

import dualnum as dn
from dualnum import _plan, _slow_path

# the numerical tests silence the warning; the tests of the warning record it
pytestmark = pytest.mark.filterwarnings("ignore::dualnum.SlowPathWarning")

X = np.array([0.7, -0.4, 1.3, 0.2, -1.1])
COEFFICIENTS = [0.5, -1.0, 2.0, 0.75]


def central_jacobian(f, x, h=1e-6):
    columns = []
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = h
        step = step.reshape(x.shape)
        columns.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * h))
    return np.stack(columns, axis=-1).reshape(np.shape(columns[0]) + x.shape)


def softmax_jacobian(x):
    s = scipy.special.softmax(x)
    return np.diag(s) - np.outer(s, s)


@pytest.fixture(autouse=True)
def fresh_warnings():
    _slow_path._warned.clear()
    yield
    _slow_path._warned.clear()


def polynomial(x):
    return np.sum(np.polynomial.Polynomial(COEFFICIENTS)(x))


def polynomial_derivative(x):
    return np.polynomial.Polynomial(COEFFICIENTS).deriv()(x)


def vectorized(x):
    return np.sum(np.vectorize(lambda t: t * t * t if t > 0 else -t)(x))


def vectorized_derivative(x):
    return np.where(X > 0, 3 * X ** 2, -1.0)


# ------------------------------------------------------------------ first order
def test_rosen_gradient_is_rosen_der():
    np.testing.assert_allclose(dn.gradient(scipy.optimize.rosen, X),
                               scipy.optimize.rosen_der(X), rtol=1e-13)


def test_rosen_der_jacobian_is_rosen_hess():
    np.testing.assert_allclose(dn.jacobian(scipy.optimize.rosen_der, X),
                               scipy.optimize.rosen_hess(X), rtol=1e-13, atol=1e-12)


def test_rosen_value_and_gradient():
    value, grad = dn.value_and_gradient(scipy.optimize.rosen, X)
    assert value == pytest.approx(scipy.optimize.rosen(X), rel=1e-15)
    np.testing.assert_allclose(grad, scipy.optimize.rosen_der(X), rtol=1e-13)


@pytest.mark.parametrize("n", [120, 300])
def test_rosen_gradient_on_the_sparse_and_chunked_plans(n):
    # n = 120 is seeded sparsely, n = 300 in chunks; the slow path takes dense chunks
    x = np.linspace(-1.2, 1.4, n)
    np.testing.assert_allclose(dn.gradient(scipy.optimize.rosen, x),
                               scipy.optimize.rosen_der(x), rtol=1e-12, atol=1e-12)


def test_chunks_of_the_slow_path_join(monkeypatch):
    monkeypatch.setattr(_plan, "MAX_CHUNK", 2)
    np.testing.assert_allclose(dn.jacobian(scipy.optimize.rosen_der, X),
                               scipy.optimize.rosen_hess(X), rtol=1e-13, atol=1e-12)


def test_logsumexp_gradient_is_softmax():
    np.testing.assert_allclose(dn.gradient(scipy.special.logsumexp, X),
                               scipy.special.softmax(X), rtol=1e-13)


def test_softmax_jacobian():
    np.testing.assert_allclose(dn.jacobian(scipy.special.softmax, X), softmax_jacobian(X),
                               rtol=1e-12, atol=1e-15)


def test_softmax_jvp():
    v = np.array([1.0, 0.5, -2.0, 0.25, 3.0])
    value, tangent = dn.jvp(scipy.special.softmax, X, v)
    np.testing.assert_allclose(value, scipy.special.softmax(X), rtol=1e-15)
    np.testing.assert_allclose(tangent, softmax_jacobian(X) @ v, rtol=1e-12, atol=1e-15)


def test_softmax_along_an_axis():
    x = X[:4].reshape(2, 2)
    jac = dn.jacobian(lambda a: scipy.special.softmax(a, axis=1), x)
    np.testing.assert_allclose(jac, central_jacobian(lambda a: scipy.special.softmax(a, axis=1), x),
                               rtol=1e-7, atol=1e-9)


def test_polynomial_gradient():
    np.testing.assert_allclose(dn.gradient(polynomial, X), polynomial_derivative(X), rtol=1e-13)


def test_polynomial_jvp_against_central_differences():
    v = np.linspace(-1.0, 1.0, X.size)
    _, tangent = dn.jvp(polynomial, X, v)
    expected = (polynomial(X + 1e-6 * v) - polynomial(X - 1e-6 * v)) / 2e-6
    assert tangent == pytest.approx(expected, rel=1e-7)


def test_elementwise_derivative_of_a_polynomial():
    # derivative at an array point runs jvp_pass with all-ones directions
    f = np.polynomial.Polynomial(COEFFICIENTS)
    np.testing.assert_allclose(dn.derivative(f, X), polynomial_derivative(X), rtol=1e-13)


def test_vectorize_gradient():
    np.testing.assert_allclose(dn.gradient(vectorized, X), vectorized_derivative(X), rtol=1e-13)


def test_vectorize_jacobian_against_central_differences():
    f = np.vectorize(lambda t: np.sin(t) * t)
    np.testing.assert_allclose(dn.jacobian(f, X), central_jacobian(f, X), rtol=1e-7, atol=1e-9)


# ----------------------------------------------------------------- second order
def test_rosen_hessian_is_rosen_hess():
    np.testing.assert_allclose(dn.hessian(scipy.optimize.rosen, X),
                               scipy.optimize.rosen_hess(X), rtol=1e-13, atol=1e-12)


def test_rosen_hvp():
    v = np.arange(1.0, 6.0)
    np.testing.assert_allclose(dn.hvp(scipy.optimize.rosen, X, v),
                               scipy.optimize.rosen_hess_prod(X, v), rtol=1e-13, atol=1e-12)


def test_logsumexp_hessian():
    np.testing.assert_allclose(dn.hessian(scipy.special.logsumexp, X), softmax_jacobian(X),
                               rtol=1e-12, atol=1e-15)


def test_softmax_hessian_of_one_output_against_finite_differences():
    f = lambda x: scipy.special.softmax(x)[2]                     # noqa: E731
    expected = central_jacobian(lambda x: dn.gradient(f, x), X, h=1e-5)
    np.testing.assert_allclose(dn.hessian(f, X), expected, rtol=1e-6, atol=1e-8)


def test_polynomial_hessian():
    second = np.polynomial.Polynomial(COEFFICIENTS).deriv(2)(X)
    np.testing.assert_allclose(dn.hessian(polynomial, X), np.diag(second), rtol=1e-13)


def test_vectorize_hessian():
    np.testing.assert_allclose(dn.hessian(vectorized, X), np.diag(np.where(X > 0, 6 * X, 0.0)),
                               rtol=1e-13)


# ------------------------------------------------- the slow path is the fast one
def _plain_numpy(x):
    return np.sum(np.exp(x) * np.sin(x[::-1])) + x[0] * x[3] / (1.0 + x[1] ** 2)


def _converted(x):
    return _plain_numpy(np.asarray(x))


@pytest.mark.parametrize("n", [5, 150])
def test_the_object_path_gives_the_compiled_numbers(n):
    x = np.linspace(-0.8, 0.9, n)
    np.testing.assert_allclose(dn.gradient(_converted, x), dn.gradient(_plain_numpy, x),
                               rtol=1e-14, atol=1e-15)
    v = np.cos(np.arange(n))
    compiled, objects = dn.jvp(_plain_numpy, x, v), dn.jvp(_converted, x, v)
    assert objects[0] == pytest.approx(compiled[0], rel=1e-15)
    assert objects[1] == pytest.approx(compiled[1], rel=1e-14)


def test_the_object_path_gives_the_compiled_jacobian():
    f = lambda x: np.concatenate([np.exp(x) * x[0], np.cumsum(x ** 2)])      # noqa: E731
    np.testing.assert_allclose(dn.jacobian(lambda x: f(np.asarray(x)), X), dn.jacobian(f, X),
                               rtol=1e-14, atol=1e-15)


# ------------------------------------------------------------------ the warning
def _recorded(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, dn.SlowPathWarning)]


def test_the_warning_names_the_converting_call_and_the_library_function():
    [warning] = _recorded(lambda: dn.gradient(scipy.optimize.rosen, X))
    message = str(warning.message)
    assert "asanyarray(" in message or "asarray(" in message
    assert "scipy.optimize._optimize.rosen" in message
    assert "gradient evaluates f again on a numpy object array" in message
    assert warning.filename == __file__          # points at the user's call


def test_the_warning_quotes_the_users_own_conversion():
    [warning] = _recorded(lambda: dn.jacobian(_converted, X))
    assert "`np.asarray(x)`" in str(warning.message)
    assert "_converted" in str(warning.message)
    assert "jacobian evaluates" in str(warning.message)


def test_the_warning_comes_once_per_function():
    def calls():
        for _ in range(3):
            dn.gradient(scipy.optimize.rosen, X)
            dn.jvp(scipy.optimize.rosen, X, X)
            dn.gradient(scipy.special.logsumexp, X)
    caught = _recorded(calls)
    assert len(caught) == 2
    assert "rosen" in str(caught[0].message) and "logsumexp" in str(caught[1].message)


def test_the_warning_is_a_runtime_warning_that_filters_silence():
    assert issubclass(dn.SlowPathWarning, RuntimeWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=dn.SlowPathWarning)
        grad = dn.gradient(scipy.optimize.rosen, X)
    assert caught == []
    np.testing.assert_allclose(grad, scipy.optimize.rosen_der(X), rtol=1e-13)


def test_an_error_filter_turns_it_into_an_exception():
    with warnings.catch_warnings():
        warnings.simplefilter("error", dn.SlowPathWarning)
        for _ in range(2):                  # every time: an error is not a warning given
            with pytest.raises(dn.SlowPathWarning, match="rosen"):
                dn.gradient(scipy.optimize.rosen, X)


def test_compiled_code_does_not_warn():
    assert _recorded(lambda: dn.gradient(_plain_numpy, X)) == []


# ------------------------------------------- other errors propagate unchanged
def test_a_typeerror_of_f_itself_propagates_without_a_second_evaluation():
    calls = []

    def f(x):
        calls.append(type(x))
        raise TypeError("f's own message")

    with pytest.raises(TypeError, match="f's own message"):
        dn.gradient(f, X)
    assert calls == [dn.DualArray]


def test_a_typeerror_from_a_refused_numpy_call_propagates():
    # refusals inside dualnum are not conversions: their message stays the user's answer
    with pytest.raises(TypeError, match="tolist"):
        dn.gradient(lambda x: sum(x.tolist()), X)


@pytest.mark.parametrize("error", [ValueError, ZeroDivisionError, KeyError])
def test_other_errors_propagate(error):
    def f(x):
        raise error("not a conversion")

    with pytest.raises(error, match="not a conversion"):
        dn.jacobian(f, X)


def test_an_error_on_the_slow_path_propagates():
    def f(x):
        a = np.asarray(x)
        if isinstance(a, np.ndarray) and a.dtype == object:
            raise ValueError("raised on the object array")
        return a

    with pytest.raises(ValueError, match="raised on the object array"):
        dn.gradient(f, X)


# ---------------------------------------- jacobian(sparsity=...) of any output shape
def _grid(u):
    """A 2-D output: each row a banded function of u."""
    return np.concatenate([u[:-1] * u[1:], np.exp(u[1:]) - u[:-1]]).reshape(2, -1)


U = np.linspace(0.2, 1.4, 7)


@pytest.mark.parametrize("n", [7, 120])
def test_auto_sparsity_of_a_2d_output_has_the_dense_shape(n):
    u = np.linspace(0.2, 1.4, n)
    jac = dn.jacobian(_grid, u, sparsity="auto")
    assert jac.shape == (2, n - 1, n)
    np.testing.assert_allclose(jac, central_jacobian(_grid, u), rtol=1e-7, atol=1e-8)
    # the same numbers as the dense Jacobian, to the 2 ulp by which a one-direction
    # pass (SLEEF's vector exp on some dispatch paths) and several directions
    # (the scalar rules) may differ (docs/performance.md)
    np.testing.assert_array_max_ulp(jac, dn.jacobian(_grid, u), maxulp=2)


def test_auto_sparsity_of_a_2d_output_through_dense_tangents():
    # a reduction over an axis makes the traced pass dense: the partials are read instead
    f = lambda u: np.cumsum(_grid(u), axis=1)                         # noqa: E731
    np.testing.assert_allclose(dn.jacobian(f, U, sparsity="auto"), central_jacobian(f, U),
                               rtol=1e-7, atol=1e-8)


def test_auto_sparse_output_of_a_2d_output_has_the_flattened_rows():
    jac = dn.jacobian(_grid, U, sparsity="auto", sparse_output=True)
    assert jac.shape == (2 * (U.size - 1), U.size)
    np.testing.assert_allclose(jac.toarray(), central_jacobian(_grid, U).reshape(-1, U.size),
                               rtol=1e-7, atol=1e-8)


def test_a_detected_pattern_of_a_2d_output_serves_the_coloured_jacobian():
    pattern = dn.detect_sparsity(_grid, U)
    assert pattern.shape == (2 * (U.size - 1), U.size)
    jac = dn.jacobian(_grid, U, sparsity=pattern)
    assert jac.shape == (2, U.size - 1, U.size)
    np.testing.assert_allclose(jac, central_jacobian(_grid, U), rtol=1e-7, atol=1e-8)


def test_a_pattern_with_the_wrong_number_of_rows_is_refused():
    with pytest.raises(ValueError, match="sparsity has 3 rows, f returned shape"):
        dn.jacobian(_grid, U, sparsity=np.ones((3, U.size), dtype=bool))


# -------------------------------------- hessian names what numpy cannot run on objects
@pytest.mark.parametrize("name, f", [
    ("polyfit", lambda x: np.sum(np.polyfit(x, x ** 2, 2))),
    ("histogram", lambda x: np.sum(np.histogram(x, weights=x)[0])),
])
def test_hessian_names_a_function_numpy_cannot_run_on_dual_numbers(name, f):
    with pytest.raises(TypeError, match=rf"numpy\.{name} is not supported on arrays of dual numbers"):
        dn.hessian(f, X)


def test_hessian_keeps_the_error_that_floats_give_too():
    f = lambda x: np.sum(np.concatenate([x.reshape(5, 1), x.reshape(1, 5)]))   # noqa: E731
    with pytest.raises(ValueError, match="dimensions except for the concatenation axis"):
        dn.hessian(f, X)


def test_auto_sparsity_of_an_outer_product():
    # refused before issue 16 (a 2-D output); now J[i, j, k] = d(x_i x_j)/dx_k
    x = np.array([0.5, -1.5, 2.0])
    f = lambda v: np.outer(v, v)                                        # noqa: E731
    np.testing.assert_allclose(dn.jacobian(f, x, sparsity="auto"), central_jacobian(f, x),
                               rtol=1e-7, atol=1e-8)


# ------------------------------------------------- more directions of the same calls
def test_rosen_and_logsumexp_jvp():
    v = np.array([0.5, -1.0, 2.0, 0.0, 1.5])
    value, tangent = dn.jvp(scipy.optimize.rosen, X, v)
    assert value == pytest.approx(scipy.optimize.rosen(X), rel=1e-15)
    assert tangent == pytest.approx(scipy.optimize.rosen_der(X) @ v, rel=1e-13)
    value, tangent = dn.jvp(scipy.special.logsumexp, X, v)
    assert value == pytest.approx(scipy.special.logsumexp(X), rel=1e-15)
    assert tangent == pytest.approx(scipy.special.softmax(X) @ v, rel=1e-13)


def test_logsumexp_hvp():
    v = np.array([0.5, -1.0, 2.0, 0.0, 1.5])
    np.testing.assert_allclose(dn.hvp(scipy.special.logsumexp, X, v), softmax_jacobian(X) @ v,
                               rtol=1e-12, atol=1e-15)


def test_logsumexp_along_an_axis_with_keepdims():
    x = X[:4].reshape(2, 2)
    f = lambda a: scipy.special.logsumexp(a, axis=0, keepdims=True)       # noqa: E731
    jac = dn.jacobian(f, x)
    assert jac.shape == (1, 2, 2, 2)
    np.testing.assert_allclose(jac, central_jacobian(f, x), rtol=1e-7, atol=1e-9)


def test_the_slow_path_nests():
    # a gradient of library code inside another call: the outer call's numbers ride along
    outer = dn.jacobian(lambda y: dn.gradient(scipy.optimize.rosen, y), X)
    np.testing.assert_allclose(outer, scipy.optimize.rosen_hess(X), rtol=1e-12, atol=1e-12)


def test_hessian_through_unwrap_on_object_arrays():
    # np.unwrap runs on object arrays of Dual2s (numpy's own code, elementwise and diff)
    x = np.array([0.3, 4.0, -2.5, 2.0, 6.0])
    f = lambda y: np.sum(np.unwrap(y) ** 2 * np.arange(1.0, 6.0))    # noqa: E731
    expected = central_jacobian(lambda y: central_jacobian(f, y, h=1e-5), x, h=1e-4)
    np.testing.assert_allclose(dn.hessian(f, x), expected, rtol=1e-5, atol=1e-4)


# ------------------------------------------------ sparse Jacobians of library code
def test_a_coloured_jacobian_of_library_code():
    pattern = scipy.optimize.rosen_hess(X) != 0
    jac = dn.jacobian(scipy.optimize.rosen_der, X, sparsity=pattern)
    np.testing.assert_allclose(jac, scipy.optimize.rosen_hess(X), rtol=1e-13, atol=1e-12)


def test_auto_sparsity_of_library_code_keeps_the_nonzeros_at_x():
    expected = scipy.optimize.rosen_hess(X)
    np.testing.assert_allclose(dn.jacobian(scipy.optimize.rosen_der, X, sparsity="auto"),
                               expected, rtol=1e-13, atol=1e-12)
    jac = dn.jacobian(scipy.optimize.rosen_der, X, sparsity="auto", sparse_output=True)
    np.testing.assert_allclose(jac.toarray(), expected, rtol=1e-13, atol=1e-12)
    assert jac.nnz == np.count_nonzero(expected)


def test_detect_sparsity_refuses_library_code_that_converts():
    with pytest.raises(ValueError, match="converts its argument with np.asarray"):
        dn.detect_sparsity(scipy.optimize.rosen_der, X)
