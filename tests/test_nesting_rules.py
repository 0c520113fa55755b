"""The nested binary rules (dualnum/_nested.pyx's RULES), one per binary row of
the function table: each is checked against the same derivatives computed
without nesting, by the second-order numbers of hessian and by central
differences of gradients."""
import math

import numpy as np
import pytest

import dualnum as dn
from dualnum._core import dual_parts
from dualnum._elementary import scalar_function
from dualnum._nested import RULES, Nested
from dualnum._table import ROWS

BINARY = [row for row in ROWS if row.arity == 2]

# operands depending on both variables, and on one only (a constant of the
# inner call: a power's constant exponent, copysign's sign); b < 0 and a < b
# for the rows whose slopes read the signs or pick an operand
OPERANDS = {
    "both vary": (lambda x, y: 3.0 * x * y + 1.0, lambda x, y: x + x * y * y),
    "b < 0": (lambda x, y: 3.0 * x * y + 1.0, lambda x, y: -(x + x * y * y)),
    "a < b": (lambda x, y: x * y, lambda x, y: x + x * y * y),
    "b of the outer call": (lambda x, y: 3.0 * x * y + 1.0, lambda x, y: x + 1.5),
    "a of the outer call": (lambda x, y: x + 1.5, lambda x, y: x + x * y * y),
}
SIGNED = {"copysign", "fmod", "remainder", "floor_divide", "maximum", "minimum", "atan2"}
X0, Y0 = 0.7, 1.3


def test_every_binary_row_has_a_nested_rule():
    assert set(RULES) == set(BINARY)


def _cases():
    for row in BINARY:
        for label, (a, b) in OPERANDS.items():
            if label in ("b < 0", "a < b") and row.name not in SIGNED:
                continue
            yield pytest.param(row, a, b, id=f"{row.name}, {label}")


@pytest.mark.parametrize("row, a, b", list(_cases()))
def test_nested_derivatives_of_every_binary_row(row, a, b):
    """d/dx d/dy f(a(x, y), b(x, y)) by nesting first derivatives equals the
    mixed second partial of hessian (Dual2: no nesting) and the central
    difference in x of gradient's d/dy."""
    f = scalar_function(row.name)

    def g(x, y):
        return f(a(x, y), b(x, y))

    def inner(x):
        return dn.derivative(lambda y: g(x, y), Y0)

    mixed = dn.derivative(inner, X0)
    assert type(mixed) is float
    reference = dn.hessian(lambda v: g(v[0], v[1]), [X0, Y0])
    assert mixed == pytest.approx(reference[0, 1], rel=1e-12, abs=1e-12)
    h = 1e-5
    slope = [dn.gradient(lambda v: g(v[0], v[1]), [X0 + s, Y0])[1] for s in (h, -h)]
    assert mixed == pytest.approx((slope[0] - slope[1]) / (2 * h), rel=1e-6, abs=1e-6)


def test_a_nested_number_holds_a_number_of_an_enclosing_call():
    # with float parts only it is a Dual: the constructor says so
    with pytest.raises(TypeError, match="it is a Dual"):
        Nested(1.0, [1.0], 7)
    captured = []
    dn.derivative(lambda x: dn.derivative(lambda y: captured.append(x * y) or y, 2.0), 3.0)
    z = captured[0]
    assert isinstance(z, Nested) and z.value == 6.0 and z.partials == [3.0]
    assert dn.sin(z).value == pytest.approx(math.sin(6.0), rel=1e-15)
    # a result whose parts are floats again is a Dual of the inner call, made
    # by the Dual the nested number holds
    flat = Nested(1.0, [dn.Dual(2.0, 1.0)], 7) // 3.0
    assert type(flat) is dn.Dual and dual_parts(flat)[0] == 0.0
    assert dual_parts(flat)[1].tolist() == [0.0] and dual_parts(flat)[2] == 7


def test_nested_numbers_meet_duals_through_the_protocol():
    """Comparisons and numpy ufuncs of a Nested number and a Dual of the
    enclosing call come from the number protocol, in either order; arrays
    give object arrays whose ufuncs work elementwise."""
    seen = {}

    def outer(x):
        def inner(y):
            z = x * y                       # Nested: 6 + 2 e_outer + (3 + e_outer) e_inner
            seen["compare"] = (z == 6.0, z > x, x < z, x == z, z != x)
            seen["ufuncs"] = (np.arctan2(x, z), np.arctan2(z, x), np.maximum(x, z))
            seen["array"] = z * np.array([1.0, 2.0])
            return np.arctan2(x, z) + np.maximum(x, z) + seen["array"][1]
        return dn.derivative(inner, 2.0)
    d = dn.derivative(outer, 3.0)
    assert seen["compare"] == (True, True, True, False, True)
    assert type(seen["array"]).__name__ == "DualObjects"
    for number in seen["ufuncs"]:
        assert isinstance(number, Nested)
    assert seen["ufuncs"][0].value.value == pytest.approx(math.atan2(3.0, 6.0), rel=1e-15)
    # near (3, 2) inner's result is atan2(x, x y) + max(x, x y) + 2 x y = atan(1/y) + 3 x y:
    # its mixed partial is 3
    assert d == pytest.approx(3.0, rel=1e-14)
