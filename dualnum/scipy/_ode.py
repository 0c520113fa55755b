"""solve_ivp: scipy.integrate.solve_ivp with dualnum's Jacobian and forward sensitivities.

With real ``y0`` and ``args`` it is scipy's solve_ivp, given dualnum's exact
∂fun/∂y for BDF, Radau and LSODA (dualnum/scipy/_ode_jacobian.py).  With
dual numbers in ``y0`` or ``args`` (dualnum/scipy/_ode_parameters.py) it
integrates the forward sensitivity equations with y (first order:
dualnum/scipy/_sensitivities.py, second order: _second_sensitivities.py;
the stiff methods' Jacobian: _augmented_jacobian.py) and returns ``y``, ``sol`` and the events
as dual numbers of the caller's call.  ``t`` stays real: ``sol.y[:, j]`` is
y at the fixed time ``sol.t[j]``; ``t_events`` and ``y_events`` move with
the parameters.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.integrate

from dualnum.scipy._augmented_jacobian import augmented_jacobian
from dualnum.scipy._implicit import dual_order
from dualnum.scipy._ode_jacobian import plain_jacobian, wants_jacobian
from dualnum.scipy._ode_parameters import Parameters
from dualnum.scipy._second_sensitivities import SecondOrderSystem
from dualnum.scipy._sensitivities import SensitivitySystem



def _refuse_dual_times(t_span: Sequence[float], t_eval: Any) -> None:
    for name, times in (("t_span", t_span), ("t_eval", t_eval)):
        if times is None:
            continue
        if dual_order(times):
            raise TypeError(
                f"dualnum.scipy.solve_ivp: {name} holds dual numbers, but solve_ivp differentiates "
                "with respect to y0 and args only: pass real times (for a derivative with respect "
                "to the final time T, use fun(T, y(T)), the right-hand side, at the real T)")


def solve_ivp(fun: Callable[..., Any], t_span: Sequence[float], y0: Any, method: Any = "RK45",
              t_eval: Any = None, dense_output: bool = False, events: Any = None,
              vectorized: bool = False, args: tuple[Any, ...] | None = None,
              **options: Any) -> Any:
    """Solve an initial value problem, as :func:`scipy.integrate.solve_ivp`,
    with dualnum's Jacobian and forward sensitivities.

    With real ``y0`` and ``args`` this is scipy's solver, given dualnum's
    exact Jacobian ∂fun/∂y for the methods that use one (BDF, Radau, LSODA):
    sparse (``scipy.sparse``) for BDF and Radau when the system has at least
    100 equations and its pattern (``jac_sparsity``, or detected once at
    ``(t0, y0)``) fills at most a tenth of the matrix.  A ``jac`` you pass is
    used as it is.

    With dual numbers of an enclosing dualnum call in ``y0`` or ``args``
    (``dn.derivative``, ``gradient``, ``jacobian``, ``jvp``), it integrates
    the forward sensitivity equations S' = J_y S + J_p, S(t0) = ∂y0/∂p with
    y, and returns ``y``, ``sol(t)``, ``t_events`` and ``y_events`` as dual
    numbers of that call, so the call differentiates through the solve.
    BDF, Radau and LSODA get the augmented system's exact Jacobian.
    The sensitivities are part of the error control, their absolute
    tolerance divided by each parameter's magnitude.  Under ``dn.hessian``,
    ``dn.hvp`` and ``dn.derivative(..., n=2)`` the second-order sensitivities
    are integrated too (without events), and for two nested calls (a
    derivative inside another call's function).  Derivatives of order n >= 3
    and deeper nesting raise NotImplementedError.  See :doc:`/ode-sensitivities`.

    Parameters
    ----------
    fun : callable
        ``fun(t, y, *args)``, the right-hand side, written with numpy
        operations (it receives dual arrays when sensitivities are taken).
    t_span : 2-sequence of floats
        The interval of integration (t0, tf); real numbers.
    y0 : array_like, shape (n,)
        The initial state: real, or dual numbers of an enclosing call.
    method : str or OdeSolver, optional
        'RK45' (default), 'RK23', 'DOP853', 'Radau', 'BDF' or 'LSODA'.
    t_eval : array_like or None, optional
        Times at which to store the solution; real numbers.
    dense_output : bool, optional
        Whether to compute a continuous solution ``sol.sol(t)`` (dual
        numbers too, when sensitivities are taken).
    events : callable or list of callables, optional
        ``event(t, y, *args)`` whose zeros are tracked, as in scipy.
    vectorized : bool, optional
        Whether fun takes states as columns of an (n, k) array.
    args : tuple, optional
        Extra arguments of fun (and jac and events): real, or holding dual
        numbers of an enclosing call.
    **options
        Passed to the solver (``rtol``, ``atol``, ``first_step``, ``max_step``,
        ``jac``, ``jac_sparsity``, ``lband``, ``uband``, ``min_step``).

    Returns
    -------
    OdeResult
        scipy's result; with sensitivities, ``y``, ``sol``, ``t_events`` and
        ``y_events`` are dual numbers of the enclosing call.

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> from dualnum.scipy import solve_ivp
    >>> def y_at_2(k):
    ...     sol = solve_ivp(lambda t, y, k: -k * y, (0.0, 2.0), [1.0], args=(k,),
    ...                     t_eval=[2.0], rtol=1e-10, atol=1e-12)
    ...     return sol.y[0, -1]
    >>> bool(np.isclose(dn.derivative(y_at_2, 0.5), -2.0 * np.exp(-1.0), rtol=1e-7))
    True
    """
    _refuse_dual_times(t_span, t_eval)
    if args is not None:
        try:
            args = tuple(args)
        except TypeError:
            raise TypeError("`args` should be a tuple (as in scipy's solve_ivp)") from None
    params = Parameters(y0, args or ())
    if params.m == 0:
        jac = plain_jacobian(fun, t_span[0], y0, args or (), vectorized, method, options)
        if jac is not None:
            options["jac"] = jac
        return scipy.integrate.solve_ivp(fun, t_span, y0, method, t_eval, dense_output, events,
                                         vectorized, args, **options)
    return _with_sensitivities(fun, t_span, method, t_eval, dense_output, events, vectorized,
                               params, options)


def _with_sensitivities(fun: Callable[..., Any], t_span: Sequence[float], method: Any, t_eval: Any,
                        dense_output: bool, events: Any, vectorized: bool, params: Parameters,
                        options: dict[str, Any]) -> Any:
    if params.order == 2 and events is not None:
        raise NotImplementedError(
            "dualnum.scipy.solve_ivp: events with second-order numbers (of hessian, hvp, "
            "derivative(n=2) or nested calls) in y0 or args are not "
            "covered (the second derivatives of event times are not integrated): take the "
            "hessian of the event time by finite differences of its gradient, or call "
            "solve_ivp without events")
    system = (SecondOrderSystem if params.order == 2 else SensitivitySystem)(fun, params, vectorized)
    options["atol"] = system.atol(options.get("atol", 1e-6))
    if wants_jacobian(method, options):
        options["jac"] = augmented_jacobian(system, t_span[0], method, options.get("jac"),
                                            options.pop("jac_sparsity", None))
    event_list = None if events is None else ([events] if callable(events) else list(events))
    solution = scipy.integrate.solve_ivp(
        system.rhs, t_span, system.initial_state(), method, t_eval, dense_output,
        None if event_list is None else [system.event(event) for event in event_list],
        False, None, **options)
    return _dual_result(solution, system, event_list)


class DualOdeSolution:
    """The dense output of a solve with sensitivities: ``sol(t)`` is y(t) as
    dual numbers of the enclosing call (t real, scalar or 1-D)."""

    def __init__(self, solution: Any, system: SensitivitySystem) -> None:
        self.solution = solution
        self.system = system
        self.ts = solution.ts
        self.t_min, self.t_max = solution.t_min, solution.t_max

    def __call__(self, t: npt.ArrayLike) -> Any:
        return self.system.dual(self.solution(t))


def _dual_result(solution: Any, system: SensitivitySystem,
                 event_list: list[Callable[..., Any]] | None) -> Any:
    solution.y = system.dual(solution.y)
    if solution.sol is not None:
        solution.sol = DualOdeSolution(solution.sol, system)
    if event_list is not None and solution.t_events is not None:
        t_events, y_events = [], []
        for event, times, states in zip(event_list, solution.t_events, solution.y_events):
            moves = [system.event_moves(event, t, z) for t, z in zip(times, states)]
            dt = np.array([move[0] for move in moves]).reshape(len(times), system.m)
            dy = np.array([move[1] for move in moves]).reshape(len(times), system.n, system.m)
            t_events.append(system.params.dual(np.asarray(times, dtype=np.float64), dt))
            y_at_events = np.asarray(states).reshape(len(times), -1)[:, :system.n]
            y_events.append(system.params.dual(y_at_events, dy))
        solution.t_events, solution.y_events = t_events, y_events
    return solution
