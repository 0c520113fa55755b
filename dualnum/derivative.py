"""derivative, value_and_derivative and partial: functions of one real variable."""
import operator

import numpy as np

from dualnum import _forward, _nested_plan
from dualnum._argnums import index
from dualnum._core import scalar_seed
from dualnum._plan import NESTED
from dualnum._complex_dual import complex_seed
from dualnum._points import (
    as_complex_point, as_point, as_scalar, first_order_only, is_complex_point, is_complex_scalar,
    is_scalar,
)
from dualnum._number import ForeignNumber, new_tag
from dualnum._read import (
    first_partial, nth_derivative, read_derivatives, read_numbers, value_and_first_partial,
)
from dualnum._seed import (
    MAX_ORDER, fresh_jet_seed, jet_seed, jet_seed_array, order_too_high, step_exponent,
)
from dualnum._nested import is_dual_number


def value_and_derivative(f, x):
    """value_and_derivative(f, x) -> (f(x), f'(x))

    Both in one evaluation of ``f`` on the dual number ``x + eps``.

    Parameters
    ----------
    f : callable
        A function of one real variable written with ordinary arithmetic and
        dualnum functions.  It may return a real number or a sequence/ndarray.
    x : real or array_like
        The point.  For an array, ``f`` must act elementwise and the result is
        the elementwise derivative (all elements are seeded with 1 in one pass).
        A dual number of an enclosing differentiation call is a point too
        (``derivative(lambda x: derivative(f, x), x0)``); the results are then
        numbers of that call.

    Returns
    -------
    value, derivative : float or ndarray
        Floats for a scalar result; float64 arrays of the result's shape otherwise.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.value_and_derivative(lambda x: x ** 3, 2.0)
    (8.0, 12.0)
    """
    if is_scalar(x):
        seed = scalar_seed(as_scalar(x))
        return value_and_first_partial(f(seed), seed)
    if is_complex_scalar(x):          # holomorphic mode: f'(z) = df/dz
        seed = complex_seed(x)
        value, deriv = read_numbers(f(seed), seed.tag, 1)
        return complex(value), complex(deriv[0])
    if is_dual_number(x):             # a derivative inside another one's function
        return _nested_plan.derivative_pass(f, x)
    if is_complex_point(x):           # elementwise, at complex points
        point = as_complex_point(x)
        return _forward.complex_pass(f, point, np.ones_like(point))
    point = as_point(x)
    if point is NESTED:               # an array point holding another call's numbers
        return _nested_plan.jvp_pass(f, x, None)
    return _forward.jvp_pass(f, point, operation="derivative")


def derivative(f, x, n=1):
    """derivative(f, x, n=1) -> f'(x)

    The exact derivative of ``f`` at ``x`` (to rounding), by forward-mode
    automatic differentiation.

    Parameters
    ----------
    f : callable
        A function of one real variable; see :func:`value_and_derivative`.
    x : real or array_like
        The point (an array for an elementwise ``f``).
    n : int, optional
        The order: 0 returns f(x), 1 the first derivative (dual numbers),
        n >= 2 the n-th derivative, from one evaluation of ``f`` on a
        truncated Taylor series (:class:`dualnum.Jet`), O(n**2) work per
        operation.

    Returns
    -------
    float or ndarray
        A float for a scalar result, else an array of the result's shape.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.derivative(lambda x: dn.sin(x) * x, 0.0)
    0.0
    >>> dn.derivative(lambda x: [x, x ** 2], 3.0)
    array([1., 6.])
    >>> dn.derivative(lambda x: x ** 3, 2.0, n=3)
    6.0
    """
    if type(x) is float and n == 1:
        # the hot path; f is called from Python, not from C, because CPython
        # makes a Python-to-Python call much cheaper than a C-to-Python one
        seed = scalar_seed(x)
        return first_partial(f(seed), seed)
    if type(x) is float and type(n) is int and n > 1:
        try:                          # the hot path of higher orders (W6)
            seed = fresh_jet_seed(x, n)
            return nth_derivative(f(seed), seed)
        except ForeignNumber:
            return _nested_derivative(f, x, n)
        except OverflowError:
            if n <= MAX_ORDER:
                raise                 # f's own
            raise order_too_high(n) from None   # n does not fit fresh_jet_seed's C integer
    order = _order(n)
    if order > 1:
        first_order_only(x, order)
        return _nth_derivative(f, x, order)
    value, deriv = value_and_derivative(f, x)
    return deriv if order == 1 else value


def _taylor_pass(f, x, order):
    """Derivatives 0..order (order first) from one evaluation of f on the
    Taylor series x + t; None inside another call (the point or f holds its
    dual numbers), where only nested first derivatives keep the calls apart."""
    point = as_scalar(x) if is_scalar(x) else as_point(x)
    if point is NESTED:
        return None
    tag, exponent = new_tag(), step_exponent(order)
    if type(point) is float:
        seed = jet_seed(point, order, tag, exponent)
    else:
        seed = jet_seed_array(point, order, tag, exponent)
    try:
        return read_derivatives(f(seed), tag, order, exponent)
    except ForeignNumber:             # f holds another call's numbers
        return None


def _nth_derivative(f, x, n):
    """The n-th derivative (n >= 2): from one Taylor pass, or inside another
    call from n nested first derivatives."""
    found = _taylor_pass(f, x, n)
    nth = _nested_derivative(f, x, n) if found is None else found[n]
    if np.ndim(nth) or is_dual_number(nth):
        return nth
    return float(nth)


def _nested_derivative(f, x, n):
    """derivative(f, x, n) as n nested first derivatives (2**n work: for the
    nested case only)."""
    for _ in range(n):
        f = (lambda g: lambda y: derivative(g, y))(f)
    return f(x)


def derivatives(f, x, n):
    """derivatives(f, x, n) -> [f(x), f'(x), ..., f^(n)(x)]

    Every derivative up to order ``n`` from one evaluation of ``f`` on the
    truncated Taylor series ``x + t`` (:class:`dualnum.Jet`).

    Parameters
    ----------
    f : callable
        A function of one real variable; see :func:`value_and_derivative`.
        For an array ``x`` it is evaluated once on an object array of jets
        (every element seeded), so it must act elementwise.
    x : real or array_like
        The point.
    n : int
        The highest order, >= 0.

    Returns
    -------
    ndarray
        Shape ``(n + 1,)`` for a scalar result, ``(n + 1,) + S`` for a result
        of shape S: entry k is the k-th derivative.

    Notes
    -----
    The k-th derivative is k! times the k-th Taylor coefficient.  For n > 150
    the seed is ``x + h t`` with h a power of two near n/e, so that
    coefficients of functions like exp (1/k! at h = 1) stay in the float range.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.derivatives(lambda x: x ** 3, 2.0, 4)
    array([ 8., 12., 12.,  6.,  0.])
    """
    order = _order(n)
    first_order_only(x, order)
    found = _taylor_pass(f, x, order)
    if found is not None:
        return found
    # inside another call: each order by nested first derivatives, as numbers
    # of that call (an object array)
    out = np.empty(order + 1, dtype=object)
    for k in range(order + 1):
        out[k] = f(x) if k == 0 else _nested_derivative(f, x, k)
    return out


def _order(n):
    """The derivative order n as a non-negative int, or a clear error."""
    try:
        order = operator.index(n)
    except TypeError:
        raise TypeError(f"n must be an int, got {type(n).__name__}") from None
    if order < 0:
        raise ValueError(f"n must be >= 0, got {order}")
    if order > MAX_ORDER:
        raise order_too_high(order)
    return order


def partial(f, args, i):
    """partial(f, args, i) -> ∂f/∂x_i at args

    The partial derivative of ``f(x_1, ..., x_n)`` with respect to argument
    ``i``, every other argument held constant: only ``args[i]`` is seeded.

    Parameters
    ----------
    f : callable
        A function of several real arguments.
    args : sequence
        The point: one value per argument of ``f``.  Only ``args[i]`` must be a
        real number; the others are passed through unchanged.
    i : int
        Which argument to differentiate (negative counts from the end).

    Examples
    --------
    >>> import dualnum as dn
    >>> f = lambda x, y: x ** 2 * y
    >>> dn.partial(f, (3.0, 2.0), 0), dn.partial(f, (3.0, 2.0), 1)
    (12.0, 9.0)
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"args must be a tuple or list of f's arguments, got {type(args).__name__}")
    i = index(i, len(args), "i")
    before, after = tuple(args[:i]), tuple(args[i + 1:])
    return derivative(lambda t: f(*before, t, *after), args[i])
