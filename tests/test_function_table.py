"""Every row of the function table, on every number and array type.

Driven by the table itself (dualnum._table.ROWS), so a new row is tested here
without a line added.  For each row, at points where its float reference is
defined and smooth:

* the value on floats is the row's float reference (math, or numpy's ufunc);
* the first derivative of a Dual matches finite differences of that float
  reference (Richardson-extrapolated central differences: independent of the
  C rules and the Taylor kernels);
* Jet, Dual2, DualArray (first order), the second-order array of hessian and
  nested calls agree with the Dual and with each other: Jets and Dual2s run
  the Taylor kernels, Duals and DualArrays the first-order C rules, so each
  checks the other, and second derivatives are checked against differences of
  the (already checked) first derivatives;
* numpy's spelling of the row (``np.sin(x)``, the ``x.sin()`` method its
  object loops call) gives what the module function gives.
"""
import math

import numpy as np
import pytest

import dualnum as dn
from dualnum._table import ROWS

# rows without a float reference or numpy ufunc in the table: independent formulas
FORMULAS = {
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
    "softplus": lambda x: math.log1p(math.exp(x)),
    "relu": lambda x: max(x, 0.0),
}
CANDIDATES = [-2.6, -1.35, -0.7, -0.3, 0.2, 0.45, 0.8, 1.3, 1.85, 2.7, 3.6]
PAIRS = [(a, b) for a in (-1.7, -0.65, 0.35, 0.9, 2.2) for b in (-1.35, -0.45, 0.55, 1.15, 2.6)
         if a != b]
REL = 1e-9           # derivative vs differences (the differences' own error is ~1e-11)
SAME = 1e-12         # two implementations of the same derivative in dualnum


def float_reference(row):
    if row.name in FORMULAS:
        return FORMULAS[row.name]
    if row.reference is not None:
        return row.reference
    return lambda *args: float(row.ufunc(*args))


def evaluate(f, *args):
    """f(*args) as a float, or None where it is undefined or not finite."""
    try:
        value = f(*args)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if isinstance(value, complex):       # a negative base to a fractional power
        return None
    return float(value) if math.isfinite(value) else None


def difference(f, x, h):
    """Richardson-extrapolated central difference of f at x (None if undefined)."""
    def central(step):
        up, down = evaluate(f, x + step), evaluate(f, x - step)
        return None if up is None or down is None else (up - down) / (2 * step)
    coarse, fine = central(h), central(h / 2)
    if coarse is None or fine is None:
        return None
    return (4 * fine - coarse) / 3


def smooth_slope(f, x):
    """f'(x) from differences, or None where f is not smooth around x (a jump
    between the sample points, a kink): there differences are no reference."""
    h = 1e-3 * max(1.0, abs(x))
    wide, narrow = difference(f, x, h), difference(f, x, h / 8)
    if wide is None or narrow is None or not math.isclose(wide, narrow, rel_tol=1e-7, abs_tol=1e-9):
        return None
    return narrow


def close(actual, expected, rel=REL):
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=rel)


def module_function(row):
    """The row as a function of numbers: dualnum.<name>, or numpy's ufunc for an
    operator (which numpy hands to the numbers' __array_ufunc__)."""
    if row.functions:
        return getattr(dn, row.functions[0])
    return row.ufunc


UNARY = [row for row in ROWS if row.arity == 1]
BINARY = [row for row in ROWS if row.arity == 2]


def unary_points(row):
    ref = float_reference(row)
    points = [(x, smooth_slope(ref, x)) for x in CANDIDATES if evaluate(ref, x) is not None]
    points = [(x, slope) for x, slope in points if slope is not None]
    assert len(points) >= 3, f"{row.name}: too few points where the reference is smooth"
    return points


def binary_points(row):
    ref = float_reference(row)
    points = []
    for a, b in PAIRS:
        if evaluate(ref, a, b) is None:
            continue
        da = smooth_slope(lambda t: ref(t, b), a)
        db = smooth_slope(lambda t: ref(a, t), b)
        if da is not None and db is not None:
            points.append(((a, b), (da, db)))
    assert len(points) >= 3, f"{row.name}: too few points where the reference is smooth"
    return points


def test_every_spelling_names_one_row():
    seen = {}
    for row in ROWS:
        for name in row.names:
            assert name not in seen, f"{name} spelled by {seen.get(name)} and {row.name}"
            seen[name] = row.name
        for name in row.functions:
            assert getattr(dn, name)  # every module function is exported
            assert name in dn.__all__


@pytest.mark.parametrize("row", UNARY, ids=lambda r: r.name)
def test_unary_row_on_every_type(row):
    f = module_function(row)
    ref = float_reference(row)
    for x, slope in unary_points(row):
        value = ref(x)
        # floats: the reference
        if row.functions:
            assert close(float(f(x)), value, 1e-15), (row.name, x)
        # Dual: first derivative against differences
        d = f(dn.Dual(x, 1.0))
        assert close(d.value, value, 1e-15) and close(d.partials[0], slope), (row.name, x, d, slope)
        # Jet (Taylor kernel): the same first derivative, and a second one
        # against differences of the Dual's
        jet = f(dn.Jet([x, 1.0, 0.0]))
        assert close(jet.derivatives[1], d.partials[0], SAME), (row.name, x)
        second = smooth_slope(lambda t: f(dn.Dual(t, 1.0)).partials[0], x)
        if second is not None:
            assert close(jet.derivatives[2], second, 1e-7), (row.name, x, jet, second)
        # Dual2: gradient and Hessian from the same kernels
        d2 = f(dn.Dual2(x, [1.0]))
        assert close(d2.gradient[0], d.partials[0], SAME)
        assert close(d2.hessian[0, 0], jet.derivatives[2], SAME)
        # numpy's spelling on a number, and the method its object loops call
        if row.ufunc is not None:
            via_numpy = row.ufunc(dn.Dual(x, 1.0))
            assert via_numpy == d and close(via_numpy.partials[0], d.partials[0], SAME)
            if hasattr(d, row.ufunc.__name__) and row.functions:
                assert close(getattr(dn.Dual(x, 1.0), row.ufunc.__name__)().partials[0],
                             d.partials[0], SAME)
    # arrays, first and second order, and nesting, over all the points at once
    xs = np.array([x for x, _ in unary_points(row)])
    slopes = np.array([dn.derivative(f, x) for x in xs])
    assert np.allclose(dn.derivative(f, xs), slopes, rtol=SAME, atol=SAME)
    seconds = np.array([f(dn.Jet([x, 1.0, 0.0])).derivatives[2] for x in xs])
    hess = dn.hessian(lambda v: np.sum(f(v)), xs)
    assert np.allclose(np.diag(hess), seconds, rtol=1e-11, atol=1e-11)
    for x, second in zip(xs, seconds):
        nested = dn.derivative(lambda t: dn.derivative(f, t), float(x))
        assert close(nested, second, 1e-11), (row.name, x)


@pytest.mark.parametrize("row", BINARY, ids=lambda r: r.name)
def test_binary_row_on_every_type(row):
    f = module_function(row)
    ref = float_reference(row)
    points = binary_points(row)
    for (a, b), (da, db) in points:
        value = ref(a, b)
        if row.functions:
            assert close(float(f(a, b)), value, 1e-15), (row.name, a, b)
        d = f(dn.Dual(a, (1.0, 0.0)), dn.Dual(b, (0.0, 1.0)))
        assert close(d.value, value, 1e-15), (row.name, a, b)
        assert close(d.partials[0], da) and close(d.partials[1], db), (row.name, a, b, d, da, db)
        # one operand a plain float
        assert close(f(dn.Dual(a, 1.0), b).partials[0], da)
        assert close(f(a, dn.Dual(b, 1.0)).partials[0], db)
        # Jets along each argument, Dual2 with both
        ja = f(dn.Jet([a, 1.0, 0.0]), b)
        jb = f(a, dn.Jet([b, 1.0, 0.0]))
        assert close(ja.derivatives[1], da, REL) and close(jb.derivatives[1], db, REL)
        d2 = f(dn.Dual2(a, [1.0, 0.0]), dn.Dual2(b, [0.0, 1.0]))
        assert close(d2.gradient[0], d.partials[0], SAME) and close(d2.gradient[1], d.partials[1], SAME)
        assert close(d2.hessian[0, 0], ja.derivatives[2], SAME)
        assert close(d2.hessian[1, 1], jb.derivatives[2], SAME)
        mixed = smooth_slope(lambda t: f(dn.Dual(a, 1.0), t).partials[0], b)
        if mixed is not None:
            assert close(d2.hessian[0, 1], mixed, 1e-7), (row.name, a, b)
        if row.ufunc is not None:
            via_numpy = row.ufunc(dn.Dual(a, (1.0, 0.0)), dn.Dual(b, (0.0, 1.0)))
            assert close(via_numpy.partials[0], d.partials[0], SAME)
    # arrays: gradient of the sum over all points (first order), hessian (second)
    a = np.array([p[0][0] for p in points])
    b = np.array([p[0][1] for p in points])
    n = len(a)
    grad = dn.gradient(lambda v: np.sum(row.ufunc(v[:n], v[n:])), np.concatenate([a, b]))
    expected = np.concatenate([[p[1][0] for p in points], [p[1][1] for p in points]])
    assert np.allclose(grad, expected, rtol=REL, atol=REL)
    hess = dn.hessian(lambda v: np.sum(row.ufunc(v[:n], v[n:])), np.concatenate([a, b]))
    for i in range(n):
        d2 = f(dn.Dual2(a[i], [1.0, 0.0]), dn.Dual2(b[i], [0.0, 1.0]))
        block = hess[np.ix_([i, n + i], [i, n + i])]
        assert np.allclose(block, d2.hessian, rtol=1e-11, atol=1e-11), (row.name, a[i], b[i])
