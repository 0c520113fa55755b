"""Checks of numpy functions on dual arrays against central finite differences
of numpy on floats, through every API at both orders (used by
tests/test_numpy_statistics.py and tests/test_numpy_signal.py).

``check(f, x)``: f maps a float array to an array or a scalar with numpy
calls only.  Its Jacobian by dense tangents (jacobian), by sparse tangents
(jacobian with a sparsity pattern), jvp, and for scalar f the gradient, must
match central differences of f on floats; the Hessian of a fixed random
weighting of f's outputs (hessian and hvp) must come from one evaluation on
the compiled second-order array and match central differences of that
weighting's gradient.
"""
import numpy as np
import pytest

import dualnum as dn
from dualnum import _hessian_array

STEP = 1e-6


def differences(f, x, step=STEP):
    """Central differences of f at x, shape f(x).shape + x.shape."""
    columns = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = step
        e = e.reshape(x.shape)
        columns.append((np.asarray(f(x + e), dtype=float) - np.asarray(f(x - e), dtype=float))
                       / (2 * step))
    return np.stack(columns, axis=-1).reshape(np.shape(f(x)) + x.shape)


def close(got, want, rtol):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = 1.0 + np.max(np.abs(want), initial=0.0)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)


def _compiled_only(f):
    """f, recording the type of each argument it is called with."""
    calls = []

    def wrapper(v):
        calls.append(type(v))
        return f(v)
    return wrapper, calls


def _flat_output(f, shape):
    """f of a flat argument, with a 1-d result (a scalar one joined to v[:1] * 0)."""
    def flat(v):
        result = f(v.reshape(shape))
        return result.reshape(-1) if hasattr(result, "reshape") else v[:1] * 0.0 + result
    return flat


def check(f, x, rtol=1e-6, second=True, value_rtol=1e-13, hvp_compiled=True, compiled=True):
    """f through jacobian (dense and sparse), jvp, gradient, hessian and hvp.

    ``hvp_compiled=False``: f combines a scalar dual number (a full sum, an
    element) with an array, which hvp's scalars (they carry H v) leave to
    the object arrays by design; hvp's numbers are still checked.
    ``compiled=False``: f uses what the second-order array does not cover,
    which hessian and hvp evaluate on object arrays of Dual2s instead."""
    x = np.asarray(x, dtype=float)
    rng = np.random.default_rng(len(x.ravel()))
    want_value = np.asarray(f(x), dtype=float)
    want = differences(f, x)
    value, jac = dn.value_and_jacobian(f, x)
    close(value, want_value, value_rtol)
    close(jac, want, rtol)
    v = rng.standard_normal(x.shape)
    _, product = dn.jvp(f, x, v)
    close(product, np.tensordot(want, v, axes=x.ndim), rtol)
    if want_value.ndim == 0:
        close(dn.gradient(f, x), want, rtol)
    # sparse tangents (jacobian of the flattened f): a full pattern, and the
    # traced one; the sparse rows meet every operation of f either way
    flat, flat_x = _flat_output(f, x.shape), x.reshape(-1)
    flat_want = want.reshape(want_value.size, x.size)
    pattern = np.ones(flat_want.shape, dtype=bool)
    close(dn.jacobian(flat, flat_x, sparsity=pattern), flat_want, rtol)
    close(dn.jacobian(flat, flat_x, sparsity="auto"), flat_want, rtol)
    if second:
        check_second(f, x, rtol, hvp_compiled and compiled, compiled)


def check_second(f, x, rtol=1e-6, hvp_compiled=True, compiled=True):
    """hessian and hvp of a weighting of f's outputs, on the compiled array."""
    x = np.asarray(x, dtype=float)
    rng = np.random.default_rng(7 + x.size)
    weights = rng.standard_normal(np.shape(f(x)))

    def weighted(v):
        return np.sum(f(v) * weights)

    wrapper, calls = _compiled_only(weighted)
    value, gradient, hessian = dn.value_gradient_and_hessian(wrapper, x)
    assert calls[0] is _hessian_array.Dual2Array
    assert (len(calls) == 1) is compiled, "the compiled second-order path declined (or not, as expected)"
    want = differences(lambda p: dn.gradient(weighted, p), x)
    close(value, weighted(x), 1e-12)
    close(gradient, dn.gradient(weighted, x), 1e-12)
    close(hessian, want, rtol)
    v = rng.standard_normal(x.shape)
    wrapper, calls = _compiled_only(weighted)
    _, _, product = dn.value_gradient_and_hvp(wrapper, x, v)
    assert calls[0] is _hessian_array.Dual2Array
    assert (len(calls) == 1) is hvp_compiled, "hvp's compiled array declined (or not, as expected)"
    close(product, np.tensordot(want, v, axes=x.ndim), rtol)


def assert_refused(call, option):
    """call on a DualArray raises a TypeError naming ``option``."""
    with pytest.raises(TypeError, match=option):
        call(dn.DualArray([1.0, 2.0, 4.0], np.eye(3)))
