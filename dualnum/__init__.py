"""dualnum: exact derivatives of ordinary numeric Python, by forward-mode
automatic differentiation on dual numbers compiled with Cython.

>>> import dualnum as dn
>>> dn.derivative(lambda x: x * dn.sin(x), 0.0)
0.0
>>> dn.gradient(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
array([12.,  9.])
"""
from dualnum._core import Dual
from dualnum._complex_dual import ComplexDual
from dualnum._complex_array import ComplexDualArray
from dualnum._elementary import FUNCTIONS as _FUNCTIONS
from dualnum._taylor import Jet
from dualnum._second import Dual2
from dualnum.derivative import derivative, derivatives, partial, value_and_derivative
from dualnum.gradient import gradient, value_and_gradient
from dualnum.jacobian import jacobian, jvp, value_and_jacobian
from dualnum.hessian import (detect_hessian_sparsity, hessian, hvp, value_gradient_and_hessian,
                             value_gradient_and_hvp)
from dualnum.primitive import primitive
from dualnum.compose import chain_rule, compose
from dualnum.dualarray import DualArray
from dualnum.sparsity import SparsityPattern, detect_sparsity
from dualnum.propagate import propagate
from dualnum.laplacian import laplacian, value_and_laplacian
from dualnum.divergence import curl, divergence
from dualnum._slow_path import SlowPathWarning
from dualnum._threads import get_num_threads, num_threads, set_num_threads

from dualnum._version import __version__ as __version__

globals().update(_FUNCTIONS)      # dualnum.sin & co.: one per row of the function table

__all__ = [
    "Dual", "Dual2", "DualArray", "Jet", "SparsityPattern", "detect_sparsity", "SlowPathWarning",
    "derivative", "derivatives", "value_and_derivative", "partial",
    "gradient", "value_and_gradient",
    "jacobian", "value_and_jacobian", "jvp",
    "hessian", "value_gradient_and_hessian", "hvp", "value_gradient_and_hvp",
    "detect_hessian_sparsity",
    "primitive", "compose", "chain_rule",
    "propagate",
    "laplacian", "value_and_laplacian", "divergence", "curl",
    "ComplexDual", "ComplexDualArray",
    "set_num_threads", "get_num_threads", "num_threads",
    *_FUNCTIONS,
]
