"""The vector kernels' accuracy on many random arguments (docs/performance.md).

For sin, cos, exp and log, on every dispatch path this machine runs
(dualnum._simd), the largest error in ulps of the value and the derivative
that ``value_and_derivative`` returns, against mpmath at 80 bits, over
``--n`` random arguments per function (default 10**6; the unit tests,
tests/test_simd_kernels.py, use a small sample).  Exits 1 if any error
exceeds the bound the documentation states.

The exact values are computed once per function with mpmath (about 5·10**6
evaluations at 10**6 arguments: a few minutes with gmpy2 installed, which
mpmath then uses, several times longer without), and kept as a double plus
the residual to the exact value; each path's results are then compared with
them in numpy.

    python benchmarks/simd_accuracy.py                 # 10**6 arguments
    python benchmarks/simd_accuracy.py --n 20000       # a quick run
"""
import argparse
import sys
import time

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


class Exact:
    """The exact values of a function at x, as the nearest doubles and the
    exact value's offset from them in ulps (in [-0.5, 0.5]; a double, whose
    own rounding is far below the errors measured, also for subnormal
    results, where a residual would not fit in a double)."""

    def __init__(self, function, x):
        nearest, offset = np.empty_like(x), np.empty_like(x)
        for i, a in enumerate(x.tolist()):
            e = function(mpmath.mpf(a))
            nearest[i] = float(e)
            if np.isfinite(nearest[i]):
                offset[i] = float((e - nearest[i]) / np.spacing(abs(nearest[i])))
            else:
                offset[i] = 0.0
        self.nearest, self.offset = nearest, offset

    def worst_ulps(self, computed):
        """The largest error of computed in ulps of the exact value."""
        with np.errstate(invalid="ignore", over="ignore"):
            # computed - nearest is exact where they are within a factor 2 of
            # each other (Sterbenz), which every error near an ulp is, and
            # dividing by a power of two is exact
            ulps = np.abs((computed - self.nearest) / np.spacing(np.abs(self.nearest))
                          - self.offset)
            ulps = np.where(np.isfinite(self.nearest), ulps,
                            np.where(computed == self.nearest, 0.0, np.inf))
        return float(ulps.max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6, help="random arguments per function")
    args = parser.parse_args()
    mpmath.mp.prec = 80
    print(f"mpmath backend: {mpmath.libmp.BACKEND}; paths: {', '.join(_simd.available())}",
          flush=True)
    failed = False
    for name, (value_bound, deriv_bound) in BOUNDS.items():
        started = time.perf_counter()
        x = arguments(name, args.n, np.random.default_rng(1))
        f, df = EXACT[name]
        exact_value = Exact(f, x)
        exact_deriv = exact_value if df is f else Exact(df, x)     # exp's derivative is exp
        print(f"{name}: exact values of {args.n} arguments in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        for path in _simd.available():
            _simd.use(path)
            value, deriv = dn.value_and_derivative(getattr(np, name), x)
            worst_value, worst_deriv = exact_value.worst_ulps(value), exact_deriv.worst_ulps(deriv)
            ok = worst_value <= value_bound and worst_deriv <= deriv_bound
            failed |= not ok
            print(f"{path:9} {name:4} n={args.n}: value {worst_value:.3f} ulp (bound {value_bound}), "
                  f"derivative {worst_deriv:.3f} ulp (bound {deriv_bound}) {'ok' if ok else 'EXCEEDED'}",
                  flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
