"""gradient and value_and_gradient: scalar functions of many variables."""
import numpy as np

from dualnum import _argnums, _forward, _nested_plan
from dualnum._plan import NESTED
from dualnum._points import as_point
from dualnum.nesting import is_dual_number

_NOT_SCALAR = ("gradient needs a function returning a real number; it returned an array of "
               "shape {} (use jacobian for vector-valued functions)")


def value_and_gradient(f, x, argnums=None):
    """value_and_gradient(f, x, argnums=None) -> (f(x), ∇f(x))

    The value and the gradient together, as Newton's method and gradient
    descent need them, from ceil(n / 128) evaluations of ``f``.

    Parameters
    ----------
    f : callable
        Returns a real number.  It receives a :class:`dualnum.DualArray` of
        x's shape (a scalar :class:`dualnum.Dual` for a scalar x): numpy code
        (``np.sum(x ** 2)``) runs on its fused kernels, and indexing gives
        scalar duals, so scalar-style code (``x[0] * x[1]``) works too.
    x : array_like
        The point, any shape; ints and float32 are promoted to float64.  With
        ``argnums``, the tuple of f's positional arguments.
    argnums : int or tuple of ints, optional
        Differentiate ``f(*x)`` with respect to these arguments; the result is
        one gradient (a tuple of them for a tuple ``argnums``), each with its
        argument's shape (a float for a scalar argument).

    Returns
    -------
    value : float
    gradient : ndarray
        float64, ``gradient.shape == x.shape``.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.value_and_gradient(lambda v: v[0] * v[1] + v[1], [2.0, 3.0])
    (9.0, array([3., 3.]))
    """
    if argnums is not None:
        g, point, split = _argnums.select(f, x, argnums)
        value, grad = value_and_gradient(g, point)
        return value, split(grad)
    point = as_point(x)
    if point is NESTED:               # a gradient inside another call's function
        value, grad = _nested_plan.value_and_jacobian(f, x)
        if isinstance(value, np.ndarray):
            raise ValueError(_NOT_SCALAR.format(np.shape(value)))
        return value, grad
    value, jac = _forward.jacobian_passes(f, point)
    if type(value) is not float and not is_dual_number(value):
        raise ValueError(_NOT_SCALAR.format(np.shape(value)))
    return value, jac


def gradient(f, x, argnums=None):
    """gradient(f, x, argnums=None) -> ∇f(x)

    ``grad[i] = ∂f/∂x_i``: each entry is the partial derivative with every
    other variable held constant.  See :func:`value_and_gradient`.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.gradient(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
    array([12.,  9.])
    >>> dn.gradient(lambda x, y: x ** 2 * y, (3.0, 2.0), argnums=(0, 1))
    (12.0, 9.0)
    """
    return value_and_gradient(f, x, argnums)[1]
