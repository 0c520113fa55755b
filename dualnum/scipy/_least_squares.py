"""dualnum.scipy.least_squares: scipy.optimize.least_squares with the Jacobian
from dualnum.

When jac is a finite-difference string (scipy's default '2-point', or
'3-point', 'cs'), the residuals and their Jacobian come from one evaluation
of fun on dual numbers (``dn.value_and_jacobian``), remembered at the last
x.  A callable jac passes through with everything else.

The Jacobian is a ``scipy.sparse.csr_array`` (one pass with one direction
per colour of its columns) when ``jac_sparsity`` gives its pattern, or when
the pattern detected at x0 (``dn.detect_sparsity``: one traced pass) is
sparse: at least SPARSE_FROM variables and at most SPARSE_DENSITY of the
entries.  Below that size a dense Jacobian is one pass of at most 128
directions and scipy's exact trust-region solver (an SVD) is cheap; above,
a sparse one saves both the directions and the dense factorisation
(scipy's 'lsmr' solver, which scipy picks for sparse Jacobians).  Detection
is skipped where a sparse Jacobian is refused: method 'lm' and
tr_solver='exact'.  The pattern is that of the code path taken at x0
(see ``dn.detect_sparsity``); pass ``detect_sparsity=False`` to keep the
Jacobian dense.

Dual numbers of an enclosing dualnum call in ``args`` or ``kwargs`` (the
sensitivity of a fit to its data or to fixed parameters): scipy fits with
their plain values, then the fitted x is lifted onto them through the
optimality condition of the cost 0.5 f_scale**2 sum rho((r / f_scale)**2)
(dualnum/scipy/_implicit.py, ``lift_minimum``), for scipy's named losses; a
callable loss, a bound active at the solution or a failed fit is refused.
"""
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.optimize
from scipy.optimize import OptimizeResult

import dualnum as dn
from dualnum.scipy._cache import FINITE_DIFFERENCES, ValueAndDerivative, refuse_dual_numbers
from dualnum.scipy._implicit import dual_order, lift_minimum, not_converged, plain, refuse_an_active_bound

SPARSE_FROM = 100         # variables
SPARSE_DENSITY = 0.1      # the largest share of nonzero entries taken as sparse

# scipy's losses rho(z), z = (r / f_scale)**2, written with numpy so that the lift
# differentiates the cost 0.5 f_scale**2 sum rho(z) (scipy's definitions)
LOSSES: dict[str, Callable[[Any], Any]] = {
    "linear": lambda z: z,
    "soft_l1": lambda z: 2.0 * ((1.0 + z) ** 0.5 - 1.0),
    "huber": lambda z: np.where(z <= 1.0, z, 2.0 * z ** 0.5 - 1.0),
    "cauchy": np.log1p,
    "arctan": np.arctan,
}


def least_squares(fun: Callable[..., Any], x0: Any, jac: Any = "2-point", bounds: Any = (-np.inf, np.inf),
                  method: str = "trf", ftol: float | None = 1e-08, xtol: float | None = 1e-08,
                  gtol: float | None = 1e-08, x_scale: Any = None, loss: Any = "linear",
                  f_scale: float = 1.0, diff_step: Any = None, tr_solver: str | None = None,
                  tr_options: dict[str, Any] | None = None, jac_sparsity: Any = None,
                  max_nfev: int | None = None, verbose: int = 0, args: tuple[Any, ...] = (),
                  kwargs: dict[str, Any] | None = None, callback: Callable[..., Any] | None = None,
                  workers: Any = None, *, detect_sparsity: bool = True) -> OptimizeResult:
    """least_squares(fun, x0, jac='2-point', bounds=(-inf, inf), method='trf', ftol=1e-08, xtol=1e-08, gtol=1e-08, x_scale=None, loss='linear', f_scale=1.0, diff_step=None, tr_solver=None, tr_options=None, jac_sparsity=None, max_nfev=None, verbose=0, args=(), kwargs=None, callback=None, workers=None, *, detect_sparsity=True) -> OptimizeResult

    :func:`scipy.optimize.least_squares`, with the Jacobian computed exactly
    by dualnum (sparse where a pattern is given or detected).  The parameters
    and the result are scipy's.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args, **kwargs)`` returns the residuals, shape (m,).  It
        receives dualnum's dual arrays when the Jacobian is computed, so it
        must be written with numpy or dualnum functions.
    x0 : array_like, shape (n,)
        The initial guess.
    jac : {'2-point', '3-point', 'cs'} or callable, optional
        A finite-difference string (the default): dualnum's Jacobian, from
        the evaluation that gives the residuals at the same x.  A callable
        passes through.
    jac_sparsity : (m, n) array_like, scipy.sparse matrix or SparsityPattern, optional
        Where the Jacobian can be nonzero: it is then computed in one pass
        with one direction per colour of its columns and handed to scipy as
        a ``scipy.sparse.csr_array`` (not with method 'lm', which needs a dense
        Jacobian, nor with tr_solver='exact').  Not given: detected at x0,
        and used when x has at least 100 entries and at most 10% of the
        Jacobian's entries can be nonzero.
    args, kwargs : optional
        Extra arguments of fun, plain numbers.
    bounds, method, ftol, xtol, gtol, x_scale, loss, f_scale, diff_step, tr_solver, tr_options, max_nfev, verbose, callback, workers
        Pass through to scipy (diff_step and workers concern finite
        differences, which are not taken when dualnum supplies the Jacobian).
    detect_sparsity : bool, optional
        False keeps the Jacobian dense when no ``jac_sparsity`` is given.

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result; ``nfev`` and ``njev`` count scipy's calls (residuals
        and Jacobian at one x are one evaluation of fun here).

    Raises
    ------
    ValueError
        For ``jac_sparsity`` with method 'lm' or tr_solver='exact' (as scipy).
    RuntimeError
        With dual numbers in args or kwargs, when the fit failed.
    NotImplementedError
        For dual numbers in ``x0``, or returned by fun (a closure over an
        enclosing dualnum call's numbers: pass them in args); with dual
        numbers in args or kwargs, for a callable loss or a bound active at
        the solution.

    Examples
    --------
    >>> import numpy as np
    >>> from dualnum.scipy import least_squares
    >>> t = np.linspace(0.0, 1.0, 20)
    >>> y = 2.0 * np.exp(-1.5 * t)
    >>> fit = least_squares(lambda p: p[0] * np.exp(-p[1] * t) - y, [1.0, 1.0])
    >>> fit.x.round(6)
    array([2. , 1.5])
    """  # noqa: E501  (the first line is the call)
    refuse_dual_numbers("least_squares", x0=x0)
    if dual_order((args, kwargs)):
        if loss not in LOSSES:
            raise NotImplementedError(
                f"dualnum.scipy.least_squares: with dual numbers in args the fit is differentiated "
                f"through its cost, which needs one of scipy's named losses ({', '.join(LOSSES)}), "
                f"not {loss!r}: pass plain floats in args, or use dualnum.scipy.minimize on your cost")
        fit = least_squares(fun, x0, jac, bounds, method, ftol, xtol, gtol, x_scale, loss, f_scale,
                            diff_step, tr_solver, tr_options, jac_sparsity, max_nfev, verbose,
                            plain(args), plain(kwargs), callback, workers,
                            detect_sparsity=detect_sparsity)
        if fit.status <= 0:
            raise not_converged("least_squares", fit.message)
        lower, upper = (bounds.lb, bounds.ub) if isinstance(bounds, scipy.optimize.Bounds) else bounds
        refuse_an_active_bound("least_squares", fit.x, lower, upper)
        rho = LOSSES[loss]

        def cost(x: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            residuals = fun(x, *args, **kwargs) / f_scale
            return 0.5 * f_scale ** 2 * np.sum(rho(residuals * residuals))

        fit.x = lift_minimum(cost, fit.x, (args, kwargs or {}))
        return fit
    if isinstance(jac, str) and jac in FINITE_DIFFERENCES:
        if jac_sparsity is not None:
            _check_sparse_allowed(method, tr_solver)
        user_fun, user_args, user_kwargs = fun, args, kwargs or {}

        def residuals(y: Any) -> Any:
            return user_fun(y, *user_args, **user_kwargs)

        pattern = jac_sparsity
        if pattern is None and detect_sparsity:
            pattern = _detected_pattern(residuals, x0, method, tr_solver)
        if pattern is not None and not isinstance(pattern, dn.SparsityPattern):
            pattern = dn.SparsityPattern(pattern)
        found = ValueAndDerivative(lambda x: dn.value_and_jacobian(
            residuals, x, sparsity=pattern, sparse_output=pattern is not None), "least_squares")
        fun, jac, args, kwargs, jac_sparsity = found.fun, found.derivative, (), None, None
    return scipy.optimize.least_squares(
        fun, x0, jac=jac, bounds=bounds, method=method, ftol=ftol, xtol=xtol, gtol=gtol, x_scale=x_scale,
        loss=loss, f_scale=f_scale, diff_step=diff_step, tr_solver=tr_solver, tr_options=tr_options,
        jac_sparsity=jac_sparsity, max_nfev=max_nfev, verbose=verbose, args=args, kwargs=kwargs,
        callback=callback, workers=workers)


def _check_sparse_allowed(method: str, tr_solver: str | None) -> None:
    if method == "lm":
        raise ValueError("least_squares: method='lm' does not support jac_sparsity (it needs a dense "
                         "Jacobian); use method='trf' or 'dogbox', or drop jac_sparsity")
    if tr_solver == "exact":
        raise ValueError("least_squares: tr_solver='exact' is incompatible with jac_sparsity (it needs a "
                         "dense Jacobian); use tr_solver='lsmr' or None, or drop jac_sparsity")


def _detected_pattern(residuals: Callable[[Any], Any], x0: Any, method: str,
                      tr_solver: str | None) -> dn.SparsityPattern | None:
    """The Jacobian's pattern traced at x0 when it pays (see the module
    docstring), else None: the Jacobian stays dense."""
    point = np.atleast_1d(np.asarray(x0, dtype=np.float64))
    if method == "lm" or tr_solver == "exact" or point.ndim != 1 or point.size < SPARSE_FROM:
        return None
    try:
        pattern = dn.detect_sparsity(residuals, point)
    except ValueError:                # f needs dense derivatives: no pattern to trace
        return None
    m, n = pattern.shape
    return pattern if pattern.rows.size <= SPARSE_DENSITY * m * n else None
