# Type stubs for the fused dual-array kernels (dualnum/_kernels.pyx); the
# loops themselves are C-level only (dualnum/_kernels.pxd).
import numpy as np
import numpy.typing as npt
from typing_extensions import disjoint_base

@disjoint_base
class Rule:
    @property
    def name(self) -> str: ...

UNARY_RULES: dict[str, Rule]
BINARY_RULES: dict[str, Rule]
SQUARE_BY_POWER: Rule
UNARY_NAMES: frozenset[str]
BINARY_NAMES: frozenset[str]

def color_columns(
    col_ptr: npt.NDArray[np.intp],
    col_rows: npt.NDArray[np.intp],
    row_ptr: npt.NDArray[np.intp],
    row_cols: npt.NDArray[np.intp],
    order: npt.NDArray[np.intp],
) -> npt.NDArray[np.intp]: ...
def star_colour(
    ptr: npt.NDArray[np.intp],
    adj: npt.NDArray[np.intp],
    order: npt.NDArray[np.intp],
) -> npt.NDArray[np.intp]: ...
