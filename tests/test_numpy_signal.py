"""Polynomials, signals, products and elementwise extras of dual arrays
(dualnum/_functions_signal.py, dualnum/_functions_composite.py) at both orders.

Every function and option against central finite differences of numpy on
floats, through jacobian (dense and sparse tangents), jvp, gradient,
hessian and hvp (tests/composition_checks.py); singular points against
closed forms; refused options by name.
"""
import warnings

import numpy as np
import pytest
import composition_checks as checks  # tests/, on pytest's pythonpath

import dualnum as dn


rng = np.random.default_rng(16)
SEVEN = rng.standard_normal(7)
TWELVE = rng.standard_normal(12)
FILTER = np.array([1.0, -0.5, 2.0])


def m(a):
    return a.reshape(3, 4)


CASES = {
    "polyval dual x": (lambda a: np.polyval([1.0, -2.0, 0.5, 3.0], a), SEVEN),
    "polyval dual coefficients": (lambda a: np.polyval(a, 0.7), SEVEN),
    "polyval both": (lambda a: np.polyval(a[:4], a[4:]), SEVEN),
    "polyval plain x array": (lambda a: np.polyval(a[:4], np.array([0.3, -1.2])), SEVEN),
    "polyval 2-d x": (lambda a: np.polyval(a[:3], m(a)), TWELVE),
    "polyder": (lambda a: np.polyder(a), SEVEN),
    "polyder m": (lambda a: np.polyder(a, 2), SEVEN),
    "polyint": (lambda a: np.polyint(a), SEVEN),
    "polyint m k": (lambda a: np.polyint(a, 2, k=[1.0, 2.0]), SEVEN),
    "polyadd": (lambda a: np.polyadd(a[:3], a[3:] ** 2), SEVEN),
    "polyadd plain": (lambda a: np.polyadd([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], a[:2]), SEVEN),
    "polysub": (lambda a: np.polysub(a[:5], [1.0, 2.0]), SEVEN),
    "polymul": (lambda a: np.polymul(a[:3], a[3:]), SEVEN),
    "gradient": (lambda a: np.gradient(a), SEVEN),
    "gradient spacing": (lambda a: np.gradient(a, 0.3), SEVEN),
    "gradient spacing edge_order 2": (lambda a: np.gradient(a, 0.3, edge_order=2), SEVEN),
    "gradient coordinates": (lambda a: np.gradient(a, np.cumsum(np.arange(1.0, 8.0)) ** 1.1), SEVEN),
    "gradient coordinates edge_order 2": (
        lambda a: np.gradient(a, np.cumsum(np.arange(1.0, 8.0)) ** 1.1, edge_order=2), SEVEN),
    "gradient 2-d": (lambda a: np.concatenate([np.ravel(g) for g in np.gradient(m(a))]), TWELVE),
    "gradient 2-d spacings": (
        lambda a: np.concatenate([np.ravel(g) for g in np.gradient(m(a), [0.1, 0.5, 0.6], 2.0)]), TWELVE),
    "gradient axis": (
        lambda a: np.gradient(m(a), np.array([0.0, 1.0, 3.0, 3.5]), axis=1, edge_order=2), TWELVE),
    "gradient axis tuple": (
        lambda a: np.concatenate([np.ravel(g) for g in np.gradient(m(a), 0.5, axis=(1, 0))]), TWELVE),
    "ediff1d": (lambda a: np.ediff1d(m(a)), TWELVE),
    "ediff1d ends": (lambda a: np.ediff1d(m(a), to_begin=[1.0, 2.0], to_end=3.0), TWELVE),
    "ediff1d dual ends": (lambda a: np.ediff1d(a[2:], to_begin=a[:2] ** 2, to_end=a[:1]), SEVEN),
}
for _mode in ("full", "same", "valid"):
    # both operands dual, a plain filter, lengths of either order and parity
    for _split in (3, 4):
        CASES[f"convolve {_mode} {_split}"] = (
            lambda a, mode=_mode, i=_split: np.convolve(a[:i], a[i:], mode=mode), SEVEN)
        CASES[f"correlate {_mode} {_split}"] = (
            lambda a, mode=_mode, i=_split: np.correlate(a[:i], a[i:], mode=mode), SEVEN)
        CASES[f"correlate longer second {_mode} {_split}"] = (
            lambda a, mode=_mode, i=_split: np.correlate(a[i:], a[:i] ** 2, mode=mode), SEVEN)
    CASES[f"convolve plain filter {_mode}"] = (
        lambda a, mode=_mode: np.convolve(FILTER, a, mode=mode), SEVEN)
    CASES[f"correlate plain signal {_mode}"] = (
        lambda a, mode=_mode: np.correlate(a[:2], np.arange(5.0), mode=mode), SEVEN)
CASES["correlate default mode"] = (lambda a: np.correlate(a, FILTER), SEVEN)

MIXED = np.array([-1.3, -0.2, 0.05, 0.3, 0.7, 1.6, 2.2])      # no entry on a branch's edge

# products and elementwise extras (dualnum/_functions_composite.py)
CASES.update({
    "kron": (lambda a: np.kron(a[:3], a[3:]), SEVEN),
    "kron 2-d": (lambda a: np.kron(m(a)[:2, :2], m(a)[1:, 1:]), TWELVE),
    "kron plain": (lambda a: np.kron(np.eye(2), m(a)), TWELVE),
    "kron mixed ndim": (lambda a: np.kron(a[:3], m(a)), TWELVE),
    "cross": (lambda a: np.cross(a[:3], a[3:6]), SEVEN),
    "cross stacked": (lambda a: np.cross(m(a)[:, :3], m(a)[:, 1:]), TWELVE),
    "cross axes": (lambda a: np.cross(m(a)[:, :2], m(a)[:, 2:] ** 2, axisa=0, axisb=0, axisc=0),
                   TWELVE),
    "cross axis": (lambda a: np.cross(m(a)[:, :3].T, m(a)[:, 1:].T, axis=0), TWELVE),
    "cross plain": (lambda a: np.cross(a[:3], [1.0, -2.0, 0.5]), SEVEN),
    "outer": (lambda a: np.outer(a[:3], a[3:]), SEVEN),
    "outer 2-d": (lambda a: np.outer(m(a)[:2], [1.0, 2.0]), TWELVE),
    "tensordot pairs": (lambda a: np.tensordot(m(a), m(a)[:, :2] ** 2, axes=([0], [0])), TWELVE),
    "tensordot int": (lambda a: np.tensordot(m(a), np.ones((3, 4, 2)), axes=2), TWELVE),
    "tensordot 0": (lambda a: np.tensordot(a[:2], a[2:4], axes=0), SEVEN),
    "trace": (lambda a: np.trace(m(a)), TWELVE),
    "trace offset": (lambda a: np.trace(m(a), offset=1), TWELVE),
    "trace negative offset axes": (lambda a: np.trace(a.reshape(2, 2, 3), -1, 2, 0), TWELVE),
    "inner": (lambda a: np.inner(m(a), a[:4]), TWELVE),
    "sinc": (lambda a: np.sinc(a), MIXED),
    "sinc at 0": (lambda a: np.sinc(a * np.array([1.0, 1, 0, 1, 1, 1, 1])), MIXED),
    "sinc small": (lambda a: np.sinc(a * 0.1), SEVEN),
    "sinc through 0": (lambda a: np.sinc(a - SEVEN[2]), SEVEN),
    "nan_to_num": (
        lambda a: np.nan_to_num(np.where(a > 1, np.inf, np.where(a < -1, np.nan, a)), posinf=5.0) * a,
        MIXED),
    "nan_to_num options": (lambda a: np.nan_to_num(np.where(a > 1, -np.inf, np.where(a < -1, np.nan, a)),
                                                   nan=2.0, neginf=-5.0), MIXED),
    "round": (lambda a: np.round(a, 1) + a ** 2, SEVEN),
    "around": (lambda a: np.around(a) * a, SEVEN),
    "fix": (lambda a: np.fix(a * 3) * a, SEVEN),
    "real": (lambda a: np.real(a) ** 2, SEVEN),
    "imag": (lambda a: np.imag(a) + a, SEVEN),
    "sign": (lambda a: np.sign(a) * a ** 2, MIXED),
    "isreal iscomplex": (lambda a: np.where(np.isreal(a) & ~np.iscomplex(a), a ** 2, a), SEVEN),
    "piecewise": (lambda a: np.piecewise(a, [a < 0, a > 0.5], [lambda t: t ** 2, np.sin, 1.0]), MIXED),
    "piecewise constant first": (lambda a: np.piecewise(a, [a < 0], [0.5, lambda t: t ** 3]) * a, MIXED),
    "piecewise extra arguments": (
        lambda a: np.piecewise(a, a > 0, [lambda t, p, q=1.0: t ** p * q], 3.0, q=2.0), MIXED),
    "piecewise 2-d": (lambda a: np.piecewise(m(a), [m(a) < 0], [np.exp, np.cos]), TWELVE),
    "select": (lambda a: np.select([a < 0, a > 0.5], [a ** 2, np.sin(a)], default=a), MIXED),
    "select plain choice": (lambda a: np.select([a < 0, a > 0.5], [a ** 2, 3.0]), MIXED),
    "apply_along_axis": (lambda a: np.apply_along_axis(lambda r: r ** 2 * r[:1], 1, m(a)), TWELVE),
    "apply_along_axis outer": (lambda a: np.apply_along_axis(lambda r: np.outer(r, r), 0, m(a)), TWELVE),
    "apply_over_axes": (lambda a: np.apply_over_axes(np.sum, m(a) ** 2, [0, 1]), TWELVE),
    "apply_over_axes mean": (lambda a: np.apply_over_axes(np.mean, np.sin(m(a)), 1), TWELVE),
})
# f combines a scalar dual (a full sum) with an array: hvp leaves the compiled array by design
SCALARS = {
    "piecewise scalar piece": (
        lambda a: np.piecewise(a, [a < 0], [lambda t: np.sum(t), lambda t: t ** 3]), MIXED),
    "apply_along_axis scalar": (lambda a: np.apply_along_axis(np.sum, 0, m(a) ** 2), TWELVE),
    "apply_along_axis element": (lambda a: np.apply_along_axis(lambda r: r * r[0], 1, m(a)), TWELVE),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_differences(name):
    f, x = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)      # numpy 2's 2-d cross
        checks.check(f, x)


@pytest.mark.parametrize("name", sorted(SCALARS))
def test_with_scalar_duals_against_differences(name):
    f, x = SCALARS[name]
    checks.check(f, x, hvp_compiled=False)


# 2-element vectors: numpy 2.0-2.4 take them with a DeprecationWarning, numpy >= 2.5
# raises a ValueError; dualnum does what the installed numpy does on floats
CROSSES_OF_2_VECTORS = {
    "2 x 2": (lambda a: np.cross(a[:2], a[2:4]), SEVEN),
    "2 x 3": (lambda a: np.cross(a[:2], a[3:6]), SEVEN),
    "3 x 2": (lambda a: np.cross(a[:3], a[3:5]), SEVEN),
    "2 x 2 stacked axes": (lambda a: np.cross(m(a)[:2], m(a)[1:] ** 2, axisa=0, axisb=0), TWELVE),
}


@pytest.mark.parametrize("name", sorted(CROSSES_OF_2_VECTORS))
def test_cross_of_2_vectors_follows_the_installed_numpy(name):
    f, x = CROSSES_OF_2_VECTORS[name]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            f(x)
    except ValueError as numpys:
        calls = (lambda: f(dn.DualArray(x, np.ones(x.shape + (1,)))), lambda: dn.jacobian(f, x),
                 lambda: dn.hessian(lambda a: np.sum(f(a) ** 2), x),
                 lambda: dn.hvp(lambda a: np.sum(f(a) ** 2), x, np.ones_like(x)))
        for call in calls:
            with pytest.raises(ValueError) as raised:
                call()
            assert str(raised.value) == str(numpys)
        return
    assert [w.category for w in caught] == [DeprecationWarning]
    with pytest.warns(DeprecationWarning, match=str(caught[0].message).replace("(", r"\(")
                      .replace(")", r"\)").replace(".", r"\.")):
        f(dn.DualArray(x, np.ones(x.shape + (1,))))
    with pytest.warns(DeprecationWarning):
        checks.check(f, x)


def _sinc_derivative(x, n):
    import mpmath
    with mpmath.workdps(40):
        return float(mpmath.diff(lambda t: mpmath.sinc(mpmath.pi * t), x, n))


def test_sinc_at_and_near_zero_is_exact():
    # at 0: sinc' = 0, sinc'' = -pi**2 / 3; near 0 against mpmath, at both orders
    for x in (0.0, 1e-9, -3e-5, 0.01, 0.3, 1 / np.pi - 1e-12, 1 / np.pi, 0.5):
        point = np.array([x])
        first = dn.gradient(lambda a: np.sum(np.sinc(a)), point)[0]
        second = dn.hessian(lambda a: np.sum(np.sinc(a)), point)[0, 0]
        assert first == pytest.approx(_sinc_derivative(x, 1), rel=1e-14, abs=1e-15)
        assert second == pytest.approx(_sinc_derivative(x, 2), rel=1e-13)
        value = np.sinc(dn.DualArray(point, np.ones((1, 1)))).value
        np.testing.assert_allclose(value, np.sinc(point), rtol=2e-16)
    assert dn.gradient(lambda a: np.sum(np.sinc(a)), np.zeros(1))[0] == 0.0


def test_replaced_and_rounded_entries_have_derivative_zero():
    x = np.array([np.nan, np.inf, -np.inf, 1.5])
    d = dn.DualArray(x, np.ones((4, 2)))
    got = np.nan_to_num(d, posinf=9.0)
    np.testing.assert_array_equal(got.value, np.nan_to_num(x, posinf=9.0))
    np.testing.assert_array_equal(got.tangent, [[0, 0], [0, 0], [0, 0], [1, 1]])
    for f in (np.round, np.around, np.fix, lambda a: np.round(a, 2)):
        got, warned = _with_warnings(f, dn.DualArray([0.4449, -2.5, 3.7], np.ones((3, 1))))
        want, numpys = _with_warnings(f, np.array([0.4449, -2.5, 3.7]))
        np.testing.assert_array_equal(got.value, want)
        assert not got.tangent.any()
        assert _described(warned) == _described(numpys)      # numpy >= 2.5 deprecates fix


def _with_warnings(f, *args):
    """f(*args) and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = f(*args)
    return result, caught


def _described(caught):
    return [(w.category, str(w.message)) for w in caught]


def test_fix_warns_as_numpy_does_once_at_the_users_call():
    numpys = _described(_with_warnings(np.fix, SEVEN)[1])
    g = lambda a: np.sum(np.fix(a * 3) * a ** 2)                   # noqa: E731
    calls = {"DualArray": lambda: np.fix(dn.DualArray(SEVEN, np.ones((7, 1)))),
             "Dual": lambda: np.fix(dn.Dual(SEVEN[0], 1.0)), "gradient": lambda: dn.gradient(g, SEVEN),
             "hessian": lambda: dn.hessian(g, SEVEN), "hvp": lambda: dn.hvp(g, SEVEN, SEVEN)}
    for name, call in calls.items():
        _, warned = _with_warnings(call)
        assert _described(warned) == numpys, name
        assert all(w.filename == __file__ for w in warned), name


def test_scalar_dual_operands():
    # a scalar Dual (hessian's scalars too; hvp's carry H v and leave the compiled array)
    checks.check(lambda a: np.ediff1d(a[2:], to_end=a[0] * a[1]), SEVEN, second=False)
    checks.check(lambda a: np.polyadd(a[:3], a[3] ** 2), SEVEN, second=False)
    hessian = dn.hessian(lambda a: np.sum(np.ediff1d(a[1:], to_begin=a[0] ** 3) ** 2), SEVEN[:4])
    checks.close(hessian, checks.differences(
        lambda p: dn.gradient(lambda a: np.sum(np.ediff1d(a[1:], to_begin=a[0] ** 3) ** 2), p),
        SEVEN[:4]), 1e-6)


def test_convolve_and_correlate_values_are_numpys():
    d = dn.DualArray(SEVEN, np.ones((7, 1)))
    for mode in ("full", "same", "valid"):
        for i in range(1, 7):
            for f in (np.convolve, np.correlate):
                np.testing.assert_allclose(f(d[:i], d[i:], mode=mode).value,
                                           f(SEVEN[:i], SEVEN[i:], mode=mode), rtol=1e-14, atol=1e-14)


def test_polyval_value_is_numpys_horner_loop():
    d = dn.DualArray(SEVEN, np.ones((7, 1)))
    assert np.array_equal(np.polyval(d[:4], d[4:]).value, np.polyval(SEVEN[:4], SEVEN[4:]))
    assert np.polyval(d, 0.7).value == np.polyval(SEVEN, 0.7)          # a scalar Dual


@pytest.mark.parametrize("call, option", [
    (lambda a: np.gradient(a, a), "varargs"),
    (lambda a: np.polyint(a, k=a[0]), "k"),
    (lambda a: np.nan_to_num(a, nan=a[0]), "nan"),
    (lambda a: np.round(a, out=np.empty(3)), "out"),
    (lambda a: np.fix(a, out=np.empty(3)), "out"),
])
def test_refused_options_are_named(call, option):
    checks.assert_refused(call, option)


def test_numpy_errors_stay_numpys():
    d = dn.DualArray([1.0, 2.0, 4.0], np.eye(3))
    with pytest.raises(ValueError, match="mode"):
        np.convolve(d, d, mode="middle")
    with pytest.raises(ValueError, match="edge_order"):
        np.gradient(d, edge_order=3)
    with pytest.raises(ValueError, match="too small"):
        np.gradient(d[:2], edge_order=2)
    with pytest.raises(ValueError):
        np.convolve(d, d[:0])
