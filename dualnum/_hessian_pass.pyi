# Type stubs for hessian's and hvp's compiled pass (dualnum/_hessian_pass.pyx).
from typing import Any, Callable

import numpy.typing as npt

def hessian_pass(f: Callable[..., Any], point: npt.NDArray[Any]) -> tuple[Any, Any, Any]: ...
def hvp_pass(f: Callable[..., Any], point: npt.NDArray[Any],
             direction: npt.NDArray[Any]) -> tuple[Any, Any, Any]: ...
