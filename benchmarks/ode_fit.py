"""Fit Lotka–Volterra's four rates to noisy data with scipy.optimize.least_squares:
the Jacobian from dualnum's forward sensitivities against scipy's finite differences.

    python benchmarks/ode_fit.py            # prints nfev, njev, cost and the time ratio
    python benchmarks/run.py --only ODE     # the same fit as a row of the benchmark table

Both fits start from the same guess and solve the ODE with the same method and
tolerances.  The finite-difference Jacobian costs four extra solves per
evaluation and carries the solver's error divided by the step (about
sqrt(rtol)); the sensitivities cost one solve of the augmented system (2 + 2·4
equations) and are accurate to the solver's tolerance.  Both fits are timed
in the same run, interleaved, and reported as a ratio (see README.md).
"""
import sys

import numpy as np
import scipy.integrate
import scipy.optimize

import dualnum as dn
import timing
from dualnum.scipy import solve_ivp

TRUE_RATES = np.array([1.5, 1.0, 1.0, 3.0])
GUESS = np.array([1.35, 1.1, 0.9, 3.3])
Y0 = [10.0, 5.0]
TIMES = np.linspace(0.0, 6.0, 31)
TOLERANCES = {"rtol": 1e-8, "atol": 1e-8}


def lotka_volterra(t, y, a, b, c, d):
    return [a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]]


def observations(seed=0, noise=0.2):
    exact = scipy.integrate.solve_ivp(lotka_volterra, (0.0, 6.0), Y0, t_eval=TIMES,
                                      args=tuple(TRUE_RATES), rtol=1e-10, atol=1e-10).y
    return exact + noise * np.random.default_rng(seed).standard_normal(exact.shape)


DATA = observations()


def residuals(rates):
    """Model minus data at the observation times (dual numbers when rates are)."""
    sol = solve_ivp(lotka_volterra, (0.0, 6.0), Y0, t_eval=TIMES, args=tuple(rates), **TOLERANCES)
    return (sol.y - DATA).reshape(-1)


def sensitivities(rates):
    """∂residuals/∂rates from one solve of the sensitivity equations."""
    return dn.jacobian(residuals, rates)


def fit_with_dualnum():
    return scipy.optimize.least_squares(residuals, GUESS, jac=sensitivities, method="trf")


def fit_with_finite_differences():
    return scipy.optimize.least_squares(residuals, GUESS, jac="2-point", method="trf")


def check():
    """Raise AssertionError when the sensitivities or the fit are wrong."""
    J = sensitivities(TRUE_RATES)
    steps = 1e-5 * TRUE_RATES
    reference = np.column_stack([
        (plain_residuals(TRUE_RATES + h * e) - plain_residuals(TRUE_RATES - h * e)) / (2 * h)
        for h, e in zip(steps, np.eye(4))])
    error = np.max(np.abs(J - reference)) / np.max(np.abs(reference))
    if not error < 1e-4:
        raise AssertionError(f"ODE fit: sensitivities differ from central differences by {error:.2g}")
    ours, theirs = fit_with_dualnum(), fit_with_finite_differences()
    if not (ours.success and ours.cost <= theirs.cost * (1 + 1e-6)):
        raise AssertionError(f"ODE fit: cost {ours.cost!r} with dualnum, {theirs.cost!r} with differences")


def plain_residuals(rates):
    sol = scipy.integrate.solve_ivp(lotka_volterra, (0.0, 6.0), Y0, t_eval=TIMES, args=tuple(rates),
                                    rtol=1e-12, atol=1e-12)
    return (sol.y - DATA).reshape(-1)


def main():
    check()
    ours, theirs = fit_with_dualnum(), fit_with_finite_differences()
    comparison = timing.compare(fit_with_finite_differences, fit_with_dualnum,
                                timing.Settings(rounds=11, min_rounds=5, target=0.05, budget=20.0))
    print(f"Lotka–Volterra: 4 rates from {DATA.size} noisy observations, least_squares(method='trf'), "
          f"RK45 at rtol={TOLERANCES['rtol']:g}, atol={TOLERANCES['atol']:g}")
    print(f"{'jac':<24}{'nfev':>6}{'njev':>6}{'final cost':>16}{'time/fit':>10}  rates")
    for name, result, seconds in (("dualnum sensitivities", ours, comparison.candidate_median),
                                  ("finite differences", theirs, comparison.baseline_median)):
        print(f"{name:<24}{result.nfev:>6}{result.njev:>6}{result.cost:>16.10g}{seconds:>9.3f}s  "
              f"{np.array2string(result.x, precision=5)}")
    q1, q3 = comparison.round_ratio_quartiles
    print(f"time ratio (dualnum / finite differences, {comparison.rounds} interleaved rounds): "
          f"{comparison.ratio:.3g} (IQR {q1:.3g}–{q3:.3g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
