# Type stubs for the second-order dual number (dualnum/_second.pyx).
from typing import Any, Sequence, SupportsFloat, final

import numpy as np
import numpy.typing as npt

from dualnum._number import ForeignNumber as ForeignNumber
from dualnum._number import Number

_Real = SupportsFloat

@final
class Dual2(Number):
    def __init__(self, value: _Real, gradient: Sequence[_Real] | npt.ArrayLike = ...,
                 hessian: npt.ArrayLike | None = ...) -> None: ...
    @property
    def value(self) -> float: ...
    @property
    def gradient(self) -> tuple[float, ...]: ...
    @property
    def hessian(self) -> npt.NDArray[np.float64]: ...
    @property
    def hvp(self) -> tuple[float, tuple[float, ...]]: ...
    def __repr__(self) -> str: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def hessian_matrix(x: Dual2) -> npt.NDArray[np.float64]: ...
