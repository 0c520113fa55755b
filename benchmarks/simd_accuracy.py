"""The vector kernels' accuracy on many random arguments (docs/performance.md).

For sin, cos, exp and log, on every dispatch path this machine runs
(dualnum._simd), the largest error in ulps of the value and the derivative
that ``value_and_derivative`` returns, against mpmath at 80 bits, over
``--n`` random arguments per function (default 10**6: minutes per path;
the unit tests, tests/test_simd_kernels.py, use a small sample).  Exits 1
if any error exceeds the bound the documentation states.

    python benchmarks/simd_accuracy.py                 # 10**6 arguments
    python benchmarks/simd_accuracy.py --n 20000       # a quick run
"""
import argparse
import sys

import mpmath
import numpy as np

import dualnum as dn
from dualnum import _simd

# (value, derivative) bounds in ulps, and the exact functions
BOUNDS = {"sin": (1.0, 1.0), "cos": (1.0, 1.0), "exp": (1.0, 1.0), "log": (1.0, 0.5)}
EXACT = {"sin": (mpmath.sin, mpmath.cos), "cos": (mpmath.cos, lambda x: -mpmath.sin(x)),
         "exp": (mpmath.exp, mpmath.exp), "log": (mpmath.log, lambda x: 1 / x)}


def arguments(name, n, rng):
    """Ordinary arguments mostly, and a share of the whole range."""
    if name in ("sin", "cos"):
        wide = np.ldexp(rng.uniform(0.5, 1, n // 4), rng.integers(-1000, 1024, n // 4))
        return np.concatenate([rng.uniform(-10, 10, n - n // 4), wide * rng.choice([-1, 1], n // 4)])
    if name == "exp":
        return rng.uniform(-745, 709.78, n)
    return np.ldexp(rng.uniform(0.5, 1, n), rng.integers(-1073, 1024, n))


def worst_ulps(computed, exact_function, x):
    worst = 0.0
    for c, a in zip(computed.tolist(), x.tolist()):
        e = exact_function(mpmath.mpf(a))
        e_double = float(e)
        if not np.isfinite(e_double):
            error = 0.0 if c == e_double else np.inf
        elif e_double == 0.0:
            error = 0.0 if c == 0.0 else abs(c) / 5e-324
        else:
            error = float(abs(mpmath.mpf(c) - e) / mpmath.mpf(np.spacing(abs(e_double))))
        worst = max(worst, error)
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6, help="random arguments per function")
    args = parser.parse_args()
    mpmath.mp.prec = 80
    failed = False
    for path in _simd.available():
        _simd.use(path)
        for name, (value_bound, deriv_bound) in BOUNDS.items():
            x = arguments(name, args.n, np.random.default_rng(1))
            value, deriv = dn.value_and_derivative(getattr(np, name), x)
            f, df = EXACT[name]
            worst_value, worst_deriv = worst_ulps(value, f, x), worst_ulps(deriv, df, x)
            ok = worst_value <= value_bound and worst_deriv <= deriv_bound
            failed |= not ok
            print(f"{path:9} {name:4} n={args.n}: value {worst_value:.3f} ulp (bound {value_bound}), "
                  f"derivative {worst_deriv:.3f} ulp (bound {deriv_bound}) {'ok' if ok else 'EXCEEDED'}",
                  flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
