"""derivative, value_and_derivative and partial: functions of one real variable."""
import operator


from dualnum import _forward
from dualnum._core import first_partial, scalar_seed, value_and_first_partial
from dualnum._argnums import index
from dualnum._points import as_array, as_scalar, is_scalar


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
    point = as_array(x)
    return _forward.value_and_jvp(f, point)


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
        The order: 0 returns f(x), 1 the first derivative.  Higher orders come
        with Taylor arithmetic in a later version and raise NotImplementedError.

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
    """
    if type(x) is float and n == 1:
        # the hot path; f is called from Python, not from C, because CPython
        # makes a Python-to-Python call much cheaper than a C-to-Python one
        seed = scalar_seed(x)
        return first_partial(f(seed), seed)
    try:
        order = operator.index(n)
    except TypeError:
        raise TypeError(f"n must be an int, got {type(n).__name__}") from None
    if order < 0:
        raise ValueError(f"n must be >= 0, got {order}")
    if order > 1:
        raise NotImplementedError(
            "derivatives of order n >= 2 are not available in this version of dualnum")
    value, deriv = value_and_derivative(f, x)
    return deriv if order == 1 else value


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
