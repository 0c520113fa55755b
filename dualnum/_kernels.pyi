# Type stubs for the fused dual-array kernels (dualnum/_kernels.pyx).
import numpy as np
import numpy.typing as npt

UNARY_NAMES: frozenset[str]
BINARY_NAMES: frozenset[str]

def unary(
    name: str, value: npt.NDArray[np.float64], tangent: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]: ...
def binary(
    name: str,
    a: npt.NDArray[np.float64],
    a_tangent: npt.NDArray[np.float64] | None,
    b: npt.NDArray[np.float64],
    b_tangent: npt.NDArray[np.float64] | None,
    k: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]: ...
