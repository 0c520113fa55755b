# Type stubs for dualnum/nesting.py, the public name of nested numbers.
from dualnum._nested import Nested as Nested, is_dual_number as is_dual_number
from dualnum._object_arrays import DualObjects as DualObjects, apply as apply

__all__ = ["DualObjects", "Nested", "apply", "is_dual_number"]
