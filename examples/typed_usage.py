"""Every public function, type and operator of dualnum, in fully annotated code.

Runs as an ordinary example (each result is checked against a derivative
written out by hand), and is what `mypy --strict examples/typed_usage.py`
checks the package's type stubs against (.ci/prove_wheels.py runs it).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import numpy.typing as npt

import dualnum as dn
from dualnum import Dual, Dual2, DualArray, Jet, SparsityPattern

Vector = npt.NDArray[np.float64]


def close(a: Any, b: Any) -> bool:
    return bool(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-12, atol=1e-12))


def scalar_api() -> None:
    f: Callable[[Any], Any] = lambda x: x * dn.sin(x)
    d: Any = dn.derivative(f, 1.0)
    assert close(d, math.sin(1.0) + math.cos(1.0))
    value, slope = dn.value_and_derivative(f, 1.0)
    assert close(value, math.sin(1.0)) and close(slope, d)
    d3: Any = dn.derivative(dn.exp, 0.0, n=3)
    assert close(d3, 1.0)
    series = dn.derivatives(dn.sin, 0.0, 3)
    assert close(series, [0.0, 1.0, 0.0, -1.0])
    g: Callable[[Any, Any], Any] = lambda x, y: x ** 2 * y + dn.exp(x * y)
    assert close(dn.partial(g, (1.0, 2.0), 0), 4.0 + 2.0 * math.exp(2.0))
    r = dn.chain_rule(dn.log, lambda t: 1 + t * t, 2.0)
    assert close(r.total, r.outer * r.inner)
    h: Callable[[Any], Any] = dn.compose(dn.sin, dn.exp)
    assert h(0.0) == math.sin(1.0)


def array_api() -> None:
    rosen: Callable[[Any], Any] = lambda v: np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1.0 - v[:-1]) ** 2)
    x: Vector = np.array([1.2, 1.0, 0.8])
    grad: npt.NDArray[Any] = dn.gradient(rosen, x)
    value, grad2 = dn.value_and_gradient(rosen, x)
    assert grad.shape == (3,) and close(grad, grad2) and float(value) > 0.0
    per_argument: tuple[npt.NDArray[Any], ...] = dn.gradient(lambda a, b: a * b, (2.0, 3.0), argnums=(0, 1))
    assert close(per_argument[0], 3.0) and close(per_argument[1], 2.0)
    polar: Callable[[Any], Any] = lambda v: [v[0] * dn.cos(v[1]), v[0] * dn.sin(v[1])]
    jac: Vector = dn.jacobian(polar, [2.0, 0.5])
    assert close(jac, [[math.cos(0.5), -2.0 * math.sin(0.5)], [math.sin(0.5), 2.0 * math.cos(0.5)]])
    _, jac2 = dn.value_and_jacobian(polar, [2.0, 0.5])
    assert close(jac, jac2)
    _, jv = dn.jvp(polar, [2.0, 0.5], [1.0, 0.0])
    assert close(jv, jac[:, 0])
    hess: npt.NDArray[Any] = dn.hessian(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
    assert close(hess, [[4.0, 6.0], [6.0, 0.0]])
    _, g3, h3 = dn.value_gradient_and_hessian(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
    assert close(g3, [12.0, 9.0]) and close(h3, hess)
    hv: npt.NDArray[Any] = dn.hvp(lambda v: v[0] ** 2 * v[1], [3.0, 2.0], [1.0, 0.0])
    _, _, hv2 = dn.value_gradient_and_hvp(lambda v: v[0] ** 2 * v[1], [3.0, 2.0], [1.0, 0.0])
    assert close(hv, hess[:, 0]) and close(hv2, hv)

    # sparse Jacobians: a tridiagonal pattern, analysed once or traced
    n = 6
    u: Vector = np.linspace(0.0, 1.0, n)
    residual: Callable[[Any], Any] = lambda w: np.concatenate([w[:1], w[1:] - w[:-1] ** 2])
    band = np.eye(n, dtype=bool) | np.eye(n, k=-1, dtype=bool)
    pattern = SparsityPattern(band)
    assert pattern.colours == 2
    dense: Vector = dn.jacobian(residual, u)
    assert close(dn.jacobian(residual, u, sparsity=pattern), dense)
    assert close(dn.jacobian(residual, u, sparsity="auto"), dense)
    assert close(dn.jacobian(residual, u, sparsity=band, sparse_output=True).toarray(), dense)
    traced: SparsityPattern = dn.detect_sparsity(residual, u)
    assert traced.colours == 2


def number_types() -> None:
    x = Dual(2.0, (1.0, 0.0))
    y = Dual(3.0, (0.0, 1.0))
    c = 1.5
    # every operator, both ways round with a float
    for z in (x + y, x - y, x * y, x / y, x // y, x % y, x ** y,
              x + c, x - c, x * c, x / c, x // c, x % c, x ** c,
              c + x, c - x, c * x, c / x, c // x, c % x, c ** x,
              -x, +x, abs(x), round(x), math.floor(x), math.ceil(x), math.trunc(x)):
        assert isinstance(z, Dual)
    q, rem = divmod(y, x)
    assert isinstance(q, Dual) and isinstance(rem, Dual)
    assert (x < y) and (x <= y) and (y > x) and (y >= x) and (x != y) and x == 2.0 and bool(x)
    assert hash(x) == hash(2.0)
    assert close((x * y).partials, (3.0, 2.0)) and (x * y).value == 6.0

    s = Dual2(2.0, (1.0,))
    sq: Dual2 = s * s + 1.0
    assert sq.value == 5.0 and close(sq.gradient, (4.0,)) and close(sq.hessian, [[2.0]])
    t = Jet((2.0, 1.0, 0.0))
    cube: Jet = t ** 3
    assert cube.order == 2 and close(cube.derivatives, (8.0, 12.0, 12.0)) and cube.value == 8.0
    assert close(cube.coefficients, (8.0, 12.0, 6.0))

    arr = DualArray(np.linspace(0.0, 1.0, 5), np.ones((5, 1)))
    out = np.sin(arr) * np.exp(-arr) + arr @ arr
    assert isinstance(out, DualArray) and out.shape == (5,) and out.ndim == 1 and out.size == 5
    assert out.tangent.shape == (5, 1) and out.value.dtype == np.float64
    assert isinstance(arr.reshape(5, 1).T, DualArray) and isinstance(arr.copy(), DualArray)
    assert isinstance(arr[0], Dual) and isinstance(arr.sum(), Dual)


def elementary_functions() -> None:
    unary: list[Callable[[Any], Any]] = [
        dn.sin, dn.cos, dn.tan, dn.asin, dn.acos, dn.atan, dn.sinh, dn.cosh, dn.tanh,
        dn.asinh, dn.atanh, dn.exp, dn.exp2, dn.expm1, dn.log, dn.log2, dn.log10,
        dn.log1p, dn.sqrt, dn.cbrt, dn.fabs, dn.erf, dn.erfc, dn.gamma, dn.lgamma,
        dn.floor, dn.ceil, dn.trunc, dn.degrees, dn.radians, dn.sigmoid, dn.expit,
        dn.softplus, dn.relu, dn.arcsin, dn.arccos, dn.arctan, dn.arcsinh, dn.arctanh,
        dn.absolute, dn.deg2rad, dn.rad2deg,
    ]
    for fn in unary:
        assert isinstance(fn(Dual(0.5, 1.0)), Dual)
        assert isinstance(fn(0.5), (float, int))
    for fn in (dn.acosh, dn.arccosh):
        assert isinstance(fn(Dual(1.5, 1.0)), Dual)
    binary: list[Callable[[Any, Any], Any]] = [
        dn.atan2, dn.arctan2, dn.hypot, dn.pow, dn.power, dn.copysign, dn.fmod,
        dn.logaddexp, dn.maximum, dn.minimum, dn.log,
    ]
    for fn2 in binary:
        assert isinstance(fn2(Dual(0.5, 1.0), 2.0), Dual)
        assert isinstance(fn2(2.0, Dual(0.5, 1.0)), Dual)
    # typed results: a float for a float, the same type for a dual number
    f1: float = dn.sin(1.0)
    f2: int = dn.floor(1.5)
    d1: Dual = dn.exp(Dual(0.0, 1.0))
    j1: Jet = dn.exp(Jet((0.0, 1.0)))
    s1: Dual2 = dn.exp(Dual2(0.0, (1.0,)))
    a1: Vector = dn.sqrt(np.array([1.0, 4.0]))
    assert f1 == math.sin(1.0) and f2 == 1 and d1.partials == (1.0,) and j1.value == 1.0
    assert s1.value == 1.0 and close(a1, [1.0, 2.0])


def primitives() -> None:
    cube_root: Callable[..., Any] = dn.primitive(np.cbrt, lambda x: 1.0 / (3.0 * np.cbrt(x) ** 2))
    assert close(dn.derivative(cube_root, 8.0), 1.0 / 12.0)

    @dn.primitive(derivative=lambda x: 2.0 * x)
    def square(x: float) -> float:
        return x * x

    assert close(dn.derivative(lambda x: square(dn.sin(x)), 0.3), 2.0 * math.sin(0.3) * math.cos(0.3))


def scipy_bridge() -> None:
    import dualnum.scipy
    from scipy.optimize import OptimizeResult

    quartic: Callable[[Any, Any], Any] = lambda x, p: np.sum((x - p) ** 2) + np.sum(x ** 4)
    found: OptimizeResult = dualnum.scipy.minimize(quartic, np.zeros(1), args=(1.0,), tol=1e-12)
    x = float(found.x[0])
    slope: Any = dn.derivative(lambda p: dualnum.scipy.minimize(quartic, np.zeros(1), args=(p,)).x[0], 1.0)
    assert abs(slope - 1.0 / (1.0 + 6.0 * x * x)) < 1e-9             # x + 2 x**3 = p
    root: Any = dualnum.scipy.root(lambda y, p: y ** 3 + p * y - 1.0, 0.5, args=(1.0,)).x[0]
    assert abs(root ** 3 + root - 1.0) < 1e-12
    decay: Any = dualnum.scipy.solve_ivp(lambda t, y, k: -k * y, (0.0, 1.0), [1.0], args=(0.5,),
                                         rtol=1e-10, atol=1e-12)
    assert abs(decay.y[0, -1] - math.exp(-0.5)) < 1e-8


if __name__ == "__main__":
    scalar_api()
    array_api()
    number_types()
    elementary_functions()
    primitives()
    scipy_bridge()
    print("typed usage: every public function, type and operator checked")
