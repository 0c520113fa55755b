# Type stubs for the public API of dualnum (dualnum/__init__.py): the README's
# API table, typed.  The functions differentiate arbitrary Python callables,
# so f is Callable[..., Any]; results that are a float for a scalar f and an
# ndarray otherwise are Any, array results are ndarrays (of float64, or of
# dual numbers of an enclosing call when nested).
from typing import Any, Callable, Literal, Sequence, overload

import numpy.typing as npt

from dualnum._core import Dual as Dual
from dualnum._complex_dual import ComplexDual as ComplexDual
from dualnum._complex_array import ComplexDualArray as ComplexDualArray
from dualnum._elementary import (
    absolute as absolute,
    acos as acos,
    acosh as acosh,
    arccos as arccos,
    arccosh as arccosh,
    arcsin as arcsin,
    arcsinh as arcsinh,
    arctan as arctan,
    arctan2 as arctan2,
    arctanh as arctanh,
    asin as asin,
    asinh as asinh,
    atan as atan,
    atan2 as atan2,
    atanh as atanh,
    cbrt as cbrt,
    ceil as ceil,
    copysign as copysign,
    cos as cos,
    cosh as cosh,
    deg2rad as deg2rad,
    degrees as degrees,
    erf as erf,
    erfc as erfc,
    exp as exp,
    exp2 as exp2,
    expit as expit,
    expm1 as expm1,
    fabs as fabs,
    floor as floor,
    fmax as fmax,
    fmin as fmin,
    fmod as fmod,
    gamma as gamma,
    heaviside as heaviside,
    hypot as hypot,
    lgamma as lgamma,
    log as log,
    log10 as log10,
    log1p as log1p,
    log2 as log2,
    logaddexp as logaddexp,
    logaddexp2 as logaddexp2,
    maximum as maximum,
    minimum as minimum,
    pow as pow,
    power as power,
    rad2deg as rad2deg,
    radians as radians,
    relu as relu,
    sigmoid as sigmoid,
    sin as sin,
    sinh as sinh,
    softplus as softplus,
    sqrt as sqrt,
    tan as tan,
    tanh as tanh,
    trunc as trunc,
)
from dualnum._second import Dual2 as Dual2
from dualnum._taylor import Jet as Jet
from dualnum.compose import ChainRule
from dualnum.dualarray import DualArray as DualArray
from dualnum.sparsity import SparsityPattern as SparsityPattern
from dualnum._slow_path import SlowPathWarning as SlowPathWarning
from dualnum._threads import get_num_threads as get_num_threads
from dualnum._threads import num_threads as num_threads
from dualnum._threads import set_num_threads as set_num_threads

__version__: str

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
    "absolute", "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan",
    "arctan2", "arctanh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil",
    "copysign", "cos", "cosh", "deg2rad", "degrees", "erf", "erfc", "exp", "exp2",
    "expit", "expm1", "fabs", "floor", "fmax", "fmin", "fmod", "gamma", "heaviside",
    "hypot", "lgamma", "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2",
    "maximum", "minimum", "pow", "power",
    "rad2deg", "radians", "relu", "sigmoid", "sin", "sinh", "softplus", "sqrt", "tan",
    "tanh", "trunc",
]

_F = Callable[..., Any]
_Array = npt.NDArray[Any]
# a point: a number, a sequence of numbers or an array (or, with argnums, the
# tuple of f's positional arguments)
_Point = Any
_Argnums = int | tuple[int, ...] | None
# a sparsity pattern: boolean array, scipy.sparse matrix, an analysed
# SparsityPattern, or "auto"
_Sparsity = SparsityPattern | npt.ArrayLike | Literal["auto"] | Any

def derivative(f: _F, x: _Point, n: int = 1) -> Any: ...
def derivatives(f: _F, x: _Point, n: int) -> _Array: ...
def value_and_derivative(f: _F, x: _Point) -> tuple[Any, Any]: ...
def partial(f: _F, args: Sequence[Any], i: int) -> Any: ...
@overload
def gradient(f: _F, x: _Point, argnums: int | None = None) -> _Array: ...
@overload
def gradient(f: _F, x: _Point, argnums: tuple[int, ...]) -> tuple[_Array, ...]: ...
@overload
def value_and_gradient(f: _F, x: _Point, argnums: int | None = None) -> tuple[Any, _Array]: ...
@overload
def value_and_gradient(
    f: _F, x: _Point, argnums: tuple[int, ...]
) -> tuple[Any, tuple[_Array, ...]]: ...
# sparse_output=True gives a scipy.sparse.csr_array (scipy ships no types)
def jacobian(
    f: _F,
    x: _Point,
    argnums: _Argnums = None,
    sparsity: _Sparsity | None = None,
    sparse_output: bool = False,
) -> Any: ...
def value_and_jacobian(
    f: _F,
    x: _Point,
    argnums: _Argnums = None,
    sparsity: _Sparsity | None = None,
    sparse_output: bool = False,
) -> tuple[Any, Any]: ...
def jvp(f: _F, x: _Point, v: npt.ArrayLike) -> tuple[Any, Any]: ...
@overload
def hessian(f: _F, x: _Point, argnums: int | None = None, sparsity: _Sparsity | None = None,
            sparse_output: bool = False) -> _Array: ...
@overload
def hessian(f: _F, x: _Point, argnums: tuple[int, ...], sparsity: None = None,
            sparse_output: bool = False) -> Any: ...
def value_gradient_and_hessian(
    f: _F,
    x: _Point,
    argnums: _Argnums = None,
    sparsity: _Sparsity | None = None,
    sparse_output: bool = False,
) -> tuple[Any, Any, Any]: ...
def hvp(f: _F, x: _Point, v: npt.ArrayLike) -> _Array: ...
def value_gradient_and_hvp(f: _F, x: _Point, v: npt.ArrayLike) -> tuple[Any, _Array, _Array]: ...
def detect_sparsity(f: _F, x: _Point) -> SparsityPattern: ...
def detect_hessian_sparsity(f: _F, x: npt.ArrayLike) -> SparsityPattern: ...
# propagate: (f(x), J Σ Jᵀ); the covariance is a float for a scalar f, an
# ndarray, or a scipy.sparse.csr_array with sparse_output=True
def propagate(
    f: _F, x: _Point, cov: npt.ArrayLike | Any | None = None, *,
    std: npt.ArrayLike | None = None, sparsity: _Sparsity | None = None,
    sparse_output: bool = False,
) -> tuple[Any, Any]: ...

# laplacian: a float, or with batch=True an ndarray of x.shape[:-1]; divergence
# and curl likewise (curl: a 3-vector, or a float in 2-D)
def laplacian(f: _F, x: _Point, batch: bool = False) -> Any: ...
def value_and_laplacian(f: _F, x: _Point, batch: bool = False) -> tuple[Any, Any]: ...
def divergence(F: _F, x: _Point, batch: bool = False) -> Any: ...
def curl(F: _F, x: _Point, batch: bool = False) -> Any: ...

# primitive(func, derivative), primitive(func, jvp=rule) or, as a decorator,
# @primitive(derivative=df) / @primitive(jvp=rule)
@overload
def primitive(func: _F, derivative: _F | Sequence[_F]) -> _F: ...
@overload
def primitive(func: _F, *, jvp: Callable[..., Any]) -> _F: ...
@overload
def primitive(func: None = None, *, derivative: _F | Sequence[_F]) -> Callable[[_F], _F]: ...
@overload
def primitive(func: None = None, *, jvp: Callable[..., Any]) -> Callable[[_F], _F]: ...
def compose(*funcs: Callable[[Any], Any]) -> Callable[[Any], Any]: ...
def chain_rule(f: Callable[[Any], Any], g: Callable[[Any], Any], x: float) -> ChainRule: ...
