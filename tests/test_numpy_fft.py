"""np.fft on DualArray and the complex intermediates it makes
(dualnum/_functions_fft.py, dualnum/_complex_array.py).

References, independent of the AD machinery: central finite differences of
numpy on plain floats; the transform's linearity (the tangent of T(x) along
v is T(v), computed here per direction with numpy); closed forms through an
explicit DFT matrix (no np.fft) for the power spectrum.
"""
import re
from pathlib import Path

import numpy as np
import pytest

import dualnum as dn
from dualnum._complex_array import ComplexDualArray
from dualnum.dualarray import DualArray

fft = np.fft
RNG = np.random.default_rng(15)
X1 = RNG.uniform(-2.0, 2.0, 6)
X2 = RNG.uniform(-2.0, 2.0, (3, 4))
X3 = RNG.uniform(-2.0, 2.0, (2, 3, 4))
REAL_OUT = {"irfft", "hfft", "irfft2", "irfftn"}


def central_difference(f, x, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / 2h for each i: shape f(x).shape + x.shape."""
    f0 = np.asarray(f(x))
    out = np.zeros(f0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[idx] = h
        out[(Ellipsis,) + idx] = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * h)
    return out


def close(got, want, tol=1e-6):
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


# (numpy function, keyword arguments, point): every transform and its options
TRANSFORMS = [
    (fft.fft, {}, X1), (fft.fft, {"n": 4}, X1), (fft.fft, {"n": 9, "norm": "ortho"}, X1),
    (fft.fft, {"axis": 0}, X2), (fft.fft, {"axis": -1, "norm": "forward"}, X2),
    (fft.ifft, {}, X1), (fft.ifft, {"n": 8, "axis": 0, "norm": "backward"}, X2),
    (fft.rfft, {}, X1), (fft.rfft, {"n": 5}, X1), (fft.rfft, {"axis": 0, "norm": "ortho"}, X2),
    (fft.irfft, {}, X1), (fft.irfft, {"n": 7, "axis": 0}, X2), (fft.irfft, {"norm": "forward"}, X2),
    (fft.hfft, {}, X1), (fft.hfft, {"n": 6, "axis": 0, "norm": "ortho"}, X2),
    (fft.ihfft, {}, X1), (fft.ihfft, {"n": 4, "axis": 0}, X2),
    (fft.fft2, {}, X2), (fft.fft2, {"s": (4, 3), "norm": "ortho"}, X2),
    (fft.fft2, {"axes": (0, 2)}, X3),
    (fft.ifft2, {}, X3), (fft.ifft2, {"s": (2, 5), "axes": (1, 0)}, X2),
    (fft.fftn, {}, X3), (fft.fftn, {"s": (3, 2), "axes": (-1, 0), "norm": "forward"}, X3),
    (fft.ifftn, {"axes": (1,)}, X3), (fft.ifftn, {}, X2),
    (fft.rfft2, {}, X2), (fft.rfft2, {"axes": (2, 0)}, X3),
    (fft.rfftn, {}, X3), (fft.rfftn, {"s": (4, 6), "axes": (0, 1), "norm": "ortho"}, X3),
    (fft.irfft2, {}, X2), (fft.irfft2, {"s": (3, 5)}, X3),
    (fft.irfftn, {}, X3), (fft.irfftn, {"s": (2, 4), "axes": (0, 2)}, X3),
]
IDS = [f"{func.__name__}-{sorted(kw.items())}-{x.ndim}d" for func, kw, x in TRANSFORMS]


def real_part(z):
    """The real part of a transform's result (a real one is its own)."""
    return z if isinstance(z, DualArray) or not np.iscomplexobj(z) else z.real


def parts(func):
    """The real maps a transform is made of: (real part, imaginary part), or itself."""
    if func.__name__ in REAL_OUT:
        return [func]
    return [lambda x, **kw: func(x, **kw).real, lambda x, **kw: np.imag(func(x, **kw))]


@pytest.mark.parametrize("func, kwargs, x", TRANSFORMS, ids=IDS)
def test_a_transform_maps_the_tangent_as_the_value(func, kwargs, x):
    """T(x + dx) = T(x) + T(dx): the tangent of each direction is the transform of
    that direction, and the value is numpy's."""
    k = 3
    tangent = RNG.normal(size=x.shape + (k,))
    y = func(DualArray(x, tangent, 7), **kwargs)
    want = func(x, **kwargs)
    assert isinstance(y, DualArray if func.__name__ in REAL_OUT else ComplexDualArray)
    np.testing.assert_array_equal(y.value, want)
    for j in range(k):
        close(y.tangent[..., j], func(tangent[..., j], **kwargs), 1e-12)


@pytest.mark.parametrize("func, kwargs, x", TRANSFORMS, ids=IDS)
def test_a_transform_against_finite_differences(func, kwargs, x, seeding):
    """jacobian (dense and sparse seeding), gradient and jvp of each real part."""
    v = RNG.normal(size=x.shape)
    for part in parts(func):
        def f(y):
            return part(y, **kwargs)
        reference = central_difference(f, x)
        close(dn.jacobian(f, x), reference)
        weights = RNG.normal(size=reference.shape[:reference.ndim - x.ndim])
        close(dn.gradient(lambda y: np.sum(weights * f(y)), x),
              np.tensordot(weights, reference, axes=weights.ndim))
        value, tangent = dn.jvp(f, x, v)
        np.testing.assert_array_equal(value, f(x))
        close(tangent, part(v, **kwargs), 1e-12)          # linearity: J v = T(v)


@pytest.mark.parametrize("func", [fft.fft, fft.ifft, fft.irfft, fft.hfft])
def test_a_sparse_jacobian_through_a_transform(func):
    """sparsity= gives sparse rows (one colour per column of a row block); the
    transform along the rows densifies them and is still right."""
    x = X2.reshape(-1)

    def f(y):
        return real_part(func(y.reshape(3, 4) ** 2, axis=1)).reshape(-1)
    reference = central_difference(f, x)
    rows = reference.shape[0] // 3
    pattern = np.kron(np.eye(3, dtype=bool), np.ones((rows, 4), dtype=bool))
    got = dn.jacobian(f, x, sparsity=pattern)
    close(got, reference)
    assert np.all(reference[~pattern] == 0)


def test_out_is_refused_by_name():
    x = DualArray(X1, np.eye(6), 1)
    for func in (fft.fft, fft.rfftn):
        with pytest.raises(TypeError, match="out"):
            func(x, out=np.empty(6, complex))


# ------------------------------------------------------------ shifts and frequencies

@pytest.mark.parametrize("func", [fft.fftshift, fft.ifftshift])
@pytest.mark.parametrize("axes", [None, 0, (1,), (-1, 0)])
def test_shifts_move_the_derivative_at_both_orders(func, axes):
    weights = RNG.normal(size=X2.shape)

    def f(y):
        return np.sum(weights * func(y, axes=axes) ** 3)
    close(dn.gradient(f, X2), central_difference(f, X2))
    close(dn.jacobian(lambda y: func(y, axes=axes), X2),
          central_difference(lambda y: func(y, axes=axes), X2), 1e-9)
    close(dn.hessian(f, X2), central_difference(lambda y: dn.gradient(f, y), X2), 1e-5)
    direction = RNG.normal(size=X2.shape)
    close(dn.hvp(f, X2, direction),
          np.tensordot(central_difference(lambda y: dn.gradient(f, y), X2), direction, 2), 1e-5)


def test_a_shift_keeps_a_sparse_tangent_sparse():
    engine = DualArray._engine
    index = np.array([[0, -1], [1, 2], [2, -1], [0, 1]], dtype=np.intp)
    weight = RNG.normal(size=(4, 2))
    x = engine.wrap_sparse(X1[:4].copy(), index, weight, 40, 2)
    dense = np.zeros((4, 40))
    for e, j in zip(*np.nonzero(index >= 0)):
        dense[e, index[e, j]] += weight[e, j]
    for func in (fft.fftshift, fft.ifftshift):
        y = func(x)
        assert y.sparse_tangent is not None
        np.testing.assert_array_equal(y.value, func(X1[:4]))
        np.testing.assert_array_equal(y.tangent, func(dense, axes=0))


def test_a_shift_of_a_complex_intermediate():
    def f(y):
        return np.abs(fft.fftshift(fft.fft2(y), axes=1))
    close(dn.jacobian(f, X2), central_difference(f, X2))


def test_frequencies_still_work_in_differentiated_code():
    n = X1.size

    def f(y):
        spectrum = np.abs(fft.fft(y)) ** 2 * fft.fftfreq(n, d=0.1) ** 2
        return np.sum(spectrum) + np.sum(fft.rfftfreq(n) * np.abs(fft.rfft(y)))
    close(dn.gradient(f, X1), central_difference(f, X1), 1e-5)


# ------------------------------------------------------------ complex intermediates

def dft_rows(n):
    """The rfft as a matrix, from its definition: X_q = sum_j x_j exp(-2 pi i q j / n)."""
    return np.exp(-2j * np.pi * np.outer(np.arange(n // 2 + 1), np.arange(n)) / n)


def test_the_power_spectrum_against_its_closed_form():
    """d|X_q|^2/dx_j = 2 Re(conj(X_q) F_qj), F the DFT matrix."""
    matrix = dft_rows(X1.size)
    spectrum = matrix @ X1
    jacobian = 2 * (np.conj(spectrum)[:, None] * matrix).real
    close(dn.jacobian(lambda y: np.abs(fft.rfft(y)) ** 2, X1), jacobian, 1e-12)
    close(dn.gradient(lambda y: np.sum(np.abs(fft.rfft(y)) ** 2), X1), jacobian.sum(0), 1e-12)
    _, along = dn.jvp(lambda y: np.abs(fft.rfft(y)) ** 2, X1, X1)
    close(along, jacobian @ X1, 1e-12)


FILTER = np.exp(0.7j * np.arange(6)) / (1.0 + np.arange(6))
# real-valued functions through complex intermediates: each against finite differences
PATHS = {
    "X times its conjugate": lambda y: (fft.fft(y) * fft.fft(y).conj()).real,
    "filter then back": lambda y: np.real(fft.ifft(fft.fft(y) * FILTER)),
    "filter on the left": lambda y: np.real(fft.ifft(FILTER * fft.fft(y))),
    "angle": lambda y: np.angle(fft.fft(y)[1:]),
    "angle in degrees": lambda y: np.angle(fft.fft(y)[1:4], deg=True),
    "abs summed": lambda y: np.abs(fft.fft(y)).sum(),
    "slice and stride": lambda y: fft.fft(y)[1::2].imag,
    "index one element": lambda y: abs(fft.fft(y)[2]),
    "real and imag": lambda y: fft.rfft(y).real * fft.rfft(y).imag,
    "np.imag": lambda y: np.imag(fft.ifft(y)),
    "complex constants": lambda y: np.real((2 - 1j) * fft.fft(y) + 3j - fft.fft(y) / (1 + 2j)),
    "reversed constants": lambda y: np.real(1j - fft.fft(y) + 1.5 / (fft.fft(y) + 9)),
    "with a DualArray": lambda y: np.real(y * fft.fft(y) + fft.fft(y) * y - y / (fft.fft(y) - 9)),
    "with a DualArray on the left": lambda y: np.real(y - fft.fft(y) + (y + 5) / (fft.fft(y) + 9)),
    "with a Dual": lambda y: np.real(fft.fft(y) * y[0] + y[1] / (fft.fft(y) + 9)),
    "with itself": lambda y: np.real(fft.fft(y) * fft.fft(y) / (fft.fft(y) + 9)),
    "powers": lambda y: np.real((fft.fft(y) + 9) ** 3 + (fft.fft(y) + 9) ** 0.5 + 2 ** fft.fft(y)),
    "dual exponent": lambda y: np.real((fft.fft(y) + 9) ** (fft.fft(y) / 10)),
    "exp log sqrt": lambda y: np.real(np.exp(fft.fft(y) / 5) + np.log(fft.fft(y) + 9)
                                      + np.sqrt(fft.fft(y) + 9)),
    "trigonometric": lambda y: np.imag(np.sin(fft.fft(y) / 5) * np.cos(fft.fft(y) / 5)
                                       + np.tan(fft.fft(y) / 9)),
    "hyperbolic": lambda y: np.real(np.sinh(fft.fft(y) / 5) + np.cosh(fft.fft(y) / 5)
                                    + np.tanh(fft.fft(y) / 5)),
    "more holomorphic": lambda y: np.real(np.square(fft.fft(y)) + np.reciprocal(fft.fft(y) + 9)
                                          + np.expm1(fft.fft(y) / 5) + np.log1p(fft.fft(y) + 9)
                                          + np.log2(fft.fft(y) + 9) + np.log10(fft.fft(y) + 9)
                                          - np.negative(np.positive(fft.fft(y)))),
    "conjugate ufunc": lambda y: np.imag(np.conj(fft.fft(y)) * fft.fft(y) ** 2),
    "sum and mean": lambda y: np.abs(np.sum(fft.fft2(y), axis=0)) + np.abs(fft.fft2(y).mean(axis=(0,),
                                                                                            keepdims=True)),
    "total sum": lambda y: np.abs(np.mean(fft.fft2(y))) + np.real(fft.fft2(y).sum()),
    "reshape and transpose": lambda y: np.imag(fft.fft2(y).reshape(-1, 2).T),
    "shifted spectrum": lambda y: np.abs(fft.fftshift(fft.fft2(y), axes=1)) * fft.ifftshift(y),
    "back to real": lambda y: fft.irfft(fft.rfft(y) * np.exp(fft.rfft(y) / 10), n=y.shape[-1]),
    "hermitian pair": lambda y: fft.hfft(fft.ihfft(y) ** 2),
    "n-d back to real": lambda y: fft.irfftn(np.abs(fft.rfftn(y)) * fft.rfftn(y), s=y.shape,
                                                    axes=(0, 1)),
}


def path_point(name):
    return X2 if name in ("sum and mean", "total sum", "reshape and transpose",
                          "n-d back to real", "shifted spectrum") else X1


@pytest.mark.parametrize("name", sorted(PATHS))
def test_a_complex_path_against_finite_differences(name, seeding):
    f = PATHS[name]
    x = path_point(name)
    reference = central_difference(f, x)
    close(dn.jacobian(f, x), reference, 1e-5)
    weights = RNG.normal(size=reference.shape[:reference.ndim - x.ndim])
    close(dn.gradient(lambda y: np.sum(weights * f(y)), x),
          np.tensordot(weights, reference, axes=weights.ndim), 1e-5)
    v = RNG.normal(size=x.shape)
    _, tangent = dn.jvp(f, x, v)
    close(tangent, np.tensordot(reference, v, axes=x.ndim), 1e-5)


def test_abs_at_zero_takes_the_real_rule():
    """|z| at z = 0 takes the unit phase 1, d|z| = Re dz: on the real axis, abs'(0) = 1."""
    x = np.array([1.0, -2.0, 0.5, 0.25, 3.0, -2.75])    # rfft(x)[0] = sum(x) = 0
    assert fft.rfft(x)[0] == 0
    close(dn.gradient(lambda y: np.abs(fft.rfft(y))[0], x), dn.gradient(lambda y: abs(np.sum(y)), x),
          1e-12)
    close(dn.gradient(lambda y: np.abs(fft.rfft(y))[0], x), np.ones(6), 1e-12)
    close(dn.gradient(lambda y: np.angle(fft.rfft(y))[0], x), np.zeros(6), 0.0)


# ------------------------------------------------------------ the boundary

def carrier():
    return fft.fft(DualArray(X1, np.eye(6), 3))


# (np.arcsin and np.concatenate were refused here before issue 17's complex
# dual arrays: now tests/test_complex_arrays.py differentiates them)
@pytest.mark.parametrize("operation, what", [
    (lambda z: np.floor(z), "numpy.floor"),
    (lambda z: np.exp(z, out=np.empty(6, complex)), "numpy.exp.__call__ with arguments ['out']"),
    (lambda z: np.add.reduce(z), "numpy.add.reduce"),
    (lambda z: np.asarray(z), "conversion to an ndarray"),
    (lambda z: z < 1, "comparison"),
    (lambda z: np.cumsum(z), "numpy.cumsum"),
    (lambda z: bool(z), "truth value"),
])
def test_what_the_carrier_does_not_do_raises_a_clear_type_error(operation, what):
    with pytest.raises(TypeError, match=re.escape(what)) as error:
        operation(carrier())
    assert "end in a real result" in str(error.value)


def test_a_ufunc_with_the_dual_array_first_raises_and_the_operator_works():
    x = DualArray(X1, np.eye(6), 3)
    z = fft.fft(x)
    with pytest.raises(TypeError, match="numpy.multiply of a DualArray"):
        np.multiply(x, z)
    product = x * z
    np.testing.assert_array_equal(product.value, np.multiply(z, x).value)
    np.testing.assert_array_equal(product.tangent, np.multiply(z, x).tangent)


def test_queries_of_the_carrier():
    z = fft.rfft2(DualArray(X2, np.ones(X2.shape + (2,)), 3))
    assert np.iscomplexobj(z) and not np.isrealobj(z)
    assert np.shape(z) == z.shape == (3, 3) and np.ndim(z) == 2 and np.size(z) == 9
    assert np.size(z, 1) == 3 and len(z) == 3 and z.dtype == np.complex128


def test_a_complex_result_of_f_is_a_complex_jacobian():
    # refused (TypeError) before issue 17; now the Jacobian of the DFT is its
    # matrix, the transforms of the unit vectors
    n = X1.size
    np.testing.assert_allclose(dn.jacobian(lambda y: fft.fft(y), X1), fft.fft(np.eye(n), axis=0),
                               atol=1e-14)
    np.testing.assert_allclose(dn.gradient(lambda y: np.sum(fft.fft(y)), X1),
                               fft.fft(np.eye(n), axis=0).sum(axis=0), atol=1e-13)


# ------------------------------------------------------------ second order

def second_order_reference(f, x):
    """Central differences of the first-order gradient (itself checked above)."""
    return central_difference(lambda y: dn.gradient(f, y), x, 1e-5)


@pytest.mark.parametrize("func, kwargs, x", TRANSFORMS, ids=IDS)
def test_a_transform_at_second_order(func, kwargs, x):
    """hessian and hvp on the compiled second-order array, against finite
    differences of the gradient."""
    weights = RNG.normal(size=np.shape(func(x, **kwargs)))

    def f(y):
        total = 0.0
        for part in parts(func):
            total = total + np.sum(weights * part(y * y, **kwargs)) + np.sum(part(y, **kwargs) ** 2)
        return total
    reference = second_order_reference(f, x)
    close(dn.hessian(f, x), reference, 1e-5)
    v = RNG.normal(size=x.shape)
    value, gradient, product = dn.value_gradient_and_hvp(f, x, v)
    close(value, f(x), 1e-12)
    close(gradient, dn.gradient(f, x), 1e-12)
    close(product, np.tensordot(reference, v, axes=x.ndim), 1e-5)


def test_the_power_spectrum_hessian_against_its_closed_form():
    """d2/dx2 sum_q |X_q|^2 = 2 Re(F^H F), F the rfft matrix."""
    matrix = dft_rows(X1.size)
    hessian = 2 * (matrix.conj().T @ matrix).real
    close(dn.hessian(lambda y: np.sum(np.abs(fft.rfft(y)) ** 2), X1), hessian, 1e-12)
    close(dn.hvp(lambda y: np.sum(np.abs(fft.rfft(y)) ** 2), X1, X1), hessian @ X1, 1e-12)


# the paths whose functions the second-order parts have no rule for
FIRST_ORDER_ONLY = {"trigonometric": "numpy.tan", "hyperbolic": "numpy.sinh",
                    "more holomorphic": "numpy.expm1", "dual exponent": "dual exponent",
                    "powers": "complex or dual exponent"}


@pytest.mark.parametrize("name", sorted(set(PATHS) - set(FIRST_ORDER_ONLY)))
def test_a_complex_path_at_second_order(name):
    x = path_point(name)
    weights = RNG.normal(size=np.shape(PATHS[name](x)))

    def f(y):
        return np.sum(weights * PATHS[name](y))
    reference = second_order_reference(f, x)
    close(dn.hessian(f, x), reference, 1e-5)
    if name != "with a Dual":           # hvp's compiled pass refuses an element x[i] with x
        v = RNG.normal(size=x.shape)
        close(dn.hvp(f, x, v), np.tensordot(reference, v, axes=x.ndim), 1e-5)


def test_where_np_fft_meets_object_arrays_the_error_names_it():
    """hvp's object-array fallback (an element x[i] combined with x) and nested
    calls (numbers of two calls) run f on object arrays, where np.fft has no loop."""
    def f(y):
        return np.sum(PATHS["with a Dual"](y))
    for call in (lambda: dn.hvp(f, X1, X1), lambda: dn.jacobian(lambda y: dn.gradient(f, y), X1)):
        with pytest.raises(TypeError, match="numpy.fft.fft is not supported on arrays of dual numbers"):
            call()


@pytest.mark.parametrize("name", sorted(FIRST_ORDER_ONLY))
def test_what_the_second_order_parts_do_not_do_raises_a_clear_type_error(name):
    with pytest.raises(TypeError, match=FIRST_ORDER_ONLY[name]):
        dn.hessian(lambda y: np.sum(PATHS[name](y)), path_point(name))


def test_abs_at_zero_at_second_order_takes_the_real_rule():
    x = np.array([1.0, -2.0, 0.5, 0.25, 3.0, -2.75])    # rfft(x)[0] = 0
    close(dn.hessian(lambda y: np.abs(fft.rfft(y * y - 1.0))[0] + np.abs(fft.rfft(y))[0], x),
          dn.hessian(lambda y: abs(np.sum(y * y - 1.0)) + abs(np.sum(y)), x), 1e-12)


def test_a_sparse_hessian_through_a_transform():
    """sparsity= on hessian: a transform of each block of 3 touches that block only."""
    x = X2.reshape(-1)

    def f(y):
        return np.sum(np.abs(fft.fft(y.reshape(4, 3) ** 2, axis=1)) ** 2)
    pattern = np.kron(np.eye(4, dtype=bool), np.ones((3, 3), dtype=bool))
    close(dn.hessian(f, x, sparsity=pattern), second_order_reference(f, x), 1e-5)


def test_the_second_order_parts_refuse_clearly():
    def refused(operation):
        return lambda y: operation(fft.fft(y))
    for operation, what in [(lambda z: np.arcsin(z), "numpy.arcsin"),
                            (lambda z: z < 1, "comparison"),
                            (lambda z: np.asarray(z), "conversion to an ndarray"),
                            (lambda z: np.add.reduce(z), "numpy.add.reduce"),
                            (lambda z: np.concatenate([z, z]), "numpy.concatenate"),
                            (lambda z: z ** (1 + 1j), "complex or dual exponent")]:
        with pytest.raises(TypeError, match=re.escape(what)) as error:
            dn.hessian(refused(operation), X1)
        assert "end in a real result" in str(error.value)
    with pytest.raises(TypeError, match="out"):
        dn.hessian(lambda y: np.sum(fft.fft(y, out=np.empty(6, complex)).real), X1)


def test_the_fft_modules_sit_below_the_compiled_array():
    """They take the engine (and the carrier its table), importing nothing of _array."""
    package = Path(dn.__file__).parent
    for module in ("_functions_fft", "_complex_array", "_complex_parts"):
        source = (package / f"{module}.py").read_text()
        assert not re.search(r"^\s*(from dualnum(\._array|\.dualarray) |from dualnum import .*_array\b)",
                             source, re.MULTILINE), module
