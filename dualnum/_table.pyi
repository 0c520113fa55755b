# Type stubs for the function table (dualnum/_table.pyx).
from typing import Any

from typing_extensions import disjoint_base

@disjoint_base
class Row:
    @property
    def name(self) -> str: ...
    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def functions(self) -> tuple[str, ...]: ...
    @property
    def arity(self) -> int: ...
    @property
    def doc(self) -> str: ...
    @property
    def reference(self) -> Any: ...
    @property
    def ufunc(self) -> Any: ...

ROWS: tuple[Row, ...]
SPECIAL_ROWS: tuple[Row, ...]
BY_SPELLING: dict[str, Row]

def find(name: str) -> Row | None: ...
