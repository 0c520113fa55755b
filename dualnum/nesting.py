"""Nested differentiation without perturbation confusion: the numbers of
nested calls (dualnum/_nested.pyx) and the object arrays they make
(dualnum/_object_arrays.py), under the public name the README documents."""
from dualnum._nested import Nested, is_dual_number
from dualnum._object_arrays import DualObjects, apply

__all__ = ["DualObjects", "Nested", "apply", "is_dual_number"]
